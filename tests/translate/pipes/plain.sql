-- An endpoint pipe read as a view: its query becomes a derived table under its name
SELECT * FROM top_pages
