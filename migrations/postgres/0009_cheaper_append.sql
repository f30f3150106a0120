-- Cheaper appends: what every INSERT into `events` runs besides the row itself, measured with
-- pgbench on a copy of the table (docs/benchmarks.md, "The insert's parts"):
--
-- 1. The log transaction number (migration 0007) was a SQL function holding a subquery.
--    PostgreSQL cannot inline such a function into the column default, and plans its body again
--    for every statement that calls it: 0.08 ms of an insert's 0.26. In PL/pgSQL the query's
--    plan is kept for the session. Same result, same volatility.
-- 2. Two statement triggers, one before the insert (events first) and one after (the mark that
--    the transaction appends events), become one: the check, then the mark. The mark is set
--    before the rows are written, but a failed insert takes it back with everything else
--    (a setting changed with `is_local` is undone when its (sub)transaction is rolled back), so
--    the next insert of the same transaction is judged exactly as before.

CREATE OR REPLACE FUNCTION guanjia_log_transaction() RETURNS bigint
    LANGUAGE plpgsql VOLATILE AS
$$
BEGIN
    RETURN pg_current_xact_id()::text::bigint
        + coalesce((SELECT xid_offset FROM log_transaction_offsets ORDER BY id DESC LIMIT 1), 0);
END;
$$;

CREATE OR REPLACE FUNCTION events_appended_first() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF pg_current_xact_id_if_assigned() IS NOT NULL
        AND current_setting('guanjia.appending_events', true) IS DISTINCT FROM 'on' THEN
        RAISE EXCEPTION 'a transaction that appends events must append them before it writes anything else'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'the log reader tells event writers apart by it (docs/event-log.md)';
    END IF;
    PERFORM set_config('guanjia.appending_events', 'on', true);
    RETURN NULL;
END;
$$;

DROP TRIGGER events_mark_appended ON events;
DROP FUNCTION events_mark_appended();
