-- Function-call syntax binds named parameters, an ARRAY an Array parameter
SELECT * FROM user_activity(user_id => 7, date_from => '2026-11-01', kinds => ARRAY['click', 'view'])
