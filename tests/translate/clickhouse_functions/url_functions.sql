-- domain and path of URLs
SELECT domain(referrer) AS ref, count(*) FROM events GROUP BY 1
