//! `backup`: a consistent copy that opens and holds the same events; never over a file.

use crate::helpers::{all_events, Guanjia};

#[tokio::test]
async fn a_backup_opens_and_has_the_same_events() {
    let guanjia = Guanjia::with_demo();
    // As `serve` leaves it on SQLite without GUANJIA_TOKEN_SECRET.
    std::fs::write(guanjia.path("guanjia.db.token-key"), "k".repeat(64)).expect("a key file");
    let target = guanjia.path("backup.db");
    let target_text = target.display().to_string();
    let ran = guanjia.run(&["backup", "--to", &target_text]).ok();
    assert!(ran.stdout.contains("Backed up"), "{}", ran.stdout);
    assert!(
        guanjia.path("backup.db.token-key").exists(),
        "the token key travels with it"
    );

    let original = all_events(&guanjia.store().await).await;
    let copy = guanjia_store::Store::open(&format!("sqlite://{target_text}"), Default::default())
        .await
        .expect("the backup opens");
    assert_eq!(all_events(&copy).await, original);
    copy.close().await;

    let again = guanjia.run(&["backup", "--to", &target_text]);
    assert_eq!(again.code, Some(1));
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
}

#[test]
fn a_missing_database_is_not_created_by_a_backup() {
    let guanjia = Guanjia::new();
    let target = guanjia.path("backup.db").display().to_string();
    let ran = guanjia.run(&["backup", "--to", &target]);
    assert_eq!(ran.code, Some(1));
    assert!(!guanjia.db_path().exists());
}
