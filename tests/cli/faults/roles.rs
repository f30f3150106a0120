//! Two roles on PostgreSQL: the owner migrates, the service runs as a role that can only read
//! and insert where it must — with exactly the GRANTs docs/operations.md gives ("Two roles").
//! A role that lacks one is told which; a role that cannot migrate a schema that needs it is
//! told to run `guanjia migrate` as the owner.

use guanjia_store::testing::TestDatabase;
use sqlx::{Connection, Executor, PgConnection};

use super::{eventually, guanjia_on, leader, readiness, register};

/// The GRANT block of docs/operations.md, for `role` on database `database`.
fn documented_grants(role: &str, database: &str) -> String {
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/operations.md"))
        .expect("docs/operations.md");
    let block = docs
        .split("<!-- service role grants -->")
        .nth(1)
        .and_then(|rest| rest.split("```sql").nth(1))
        .and_then(|rest| rest.split("```").next())
        .expect("docs/operations.md has the service role's grants");
    block
        .replace("guanjia_app", role)
        .replace("DATABASE guanjia ", &format!("DATABASE {database} "))
}

/// A login role of the test's own, dropped with what it was granted when dropped.
struct Role {
    name: String,
    admin_url: String,
}

impl Role {
    async fn create(admin_url: &str) -> Self {
        let name = format!(
            "guanjia_app_{}",
            &uuid::Uuid::new_v4().simple().to_string()[..8]
        );
        let mut admin = PgConnection::connect(admin_url).await.expect("admin");
        admin
            .execute(format!("CREATE ROLE {name} LOGIN").as_str())
            .await
            .expect("a role");
        admin.close().await.expect("closed");
        Self {
            name,
            admin_url: admin_url.to_owned(),
        }
    }

    /// `url` signed in as this role.
    fn url(&self, url: &str) -> String {
        url.replacen("postgres@", &format!("{}@", self.name), 1)
    }

    async fn drop_in(&self, database_url: &str) {
        let mut admin = PgConnection::connect(database_url).await.expect("admin");
        admin
            .execute(format!("DROP OWNED BY {}", self.name).as_str())
            .await
            .expect("privileges dropped");
        admin.close().await.expect("closed");
        let mut admin = PgConnection::connect(&self.admin_url).await.expect("admin");
        admin
            .execute(format!("DROP ROLE {}", self.name).as_str())
            .await
            .expect("role dropped");
        admin.close().await.expect("closed");
    }
}

fn database_name(url: &str) -> String {
    url.rsplit('/')
        .next()
        .unwrap_or_default()
        .split('?')
        .next()
        .unwrap_or_default()
        .to_owned()
}

fn admin_url(url: &str) -> String {
    let name = database_name(url);
    url.replacen(&format!("/{name}"), "/postgres", 1)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_service_runs_with_the_documented_least_privilege_role() {
    let db = TestDatabase::postgres().await;
    guanjia_on(db.url()).run(&["migrate"]).ok();
    let role = Role::create(&admin_url(db.url())).await;
    let mut owner = PgConnection::connect(db.url()).await.expect("the owner");
    owner
        .execute(documented_grants(&role.name, &database_name(db.url())).as_str())
        .await
        .expect("the documented grants apply");
    owner.close().await.expect("closed");

    let service = guanjia_on(&role.url(db.url()));
    let server = service.serve(&["--no-demo"]);
    eventually("ready as the service role", 60, || async {
        readiness(&server).await.0 == 200
    })
    .await;
    let token = leader(&server).await;
    let case = register(&server, &token, "安康恒口最小权限测试有限公司").await;
    super::add_note(&server, &token, &case, "k-1")
        .await
        .expect("a note");
    drop(server);
    service.run(&["verify"]).ok();

    // One grant less: the start says which.
    let mut owner = PgConnection::connect(db.url()).await.expect("the owner");
    owner
        .execute(format!("REVOKE INSERT ON log_chain FROM {}", role.name).as_str())
        .await
        .expect("revoked");
    owner.close().await.expect("closed");
    let refused = service.run(&["serve", "--listen", "127.0.0.1:0", "--no-demo"]);
    assert_ne!(refused.code, Some(0));
    assert!(
        refused.stderr.contains("INSERT on log_chain"),
        "{}",
        refused.stderr
    );
    role.drop_in(db.url()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_role_that_cannot_migrate_is_told_to_run_migrate_as_the_owner() {
    let db = TestDatabase::postgres().await;
    let role = Role::create(&admin_url(db.url())).await;
    let service = guanjia_on(&role.url(db.url()));
    let refused = service.run(&["serve", "--listen", "127.0.0.1:0", "--no-demo"]);
    assert_ne!(refused.code, Some(0));
    assert!(
        refused
            .stderr
            .contains("run `guanjia migrate` as the schema's owner"),
        "{}",
        refused.stderr
    );
    assert!(
        refused.stderr.contains("permission denied"),
        "{}",
        refused.stderr
    );
    role.drop_in(db.url()).await;
}
