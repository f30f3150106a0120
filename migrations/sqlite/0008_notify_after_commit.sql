-- On PostgreSQL, migration 0008 moves the notification of other nodes out of the appending
-- transaction. SQLite has no notifications (readers of a shared file poll), so there is
-- nothing to change here; the migration exists so that both backends share one schema version.
SELECT 1;
