-- stddev, stddev_pop, variance, var_pop
SELECT stddev(total), stddev_pop(total), variance(total), var_pop(total::float8) FROM orders
