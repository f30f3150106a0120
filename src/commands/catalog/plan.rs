//! The plan of an import: which command each row becomes, checked against the catalog before
//! anything is written.
//!
//! 1. Each spec is validated by the domain (`validated()`), so the same rules apply as to a
//!    GraphQL mutation, with the line in the message.
//! 2. A code on two rows is an error: which of the two was meant cannot be guessed.
//! 3. Each row becomes a command: new code → publish; a live entry whose spec differs →
//!    revise; identical → skipped (so importing a file again changes nothing).
//! 4. The commands run, in order (items first, since bundles name items), against a copy of
//!    the catalog aggregate loaded from the store — a dry run through the aggregate's own
//!    `handle`, which applies each accepted event to the copy.

use std::collections::HashMap;
use std::sync::Arc;

use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use guanjia_domain::catalog::{
    BundleSpec, CatalogCommand, CatalogEvent, CatalogItemSpec, CatalogServices, ServiceCatalog,
    DEFAULT_CATALOG_ID,
};
use guanjia_domain::clock::SystemClock;
use guanjia_store::{AuditFilter, LogPosition, Store};

use super::rows::{Entry, Row, RowError};

/// One command to send, from the row on `line`.
pub struct Step {
    pub line: usize,
    pub command: CatalogCommand,
}

/// What the import will do.
#[derive(Default)]
pub struct Plan {
    pub steps: Vec<Step>,
    pub publish: usize,
    pub revise: usize,
    pub unchanged: usize,
}

/// The latest spec of each entry and whether it is retired, folded from the catalog's events.
#[derive(Default)]
struct Latest {
    items: HashMap<String, (CatalogItemSpec, bool)>,
    bundles: HashMap<String, (BundleSpec, bool)>,
}

/// Checks every row; the plan, or every bad row (sorted by line).
pub async fn plan(
    store: &Store,
    mut rows: Vec<Row>,
) -> anyhow::Result<Result<Plan, Vec<RowError>>> {
    let mut errors: Vec<RowError> = Vec::new();
    let mut first_line: HashMap<(bool, String), usize> = HashMap::new();
    rows.retain(|row| {
        let key = (
            matches!(row.entry, Entry::Item(_)),
            row.entry.code().to_owned(),
        );
        match first_line.get(&key) {
            Some(first) => {
                let message = format!("{} is also on line {first}", row.entry.code());
                errors.push((row.line, message));
                false
            }
            None => {
                first_line.insert(key, row.line);
                true
            }
        }
    });
    // Items first: a bundle may name items of the same file.
    rows.sort_by_key(|row| (matches!(row.entry, Entry::Bundle(_)), row.line));
    let latest = latest(store).await?;
    let mut catalog = store
        .load::<ServiceCatalog>(DEFAULT_CATALOG_ID)
        .await?
        .state;
    let services = CatalogServices {
        clock: Arc::new(SystemClock),
    };
    let mut plan = Plan::default();
    for row in rows {
        let command = match &row.entry {
            Entry::Item(spec) => match spec.validated() {
                Err(error) => Err(error),
                Ok(spec) => Ok(match latest.items.get(&spec.implementation_code) {
                    None => Some(CatalogCommand::PublishItem { spec }),
                    Some((current, false)) if *current == spec => None,
                    Some(_) => Some(CatalogCommand::ReviseItem { spec }),
                }),
            },
            Entry::Bundle(spec) => match spec.validated() {
                Err(error) => Err(error),
                Ok(spec) => Ok(match latest.bundles.get(&spec.code) {
                    None => Some(CatalogCommand::DefineBundle { spec }),
                    Some((current, false)) if *current == spec => None,
                    Some(_) => Some(CatalogCommand::ReviseBundle { spec }),
                }),
            },
        };
        let command = match command {
            Ok(Some(command)) => command,
            Ok(None) => {
                plan.unchanged += 1;
                continue;
            }
            Err(error) => {
                errors.push((row.line, error.to_string()));
                continue;
            }
        };
        // The dry run: the aggregate decides on the copy and applies what it accepts.
        let sink = EventSink::default();
        if let Err(refused) = catalog.handle(command.clone(), &services, &sink).await {
            errors.push((row.line, refused.to_string()));
            continue;
        }
        match &command {
            CatalogCommand::PublishItem { .. } | CatalogCommand::DefineBundle { .. } => {
                plan.publish += 1
            }
            _ => plan.revise += 1,
        }
        plan.steps.push(Step {
            line: row.line,
            command,
        });
    }
    errors.sort_by_key(|(line, _)| *line);
    Ok(if errors.is_empty() {
        Ok(plan)
    } else {
        Err(errors)
    })
}

/// The catalog's latest specs, from its events in the log.
async fn latest(store: &Store) -> anyhow::Result<Latest> {
    let filter = AuditFilter {
        aggregate_type: Some(ServiceCatalog::TYPE.to_owned()),
        aggregate_id: Some(DEFAULT_CATALOG_ID.to_owned()),
        ..AuditFilter::default()
    };
    let mut latest = Latest::default();
    let mut after = LogPosition::START;
    loop {
        let events = store.audit(&filter, after, 1000).await?;
        let Some(last) = events.last().map(|e| e.position) else {
            return Ok(latest);
        };
        for event in events {
            match serde_json::from_value::<CatalogEvent>(event.payload)? {
                CatalogEvent::ItemPublished { spec, .. }
                | CatalogEvent::ItemRevised { spec, .. } => {
                    latest
                        .items
                        .insert(spec.implementation_code.clone(), (spec, false));
                }
                CatalogEvent::ItemRetired {
                    implementation_code,
                    ..
                } => {
                    if let Some(entry) = latest.items.get_mut(&implementation_code) {
                        entry.1 = true;
                    }
                }
                CatalogEvent::BundleDefined { spec, .. }
                | CatalogEvent::BundleRevised { spec, .. } => {
                    latest.bundles.insert(spec.code.clone(), (spec, false));
                }
                CatalogEvent::BundleRetired { code, .. } => {
                    if let Some(entry) = latest.bundles.get_mut(&code) {
                        entry.1 = true;
                    }
                }
            }
        }
        after = last;
    }
}
