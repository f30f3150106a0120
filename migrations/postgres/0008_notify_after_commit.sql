-- Readers on other nodes are woken by the writing node after its commit
-- (crates/store/src/watch.rs), no longer by a NOTIFY inside every transaction that appends
-- events. PostgreSQL serialises the commits of transactions that have sent a notification (a
-- cluster-wide lock, taken before the commit record and held until it is flushed, keeps the
-- notification queue in commit order): with the NOTIFY in the trigger, concurrent appends
-- could not share a WAL flush and waited in line for one another's.
--
-- The statement trigger stays for its other duty: marking the transaction as one that has
-- appended events, which `events_appended_first` (migration 0007) relies on.
DROP TRIGGER events_notify ON events;
DROP FUNCTION events_notify();

CREATE FUNCTION events_mark_appended() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    PERFORM set_config('guanjia.appending_events', 'on', true);
    RETURN NULL;
END;
$$;

CREATE TRIGGER events_mark_appended
    AFTER INSERT ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_mark_appended();
