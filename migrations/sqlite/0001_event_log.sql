-- The event log of Guanjia on SQLite. See docs/event-log.md.
--
-- `events` is the table sqlite-es writes (it inserts aggregate_type, aggregate_id, sequence,
-- event_type, event_version, payload, metadata); the other columns are filled by defaults.

CREATE TABLE events
(
    -- The global order. SQLite has one writer at a time and assigns this inside the write
    -- transaction, so it is commit order. AUTOINCREMENT: never reused.
    global_position INTEGER PRIMARY KEY AUTOINCREMENT,
    aggregate_type  TEXT    NOT NULL,
    aggregate_id    TEXT    NOT NULL,
    sequence        INTEGER NOT NULL CHECK (sequence >= 1),
    event_type      TEXT    NOT NULL,
    event_version   TEXT    NOT NULL,
    payload         TEXT    NOT NULL CHECK (json_valid(payload)),
    metadata        TEXT    NOT NULL CHECK (json_valid(metadata)),
    recorded_at     TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    -- Optimistic concurrency. A UNIQUE constraint, not the primary key, so a collision is
    -- SQLITE_CONSTRAINT_UNIQUE (2067): sqlite-es only recognises 1555, so guanjia-store
    -- classifies the error itself.
    UNIQUE (aggregate_type, aggregate_id, sequence)
) STRICT;

-- Idempotency: the first event of a command carries its client key.
CREATE UNIQUE INDEX events_command_key
    ON events (aggregate_type, aggregate_id, metadata ->> 'command_key')
    WHERE metadata ->> 'command_key' IS NOT NULL;

-- The log is append-only. (SQLite has no TRUNCATE; a trigger also disables its
-- "DELETE without WHERE" truncate optimisation.)
CREATE TRIGGER events_no_update
    BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'the events table is append-only: UPDATE is not allowed');
END;

CREATE TRIGGER events_no_delete
    BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'the events table is append-only: DELETE is not allowed');
END;

-- Aggregate snapshots written by guanjia-store. A cache: rows are replaced, and a row whose
-- state_version differs from the program's is ignored.
CREATE TABLE snapshots
(
    aggregate_type TEXT    NOT NULL,
    aggregate_id   TEXT    NOT NULL,
    last_sequence  INTEGER NOT NULL CHECK (last_sequence >= 1),
    state_version  INTEGER NOT NULL,
    payload        TEXT    NOT NULL CHECK (json_valid(payload)),
    taken_at       TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (aggregate_type, aggregate_id)
) STRICT;
