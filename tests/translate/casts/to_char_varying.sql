-- character varying without length
SELECT CAST(status AS character varying) FROM orders
