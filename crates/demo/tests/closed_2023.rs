//! The demo closes 2023 (封账) once it is loaded, so the reported 12 signed / 9 visits / 13
//! items cannot move silently: a late 2023 entry is refused, then recorded with the district
//! leader's approval, and the dashboard's 2023 "as reported" stays 12/9/13 while "now" shows
//! the extra item and the entry that made it.

use std::sync::Arc;

use chrono::{Datelike, NaiveDate, TimeZone, Utc};
use guanjia_app::{Actor, App, AppError, PeopleInLog};
use guanjia_demo::{load, people, DEFAULT_SEED};
use guanjia_domain::calendar::WorkCalendar;
use guanjia_domain::case::model::HandlingMode;
use guanjia_domain::case::CaseEvent;
use guanjia_domain::clock::FixedClock;
use guanjia_domain::user::{Role, Username};
use guanjia_domain::values::{DivisionCode, Period};
use guanjia_read::{KpiConfig, ReadModel};
use guanjia_store::testing::TestDatabase;
use guanjia_store::{CommandContext, EventMetadata, LogPosition, Store};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).expect("valid date")
}

async fn model_of(store: &Store) -> anyhow::Result<ReadModel> {
    let mut model = ReadModel::new(WorkCalendar::china(), KpiConfig::default());
    let mut position = LogPosition::START;
    loop {
        let page = store.read_after(position, 1000).await?;
        let Some(last) = page.last() else {
            return Ok(model);
        };
        position = last.position;
        model.apply_all(&page)?;
    }
}

/// A person of the demo as the front door would authenticate them (the demo loads no
/// accounts: `guanjia demo` creates them beside it).
fn actor(username: &str, role: Role, division: &str) -> anyhow::Result<Actor> {
    Ok(Actor {
        username: Username::parse(username)?,
        role,
        division: DivisionCode::parse(division)?,
    })
}

fn context(who: &str) -> CommandContext {
    CommandContext::new(EventMetadata {
        actor_id: who.to_owned(),
        actor_role: "test".to_owned(),
        correlation_id: format!("corr-{who}"),
        causation_id: format!("req-{who}"),
        request_id: format!("req-{who}"),
        channel: "test".to_owned(),
    })
}

#[tokio::test]
async fn a_late_2023_entry_needs_the_leaders_approval_and_2023_stays_as_reported(
) -> anyhow::Result<()> {
    let db = TestDatabase::sqlite();
    let store = db.open().await?;
    load(&store, today(), DEFAULT_SEED).await?;
    let model = model_of(&store).await?;

    // A case of 2023 and its lead steward.
    let case = store
        .read_after(LogPosition::START, 10_000)
        .await?
        .into_iter()
        .filter(|e| e.aggregate_type == "enterprise_case")
        .find_map(|e| match serde_json::from_value(e.payload.clone()).ok()? {
            CaseEvent::CaseRegistered { registered_on, .. } if registered_on.year() == 2023 => {
                Some(e.aggregate_id)
            }
            _ => None,
        })
        .expect("a 2023 case");
    let detail = model.case_detail(&case, today()).expect("the case");
    let lead = detail.team.lead_steward.expect("a lead steward").user_id;
    let steward_division = people::STEWARDS
        .iter()
        .chain(people::AGENTS)
        .find(|s| s.id == lead)
        .expect("a demo steward")
        .division;
    let steward = actor(&lead, Role::Steward, steward_division)?;
    let leader = actor(people::LEADER.0, Role::Leader, people::DISTRICT)?;
    let now = Utc
        .with_ymd_and_hms(2026, 11, 27, 2, 0, 0)
        .single()
        .expect("valid");
    let app = App::new(
        store.clone(),
        Arc::new(FixedClock::at(now)),
        Arc::new(PeopleInLog(store.clone())),
    );
    let code = guanjia_demo::catalog::items()[0]
        .implementation_code
        .clone();
    let december = NaiveDate::from_ymd_opt(2023, 12, 29).expect("valid date");
    let request = || {
        app.on_case(&steward, &case, context("request"))
            .late_entry(Some("年底纸质台账漏录一件".to_owned()))
            .request_service_item(&code, HandlingMode::Proxy, Some(december))
    };

    assert_eq!(
        request().await,
        Err(AppError::PeriodClosed {
            date: december,
            period: Period::Year(2023),
            division: DivisionCode::parse(people::DISTRICT)?,
        })
    );
    app.approve_closed_period_entry(
        &leader,
        people::DISTRICT,
        "2023",
        &case,
        "经核实，该办件确于2023年12月29日申请",
        context("approve"),
    )
    .await?;
    let recorded = request().await?;
    let types: Vec<&str> = recorded
        .committed
        .events
        .iter()
        .map(|e| e.event_type.as_str())
        .collect();
    assert_eq!(
        types,
        [
            "ClosedPeriodEntryApproved",
            "LateEntryRecorded",
            "ServiceItemRequested"
        ]
    );

    let model = model_of(&store).await?;
    let reported = model.reported_periods(&DivisionCode::parse(people::DISTRICT)?, None, today());
    let year = reported
        .iter()
        .find(|r| r.period == Period::Year(2023))
        .expect("2023 is closed");
    let figures = |p: &guanjia_read::kpi::figures::PeriodFigures| {
        (p.cases_signed, p.visits_conducted, p.items_requested)
    };
    assert_eq!(figures(&year.as_reported), (12, 9, 13), "as reported");
    assert_eq!(figures(&year.now), (12, 9, 14), "now");
    assert_eq!(year.closed_by, people::LEADER.0);
    assert_eq!(year.changes.len(), 1);
    let change = &year.changes[0];
    assert_eq!(
        (
            change.case_id.as_str(),
            change.event_type,
            change.business_date,
            change.late_reason.as_deref(),
            change.approved_by.as_deref(),
        ),
        (
            case.as_str(),
            "ServiceItemRequested",
            december,
            Some("年底纸质台账漏录一件"),
            Some(people::LEADER.0)
        )
    );
    Ok(())
}
