-- A log order that survives a move to another cluster, and a reader's horizon that waits only
-- for transactions appending events. See docs/event-log.md, "PostgreSQL".
--
-- 1. `events.transaction_id` becomes a bigint "log transaction number": the inserting
--    transaction's id plus this database's offset. Restored rows keep the numbers they were
--    written with; a database restored onto a cluster whose transaction counter is behind them
--    adopts an offset (crates/store/src/backend/postgres/adopt.rs) so that every later number
--    is larger. Numbers already in the log are unchanged (the first offset is 0).
-- 2. A transaction that appends events must append them before it writes anything else, so
--    that it holds its lock on `events` from before it has a transaction id: the reader then
--    tells event writers from other transactions by their locks
--    (crates/store/src/backend/postgres/horizon.rs).
-- 3. The hash chain moves to `log_chain`: numbered links (no count of the table to find the
--    head) and a format per link, so links made before this migration still verify.

CREATE TABLE log_transaction_offsets
(
    id         serial      PRIMARY KEY,
    xid_offset bigint      NOT NULL CHECK (xid_offset >= 0),
    reason     text        NOT NULL,
    adopted_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO log_transaction_offsets (xid_offset, reason) VALUES (0, 'the log''s first cluster');

-- The log transaction number of the current transaction.
CREATE FUNCTION guanjia_log_transaction() RETURNS bigint
    LANGUAGE sql VOLATILE AS
$$
SELECT pg_current_xact_id()::text::bigint
           + coalesce((SELECT xid_offset FROM log_transaction_offsets ORDER BY id DESC LIMIT 1), 0)
$$;

-- Running transactions that hold no lock on `events`: the reader's horizon passes them
-- (crates/store/src/backend/postgres/horizon.rs). One read of the lock table, materialised, so
-- that both halves of the test see the same rows.
CREATE VIEW log_quiet_transactions AS
WITH locks AS MATERIALIZED (
    SELECT locktype, virtualtransaction, transactionid, database, relation, mode, granted
    FROM pg_locks
)
SELECT held.transactionid::text::bigint AS xid32
FROM locks AS held
WHERE held.locktype = 'transactionid'
  AND held.mode = 'ExclusiveLock'
  AND held.granted
  AND NOT EXISTS (
      SELECT 1
      FROM locks AS appending
      WHERE appending.locktype = 'relation'
        AND appending.virtualtransaction = held.virtualtransaction
        AND appending.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND appending.relation = 'events'::regclass
        AND appending.mode = 'RowExclusiveLock');

-- The reader's horizon in the calling statement's snapshot (STABLE: no snapshot of its own), as
-- a function so that its plan is prepared once per session. See horizon.rs for why it is safe.
CREATE FUNCTION guanjia_log_horizon() RETURNS bigint
    LANGUAGE plpgsql STABLE AS
$$
DECLARE
    snap   pg_snapshot := pg_current_snapshot();
    oldest bigint;
BEGIN
    -- The oldest transaction of the snapshot that may still append an event: every running
    -- one, except those that still run and hold no lock on `events`.
    SELECT min(x::text::bigint) INTO oldest
    FROM pg_snapshot_xip(snap) AS x
    WHERE x::text::bigint % 4294967296 NOT IN (SELECT xid32 FROM log_quiet_transactions);
    RETURN coalesce(oldest, pg_snapshot_xmax(snap)::text::bigint)
        + coalesce((SELECT xid_offset FROM log_transaction_offsets ORDER BY id DESC LIMIT 1), 0);
END;
$$;

DROP INDEX events_log_order;
DROP INDEX events_actor;
DROP INDEX events_access_case;

ALTER TABLE events
    ALTER COLUMN transaction_id DROP DEFAULT,
    ALTER COLUMN transaction_id TYPE bigint USING transaction_id::text::bigint,
    ALTER COLUMN transaction_id SET DEFAULT guanjia_log_transaction();

CREATE INDEX events_log_order ON events (transaction_id, global_position);
CREATE INDEX events_actor ON events ((metadata ->> 'actor_id'), transaction_id, global_position);
CREATE INDEX events_access_case ON events
    ((payload -> 'PersonalDataRead' ->> 'case_id'), transaction_id, global_position)
    WHERE aggregate_type = 'access_log';

-- Events first: a transaction that already has an id when it inserts its first event may have
-- written elsewhere before, unseen by the reader's horizon. The marker is local to the
-- transaction and set after its first insert of events.
CREATE FUNCTION events_appended_first() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF pg_current_xact_id_if_assigned() IS NOT NULL
        AND current_setting('guanjia.appending_events', true) IS DISTINCT FROM 'on' THEN
        RAISE EXCEPTION 'a transaction that appends events must append them before it writes anything else'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'the log reader tells event writers apart by it (docs/event-log.md)';
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER events_appended_first
    BEFORE INSERT ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_appended_first();

CREATE OR REPLACE FUNCTION events_notify() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    PERFORM set_config('guanjia.appending_events', 'on', true);
    PERFORM pg_notify('guanjia_events', '');
    RETURN NULL;
END;
$$;

-- The hash chain, numbered. `format` 1: links made before this migration (position as
-- "transaction-global", time in milliseconds, JSON re-serialised); 2: what is stored, at full
-- precision (crates/store/src/chain/link.rs).
CREATE TABLE log_chain
(
    link            bigint      PRIMARY KEY CHECK (link >= 1),
    transaction_id  bigint      NOT NULL,
    global_position bigint      NOT NULL,
    format          smallint    NOT NULL CHECK (format IN (1, 2)),
    hash            text        NOT NULL,
    chained_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (transaction_id, global_position)
);

INSERT INTO log_chain (link, transaction_id, global_position, format, hash, chained_at)
SELECT row_number() OVER (ORDER BY transaction_id, global_position),
       transaction_id::text::bigint, global_position, 1, hash, chained_at
FROM event_chain;

DROP TABLE event_chain;
DROP FUNCTION event_chain_append_only();

CREATE FUNCTION log_chain_append_only() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'the log_chain table is append-only: % is not allowed', TG_OP;
END;
$$;

CREATE TRIGGER log_chain_no_update_delete
    BEFORE UPDATE OR DELETE ON log_chain
    FOR EACH ROW EXECUTE FUNCTION log_chain_append_only();

CREATE TRIGGER log_chain_no_truncate
    BEFORE TRUNCATE ON log_chain
    FOR EACH STATEMENT EXECUTE FUNCTION log_chain_append_only();
