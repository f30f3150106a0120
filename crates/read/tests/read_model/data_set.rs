//! The small fixed data set of the dashboard and workload tests, described by hand below.
//! docs/kpis.md uses it for its worked examples: change both together.
//!
//! Period 2024-03-01 ..= 2024-04-30, "now" 2024-05-06 (Mon), scope district 610902.
//! Catalog items: A = 自然资源局, statutory 20 / promised 10 days, 6 materials;
//! B = 住建局, 15 / 5, 4 materials; C = 市场监管局, 5 / 1, 3 materials.
//!
//! - P1 (恒口镇, lead li, key project): signed 03-05; visit 03-12; items 1 (A) and 2 (B)
//!   requested 03-01, accepted Mon 03-04. Item 1: limit 10 → due 03-18, concluded 03-15, net 9,
//!   on time, 4 materials, 0 trips. Item 2: limit 5 → due 03-11, concluded 03-13, net 7, late,
//!   4 materials, 1 trip. Rating 1 (item 1) level 5 on 03-18; rating 2 (item 2) level 1 on Thu
//!   03-14: call-back due Fri 03-15, done 03-15; rectification due 15 working days later
//!   (Qingming 04-04..06 off, Sun 04-07 worked) = Mon 04-08, done 04-10: late.
//! - P2 (other town, lead zhao, signed 02-20 before the period): bundle of items 1 (C) and 2
//!   (A) requested 04-01, accepted 04-01. Item 1: limit 1 → due 04-02, concluded 04-02, net 1,
//!   on time, 3 materials, 0 trips. Item 2: limit 10 → due 04-16, still running: overdue now.
//!   Item 3 (B): accepted Fri 04-26, limit 5: Sun 04-28 worked (1), 04-29 (2), 04-30 (3),
//!   Labour Day 05-01..05 off, 05-06 (4), due 05-07: 4 of 5 used today → warning. Item 4 (C)
//!   requested 04-20, rejected 04-22. Item 5 (A) requested 04-10, accepted 04-11, withdrawn
//!   04-12 (2 materials, 0 trips). Rating 1 (item 1) level 4 on 04-03; rating 2 (item 5)
//!   level 2 on 04-15, appealed and voided. Complaints: 1 lodged 04-08, resolved 04-09; 2
//!   lodged 04-20, referred; 3 lodged 04-25, assigned, open. Visit 04-18.
//! - P3 (恒口镇, lead li, key project): signed 04-02 (li); visit 1 on 04-10 (li); lead replaced
//!   by zhao; visit 2 on 04-20 (zhao). Rating 1 (of visit 2) level 3 on 04-22; rating 2 (of
//!   visit 1) level 2 on Fri 04-26: call-back due Sun 04-28 (a worked day), not done;
//!   rectification due 15 working days after 04-28, not yet settled on 05-06.
//! - P4 (恒口镇, no lead): registered 04-05, open.
//! - P5 (恒口镇, lead li): signed in 2023, closed 03-30; complaint lodged 03-05, resolved 03-06.
//! - X (another county, lead li): signed 03-10, visit 03-11, open: outside the scope.

use guanjia_domain::case::model::{CloseReason, ItemOutcome, RatingTarget};
use guanjia_domain::case::CaseEvent;
use guanjia_domain::values::Tier;
use guanjia_read::dashboard::{DashboardQuery, GroupBy};

use crate::helpers::*;

const A: (&str, &str, u32, u32, u32, u32) = ("A", "自然资源局", 20, 10, 6, 1);
const B: (&str, &str, u32, u32, u32, u32) = ("B", "住建局", 15, 5, 4, 0);
const C: (&str, &str, u32, u32, u32, u32) = ("C", "市场监管局", 5, 1, 3, 1);

fn item(spec: (&str, &str, u32, u32, u32, u32)) -> guanjia_domain::catalog::CatalogItemFacts {
    facts(spec.0, spec.1, spec.2, spec.3, spec.4, spec.5)
}

/// The data set of the module docs.
pub fn data_set() -> Log {
    let mut log = Log::new();
    log.case_all(
        "P1",
        [
            registered(
                "2024-0001",
                "安康恒口新材料有限公司",
                Some(uscc(1)),
                "2024-01-05",
            ),
            lead("li"),
            signed("2024-03-05"),
            project(1, true),
            visit_scheduled(1, "2024-03-12 09:00"),
            visit_conducted(1, "2024-03-12 10:00"),
            requested(1, item(A), "2024-03-01"),
            requested(2, item(B), "2024-03-01"),
            accepted(1, "2024-03-04", 10),
            accepted(2, "2024-03-04", 5),
            concluded(2, "2024-03-13", ItemOutcome::Granted, 4, 1),
            rated(2, RatingTarget::Item(2), 1, "2024-03-14 10:00"),
            called_back(2, "2024-03-15"),
            concluded(1, "2024-03-15", ItemOutcome::Granted, 4, 0),
            rated(1, RatingTarget::Item(1), 5, "2024-03-18 10:00"),
            rectified(2, "2024-04-10"),
        ],
    );
    log.case_all(
        "P2",
        [
            registered_in(
                "2024-0002",
                "安康秦巴茶业有限公司",
                Some(uscc(2)),
                OTHER_TOWN,
                "2024-02-01",
            ),
            lead("zhao"),
            signed("2024-02-20"),
            bundled(1, item(C), "KB-01", "2024-04-01"),
            bundled(2, item(A), "KB-01", "2024-04-01"),
            accepted(1, "2024-04-01", 1),
            accepted(2, "2024-04-01", 10),
            concluded(1, "2024-04-02", ItemOutcome::Granted, 3, 0),
            rated(1, RatingTarget::Item(1), 4, "2024-04-03 10:00"),
            lodged(1, "2024-04-08"),
            CaseEvent::ComplaintAssigned {
                complaint_no: 1,
                assignee: "zhao".into(),
            },
            CaseEvent::ComplaintResolved {
                complaint_no: 1,
                answer: "已办结".into(),
                resolved_on: date("2024-04-09"),
                signed_off_by: None,
            },
            requested(5, item(A), "2024-04-10"),
            accepted(5, "2024-04-11", 10),
            concluded(5, "2024-04-12", ItemOutcome::Withdrawn, 2, 0),
            rated(2, RatingTarget::Item(5), 2, "2024-04-15 10:00"),
            CaseEvent::RatingAppealed {
                rating_no: 2,
                reason: "误评".into(),
            },
            CaseEvent::RatingVoided {
                rating_no: 2,
                reviewer: "leader-zhang".into(),
                reason: "企业确认误评".into(),
            },
            visit_scheduled(1, "2024-04-18 09:00"),
            visit_conducted(1, "2024-04-18 10:00"),
            requested(4, item(C), "2024-04-20"),
            lodged(2, "2024-04-20"),
            CaseEvent::ComplaintReferred {
                complaint_no: 2,
                to_department: "市住建局".into(),
                reason: "市级权限".into(),
            },
            CaseEvent::ServiceItemRejected {
                item_no: 4,
                reason: "材料不全".into(),
                rejected_on: date("2024-04-22"),
            },
            requested(3, item(B), "2024-04-25"),
            accepted(3, "2024-04-26", 5),
            lodged(3, "2024-04-25"),
            CaseEvent::ComplaintAssigned {
                complaint_no: 3,
                assignee: "zhao".into(),
            },
            visit_scheduled(2, "2024-05-10 09:00"),
        ],
    );
    log.case_all(
        "P3",
        [
            registered("2024-0003", "恒口食品有限公司", Some(uscc(3)), "2024-03-20"),
            lead("li"),
            signed("2024-04-02"),
            project(3, true),
            visit_scheduled(1, "2024-04-10 09:00"),
            visit_conducted(1, "2024-04-10 10:00"),
            CaseEvent::LeadStewardReplaced {
                previous: "li".into(),
                steward: "zhao".into(),
                tier: Tier::Town,
                reason: "调整".into(),
            },
            visit_scheduled(2, "2024-04-20 09:00"),
            visit_conducted(2, "2024-04-20 10:00"),
            rated(1, RatingTarget::Visit(2), 3, "2024-04-22 10:00"),
            rated(2, RatingTarget::Visit(1), 2, "2024-04-26 10:00"),
        ],
    );
    log.case(
        "P4",
        registered("2024-0004", "恒口电子科技", None, "2024-04-05"),
    );
    log.case_all(
        "P5",
        [
            registered("2023-0009", "恒口建材厂", Some(uscc(5)), "2023-05-01"),
            lead("li"),
            signed("2023-05-10"),
            lodged(1, "2024-03-05"),
            CaseEvent::ComplaintAssigned {
                complaint_no: 1,
                assignee: "li".into(),
            },
            CaseEvent::ComplaintResolved {
                complaint_no: 1,
                answer: "已解决".into(),
                resolved_on: date("2024-03-06"),
                signed_off_by: None,
            },
            CaseEvent::CaseClosed {
                reason: CloseReason::AllItemsConcluded,
                summary: "办结".into(),
                closed_on: date("2024-03-30"),
            },
        ],
    );
    log.case_all(
        "X",
        [
            registered_in(
                "2024-0005",
                "汉阴县外地企业",
                None,
                "610921100000",
                "2024-03-01",
            ),
            lead("li"),
            signed("2024-03-10"),
            visit_scheduled(1, "2024-03-11 09:00"),
            visit_conducted(1, "2024-03-11 10:00"),
        ],
    );
    log
}

pub fn query(group_by: Option<GroupBy>, monthly: bool) -> DashboardQuery {
    DashboardQuery {
        from: date("2024-03-01"),
        to: date("2024-04-30"),
        today: date("2024-05-06"),
        division: Some(division("610902000000")),
        group_by,
        monthly,
    }
}
