//! 办不成事 complaints are about the team: a leader of the division outside the team signs the
//! answer off (`complaint_sign_off`, on by default), and is recorded as the signer. Every
//! refusal is checked; with the setting off, the team answers as before.

use guanjia_app::{Actor, AppError, OnCase};
use guanjia_domain::case::commands::PersonInput;
use guanjia_domain::case::model::Channel;
use guanjia_domain::case::CaseEvent;
use guanjia_domain::user::Role;
use guanjia_domain::values::Tier;
use guanjia_store::testing::TestDatabase;

use crate::support::{context, World, AUDITOR, OTHER_TOWN, TOWN};

on_both_backends!(
    a_complaint_is_answered_with_the_sign_off_of_a_leader_outside_the_team,
    without_sign_off_the_team_answers_its_complaint,
);

/// Lodges complaint 1 and assigns it to the lead steward li.ming.
async fn lodged_and_assigned(world: &World, lead: &Actor, case: &str) -> anyhow::Result<()> {
    let complainant = PersonInput {
        name: Some("刘女士".to_owned()),
        phone: Some("13700001111".to_owned()),
    };
    world
        .app
        .on_case(lead, case, context("lodge"))
        .lodge_complaint(
            Channel::Hotline12345,
            "施工许可迟迟未办".to_owned(),
            complainant,
            None,
        )
        .await?;
    world
        .app
        .on_case(lead, case, context("assign"))
        .assign_complaint(1, "li.ming".to_owned())
        .await?;
    Ok(())
}

async fn answer(on: OnCase<'_>) -> Result<Option<String>, AppError> {
    let resolved = on
        .resolve_complaint(1, "已协调住建局三日内办结".to_owned(), None)
        .await?;
    let event: CaseEvent = serde_json::from_value(resolved.committed.events[0].payload.clone())
        .map_err(|e| AppError::bad_input("payload", "decode", e.to_string()))?;
    match event {
        CaseEvent::ComplaintResolved { signed_off_by, .. } => Ok(signed_off_by),
        other => Err(AppError::bad_input(
            "payload",
            "decode",
            format!("{other:?}"),
        )),
    }
}

async fn a_complaint_is_answered_with_the_sign_off_of_a_leader_outside_the_team(
    db: TestDatabase,
) -> anyhow::Result<()> {
    // Given a complaint about a case led by li.ming, assigned to him
    let world = World::new(&db).await?;
    let (leader, lead, case) = world.led_case().await?;
    lodged_and_assigned(&world, &lead, &case).await?;
    let off_team = world.person("zhao.lei", Role::Steward, TOWN).await?;
    let auditor = world.person("sun.li", Role::Auditor, AUDITOR).await?;
    let elsewhere = world.person("zhou.min", Role::Leader, OTHER_TOWN).await?;
    let town_leader = world.person("wu.gang", Role::Leader, TOWN).await?;
    let app = &world.app;
    let refused = |who: &str| {
        Err(AppError::Forbidden(format!(
            "a 办不成事 complaint is resolved with the sign-off of a leader of the division who \
             is not on the case's team (you are {who})"
        )))
    };
    // When the team answers it itself, a steward off the team or an auditor tries: refused
    assert_eq!(
        answer(app.on_case(&lead, &case, context("lead"))).await,
        refused("a steward on the case's team")
    );
    assert_eq!(
        answer(app.on_case(&off_team, &case, context("off"))).await,
        refused("a steward")
    );
    assert_eq!(
        answer(app.on_case(&auditor, &case, context("audit"))).await,
        refused("a auditor")
    );
    // A leader of another town is not told the case exists
    assert_eq!(
        answer(app.on_case(&elsewhere, &case, context("elsewhere"))).await,
        Err(AppError::NotFound {
            what: "case".to_owned()
        })
    );
    // A leader who is on the team is refused too
    app.on_case(&leader, &case, context("join"))
        .add_team_member("wu.gang".to_owned(), "镇分管领导".to_owned(), Tier::Town)
        .await?;
    assert_eq!(
        answer(app.on_case(&town_leader, &case, context("member"))).await,
        refused("a leader on the case's team")
    );
    // Then a leader of the division outside the team signs it off, and is the signer on record
    assert_eq!(
        answer(app.on_case(&leader, &case, context("sign"))).await,
        Ok(Some("chen.jun".to_owned()))
    );
    Ok(())
}

async fn without_sign_off_the_team_answers_its_complaint(db: TestDatabase) -> anyhow::Result<()> {
    // Given sign-off switched off in the configuration
    let mut world = World::new(&db).await?;
    world.app = world.app.clone().with_complaint_sign_off(false);
    let (_, lead, case) = world.led_case().await?;
    lodged_and_assigned(&world, &lead, &case).await?;
    // When the lead steward answers, it is recorded without a signer
    assert_eq!(
        answer(world.app.on_case(&lead, &case, context("lead"))).await,
        Ok(None)
    );
    Ok(())
}
