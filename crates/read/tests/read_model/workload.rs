//! A steward's and a team's workload on the dashboard's data set, as of Mon 2024-05-06.

use guanjia_domain::calendar::TimeStatus;
use guanjia_read::detail::LoopStage;
use guanjia_read::workload::DEFAULT_HORIZON_DAYS;
use guanjia_read::{Workload, WorkloadQuery};

use crate::data_set::data_set;
use crate::helpers::*;

fn workload_of(users: &[&str], horizon_days: u32) -> Workload {
    let model = data_set().model();
    model.workload(&WorkloadQuery {
        users: users.iter().map(|u| (*u).to_owned()).collect(),
        today: date("2024-05-06"),
        horizon_days,
    })
}

#[test]
fn a_stewards_workload_lists_what_is_due_and_late() {
    let work = workload_of(&["zhao"], DEFAULT_HORIZON_DAYS);
    let cases: Vec<&str> = work.open_cases.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(cases, ["P2", "P3"]);
    // P2 item 2 was due 04-16.
    assert_eq!(work.overdue_items.len(), 1);
    assert_eq!(
        (
            work.overdue_items[0].item_no,
            work.overdue_items[0].deadline.date
        ),
        (2, date("2024-04-16"))
    );
    // P2 item 3 is due Tue 05-07, within 5 working days (05-07..10 and Sat 05-11, a make-up day).
    assert_eq!(work.items_due_soon.len(), 1);
    assert_eq!(
        (
            work.items_due_soon[0].item_no,
            work.items_due_soon[0].time_status
        ),
        (3, TimeStatus::Warning)
    );
    assert_eq!(work.upcoming_visits.len(), 1);
    assert_eq!(
        (
            work.upcoming_visits[0].case.case_id.as_str(),
            work.upcoming_visits[0].missed
        ),
        ("P2", false)
    );
    // P3's bad rating of Fri 04-26: call-back due Sun 04-28 (a worked day), not done.
    assert_eq!(work.awaiting_call_back.len(), 1);
    let waiting = &work.awaiting_call_back[0].bad_rating_loop;
    assert_eq!(
        (waiting.stage, waiting.call_back_due.date, waiting.overdue),
        (LoopStage::AwaitingCallBack, date("2024-04-28"), true)
    );
    assert!(work.awaiting_rectification.is_empty());
    let complaints: Vec<(&str, u32)> = work
        .open_complaints
        .iter()
        .map(|c| (c.case.case_id.as_str(), c.complaint_no))
        .collect();
    assert_eq!(complaints, [("P2", 3)]);
}

#[test]
fn the_horizon_decides_what_is_due_soon() {
    assert!(
        workload_of(&["zhao"], 0).items_due_soon.is_empty(),
        "nothing is due today itself"
    );
    assert_eq!(workload_of(&["zhao"], 1).items_due_soon.len(), 1);
}

#[test]
fn a_teams_workload_is_the_union_of_its_members() {
    let li = workload_of(&["li"], DEFAULT_HORIZON_DAYS);
    let li_cases: Vec<&str> = li.open_cases.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(li_cases, ["P1", "X"], "P3 moved to zhao, P5 is closed");
    assert!(
        li.overdue_items.is_empty()
            && li.awaiting_call_back.is_empty()
            && li.open_complaints.is_empty()
    );
    let team = workload_of(&["li", "zhao", "nobody"], DEFAULT_HORIZON_DAYS);
    let cases: Vec<&str> = team.open_cases.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(cases, ["P1", "P2", "P3", "X"]);
    assert_eq!(team.overdue_items.len(), 1);
}
