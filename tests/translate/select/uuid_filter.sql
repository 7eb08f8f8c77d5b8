-- A UUID column compared with a uuid literal
SELECT pathname FROM events WHERE event_id = '123e4567-e89b-12d3-a456-426614174000'::uuid
