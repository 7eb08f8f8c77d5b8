-- #>> (path) is refused
SELECT payload #>> '{utm,source}' FROM events
