-- A pipe joined with a datasource, in one ClickHouse query
SELECT p.pathname, p.hits, count(e.session_id) AS sessions
FROM top_pages p JOIN events e ON e.pathname = p.pathname
GROUP BY p.pathname, p.hits ORDER BY p.hits DESC
