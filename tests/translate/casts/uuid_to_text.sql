-- uuid::text
SELECT event_id::text FROM events
