//! The dashboard table: one row per figure (docs/kpis.md defines each), the period's total,
//! then one column per month — the shape leaders paste into their monthly reports. The "now"
//! figures (open cases, overdue items…) fill the total column only.

use chrono::NaiveDate;
use guanjia_read::kpi::figures::{NowFigures, PeriodFigures};
use guanjia_read::{DashboardQuery, ReadModel};

use super::table::{Cell, Table};

type PeriodFigure = (&'static str, &'static str, fn(&PeriodFigures) -> Cell);
type NowFigure = (&'static str, &'static str, fn(&NowFigures) -> Cell);

const PERIOD: &[PeriodFigure] = &[
    ("cases_signed", "签约企业数", |f| {
        Cell::int(f.cases_signed)
    }),
    ("visits_conducted", "上门服务次数", |f| {
        Cell::int(f.visits_conducted)
    }),
    ("items_requested", "代办事项数", |f| {
        Cell::int(f.items_requested)
    }),
    ("items_concluded", "办结事项数", |f| {
        Cell::int(f.items_concluded)
    }),
    ("items_rejected", "不予受理数", |f| {
        Cell::int(f.items_rejected)
    }),
    ("bundles_used", "一件事一次办", |f| {
        Cell::int(f.bundles_used)
    }),
    ("on_time_rate", "按时办结率", |f| {
        Cell::Rate(f.on_time_rate)
    }),
    ("average_net_days", "平均办理工作日", |f| {
        Cell::Average(f.average_net_days)
    }),
    ("average_statutory_days", "平均法定时限", |f| {
        Cell::Average(f.average_statutory_days)
    }),
    ("average_promised_days", "平均承诺时限", |f| {
        Cell::Average(f.average_promised_days)
    }),
    ("time_compression", "时限压缩率", |f| {
        Cell::Rate(f.time_compression)
    }),
    ("materials_rate", "材料提交比", |f| {
        Cell::Rate(f.materials_rate)
    }),
    ("trips_per_item", "每件跑动次数", |f| {
        Cell::Average(f.trips_per_item)
    }),
    ("zero_trip_rate", "零跑腿率", |f| {
        Cell::Rate(f.zero_trip_rate)
    }),
    ("ratings", "评价数", |f| Cell::int(f.ratings)),
    ("good_rating_rate", "好评率", |f| {
        Cell::Rate(f.good_rating_rate)
    }),
    ("bad_ratings", "差评数", |f| Cell::int(f.bad_ratings)),
    ("call_back_rate", "差评回访率", |f| {
        Cell::Rate(f.call_back_rate)
    }),
    ("on_time_rectification_rate", "按时整改率", |f| {
        Cell::Rate(f.on_time_rectification_rate)
    }),
    ("complaints_lodged", "办不成事反映数", |f| {
        Cell::int(f.complaints_lodged)
    }),
    ("complaint_resolution_rate", "反映解决率", |f| {
        Cell::Rate(f.complaint_resolution_rate)
    }),
];

const NOW: &[NowFigure] = &[
    ("open_cases", "在办企业数", |f| Cell::int(f.open_cases)),
    ("key_project_coverage", "重点项目覆盖率", |f| {
        Cell::Rate(f.key_project_coverage)
    }),
    ("items_in_progress", "在办事项数", |f| {
        Cell::int(f.items_in_progress)
    }),
    ("items_warning", "预警事项数", |f| {
        Cell::int(f.items_warning)
    }),
    ("items_overdue", "超期事项数", |f| {
        Cell::int(f.items_overdue)
    }),
];

/// The dashboard of the whole district for `from ..= to`, "now" figures as of `today`.
pub fn dashboard_table(
    model: &ReadModel,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> anyhow::Result<Table> {
    let query = DashboardQuery {
        from,
        to,
        today,
        division: None,
        group_by: None,
        monthly: true,
    };
    let dashboard = model.dashboard(&query)?;
    let mut columns = vec!["figure", "指标", "total"];
    let months: Vec<String> = dashboard
        .months
        .iter()
        .map(|m| format!("{}-{:02}", m.year, m.month))
        .collect();
    columns.extend(months.iter().map(String::as_str));
    let mut table = Table::new("dashboard", &columns);
    for (key, label, value) in PERIOD {
        let mut row = vec![
            Cell::Text((*key).to_owned()),
            Cell::Text((*label).to_owned()),
            value(&dashboard.period),
        ];
        row.extend(dashboard.months.iter().map(|m| value(&m.period)));
        table.rows.push(row);
    }
    for (key, label, value) in NOW {
        let mut row = vec![
            Cell::Text(format!("{key} (as of {today})")),
            Cell::Text((*label).to_owned()),
            value(&dashboard.now),
        ];
        // Every row as wide as the header: CSV readers refuse ragged rows.
        row.resize(table.columns.len(), Cell::Empty);
        table.rows.push(row);
    }
    Ok(table)
}
