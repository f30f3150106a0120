-- The hash chain over the global log (crates/store/src/chain.rs): one row per event, in log
-- order, holding SHA-256(previous hash || canonical encoding of the event). Append-only like
-- the events it vouches for.
CREATE TABLE event_chain
(
    global_position INTEGER PRIMARY KEY,
    hash            TEXT NOT NULL,
    chained_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE TRIGGER event_chain_no_update
    BEFORE UPDATE ON event_chain
BEGIN
    SELECT RAISE(ABORT, 'the event_chain table is append-only: UPDATE is not allowed');
END;

CREATE TRIGGER event_chain_no_delete
    BEFORE DELETE ON event_chain
BEGIN
    SELECT RAISE(ABORT, 'the event_chain table is append-only: DELETE is not allowed');
END;
