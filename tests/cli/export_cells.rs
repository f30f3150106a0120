//! `export`: what lands in the cells. Text from outside (an enterprise name, a comment typed on
//! the public rating page) cannot run as a spreadsheet formula; enum columns read alike; the
//! agreement's scope and stage are two columns; a period limits every table.

use std::sync::Arc;

use calamine::{open_workbook, Data, Reader, Xlsx};
use chrono::{Duration, Utc};
use guanjia_app::CaseRegistration;
use guanjia_domain::case::commands::{EnterpriseInput, PersonInput, RatingInput};
use guanjia_domain::case::model::{Channel, DimensionSet, LeadSource, RatingTarget, Stage};
use guanjia_domain::case::{CaseCommand, CaseServices};
use guanjia_domain::clock::{china_date, SystemClock};
use guanjia_store::CommandContext;

use crate::export::read_csv;
use crate::helpers::Guanjia;

const NAME: &str = "=1+2 恒口公司";
const COMMENT: &str = "=HYPERLINK(\"http://example.com/\",\"点此领取补贴\")";

/// A case whose name and rating comment are formulas, as a hostile hand would type them.
async fn hostile_case(guanjia: &Guanjia) {
    guanjia.run(&["migrate"]).ok();
    let store = guanjia.store().await;
    let services = CaseServices::new(Arc::new(SystemClock));
    let registration = CaseRegistration {
        enterprise: EnterpriseInput {
            name: NAME.to_owned(),
            uscc: None,
            division: "610902100000".to_owned(),
            address: Some("@SUM(1+1)*cmd|' /C calc'!A0".to_owned()),
            contact_name: None,
            contact_phone: None,
        },
        lead_source: LeadSource::EnterpriseRequest,
        stage: Stage::Establishment,
        // Yesterday, so that the visit two hours ago never falls before the registration.
        registered_on: Some(china_date(Utc::now()) - Duration::days(1)),
        late_reason: None,
    };
    let case = guanjia_app::testing::register_unchecked(
        &store,
        registration,
        &services,
        CommandContext::default(),
    )
    .await
    .expect("registered");
    let now = Utc::now();
    let steps = [
        CaseCommand::ScheduleVisit {
            scheduled_at: now - Duration::hours(2),
            place: "企业厂区".to_owned(),
            purpose: "走访".to_owned(),
            planned_participants: vec![],
        },
        CaseCommand::ConductVisit {
            visit_no: 1,
            conducted_at: now - Duration::hours(1),
            participants: vec!["李明".to_owned()],
            notes: "走访".to_owned(),
            issues_raised: vec![],
            follow_ups: vec![],
        },
        CaseCommand::Rate {
            target: RatingTarget::Visit(1),
            rating: RatingInput {
                level: 5,
                dimension_set: DimensionSet::Offline2019,
                dimensions: vec![],
                channel: Channel::QrCode,
                comment: Some(COMMENT.to_owned()),
                rater: PersonInput::default(),
                rated_at: None,
                recorded_by: None,
            },
        },
    ];
    for step in steps {
        guanjia_app::testing::run_unchecked(
            &store,
            &case.case_id,
            step,
            &services,
            CommandContext::default(),
        )
        .await
        .expect("the step is accepted");
    }
    store.close().await;
}

fn column(headers: &[String], name: &str) -> usize {
    headers
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

#[tokio::test]
async fn text_that_could_run_as_a_formula_is_text_in_csv_and_xlsx() {
    let guanjia = Guanjia::new();
    hostile_case(&guanjia).await;
    let out = guanjia.path("out");
    let out_text = out.display().to_string();
    guanjia.run(&["export", "--out", &out_text]).ok();

    let raw = std::fs::read_to_string(out.join("ratings.csv")).expect("ratings.csv");
    assert!(
        raw.contains("\"'=HYPERLINK(\"\"http://example.com/\"\",\"\"点此领取补贴\"\")\""),
        "the comment is quoted and starts with ': {raw}"
    );
    let (headers, ratings) = read_csv(&out.join("ratings.csv"));
    assert_eq!(
        ratings[0][column(&headers, "comment")],
        format!("'{COMMENT}")
    );
    let (headers, cases) = read_csv(&out.join("cases.csv"));
    assert_eq!(cases[0][column(&headers, "enterprise")], format!("'{NAME}"));
    let (headers, items) = read_csv(&out.join("items.csv"));
    assert!(items.is_empty() && headers.contains(&"status".to_owned()));

    let mut workbook: Xlsx<_> =
        open_workbook(out.join("guanjia-export.xlsx")).expect("a valid workbook");
    let sheet = workbook.worksheet_range("ratings").expect("ratings");
    let comment = sheet
        .rows()
        .nth(1)
        .and_then(|row| row.get(column(&headers_of(&sheet), "comment")).cloned());
    assert_eq!(
        comment,
        Some(Data::String(COMMENT.to_owned())),
        "a string cell, as typed"
    );
    for name in ["cases", "ratings"] {
        let formulas = workbook.worksheet_formula(name).expect("the sheet");
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "no formula in {name}"
        );
    }
}

fn headers_of(sheet: &calamine::Range<Data>) -> Vec<String> {
    sheet
        .rows()
        .next()
        .map(|row| row.iter().map(ToString::to_string).collect())
        .unwrap_or_default()
}

#[test]
fn a_period_limits_every_table_and_enum_columns_read_alike() {
    let (guanjia, out, ran) = crate::export::export_demo_2023();
    assert!(
        ran.stdout
            .contains("cases, items and ratings of 2023-01-01 – 2023-12-31"),
        "{}",
        ran.stdout
    );

    let (headers, cases) = read_csv(&out.join("cases.csv"));
    assert_eq!(
        cases.len(),
        12,
        "the 12 cases of 2023, none registered later"
    );
    let registered = column(&headers, "registered_on");
    assert!(cases.iter().all(|row| row[registered].starts_with("2023-")));
    let (scope, stage) = (
        column(&headers, "agreement_scope"),
        column(&headers, "agreement_stage"),
    );
    for row in &cases {
        match row[scope].as_str() {
            "full_lifecycle" => assert_eq!(row[stage], ""),
            "stage" => assert!(
                ["establishment", "construction", "operation"].contains(&row[stage].as_str()),
                "{row:?}"
            ),
            other => panic!("agreement_scope {other:?}"),
        }
    }

    let (headers, items) = read_csv(&out.join("items.csv"));
    assert_eq!(items.len(), 13);
    let requested = column(&headers, "requested_on");
    assert!(items.iter().all(|row| row[requested].starts_with("2023-")));
    let status = column(&headers, "status");
    assert!(
        items.iter().all(|row| row[status] == "concluded"),
        "snake_case like every enum column: {:?}",
        items.iter().map(|row| &row[status]).collect::<Vec<_>>()
    );
    let (headers, ratings) = read_csv(&out.join("ratings.csv"));
    assert!(!ratings.is_empty());
    let rated = column(&headers, "rated_on");
    assert!(ratings.iter().all(|row| row[rated].starts_with("2023-")));

    // Without a period, every case, item and rating.
    let all = guanjia.path("all");
    let all_text = all.display().to_string();
    guanjia
        .run(&[
            "export",
            "--out",
            &all_text,
            "--format",
            "csv",
            "--today",
            "2026-11-27",
        ])
        .ok();
    assert_eq!(read_csv(&all.join("cases.csv")).1.len(), 60);
    assert!(read_csv(&all.join("items.csv")).1.len() > 13);
}
