-- On PostgreSQL, migration 0009 makes the work every append does besides writing its rows
-- cheaper (the log transaction number's function, one statement trigger instead of two). SQLite
-- has neither; the migration exists so that both backends share one schema version.
SELECT 1;
