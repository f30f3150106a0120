//! The periods page's list and choices: the closed periods touching the leader's scope, each
//! with the approvals granted inside it (read from the log through the application layer, as
//! the closed-period check reads them); the ended periods a leader may pick; the divisions of
//! the leader's subtree that hold cases.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use guanjia_domain::periods::ReportingPeriods;
use guanjia_domain::values::{DivisionCode, Period};

use super::period_name;
use crate::pages::dashboard::division_label;
use crate::session::Session;
use crate::{format, Web};

/// A closed period as the list shows it.
pub(crate) struct Row {
    pub period: String,
    pub period_code: String,
    pub division: String,
    pub division_code: String,
    /// Closed for a division inside the leader's scope: the leader may approve entries.
    pub approvable: bool,
    pub closed: String,
    pub changes: usize,
    /// The approvals granted inside it, in order.
    pub approvals: Vec<Approval>,
}

/// An approval of one entry, as the list shows it.
pub(crate) struct Approval {
    pub no: u32,
    pub href: String,
    pub case: String,
    pub by: String,
    pub reason: String,
    pub granted_on: String,
}

/// The closed periods touching the leader's scope, each with its approvals.
pub(super) async fn rows(web: &Web, session: &Session, scope: &DivisionCode) -> Vec<Row> {
    let list = web.state().read.read(|m| m.closed_periods_touching(scope));
    // The approvals are read as the check reads them: from each closing division's stream.
    let mut books: BTreeMap<DivisionCode, ReportingPeriods> = BTreeMap::new();
    for entry in &list {
        if books.contains_key(&entry.division) {
            continue;
        }
        match web
            .state()
            .app
            .reporting_periods(&session.actor, entry.division.as_str())
            .await
        {
            Ok(found) => books.extend(found),
            Err(error) => tracing::warn!(%error, "the approvals of a closed period were not read"),
        }
    }
    let mut out = Vec::new();
    for entry in list {
        let approvals = books
            .get(&entry.division)
            .into_iter()
            .flat_map(|book| book.approvals.iter())
            .filter(|a| entry.period.covers(a.period))
            .map(|a| Approval {
                no: a.approval_no,
                href: format!("/cases/{}", format::query_escape(&a.case_id)),
                case: web
                    .state()
                    .read
                    .read(|m| m.case_by_id(&a.case_id))
                    .map_or_else(
                        || a.case_id.clone(),
                        |c| format!("{} {}", c.case_number, c.name),
                    ),
                by: web.staff_name(&a.approved_by),
                reason: a.reason.clone(),
                granted_on: format::date(a.granted_on),
            })
            .collect();
        out.push(Row {
            period: period_name(entry.period),
            period_code: entry.period.to_string(),
            division: division_label(&entry.division),
            division_code: entry.division.as_str().to_owned(),
            approvable: scope.contains(&entry.division),
            closed: format!(
                "{} 由 {} 封账",
                format::date(entry.closed_on),
                web.staff_name(&entry.closed_by)
            ),
            changes: entry.changes,
            approvals,
        });
    }
    out
}

/// The ended periods a leader may pick: the last 24 months, 8 quarters and 5 years.
pub(super) fn choices(today: NaiveDate) -> Vec<(&'static str, Vec<(String, String)>)> {
    let (year, month) = (today.year(), today.month0());
    let months: Vec<Period> = (1..=24)
        .map(|back| {
            let index = year * 12 + month as i32 - back;
            Period::Month(
                index.div_euclid(12),
                index.rem_euclid(12).unsigned_abs() + 1,
            )
        })
        .collect();
    let quarters: Vec<Period> = (1..=8)
        .map(|back| {
            let index = year * 4 + (month / 3) as i32 - back;
            Period::Quarter(index.div_euclid(4), index.rem_euclid(4).unsigned_abs() + 1)
        })
        .collect();
    let years: Vec<Period> = (1..=5).map(|back| Period::Year(year - back)).collect();
    let named = |periods: Vec<Period>| -> Vec<(String, String)> {
        periods
            .into_iter()
            .map(|p| (p.to_string(), period_name(p)))
            .collect()
    };
    vec![
        ("月", named(months)),
        ("季度", named(quarters)),
        ("年", named(years)),
    ]
}

/// The leader's division and the divisions below it that hold cases (two levels down).
pub(super) fn divisions(web: &Web, scope: &DivisionCode) -> Vec<(String, String)> {
    web.state().read.read(|m| {
        let mut out = vec![scope.clone()];
        for child in m.divisions_below(scope) {
            let grandchildren = m.divisions_below(&child);
            out.push(child);
            out.extend(grandchildren);
        }
        out.into_iter()
            .map(|d| (d.as_str().to_owned(), division_label(&d)))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(today: NaiveDate) -> Vec<Vec<String>> {
        choices(today)
            .into_iter()
            .map(|(_, options)| options.into_iter().map(|(value, _)| value).collect())
            .collect()
    }

    #[test]
    fn only_ended_periods_are_offered_newest_first_across_a_new_year() {
        let today = NaiveDate::from_ymd_opt(2026, 1, 15).expect("a date");
        let [months, quarters, years] = &values(today)[..] else {
            panic!("months, quarters and years");
        };
        assert_eq!(months.len(), 24);
        assert_eq!(&months[..2], ["2025-12", "2025-11"]);
        assert_eq!(months.last().map(String::as_str), Some("2024-01"));
        assert_eq!(&quarters[..2], ["2025-Q4", "2025-Q3"]);
        assert_eq!(quarters.last().map(String::as_str), Some("2024-Q1"));
        assert_eq!(years, &["2025", "2024", "2023", "2022", "2021"]);
    }

    #[test]
    fn the_current_month_and_quarter_are_not_offered() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 31).expect("a date");
        let choices = choices(today);
        assert_eq!(
            choices[0].1[0],
            ("2026-02".to_owned(), "2026年2月".to_owned())
        );
        assert_eq!(
            choices[1].1[0],
            ("2025-Q4".to_owned(), "2025年第4季度".to_owned())
        );
    }
}
