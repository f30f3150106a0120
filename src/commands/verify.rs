//! `guanjia verify`: the log's integrity, from the command line of an auditor or an operator.
//!
//! 1. The hash chain is extended (events appended since the last run get their links), then
//!    recomputed from the rows as stored and compared link by link: the first event that no
//!    longer matches — altered, deleted or slipped in, even by someone who disabled the
//!    append-only triggers — is named.
//! 2. The chain must pass through the anchors the server wrote outside the database (the
//!    anchor file, the anchor database): a tail cut off and chained again over an altered
//!    event is caught here, with the position after which history changed.
//! 3. `--head` also proves that the log extends a head exported earlier.
//! 4. Every row must read as an event of its aggregate: an unreadable row is named with what
//!    to do about it (`guanjia quarantine`); quarantined rows are listed.
//!
//! Exit status 3 when the log was altered, 4 when it holds unreadable rows not quarantined.

use std::fmt;

use anyhow::Context;
use guanjia_domain::aggregates::check_payload;
use guanjia_store::{
    AnchorBook, ChainHead, ChainProblem, EventMetadata, LogPosition, RawRow, Store,
};

use super::support::open_store;
use crate::cli::VerifyArgs;
use crate::settings::Settings;

/// Rows read per page while looking for unreadable ones.
const PAGE: usize = 2000;

/// The error that makes the process exit with status 3: the log was altered.
#[derive(Debug)]
pub struct ChainBroken(pub String);

impl fmt::Display for ChainBroken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ChainBroken {}

/// The error that makes the process exit with status 4: rows that cannot be read.
#[derive(Debug)]
pub struct UnreadableRows(pub String);

impl fmt::Display for UnreadableRows {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UnreadableRows {}

/// Runs the check.
pub async fn run(settings: &Settings, args: &VerifyArgs) -> anyhow::Result<()> {
    let head = args
        .head
        .as_deref()
        .map(|line| line.trim().parse::<ChainHead>())
        .transpose()
        .context("--head is not an exported chain head")?;
    let store = open_store(settings).await?;
    let outcome = check(
        &store,
        &settings.anchor_book(),
        head.as_ref(),
        args.export_head,
    )
    .await;
    store.close().await;
    outcome
}

async fn check(
    store: &Store,
    anchors: &AnchorBook,
    exported: Option<&ChainHead>,
    export: bool,
) -> anyhow::Result<()> {
    store
        .extend_chain()
        .await
        .context("cannot extend the hash chain")?;
    let mut report = match exported {
        Some(head) => store.verify_extends(head).await,
        None => store.verify_chain().await,
    }
    .context("cannot verify the hash chain")?;
    if report.problem.is_none() {
        report.problem = store
            .verify_anchor(anchors)
            .await
            .context("cannot check the chain anchors")?;
    }
    if let Some(problem) = &report.problem {
        let about = match problem {
            ChainProblem::Altered { position } | ChainProblem::Unchained { position } => {
                describe(store, *position).await
            }
            _ => String::new(),
        };
        return Err(ChainBroken(format!(
            "the log is NOT intact: {problem}{about}; {} events before it verified",
            report.verified
        ))
        .into());
    }
    let unreadable = unreadable_rows(store).await?;
    let head = report.head.as_ref();
    if export && unreadable.is_empty() {
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
    print_anchors(anchors).await?;
    let quarantined = store.quarantined();
    if !quarantined.is_empty() {
        let list: Vec<String> = quarantined.iter().map(LogPosition::to_string).collect();
        println!(
            "Quarantined (put aside, on the record): {} event(s) at {}.",
            list.len(),
            list.join(", ")
        );
    }
    if !unreadable.is_empty() {
        let lines: Vec<String> = unreadable
            .iter()
            .map(|(row, fault)| {
                format!(
                    "  event {} ({} {} sequence {}, {}): {fault}",
                    row.position,
                    row.aggregate_type,
                    row.aggregate_id,
                    row.sequence,
                    row.event_type
                )
            })
            .collect();
        return Err(UnreadableRows(format!(
            "{} event(s) cannot be read; readers stop before the first. Look at each, then \
             put it aside on the record with `guanjia quarantine POSITION --reason \"…\"` \
             (docs/operations.md, \"When things go wrong\"):\n{}",
            unreadable.len(),
            lines.join("\n")
        ))
        .into());
    }
    Ok(())
}

/// Says which anchors were checked.
async fn print_anchors(anchors: &AnchorBook) -> anyhow::Result<()> {
    if anchors.is_off() {
        println!("Chain anchors are off (chain_anchor_file = \"off\" and no chain_anchor_url).");
        return Ok(());
    }
    let all = anchors
        .all()
        .await
        .context("cannot read the chain anchors")?;
    match all.last() {
        Some(newest) => println!(
            "It passes through the newest of {} anchor(s), written at {} for position {}.",
            all.len(),
            newest
                .anchored_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            newest.head.position
        ),
        None => println!("No chain anchor has been written yet."),
    }
    Ok(())
}

/// Every row that does not read as an event (not quarantined), with why.
pub(super) async fn unreadable_rows(store: &Store) -> anyhow::Result<Vec<(RawRow, String)>> {
    let quarantined = store.quarantined();
    let mut found = Vec::new();
    let mut after = LogPosition::START;
    loop {
        let rows = store
            .raw_rows_after(after, PAGE)
            .await
            .context("cannot read the log")?;
        let Some(last) = rows.last().map(|row| row.position) else {
            return Ok(found);
        };
        after = last;
        let faults = faults_of(store, &rows).await?;
        for (row, fault) in rows.into_iter().zip(faults) {
            if quarantined.contains(&row.position) {
                continue;
            }
            if let Some(fault) = fault {
                found.push((row, fault));
            }
        }
    }
}

/// Why each row does not read as readers get it (personal data unsealed), if it does not.
pub(super) async fn faults_of(
    store: &Store,
    rows: &[RawRow],
) -> anyhow::Result<Vec<Option<String>>> {
    let payloads = store
        .readable_payloads(rows)
        .await
        .context("cannot unseal the rows' personal data")?;
    Ok(rows
        .iter()
        .zip(payloads)
        .map(|(row, payload)| {
            if let Err(error) = serde_json::from_str::<EventMetadata>(&row.metadata) {
                return Some(format!("metadata: {error}"));
            }
            match payload {
                Err(error) => Some(format!("payload: not JSON: {error}")),
                Ok(payload) => check_payload(&row.aggregate_type, &payload)
                    .err()
                    .map(|error| format!("payload: {error}")),
            }
        })
        .collect())
}

/// " (aggregate id, sequence, event type)" of the event at `position`, to find it by.
async fn describe(store: &Store, position: LogPosition) -> String {
    match store.raw_row_at(position).await {
        Ok(Some(row)) => format!(
            " ({} {} sequence {}, {})",
            row.aggregate_type, row.aggregate_id, row.sequence, row.event_type
        ),
        _ => String::new(),
    }
}
