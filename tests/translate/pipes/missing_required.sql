-- A missing required parameter: 22023, with the three ways to pass it
SELECT * FROM user_activity
