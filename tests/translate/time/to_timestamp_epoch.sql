-- to_timestamp(epoch seconds) is a timestamptz
SELECT to_timestamp(duration_ms / 1000) FROM events
