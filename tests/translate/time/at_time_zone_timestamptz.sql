-- timestamptz AT TIME ZONE 'zone' is the zone's wall time
SELECT shipped_at AT TIME ZONE 'Europe/Berlin' FROM orders
