-- countIf and sumIf
SELECT countIf(is_bot), sumIf(duration_ms, NOT is_bot) FROM events
