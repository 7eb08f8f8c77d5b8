-- toStartOfHour and toStartOfFifteenMinutes
SELECT toStartOfHour(timestamp) AS h, toStartOfFifteenMinutes(timestamp) AS q, count(*) FROM events GROUP BY 1, 2
