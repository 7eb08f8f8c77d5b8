-- ->> straight on a text column (PostgreSQL needs a json cast: 42883); pipegate reads the text as JSON
SELECT properties ->> 'plan' AS plan FROM events
