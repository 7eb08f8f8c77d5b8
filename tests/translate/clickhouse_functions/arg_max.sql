-- argMax(x, y)
SELECT session_id, argMax(pathname, timestamp) AS exit_page FROM events GROUP BY session_id
