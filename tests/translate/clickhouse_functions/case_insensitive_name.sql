-- ClickHouse names match without regard to case and are written in ClickHouse's spelling
SELECT UNIQEXACT(session_id), touint64(max(duration_ms)) FROM events
