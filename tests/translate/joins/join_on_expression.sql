-- A join key that is an expression
SELECT e.pathname, s."UserAgent" FROM events e JOIN web_sessions s ON lower(e.session_id) = lower(s."SessionId")
