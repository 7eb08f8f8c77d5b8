-- string_to_array(s, sep)
SELECT string_to_array(pathname, '/') FROM events
