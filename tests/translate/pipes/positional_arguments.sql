-- Positional arguments are refused: pipe parameters are named
SELECT * FROM user_activity(42)
