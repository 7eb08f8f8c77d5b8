-- ~ is a regular expression match
SELECT pathname FROM events WHERE pathname ~ '^/blog/[0-9]+'
