//! The conformance suite of the event log: every test runs on SQLite and on PostgreSQL.
//!
//! Each module writes its tests as plain `async fn name(db: TestDatabase) -> anyhow::Result<()>`
//! and lists them in `on_both_backends!`, which generates `sqlite::name` and `postgres::name`.
//! A fresh database per test comes from `guanjia_store::testing`; PostgreSQL comes from
//! `DATABASE_URL`, else a throwaway cluster, else the test fails with instructions.

/// Generates a `sqlite` and a `postgres` test module running each listed test function.
macro_rules! on_both_backends {
    ($($test:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $test() -> anyhow::Result<()> {
                    super::$test(guanjia_store::testing::TestDatabase::sqlite()).await
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $test() -> anyhow::Result<()> {
                    super::$test(guanjia_store::testing::TestDatabase::postgres().await).await
                }
            )+
        }
    };
}

mod support;

mod append;
mod audit;
mod cases;
mod chain;
mod conflict;
mod horizon;
mod idempotency;
mod metrics;
mod migrations;
mod model_seal;
mod nodes;
mod numeric_order;
mod ordering;
mod personal;
mod snapshots;
mod triggers;
