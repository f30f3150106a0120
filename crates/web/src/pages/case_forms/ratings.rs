//! The forms of ratings (好差评): record a rating the enterprise gave in person or on paper,
//! and the bad-rating loop — the call-back check (回访核实) and the rectification (整改). The
//! link and QR code for the enterprise to rate by itself are `rating_link.rs`.

use std::collections::BTreeSet;

use guanjia_app::OnCase;
use guanjia_domain::case::commands::{PersonInput, RatingInput};
use guanjia_domain::case::model::{Channel, DimensionSet, RatingTarget};
use guanjia_domain::case::state::{ItemStatus, VisitStatus};
use guanjia_read::kpi::live::LoopStage;

use super::form::Field;
use super::{read_ok, Action, Ctx, Input, Running, Who};
use crate::labels;

pub(super) const ACTIONS: &[Action] = &[
    Action {
        name: "rate",
        title: "录入评价",
        section: "ratings",
        button: "保存评价",
        who: Who::Team,
        date_field: None,
        fields: rate_fields,
        run: rate,
    },
    Action {
        name: "call-back",
        title: "记录差评回访核实",
        section: "ratings",
        button: "保存回访",
        who: Who::Team,
        date_field: Some("called_on"),
        fields: call_back_fields,
        run: call_back,
    },
    Action {
        name: "rectify",
        title: "记录差评整改",
        section: "ratings",
        button: "保存整改",
        who: Who::Team,
        date_field: Some("rectified_on"),
        fields: rectify_fields,
        run: rectify,
    },
];

const LEVELS: &[(&str, u8, &str)] = &[
    ("5", 5, "5 非常满意"),
    ("4", 4, "4 满意"),
    ("3", 3, "3 基本满意"),
    ("2", 2, "2 不满意"),
    ("1", 1, "1 非常不满意"),
];

/// How a rating entered by the team reached it.
const CHANNELS: &[(&str, Channel, &str)] = &[
    ("in_person", Channel::InPerson, "当面"),
    ("paper_card", Channel::PaperCard, "评价卡"),
    ("evaluator_device", Channel::EvaluatorDevice, "评价器"),
    ("hotline_12345", Channel::Hotline12345, "12345热线"),
];

/// The dimensions of an offline rating (国办发〔2019〕51号).
const DIMENSION_SET: DimensionSet = DimensionSet::Offline2019;

/// What can be rated now: conducted visits and concluded items not rated yet, as
/// (`visit-3` / `item-2`, words).
pub(crate) fn rateable(ctx: &Ctx<'_>) -> Vec<(String, String)> {
    let rated: BTreeSet<RatingTarget> = ctx.detail.ratings.iter().map(|r| r.target).collect();
    let visits = ctx
        .detail
        .visits
        .iter()
        .filter(|v| v.status == VisitStatus::Conducted)
        .map(|v| RatingTarget::Visit(v.visit_no));
    let items = ctx
        .detail
        .items
        .iter()
        .filter(|i| i.status == ItemStatus::Concluded)
        .map(|i| RatingTarget::Item(i.item_no));
    visits
        .chain(items)
        .filter(|t| !rated.contains(t))
        .map(|t| (target_value(t), target_words(ctx, t)))
        .collect()
}

fn target_value(target: RatingTarget) -> String {
    match target {
        RatingTarget::Visit(no) => format!("visit-{no}"),
        RatingTarget::Item(no) => format!("item-{no}"),
    }
}

fn target_words(ctx: &Ctx<'_>, target: RatingTarget) -> String {
    let name = match target {
        RatingTarget::Item(no) => ctx
            .detail
            .items
            .iter()
            .find(|i| i.item_no == no)
            .map(|i| format!("：{}", i.catalog.name))
            .unwrap_or_default(),
        RatingTarget::Visit(_) => String::new(),
    };
    format!("{}{name}", labels::rating_target(target))
}

/// The target chosen in `target` (`visit-3` / `item-2`).
pub(crate) fn read_target(input: &mut Input) -> RatingTarget {
    let raw = input.raw("target").to_owned();
    let parsed = raw.split_once('-').and_then(|(kind, no)| {
        let no = no.parse::<u32>().ok()?;
        match kind {
            "visit" => Some(RatingTarget::Visit(no)),
            "item" => Some(RatingTarget::Item(no)),
            _ => None,
        }
    });
    parsed.unwrap_or_else(|| {
        input.fail("target", "请从列表中选择评价对象。".to_owned());
        RatingTarget::Visit(0)
    })
}

fn rate_fields(ctx: &Ctx<'_>) -> Option<Vec<Field>> {
    let targets = rateable(ctx);
    if targets.is_empty() {
        return None;
    }
    let mut fields = vec![
        Field::select("target", "评价对象", targets),
        Field::choices("level", "总体评价", LEVELS),
    ];
    for key in DIMENSION_SET.dimensions() {
        fields.push(Field::choices(
            dimension_field(key),
            dimension_label(key),
            LEVELS,
        ));
    }
    fields.extend([
        Field::choices("channel", "评价渠道", CHANNELS),
        Field::area("comment", "评价意见（选填）"),
        Field::text("rater_name", "评价人姓名（选填）").hint("个人信息，加密保存"),
        Field::text("rater_phone", "评价人电话（选填）").hint("个人信息，加密保存"),
    ]);
    Some(fields)
}

/// The form field of a dimension: its key (the dimensions are a fixed, known set).
fn dimension_field(key: &str) -> &'static str {
    match key {
        "efficiency" => "efficiency",
        "quality" => "quality",
        _ => "attitude",
    }
}

fn dimension_label(key: &str) -> &'static str {
    match key {
        "efficiency" => "服务效率",
        "quality" => "服务水平",
        _ => "服务态度",
    }
}

fn rate(mut input: Input, case: OnCase<'_>) -> Running<'_> {
    Box::pin(async move {
        let target = read_target(&mut input);
        let level = input.choice("level", "总体评价", LEVELS);
        let dimensions: Vec<(String, u8)> = DIMENSION_SET
            .dimensions()
            .iter()
            .map(|key| {
                let field = dimension_field(key);
                let value = input.choice(field, dimension_label(key), LEVELS);
                ((*key).to_owned(), value)
            })
            .collect();
        let channel = input.choice("channel", "评价渠道", CHANNELS);
        read_ok(&input)?;
        let rating = RatingInput {
            level,
            dimension_set: DIMENSION_SET,
            dimensions,
            channel,
            comment: input.optional("comment"),
            rater: PersonInput {
                name: input.optional("rater_name"),
                phone: input.optional("rater_phone"),
            },
            rated_at: None,
            // The application layer records the person acting, whatever is sent here.
            recorded_by: None,
        };
        Ok(case.rate(target, rating).await?)
    })
}

/// The bad ratings whose loop stands at `stage`: (number, words).
fn bad_ratings_at(ctx: &Ctx<'_>, stage: LoopStage) -> Vec<(u32, String)> {
    ctx.detail
        .ratings
        .iter()
        .filter(|r| r.bad_rating_loop.as_ref().is_some_and(|l| l.stage == stage))
        .map(|r| {
            (
                r.rating_no,
                format!(
                    "评价 {}（{}）",
                    r.rating_no,
                    labels::rating_target(r.target)
                ),
            )
        })
        .collect()
}

fn call_back_fields(ctx: &Ctx<'_>) -> Option<Vec<Field>> {
    let ratings = bad_ratings_at(ctx, LoopStage::AwaitingCallBack);
    (!ratings.is_empty()).then(|| {
        vec![
            Field::select("rating_no", "差评", ratings),
            Field::date("called_on", "回访日期", ctx.today),
            Field::check("confirmed", "经核实，差评反映的问题属实"),
            Field::area("notes", "回访记录"),
        ]
    })
}

fn call_back(mut input: Input, case: OnCase<'_>) -> Running<'_> {
    Box::pin(async move {
        let rating_no = input.pick("rating_no", "差评");
        let on = input.date("called_on", "回访日期");
        read_ok(&input)?;
        Ok(case
            .record_call_back(
                rating_no,
                on,
                input.checked("confirmed"),
                input.text("notes"),
            )
            .await?)
    })
}

fn rectify_fields(ctx: &Ctx<'_>) -> Option<Vec<Field>> {
    let ratings = bad_ratings_at(ctx, LoopStage::AwaitingRectification);
    (!ratings.is_empty()).then(|| {
        vec![
            Field::select("rating_no", "差评", ratings),
            Field::date("rectified_on", "整改日期", ctx.today),
            Field::area("measures", "整改措施"),
        ]
    })
}

fn rectify(mut input: Input, case: OnCase<'_>) -> Running<'_> {
    Box::pin(async move {
        let rating_no = input.pick("rating_no", "差评");
        let on = input.date("rectified_on", "整改日期");
        read_ok(&input)?;
        Ok(case
            .record_rectification(rating_no, on, input.text("measures"))
            .await?)
    })
}
