//! The forms of a case's life: sign the agreement, hold and resume the service, close and
//! reopen the case, and notes. The plan is `plan.rs`.

use guanjia_app::OnCase;
use guanjia_domain::case::model::{AgreementScope, CaseState, CloseReason, Stage};

use super::form::Field;
use super::{read_ok, Action, Ctx, Input, Running, Who};

pub(super) const ACTIONS: &[Action] = &[
    Action {
        name: "sign",
        title: "签订服务协议",
        section: "summary",
        button: "记录签约",
        who: Who::Team,
        date_field: Some("signed_on"),
        fields: sign_fields,
        run: sign,
    },
    Action {
        name: "hold",
        title: "暂停服务（企业要求）",
        section: "summary",
        button: "暂停服务",
        who: Who::Team,
        date_field: Some("held_on"),
        fields: hold_fields,
        run: hold,
    },
    Action {
        name: "resume",
        title: "恢复服务",
        section: "summary",
        button: "恢复服务",
        who: Who::Team,
        date_field: Some("resumed_on"),
        fields: resume_fields,
        run: resume,
    },
    Action {
        name: "close",
        title: "结案",
        section: "summary",
        button: "结案",
        who: Who::Team,
        date_field: Some("closed_on"),
        fields: close_fields,
        run: close,
    },
    Action {
        name: "reopen",
        title: "重新开启案件",
        section: "summary",
        button: "重新开启",
        who: Who::Team,
        date_field: Some("reopened_on"),
        fields: reopen_fields,
        run: reopen,
    },
    Action {
        name: "note",
        title: "添加备注",
        section: "notes",
        button: "添加备注",
        who: Who::Team,
        date_field: None,
        fields: note_fields,
        run: note,
    },
];

const SCOPES: &[(&str, AgreementScope, &str)] = &[
    ("full", AgreementScope::FullLifecycle, "全程代办"),
    (
        "establishment",
        AgreementScope::Stage(Stage::Establishment),
        "阶段代办（设立阶段）",
    ),
    (
        "construction",
        AgreementScope::Stage(Stage::Construction),
        "阶段代办（建设阶段）",
    ),
    (
        "operation",
        AgreementScope::Stage(Stage::Operation),
        "阶段代办（运营阶段）",
    ),
];

const CLOSE_REASONS: &[(&str, CloseReason, &str)] = &[
    (
        "all_items_concluded",
        CloseReason::AllItemsConcluded,
        "事项全部办结",
    ),
    (
        "enterprise_withdrew",
        CloseReason::EnterpriseWithdrew,
        "企业撤回",
    ),
    (
        "project_cancelled",
        CloseReason::ProjectCancelled,
        "项目取消",
    ),
    ("transferred", CloseReason::Transferred, "移交"),
];

fn state(ctx: &Ctx<'_>) -> CaseState {
    ctx.detail.state
}

fn sign_fields(ctx: &Ctx<'_>) -> Option<Vec<Field>> {
    (state(ctx) == CaseState::Registered).then(|| {
        vec![
            Field::choices("scope", "代办范围", SCOPES),
            Field::date("signed_on", "签约日期", ctx.today),
            Field::text("signatories", "签约人")
                .hint("企业和管家双方签字人，多人用顿号“、”分隔，例如：王磊、陈总"),
        ]
    })
}

fn sign(mut input: Input, case: OnCase<'_>) -> Running<'_> {
    Box::pin(async move {
        let scope = input.choice("scope", "代办范围", SCOPES);
        let signed_on = input.required_date("signed_on", "签约日期");
        read_ok(&input)?;
        Ok(case
            .sign_agreement(scope, signed_on, input.list("signatories"))
            .await?)
    })
}

fn hold_fields(ctx: &Ctx<'_>) -> Option<Vec<Field>> {
    (state(ctx) == CaseState::InService).then(|| {
        vec![
            Field::text("reason", "暂停原因").hint("企业提出暂停的原因"),
            Field::date("held_on", "暂停日期", ctx.today),
        ]
    })
}

fn hold(mut input: Input, case: OnCase<'_>) -> Running<'_> {
    Box::pin(async move {
        let held_on = input.date("held_on", "暂停日期");
        read_ok(&input)?;
        Ok(case.hold(input.text("reason"), held_on).await?)
    })
}

fn resume_fields(ctx: &Ctx<'_>) -> Option<Vec<Field>> {
    (state(ctx) == CaseState::OnHold)
        .then(|| vec![Field::date("resumed_on", "恢复日期", ctx.today)])
}

fn resume(mut input: Input, case: OnCase<'_>) -> Running<'_> {
    Box::pin(async move {
        let resumed_on = input.date("resumed_on", "恢复日期");
        read_ok(&input)?;
        Ok(case.resume(resumed_on).await?)
    })
}

fn close_fields(ctx: &Ctx<'_>) -> Option<Vec<Field>> {
    (state(ctx) != CaseState::Closed).then(|| {
        vec![
            Field::choices("reason", "结案原因", CLOSE_REASONS),
            Field::area("summary", "服务总结"),
            Field::date("closed_on", "结案日期", ctx.today),
        ]
    })
}

fn close(mut input: Input, case: OnCase<'_>) -> Running<'_> {
    Box::pin(async move {
        let reason = input.choice("reason", "结案原因", CLOSE_REASONS);
        let closed_on = input.date("closed_on", "结案日期");
        read_ok(&input)?;
        Ok(case.close(reason, input.text("summary"), closed_on).await?)
    })
}

fn reopen_fields(ctx: &Ctx<'_>) -> Option<Vec<Field>> {
    (state(ctx) == CaseState::Closed).then(|| {
        vec![
            Field::text("reason", "重新开启原因"),
            Field::date("reopened_on", "重新开启日期", ctx.today),
        ]
    })
}

fn reopen(mut input: Input, case: OnCase<'_>) -> Running<'_> {
    Box::pin(async move {
        let reopened_on = input.date("reopened_on", "重新开启日期");
        read_ok(&input)?;
        Ok(case.reopen(input.text("reason"), reopened_on).await?)
    })
}

fn note_fields(_ctx: &Ctx<'_>) -> Option<Vec<Field>> {
    Some(vec![Field::area("text", "备注内容")])
}

fn note(input: Input, case: OnCase<'_>) -> Running<'_> {
    Box::pin(async move { Ok(case.add_note(input.text("text")).await?) })
}
