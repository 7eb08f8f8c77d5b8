-- percentile_disc(p) WITHIN GROUP (ORDER BY x): the first value reaching p
SELECT percentile_disc(0.9) WITHIN GROUP (ORDER BY duration_ms) AS p90 FROM events
