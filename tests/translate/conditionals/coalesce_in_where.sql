-- coalesce in WHERE
SELECT id FROM customers WHERE coalesce(score, 0) > 50
