//! What depends on the storage, on PostgreSQL: the demo and its dashboard, verify and
//! tampering, catalog import, and the portable backup's refusals (a cut file, a database that
//! is not empty). The restore onto another cluster is `faults/restore.rs`.

use guanjia_domain::catalog::{ServiceCatalog, DEFAULT_CATALOG_ID};
use guanjia_store::testing::TestDatabase;
use sqlx::{Connection, PgConnection};

use crate::demo::dashboard_2023;
use crate::helpers::{write, Guanjia};
use crate::verify::BROKEN;

async fn on_postgres() -> (TestDatabase, Guanjia) {
    let database = TestDatabase::postgres().await;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut guanjia = Guanjia::at(dir, database.url().to_owned());
    guanjia
        .env
        .push(("GUANJIA_TOKEN_SECRET".into(), "k".repeat(40)));
    (database, guanjia)
}

#[tokio::test]
async fn demo_dashboard_and_verify_on_postgres() {
    let (_database, guanjia) = on_postgres().await;
    guanjia.run(&["demo", "--today", "2026-11-27"]).ok();
    let store = guanjia.store().await;
    assert_eq!(dashboard_2023(&store).await, (12, 9, 13));
    store.close().await;
    assert!(guanjia.run(&["replay"]).ok().stdout.contains("Cases: 60"));

    let ran = guanjia.run(&["verify"]).ok();
    assert!(ran.stdout.contains("The log is intact"), "{}", ran.stdout);
    let mut db = PgConnection::connect(&guanjia.url).await.expect("raw SQL");
    sqlx::query("ALTER TABLE events DISABLE TRIGGER events_no_update")
        .execute(&mut db)
        .await
        .expect("disable the trigger");
    let position: String = sqlx::query_scalar(
        "UPDATE events SET payload = payload || '{\"tampered\": 1}'::jsonb WHERE global_position = \
         (SELECT global_position FROM events ORDER BY transaction_id, global_position OFFSET 99 LIMIT 1) \
         RETURNING transaction_id::text || '-' || global_position::text",
    )
    .fetch_one(&mut db)
    .await
    .expect("tamper");
    db.close().await.expect("close");
    let ran = guanjia.run(&["verify"]);
    assert_eq!(ran.code, BROKEN, "{}", ran.stderr);
    assert!(
        ran.stderr
            .contains(&format!("event {position} was altered")),
        "{position}: {}",
        ran.stderr
    );
}

#[tokio::test]
async fn catalog_import_on_postgres() {
    let (_database, guanjia) = on_postgres().await;
    let file = write(
        guanjia.dir.path(),
        "catalog.csv",
        "kind,code,name,basic_code,item_type,department,statutory_limit_days,promised_limit_days,onsite_trips,required_materials,item_codes\n\
         item,P-1,取水许可,B-1,行政许可,水利局,20,10,1,申请书,\n\
         item,P-2,取水许可变更,B-2,行政许可,水利局,20,30,1,申请书,\n",
    );
    let ran = guanjia.run(&["catalog", "import", &file]);
    assert_eq!(ran.code, Some(1));
    assert!(
        ran.stderr.contains("line 3: promised_limit_days"),
        "{}",
        ran.stderr
    );
    let fixed = std::fs::read_to_string(&file)
        .expect("read")
        .replace("20,30,1", "20,15,1");
    let file = write(guanjia.dir.path(), "fixed.csv", &fixed);
    guanjia.run(&["catalog", "import", &file]).ok();
    let store = guanjia.store().await;
    let catalog = store
        .load::<ServiceCatalog>(DEFAULT_CATALOG_ID)
        .await
        .expect("load")
        .state;
    assert!(catalog.current_item("P-1").is_some() && catalog.current_item("P-2").is_some());
    store.close().await;
}

#[tokio::test]
async fn a_portable_backup_refuses_a_cut_file_and_a_database_that_is_not_empty() {
    let (_database, guanjia) = on_postgres().await;
    guanjia.run(&["demo", "--today", "2026-11-27"]).ok();
    let target = guanjia.path("guanjia.backup").display().to_string();
    let ran = guanjia.run(&["backup", "--to", &target]).ok();
    let store = guanjia.store().await;
    let events = crate::helpers::all_events(&store).await.len();
    store.close().await;
    assert!(
        ran.stdout.contains(&format!("Backed up {events} events")),
        "the whole log of {events} events: {}",
        ran.stdout
    );
    let again = guanjia.run(&["backup", "--to", &target]);
    assert_eq!(again.code, Some(1));
    assert!(
        again.stderr.contains("never overwrites"),
        "{}",
        again.stderr
    );

    // Into the database it came from: not empty, nothing written.
    let refused = guanjia.run(&["restore", "--from", &target]);
    assert_eq!(refused.code, Some(1));
    assert!(
        refused.stderr.contains("restore into an empty database"),
        "{}",
        refused.stderr
    );

    // A cut copy is refused before anything is committed, into an empty database.
    let (_empty, fresh) = on_postgres().await;
    let text = std::fs::read_to_string(&target).expect("the backup");
    let cut: String = text
        .lines()
        .take(40)
        .map(|line| format!("{line}\n"))
        .collect();
    let cut_file = write(fresh.dir.path(), "cut.backup", &cut);
    let refused = fresh.run(&["restore", "--from", &cut_file]);
    assert_eq!(refused.code, Some(1));
    assert!(refused.stderr.contains("it was cut"), "{}", refused.stderr);
    let store = fresh.store().await;
    assert_eq!(
        store.head().await.expect("the head"),
        guanjia_store::LogPosition::START
    );
    store.close().await;
}
