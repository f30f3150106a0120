-- The key vault of personal data (crates/store/src/vault.rs): one random AEAD key per data
-- subject (`case:<id>:contact`, `case:<id>:rating:<n>`, `case:<id>:complaint:<n>`, a `~<g>`
-- suffix for data recorded after an erasure). Personal fields in the event log are sealed with
-- these keys. NOT append-only: erasure sets `key` to NULL (crypto-shredding) and keeps the row
-- as a tombstone with `erased_at`.
CREATE TABLE personal_keys
(
    subject    TEXT PRIMARY KEY,
    key        BLOB,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    erased_at  TEXT,
    CHECK ((key IS NULL) = (erased_at IS NOT NULL))
) STRICT;
