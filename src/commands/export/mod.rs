//! `guanjia export`: the case list, service items, ratings and the dashboard, as CSV files
//! and as one XLSX workbook — leaders live in spreadsheets.
//!
//! The data comes from a read model rebuilt from the log (`replay.rs`), so an export needs
//! nothing but the database and never disturbs a running server beyond reading the log.
//!
//! - `table.rs`: typed cells and the CSV form; `xlsx.rs`: the workbook.
//! - `cases.rs`: case list, items, ratings, the steps recorded late (补录) or let into a
//!   closed period; `dashboard.rs`: the figures by month.
//! - `access.rs`: with `--with-personal-data`, the reads recorded in the access log first.
//! - `period.rs`: with `--year` or `--from`/`--to`, which cases, items and ratings belong to
//!   the period (every table is limited to it, not only the dashboard).

mod access;
mod cases;
mod dashboard;
mod period;
mod table;
mod xlsx;

use anyhow::{bail, Context};
use chrono::NaiveDate;
use guanjia_read::{CaseDetail, ReadModel};
use guanjia_store::Store;

use self::period::Period;
use super::replay::{rebuild, ReplayReport};
use super::support::{open_store, today};
use crate::cli::{ExportArgs, ExportFormat};
use crate::settings::Settings;

/// Writes the export files.
pub async fn run(settings: &Settings, args: &ExportArgs) -> anyhow::Result<()> {
    let today = args.today.unwrap_or_else(today);
    let (from, to) = period(args, today)?;
    // Only a period asked for limits the tables; the dashboard always has one.
    let limit = (args.year.is_some() || args.from.is_some() || args.to.is_some())
        .then_some(Period { from, to });
    let store = open_store(settings).await?;
    let gathered = gather(&store, settings, args, today, limit).await;
    store.close().await;
    let (model, report, cases, recorded) = gathered?;
    let tables = vec![
        cases::case_table(&cases, args.with_personal_data),
        cases::item_table(&cases, limit),
        cases::rating_table(&cases, model.config(), args.with_personal_data, limit),
        cases::late_entry_table(&cases, limit),
        dashboard::dashboard_table(&model, from, to, today)?,
    ];
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let scope = match limit {
        Some(_) => format!("cases, items and ratings of {from} – {to}"),
        None => "every case, item and rating".to_owned(),
    };
    println!(
        "Read {} events (up to position {}); {scope}; dashboard {from} – {to}, as of {today}.",
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
    match recorded {
        Some(cases) => println!(
            "Personal data of {cases} cases exported; each read is recorded in the access log \
             (purpose \"{}\").",
            access::PURPOSE
        ),
        None => println!("Personal data (contact and rater names and phones) left out; --with-personal-data adds it."),
    }
    Ok(())
}

/// The read model, the detail of every case of the period (of all without one), and — with
/// personal data — the number of cases whose reads were recorded. The reads are recorded
/// here, before anything is written: an unrecorded export of personal data is no export.
async fn gather(
    store: &Store,
    settings: &Settings,
    args: &ExportArgs,
    today: NaiveDate,
    limit: Option<Period>,
) -> anyhow::Result<(ReadModel, ReplayReport, Vec<CaseDetail>, Option<usize>)> {
    let (model, report) = rebuild(store, settings).await?;
    let mut cases = cases::all_cases(&model, today)?;
    cases.retain(|case| period::keeps(limit, |p| p.has_case(case)));
    let recorded = if args.with_personal_data {
        Some(access::record(store, &cases).await?)
    } else {
        None
    };
    Ok((model, report, cases, recorded))
}

/// The period: `--year`, or `--from`/`--to`, else this year up to today (the dashboard's).
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
