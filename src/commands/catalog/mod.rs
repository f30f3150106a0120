//! `guanjia catalog import FILE`: catalog items and bundles from a CSV or JSON file;
//! `guanjia catalog export FILE`: the live catalog in the same formats (`export.rs`).
//!
//! All or nothing as far as the rules go: every row is parsed (`csv_rows.rs`, `json.rs`) and
//! checked against the catalog (`plan.rs`) before the first command is sent, and one bad row
//! means nothing is written. Every error of the file is reported in one run — a bad cell, a
//! broken rule, a conflict with the catalog — not one stage at a time. The commands are then
//! sent one by one through the same use case as an admin's mutations (`App::change_catalog`,
//! as the operator: `support::operator`); should the process die half-way, importing the same
//! file again finishes the job, because rows already applied are skipped as unchanged.

mod csv_rows;
mod export;
mod json;
mod plan;
mod rows;

use std::path::Path;

use anyhow::{bail, Context};
use guanjia_app::Actor;
use guanjia_domain::catalog::{ServiceCatalog, DEFAULT_CATALOG_ID};
use guanjia_store::Store;

use super::support::{app, cli_context, open_store, operator};
use crate::cli::CatalogAction;
use crate::settings::Settings;
use rows::{Row, RowError};

/// Runs one `catalog` action.
pub async fn run(settings: &Settings, action: CatalogAction) -> anyhow::Result<()> {
    match action {
        CatalogAction::Import { file, dry_run } => {
            let operator = operator(settings)?;
            // The use case checks this again on every row; asked first, so that an operator
            // who may not change the catalog learns it before the file is read.
            guanjia_app::admin::authorize_catalog_change(&operator)
                .context("the catalog cannot be imported")?;
            let parsed = parse(&file)?;
            let store = open_store(settings).await?;
            let outcome = import(&store, &operator, &file, parsed, dry_run).await;
            store.close().await;
            outcome
        }
        CatalogAction::Export { file } => {
            let store = open_store(settings).await?;
            let loaded = store.load::<ServiceCatalog>(DEFAULT_CATALOG_ID).await;
            store.close().await;
            let catalog = loaded?.state;
            let written = export::write(&catalog, &file)?;
            println!(
                "Wrote {} items and {} bundles (the live catalog) to {}.",
                written.items,
                written.bundles,
                file.display()
            );
            Ok(())
        }
    }
}

/// The good rows of the file and every error found while reading it.
fn parse(file: &Path) -> anyhow::Result<(Vec<Row>, Vec<RowError>)> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("cannot read {} (it must be UTF-8 text)", file.display()))?;
    let extension = file
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    Ok(match extension.as_deref() {
        Some("csv") => csv_rows::parse_csv(&text),
        Some("json") => json::parse_json(&text),
        _ => bail!(
            "{}: the file name must end in .csv or .json",
            file.display()
        ),
    })
}

async fn import(
    store: &Store,
    operator: &Actor,
    file: &Path,
    (rows, mut errors): (Vec<Row>, Vec<RowError>),
    dry_run: bool,
) -> anyhow::Result<()> {
    let name = file.display();
    if rows.is_empty() && errors.is_empty() {
        bail!("{name} holds no rows");
    }
    // The rows that parsed are checked against the catalog even when others did not, so
    // that one run names every error of the file.
    let planned = plan::plan(store, rows).await?;
    let plan = match planned {
        Ok(plan) if errors.is_empty() => plan,
        outcome => {
            errors.extend(outcome.err().unwrap_or_default());
            errors.sort_by_key(|(line, _)| *line);
            let mut lines: Vec<usize> = errors.iter().map(|(line, _)| *line).collect();
            lines.dedup();
            bail!(
                "{name} has {} error(s) on {} line(s); nothing was written:\n{}",
                errors.len(),
                lines.len(),
                errors
                    .iter()
                    .map(|(line, message)| format!("  line {line}: {message}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        }
    };
    println!(
        "{name}: {} to publish, {} to revise, {} unchanged.",
        plan.publish, plan.revise, plan.unchanged
    );
    if dry_run {
        println!("Dry run: nothing was written.");
        return Ok(());
    }
    let app = app(store);
    let mut written = 0;
    let mut position = None;
    for step in plan.steps {
        let committed = app
            .change_catalog(operator, step.command, cli_context())
            .await
            .with_context(|| {
                format!(
                    "stopped at line {} after writing {written} row(s); import the file again \
                     to finish (rows already written are skipped)",
                    step.line
                )
            })?;
        written += 1;
        position = Some(committed.position);
    }
    match position {
        Some(position) => {
            println!("Wrote {written} change(s) to the catalog (log position {position}).")
        }
        None => println!("The catalog already matches the file; nothing to write."),
    }
    Ok(())
}
