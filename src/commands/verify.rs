//! `guanjia verify`: the tamper-evident hash chain, from the command line of an auditor or an
//! operator.
//!
//! The chain is extended first (events appended since the last run get their links), then
//! recomputed from the events and compared link by link. The first event that no longer
//! matches — altered, deleted or slipped in, even by someone who disabled the append-only
//! triggers — is named, and the exit status is 3 so that scripts and monitoring notice.
//! `--head` also proves that the log still extends a head exported earlier; `--export-head`
//! prints the current head line after a successful check.

use std::fmt;

use anyhow::Context;
use guanjia_store::{ChainHead, ChainProblem, LogPosition, Store, StoredEvent};

use super::support::open_store;
use crate::cli::VerifyArgs;
use crate::settings::Settings;

/// The error that makes the process exit with status 3: the log was altered.
#[derive(Debug)]
pub struct ChainBroken(pub String);

impl fmt::Display for ChainBroken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ChainBroken {}

/// Runs the check.
pub async fn run(settings: &Settings, args: &VerifyArgs) -> anyhow::Result<()> {
    let head = args
        .head
        .as_deref()
        .map(|line| line.trim().parse::<ChainHead>())
        .transpose()
        .context("--head is not an exported chain head")?;
    let store = open_store(settings).await?;
    let outcome = check(&store, head.as_ref(), args.export_head).await;
    store.close().await;
    outcome
}

async fn check(store: &Store, exported: Option<&ChainHead>, export: bool) -> anyhow::Result<()> {
    store
        .extend_chain()
        .await
        .context("cannot extend the hash chain")?;
    let report = match exported {
        Some(head) => store.verify_extends(head).await,
        None => store.verify_chain().await,
    }
    .context("cannot verify the hash chain")?;
    if let Some(problem) = &report.problem {
        let about = match problem {
            ChainProblem::Altered { position } | ChainProblem::Unchained { position } => {
                describe(store, *position).await
            }
            ChainProblem::Missing { .. } | ChainProblem::HeadNotFound { .. } => String::new(),
        };
        return Err(ChainBroken(format!(
            "the log is NOT intact: {problem}{about}; {} events before it verified",
            report.verified
        ))
        .into());
    }
    let head = report.head.as_ref();
    if export {
        match head {
            Some(head) => println!("{head}"),
            None => anyhow::bail!("the log is empty: there is no head to export"),
        }
        return Ok(());
    }
    println!("The log is intact: {} events verified.", report.verified);
    if let Some(head) = head {
        println!("Head: {head}");
    }
    if let Some(exported) = exported {
        println!(
            "It still extends the exported head at {}.",
            exported.position
        );
    }
    Ok(())
}

/// " (aggregate id, sequence, event type)" of the event at `position`, to find it by.
async fn describe(store: &Store, position: LogPosition) -> String {
    let (transaction, global) = position.parts();
    let before = LogPosition::from_parts(transaction, global.saturating_sub(1));
    match store.read_after(before, 1).await {
        Ok(events) => match events.first() {
            Some(event) if event.position == position => about(event),
            _ => String::new(),
        },
        Err(_) => String::new(),
    }
}

fn about(event: &StoredEvent) -> String {
    format!(
        " ({} {} sequence {}, {})",
        event.aggregate_type, event.aggregate_id, event.sequence, event.event_type
    )
}
