//! The flows of the browser tests, run one after another on one site per backend (`main.rs`).
//! Each opens its own browser sessions, so no flow depends on another's cookies; flows that
//! change an account (revocation) use a person no other flow signs in as.

mod admin;
mod audit;
mod cases;
mod dashboard;
mod forms;
mod periods;
mod phone;
mod progress;
mod public_catalog;
mod report;
mod screen;
mod session;

use std::future::Future;
use std::pin::Pin;

use crate::driver::Driver;
use crate::site::Site;

/// A flow: drives browsers against the site, `Err` with what went wrong.
pub type Flow = for<'a> fn(
    &'a Site,
    &'a Driver,
) -> Pin<Box<dyn Future<Output = anyhow::Result<()>> + Send + 'a>>;

macro_rules! flows {
    ($($name:path),* $(,)?) => {
        &[$((stringify!($name), |site, driver| Box::pin($name(site, driver)))),*]
    };
}

/// Every flow, in the order they run.
pub const ALL: &[(&str, Flow)] = flows![
    session::sign_in,
    session::sign_in_by_keyboard,
    cases::workbench_shows_due_items_in_colour_and_words,
    cases::search_finds_a_case_by_chinese_substring,
    cases::case_page_shows_its_items,
    cases::a_town_steward_gets_not_found_for_a_case_elsewhere,
    forms::a_steward_runs_a_case_from_a_phone,
    session::a_form_without_its_csrf_token_is_refused,
    session::a_revoked_session_is_signed_out,
    phone::phone_pages_do_not_scroll_sideways,
    dashboard::a_leader_drills_down_switches_period_downloads_and_prints,
    dashboard::the_dashboard_fits_a_phone,
    screen::the_big_screen_updates_live_and_stops_when_revoked,
    audit::an_auditor_compares_a_case_with_its_past_and_reveals_a_phone,
    admin::a_town_admin_manages_only_its_own_town,
    public_catalog::an_enterprise_on_a_phone_finds_a_guide_without_signing_in,
    public_catalog::a_bundle_lists_each_material_once,
    public_catalog::the_print_views_fit_one_a4_page,
    report::someone_reports_a_problem_follows_it_and_staff_see_it_masked,
    progress::an_enterprise_follows_its_case_until_the_link_is_revoked,
    progress::an_enterprise_looks_up_its_case_by_number,
    // Last: they close months of a town, which no flow before them may depend on being open.
    periods::a_leader_closes_a_month_and_approves_an_entry_on_a_phone,
    periods::a_leader_closes_a_month_and_approves_an_entry_on_a_desktop,
];
