-- JSONExtractString on a text column
SELECT JSONExtractString(properties, 'plan') FROM events
