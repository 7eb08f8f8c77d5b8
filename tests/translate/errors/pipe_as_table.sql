-- An endpoint pipe read as a table
SELECT * FROM top_pages
