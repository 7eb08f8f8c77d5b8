-- timestamp AT TIME ZONE 'zone' is the instant when the zone's clocks showed it
SELECT created_at AT TIME ZONE 'America/New_York' FROM orders
