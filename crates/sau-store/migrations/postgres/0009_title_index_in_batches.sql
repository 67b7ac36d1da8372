-- Nothing to do on PostgreSQL: its title index (0005) is a GIN index the database
-- keeps up to date itself. SQLite's twin, ../sqlite/0009_title_index_in_batches.sql,
-- moves its full-text index out of each ticket's transaction.
SELECT 1;
