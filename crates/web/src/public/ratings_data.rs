//! What 好差评公开 publishes for a period, once, for the page (`ratings.rs`) and the JSON twin
//! (`ratings_api.rs`): the figures for the zone, per department and per item (the dashboard's
//! definitions), and the list of bad ratings with their call-back and rectification status
//! (`guanjia_read::public_ratings`, no personal data), put into words here and only here.

use chrono::{Datelike, NaiveDate};
use guanjia_read::kpi::figures::PeriodFigures;
use guanjia_read::kpi::live::LoopStage;
use guanjia_read::public_ratings::PublicBadRating;
use guanjia_read::{DashboardQuery, GroupBy};
use serde::{Deserialize, Serialize};

use super::report::FieldError;
use crate::format;

#[derive(Debug, Deserialize, Default)]
pub(crate) struct PeriodQuery {
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub month: String,
}

/// One line of figures.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Line {
    pub label: String,
    pub ratings: u64,
    pub good_rate: String,
    pub bad: u64,
    pub call_back_rate: String,
    pub rectification_rate: String,
}

impl Line {
    fn new(label: String, p: &PeriodFigures) -> Self {
        Self {
            label,
            ratings: p.ratings,
            good_rate: p.good_rating_rate.percent_text(),
            bad: p.bad_ratings,
            call_back_rate: p.call_back_rate.percent_text(),
            rectification_rate: p.on_time_rectification_rate.percent_text(),
        }
    }
}

/// One bad rating, as published: the read model's row and its status in words.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct BadLine {
    #[serde(flatten)]
    pub row: PublicBadRating,
    /// The day rated, `2024年3月5日`.
    pub rated_on_zh: String,
    /// What was rated: `名称（编码）`, or 上门服务.
    pub subject_zh: String,
    pub level_zh: &'static str,
    pub call_back_zh: String,
    pub rectification_zh: String,
}

impl BadLine {
    fn new(row: PublicBadRating) -> Self {
        let subject_zh = match (&row.item_name, &row.item_code) {
            (Some(name), Some(code)) => format!("{name}（{code}）"),
            _ => "上门服务".to_owned(),
        };
        let call_back_zh = match row.called_back_on {
            Some(on) => format!("已回访（{}）", format::date(on)),
            None if row.stage == LoopStage::AwaitingCallBack && row.overdue => {
                format!("逾期未回访（应于{}前）", format::date(row.call_back_due))
            }
            None => format!("待回访（应于{}前）", format::date(row.call_back_due)),
        };
        let due = format::date(row.rectification_due);
        let rectification_zh = match (row.stage, row.rectified_on) {
            (_, Some(on)) if on <= row.rectification_due => {
                format!("已整改（{}，按期）", format::date(on))
            }
            (_, Some(on)) => format!("已整改（{}，逾期）", format::date(on)),
            (LoopStage::AppealPending, None) => "申诉复核中，整改暂缓".to_owned(),
            (_, None) if row.overdue && row.stage == LoopStage::AwaitingRectification => {
                format!("逾期未整改（应于{due}前）")
            }
            (_, None) => format!("整改中（应于{due}前）"),
        };
        Self {
            rated_on_zh: format::date(row.rated_on),
            level_zh: row.level.label_zh(),
            subject_zh,
            call_back_zh,
            rectification_zh,
            row,
        }
    }
}

/// Everything published for one period.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Published {
    /// `2024年` or `2024年3月`.
    pub period: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub total: Line,
    pub departments: Vec<Line>,
    pub items: Vec<Line>,
    pub bad_ratings: Vec<BadLine>,
}

/// The period a query asks for (a year, default this year, or one month of it), or what is
/// wrong with it, naming the field in Chinese.
pub(crate) fn period(
    query: &PeriodQuery,
    today: NaiveDate,
) -> Result<(NaiveDate, NaiveDate, String), Vec<FieldError>> {
    let year = match query.year.trim() {
        "" => Some(today.year()),
        text => text
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2099).contains(y)),
    };
    let month = match query.month.trim() {
        "" => Some(None),
        text => text
            .parse::<u32>()
            .ok()
            .filter(|m| (1..=12).contains(m))
            .map(Some),
    };
    let mut errors = Vec::new();
    if year.is_none() {
        errors.push(FieldError {
            field: "year",
            message: "年份应为 2000 至 2099 之间的四位数字".to_owned(),
        });
    }
    if month.is_none() {
        errors.push(FieldError {
            field: "month",
            message: "月份应为 1 至 12 之间的数字，或留空查看全年".to_owned(),
        });
    }
    let (Some(year), Some(month)) = (year, month) else {
        return Err(errors);
    };
    let day = NaiveDate::from_ymd_opt;
    let (from, to) = match month {
        None => (day(year, 1, 1), day(year, 12, 31)),
        Some(m) => {
            let next = if m == 12 {
                day(year + 1, 1, 1)
            } else {
                day(year, m + 1, 1)
            };
            (day(year, m, 1), next.and_then(|d| d.pred_opt()))
        }
    };
    let label = match month {
        None => format!("{year}年"),
        Some(m) => format!("{year}年{m}月"),
    };
    match (from, to) {
        (Some(from), Some(to)) => Ok((from, to, label)),
        // Unreachable for years 2000–2099; said as the year being wrong rather than a panic.
        _ => Err(vec![FieldError {
            field: "year",
            message: "年份应为 2000 至 2099 之间的四位数字".to_owned(),
        }]),
    }
}

/// What is published for `from ..= to` as of `today`, read from the read model.
pub(crate) fn published(
    m: &guanjia_read::ReadModel,
    (from, to, period): (NaiveDate, NaiveDate, String),
    today: NaiveDate,
) -> Result<Published, guanjia_read::ReadError> {
    let ask = |group_by| DashboardQuery {
        from,
        to,
        today,
        division: None,
        group_by,
        monthly: false,
    };
    let by_department = m.dashboard(&ask(Some(GroupBy::Department)))?;
    let by_item = m.dashboard(&ask(Some(GroupBy::CatalogItem)))?;
    let departments = by_department
        .groups
        .iter()
        .filter(|g| g.period.ratings > 0)
        .map(|g| {
            let label = g.key.clone().unwrap_or_else(|| "上门服务等".to_owned());
            Line::new(label, &g.period)
        })
        .collect();
    let items = by_item
        .groups
        .iter()
        .filter(|g| g.period.ratings > 0 && g.key.is_some())
        .map(|g| {
            let code = g.key.clone().unwrap_or_default();
            let label = match &g.label {
                Some(name) => format!("{name}（{code}）"),
                None => code,
            };
            Line::new(label, &g.period)
        })
        .collect();
    Ok(Published {
        period,
        from,
        to,
        total: Line::new("全区".to_owned(), &by_department.period),
        departments,
        items,
        bad_ratings: m
            .public_bad_ratings(from, to, today)
            .into_iter()
            .map(BadLine::new)
            .collect(),
    })
}
