-- On PostgreSQL, migration 0010 adds the function that appends a batch of commands in one
-- round trip. SQLite appends its batches with plain statements on its one write connection
-- (crates/store/src/backend/sqlite/append.rs); the migration exists so that both backends share
-- one schema version.
SELECT 1;
