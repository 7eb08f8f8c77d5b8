-- IN (...) binds an Array parameter; a qualified predicate binds the pipe it names
SELECT a.day, a.events FROM user_activity AS a WHERE a.user_id = 1 AND a.kinds IN ('click', 'view')
