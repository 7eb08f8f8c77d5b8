-- regexp_match answers the groups as text[], NULL when no match
SELECT regexp_match(pathname, '/product/([0-9]+)') AS m FROM events
