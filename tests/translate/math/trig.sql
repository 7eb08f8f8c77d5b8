-- Trigonometric functions and pi()
SELECT sin(pi() / 2), cos(0), atan2(1, 1), degrees(pi()), radians(180) FROM orders LIMIT 1
