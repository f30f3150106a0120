-- The event log of Guanjia on PostgreSQL. See docs/event-log.md.
--
-- `events` is the table postgres-es writes (it inserts aggregate_type, aggregate_id, sequence,
-- event_type, event_version, payload, metadata); the other columns are filled by defaults.

CREATE TABLE events
(
    aggregate_type  text        NOT NULL,
    aggregate_id    text        NOT NULL,
    sequence        bigint      NOT NULL CHECK (sequence >= 1),
    event_type      text        NOT NULL,
    event_version   text        NOT NULL,
    payload         jsonb       NOT NULL,
    metadata        jsonb       NOT NULL,
    -- Assigned at insert, not at commit: on its own it is NOT a safe reading order.
    global_position bigserial   NOT NULL UNIQUE,
    -- The inserting transaction. Readers follow (transaction_id, global_position) and only read
    -- below pg_snapshot_xmin(pg_current_snapshot()), where no transaction can still commit.
    transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
    -- Start of the inserting transaction: all events of one command share it.
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    -- Optimistic concurrency: two commands deciding on the same version collide here (23505).
    PRIMARY KEY (aggregate_type, aggregate_id, sequence)
);

-- The log reader's order.
CREATE INDEX events_log_order ON events (transaction_id, global_position);

-- Idempotency: the first event of a command carries its client key; a second copy of the
-- command cannot append (23505) and finds the first outcome instead.
CREATE UNIQUE INDEX events_command_key
    ON events (aggregate_type, aggregate_id, (metadata ->> 'command_key'))
    WHERE (metadata ->> 'command_key') IS NOT NULL;

-- The log is append-only. These triggers guard against mistakes; a role that only has
-- INSERT and SELECT on the table is the stronger guard (docs/event-log.md).
CREATE FUNCTION events_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'the events table is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'restrict_violation',
              HINT = 'events are never changed; append a correcting event instead';
END;
$$;

CREATE TRIGGER events_no_update
    BEFORE UPDATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_refuse_change();

CREATE TRIGGER events_no_delete
    BEFORE DELETE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_refuse_change();

CREATE TRIGGER events_no_truncate
    BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_refuse_change();

-- Wake log readers on other nodes. NOTIFY is delivered at commit, and PostgreSQL folds
-- identical notifications of one transaction into one.
CREATE FUNCTION events_notify() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    PERFORM pg_notify('guanjia_events', '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER events_notify
    AFTER INSERT ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_notify();

-- Aggregate snapshots written by guanjia-store (not cqrs-es's snapshot store). A cache:
-- rows are replaced, and a row whose state_version differs from the program's is ignored.
CREATE TABLE snapshots
(
    aggregate_type text        NOT NULL,
    aggregate_id   text        NOT NULL,
    last_sequence  bigint      NOT NULL CHECK (last_sequence >= 1),
    state_version  integer     NOT NULL,
    payload        jsonb       NOT NULL,
    taken_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (aggregate_type, aggregate_id)
);
