-- -> on a JSON column: the value as jsonb
SELECT payload -> 'utm' AS utm FROM events
