-- A string that would end early if quotes were not escaped for ClickHouse
SELECT id FROM customers WHERE name = 'x\'' OR 1=1 --'
