//! The SQLite file held by another process (a backup tool, an operator's `sqlite3` shell left
//! in a transaction): writes wait the busy timeout, then are refused as retryable — never an
//! internal error — and once the lock goes, the same client key writes exactly once and the
//! node serves on without a restart.

use sqlx::{Connection, Executor, SqliteConnection};

use super::{add_note, leader, notes, readiness, register};
use crate::helpers::Guanjia;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_sqlite_file_refuses_writes_as_retryable_and_recovers() {
    let guanjia = Guanjia::new();
    let server = guanjia.serve(&["--no-demo"]);
    let token = leader(&server).await;
    let case = register(&server, &token, "安康恒口锁库测试有限公司").await;
    add_note(&server, &token, &case, "before")
        .await
        .expect("a note before the lock");

    let mut other = SqliteConnection::connect(&format!("sqlite://{}", guanjia.db_path().display()))
        .await
        .expect("a second connection to the file");
    other
        .execute("BEGIN EXCLUSIVE")
        .await
        .expect("the other process takes the write lock");

    let refused = add_note(&server, &token, &case, "during").await;
    assert_eq!(
        refused,
        Err("SERVICE_UNAVAILABLE".to_owned()),
        "a write while the file is locked is refused as retryable"
    );

    other
        .execute("ROLLBACK")
        .await
        .expect("the lock is released");
    other.close().await.expect("closed");

    add_note(&server, &token, &case, "during")
        .await
        .expect("the same key writes once the lock is gone");
    add_note(&server, &token, &case, "during")
        .await
        .expect("and a retry of it answers the same outcome");
    assert_eq!(
        notes(&server, &token, &case).await,
        2,
        "the note before the lock and the retried one, once"
    );
    assert_eq!(readiness(&server).await.0, 200, "the node is ready");
}
