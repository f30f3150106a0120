//! The forms of service items (办件): request one item or a 一件事 bundle from the catalog, then
//! accept, suspend, resume, extend or conclude an item. Each picks the item from those in the
//! state the step applies to; the domain still decides.

use guanjia_app::OnCase;
use guanjia_domain::case::model::{CaseState, HandlingMode, ItemOutcome, SuspensionReason};
use guanjia_domain::case::state::ItemStatus;

use super::form::Field;
use super::{read_ok, Action, Ctx, Input, Running, Who};

pub(super) const ACTIONS: &[Action] = &[
    Action {
        name: "request-item",
        title: "申请办理事项",
        section: "items",
        button: "提出申请",
        who: Who::Team,
        date_field: Some("requested_on"),
        fields: request_fields,
        run: request,
    },
    Action {
        name: "request-bundle",
        title: "申请“一件事一次办”",
        section: "items",
        button: "提出申请",
        who: Who::Team,
        date_field: Some("requested_on"),
        fields: bundle_fields,
        run: request_bundle,
    },
    Action {
        name: "accept-item",
        title: "记录受理",
        section: "items",
        button: "记录受理",
        who: Who::Team,
        date_field: Some("accepted_on"),
        fields: accept_fields,
        run: accept,
    },
    Action {
        name: "suspend-item",
        title: "暂停计时（补正、听证等）",
        section: "items",
        button: "暂停计时",
        who: Who::Team,
        date_field: Some("suspended_on"),
        fields: suspend_fields,
        run: suspend,
    },
    Action {
        name: "resume-item",
        title: "恢复计时",
        section: "items",
        button: "恢复计时",
        who: Who::Team,
        date_field: Some("resumed_on"),
        fields: resume_fields,
        run: resume,
    },
    Action {
        name: "extend-item",
        title: "延长办理时限",
        section: "items",
        button: "延长时限",
        who: Who::Team,
        date_field: None,
        fields: extend_fields,
        run: extend,
    },
    Action {
        name: "conclude-item",
        title: "记录办结",
        section: "items",
        button: "记录办结",
        who: Who::Team,
        date_field: Some("concluded_on"),
        fields: conclude_fields,
        run: conclude,
    },
];

const MODES: &[(&str, HandlingMode, &str)] = &[
    ("proxy", HandlingMode::Proxy, "代办（管家代为申请）"),
    ("assisted", HandlingMode::Assisted, "帮办（指导企业申请）"),
];

const SUSPENSIONS: &[(&str, SuspensionReason, &str)] = &[
    ("correction", SuspensionReason::Correction, "补正材料"),
    ("hearing", SuspensionReason::Hearing, "听证"),
    ("inspection", SuspensionReason::Inspection, "现场核查"),
    ("expert_review", SuspensionReason::ExpertReview, "专家评审"),
];

const OUTCOMES: &[(&str, ItemOutcome, &str)] = &[
    ("granted", ItemOutcome::Granted, "准予（办成）"),
    ("refused", ItemOutcome::Refused, "不予许可"),
    ("withdrawn", ItemOutcome::Withdrawn, "企业撤回"),
];

/// Whether new items may be asked for: the case is signed and not closed.
fn open_for_items(ctx: &Ctx<'_>) -> bool {
    matches!(
        ctx.detail.state,
        CaseState::Signed | CaseState::InService | CaseState::OnHold
    )
}

/// The items in one of `statuses`: (number, words).
fn items_in(ctx: &Ctx<'_>, statuses: &[ItemStatus]) -> Vec<(u32, String)> {
    ctx.detail
        .items
        .iter()
        .filter(|i| statuses.contains(&i.status))
        .map(|i| (i.item_no, format!("{}. {}", i.item_no, i.catalog.name)))
        .collect()
}

fn request_fields(ctx: &Ctx<'_>) -> Option<Vec<Field>> {
    if !open_for_items(ctx) {
        return None;
    }
    let items: Vec<(String, String)> = ctx
        .model
        .catalog()
        .items()
        .filter_map(|e| {
            let spec = &e.current()?.spec;
            Some((
                e.code.clone(),
                format!("{}（{}）", spec.name, spec.department),
            ))
        })
        .collect();
    Some(vec![
        Field::select("code", "事项", items),
        Field::choices("mode", "办理方式", MODES),
        Field::date("requested_on", "申请日期", ctx.today),
    ])
}

fn request(mut input: Input, case: OnCase<'_>) -> Running<'_> {
    Box::pin(async move {
        let mode = input.choice("mode", "办理方式", MODES);
        let on = input.date("requested_on", "申请日期");
        read_ok(&input)?;
        Ok(case
            .request_service_item(input.raw("code"), mode, on)
            .await?)
    })
}

fn bundle_fields(ctx: &Ctx<'_>) -> Option<Vec<Field>> {
    if !open_for_items(ctx) {
        return None;
    }
    let bundles: Vec<(String, String)> = ctx
        .model
        .catalog()
        .bundles()
        .filter_map(|e| Some((e.code.clone(), e.current()?.spec.name.clone())))
        .collect();
    (!bundles.is_empty()).then(|| {
        vec![
            Field::select("code", "一件事", bundles),
            Field::choices("mode", "办理方式", MODES),
            Field::date("requested_on", "申请日期", ctx.today),
        ]
    })
}

fn request_bundle(mut input: Input, case: OnCase<'_>) -> Running<'_> {
    Box::pin(async move {
        let mode = input.choice("mode", "办理方式", MODES);
        let on = input.date("requested_on", "申请日期");
        read_ok(&input)?;
        Ok(case.request_bundle(input.raw("code"), mode, on).await?)
    })
}

fn accept_fields(ctx: &Ctx<'_>) -> Option<Vec<Field>> {
    let items = items_in(ctx, &[ItemStatus::Requested]);
    (!items.is_empty()).then(|| {
        vec![
            Field::select("item_no", "事项", items),
            Field::date("accepted_on", "受理日期", ctx.today),
            Field::text("receipt_no", "受理回执编号（选填）"),
            Field::check("use_statutory_limit", "按法定时限计时（默认按承诺时限）"),
        ]
    })
}

fn accept(mut input: Input, case: OnCase<'_>) -> Running<'_> {
    Box::pin(async move {
        let item_no = input.pick("item_no", "事项");
        let on = input.date("accepted_on", "受理日期");
        read_ok(&input)?;
        Ok(case
            .accept_service_item(
                item_no,
                on,
                input.optional("receipt_no"),
                input.checked("use_statutory_limit"),
            )
            .await?)
    })
}

fn suspend_fields(ctx: &Ctx<'_>) -> Option<Vec<Field>> {
    let items = items_in(ctx, &[ItemStatus::Accepted]);
    (!items.is_empty()).then(|| {
        vec![
            Field::select("item_no", "事项", items),
            Field::choices("reason", "暂停原因", SUSPENSIONS),
            Field::date("suspended_on", "暂停日期", ctx.today),
            Field::text("note", "说明（选填）"),
        ]
    })
}

fn suspend(mut input: Input, case: OnCase<'_>) -> Running<'_> {
    Box::pin(async move {
        let item_no = input.pick("item_no", "事项");
        let reason = input.choice("reason", "暂停原因", SUSPENSIONS);
        let on = input.date("suspended_on", "暂停日期");
        read_ok(&input)?;
        Ok(case
            .suspend_service_item(item_no, reason, on, input.optional("note"))
            .await?)
    })
}

fn resume_fields(ctx: &Ctx<'_>) -> Option<Vec<Field>> {
    let items = items_in(ctx, &[ItemStatus::Suspended]);
    (!items.is_empty()).then(|| {
        vec![
            Field::select("item_no", "事项", items),
            Field::date("resumed_on", "恢复日期", ctx.today),
        ]
    })
}

fn resume(mut input: Input, case: OnCase<'_>) -> Running<'_> {
    Box::pin(async move {
        let item_no = input.pick("item_no", "事项");
        let on = input.date("resumed_on", "恢复日期");
        read_ok(&input)?;
        Ok(case.resume_service_item(item_no, on).await?)
    })
}

fn extend_fields(ctx: &Ctx<'_>) -> Option<Vec<Field>> {
    let items = items_in(ctx, &[ItemStatus::Accepted, ItemStatus::Suspended]);
    (!items.is_empty()).then(|| {
        vec![
            Field::select("item_no", "事项", items),
            Field::number("days", "延长工作日数", 5),
            Field::text("approver", "批准人"),
            Field::text("reason", "延长原因"),
        ]
    })
}

fn extend(mut input: Input, case: OnCase<'_>) -> Running<'_> {
    Box::pin(async move {
        let item_no = input.pick("item_no", "事项");
        let days = input.number("days", "延长工作日数", None);
        read_ok(&input)?;
        Ok(case
            .extend_service_item(item_no, days, input.text("approver"), input.text("reason"))
            .await?)
    })
}

fn conclude_fields(ctx: &Ctx<'_>) -> Option<Vec<Field>> {
    let items = items_in(ctx, &[ItemStatus::Accepted, ItemStatus::Suspended]);
    (!items.is_empty()).then(|| {
        vec![
            Field::select("item_no", "事项", items),
            Field::choices("outcome", "办理结果", OUTCOMES),
            Field::date("concluded_on", "办结日期", ctx.today),
            Field::text("result_reference", "证照或批文编号（选填）"),
            Field::number("materials_submitted", "提交材料份数", 0),
            Field::number("onsite_trips", "企业到现场次数", 0).hint("“零跑腿”填 0"),
        ]
    })
}

fn conclude(mut input: Input, case: OnCase<'_>) -> Running<'_> {
    Box::pin(async move {
        let item_no = input.pick("item_no", "事项");
        let outcome = input.choice("outcome", "办理结果", OUTCOMES);
        let on = input.date("concluded_on", "办结日期");
        let materials = input.number("materials_submitted", "提交材料份数", Some(0));
        let trips = input.number("onsite_trips", "企业到现场次数", Some(0));
        read_ok(&input)?;
        Ok(case
            .conclude_service_item(
                item_no,
                outcome,
                on,
                input.optional("result_reference"),
                materials,
                trips,
            )
            .await?)
    })
}
