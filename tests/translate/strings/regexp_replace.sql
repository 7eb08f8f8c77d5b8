-- regexp_replace replaces the first match; flag g replaces all, i ignores case
SELECT regexp_replace(pathname, '[0-9]+', ':id') AS first, regexp_replace(pathname, '[0-9]+', ':id', 'g') AS every, regexp_replace(pathname, 'BLOG', 'b', 'gi') AS ci FROM events
