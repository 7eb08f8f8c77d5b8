-- A quoted relation name is exact: "Orders" does not exist
SELECT id FROM "Orders"
