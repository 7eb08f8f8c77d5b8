-- A string literal with an offset cast to timestamptz
SELECT id FROM orders WHERE shipped_at >= '2024-03-01 00:00:00+02'::timestamptz
