-- A qualified column the relation lacks: 42703
SELECT o.nope FROM orders o
