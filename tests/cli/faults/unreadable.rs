//! One bad row, inserted behind the service's back — a payload that does not decode as its
//! event, metadata whose actor is a number: the node stays up and serves what it has,
//! `/readyz`, the record's mutations and `guanjia verify` name the position; an administrator
//! quarantines each row with `guanjia quarantine` (a row that reads fine is refused); then the
//! node goes on by itself, a second node starts and follows, and the audit history holds the
//! quarantines. On SQLite and PostgreSQL.

use guanjia_store::testing::TestDatabase;
use guanjia_store::{Backend, LogPosition};
use sqlx::{Connection, Executor};

use super::{add_note, eventually, guanjia_on, leader, notes, readiness, register};
use crate::helpers::{Guanjia, Server, ADMIN_PASSWORD};

/// Inserts a row by raw SQL and returns its position.
async fn insert(
    db: &TestDatabase,
    case: &str,
    sequence: u64,
    payload: &str,
    metadata: &str,
) -> LogPosition {
    let sql = format!(
        "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, event_version, \
         payload, metadata) VALUES ('enterprise_case', '{case}', {sequence}, 'NoteAdded', '1', \
         '{payload}', '{metadata}')"
    );
    let position = format!(
        "SELECT {} AS position FROM events WHERE aggregate_id = '{case}' AND sequence = {sequence}",
        match db.backend() {
            Backend::Postgres => "transaction_id::text || '-' || global_position::text",
            Backend::Sqlite => "'0-' || global_position",
        }
    );
    let text: String = match db.backend() {
        Backend::Postgres => {
            let mut connection = sqlx::PgConnection::connect(db.url())
                .await
                .expect("raw SQL");
            connection.execute(sql.as_str()).await.expect("inserted");
            sqlx::query_scalar(&position)
                .fetch_one(&mut connection)
                .await
                .expect("its position")
        }
        Backend::Sqlite => {
            let mut connection = sqlx::SqliteConnection::connect(db.url())
                .await
                .expect("raw SQL");
            connection.execute(sql.as_str()).await.expect("inserted");
            sqlx::query_scalar(&position)
                .fetch_one(&mut connection)
                .await
                .expect("its position")
        }
    };
    text.parse().expect("a position")
}

/// The position of the log's first event (a row that reads fine).
async fn first_position(db: &TestDatabase) -> LogPosition {
    let store = db.open().await.expect("the store");
    let first = store
        .read_after(LogPosition::START, 1)
        .await
        .expect("the log");
    store.close().await;
    first.first().map(|event| event.position).expect("an event")
}

/// Waits until `/readyz` says the node is blocked at `position`.
async fn blocked_at(server: &Server, position: LogPosition) {
    eventually(&format!("the node names {position}"), 60, || async {
        let (code, body) = readiness(server).await;
        code == 503
            && body["status"] == "blocked"
            && body["read_model"]["blocked_at"] == position.to_string()
    })
    .await;
}

async fn one_bad_row_is_quarantined_on_the_record(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let guanjia: Guanjia = guanjia_on(db.url());
    let first = guanjia.serve(&["--no-demo"]);
    let token = leader(&first).await;
    let case = register(&first, &token, "安康恒口坏行测试有限公司").await;
    let other = register(&first, &token, "安康恒口另一家有限公司").await;
    for n in 0..2 {
        add_note(&first, &token, &case, &format!("n-{n}"))
            .await
            .expect("a note");
    }
    assert_eq!(notes(&first, &token, &case).await, 2);

    let bad_payload = insert(
        &db,
        &case,
        5,
        r#"{"NoteAdded": {"no_such_field": true}}"#,
        r#"{"actor_id": "li.ming"}"#,
    )
    .await;
    let bad_metadata = insert(
        &db,
        &other,
        3,
        r#"{"NoteAdded": {"note_no": 1, "text": "手写", "author": "li.ming"}}"#,
        r#"{"actor_id": 5}"#,
    )
    .await;

    // The node stays up, serves what it has, and names the first bad row.
    blocked_at(&first, bad_payload).await;
    assert_eq!(notes(&first, &token, &case).await, 2);
    let refused = add_note(&first, &token, &case, "after").await;
    assert_eq!(refused, Err("UNREADABLE_HISTORY".to_owned()));
    let verify = guanjia.run(&["verify"]);
    assert_eq!(verify.code, Some(4), "{}\n{}", verify.stdout, verify.stderr);
    for position in [bad_payload, bad_metadata] {
        assert!(
            verify.stderr.contains(&format!("event {position}")),
            "{}",
            verify.stderr
        );
    }

    // A row that reads fine is not quarantined; the bad ones are, with a reason.
    let fine = guanjia.run(&[
        "quarantine",
        &first_position(&db).await.to_string(),
        "--reason",
        "r",
    ]);
    assert_ne!(fine.code, Some(0));
    assert!(fine.stderr.contains("reads fine"), "{}", fine.stderr);
    let reason = "hand-written row; its content is kept in ticket 42";
    let done = guanjia
        .run(&["quarantine", &bad_payload.to_string(), "--reason", reason])
        .ok();
    assert!(
        done.stdout.contains("Quarantined the event"),
        "{}",
        done.stdout
    );
    blocked_at(&first, bad_metadata).await;
    guanjia
        .run(&["quarantine", &bad_metadata.to_string(), "--reason", reason])
        .ok();
    eventually("the node is ready again", 60, || async {
        readiness(&first).await.0 == 200
    })
    .await;
    guanjia.run(&["verify"]).ok();

    // A second node starts on the same log and both follow.
    let second = guanjia.serve(&["--no-demo"]);
    eventually("the second node is ready", 60, || async {
        readiness(&second).await.0 == 200
    })
    .await;
    add_note(&second, &token, &case, "after-quarantine")
        .await
        .expect("a note");
    eventually("the first node reads the second's note", 60, || async {
        notes(&first, &token, &case).await == 3
    })
    .await;

    // The audit history holds both quarantines, with who and why.
    let admin = first.login("admin", ADMIN_PASSWORD).await;
    let created = first
        .graphql(
            "mutation { createUser(input: {username: \"audit.li\", displayName: \"李审计\", \
             role: AUDITOR, division: \"610902000000\", password: \"audit-li-password\"}) \
             { username } }",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(
        created["data"]["createUser"]["username"], "audit.li",
        "{created}"
    );
    let auditor = first.login("audit.li", "audit-li-password").await;
    let history = first
        .graphql(
            "{ auditHistory(filter: {eventType: \"EventQuarantined\"}) \
             { edges { node { actor payload } } } }",
            Some(&auditor),
            None,
        )
        .await;
    let edges = history["data"]["auditHistory"]["edges"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(edges.len(), 2, "{history}");
    for node in edges.iter().map(|edge| &edge["node"]) {
        assert!(
            node["actor"]
                .as_str()
                .is_some_and(|a| a.starts_with("cli:")),
            "{node}"
        );
        assert!(node.to_string().contains(reason), "{node}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_bad_row_is_quarantined_on_the_record_on_sqlite() {
    one_bad_row_is_quarantined_on_the_record(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_bad_row_is_quarantined_on_the_record_on_postgres() {
    one_bad_row_is_quarantined_on_the_record(Backend::Postgres).await;
}
