-- replace(s, from, to) replaces every occurrence
SELECT replace(pathname, '/', '_') FROM events
