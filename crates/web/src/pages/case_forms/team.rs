//! The forms of the team, a leader's work (`authz::can_manage_team`): assign or replace the
//! lead steward (项目管家), add a member. Whether the person named may join the case is the
//! application layer's decision (an active steward or leader whose division holds the case).

use guanjia_app::OnCase;
use guanjia_domain::case::model::CaseState;
use guanjia_domain::values::Tier;

use super::form::Field;
use super::{read_ok, Action, Ctx, Input, Running, Who};

pub(super) const ACTIONS: &[Action] = &[
    Action {
        name: "assign-lead",
        title: "指定项目管家（牵头）",
        section: "team",
        button: "指定",
        who: Who::TeamManager,
        date_field: None,
        fields: lead_fields,
        run: assign_lead,
    },
    Action {
        name: "add-member",
        title: "添加团队成员",
        section: "team",
        button: "添加",
        who: Who::TeamManager,
        date_field: None,
        fields: member_fields,
        run: add_member,
    },
];

const TIERS: &[(&str, Tier, &str)] = &[
    ("district", Tier::District, "区级"),
    ("town", Tier::Town, "镇（街道）级"),
    ("village", Tier::Village, "村（社区）级"),
];

fn open(ctx: &Ctx<'_>) -> bool {
    ctx.detail.state != CaseState::Closed
}

fn lead_fields(ctx: &Ctx<'_>) -> Option<Vec<Field>> {
    let replacing = ctx.detail.team.lead_steward.is_some();
    open(ctx).then(|| {
        let mut fields = vec![
            Field::text("steward", "项目管家的用户名").hint("例如 wang.lei"),
            Field::choices("tier", "层级", TIERS),
        ];
        if replacing {
            fields.push(Field::text("reason", "更换原因"));
        }
        fields
    })
}

fn assign_lead(mut input: Input, case: OnCase<'_>) -> Running<'_> {
    Box::pin(async move {
        let tier = input.choice("tier", "层级", TIERS);
        read_ok(&input)?;
        Ok(case
            .assign_lead_steward(input.text("steward"), tier, input.optional("reason"))
            .await?)
    })
}

fn member_fields(ctx: &Ctx<'_>) -> Option<Vec<Field>> {
    open(ctx).then(|| {
        vec![
            Field::text("user_id", "成员的用户名").hint("例如 zhao.min"),
            Field::text("role", "在团队中的分工").hint("例如：部门联络员、村代办员"),
            Field::choices("tier", "层级", TIERS),
        ]
    })
}

fn add_member(mut input: Input, case: OnCase<'_>) -> Running<'_> {
    Box::pin(async move {
        let tier = input.choice("tier", "层级", TIERS);
        read_ok(&input)?;
        Ok(case
            .add_team_member(input.text("user_id"), input.text("role"), tier)
            .await?)
    })
}
