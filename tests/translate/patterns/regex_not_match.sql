-- !~ and !~*
SELECT pathname FROM events WHERE pathname !~ '^/admin' AND pathname !~* 'LOGIN'
