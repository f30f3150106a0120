//! The forms of the plan (一企一策): adopt the first, which puts the case into service, and
//! revise it. Milestones are typed one a line, "name date".

use guanjia_app::OnCase;
use guanjia_domain::case::commands::{MilestoneInput, PlanInput};
use guanjia_domain::case::model::CaseState;

use super::form::Field;
use super::{read_ok, Action, Ctx, Input, Running, Who};

pub(super) const ACTIONS: &[Action] = &[
    Action {
        name: "plan",
        title: "制定一企一策服务方案",
        section: "team",
        button: "采用方案",
        who: Who::Team,
        date_field: None,
        fields: plan_fields,
        run: plan,
    },
    Action {
        name: "revise-plan",
        title: "修订服务方案",
        section: "team",
        button: "保存新版方案",
        who: Who::Team,
        date_field: None,
        fields: revise_fields,
        run: revise,
    },
];

fn plan_input_fields(ctx: &Ctx<'_>) -> Vec<Field> {
    let plan = ctx.detail.plan.as_ref().map(|p| &p.plan);
    vec![
        Field::area("text", "方案内容")
            .hint("服务目标、分工和办理路径")
            .value(plan.map(|p| p.text.clone()).unwrap_or_default()),
        Field::area("planned_items", "计划办理事项（选填）")
            .hint("事项清单中的实施编码，每行一个")
            .value(plan.map(|p| p.planned_items.join("\n")).unwrap_or_default()),
        Field::area("milestones", "里程碑（选填）")
            .hint("每行一项：名称 日期，例如：取得施工许可 2026-06-30")
            .value(
                plan.map(|p| {
                    p.milestones
                        .iter()
                        .map(|m| format!("{} {}", m.name, m.due_on))
                        .collect::<Vec<_>>()
                        .join("\n")
                })
                .unwrap_or_default(),
            ),
    ]
}

fn plan_fields(ctx: &Ctx<'_>) -> Option<Vec<Field>> {
    (ctx.detail.state == CaseState::Signed && ctx.detail.plan.is_none())
        .then(|| plan_input_fields(ctx))
}

fn revise_fields(ctx: &Ctx<'_>) -> Option<Vec<Field>> {
    (ctx.detail.plan.is_some() && ctx.detail.state != CaseState::Closed).then(|| {
        let mut fields = plan_input_fields(ctx);
        fields.push(Field::text("reason", "修订原因"));
        fields
    })
}

/// The plan as typed; milestones one a line, "name date".
fn plan_input(input: &mut Input) -> PlanInput {
    let mut milestones = Vec::new();
    for (n, line) in input.list_lines("milestones").into_iter().enumerate() {
        let parsed = line
            .rsplit_once(char::is_whitespace)
            .and_then(|(name, day)| {
                let due_on = chrono::NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d").ok()?;
                Some(MilestoneInput {
                    name: name.trim().to_owned(),
                    due_on,
                })
            });
        match parsed {
            Some(milestone) => milestones.push(milestone),
            None => input.fail(
                "milestones",
                format!(
                    "里程碑第 {} 行“{line}”应为“名称 日期”，例如：取得施工许可 2026-06-30。",
                    n + 1
                ),
            ),
        }
    }
    PlanInput {
        text: input.text("text"),
        planned_items: input.list("planned_items"),
        milestones,
    }
}

fn plan(mut input: Input, case: OnCase<'_>) -> Running<'_> {
    Box::pin(async move {
        let plan = plan_input(&mut input);
        read_ok(&input)?;
        Ok(case.adopt_plan(plan).await?)
    })
}

fn revise(mut input: Input, case: OnCase<'_>) -> Running<'_> {
    Box::pin(async move {
        let plan = plan_input(&mut input);
        read_ok(&input)?;
        Ok(case.revise_plan(plan, input.text("reason")).await?)
    })
}
