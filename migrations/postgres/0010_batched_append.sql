-- Appends in batches: the commands waiting at a moment are appended by one call of
-- `guanjia_append`, in one round trip and one commit, instead of BEGIN, INSERT, COMMIT and a
-- read-back of the position for each (crates/store/src/backend/group_commit.rs,
-- docs/event-log.md "Appending", docs/benchmarks.md).
--
-- The arguments are the events of the batch as parallel arrays, command after command;
-- `command_sizes` says how many events each command has. The result is one row per command, in
-- order: the log position of its last event, or why it was not appended (`refusal`):
-- 'conflict' when its sequence or its command key is taken (the optimistic lock), otherwise
-- the error's SQLSTATE and message.
--
-- Each command is inserted in a subtransaction of its own (the EXCEPTION block), so it stays
-- all-or-nothing and a refused command leaves the others of the batch in place.
--
-- The reader's horizon (migration 0007, crates/store/src/backend/postgres/horizon.rs) relies
-- on every event writer holding its lock on `events` from before its transaction has an id
-- to its end, and `events_appended_first` on the mark that the transaction appends events.
-- Both are taken here first, outside the subtransactions: a lock or a setting taken inside one
-- would be given back when it is rolled back, and a batch whose first command is refused
-- would leave a transaction with an id, no lock on `events` and events still to come.

CREATE FUNCTION guanjia_append(
    aggregate_types text[],
    aggregate_ids   text[],
    sequences       bigint[],
    event_types     text[],
    event_versions  text[],
    payloads        jsonb[],
    metadatas       jsonb[],
    command_sizes   int[]
)
    RETURNS TABLE (log_transaction bigint, last_position bigint, refusal text)
    LANGUAGE plpgsql VOLATILE AS
$$
DECLARE
    low  int := 1;
    high int;
BEGIN
    LOCK TABLE events IN ROW EXCLUSIVE MODE;
    PERFORM set_config('guanjia.appending_events', 'on', true);
    FOR command IN 1 .. coalesce(array_length(command_sizes, 1), 0) LOOP
        high := low + command_sizes[command] - 1;
        BEGIN
            RETURN QUERY
                WITH inserted AS (
                    INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type,
                                        event_version, payload, metadata)
                    SELECT * FROM unnest(aggregate_types[low:high], aggregate_ids[low:high],
                                         sequences[low:high], event_types[low:high],
                                         event_versions[low:high], payloads[low:high],
                                         metadatas[low:high])
                    RETURNING events.transaction_id, events.global_position
                )
                SELECT max(inserted.transaction_id), max(inserted.global_position), NULL::text
                FROM inserted;
        EXCEPTION
            WHEN unique_violation THEN
                RETURN QUERY SELECT NULL::bigint, NULL::bigint, 'conflict'::text;
            WHEN OTHERS THEN
                RETURN QUERY SELECT NULL::bigint, NULL::bigint, SQLSTATE || ' ' || SQLERRM;
        END;
        low := high + 1;
    END LOOP;
END;
$$;
