//! Rating links on the record: issuing one appends its event with the issuer; the team and an
//! admin of the case's division revoke it with a reason, and the rating through it is refused
//! from then on; an admin of another town, a steward off the team, a second revocation, an
//! unknown link and a spent one are each refused with their own error.

use chrono::Duration;
use guanjia_app::cases::rating_link_record::{NewRatingLink, RatingLinkStatus, LINK_REVOKED};
use guanjia_app::{Actor, AppError};
use guanjia_domain::case::model::RatingTarget;
use guanjia_domain::rating_links::{RatingLinkChannel, RatingLinkEvent};
use guanjia_domain::user::Role;
use guanjia_domain::DomainError;
use guanjia_store::testing::TestDatabase;

use crate::ratings::{bad_rating, conduct, schedule};
use crate::support::{context, services, World, OTHER_TOWN, TOWN};

on_both_backends!(
    issuing_a_link_records_it_with_its_issuer,
    the_team_revokes_a_link_and_its_rating_is_refused_at_once,
    an_admin_revokes_links_of_cases_in_its_division_only,
    a_revocation_twice_of_an_unknown_or_of_a_spent_link_is_refused,
    a_link_issued_before_the_record_is_accepted_until_it_expires,
);

const VISIT: RatingTarget = RatingTarget::Visit(1);

/// A case whose visit 1 was conducted: (its lead steward, the case id).
async fn rateable(world: &World) -> anyhow::Result<(Actor, String)> {
    let (_, lead, case) = world.led_case().await?;
    schedule(world.app.on_case(&lead, &case, context("s"))).await?;
    conduct(world.app.on_case(&lead, &case, context("c"))).await?;
    Ok((lead, case))
}

async fn issue(world: &World, by: &Actor, case: &str, link_id: &str) -> anyhow::Result<()> {
    let link = NewRatingLink {
        case_id: case.to_owned(),
        target: VISIT,
        link_id: link_id.to_owned(),
        channel: RatingLinkChannel::Sms,
        expires_at: services().clock.now() + Duration::hours(72),
    };
    world
        .app
        .record_rating_link(by, link, context(by.username.as_str()))
        .await?;
    Ok(())
}

async fn issuing_a_link_records_it_with_its_issuer(db: TestDatabase) -> anyhow::Result<()> {
    // Given a case with a conducted visit and a steward off its team
    let world = World::new(&db).await?;
    let (lead, case) = rateable(&world).await?;
    let off_team = world.person("zhao.lei", Role::Steward, TOWN).await?;
    // When its lead steward issues a link
    let link = NewRatingLink {
        case_id: case.clone(),
        target: VISIT,
        link_id: "n0nce-1".to_owned(),
        channel: RatingLinkChannel::QrCode,
        expires_at: services().clock.now() + Duration::hours(72),
    };
    let committed = world
        .app
        .record_rating_link(&lead, link.clone(), context("li.ming"))
        .await?;
    // Then the event is in the case's stream
    assert_eq!(committed.events[0].event_type, "RatingLinkIssued");
    let event: RatingLinkEvent = serde_json::from_value(committed.events[0].payload.clone())?;
    assert!(
        matches!(&event, RatingLinkEvent::RatingLinkIssued { case_id, link_id, target: VISIT, .. }
            if *case_id == case && link_id == "n0nce-1"),
        "{event:?}"
    );
    let listed = world.app.rating_links(&lead, &case).await?;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].status, RatingLinkStatus::Live);
    // And one off the team records none
    let refused = world
        .app
        .record_rating_link(
            &off_team,
            NewRatingLink {
                link_id: "n0nce-2".to_owned(),
                ..link
            },
            context("zhao.lei"),
        )
        .await;
    assert!(
        matches!(refused, Err(AppError::Forbidden(_))),
        "{refused:?}"
    );
    Ok(())
}

async fn the_team_revokes_a_link_and_its_rating_is_refused_at_once(
    db: TestDatabase,
) -> anyhow::Result<()> {
    // Given a live link of the case
    let world = World::new(&db).await?;
    let (lead, case) = rateable(&world).await?;
    issue(&world, &lead, &case, "link-1").await?;
    // When the lead steward revokes it
    let revoked = world
        .app
        .revoke_rating_link(&lead, &case, "link-1", "发错了号码", context("li.ming"))
        .await?;
    assert_eq!(revoked.link.status, RatingLinkStatus::Revoked);
    assert_eq!(revoked.link.revoke_reason.as_deref(), Some("发错了号码"));
    // Then a rating through it is refused, and nothing is recorded on the case
    let rated = world
        .app
        .rate_through_link(&case, "link-1", VISIT, bad_rating(), context("link"))
        .await;
    assert_eq!(
        rated.map(|_| ()),
        Err(AppError::bad_input(
            "link",
            LINK_REVOKED,
            "rating link link-1 is revoked"
        ))
    );
    let listed = world.app.rating_links(&lead, &case).await?;
    assert_eq!(listed[0].status, RatingLinkStatus::Revoked);
    Ok(())
}

async fn an_admin_revokes_links_of_cases_in_its_division_only(
    db: TestDatabase,
) -> anyhow::Result<()> {
    // Given a live link of a case in the town, its admin, an admin of another town and a
    // steward of the town off the case's team
    let world = World::new(&db).await?;
    let (lead, case) = rateable(&world).await?;
    issue(&world, &lead, &case, "link-1").await?;
    let admin = world.person("admin.b", Role::Admin, TOWN).await?;
    let other_admin = world.person("admin.a", Role::Admin, OTHER_TOWN).await?;
    let off_team = world.person("zhao.lei", Role::Steward, TOWN).await?;
    // Then the admin of another town is told the case is not found, and lists nothing of it
    let refused = world
        .app
        .revoke_rating_link(&other_admin, &case, "link-1", "r", context("admin.a"))
        .await;
    assert_eq!(refused, Err(guanjia_app::authz::case_not_found()));
    let listed = world.app.rating_links(&other_admin, &case).await;
    assert_eq!(listed, Err(guanjia_app::authz::case_not_found()));
    // And the steward off the team may not revoke
    let refused = world
        .app
        .revoke_rating_link(&off_team, &case, "link-1", "r", context("zhao.lei"))
        .await;
    assert_eq!(
        refused,
        Err(AppError::Forbidden(
            "only the case's team or an admin of its division may revoke its rating links (you \
             are a steward not on it)"
                .to_owned()
        ))
    );
    // When the town's admin revokes it, with a reason
    let revoked = world
        .app
        .revoke_rating_link(
            &admin,
            &case,
            "link-1",
            "企业反映未收到",
            context("admin.b"),
        )
        .await?;
    // Then it is revoked
    assert_eq!(revoked.link.status, RatingLinkStatus::Revoked);
    assert_eq!(
        world.app.rating_links(&admin, &case).await?[0].status,
        RatingLinkStatus::Revoked
    );
    Ok(())
}

async fn a_revocation_twice_of_an_unknown_or_of_a_spent_link_is_refused(
    db: TestDatabase,
) -> anyhow::Result<()> {
    // Given two live links of one visit, one of them revoked
    let world = World::new(&db).await?;
    let (lead, case) = rateable(&world).await?;
    issue(&world, &lead, &case, "link-1").await?;
    issue(&world, &lead, &case, "link-2").await?;
    world
        .app
        .revoke_rating_link(&lead, &case, "link-1", "重复", context("li.ming"))
        .await?;
    // Then revoking it again, or an unknown link, is refused
    assert_eq!(
        world
            .app
            .revoke_rating_link(&lead, &case, "link-1", "again", context("li.ming"))
            .await,
        Err(AppError::Rejected(DomainError::NotAllowed(
            "rating link link-1 is already revoked".to_owned()
        )))
    );
    assert_eq!(
        world
            .app
            .revoke_rating_link(&lead, &case, "nope", "why", context("li.ming"))
            .await,
        Err(AppError::Rejected(DomainError::NotFound {
            what: "rating link nope".to_owned()
        }))
    );
    // When the visit is rated through the other link
    world
        .app
        .rate_through_link(&case, "link-2", VISIT, bad_rating(), context("link"))
        .await?;
    // Then that link is spent: listed as used, and not revoked
    assert_eq!(
        world
            .app
            .revoke_rating_link(&lead, &case, "link-2", "late", context("li.ming"))
            .await,
        Err(AppError::bad_input(
            "linkId",
            "link_used",
            "rating link link-2 is spent: visit 1 is rated already"
        ))
    );
    let statuses: Vec<_> = world
        .app
        .rating_links(&lead, &case)
        .await?
        .into_iter()
        .map(|l| (l.link_id, l.status))
        .collect();
    assert!(statuses.contains(&("link-1".to_owned(), RatingLinkStatus::Revoked)));
    assert!(statuses.contains(&("link-2".to_owned(), RatingLinkStatus::Used)));
    Ok(())
}

async fn a_link_issued_before_the_record_is_accepted_until_it_expires(
    db: TestDatabase,
) -> anyhow::Result<()> {
    // Given a case whose link was signed before links were recorded (none on the record)
    let world = World::new(&db).await?;
    let (_, case) = rateable(&world).await?;
    // Then its record refuses nothing, and the rating is taken
    assert_eq!(world.app.rating_link_refusal(&case, "old").await?, None);
    world
        .app
        .rate_through_link(&case, "old", VISIT, bad_rating(), context("link"))
        .await?;
    Ok(())
}
