-- "Who read this case's personal data?" (crates/store/src/backend/audit.rs, `read_of_case`):
-- the access log has one stream per reader, so the case is found in the payload of its
-- PersonalDataRead events. Only access_log rows are indexed.
CREATE INDEX events_access_case ON events
    ((payload -> 'PersonalDataRead' ->> 'case_id'), transaction_id, global_position)
    WHERE aggregate_type = 'access_log';
