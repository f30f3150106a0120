//! `guanjia quarantine POSITION --reason TEXT`: put an unreadable row of the log aside, on the
//! record.
//!
//! Readers stop before a row that does not read (its payload or metadata does not decode);
//! `/readyz`, the server log and `guanjia verify` name its position. After looking at the row,
//! an administrator runs this: the row must really be unreadable (a row that reads fine is
//! refused — quarantine is not a way to hide a fact), and the reason is required. The
//! quarantine is an event in the log with the operating-system user as actor, shown in the
//! audit history; every node's reader passes the row from then on. The row itself stays.

use anyhow::{bail, Context};
use guanjia_store::LogPosition;

use super::support::{cli_context, open_store};
use super::verify::faults_of;
use crate::cli::QuarantineArgs;
use crate::settings::Settings;

/// Runs the command.
pub async fn run(settings: &Settings, args: &QuarantineArgs) -> anyhow::Result<()> {
    let position: LogPosition =
        args.position.trim().parse().with_context(|| {
            format!("{:?} is not a log position (e.g. 743-1021)", args.position)
        })?;
    let store = open_store(settings).await?;
    let outcome = async {
        let Some(row) = store.raw_row_at(position).await? else {
            bail!("the log holds no event at {position}");
        };
        let fault = faults_of(&store, std::slice::from_ref(&row))
            .await?
            .pop()
            .flatten();
        let Some(fault) = fault else {
            bail!(
                "the event at {position} ({} {} sequence {}, {}) reads fine: only an event that \
                 cannot be read may be quarantined",
                row.aggregate_type,
                row.aggregate_id,
                row.sequence,
                row.event_type
            );
        };
        let committed = store
            .quarantine(position, fault.clone(), args.reason.clone(), cli_context())
            .await
            .map_err(|error| anyhow::anyhow!("refused: {error}"))?;
        println!(
            "Quarantined the event at {position} ({} {} sequence {}, {}): {fault}",
            row.aggregate_type, row.aggregate_id, row.sequence, row.event_type
        );
        println!(
            "Recorded at log position {}. Readers on every node pass it from now on.",
            committed.position
        );
        Ok(())
    }
    .await;
    store.close().await;
    outcome
}
