-- ^@ is starts_with
SELECT pathname FROM events WHERE pathname ^@ '/docs'
