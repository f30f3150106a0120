//! Who may put whom on a team: leaders in scope manage teams, and the people they name must be
//! active stewards or leaders whose division holds the case — judged only after the actor's own
//! check, so a refusal about a person tells nothing to whom may not know the case.

use guanjia_app::AppError;
use guanjia_domain::user::Role;
use guanjia_domain::values::Tier;
use guanjia_domain::DomainError;
use guanjia_store::testing::TestDatabase;

use crate::support::{context, World, AUDITOR, OTHER_TOWN, TOWN};

on_both_backends!(
    a_leader_puts_an_active_steward_in_scope_on_the_team,
    stewards_do_not_manage_teams,
    the_people_named_must_be_active_stewards_or_leaders_in_scope,
    a_malformed_username_names_its_field,
    a_leader_outside_the_case_learns_nothing_about_people,
);

async fn a_leader_puts_an_active_steward_in_scope_on_the_team(
    db: TestDatabase,
) -> anyhow::Result<()> {
    // Given a case of the town with its lead steward
    let world = World::new(&db).await?;
    let (leader, _, case) = world.led_case().await?;
    let member = world.person("zhao.lei", Role::Steward, TOWN).await?;
    // When the leader adds a steward of the town
    let added = world
        .app
        .on_case(&leader, &case, context("add"))
        .add_team_member(
            member.username.to_string(),
            "镇级代办员".to_owned(),
            Tier::Town,
        )
        .await?;
    // Then the member is on the team
    let types: Vec<_> = added
        .committed
        .events
        .iter()
        .map(|e| &e.event_type)
        .collect();
    assert_eq!(types, ["TeamMemberAdded"]);
    assert_eq!(added.case_id, case);
    Ok(())
}

async fn stewards_do_not_manage_teams(db: TestDatabase) -> anyhow::Result<()> {
    let world = World::new(&db).await?;
    let (_, lead, case) = world.led_case().await?;
    let other = world.person("zhao.lei", Role::Steward, TOWN).await?;
    let refused = world
        .app
        .on_case(&lead, &case, context("add"))
        .add_team_member(other.username.to_string(), "联络员".to_owned(), Tier::Town)
        .await;
    assert_eq!(
        refused,
        Err(AppError::Forbidden(
            "a steward may not do this on this case".to_owned()
        ))
    );
    Ok(())
}

async fn the_people_named_must_be_active_stewards_or_leaders_in_scope(
    db: TestDatabase,
) -> anyhow::Result<()> {
    // Given a case, and people who may not join its team
    let world = World::new(&db).await?;
    let (leader, _, case) = world.led_case().await?;
    world.person("gone.wang", Role::Steward, TOWN).await?;
    world.disable("gone.wang").await?;
    world.person("audit.li", Role::Auditor, AUDITOR).await?;
    world.person("far.sun", Role::Steward, OTHER_TOWN).await?;
    let cases = [
        ("nobody.here", "unknown_user", "no active user nobody.here"),
        ("gone.wang", "unknown_user", "no active user gone.wang"),
        (
            "audit.li",
            "role",
            "audit.li is a auditor; only stewards and leaders work on cases",
        ),
        (
            "far.sun",
            "out_of_scope",
            "the case is outside far.sun's division",
        ),
    ];
    for (name, rule, message) in cases {
        // When the leader names them as lead steward, or as a member
        let as_lead = world
            .app
            .on_case(&leader, &case, context("lead"))
            .assign_lead_steward(name.to_owned(), Tier::Town, Some("换人".to_owned()))
            .await;
        let as_member = world
            .app
            .on_case(&leader, &case, context("member"))
            .add_team_member(name.to_owned(), "联络员".to_owned(), Tier::Town)
            .await;
        // Then each is refused, naming the argument and the rule
        assert_eq!(as_lead, Err(AppError::bad_input("steward", rule, message)));
        assert_eq!(as_member, Err(AppError::bad_input("userId", rule, message)));
    }
    Ok(())
}

async fn a_malformed_username_names_its_field(db: TestDatabase) -> anyhow::Result<()> {
    let world = World::new(&db).await?;
    let (leader, _, case) = world.led_case().await?;
    let refused = world
        .app
        .on_case(&leader, &case, context("member"))
        .add_team_member("bad name!".to_owned(), "联络员".to_owned(), Tier::Town)
        .await;
    assert!(
        matches!(
            refused,
            Err(AppError::Rejected(DomainError::Invalid {
                field: "userId",
                ..
            }))
        ),
        "{refused:?}"
    );
    Ok(())
}

async fn a_leader_outside_the_case_learns_nothing_about_people(
    db: TestDatabase,
) -> anyhow::Result<()> {
    let world = World::new(&db).await?;
    let (_, _, case) = world.led_case().await?;
    let outsider = world.person("sun.li", Role::Leader, OTHER_TOWN).await?;
    for name in ["nobody.here", "bad name!"] {
        let refused = world
            .app
            .on_case(&outsider, &case, context("member"))
            .add_team_member(name.to_owned(), "联络员".to_owned(), Tier::Town)
            .await;
        assert_eq!(
            refused,
            Err(AppError::NotFound {
                what: "case".to_owned()
            }),
            "{name}"
        );
    }
    Ok(())
}
