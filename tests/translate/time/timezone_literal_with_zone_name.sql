-- A timestamptz literal with a zone name
SELECT id FROM orders WHERE shipped_at > TIMESTAMP WITH TIME ZONE '2024-03-10 02:30:00 America/New_York'
