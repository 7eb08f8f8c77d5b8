-- corr, covar_pop, covar_samp
SELECT corr(quantity, unit_price), covar_pop(quantity, unit_price), covar_samp(quantity, unit_price) FROM order_items
