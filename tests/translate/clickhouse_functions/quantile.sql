-- quantile(0.95)(x): ClickHouse's parametric call syntax is not PostgreSQL grammar (42601)
SELECT quantile(0.95)(duration_ms) FROM events
