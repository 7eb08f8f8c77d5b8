-- A schema other than public: 42501
SELECT * FROM analytics.orders
