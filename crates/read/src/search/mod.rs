//! Case search: look-ups and filters combined, sorted and paged ([`cursor`]).
//!
//! The most selective index narrows the candidates first (case number, USCC, name bigrams
//! (`text`), then the steward's cases); every filter is then checked on each candidate, so
//! the answer does not depend on which index was used. Only the page is sorted in full: the
//! rest is a linear partition, which keeps a page over 100,000 cases in a few milliseconds.

pub mod cursor;
pub(crate) mod text;

use chrono::NaiveDate;
use guanjia_domain::case::model::{CaseState, Stage};
use guanjia_domain::values::{CaseNumber, DivisionCode, Uscc};

use self::cursor::{Cursor, Page, SortBy, SortKey};
use crate::cases::{CaseIx, CaseRecord};
use crate::lookup::{summarize, CaseSummary};
use crate::{kpi, ReadError, ReadModel};

/// What to search for. Every field left `None` (or `false`) does not restrict.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseQuery {
    /// A substring of the enterprise's current name (Chinese or not; full-width folded).
    pub name: Option<String>,
    pub case_number: Option<CaseNumber>,
    pub uscc: Option<Uscc>,
    /// A user id: cases where they are the lead steward or a current member.
    pub steward: Option<String>,
    /// With `steward`: only the cases they lead.
    pub lead_only: bool,
    /// Cases whose enterprise lies in this division's scope (the code and everything below).
    pub division: Option<DivisionCode>,
    pub stage: Option<Stage>,
    pub state: Option<CaseState>,
    /// `Some(true)`: cases not closed; `Some(false)`: closed ones.
    pub open: Option<bool>,
    /// Whether a current project is a key project.
    pub key_project: Option<bool>,
    /// Whether an item is overdue as of the `today` of the search.
    pub has_overdue_items: Option<bool>,
    pub sort: SortBy,
    pub descending: bool,
    /// Page size; [`cursor::DEFAULT_PAGE_SIZE`] when `None`, at most [`cursor::MAX_PAGE_SIZE`].
    pub first: Option<usize>,
    /// The `next_cursor` of the previous page.
    pub after: Option<String>,
}

impl ReadModel {
    /// The cases matching `query`, one page at a time. `today` (Beijing local date) decides
    /// which items are overdue for `has_overdue_items`.
    pub fn search(
        &self,
        query: &CaseQuery,
        today: NaiveDate,
    ) -> Result<Page<CaseSummary>, ReadError> {
        let limit = cursor::page_size(query.first)?;
        let after = query
            .after
            .as_deref()
            .map(|text| cursor::decode(text, query.sort, query.descending))
            .transpose()?;
        let steward = match query.steward.as_deref() {
            Some(user) => match self.symbols.get(user) {
                Some(sym) => Some(sym),
                None => return Ok(empty_page()),
            },
            None => None,
        };
        let name = query.name.as_deref().map(text::normalize);
        let candidates: Vec<CaseIx> = if let Some(number) = &query.case_number {
            self.lookup.by_number(number).into_iter().collect()
        } else if let Some(uscc) = &query.uscc {
            self.lookup.by_uscc(uscc).to_vec()
        } else if let Some(found) = name.as_deref().and_then(|n| self.text.candidates(n)) {
            found
        } else if let Some(user) = steward {
            self.team.cases_of(user).to_vec()
        } else {
            (0..self.cases.cases.len())
                .map(crate::cases::index)
                .collect()
        };
        let matches = |record: &CaseRecord| -> bool {
            let e = &record.enterprise;
            query.case_number.is_none_or(|n| record.number == n)
                && query
                    .uscc
                    .as_ref()
                    .is_none_or(|u| e.uscc.as_ref() == Some(u))
                && name
                    .as_deref()
                    .is_none_or(|n| text::normalize(&e.name).contains(n))
                && steward.is_none_or(|user| match query.lead_only {
                    true => record.lead == Some(user),
                    false => record.is_on_team(user),
                })
                && query
                    .division
                    .as_ref()
                    .is_none_or(|d| d.contains(&e.division))
                && query.stage.is_none_or(|s| record.stage == s)
                && query.state.is_none_or(|s| record.state == s)
                && query.open.is_none_or(|open| record.is_open() == open)
                && query
                    .key_project
                    .is_none_or(|k| record.has_key_project() == k)
                && query.has_overdue_items.is_none_or(|wanted| {
                    let overdue = kpi::live::overdue_items(self, record, today) > 0;
                    overdue == wanted
                })
        };
        let mut found: Vec<(SortKey<&str>, &str, CaseIx)> = candidates
            .into_iter()
            .filter_map(|ix| Some((ix, self.cases.case(ix)?)))
            .filter(|(_, record)| matches(record))
            .map(|(ix, record)| (sort_key(query.sort, record), &*record.id, ix))
            .collect();
        let total = found.len();
        let descending = query.descending;
        let order = |a: &(SortKey<&str>, &str, CaseIx), b: &(SortKey<&str>, &str, CaseIx)| {
            let ascending = (&a.0, a.1).cmp(&(&b.0, b.1));
            if descending {
                ascending.reverse()
            } else {
                ascending
            }
        };
        if let Some(Cursor { key, id }) = &after {
            let last = (key.borrowed(), id.as_str(), 0);
            found.retain(|entry| order(entry, &last).is_gt());
        }
        // Partition out the page (and one more, to know whether a next page exists).
        if found.len() > limit + 1 {
            found.select_nth_unstable_by(limit, order);
            found.truncate(limit + 1);
        }
        found.sort_unstable_by(order);
        let more = found.len() > limit;
        found.truncate(limit);
        let (cursors, items): (Vec<String>, Vec<CaseSummary>) = found
            .iter()
            .filter_map(|(key, id, ix)| {
                let record = self.cases.case(*ix)?;
                let cursor = cursor::encode(query.sort, descending, key, id);
                Some((cursor, summarize(&self.cases, &self.symbols, record)))
            })
            .unzip();
        let next_cursor = cursors.last().filter(|_| more).cloned();
        Ok(Page {
            items,
            cursors,
            next_cursor,
            total,
        })
    }
}

fn sort_key(sort: SortBy, record: &CaseRecord) -> SortKey<&str> {
    match sort {
        SortBy::CaseNumber => SortKey::Number(record.number),
        SortBy::RegisteredOn => SortKey::Date(record.registered_on),
        SortBy::Name => SortKey::Name(&record.enterprise.name),
    }
}

fn empty_page<T>() -> Page<T> {
    Page {
        items: Vec::new(),
        cursors: Vec::new(),
        next_cursor: None,
        total: 0,
    }
}
