-- A required parameter bound by WHERE: the predicate stays as a filter on the
-- parameter column, which reads the bound value
SELECT day, events FROM user_activity WHERE user_id = 42
