-- @> and <@ (containment) and && (overlap)
SELECT id FROM orders WHERE tags @> ARRAY['gift'] AND tags <@ ARRAY['gift', 'rush', 'b2b'] AND tags && ARRAY['rush']
