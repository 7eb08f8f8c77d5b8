-- ln, log (base 10), log(b, x)
SELECT ln(total), log(total), log10(total), log(2, total) FROM orders
