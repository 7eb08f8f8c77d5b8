-- Grouping by a JSON member
SELECT payload ->> 'browser' AS browser, count(*) FROM events GROUP BY 1
