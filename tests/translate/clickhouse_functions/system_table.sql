-- A system table is refused: 42501
SELECT * FROM system.tables
