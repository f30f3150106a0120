//! The forms of on-site visits (上门走访): schedule one, record one as conducted with its notes,
//! or cancel one.

use guanjia_app::OnCase;
use guanjia_domain::case::model::CaseState;
use guanjia_domain::case::state::VisitStatus;

use super::form::Field;
use super::{read_ok, Action, Ctx, Input, Running, Who};
use crate::format;

pub(super) const ACTIONS: &[Action] = &[
    Action {
        name: "schedule-visit",
        title: "安排走访",
        section: "visits",
        button: "安排走访",
        who: Who::Team,
        // A planned time is not a step that happened: never a late entry.
        date_field: None,
        fields: schedule_fields,
        run: schedule,
    },
    Action {
        name: "conduct-visit",
        title: "记录走访情况",
        section: "visits",
        button: "保存走访记录",
        who: Who::Team,
        date_field: Some("conducted_at"),
        fields: conduct_fields,
        run: conduct,
    },
    Action {
        name: "cancel-visit",
        title: "取消走访",
        section: "visits",
        button: "取消走访",
        who: Who::Team,
        date_field: None,
        fields: cancel_fields,
        run: cancel,
    },
];

/// The visits still to be made: (number, words).
fn scheduled(ctx: &Ctx<'_>) -> Vec<(u32, String)> {
    ctx.detail
        .visits
        .iter()
        .filter(|v| v.status == VisitStatus::Scheduled)
        .map(|v| {
            (
                v.visit_no,
                format!(
                    "第 {} 次：{} {}",
                    v.visit_no,
                    format::date_time(v.scheduled_at),
                    v.place
                ),
            )
        })
        .collect()
}

fn schedule_fields(ctx: &Ctx<'_>) -> Option<Vec<Field>> {
    matches!(
        ctx.detail.state,
        CaseState::Signed | CaseState::InService | CaseState::OnHold
    )
    .then(|| {
        vec![
            Field::date("scheduled_at", "走访日期", ctx.today),
            Field::time("scheduled_time", "走访时间", "09:00"),
            Field::text("place", "地点"),
            Field::text("purpose", "走访目的"),
            Field::text("planned_participants", "参加人员（选填）").hint("多人用顿号“、”分隔"),
        ]
    })
}

fn schedule(mut input: Input, case: OnCase<'_>) -> Running<'_> {
    Box::pin(async move {
        let at = input.moment("scheduled_at", "走访日期", "scheduled_time");
        read_ok(&input)?;
        Ok(case
            .schedule_visit(
                at,
                input.text("place"),
                input.text("purpose"),
                input.list("planned_participants"),
            )
            .await?)
    })
}

fn conduct_fields(ctx: &Ctx<'_>) -> Option<Vec<Field>> {
    let visits = scheduled(ctx);
    (!visits.is_empty()).then(|| {
        vec![
            Field::select("visit_no", "走访", visits),
            Field::date("conducted_at", "实际走访日期", ctx.today),
            Field::time("conducted_time", "实际走访时间", &ctx.now_time),
            Field::text("participants", "参加人员").hint("多人用顿号“、”分隔"),
            Field::area("notes", "走访记录").hint("了解到的情况、企业的诉求和答复"),
            Field::area("issues_raised", "企业反映的问题（选填）").hint("每行一个"),
            Field::area("follow_ups", "后续跟进事项（选填）").hint("每行一个"),
        ]
    })
}

fn conduct(mut input: Input, case: OnCase<'_>) -> Running<'_> {
    Box::pin(async move {
        let visit_no = input.pick("visit_no", "走访");
        let at = input.moment("conducted_at", "实际走访日期", "conducted_time");
        read_ok(&input)?;
        Ok(case
            .conduct_visit(
                visit_no,
                at,
                input.list("participants"),
                input.text("notes"),
                input.list_lines("issues_raised"),
                input.list_lines("follow_ups"),
            )
            .await?)
    })
}

fn cancel_fields(ctx: &Ctx<'_>) -> Option<Vec<Field>> {
    let visits = scheduled(ctx);
    (!visits.is_empty()).then(|| {
        vec![
            Field::select("visit_no", "走访", visits),
            Field::text("reason", "取消原因"),
        ]
    })
}

fn cancel(mut input: Input, case: OnCase<'_>) -> Running<'_> {
    Box::pin(async move {
        let visit_no = input.pick("visit_no", "走访");
        read_ok(&input)?;
        Ok(case.cancel_visit(visit_no, input.text("reason")).await?)
    })
}
