//! Look-ups by case id, case number and USCC, including an enterprise with a closed and an
//! open case and a USCC set by a correction.

use guanjia_domain::case::CaseEvent;

use crate::helpers::*;
use crate::search::district;

#[test]
fn looks_up_by_number_and_uscc_open_and_all() {
    let mut log = district();
    log.case(
        "b",
        CaseEvent::CaseClosed {
            reason: guanjia_domain::case::model::CloseReason::EnterpriseWithdrew,
            summary: "撤回".into(),
            closed_on: date("2024-03-01"),
        },
    );
    log.case_all(
        "e",
        [registered(
            "2024-0005",
            "恒大口腔诊所",
            Some(uscc(2)),
            "2024-03-05",
        )],
    );
    // c had no USCC; a correction sets one.
    log.case(
        "c",
        CaseEvent::EnterpriseDetailsCorrected {
            name: None,
            uscc: Some(uscc(3)),
            division: None,
            address: None,
            contact_name: None,
            contact_phone: None,
            reason: "取得营业执照".into(),
        },
    );
    let model = log.model();
    assert_eq!(
        model.case_by_number(&number("2024-0004")).map(|c| c.id),
        Some("d".to_owned())
    );
    assert_eq!(model.case_by_id("a").map(|c| c.key_project), Some(true));
    let cases = model.cases_by_uscc(&uscc(2));
    assert_eq!(
        cases.all.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        ["b", "e"]
    );
    assert_eq!(cases.open.map(|c| c.id), Some("e".to_owned()));
    assert_eq!(
        model.cases_by_uscc(&uscc(3)).open.map(|c| c.id),
        Some("c".to_owned())
    );
    assert!(model.cases_by_uscc(&uscc(99)).all.is_empty());
}
