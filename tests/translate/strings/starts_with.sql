-- starts_with(s, prefix)
SELECT pathname FROM events WHERE starts_with(pathname, '/shop')
