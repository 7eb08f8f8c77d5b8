-- if and multiIf
SELECT if(is_gift, 'gift', 'order'), multiIf(total > 1000, 'l', total > 100, 'm', 's') FROM orders
