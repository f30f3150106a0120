//! Rebuild when a migration changes: `sqlx::migrate!` embeds the SQL files at compile time,
//! and cargo does not otherwise know that the crate depends on them.

fn main() {
    println!("cargo:rerun-if-changed=../../migrations");
}
