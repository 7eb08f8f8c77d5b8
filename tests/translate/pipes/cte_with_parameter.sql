-- An aggregate over a pipe in a CTE, the parameter bound by a $1 of the extended protocol
-- params: 42
WITH a AS (SELECT * FROM user_activity WHERE user_id = $1)
SELECT sum(events) AS total FROM a
