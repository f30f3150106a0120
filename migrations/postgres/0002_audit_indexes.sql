-- Indexes for the audit query (crates/store/src/backend/audit.rs): by actor and by time.
-- Filtering by aggregate uses the primary key; by event type is rare enough to scan.
CREATE INDEX events_actor ON events ((metadata ->> 'actor_id'), transaction_id, global_position);
CREATE INDEX events_recorded_at ON events (recorded_at);
