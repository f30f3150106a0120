//! `schema.graphql` at the repository root is the schema the code builds. `UPDATE_SCHEMA=1`
//! rewrites it; without it, any difference fails with instructions.

use std::path::PathBuf;

#[test]
fn the_committed_schema_matches_the_code() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../schema.graphql");
    let generated = guanjia_api::graphql::sdl();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).expect("schema.graphql is writable");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "schema.graphql differs from the schema the code builds.\n\
         If the change is intended, run: UPDATE_SCHEMA=1 cargo test -p guanjia-api --test api schema_file\n\
         (or: cargo run -- schema > schema.graphql) and commit the file."
    );
}
