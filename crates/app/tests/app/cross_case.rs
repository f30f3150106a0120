//! The rules that cross cases: case numbers unique and never reused, at most one open case per
//! USCC — also when registrations race, when a case closes, reopens or corrects its USCC, and
//! after a step lost to a crash.

use guanjia_app::testing::{register_unchecked, run_unchecked};
use guanjia_app::{AppError, CaseOutcome, CaseRegistration};
use guanjia_domain::case::commands::{EnterpriseCorrection, EnterpriseInput};
use guanjia_domain::case::model::{CloseReason, LeadSource, Stage};
use guanjia_domain::case::{CaseCommand, EnterpriseCase};
use guanjia_domain::registry::CaseNumberBook;
use guanjia_domain::DomainError;
use guanjia_store::testing::TestDatabase;
use guanjia_store::Store;

use crate::support::{context, services};

on_both_backends!(
    concurrent_registrations_get_distinct_consecutive_numbers,
    only_one_of_racing_registrations_of_an_enterprise_wins,
    closing_frees_the_enterprise_and_reopening_claims_it,
    a_uscc_correction_moves_the_claim,
    a_registration_sent_twice_with_its_key_registers_once,
    bad_input_takes_no_number,
    a_lost_release_is_taken_over,
);

const USCC: &str = "91350100M000100Y43";
const OTHER_USCC: &str = "9144030071526726XG";

fn registration(name: &str, uscc: Option<&str>) -> CaseRegistration {
    CaseRegistration {
        enterprise: EnterpriseInput {
            name: name.to_owned(),
            uscc: uscc.map(str::to_owned),
            division: "610902100000".to_owned(),
            ..EnterpriseInput::default()
        },
        lead_source: LeadSource::InvestmentPromotion,
        stage: Stage::Establishment,
        registered_on: None,
        late_reason: None,
    }
}

/// Registers the case of `name` (with `uscc`) as a trusted caller, the request's key `key`.
async fn register(
    store: &Store,
    name: &str,
    uscc: Option<&str>,
    key: &str,
) -> Result<CaseOutcome, AppError> {
    register_unchecked(store, registration(name, uscc), &services(), context(key)).await
}

fn close() -> CaseCommand {
    CaseCommand::Close {
        reason: CloseReason::EnterpriseWithdrew,
        summary: "企业撤回".to_owned(),
        closed_on: None,
    }
}

fn reopen() -> CaseCommand {
    CaseCommand::Reopen {
        reason: "重新申请".to_owned(),
        reopened_on: None,
    }
}

fn is_open_case_refusal(error: &AppError) -> bool {
    matches!(error, AppError::Rejected(DomainError::AlreadyExists(m)) if m.contains("already has an open case"))
}

async fn concurrent_registrations_get_distinct_consecutive_numbers(
    db: TestDatabase,
) -> anyhow::Result<()> {
    let store = db.open().await?;
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                register_unchecked(
                    &store,
                    registration(&format!("企业{i}"), None),
                    &services(),
                    context("r-reg"),
                )
                .await
            })
        })
        .collect();
    let mut numbers = Vec::new();
    for task in tasks {
        numbers.push(task.await??.case_number.expect("numbered").to_string());
    }
    numbers.sort();
    let expected: Vec<String> = (1..=8).map(|n| format!("2024-{n:04}")).collect();
    assert_eq!(numbers, expected);
    Ok(())
}

async fn only_one_of_racing_registrations_of_an_enterprise_wins(
    db: TestDatabase,
) -> anyhow::Result<()> {
    let store = db.open().await?;
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move { register(&store, "恒口新材料", Some(USCC), "r").await })
        })
        .collect();
    let (mut won, mut refused) = (Vec::new(), 0);
    for task in tasks {
        match task.await? {
            Ok(case) => won.push(case),
            Err(error) if is_open_case_refusal(&error) => refused += 1,
            Err(other) => anyhow::bail!("unexpected error: {other:?}"),
        }
    }
    assert_eq!((won.len(), refused), (1, 7));
    assert_eq!(
        won[0].case_number.expect("numbered").to_string(),
        "2024-0001",
        "losers take no number"
    );
    Ok(())
}

async fn closing_frees_the_enterprise_and_reopening_claims_it(
    db: TestDatabase,
) -> anyhow::Result<()> {
    let store = db.open().await?;
    let first = register(&store, "甲", Some(USCC), "r1").await?;
    let refused = register(&store, "甲", Some(USCC), "r2").await;
    let error = refused.expect_err("second open case refused");
    assert_eq!(
        error,
        AppError::Rejected(DomainError::AlreadyExists(format!(
            "enterprise {USCC} already has an open case 2024-0001"
        )))
    );
    run_unchecked(&store, &first.case_id, close(), &services(), context("r3")).await?;
    let second = register(&store, "甲", Some(USCC), "r4").await?;
    let error = run_unchecked(&store, &first.case_id, reopen(), &services(), context("r5"))
        .await
        .expect_err("refused");
    assert!(is_open_case_refusal(&error), "{error:?}");
    run_unchecked(&store, &second.case_id, close(), &services(), context("r6")).await?;
    run_unchecked(&store, &first.case_id, reopen(), &services(), context("r7")).await?;
    let error = register(&store, "甲", Some(USCC), "r8")
        .await
        .expect_err("refused");
    assert!(is_open_case_refusal(&error), "{error:?}");
    Ok(())
}

async fn a_uscc_correction_moves_the_claim(db: TestDatabase) -> anyhow::Result<()> {
    let store = db.open().await?;
    let a = register(&store, "甲", Some(USCC), "r1").await?;
    let b = register(&store, "乙", None, "r2").await?;
    let to = |uscc: &str| CaseCommand::CorrectEnterpriseDetails {
        correction: EnterpriseCorrection {
            uscc: Some(uscc.to_owned()),
            ..EnterpriseCorrection::default()
        },
        reason: "登记后取得执照".to_owned(),
    };
    let error = run_unchecked(&store, &b.case_id, to(USCC), &services(), context("r3"))
        .await
        .expect_err("refused");
    assert!(is_open_case_refusal(&error), "{error:?}");
    run_unchecked(
        &store,
        &a.case_id,
        to(OTHER_USCC),
        &services(),
        context("r4"),
    )
    .await?;
    run_unchecked(&store, &b.case_id, to(USCC), &services(), context("r5")).await?;
    let error = register(&store, "甲", Some(OTHER_USCC), "r6")
        .await
        .expect_err("refused");
    assert!(is_open_case_refusal(&error), "{error:?}");
    Ok(())
}

async fn a_registration_sent_twice_with_its_key_registers_once(
    db: TestDatabase,
) -> anyhow::Result<()> {
    let store = db.open().await?;
    let keyed = || context("r1").with_command_key("client-key-1");
    let first =
        register_unchecked(&store, registration("甲", Some(USCC)), &services(), keyed()).await?;
    let again =
        register_unchecked(&store, registration("甲", Some(USCC)), &services(), keyed()).await?;
    assert_eq!(first, again);
    assert_eq!(
        store.load::<EnterpriseCase>(&first.case_id).await?.sequence,
        1
    );
    assert_eq!(
        store.load::<CaseNumberBook>("2024").await?.sequence,
        1,
        "one number taken"
    );
    Ok(())
}

async fn bad_input_takes_no_number(db: TestDatabase) -> anyhow::Result<()> {
    let store = db.open().await?;
    let error = register(&store, "甲", Some("91350100M000100Y4Z"), "r1")
        .await
        .expect_err("refused");
    assert!(
        matches!(
            error,
            AppError::Rejected(DomainError::Invalid {
                field: "enterprise.uscc",
                ..
            })
        ),
        "{error:?}"
    );
    let case = register(&store, "甲", Some(USCC), "r2").await?;
    assert_eq!(case.case_number.expect("numbered").to_string(), "2024-0001");
    Ok(())
}

async fn a_lost_release_is_taken_over(db: TestDatabase) -> anyhow::Result<()> {
    let store = db.open().await?;
    let first = register(&store, "甲", Some(USCC), "r1").await?;
    // Close without the store's release step, as if the process died right after the close.
    store
        .execute::<EnterpriseCase>(&first.case_id, close(), &services(), context("r2"))
        .await?;
    let second = register(&store, "甲", Some(USCC), "r3").await?;
    assert_eq!(
        second.case_number.expect("numbered").to_string(),
        "2024-0002"
    );
    Ok(())
}
