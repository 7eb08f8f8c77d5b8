-- ClickHouse's uniq passes through
SELECT uniq(session_id) AS visitors FROM events
