//! Closed periods (封账) through the application layer: the district leader closes February
//! 2024 once it is reported; a step dated inside it is refused (a late entry too, and a
//! registration) until a leader of the closing division approves it for the case; the
//! approval lets in one entry. Who may close and approve, and where, is refused otherwise.
//! Today is 2024-03-15.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use guanjia_app::{Actor, AppError, CaseOutcome};
use guanjia_domain::case::model::AgreementScope;
use guanjia_domain::clock::china_offset;
use guanjia_domain::user::Role;
use guanjia_domain::values::{DivisionCode, Period, Tier};
use guanjia_domain::DomainError;
use guanjia_store::testing::TestDatabase;

use crate::support::{context, registration, World, DISTRICT, OTHER_TOWN, TOWN, VILLAGE};

on_both_backends!(
    a_step_inside_a_closed_period_needs_the_approval_of_a_leader_of_the_closing_division,
    only_leaders_close_periods_within_their_subtree_and_once,
    approvals_are_refused_outside_the_subtree_the_division_and_closed_periods,
    a_registration_dated_inside_a_closed_period_is_refused,
    a_node_whose_memory_of_the_case_is_behind_still_checks_closed_periods,
);

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn beijing(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    china_offset()
        .with_ymd_and_hms(y, m, d, h, 0, 0)
        .single()
        .expect("valid instant")
        .with_timezone(&Utc)
}

fn closed_in(division: &str, date: NaiveDate) -> AppError {
    AppError::PeriodClosed {
        date,
        period: Period::Month(2024, 2),
        division: DivisionCode::parse(division).expect("valid"),
    }
}

fn types(outcome: &CaseOutcome) -> Vec<&str> {
    outcome
        .committed
        .events
        .iter()
        .map(|e| e.event_type.as_str())
        .collect()
}

/// A case registered on 2024-02-01 (a late entry), led by li.ming; the district leader.
async fn february_case(world: &World) -> anyhow::Result<(Actor, Actor, String)> {
    let leader = world.person("chen.jun", Role::Leader, DISTRICT).await?;
    let lead = world.person("li.ming", Role::Steward, TOWN).await?;
    let mut new = registration("恒口新材料", None, VILLAGE);
    new.registered_on = Some(day(2024, 2, 1));
    new.late_reason = Some("纸质台账补录".to_owned());
    let case = world.app.register_case(&lead, new, context("r")).await?;
    world
        .app
        .on_case(&leader, &case.case_id, context("a"))
        .assign_lead_steward(lead.username.to_string(), Tier::Town, None)
        .await?;
    Ok((leader, lead, case.case_id))
}

async fn sign_on(
    world: &World,
    lead: &Actor,
    case: &str,
    on: NaiveDate,
) -> Result<CaseOutcome, AppError> {
    world
        .app
        .on_case(lead, case, context("sign"))
        .late_entry(Some("协议原件后补".to_owned()))
        .sign_agreement(AgreementScope::FullLifecycle, on, vec!["王经理".to_owned()])
        .await
}

async fn a_step_inside_a_closed_period_needs_the_approval_of_a_leader_of_the_closing_division(
    db: TestDatabase,
) -> anyhow::Result<()> {
    let world = World::new(&db).await?;
    let (leader, lead, case) = february_case(&world).await?;
    world
        .app
        .close_period(&leader, DISTRICT, "2024-02", context("close"))
        .await?;

    // Refused, late entry and reason and all.
    assert_eq!(
        sign_on(&world, &lead, &case, day(2024, 2, 10)).await,
        Err(closed_in(DISTRICT, day(2024, 2, 10)))
    );
    // A town leader closes February too and approves: the district closed it as well, so the
    // district (the outermost) decides, and the town's approval lets nothing in.
    let town_leader = world.person("wu.hua", Role::Leader, TOWN).await?;
    world
        .app
        .close_period(&town_leader, TOWN, "2024-02", context("close-town"))
        .await?;
    world
        .app
        .approve_closed_period_entry(
            &town_leader,
            TOWN,
            "2024-02",
            &case,
            "镇里同意",
            context("approve-town"),
        )
        .await?;
    assert_eq!(
        sign_on(&world, &lead, &case, day(2024, 2, 10)).await,
        Err(closed_in(DISTRICT, day(2024, 2, 10)))
    );

    // The district leader approves: the entry goes in, the approval recorded first.
    world
        .app
        .approve_closed_period_entry(
            &leader,
            DISTRICT,
            "2024-02",
            &case,
            "二月签约漏录，经核实属实",
            context("approve"),
        )
        .await?;
    let signed = sign_on(&world, &lead, &case, day(2024, 2, 10)).await?;
    assert_eq!(
        types(&signed),
        [
            "ClosedPeriodEntryApproved",
            "LateEntryRecorded",
            "AgreementSigned"
        ]
    );

    // The approval is used: the next step dated in February is refused again.
    world
        .app
        .on_case(&lead, &case, context("schedule"))
        .schedule_visit(
            beijing(2024, 2, 20, 9),
            "企业厂区".to_owned(),
            "了解用地需求".to_owned(),
            Vec::new(),
        )
        .await?;
    let conducted = world
        .app
        .on_case(&lead, &case, context("conduct"))
        .late_entry(Some("走访记录后补".to_owned()))
        .conduct_visit(
            1,
            beijing(2024, 2, 20, 9),
            vec!["li.ming".to_owned()],
            "现场查看".to_owned(),
            Vec::new(),
            Vec::new(),
        )
        .await;
    assert_eq!(conducted, Err(closed_in(DISTRICT, day(2024, 2, 20))));

    // A step dated after the closed period goes in as usual.
    let march = world
        .app
        .on_case(&lead, &case, context("conduct-march"))
        .conduct_visit(
            1,
            beijing(2024, 3, 14, 9),
            vec!["li.ming".to_owned()],
            "现场查看".to_owned(),
            Vec::new(),
            Vec::new(),
        )
        .await?;
    assert_eq!(types(&march), ["VisitConducted"]);
    Ok(())
}

async fn only_leaders_close_periods_within_their_subtree_and_once(
    db: TestDatabase,
) -> anyhow::Result<()> {
    let world = World::new(&db).await?;
    let (leader, lead, _) = february_case(&world).await?;
    let other_leader = world.person("wu.hua", Role::Leader, OTHER_TOWN).await?;

    let by_steward = world
        .app
        .close_period(&lead, TOWN, "2024-02", context("c1"))
        .await;
    assert_eq!(
        by_steward,
        Err(AppError::Forbidden(
            "only a leader may close a period (you are a steward)".to_owned()
        ))
    );
    let outside = world
        .app
        .close_period(&other_leader, TOWN, "2024-02", context("c2"))
        .await;
    assert_eq!(
        outside,
        Err(AppError::Forbidden(format!(
            "division {TOWN} lies outside your subtree ({OTHER_TOWN})"
        )))
    );
    let unfinished = world
        .app
        .close_period(&leader, DISTRICT, "2024-03", context("c3"))
        .await;
    assert!(
        matches!(
            unfinished,
            Err(AppError::Rejected(DomainError::Invalid {
                field: "period",
                ..
            }))
        ),
        "{unfinished:?}"
    );
    let malformed = world
        .app
        .close_period(&leader, DISTRICT, "2024-13", context("c4"))
        .await;
    assert!(
        matches!(
            malformed,
            Err(AppError::Rejected(DomainError::Invalid {
                field: "period",
                ..
            }))
        ),
        "{malformed:?}"
    );

    world
        .app
        .close_period(&leader, DISTRICT, "2023", context("c5"))
        .await?;
    let again = world
        .app
        .close_period(&leader, DISTRICT, "2023-Q2", context("c6"))
        .await;
    assert_eq!(
        again,
        Err(AppError::Rejected(DomainError::AlreadyExists(format!(
            "2023-Q2 of division {DISTRICT} is already closed (封账 of 2023)"
        ))))
    );
    let periods = world.app.reporting_periods(&lead, TOWN).await;
    assert!(
        matches!(periods, Err(AppError::Forbidden(_))),
        "{periods:?}"
    );
    let periods = world
        .app
        .reporting_periods(&other_leader, OTHER_TOWN)
        .await?;
    let closed: Vec<(String, Vec<Period>)> = periods
        .iter()
        .map(|(code, book)| (code.to_string(), book.closed.keys().copied().collect()))
        .collect();
    assert_eq!(
        closed,
        vec![
            (DISTRICT.to_owned(), vec![Period::Year(2023)]),
            (OTHER_TOWN.to_owned(), vec![])
        ]
    );
    Ok(())
}

async fn approve(
    world: &World,
    who: &Actor,
    division: &str,
    period: &str,
    case: &str,
) -> Result<guanjia_store::Committed, AppError> {
    world
        .app
        .approve_closed_period_entry(who, division, period, case, "理由", context("ap"))
        .await
}

async fn approvals_are_refused_outside_the_subtree_the_division_and_closed_periods(
    db: TestDatabase,
) -> anyhow::Result<()> {
    let world = World::new(&db).await?;
    let (leader, lead, case) = february_case(&world).await?;
    let other_leader = world.person("wu.hua", Role::Leader, OTHER_TOWN).await?;
    world
        .app
        .close_period(&leader, DISTRICT, "2024-02", context("close"))
        .await?;
    let (lead, leader, other_leader) = (&lead, &leader, &other_leader);

    assert_eq!(
        approve(&world, lead, DISTRICT, "2024-02", &case).await,
        Err(AppError::Forbidden(
            "only a leader may approve an entry into a closed period (you are a steward)"
                .to_owned()
        ))
    );
    assert_eq!(
        approve(&world, other_leader, DISTRICT, "2024-02", &case).await,
        Err(AppError::Forbidden(format!(
            "division {DISTRICT} lies outside your subtree ({OTHER_TOWN})"
        )))
    );
    // The leader of another town, for its own division: the case is not in it (and not in
    // their scope, so they are not told it exists).
    assert_eq!(
        approve(&world, other_leader, OTHER_TOWN, "2024-02", &case).await,
        Err(AppError::NotFound {
            what: "case".to_owned()
        })
    );
    // The district leader, for a town the case is not in.
    assert!(matches!(
        approve(&world, leader, OTHER_TOWN, "2024-02", &case).await,
        Err(AppError::BadInput {
            rule: "out_of_division",
            ..
        })
    ));
    // A period the district has not closed.
    assert_eq!(
        approve(&world, leader, DISTRICT, "2024-01", &case).await,
        Err(AppError::Rejected(DomainError::not_allowed(format!(
            "2024-01 is not closed for division {DISTRICT}: entries dated inside it need no \
             approval"
        ))))
    );
    // Nothing was approved: the step is still refused.
    assert_eq!(
        sign_on(&world, lead, &case, day(2024, 2, 10)).await,
        Err(closed_in(DISTRICT, day(2024, 2, 10)))
    );
    Ok(())
}

async fn a_registration_dated_inside_a_closed_period_is_refused(
    db: TestDatabase,
) -> anyhow::Result<()> {
    let world = World::new(&db).await?;
    let leader = world.person("chen.jun", Role::Leader, DISTRICT).await?;
    let lead = world.person("li.ming", Role::Steward, TOWN).await?;
    world
        .app
        .close_period(&leader, DISTRICT, "2024-02", context("close"))
        .await?;
    let mut new = registration("恒口新材料", None, VILLAGE);
    new.registered_on = Some(day(2024, 2, 1));
    new.late_reason = Some("纸质台账补录".to_owned());
    let before = world.store.head().await?;
    let refused = world.app.register_case(&lead, new, context("r")).await;
    assert_eq!(refused, Err(closed_in(DISTRICT, day(2024, 2, 1))));
    // Nothing was claimed, numbered or recorded for it.
    assert_eq!(world.store.head().await?, before);
    let mut march = registration("恒口新材料", None, VILLAGE);
    march.registered_on = Some(day(2024, 3, 1));
    march.late_reason = Some("纸质台账补录".to_owned());
    world.app.register_case(&lead, march, context("r2")).await?;
    Ok(())
}

/// Two nodes on one database. The check of a step is prepared on the case as the node last
/// saw it (from memory, no read of the log) and confirmed on the case as loaded for the
/// command. Node B last saw the case before node A scheduled a visit: on B's memory the visit
/// does not exist, so conducting it has no business date and would need no period — the
/// confirmation sees the step dated in the closed February and B prepares again from the log.
async fn a_node_whose_memory_of_the_case_is_behind_still_checks_closed_periods(
    db: TestDatabase,
) -> anyhow::Result<()> {
    let world = World::new(&db).await?;
    let node_b = World::new(&db).await?;
    let (leader, lead, case) = february_case(&world).await?;
    world
        .app
        .close_period(&leader, DISTRICT, "2024-02", context("close"))
        .await?;
    world
        .app
        .approve_closed_period_entry(
            &leader,
            DISTRICT,
            "2024-02",
            &case,
            "二月签约漏录",
            context("approve-sign"),
        )
        .await?;
    sign_on(&world, &lead, &case, day(2024, 2, 10)).await?;
    // Node B reads the case (and remembers it) before the visit is scheduled on node A.
    node_b
        .store
        .load::<guanjia_domain::case::EnterpriseCase>(&case)
        .await?;
    world
        .app
        .on_case(&lead, &case, context("schedule"))
        .schedule_visit(
            beijing(2024, 2, 20, 9),
            "企业厂区".to_owned(),
            "了解用地需求".to_owned(),
            Vec::new(),
        )
        .await?;
    let conduct = |key: &'static str| {
        node_b
            .app
            .on_case(&lead, &case, context(key))
            .late_entry(Some("走访记录后补".to_owned()))
            .conduct_visit(
                1,
                beijing(2024, 2, 20, 9),
                vec!["li.ming".to_owned()],
                "现场查看".to_owned(),
                Vec::new(),
                Vec::new(),
            )
    };
    assert_eq!(
        conduct("conduct-b").await,
        Err(closed_in(DISTRICT, day(2024, 2, 20)))
    );
    // With the leader's approval (given on node A) node B records it, approval first.
    world
        .app
        .approve_closed_period_entry(
            &leader,
            DISTRICT,
            "2024-02",
            &case,
            "走访当日未录入",
            context("approve"),
        )
        .await?;
    let conducted = conduct("conduct-b-approved").await?;
    assert_eq!(
        types(&conducted),
        [
            "ClosedPeriodEntryApproved",
            "LateEntryRecorded",
            "VisitConducted"
        ]
    );
    Ok(())
}
