-- Keys of the read-model snapshots (crates/store/src/model_seal.rs). A node may keep an image of
-- its read model on its own disk to start without replaying the whole log; the image holds
-- personal data, so it is sealed with a key from this table. Erasing anyone's personal data
-- deletes every key (crates/store/src/backend/vault.rs), which makes every image taken before
-- the erasure unreadable, wherever it was copied. `head` is the log's committed head when the
-- key was made: an image of an earlier position may not use it (it could predate an erasure
-- that deleted the keys before this one). NOT append-only.
CREATE TABLE read_model_keys
(
    id         bigserial   PRIMARY KEY,
    key        bytea       NOT NULL,
    head       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
