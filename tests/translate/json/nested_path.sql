-- Chained -> then ->>
SELECT payload -> 'page' ->> 'title' AS title FROM events
