//! An export with personal data is a read of it, like a GraphQL answer that shows it: one
//! `PersonalDataRead` (purpose `export`) per case whose contact or raters the files will hold,
//! in the access log of the command's actor (`cli:<os user>`). Recorded before any file is
//! written: if the log cannot take it, the export stops with nothing written (fail closed).

use std::sync::Arc;

use anyhow::Context;
use guanjia_domain::access::{AccessCommand, AccessLog, CaseRead};
use guanjia_domain::case::CaseServices;
use guanjia_domain::clock::SystemClock;
use guanjia_domain::values::text::LIST_MAX;
use guanjia_read::CaseDetail;
use guanjia_store::Store;

use super::super::support::cli_context;

/// Why an export reads personal data, as the access log says.
pub const PURPOSE: &str = "export";

/// Records the reads of `cases` that an export with personal data makes; returns how many
/// cases had personal data to export.
pub async fn record(store: &Store, cases: &[CaseDetail]) -> anyhow::Result<usize> {
    let reads: Vec<CaseRead> = cases.iter().filter_map(read_of).collect();
    let context = cli_context();
    let reader = context.metadata.actor_id.clone();
    let services = CaseServices::new(Arc::new(SystemClock));
    for chunk in reads.chunks(LIST_MAX) {
        let command = AccessCommand::RecordReads {
            reads: chunk.to_vec(),
        };
        store
            .execute::<AccessLog>(&reader, command, &services, context.clone())
            .await
            .map_err(|error| {
                let detail = error.detail().unwrap_or_default();
                anyhow::anyhow!("{error}: {detail}")
            })
            .context("cannot record the export's reads of personal data; nothing was written")?;
    }
    Ok(reads.len())
}

/// The personal fields of a case that the case and rating tables hold (`cases.rs`): those
/// with a value, so an erased case is no read at all.
fn read_of(case: &CaseDetail) -> Option<CaseRead> {
    let text = |value: Option<&str>| value.is_some_and(|v| !v.trim().is_empty());
    let raters = || case.ratings.iter().map(|r| &r.rater);
    let present = [
        (
            "enterprise.contact_name",
            text(case.enterprise.contact_name.as_deref()),
        ),
        (
            "enterprise.contact_phone",
            case.enterprise.contact_phone.is_some(),
        ),
        (
            "ratings.rater.name",
            raters().any(|p| text(p.name.as_deref())),
        ),
        ("ratings.rater.phone", raters().any(|p| p.phone.is_some())),
    ];
    let fields: Vec<String> = present
        .iter()
        .filter(|(_, shown)| *shown)
        .map(|(field, _)| (*field).to_owned())
        .collect();
    (!fields.is_empty()).then(|| CaseRead {
        case_id: case.id.clone(),
        fields,
        purpose: PURPOSE.to_owned(),
    })
}
