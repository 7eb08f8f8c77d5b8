-- A datasource's quarantine table is refused: 0A000
SELECT * FROM orders_quarantine
