//! The team's work on a case and what others may not do: a note by the lead steward, the same by
//! someone off the team, outside the scope, on no case; a correction that would move the case
//! out of its author's scope; a request for an item the catalog does not have; the erasure of
//! personal data, which only an admin whose division holds the case may do.

use guanjia_app::{Actor, AppError, CaseOutcome};
use guanjia_domain::case::commands::EnterpriseCorrection;
use guanjia_domain::case::model::HandlingMode;
use guanjia_domain::user::Role;
use guanjia_store::testing::TestDatabase;
use guanjia_store::{AuditFilter, LogPosition};

use crate::support::{context, World, DISTRICT, OTHER_TOWN, TOWN};

on_both_backends!(
    the_lead_steward_adds_a_note,
    only_the_team_works_and_outsiders_are_not_told_the_case_exists,
    a_correction_may_not_move_a_case_out_of_its_authors_scope,
    an_item_the_catalog_does_not_have_is_not_found,
    only_an_admin_of_the_cases_division_erases_its_personal_data,
);

fn not_found() -> AppError {
    AppError::NotFound {
        what: "case".to_owned(),
    }
}

async fn note(world: &World, who: &Actor, case: &str) -> Result<CaseOutcome, AppError> {
    let on = world.app.on_case(who, case, context("note"));
    on.add_note("跟进".to_owned()).await
}

async fn the_lead_steward_adds_a_note(db: TestDatabase) -> anyhow::Result<()> {
    let world = World::new(&db).await?;
    let (_, lead, case) = world.led_case().await?;
    let noted = world
        .app
        .on_case(&lead, &case, context("note"))
        .add_note("企业来电".to_owned())
        .await?;
    let types: Vec<_> = noted
        .committed
        .events
        .iter()
        .map(|e| &e.event_type)
        .collect();
    assert_eq!(types, ["NoteAdded"]);
    assert_eq!(noted.position(), world.store.head().await?);
    Ok(())
}

async fn only_the_team_works_and_outsiders_are_not_told_the_case_exists(
    db: TestDatabase,
) -> anyhow::Result<()> {
    let world = World::new(&db).await?;
    let (_, lead, case) = world.led_case().await?;
    let off_team = world.person("zhao.lei", Role::Steward, TOWN).await?;
    let elsewhere = world.person("wang.fang", Role::Steward, OTHER_TOWN).await?;
    let admin = world.person("admin.a", Role::Admin, DISTRICT).await?;
    assert_eq!(
        note(&world, &off_team, &case).await,
        Err(AppError::Forbidden(
            "a steward may not do this on this case".to_owned()
        ))
    );
    assert_eq!(note(&world, &elsewhere, &case).await, Err(not_found()));
    assert_eq!(note(&world, &admin, &case).await, Err(not_found()));
    assert_eq!(note(&world, &lead, "no-such-case").await, Err(not_found()));
    Ok(())
}

async fn a_correction_may_not_move_a_case_out_of_its_authors_scope(
    db: TestDatabase,
) -> anyhow::Result<()> {
    let world = World::new(&db).await?;
    let (_, lead, case) = world.led_case().await?;
    let correction = EnterpriseCorrection {
        division: Some(OTHER_TOWN.to_owned()),
        ..EnterpriseCorrection::default()
    };
    let refused = world
        .app
        .on_case(&lead, &case, context("move"))
        .correct_enterprise_details(correction.clone(), "地址变更".to_owned())
        .await;
    assert_eq!(
        refused,
        Err(AppError::Forbidden(
            "you may not move a case out of your division".to_owned()
        ))
    );
    Ok(())
}

async fn an_item_the_catalog_does_not_have_is_not_found(db: TestDatabase) -> anyhow::Result<()> {
    let world = World::new(&db).await?;
    let (_, lead, case) = world.led_case().await?;
    let refused = world
        .app
        .on_case(&lead, &case, context("item"))
        .request_service_item(" 0001 ", HandlingMode::Assisted, None)
        .await;
    assert_eq!(
        refused,
        Err(AppError::NotFound {
            what: "catalog item 0001".to_owned()
        })
    );
    let refused = world
        .app
        .on_case(&lead, &case, context("bundle"))
        .request_bundle("B-1", HandlingMode::Assisted, None)
        .await;
    assert_eq!(
        refused,
        Err(AppError::NotFound {
            what: "bundle B-1".to_owned()
        })
    );
    Ok(())
}

async fn only_an_admin_of_the_cases_division_erases_its_personal_data(
    db: TestDatabase,
) -> anyhow::Result<()> {
    // Given a case with a contact's name and phone
    let world = World::new(&db).await?;
    let (leader, lead, case) = world.led_case().await?;
    let other_admin = world.person("admin.b", Role::Admin, OTHER_TOWN).await?;
    let admin = world.person("admin.a", Role::Admin, DISTRICT).await?;
    let erase = |who| {
        let on = world.app.on_case(who, &case, context("erase"));
        async move {
            on.erase_personal_data("依申请删除 2024-01".to_owned())
                .await
        }
    };
    // When the team, a leader or an admin of another town asks, they are refused
    let only_admins = AppError::Forbidden(
        "only an admin erases personal data, on a lawful request (you are a steward)".to_owned(),
    );
    assert_eq!(erase(&lead).await, Err(only_admins));
    assert!(matches!(erase(&leader).await, Err(AppError::Forbidden(_))));
    assert_eq!(erase(&other_admin).await, Err(not_found()));
    // When the district's admin asks, the erasure is recorded and the contact reads as erased
    let erased = erase(&admin).await?;
    let types: Vec<_> = erased
        .committed
        .events
        .iter()
        .map(|e| &e.event_type)
        .collect();
    assert_eq!(types, ["PersonalDataErased"]);
    let filter = AuditFilter {
        aggregate_id: Some(case.clone()),
        ..AuditFilter::default()
    };
    let history = world.store.audit(&filter, LogPosition::START, 10).await?;
    let registered = history
        .iter()
        .find(|e| e.event_type == "CaseRegistered")
        .expect("registered");
    assert_eq!(
        registered.erased_fields,
        ["enterprise.contact_name", "enterprise.contact_phone"]
    );
    Ok(())
}
