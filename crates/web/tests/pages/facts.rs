//! What the pages must show, read from the site's read model (the same queries the pages use,
//! asked directly), so the flows check the page against the model rather than against
//! numbers copied from the demo.

use chrono::{Datelike, NaiveDate};
use guanjia_demo::people::{AGENTS, STEWARDS};
use guanjia_domain::calendar::TimeStatus;
use guanjia_domain::clock::china_date;
use guanjia_domain::values::DivisionCode;
use guanjia_read::{CaseQuery, CaseSummary, WorkloadQuery};

use crate::site::Site;

/// An item the workbench must show as a card.
#[derive(Debug, Clone)]
pub struct Due {
    pub item_name: String,
    pub case_id: String,
    pub status: TimeStatus,
}

/// The items of `user` in warning or overdue today.
pub fn flagged_items(site: &Site, user: &str) -> Vec<Due> {
    let today = china_date(site.state.clock.now());
    let query = WorkloadQuery {
        users: vec![user.to_owned()],
        today,
        horizon_days: 60,
    };
    let work = site.state.read.read(|m| m.workload(&query));
    work.overdue_items
        .iter()
        .chain(&work.items_due_soon)
        .filter(|i| i.time_status != TimeStatus::OnTime)
        .map(|i| Due {
            item_name: i.item_name.clone(),
            case_id: i.case.case_id.clone(),
            status: i.time_status,
        })
        .collect()
}

/// The demo steward with the most items in warning or overdue.
pub fn busiest_steward(site: &Site) -> String {
    STEWARDS
        .iter()
        .chain(AGENTS)
        .map(|s| (flagged_items(site, s.id).len(), s.id))
        .max()
        .map(|(_, id)| id.to_owned())
        .unwrap_or_default()
}

/// Every case in `division`'s scope (or all, for `None`).
pub fn cases(site: &Site, division: Option<&str>) -> Vec<CaseSummary> {
    let today = china_date(site.state.clock.now());
    let query = CaseQuery {
        division: division.map(|d| DivisionCode::parse(d).expect("a division code")),
        first: Some(100),
        ..CaseQuery::default()
    };
    site.state
        .read
        .read(|m| m.search(&query, today))
        .expect("a search")
        .items
}

/// A case outside `division`'s scope.
pub fn case_outside(site: &Site, division: &str) -> CaseSummary {
    let scope = DivisionCode::parse(division).expect("a division code");
    cases(site, None)
        .into_iter()
        .find(|c| !scope.contains(&c.division))
        .expect("the demo has cases outside the town")
}

/// The names of the items of a case.
pub fn item_names(site: &Site, case_id: &str) -> Vec<String> {
    let today = china_date(site.state.clock.now());
    site.state.read.read(|m| {
        m.case_detail(case_id, today)
            .map(|d| d.items.iter().map(|i| i.catalog.name.clone()).collect())
            .unwrap_or_default()
    })
}

/// A period the dashboard flows look at.
#[derive(Debug, Clone, Copy)]
pub enum Span {
    /// The site's whole year.
    Year,
    /// March of the site's year.
    March,
}

/// The period figures of `division` as the dashboard must show them.
pub fn dashboard(
    site: &Site,
    division: &str,
    span: Span,
) -> guanjia_read::kpi::figures::PeriodFigures {
    let today = china_date(site.state.clock.now());
    let day = |m, d| chrono::NaiveDate::from_ymd_opt(2026, m, d).expect("a date");
    let (from, to) = match span {
        Span::Year => (day(1, 1), day(12, 31)),
        Span::March => (day(3, 1), day(3, 31)),
    };
    let query = guanjia_read::DashboardQuery {
        from,
        to,
        today,
        division: Some(DivisionCode::parse(division).expect("a division code")),
        group_by: None,
        monthly: false,
    };
    site.state
        .read
        .read(|m| m.dashboard(&query))
        .expect("a dashboard")
        .period
}

/// A case with a lead steward and a contact phone: (id, lead, phone).
pub fn case_with_lead_and_phone(site: &Site) -> (String, String, String) {
    let today = china_date(site.state.clock.now());
    let all = cases(site, None);
    site.state.read.read(|m| {
        all.iter()
            .filter(|c| c.lead_steward.is_some())
            .filter_map(|c| m.case_detail(&c.id, today))
            .find_map(|d| {
                let phone = d.enterprise.contact_phone.clone()?;
                let lead = all.iter().find(|c| c.id == d.id)?.lead_steward.clone()?;
                Some((d.id.clone(), lead, phone.as_str().to_owned()))
            })
            .expect("a demo case with a lead and a contact phone")
    })
}

/// Every personal datum of the demo a public page must never show: the enterprise contacts'
/// names and phones (as stored) and the names of the staff.
pub fn personal_data(site: &Site) -> Vec<String> {
    let today = china_date(site.state.clock.now());
    let all = cases(site, None);
    let mut found: Vec<String> = site.state.read.read(|m| {
        all.iter()
            .filter_map(|c| m.case_detail(&c.id, today))
            .flat_map(|d| {
                [
                    d.enterprise.contact_name.clone(),
                    d.enterprise
                        .contact_phone
                        .as_ref()
                        .map(|p| p.as_str().to_owned()),
                ]
            })
            .flatten()
            .collect()
    });
    found.extend(
        STEWARDS
            .iter()
            .chain(AGENTS)
            .map(|person| person.name.to_owned()),
    );
    found.sort();
    found.dedup();
    found
}

/// The first year of the demo with bad ratings, and its bad ratings as the read model lists them.
pub fn year_with_bad_ratings(
    site: &Site,
    today: NaiveDate,
) -> (i32, Vec<guanjia_read::public_ratings::PublicBadRating>) {
    site.state.read.read(|m| {
        (2020..=today.year())
            .map(|year| {
                let day = |month, d| NaiveDate::from_ymd_opt(year, month, d).expect("a date");
                (year, m.public_bad_ratings(day(1, 1), day(12, 31), today))
            })
            .find(|(_, listed)| !listed.is_empty())
            .expect("the demo has bad ratings")
    })
}

/// A case an enterprise can follow (办件进度): open, led, with items, a USCC and a contact
/// phone. Its (id, lead steward, case number, USCC, phone, item names).
pub struct Followed {
    pub id: String,
    pub lead: String,
    pub number: String,
    pub uscc: String,
    pub phone: String,
    pub items: Vec<String>,
}

pub fn followed_case(site: &Site) -> Followed {
    use guanjia_domain::case::model::CaseState;
    let today = china_date(site.state.clock.now());
    let all = cases(site, None);
    site.state.read.read(|m| {
        let mut open: Vec<_> = all
            .iter()
            .filter(|c| c.state != CaseState::Closed)
            .filter_map(|c| Some((c.lead_steward.clone()?, m.case_detail(&c.id, today)?)))
            .collect();
        // A case with an item still running (a deadline to show) first.
        open.sort_by_key(|(_, d)| !d.items.iter().any(|i| i.deadline.is_some()));
        open.into_iter()
            .find_map(|(lead, d)| {
                (!d.items.is_empty()).then_some(())?;
                Some(Followed {
                    id: d.id.clone(),
                    lead,
                    number: d.case_number.to_string(),
                    uscc: d.enterprise.uscc.as_ref()?.to_string(),
                    phone: d.enterprise.contact_phone.as_ref()?.as_str().to_owned(),
                    items: d.items.iter().map(|i| i.catalog.name.clone()).collect(),
                })
            })
            .expect("a demo case with a lead, items, a USCC and a phone")
    })
}
