//! 办不成事 reports from the public: submitted without an account to the receiving division,
//! followed with the tracking code and the last four digits of the phone (a wrong guess reads
//! as an unknown code), handled by the division's staff (assigned only to its own people, the
//! phone revealed only to them) and answered with a leader's sign-off.

use guanjia_app::reports::{normalise_code, ProblemInput};
use guanjia_app::AppError;
use guanjia_domain::report::{ReportStatus, ReportSubjectInput};
use guanjia_domain::user::Role;
use guanjia_domain::values::DivisionCode;
use guanjia_domain::{DomainError, ValueError};
use guanjia_store::testing::TestDatabase;

use crate::support::{context, World, DISTRICT, TOWN};

on_both_backends!(a_report_is_submitted_followed_and_answered_with_a_leaders_sign_off);

fn problem(phone: &str) -> ProblemInput {
    ProblemInput {
        subject: ReportSubjectInput::Department {
            name: "区住建局".to_owned(),
        },
        account: "施工许可材料三次被退回，每次说法不同".to_owned(),
        phone: phone.to_owned(),
    }
}

async fn a_report_is_submitted_followed_and_answered_with_a_leaders_sign_off(
    db: TestDatabase,
) -> anyhow::Result<()> {
    // Given the district receives reports
    let mut world = World::new(&db).await?;
    world.app = world
        .app
        .clone()
        .with_report_division(DivisionCode::parse(DISTRICT)?);
    let leader = world.person("chen.jun", Role::Leader, DISTRICT).await?;
    let steward = world.person("wang.lei", Role::Steward, DISTRICT).await?;
    let town = world.person("li.ming", Role::Steward, TOWN).await?;
    let app = &world.app;
    // A bad phone is refused and records nothing
    assert!(matches!(
        app.report_problem(problem("12345"), context("public"))
            .await,
        Err(AppError::Rejected(DomainError::Invalid {
            field: "phone",
            ..
        }))
    ));
    // When someone reports, they get a tracking code
    let receipt = app
        .report_problem(problem("137 0000 1111"), context("public"))
        .await?;
    let code = receipt.tracking_code.clone();
    assert_eq!(normalise_code(&code.to_lowercase())?, code);
    // Then they follow it with the last four digits; a wrong guess reads as an unknown code
    let progress = app.follow_report(&code, "1111").await?;
    assert_eq!(progress.status, ReportStatus::Lodged);
    let unknown = Err(AppError::NotFound {
        what: "report".to_owned(),
    });
    assert_eq!(app.follow_report(&code, "2222").await, unknown);
    assert_eq!(app.follow_report("BB23456789AB", "1111").await, unknown);
    assert!(matches!(
        app.follow_report(&code, "11").await,
        Err(AppError::BadInput { rule: "format", .. })
    ));
    // Staff outside the division are not told it exists; the steward assigns it
    assert_eq!(
        app.assign_report(&town, &code, "wang.lei".to_owned(), context("town"))
            .await
            .map(|_| ()),
        Err(AppError::NotFound {
            what: "report".to_owned()
        })
    );
    // Only an active steward or leader of the division may be assigned it
    assert!(matches!(
        app.assign_report(&steward, &code, "li.ming".to_owned(), context("out"))
            .await,
        Err(AppError::BadInput {
            ref field,
            rule: "out_of_scope",
            ..
        }) if field == "assignee"
    ));
    assert!(matches!(
        app.assign_report(&steward, &code, "no.body".to_owned(), context("none"))
            .await,
        Err(AppError::BadInput {
            ref field,
            rule: "unknown_user",
            ..
        }) if field == "assignee"
    ));
    // The phone is revealed whole to the division's staff only
    assert_eq!(app.report_phone(&steward, &code).await?, "13700001111");
    assert_eq!(
        app.report_phone(&town, &code).await,
        Err(AppError::NotFound {
            what: "report".to_owned()
        })
    );
    app.assign_report(&steward, &code, "wang.lei".to_owned(), context("assign"))
        .await?;
    // The steward cannot answer it; a blank answer from the leader is refused
    assert_eq!(
        app.resolve_report(&steward, &code, "已协调".to_owned(), context("s"))
            .await
            .map(|_| ()),
        Err(AppError::Forbidden(
            "a 办不成事 report is answered with the sign-off of a leader of the division (you are a steward)"
                .to_owned()
        ))
    );
    assert_eq!(
        app.resolve_report(&leader, &code, " ".to_owned(), context("blank"))
            .await
            .map(|_| ()),
        Err(AppError::Rejected(DomainError::invalid(
            "answer",
            ValueError::Empty
        )))
    );
    // The leader signs the answer off, and the reporter sees it
    app.resolve_report(
        &leader,
        &code,
        "已协调住建局三日内办结".to_owned(),
        context("l"),
    )
    .await?;
    let progress = app.follow_report(&code, "1111").await?;
    assert_eq!(progress.status, ReportStatus::Resolved);
    assert_eq!(progress.answer.as_deref(), Some("已协调住建局三日内办结"));
    Ok(())
}
