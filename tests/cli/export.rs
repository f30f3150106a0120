//! `export`: CSV files and an XLSX workbook that open, with the expected rows and figures.

use calamine::{open_workbook, Data, Reader, Xlsx};

use crate::helpers::Guanjia;

/// The rows of a CSV file as records (the byte-order mark is skipped by the reader).
fn read_csv(path: &std::path::Path) -> (Vec<String>, Vec<Vec<String>>) {
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

#[test]
fn csv_and_xlsx_hold_the_cases_items_ratings_and_dashboard() {
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
    assert!(ran.stdout.contains("Personal data"), "{}", ran.stdout);

    let (headers, cases) = read_csv(&out.join("cases.csv"));
    assert_eq!(headers[0], "case_number");
    assert_eq!(cases.len(), 60);
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
        ["cases", "items", "ratings", "dashboard"]
    );
    let sheet = workbook.worksheet_range("cases").expect("the cases sheet");
    assert_eq!(sheet.height(), 61, "a header and 60 cases");
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
