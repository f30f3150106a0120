//! The application layer on real databases: every test runs on SQLite and on PostgreSQL.
//!
//! Tests are plain `async fn name(db: TestDatabase) -> anyhow::Result<()>` listed in
//! `on_both_backends!`, which generates `sqlite::name` and `postgres::name`. They read as
//! given–when–then: a world of people and cases (`support.rs`), a use case, what it recorded or
//! the exact refusal.

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

mod catalog;
mod complaints;
mod cross_case;
mod periods;
mod rating_link_record;
mod ratings;
mod registration;
mod reports;
mod team;
mod work;
