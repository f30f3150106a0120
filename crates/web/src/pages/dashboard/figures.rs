//! Every figure of docs/kpis.md as a row of the dashboard — its Chinese name, this period,
//! the same period last year and the change — and the monthly series the charts draw. The
//! figures themselves come from the read model (`ReadModel::dashboard`, the same as GraphQL's
//! `dashboard`); here they are only named, formatted and paired. The page, the print view and
//! the XLSX download all take their rows from here, so they hold the same numbers.

use guanjia_read::dashboard::Month;
use guanjia_read::kpi::figures::{NowFigures, PeriodFigures};
use guanjia_read::Ratio;
use serde::Serialize;

/// One figure's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Value {
    Count(u64),
    Rate(Ratio),
    Average(Ratio),
}

impl Value {
    pub(crate) fn text(&self) -> String {
        match self {
            Self::Count(n) => n.to_string(),
            Self::Rate(r) => r.percent_text(),
            Self::Average(r) => r.decimal_text(),
        }
    }

    /// The change from `earlier` to this value: a difference of counts, of percentage points
    /// (个百分点) or of averages; "—" when either side has no value.
    pub(crate) fn change_from(&self, earlier: &Value) -> String {
        let signed = |n: i64, text: String| if n > 0 { format!("+{text}") } else { text };
        match (self, earlier) {
            (Self::Count(a), Self::Count(b)) => {
                let d = i64::try_from(*a).unwrap_or(i64::MAX) - i64::try_from(*b).unwrap_or(0);
                signed(d, d.to_string())
            }
            (Self::Rate(a), Self::Rate(b)) => match (a.permille(), b.permille()) {
                (Some(a), Some(b)) => signed(a - b, format!("{} 个百分点", tenths(a - b))),
                _ => "—".to_owned(),
            },
            (Self::Average(a), Self::Average(b)) => match (a.scaled(10), b.scaled(10)) {
                (Some(a), Some(b)) => signed(a - b, tenths(a - b)),
                _ => "—".to_owned(),
            },
            _ => "—".to_owned(),
        }
    }

    /// The value for a chart: a count, a percentage or an average, `None` without a value.
    pub(crate) fn number(&self) -> Option<f64> {
        match self {
            // Counts on a dashboard are far below 2^52: exact as f64.
            Self::Count(n) => Some(*n as f64),
            Self::Rate(r) => r.permille().map(|p| p as f64 / 10.0),
            Self::Average(r) => r.scaled(10).map(|p| p as f64 / 10.0),
        }
    }
}

fn tenths(t: i64) -> String {
    let sign = if t < 0 { "-" } else { "" };
    format!("{sign}{}.{}", t.unsigned_abs() / 10, t.unsigned_abs() % 10)
}

/// A figure over a period: its section, name and how to read it from the figures.
pub(crate) struct PeriodFigure {
    pub section: &'static str,
    pub name: &'static str,
    pub read: fn(&PeriodFigures) -> Value,
}

macro_rules! figure {
    ($section:literal, $name:literal, Count, $field:ident) => {
        PeriodFigure {
            section: $section,
            name: $name,
            read: |f| Value::Count(f.$field),
        }
    };
    ($section:literal, $name:literal, $kind:ident, $field:ident) => {
        PeriodFigure {
            section: $section,
            name: $name,
            read: |f| Value::$kind(f.$field),
        }
    };
}

/// Every period figure of docs/kpis.md, in its order.
pub(crate) const PERIOD: &[PeriodFigure] = &[
    figure!("工作量", "签约企业数", Count, cases_signed),
    figure!("工作量", "走访次数", Count, visits_conducted),
    figure!("工作量", "申请事项数", Count, items_requested),
    figure!("工作量", "办结事项数", Count, items_concluded),
    figure!("工作量", "不予受理事项数", Count, items_rejected),
    figure!("工作量", "“一件事一次办”次数", Count, bundles_used),
    figure!("时效", "按时办结率", Rate, on_time_rate),
    figure!("时效", "平均办理用时（工作日）", Average, average_net_days),
    figure!(
        "时效",
        "平均法定时限（工作日）",
        Average,
        average_statutory_days
    ),
    figure!(
        "时效",
        "平均承诺时限（工作日）",
        Average,
        average_promised_days
    ),
    figure!("时效", "时限压缩率", Rate, time_compression),
    figure!("减负", "实交材料占应交材料比例", Rate, materials_rate),
    figure!("减负", "每件事项到现场次数", Average, trips_per_item),
    figure!("减负", "零跑腿率", Rate, zero_trip_rate),
    figure!("满意度", "评价数", Count, ratings),
    figure!("满意度", "好评率", Rate, good_rating_rate),
    figure!("满意度", "差评数", Count, bad_ratings),
    figure!("满意度", "差评回访率", Rate, call_back_rate),
    figure!("满意度", "差评按时整改率", Rate, on_time_rectification_rate),
    figure!("满意度", "“办不成事”反映数", Count, complaints_lodged),
    figure!("满意度", "反映办结率", Rate, complaint_resolution_rate),
];

/// The figures of today, whatever the period.
pub(crate) fn now_rows(now: &NowFigures) -> Vec<(&'static str, Value)> {
    vec![
        ("在办案件数", Value::Count(now.open_cases)),
        ("重点项目覆盖率", Value::Rate(now.key_project_coverage)),
        ("在办事项数", Value::Count(now.items_in_progress)),
        ("预警事项数", Value::Count(now.items_warning)),
        ("超期事项数", Value::Count(now.items_overdue)),
    ]
}

/// A row of the comparison table.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub section: &'static str,
    pub name: &'static str,
    pub this: Value,
    pub last_year: Value,
}

impl Row {
    pub(crate) fn change(&self) -> String {
        self.this.change_from(&self.last_year)
    }
}

/// This period's figures beside last year's.
pub(crate) fn rows(this: &PeriodFigures, last_year: &PeriodFigures) -> Vec<Row> {
    PERIOD
        .iter()
        .map(|f| Row {
            section: f.section,
            name: f.name,
            this: (f.read)(this),
            last_year: (f.read)(last_year),
        })
        .collect()
}

/// The figures the monthly charts draw: (name, how to read it). Counts as bars, rates as lines.
pub(crate) const CHARTED: &[&str] = &[
    "签约企业数",
    "走访次数",
    "申请事项数",
    "办结事项数",
    "按时办结率",
    "好评率",
    "差评按时整改率",
    "零跑腿率",
];

/// One chart, as the page hands it to the script (a `data-chart` attribute).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Chart {
    pub title: &'static str,
    /// `bar` for counts, `line` for rates.
    pub kind: &'static str,
    pub unit: &'static str,
    pub months: Vec<String>,
    pub this: Vec<Option<f64>>,
    pub last_year: Vec<Option<f64>>,
    /// The same values as text, for the table under the chart.
    #[serde(skip)]
    pub this_text: Vec<String>,
    #[serde(skip)]
    pub last_year_text: Vec<String>,
}

impl Chart {
    pub(crate) fn json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_owned())
    }
}

/// The charts of the monthly series, this period's months beside last year's same months.
pub(crate) fn charts(months: &[Month], last_year: &[Month]) -> Vec<Chart> {
    let spans_years = months.first().map(|m| m.year) != months.last().map(|m| m.year);
    let labels: Vec<String> = months
        .iter()
        .map(|m| {
            if spans_years {
                format!("{}年{}月", m.year, m.month)
            } else {
                format!("{}月", m.month)
            }
        })
        .collect();
    PERIOD
        .iter()
        .filter(|f| CHARTED.contains(&f.name))
        .map(|f| {
            let this: Vec<Value> = months.iter().map(|m| (f.read)(&m.period)).collect();
            let earlier: Vec<Value> = (0..months.len())
                .map(|i| {
                    last_year
                        .get(i)
                        .map_or(Value::Count(0), |m| (f.read)(&m.period))
                })
                .collect();
            let is_count = matches!(this.first(), Some(Value::Count(_)) | None);
            Chart {
                title: f.name,
                kind: if is_count { "bar" } else { "line" },
                unit: if is_count { "" } else { "%" },
                months: labels.clone(),
                this: this.iter().map(Value::number).collect(),
                last_year: earlier.iter().map(Value::number).collect(),
                this_text: this.iter().map(Value::text).collect(),
                last_year_text: earlier.iter().map(Value::text).collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_signed_and_rates_change_in_points() {
        assert_eq!(Value::Count(5).change_from(&Value::Count(3)), "+2");
        assert_eq!(Value::Count(1).change_from(&Value::Count(3)), "-2");
        let now = Value::Rate(Ratio::new(2, 3));
        assert_eq!(
            now.change_from(&Value::Rate(Ratio::new(1, 2))),
            "+16.7 个百分点"
        );
        assert_eq!(now.change_from(&Value::Rate(Ratio::new(0, 0))), "—");
        assert_eq!(Value::Average(Ratio::new(17, 3)).text(), "5.7");
        assert_eq!(Value::Rate(Ratio::new(7, 8)).number(), Some(87.5));
    }

    #[test]
    fn every_charted_figure_is_a_period_figure() {
        for name in CHARTED {
            assert!(PERIOD.iter().any(|f| f.name == *name), "{name}");
        }
    }
}
