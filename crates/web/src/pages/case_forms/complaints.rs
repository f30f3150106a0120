//! The forms of complaints (办不成事反映): lodge one for the enterprise, name who handles it,
//! and answer it — the answer signed off by a leader off the team while `complaint_sign_off`
//! is on (the application layer's rule; the page only shows the form to whom it allows).

use guanjia_app::OnCase;
use guanjia_domain::case::commands::PersonInput;
use guanjia_domain::case::model::Channel;
use guanjia_domain::case::state::ComplaintStatus;

use super::form::Field;
use super::{read_ok, Action, Ctx, Input, Running, Who};
use crate::format;

pub(super) const ACTIONS: &[Action] = &[
    Action {
        name: "lodge-complaint",
        title: "登记投诉（办不成事反映）",
        section: "complaints",
        button: "登记投诉",
        who: Who::Team,
        date_field: Some("lodged_on"),
        fields: lodge_fields,
        run: lodge,
    },
    Action {
        name: "assign-complaint",
        title: "指定投诉承办人",
        section: "complaints",
        button: "指定承办人",
        who: Who::Team,
        date_field: None,
        fields: assign_fields,
        run: assign,
    },
    Action {
        name: "resolve-complaint",
        title: "答复投诉",
        section: "complaints",
        button: "保存答复",
        who: Who::ComplaintAnswer,
        date_field: Some("resolved_on"),
        fields: resolve_fields,
        run: resolve,
    },
];

const CHANNELS: &[(&str, Channel, &str)] = &[
    ("in_person", Channel::InPerson, "当面"),
    ("hotline_12345", Channel::Hotline12345, "12345热线"),
    ("online", Channel::Online, "网上"),
    ("paper_card", Channel::PaperCard, "书面"),
];

fn lodge_fields(ctx: &Ctx<'_>) -> Option<Vec<Field>> {
    Some(vec![
        Field::choices("channel", "反映渠道", CHANNELS),
        Field::area("content", "反映内容"),
        Field::text("complainant_name", "反映人姓名（选填）").hint("个人信息，加密保存"),
        Field::text("complainant_phone", "反映人电话（选填）").hint("个人信息，加密保存"),
        Field::date("lodged_on", "反映日期", ctx.today),
    ])
}

fn lodge(mut input: Input, case: OnCase<'_>) -> Running<'_> {
    Box::pin(async move {
        let channel = input.choice("channel", "反映渠道", CHANNELS);
        let on = input.date("lodged_on", "反映日期");
        read_ok(&input)?;
        let complainant = PersonInput {
            name: input.optional("complainant_name"),
            phone: input.optional("complainant_phone"),
        };
        Ok(case
            .lodge_complaint(channel, input.text("content"), complainant, on)
            .await?)
    })
}

/// The complaints standing at `status`: (number, the start of the content and the day).
fn complaints_at(ctx: &Ctx<'_>, status: ComplaintStatus) -> Vec<(u32, String)> {
    ctx.detail
        .complaints
        .iter()
        .filter(|c| c.status == status)
        .map(|c| {
            let mut words: String = c.content.chars().take(20).collect();
            if c.content.chars().count() > 20 {
                words.push('…');
            }
            (
                c.complaint_no,
                format!("{}（{}）", words, format::date(c.lodged_on)),
            )
        })
        .collect()
}

fn assign_fields(ctx: &Ctx<'_>) -> Option<Vec<Field>> {
    let lodged = complaints_at(ctx, ComplaintStatus::Lodged);
    (!lodged.is_empty()).then(|| {
        vec![
            Field::select("complaint_no", "投诉", lodged),
            Field::text("assignee", "承办人的用户名").hint("例如 wang.lei"),
        ]
    })
}

fn assign(mut input: Input, case: OnCase<'_>) -> Running<'_> {
    Box::pin(async move {
        let complaint_no = input.pick("complaint_no", "投诉");
        read_ok(&input)?;
        Ok(case
            .assign_complaint(complaint_no, input.text("assignee"))
            .await?)
    })
}

fn resolve_fields(ctx: &Ctx<'_>) -> Option<Vec<Field>> {
    let open = complaints_at(ctx, ComplaintStatus::Assigned);
    (!open.is_empty()).then(|| {
        vec![
            Field::select("complaint_no", "投诉", open),
            Field::area("answer", "答复内容"),
            Field::date("resolved_on", "答复日期", ctx.today),
        ]
    })
}

fn resolve(mut input: Input, case: OnCase<'_>) -> Running<'_> {
    Box::pin(async move {
        let complaint_no = input.pick("complaint_no", "投诉");
        let on = input.date("resolved_on", "答复日期");
        read_ok(&input)?;
        Ok(case
            .resolve_complaint(complaint_no, input.text("answer"), on)
            .await?)
    })
}
