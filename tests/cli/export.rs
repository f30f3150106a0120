//! `export`: CSV files and an XLSX workbook that open, with the expected rows and figures.

use calamine::{open_workbook, Data, Reader, Xlsx};
use guanjia_store::{AuditFilter, LogPosition};

use crate::helpers::Guanjia;

/// The rows of a CSV file as records (the byte-order mark is skipped by the reader).
pub fn read_csv(path: &std::path::Path) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = std::fs::read(path).expect("the CSV file exists");
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "a BOM, for Excel");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let headers = reader
        .headers()
        .expect("a header")
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| {
            r.expect("a valid record")
                .iter()
                .map(str::to_owned)
                .collect()
        })
        .collect();
    (headers, rows)
}

/// The total of one figure of the dashboard table.
fn figure(rows: &[Vec<String>], name: &str) -> String {
    rows.iter()
        .find(|row| row[0] == name)
        .map(|row| row[2].clone())
        .unwrap_or_else(|| panic!("no figure {name}"))
}

/// The demo exported for 2023 on the day the demo's figures were checked: the database, the
/// output directory and what the command printed.
pub fn export_demo_2023() -> (Guanjia, std::path::PathBuf, crate::helpers::Ran) {
    let guanjia = Guanjia::with_demo();
    let out = guanjia.path("out");
    let out_text = out.display().to_string();
    let ran = guanjia
        .run(&[
            "export",
            "--out",
            &out_text,
            "--year",
            "2023",
            "--today",
            "2026-11-27",
        ])
        .ok();
    (guanjia, out, ran)
}

#[test]
fn csv_and_xlsx_hold_the_cases_items_ratings_and_dashboard() {
    // Held to the end: the export lives in its temporary directory.
    let (_guanjia, out, ran) = export_demo_2023();
    assert!(ran.stdout.contains("Personal data"), "{}", ran.stdout);

    let (headers, cases) = read_csv(&out.join("cases.csv"));
    assert_eq!(headers[0], "case_number");
    assert_eq!(cases.len(), 12, "--year limits the cases too");
    let contact = headers
        .iter()
        .position(|h| h == "contact_phone")
        .expect("a contact column");
    assert!(
        cases.iter().all(|row| row[contact].is_empty()),
        "no personal data by default"
    );
    let signed_2023 = cases
        .iter()
        .filter(|row| row[9].starts_with("2023-"))
        .count();
    assert_eq!(signed_2023, 12);

    let (_, items) = read_csv(&out.join("items.csv"));
    let requested_2023 = items
        .iter()
        .filter(|row| row[10].starts_with("2023-"))
        .count();
    assert_eq!(requested_2023, 13);
    let (_, ratings) = read_csv(&out.join("ratings.csv"));
    assert!(!ratings.is_empty());

    let (headers, dashboard) = read_csv(&out.join("dashboard.csv"));
    assert_eq!(&headers[..3], ["figure", "指标", "total"]);
    assert_eq!(headers.len(), 3 + 12, "one column per month of 2023");
    assert_eq!(figure(&dashboard, "cases_signed"), "12");
    assert_eq!(figure(&dashboard, "visits_conducted"), "9");
    assert_eq!(figure(&dashboard, "items_requested"), "13");
    assert_eq!(figure(&dashboard, "good_rating_rate"), "100.0%");

    let mut workbook: Xlsx<_> =
        open_workbook(out.join("guanjia-export.xlsx")).expect("a valid workbook");
    assert_eq!(
        workbook.sheet_names(),
        ["cases", "items", "ratings", "late_entries", "dashboard"]
    );
    // The demo records every step on its day: nothing of 2023 was entered late.
    let (headers, late) = read_csv(&out.join("late_entries.csv"));
    assert_eq!(
        (&headers[7], &headers[9], late.len()),
        (&"late_entry".to_owned(), &"late_reason".to_owned(), 0)
    );
    let sheet = workbook.worksheet_range("cases").expect("the cases sheet");
    assert_eq!(sheet.height(), 13, "a header and the 12 cases of 2023");
    let sheet = workbook
        .worksheet_range("dashboard")
        .expect("the dashboard sheet");
    let total = |name: &str| {
        sheet
            .rows()
            .find(|row| row[0] == Data::String(name.to_owned()))
            .map(|row| row[2].clone())
            .unwrap_or_else(|| panic!("no {name} row"))
    };
    assert_eq!(total("cases_signed"), Data::Float(12.0));
    assert_eq!(total("visits_conducted"), Data::Float(9.0));
    assert_eq!(total("items_requested"), Data::Float(13.0));
    assert_eq!(
        total("good_rating_rate"),
        Data::Float(1.0),
        "a real percentage"
    );
}

#[test]
fn personal_data_only_when_asked_and_one_format_at_a_time() {
    let guanjia = Guanjia::with_demo();
    let out = guanjia.path("out");
    let out_text = out.display().to_string();
    guanjia
        .run(&[
            "export",
            "--out",
            &out_text,
            "--format",
            "csv",
            "--with-personal-data",
        ])
        .ok();
    assert!(!out.join("guanjia-export.xlsx").exists());
    let (headers, cases) = read_csv(&out.join("cases.csv"));
    let contact = headers
        .iter()
        .position(|h| h == "contact_phone")
        .expect("a contact column");
    assert!(cases.iter().any(|row| !row[contact].is_empty()));
}

/// The access log's reads by the export: (case id, fields, purpose) of every `PersonalDataRead`.
async fn export_reads(guanjia: &Guanjia) -> Vec<(String, Vec<String>, String)> {
    let store = guanjia.store().await;
    let filter = AuditFilter {
        aggregate_type: Some("access_log".to_owned()),
        ..AuditFilter::default()
    };
    let events = store
        .audit(&filter, LogPosition::START, 10_000)
        .await
        .expect("the audit query runs");
    store.close().await;
    events
        .iter()
        .map(|e| {
            assert!(e.metadata.actor_id.starts_with("cli:"), "{:?}", e.metadata);
            assert_eq!(e.metadata.channel, "cli");
            let read = &e.payload["PersonalDataRead"];
            let fields = read["fields"].as_array().expect("fields");
            (
                read["case_id"].as_str().expect("a case").to_owned(),
                fields
                    .iter()
                    .filter_map(|f| f.as_str())
                    .map(str::to_owned)
                    .collect(),
                read["purpose"].as_str().expect("a purpose").to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn an_export_of_personal_data_is_recorded_per_case_and_skips_erased_cases() {
    let guanjia = Guanjia::with_demo();
    let out = guanjia.path("out");
    let out_text = out.display().to_string();
    let export = |personal: bool| {
        let mut args = vec!["export", "--out", &out_text, "--format", "csv"];
        if personal {
            args.push("--with-personal-data");
        }
        guanjia.run(&args).ok()
    };
    export(false);
    assert!(
        export_reads(&guanjia).await.is_empty(),
        "no personal data, no read"
    );

    let ran = export(true);
    assert!(ran.stdout.contains("access log"), "{}", ran.stdout);
    let reads = export_reads(&guanjia).await;
    let (headers, cases) = read_csv(&out.join("cases.csv"));
    let phone = headers
        .iter()
        .position(|h| h == "contact_phone")
        .expect("a column");
    let with_phone = cases.iter().filter(|row| !row[phone].is_empty()).count();
    assert!(with_phone > 0);
    assert!(
        reads.len() >= with_phone,
        "one read per case with personal data"
    );
    assert!(reads.iter().all(|(_, _, purpose)| purpose == "export"));
    let (erased, fields, _) = reads
        .iter()
        .find(|(_, fields, _)| fields.iter().any(|f| f == "enterprise.contact_phone"))
        .cloned()
        .expect("a case with a contact phone");
    assert!(fields
        .iter()
        .all(|f| f.starts_with("enterprise.") || f.starts_with("ratings.")));

    // After a lawful erasure the case exports blank and its export is no read.
    let store = guanjia.store().await;
    let erasure = guanjia_app::testing::run_unchecked(
        &store,
        &erased,
        guanjia_domain::case::CaseCommand::ErasePersonalData {
            reason: "依申请删除个人信息".to_owned(),
        },
        &guanjia_domain::case::CaseServices::new(std::sync::Arc::new(
            guanjia_domain::clock::SystemClock,
        )),
        guanjia_store::CommandContext::default(),
    )
    .await;
    store.close().await;
    erasure.expect("the erasure is recorded");
    let before = export_reads(&guanjia).await.len();
    export(true);
    let after = export_reads(&guanjia).await;
    assert_eq!(
        after.len() - before,
        reads.len() - 1,
        "every case again but the erased one"
    );
    assert!(after[before..].iter().all(|(case, _, _)| *case != erased));
}
