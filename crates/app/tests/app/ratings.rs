//! Rating links and the bad-rating loop: only the team issues a link, and only for a target
//! that can be rated now; a rating given through a link is recorded without anyone signed in;
//! an appeal of a bad rating is decided by a leader, who is recorded as its reviewer.

use chrono::{TimeZone, Utc};
use guanjia_app::{AppError, OnCase};
use guanjia_domain::case::commands::{PersonInput, RatingInput};
use guanjia_domain::case::model::{Channel, DimensionSet, RatingTarget};
use guanjia_domain::case::CaseEvent;
use guanjia_domain::user::Role;
use guanjia_domain::{DomainError, ValueError};
use guanjia_store::testing::TestDatabase;

use crate::support::{context, World, OTHER_TOWN, TOWN};

on_both_backends!(
    a_link_is_issued_by_the_team_for_a_target_that_can_be_rated,
    staff_record_ratings_as_themselves_and_never_as_qr_code_or_sms,
    an_appeal_is_decided_by_a_leader_who_is_its_reviewer,
);

const VISIT: RatingTarget = RatingTarget::Visit(1);

pub(crate) fn bad_rating() -> RatingInput {
    RatingInput {
        level: 2,
        dimension_set: DimensionSet::Offline2019,
        dimensions: ["efficiency", "quality", "attitude"]
            .map(|d| (d.to_owned(), 2))
            .to_vec(),
        channel: Channel::QrCode,
        comment: Some("等待太久".to_owned()),
        rater: PersonInput::default(),
        rated_at: None,
        recorded_by: None,
    }
}

/// On the day of the registration (the clock stands at 10:00 on 15 March in Beijing).
pub(crate) async fn schedule(on: OnCase<'_>) -> Result<(), AppError> {
    let at = Utc.with_ymd_and_hms(2024, 3, 15, 0, 30, 0).single();
    let at = at.expect("valid instant");
    on.schedule_visit(at, "企业".to_owned(), "了解需求".to_owned(), Vec::new())
        .await?;
    Ok(())
}

pub(crate) async fn conduct(on: OnCase<'_>) -> Result<(), AppError> {
    let at = Utc.with_ymd_and_hms(2024, 3, 15, 1, 0, 0).single();
    let at = at.expect("valid instant");
    on.conduct_visit(
        1,
        at,
        vec!["li.ming".to_owned()],
        "走访".to_owned(),
        Vec::new(),
        Vec::new(),
    )
    .await?;
    Ok(())
}

async fn a_link_is_issued_by_the_team_for_a_target_that_can_be_rated(
    db: TestDatabase,
) -> anyhow::Result<()> {
    // Given a case with its lead steward, a steward off the team and one of another town
    let world = World::new(&db).await?;
    let (_, lead, case) = world.led_case().await?;
    let off_team = world.person("zhao.lei", Role::Steward, TOWN).await?;
    let elsewhere = world.person("wang.fang", Role::Steward, OTHER_TOWN).await?;
    let app = &world.app;
    // Then only the team may issue, and only for a visit that was conducted and not rated
    let not_found = |what: &str| {
        Err(AppError::NotFound {
            what: what.to_owned(),
        })
    };
    assert_eq!(
        app.check_rating_link(&elsewhere, &case, VISIT).await,
        not_found("case")
    );
    assert_eq!(
        app.check_rating_link(&off_team, &case, VISIT).await,
        Err(AppError::Forbidden(
            "only the case's team may issue its rating links (you are a steward not on it)"
                .to_owned()
        ))
    );
    assert_eq!(
        app.check_rating_link(&lead, &case, VISIT).await,
        not_found("visit 1")
    );
    schedule(app.on_case(&lead, &case, context("s"))).await?;
    assert_eq!(
        app.check_rating_link(&lead, &case, VISIT).await,
        Err(AppError::bad_input(
            "target",
            "not_rateable",
            "visit 1: only a conducted visit can be rated"
        ))
    );
    conduct(app.on_case(&lead, &case, context("c"))).await?;
    app.check_rating_link(&lead, &case, VISIT).await?;
    // When the enterprise rates through the link, with no one signed in (and an input that
    // names a recorder, which the link ignores)
    let forged = RatingInput {
        recorded_by: Some("zhao.lei".to_owned()),
        ..bad_rating()
    };
    let rated = app
        .rate_through_link(&case, "unrecorded", VISIT, forged, context("link"))
        .await?;
    assert_eq!(rated.committed.events[0].event_type, "RatingRecorded");
    let event: CaseEvent = serde_json::from_value(rated.committed.events[0].payload.clone())?;
    assert!(
        matches!(
            &event,
            CaseEvent::RatingRecorded {
                recorded_by: None,
                channel: Channel::QrCode,
                ..
            }
        ),
        "a link's rating is the rater's own, on the link's channel: {event:?}"
    );
    // Then the visit has its one rating and no second link is issued
    assert_eq!(
        app.check_rating_link(&lead, &case, VISIT).await,
        Err(AppError::bad_input(
            "target",
            "already_rated",
            "visit 1 is already rated (rating 1): one rating per visit or item"
        ))
    );
    Ok(())
}

async fn staff_record_ratings_as_themselves_and_never_as_qr_code_or_sms(
    db: TestDatabase,
) -> anyhow::Result<()> {
    // Given a conducted visit of a case led by li.ming
    let world = World::new(&db).await?;
    let (_, lead, case) = world.led_case().await?;
    let app = &world.app;
    schedule(app.on_case(&lead, &case, context("s"))).await?;
    conduct(app.on_case(&lead, &case, context("c"))).await?;
    // When the lead enters the rating as a QR code or SMS rating, it is refused by its rule
    for (channel, name) in [(Channel::QrCode, "qr_code"), (Channel::Sms, "sms")] {
        let refused = app
            .on_case(&lead, &case, context(name))
            .rate(
                VISIT,
                RatingInput {
                    channel,
                    ..bad_rating()
                },
            )
            .await;
        assert_eq!(
            refused,
            Err(AppError::Rejected(DomainError::invalid(
                "channel",
                ValueError::LinkOnlyChannel { channel: name }
            )))
        );
    }
    // When the lead enters it from a paper card, naming someone else as the recorder
    let entered = RatingInput {
        channel: Channel::PaperCard,
        recorded_by: Some("zhao.lei".to_owned()),
        ..bad_rating()
    };
    let rated = app
        .on_case(&lead, &case, context("card"))
        .rate(VISIT, entered)
        .await?;
    // Then the rating is recorded by staff, and the recorder is the one who acted
    let event: CaseEvent = serde_json::from_value(rated.committed.events[0].payload.clone())?;
    assert!(
        matches!(&event, CaseEvent::RatingRecorded { recorded_by: Some(who), channel: Channel::PaperCard, .. } if who == "li.ming"),
        "{event:?}"
    );
    Ok(())
}

async fn an_appeal_is_decided_by_a_leader_who_is_its_reviewer(
    db: TestDatabase,
) -> anyhow::Result<()> {
    // Given a bad rating of a conducted visit, appealed by the team
    let world = World::new(&db).await?;
    let (leader, lead, case) = world.led_case().await?;
    let app = &world.app;
    schedule(app.on_case(&lead, &case, context("s"))).await?;
    conduct(app.on_case(&lead, &case, context("c"))).await?;
    app.rate_through_link(&case, "unrecorded", VISIT, bad_rating(), context("link"))
        .await?;
    app.on_case(&lead, &case, context("appeal"))
        .appeal_rating(1, "评价对象错误".to_owned())
        .await?;
    // When the team itself tries to decide it, it is refused
    let refused = app
        .on_case(&lead, &case, context("decide"))
        .decide_appeal(1, true, "自行核销".to_owned())
        .await;
    assert_eq!(
        refused,
        Err(AppError::Forbidden(
            "a steward may not do this on this case".to_owned()
        ))
    );
    // When a leader decides it, the leader is the reviewer on record
    let decided = app
        .on_case(&leader, &case, context("decide"))
        .decide_appeal(1, true, "核实为误评".to_owned())
        .await?;
    let event: CaseEvent = serde_json::from_value(decided.committed.events[0].payload.clone())?;
    assert!(
        matches!(&event, CaseEvent::RatingVoided { reviewer, .. } if reviewer == "chen.jun"),
        "{event:?}"
    );
    Ok(())
}
