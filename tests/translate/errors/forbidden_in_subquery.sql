-- A forbidden function deep in a subquery: 42501
SELECT id FROM orders WHERE id IN (SELECT toUInt64(x) FROM (SELECT arrayJoin([1]) AS x WHERE hostName() <> ''))
