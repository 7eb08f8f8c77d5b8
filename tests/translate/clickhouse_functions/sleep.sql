-- sleepEachRow is allowlisted (bounded by max_execution_time)
SELECT sleepEachRow(0.5) FROM orders LIMIT 2
