//! Late entries (补录) and entries into closed periods (封账) on the read side: the timeline
//! flags the record and the events of its step with the reason (a registration recorded late
//! included, whose record comes before the case exists), the dashboard counts the figures
//! that came from late entries, a closed period shows its figures as reported and now with
//! the steps in between, and an image of the model keeps all of it.

use guanjia_domain::case::CaseEvent;
use guanjia_domain::periods::PeriodEvent;
use guanjia_domain::values::Period;
use guanjia_read::dashboard::DashboardQuery;
use guanjia_read::snapshot::{decode, encode};
use guanjia_read::LateFigures;

use crate::helpers::*;

fn late(on: &str, days: u32, reason: &str, events: u32) -> CaseEvent {
    CaseEvent::LateEntryRecorded {
        business_date: date(on),
        recorded_on: date("2024-03-15"),
        working_days_late: days,
        reason: reason.to_owned(),
        events,
    }
}

fn approved(reason: &str, events: u32) -> CaseEvent {
    CaseEvent::ClosedPeriodEntryApproved {
        division: division("610902000000"),
        period: Period::Month(2024, 2),
        approval_no: 1,
        approved_by: "zhao.leader".to_owned(),
        reason: reason.to_owned(),
        events,
    }
}

/// Case c1 registered late (2024-02-01), signed late, a timely visit, and an item requested
/// late inside February, which the district closed, with the leader's approval.
fn log() -> Log {
    let mut log = Log::new();
    log.at("2024-03-15 09:00");
    log.case_all("c1", log_events());
    log
}

fn log_events() -> Vec<CaseEvent> {
    vec![
        late("2024-02-01", 26, "纸质台账补录", 1),
        registered("2024-0001", "安康恒口新材料有限公司", None, "2024-02-01"),
        lead("li"),
        late("2024-02-02", 25, "协议原件后补", 1),
        signed("2024-02-02"),
        visit_scheduled(1, "2024-03-15 08:00"),
        visit_conducted(1, "2024-03-15 08:00"),
        approved("二月漏录一件", 2),
        late("2024-02-20", 18, "窗口漏登", 1),
        requested(1, facts("LIC-1", "市场监管局", 20, 10, 3, 1), "2024-02-20"),
    ]
}

#[test]
fn the_timeline_flags_each_late_step_with_its_reason() {
    let model = log().model();
    let detail = model.case_detail("c1", date("2024-03-15")).expect("case");
    let flagged: Vec<(&str, Option<&str>, Option<&str>)> = detail
        .timeline
        .iter()
        .map(|item| {
            (
                item.event_type,
                item.late_entry.as_ref().map(|n| n.reason.as_str()),
                item.approval.as_ref().map(|n| n.reason.as_str()),
            )
        })
        .collect();
    assert_eq!(
        flagged,
        vec![
            ("LateEntryRecorded", Some("纸质台账补录"), None),
            ("CaseRegistered", Some("纸质台账补录"), None),
            ("LeadStewardAssigned", None, None),
            ("LateEntryRecorded", Some("协议原件后补"), None),
            ("AgreementSigned", Some("协议原件后补"), None),
            ("VisitScheduled", None, None),
            ("VisitConducted", None, None),
            ("ClosedPeriodEntryApproved", None, Some("二月漏录一件")),
            ("LateEntryRecorded", Some("窗口漏登"), Some("二月漏录一件")),
            (
                "ServiceItemRequested",
                Some("窗口漏登"),
                Some("二月漏录一件")
            ),
        ]
    );
    let summaries: Vec<&str> = detail.timeline.iter().map(|i| i.summary.as_str()).collect();
    assert_eq!(summaries[0], "补录：晚 26 个工作日登记，理由：纸质台账补录");
    assert_eq!(
        summaries[7],
        "封账期 2024-02 内补录，经 zhao.leader 批准（第1号）：二月漏录一件"
    );
    let approval = detail.timeline[9].approval.as_ref().expect("approved");
    assert_eq!(
        (approval.division.as_str(), approval.period.as_str()),
        ("610902000000", "2024-02")
    );
    let note = detail.timeline[4].late_entry.as_ref().expect("late");
    assert_eq!(
        (note.business_date, note.recorded_on, note.working_days_late),
        (date("2024-02-02"), date("2024-03-15"), 25)
    );
}

#[test]
fn the_dashboard_counts_the_figures_that_came_from_late_entries() {
    let model = log().model();
    let february = DashboardQuery {
        from: date("2024-02-01"),
        to: date("2024-02-29"),
        today: date("2024-03-15"),
        division: Some(division(HENGKOU)),
        group_by: None,
        monthly: false,
    };
    let board = model.dashboard(&february).expect("valid");
    assert_eq!(
        (board.period.cases_signed, board.period.items_requested),
        (1, 1)
    );
    assert_eq!(
        board.late,
        LateFigures {
            entries: 3,
            cases_signed: 1,
            visits_conducted: 0,
            items_requested: 1,
            items_concluded: 0,
        }
    );
    // March: the visit was timely; nothing late is dated in March.
    let march = DashboardQuery {
        from: date("2024-03-01"),
        to: date("2024-03-31"),
        ..february.clone()
    };
    let board = model.dashboard(&march).expect("valid");
    assert_eq!(board.period.visits_conducted, 1);
    assert_eq!(board.late, LateFigures::default());
    // Another town sees none of it.
    let elsewhere = DashboardQuery {
        division: Some(division(OTHER_TOWN)),
        ..february
    };
    assert_eq!(
        model.dashboard(&elsewhere).expect("valid").late,
        LateFigures::default()
    );
}

/// The district closes February after the signing; the approved late request comes after.
fn closed_log() -> Log {
    let mut log = Log::new();
    log.at("2024-03-15 09:00");
    let mut events = log_events();
    let after_close = events.split_off(7);
    log.case_all("c1", events);
    log.by("chen.jun", "leader").periods(
        "610902000000",
        PeriodEvent::PeriodClosed {
            division: division("610902000000"),
            period: Period::Month(2024, 2),
            closed_on: date("2024-03-15"),
            closed_by: "chen.jun".to_owned(),
        },
    );
    log.by("li", "steward").case_all("c1", after_close);
    log
}

#[test]
fn a_closed_period_shows_its_figures_as_reported_and_now_with_the_steps_between() {
    let log = closed_log();
    let model = log.model();
    let reported = model.reported_periods(&division("610902000000"), None, date("2024-03-15"));
    assert_eq!(reported.len(), 1);
    let february = &reported[0];
    assert_eq!(
        (february.period, february.closed_by.as_str()),
        (Period::Month(2024, 2), "chen.jun")
    );
    assert_eq!(
        (
            february.as_reported.cases_signed,
            february.as_reported.items_requested
        ),
        (1, 0)
    );
    assert_eq!(
        (february.now.cases_signed, february.now.items_requested),
        (1, 1)
    );
    let changes: Vec<_> = february
        .changes
        .iter()
        .map(|c| {
            (
                c.case_number.as_str(),
                c.event_type,
                c.business_date,
                c.recorded_by.as_str(),
                c.late_reason.as_deref(),
                c.approved_by.as_deref(),
                c.approval_reason.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        vec![(
            "2024-0001",
            "ServiceItemRequested",
            date("2024-02-20"),
            "li",
            Some("窗口漏登"),
            Some("zhao.leader"),
            Some("二月漏录一件")
        )]
    );
    // Another division's periods, and periods outside the range asked for, are not shown.
    assert!(model
        .reported_periods(&division(HENGKOU), None, date("2024-03-15"))
        .is_empty());
    assert!(model
        .reported_periods(
            &division("610902000000"),
            Some((date("2024-03-01"), date("2024-03-31"))),
            date("2024-03-15")
        )
        .is_empty());
    // A replay of the same log, and the model read back from its image, say the same.
    assert!(log.model() == model);
    let restored = decode(&encode(&model).expect("encodes")).expect("decodes");
    assert!(restored == model, "the decoded model differs");
}

#[test]
fn an_image_keeps_the_late_entries_and_a_registration_still_waiting_for_its_case() {
    let mut log = log();
    // A late registration whose case event has not arrived yet (the batch ended between).
    log.case("c2", late("2024-02-05", 23, "补登", 1));
    let model = log.model();
    let restored = decode(&encode(&model).expect("encodes")).expect("decodes");
    assert!(restored == model, "the decoded model differs");
}
