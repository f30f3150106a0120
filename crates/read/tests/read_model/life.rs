//! A full case life, from registration to reopening, read back through the case detail.

use guanjia_domain::calendar::TimeStatus;
use guanjia_domain::case::model::{CaseState, CloseReason, ItemOutcome, RatingTarget, Stage};
use guanjia_domain::case::state::{ComplaintStatus, ItemStatus, VisitStatus};
use guanjia_domain::case::CaseEvent;
use guanjia_domain::values::Tier;
use guanjia_read::detail::LoopStage;

use crate::helpers::*;

/// Case `c1` through every kind of event, numbered in the comments by sequence.
pub fn full_life(log: &mut Log) {
    let id = "c1";
    log.at("2024-01-08 09:00").by("li", "steward");
    log.case(
        id,
        registered(
            "2024-0007",
            "安康恒口新材料有限公司",
            Some(uscc(1)),
            "2024-01-08",
        ),
    ); // 1
    log.by("leader-zhang", "leader").case(id, lead("li")); // 2
    log.by("li", "steward");
    log.case(id, member("wang", "部门联络员")); // 3
    log.case(
        id,
        CaseEvent::EnterpriseDetailsCorrected {
            name: None,
            uscc: None,
            division: None,
            address: Some("恒口示范区创业大道1号".to_owned()),
            contact_name: None,
            contact_phone: None,
            reason: "地址有误".to_owned(),
        },
    ); // 4
    log.at("2024-01-10 10:00");
    log.case_all(id, [signed("2024-01-10"), adopted(), project(1, true)]); // 5–7
    log.at("2024-02-01 09:00");
    log.case_all(
        id,
        [
            visit_scheduled(1, "2024-02-02 10:00"), // 8
            visit_conducted(1, "2024-02-02 11:00"), // 9
            requested(
                1,
                facts("LIC-001", "自然资源局", 20, 10, 6, 1),
                "2024-03-01",
            ), // 10
            accepted(1, "2024-03-04", 10),          // 11
            suspended(1, "2024-03-06"),             // 12
            resumed(1, "2024-03-08"),               // 13
            concluded(1, "2024-03-20", ItemOutcome::Granted, 4, 0), // 14
            rated(1, RatingTarget::Item(1), 2, "2024-03-21 10:00"), // 15
            called_back(1, "2024-03-22"),           // 16
            rectified(1, "2024-04-03"),             // 17
            rated_follow_up(2, RatingTarget::Item(1), 5, "2024-04-08 09:00", Some(1)), // 18
        ],
    );
    log.at("2024-04-10 09:00");
    log.case_all(
        id,
        [
            CaseEvent::PlanRevised {
                version: 2,
                plan: plan(2, "一企一策：建设阶段"),
                reason: "进入建设阶段".to_owned(),
            }, // 19
            CaseEvent::StageAdvanced {
                from: Stage::Establishment,
                to: Stage::Construction,
            }, // 20
        ],
    );
    log.by("leader-zhang", "leader").case(
        id,
        CaseEvent::LeadStewardReplaced {
            previous: "li".to_owned(),
            steward: "zhao".to_owned(),
            tier: Tier::Town,
            reason: "工作调整".to_owned(),
        },
    ); // 21
    log.by("zhao", "steward");
    log.case_all(
        id,
        [
            CaseEvent::TeamMemberRemoved {
                user_id: "wang".to_owned(),
                reason: Some("调岗".to_owned()),
            }, // 22
            lodged(1, "2024-04-11"), // 23
            CaseEvent::ComplaintAssigned {
                complaint_no: 1,
                assignee: "zhao".to_owned(),
            }, // 24
            CaseEvent::ComplaintResolved {
                complaint_no: 1,
                answer: "已协调办结".to_owned(),
                resolved_on: date("2024-04-12"),
                signed_off_by: None,
            }, // 25
            CaseEvent::NoteAdded {
                note_no: 1,
                text: "企业计划六月开工".to_owned(),
            }, // 26
            CaseEvent::CaseHeld {
                reason: "企业资金调整".to_owned(),
                held_on: date("2024-04-15"),
            }, // 27
            CaseEvent::CaseResumed {
                resumed_on: date("2024-05-06"),
            }, // 28
            CaseEvent::CaseClosed {
                reason: CloseReason::AllItemsConcluded,
                summary: "事项全部办结".to_owned(),
                closed_on: date("2024-06-28"),
            }, // 29
            CaseEvent::CaseReopened {
                term: 2,
                reason: "新增二期项目".to_owned(),
                reopened_on: date("2024-09-02"),
            }, // 30
        ],
    );
}

#[test]
fn a_full_case_life_reads_back_in_the_detail() {
    let mut log = Log::new();
    full_life(&mut log);
    let model = log.model();
    let detail = model
        .case_detail("c1", date("2024-09-10"))
        .expect("the case exists");

    assert_eq!(detail.case_number, number("2024-0007"));
    assert_eq!(
        (detail.state, detail.stage, detail.term),
        (CaseState::InService, Stage::Construction, 2)
    );
    assert_eq!(
        detail.enterprise.address.as_deref(),
        Some("恒口示范区创业大道1号")
    );
    let correction = &detail.corrections[0];
    assert_eq!(
        (
            correction.changes[0].field.as_str(),
            correction.changes[0].from.as_deref()
        ),
        ("address", Some("恒口示范区工业园"))
    );
    assert_eq!(correction.reason, "地址有误");

    // Team: li led from the assignment until zhao replaced them; wang was a member until removed.
    let team = &detail.team;
    assert_eq!(
        team.lead_steward.as_ref().map(|s| s.user_id.as_str()),
        Some("zhao")
    );
    assert!(team.members.is_empty());
    let li = &team.history[0];
    assert_eq!(
        (li.user_id.as_str(), li.lead, li.from),
        ("li", true, bj("2024-01-08 09:01"))
    );
    assert_eq!(
        (li.to, li.end_reason.as_deref()),
        (Some(bj("2024-04-10 09:02")), Some("工作调整"))
    );
    let wang = &team.history[1];
    assert_eq!(
        (wang.user_id.as_str(), wang.role.as_deref()),
        ("wang", Some("部门联络员"))
    );
    assert_eq!(wang.to, Some(bj("2024-04-10 09:03")));
    assert_eq!(team.history.len(), 3);

    // Plan history and stage.
    assert_eq!(detail.plan.as_ref().map(|p| p.version), Some(2));
    assert_eq!(detail.plan_history.len(), 2);
    assert_eq!(
        detail.plan_history[1].reason.as_deref(),
        Some("进入建设阶段")
    );
    assert_eq!(detail.stage_history[0].to, Stage::Construction);
    assert!(detail.projects[0].details.key_project);

    // Visit.
    assert_eq!(detail.visits[0].status, VisitStatus::Conducted);
    assert_eq!(detail.visits[0].issues_raised, ["用地规划"]);

    // Item 1: accepted Mon 03-04 with 10 working days; suspended Wed 03-06, resumed Fri 03-08,
    // so 03-07 and 03-08 do not count. Counting 03-05, 06, 11, 12, 13, 14, 15, 18, 19, 20 gives
    // Wed 03-20; concluded that day: on time, 10 net working days.
    let item = &detail.items[0];
    assert_eq!(item.status, ItemStatus::Concluded);
    assert_eq!(item.deadline.map(|d| d.date), Some(date("2024-03-20")));
    assert_eq!(
        (item.concluded_on_time, item.used_days),
        (Some(true), Some(10))
    );
    assert_eq!(item.time_status, None, "no live status once concluded");
    assert_eq!(item.suspensions[0].until, Some(date("2024-03-08")));

    // Rating 1 (level 2, Thu 03-21): call-back due Fri 03-22, done that day; rectification due
    // 15 working days after: 03-25..29 (5), 04-01..03 (8), Qingming 04-04..06 off, Sun 04-07
    // worked (9), 04-08..12 (14), Mon 04-15 (15). Rectified 04-03.
    let bad = detail.ratings[0]
        .bad_rating_loop
        .as_ref()
        .expect("a bad rating has a loop");
    assert_eq!(bad.stage, LoopStage::Rectified);
    assert_eq!(bad.call_back_due.date, date("2024-03-22"));
    assert_eq!(bad.rectification_due.date, date("2024-04-15"));
    assert!(!bad.overdue);
    assert_eq!(detail.ratings[0].followed_up_by, Some(2));
    assert_eq!(detail.ratings[1].follow_up_of, Some(1));
    assert!(detail.ratings[1].bad_rating_loop.is_none());
    assert_eq!(detail.ratings[0].dimensions, [("attitude".to_owned(), 2)]);

    // Complaint, note, life cycle.
    let complaint = &detail.complaints[0];
    assert_eq!(
        (complaint.status, complaint.assignee.as_deref()),
        (ComplaintStatus::Resolved, Some("zhao"))
    );
    assert_eq!(detail.notes[0].author_id, "zhao");
    assert_eq!(detail.lifecycle.len(), 4);

    // Timeline: every event, in order, with the event type, actor and role from the metadata.
    let timeline = &detail.timeline;
    assert_eq!(timeline.len(), 30);
    for (entry, stored) in timeline.iter().zip(&log.events) {
        assert_eq!(entry.event_type, stored.event_type);
        assert_eq!(entry.sequence, stored.sequence);
        assert_eq!(entry.position, stored.position);
        assert_eq!(entry.recorded_at, stored.recorded_at);
        assert_eq!(entry.actor_id, stored.metadata.actor_id);
        assert_eq!(entry.actor_role, stored.metadata.actor_role);
        assert!(!entry.summary.is_empty());
    }
    assert_eq!(timeline[1].actor_role, "leader");
    assert_eq!(timeline[0].summary, "登记立案 2024-0007");
    assert_eq!(
        timeline[10].summary,
        "受理办件 1《事项LIC-001》，时限 10 个工作日"
    );
    assert_eq!(timeline[10].business_date, Some(date("2024-03-04")));
    assert_eq!(timeline[11].summary, "办件 1 暂停计时（补正）");
    assert_eq!(timeline[14].business_date, Some(date("2024-03-21")));
    assert_eq!(timeline[19].summary, "阶段推进：设立 → 建设");
    assert_eq!(timeline[20].summary, "更换项目管家为 zhao");
    assert_eq!(timeline[28].summary, "结案（事项全部办结）");
}

#[test]
fn a_running_item_shows_its_live_status() {
    let mut log = Log::new();
    log.case_all(
        "c1",
        [
            registered("2024-0007", "安康恒口新材料有限公司", None, "2024-01-08"),
            lead("li"),
            signed("2024-01-10"),
            requested(
                1,
                facts("LIC-001", "自然资源局", 20, 10, 6, 1),
                "2024-03-01",
            ),
            accepted(1, "2024-03-04", 10),
        ],
    );
    let model = log.model();
    // Deadline Mon 03-18 (no suspension). 7 of 10 days used on Wed 03-13: on time;
    // 8 of 10 on Thu 03-14: warning (80%); Tue 03-19: overdue.
    let status_on = |day: &str| {
        model
            .case_detail("c1", date(day))
            .and_then(|d| d.items[0].time_status)
    };
    assert_eq!(status_on("2024-03-13"), Some(TimeStatus::OnTime));
    assert_eq!(status_on("2024-03-14"), Some(TimeStatus::Warning));
    assert_eq!(status_on("2024-03-18"), Some(TimeStatus::Warning));
    assert_eq!(status_on("2024-03-19"), Some(TimeStatus::Overdue));
}
