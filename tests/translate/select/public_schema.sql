-- A relation qualified by schema public
SELECT id FROM public.orders
