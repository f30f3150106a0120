//! `guanjia export`: the case list, service items, ratings and the dashboard, as CSV files
//! and as one XLSX workbook — leaders live in spreadsheets.
//!
//! The data comes from a read model rebuilt from the log (`replay.rs`), so an export needs
//! nothing but the database and never disturbs a running server beyond reading the log.
//!
//! - `table.rs`: typed cells and the CSV form; `xlsx.rs`: the workbook.
//! - `cases.rs`: case list, items, ratings; `dashboard.rs`: the figures by month.

mod cases;
mod dashboard;
mod table;
mod xlsx;

use anyhow::{bail, Context};
use chrono::NaiveDate;

use super::replay::rebuild;
use super::support::{open_store, today};
use crate::cli::{ExportArgs, ExportFormat};
use crate::settings::Settings;

/// Writes the export files.
pub async fn run(settings: &Settings, args: &ExportArgs) -> anyhow::Result<()> {
    let today = args.today.unwrap_or_else(today);
    let (from, to) = period(args, today)?;
    let store = open_store(settings).await?;
    let rebuilt = rebuild(&store, settings).await;
    store.close().await;
    let (model, report) = rebuilt?;

    let cases = cases::all_cases(&model, today)?;
    let tables = vec![
        cases::case_table(&cases, args.with_personal_data),
        cases::item_table(&cases),
        cases::rating_table(&cases, model.config(), args.with_personal_data),
        dashboard::dashboard_table(&model, from, to, today)?,
    ];
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    println!(
        "Read {} events (up to position {}); dashboard {from} – {to}, as of {today}.",
        report.events,
        model.position()
    );
    if matches!(args.format, ExportFormat::Csv | ExportFormat::Both) {
        for table in &tables {
            let path = table.write_csv(&args.out)?;
            println!("  {} ({} rows)", path.display(), table.rows.len());
        }
    }
    if matches!(args.format, ExportFormat::Xlsx | ExportFormat::Both) {
        let path = xlsx::write(&args.out, &tables)?;
        let sheets: Vec<String> = tables
            .iter()
            .map(|t| format!("{} ({} rows)", t.name, t.rows.len()))
            .collect();
        println!("  {}: {}", path.display(), sheets.join(", "));
    }
    if !args.with_personal_data {
        println!("Personal data (contact and rater names and phones) left out; --with-personal-data adds it.");
    }
    Ok(())
}

/// The dashboard's period: `--year`, or `--from`/`--to`, else this year up to today.
fn period(args: &ExportArgs, today: NaiveDate) -> anyhow::Result<(NaiveDate, NaiveDate)> {
    let year_bounds = |year: i32| {
        NaiveDate::from_ymd_opt(year, 1, 1)
            .zip(NaiveDate::from_ymd_opt(year, 12, 31))
            .with_context(|| format!("{year} is not a year this calendar knows"))
    };
    let (from, to) = match args.year {
        Some(year) => year_bounds(year)?,
        None => {
            let from = match args.from {
                Some(from) => from,
                None => year_bounds(chrono::Datelike::year(&today))?.0,
            };
            (from, args.to.unwrap_or(today))
        }
    };
    if to < from {
        bail!("the period ends ({to}) before it starts ({from})");
    }
    Ok((from, to))
}
