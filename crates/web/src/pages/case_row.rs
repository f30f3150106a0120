//! A case as a line of a list (the search's results, the workbench's "my cases"), and the
//! choices of a filter.

use guanjia_read::CaseSummary;

use crate::{labels, Web};

/// A case in a list (search results, the workbench's "my cases").
#[derive(Debug, Clone)]
pub(crate) struct CaseRow {
    pub href: String,
    pub number: String,
    pub name: String,
    pub uscc: String,
    pub division: String,
    pub state: &'static str,
    pub stage: &'static str,
    pub lead: String,
    pub open_items: u32,
    pub key_project: bool,
}

impl CaseRow {
    pub(crate) fn new(web: &Web, case: &CaseSummary) -> Self {
        Self {
            href: format!("/cases/{}", case.id),
            number: case.case_number.to_string(),
            name: case.name.clone(),
            uscc: case
                .uscc
                .as_ref()
                .map_or_else(String::new, |u| u.to_string()),
            division: case.division.to_string(),
            state: labels::case_state(case.state),
            stage: labels::stage(case.stage),
            lead: case
                .lead_steward
                .as_deref()
                .map_or_else(|| "未指定".to_owned(), |id| web.staff_name(id)),
            open_items: case.open_items,
            key_project: case.key_project,
        }
    }
}

/// One choice of a filter.
#[derive(Debug, Clone)]
pub(crate) struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}
