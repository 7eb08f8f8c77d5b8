-- dow is 0 = Sunday, isodow 1 = Monday, doy the day of the year
SELECT extract(dow FROM order_date), extract(isodow FROM order_date), extract(doy FROM order_date) FROM orders
