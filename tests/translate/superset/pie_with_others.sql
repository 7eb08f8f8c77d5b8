-- Superset: a pie chart's metric and row limit
SELECT device AS device, COUNT(DISTINCT session_id) AS sessions FROM public.events WHERE event = 'pageview' GROUP BY device ORDER BY sessions DESC LIMIT 10
