-- The hash chain, numbered (as on PostgreSQL, migration 0007 there): no count of the table to
-- find the head, and a format per link so that links made before this migration still verify.
-- `transaction_id` is always 0 on SQLite, where the global position alone is the log order.
CREATE TABLE log_chain
(
    link            INTEGER PRIMARY KEY CHECK (link >= 1),
    transaction_id  INTEGER NOT NULL DEFAULT 0,
    global_position INTEGER NOT NULL UNIQUE,
    format          INTEGER NOT NULL CHECK (format IN (1, 2)),
    hash            TEXT    NOT NULL,
    chained_at      TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

INSERT INTO log_chain (link, transaction_id, global_position, format, hash, chained_at)
SELECT row_number() OVER (ORDER BY global_position), 0, global_position, 1, hash, chained_at
FROM event_chain;

DROP TABLE event_chain;

CREATE TRIGGER log_chain_no_update
    BEFORE UPDATE ON log_chain
BEGIN
    SELECT RAISE(ABORT, 'the log_chain table is append-only: UPDATE is not allowed');
END;

CREATE TRIGGER log_chain_no_delete
    BEFORE DELETE ON log_chain
BEGIN
    SELECT RAISE(ABORT, 'the log_chain table is append-only: DELETE is not allowed');
END;
