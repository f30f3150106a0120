//! Registering a case: who may, in which division, and what an idempotency key names.

use guanjia_app::AppError;
use guanjia_domain::user::Role;
use guanjia_domain::DomainError;
use guanjia_store::testing::TestDatabase;

use crate::support::{context, registration, World, DISTRICT, OTHER_TOWN, TOWN, VILLAGE};

on_both_backends!(
    a_steward_registers_a_case_in_their_division,
    registering_outside_ones_division_is_forbidden,
    admins_and_auditors_do_not_register_cases,
    a_malformed_division_is_refused_before_anything_else,
    a_key_names_one_registration_of_one_person,
);

async fn a_steward_registers_a_case_in_their_division(db: TestDatabase) -> anyhow::Result<()> {
    // Given a steward of the town
    let world = World::new(&db).await?;
    let steward = world.person("li.ming", Role::Steward, TOWN).await?;
    // When they register a case of an enterprise in one of its villages
    let case = world
        .app
        .register_case(&steward, registration("甲", None, VILLAGE), context("r1"))
        .await?;
    // Then the case has the year's first number and its registration is in the log
    assert_eq!(case.case_number.expect("numbered").to_string(), "2024-0001");
    let types: Vec<_> = case
        .committed
        .events
        .iter()
        .map(|e| &e.event_type)
        .collect();
    assert_eq!(types, ["CaseRegistered"]);
    assert_eq!(case.position(), case.committed.position);
    Ok(())
}

async fn registering_outside_ones_division_is_forbidden(db: TestDatabase) -> anyhow::Result<()> {
    let world = World::new(&db).await?;
    let elsewhere = world.person("wang.fang", Role::Steward, OTHER_TOWN).await?;
    let before = world.store.head().await?;
    let refused = world
        .app
        .register_case(&elsewhere, registration("甲", None, VILLAGE), context("r1"))
        .await;
    assert_eq!(
        refused,
        Err(AppError::Forbidden(format!(
            "a steward may not register a case in division {VILLAGE}"
        )))
    );
    assert_eq!(world.store.head().await?, before, "nothing recorded");
    Ok(())
}

async fn admins_and_auditors_do_not_register_cases(db: TestDatabase) -> anyhow::Result<()> {
    let world = World::new(&db).await?;
    for (name, role) in [("admin.a", Role::Admin), ("audit.a", Role::Auditor)] {
        let who = world.person(name, role, DISTRICT).await?;
        let refused = world
            .app
            .register_case(&who, registration("甲", None, VILLAGE), context(name))
            .await;
        assert_eq!(
            refused,
            Err(AppError::Forbidden(format!(
                "a {role} may not register a case in division {VILLAGE}"
            )))
        );
    }
    Ok(())
}

async fn a_malformed_division_is_refused_before_anything_else(
    db: TestDatabase,
) -> anyhow::Result<()> {
    let world = World::new(&db).await?;
    let steward = world.person("li.ming", Role::Steward, TOWN).await?;
    let refused = world
        .app
        .register_case(&steward, registration("甲", None, "6109"), context("r1"))
        .await;
    assert!(
        matches!(
            refused,
            Err(AppError::Rejected(DomainError::Invalid {
                field: "division",
                ..
            }))
        ),
        "{refused:?}"
    );
    Ok(())
}

async fn a_key_names_one_registration_of_one_person(db: TestDatabase) -> anyhow::Result<()> {
    // Given two stewards who happen to pick the same key
    let world = World::new(&db).await?;
    let li = world.person("li.ming", Role::Steward, TOWN).await?;
    let zhao = world.person("zhao.lei", Role::Steward, TOWN).await?;
    let keyed = |who: &str| context(who).with_command_key("form-1");
    // When each sends it, and one sends it again
    let app = &world.app;
    let first = app
        .register_case(&li, registration("甲", None, VILLAGE), keyed("li"))
        .await?;
    let again = app
        .register_case(&li, registration("甲", None, VILLAGE), keyed("li"))
        .await?;
    let other = app
        .register_case(&zhao, registration("甲", None, VILLAGE), keyed("zhao"))
        .await?;
    // Then the repeat is the first outcome, and the other person's is a case of its own
    assert_eq!(first, again);
    assert_ne!(first.case_id, other.case_id);
    assert_eq!(
        other.case_number.expect("numbered").to_string(),
        "2024-0002"
    );
    Ok(())
}
