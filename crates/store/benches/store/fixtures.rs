//! What every figure needs: the case commands and their metadata, and plain sqlx pools on the
//! same database for the raw baselines.
//!
//! The raw pools are configured like the store's own (sqlx pool defaults; on SQLite WAL, one
//! writer connection and `query_only` readers), so a ratio measures the store's work, not a
//! difference in connection settings.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use guanjia_domain::case::commands::EnterpriseInput;
use guanjia_domain::case::model::{LeadSource, Stage};
use guanjia_domain::case::{CaseCommand, CaseEvent, CaseServices};
use guanjia_domain::clock::SystemClock;
use guanjia_store::{Backend, CommandContext, EventMetadata};
use serde_json::Value;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
use sqlx::Row;

/// `EnterpriseCase::TYPE`, for raw rows.
pub const CASE_TYPE: &str = "enterprise_case";

/// A note as a steward would write it after a visit (about 60 characters).
const NOTE: &str = "走访记录：企业反映用地手续进展顺利，施工许可材料已备齐，下周陪同企业到政务服务中心窗口提交申请，\
                    并协调供电公司提前勘查临时用电方案。";

pub fn services() -> CaseServices {
    CaseServices::new(Arc::new(SystemClock))
}

pub fn context() -> CommandContext {
    CommandContext::new(metadata())
}

fn metadata() -> EventMetadata {
    EventMetadata {
        actor_id: "u-bench".to_owned(),
        actor_role: "steward".to_owned(),
        correlation_id: "0190c6a4-7b1e-7d2a-9f00-000000000001".to_owned(),
        causation_id: "0190c6a4-7b1e-7d2a-9f00-000000000002".to_owned(),
        request_id: "0190c6a4-7b1e-7d2a-9f00-000000000002".to_owned(),
        channel: "graphql".to_owned(),
    }
}

/// The metadata column of a one-event command, as the store writes it.
pub fn stored_metadata() -> Value {
    let mut value = serde_json::to_value(metadata()).unwrap_or_default();
    if let Value::Object(map) = &mut value {
        map.insert("command_events".to_owned(), Value::from("1"));
    }
    value
}

/// Registers a case without a USCC (the bench is not about the cross-case rules).
pub fn register(serial: u64) -> CaseCommand {
    CaseCommand::Register {
        case_number: format!("2024-{:04}", serial % 9999 + 1),
        enterprise: EnterpriseInput {
            name: "安康恒口新材料有限公司".to_owned(),
            uscc: None,
            division: "610902100000".to_owned(),
            address: Some("恒口示范区工业园".to_owned()),
            contact_name: Some("王经理".to_owned()),
            contact_phone: None,
        },
        lead_source: LeadSource::InvestmentPromotion,
        stage: Stage::Establishment,
        registered_on: None,
    }
}

pub fn note() -> CaseCommand {
    CaseCommand::AddNote {
        text: NOTE.to_owned(),
    }
}

/// The payload `AddNote` appends, for raw rows.
pub fn note_payload(note_no: u64) -> Value {
    let event = CaseEvent::NoteAdded {
        note_no: u32::try_from(note_no).unwrap_or(u32::MAX),
        text: NOTE.to_owned(),
    };
    serde_json::to_value(event).unwrap_or_default()
}

/// Plain sqlx on the bench database: the baselines.
#[derive(Clone)]
pub enum Raw {
    Postgres(PgPool),
    Sqlite { write: SqlitePool, read: SqlitePool },
}

impl Raw {
    pub async fn connect(url: &str, backend: Backend, connections: u32) -> anyhow::Result<Self> {
        Ok(match backend {
            Backend::Postgres => Self::Postgres(
                PgPoolOptions::new()
                    .max_connections(connections)
                    .connect_with(PgConnectOptions::from_str(url)?)
                    .await?,
            ),
            Backend::Sqlite => {
                let base = SqliteConnectOptions::from_str(url)?
                    .journal_mode(SqliteJournalMode::Wal)
                    .busy_timeout(Duration::from_secs(5));
                let write = SqlitePoolOptions::new()
                    .max_connections(1)
                    .connect_with(base.clone())
                    .await?;
                let read = SqlitePoolOptions::new()
                    .max_connections(connections)
                    .connect_with(base.pragma("query_only", "ON"))
                    .await?;
                Self::Sqlite { write, read }
            }
        })
    }

    /// The raw access pattern of one command: SELECT the stream, then BEGIN; INSERT the next
    /// event; COMMIT.
    pub async fn command(&self, aggregate_id: &str, metadata: &Value) -> anyhow::Result<()> {
        let stream = self.stream(aggregate_id).await?;
        let next = stream.last().map_or(1, |(sequence, _)| sequence + 1);
        let payload = note_payload(u64::try_from(next)?);
        let insert = "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, \
                      event_version, payload, metadata) VALUES ($1, $2, $3, $4, $5, $6, $7)";
        match self {
            Self::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                sqlx::query(insert)
                    .bind(CASE_TYPE)
                    .bind(aggregate_id)
                    .bind(next)
                    .bind("NoteAdded")
                    .bind("1")
                    .bind(&payload)
                    .bind(metadata)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
            }
            Self::Sqlite { write, .. } => {
                let mut tx = write.begin().await?;
                sqlx::query(insert)
                    .bind(CASE_TYPE)
                    .bind(aggregate_id)
                    .bind(next)
                    .bind("NoteAdded")
                    .bind("1")
                    .bind(&payload)
                    .bind(metadata)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
            }
        }
        Ok(())
    }

    /// All events of one case, decoded only as far as sqlx decodes columns.
    pub async fn stream(&self, aggregate_id: &str) -> anyhow::Result<Vec<(i64, Value)>> {
        let select = "SELECT sequence, event_type, payload FROM events \
                      WHERE aggregate_type = $1 AND aggregate_id = $2 ORDER BY sequence";
        let rows = match self {
            Self::Postgres(pool) => sqlx::query(select)
                .bind(CASE_TYPE)
                .bind(aggregate_id)
                .fetch_all(pool)
                .await?
                .iter()
                .map(|row| Ok((row.try_get(0)?, row.try_get(2)?)))
                .collect::<Result<_, sqlx::Error>>()?,
            Self::Sqlite { read, .. } => sqlx::query(select)
                .bind(CASE_TYPE)
                .bind(aggregate_id)
                .fetch_all(read)
                .await?
                .iter()
                .map(|row| Ok((row.try_get(0)?, row.try_get(2)?)))
                .collect::<Result<_, sqlx::Error>>()?,
        };
        Ok(rows)
    }

    /// The server's version and durability settings, for the report's header.
    pub async fn describe(&self) -> anyhow::Result<String> {
        Ok(match self {
            Self::Postgres(pool) => {
                let version: String = sqlx::query_scalar("SHOW server_version")
                    .fetch_one(pool)
                    .await?;
                let fsync: String = sqlx::query_scalar("SHOW fsync").fetch_one(pool).await?;
                let commit: String = sqlx::query_scalar("SHOW synchronous_commit")
                    .fetch_one(pool)
                    .await?;
                format!("PostgreSQL {version} (fsync={fsync}, synchronous_commit={commit})")
            }
            Self::Sqlite { write, .. } => {
                let version: String = sqlx::query_scalar("SELECT sqlite_version()")
                    .fetch_one(write)
                    .await?;
                let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous")
                    .fetch_one(write)
                    .await?;
                let mode = ["OFF", "NORMAL", "FULL", "EXTRA"]
                    .get(usize::try_from(synchronous).unwrap_or(9))
                    .copied()
                    .unwrap_or("?");
                format!("SQLite {version} (WAL, synchronous={mode})")
            }
        })
    }

    pub async fn close(&self) {
        match self {
            Self::Postgres(pool) => pool.close().await,
            Self::Sqlite { write, read } => {
                write.close().await;
                read.close().await;
            }
        }
    }
}
