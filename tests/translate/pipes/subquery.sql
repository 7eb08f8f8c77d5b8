-- A pipe in a subquery of the WHERE, bound by that subquery's own WHERE
SELECT pathname FROM events
WHERE user_id IN (SELECT user_id FROM user_activity WHERE user_id = 5)
