-- The hash chain over the global log (crates/store/src/chain.rs): one row per event, in log
-- order, holding SHA-256(previous hash || canonical encoding of the event). Append-only like
-- the events it vouches for.
CREATE TABLE event_chain
(
    transaction_id  xid8   NOT NULL,
    global_position bigint NOT NULL,
    hash            text   NOT NULL,
    chained_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (transaction_id, global_position)
);

CREATE FUNCTION event_chain_append_only() RETURNS trigger LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'the event_chain table is append-only: % is not allowed', TG_OP;
END;
$$;

CREATE TRIGGER event_chain_no_update_delete
    BEFORE UPDATE OR DELETE ON event_chain
    FOR EACH ROW EXECUTE FUNCTION event_chain_append_only();

CREATE TRIGGER event_chain_no_truncate
    BEFORE TRUNCATE ON event_chain
    FOR EACH STATEMENT EXECUTE FUNCTION event_chain_append_only();
