//! `PersonalDataErased`: the case detail blanks the contact, the raters and complainants and
//! the contact values in the correction history, and says the data was erased.

use guanjia_domain::case::model::{Person, RatingTarget};
use guanjia_domain::case::CaseEvent;
use guanjia_domain::values::Phone;

use crate::helpers::*;

fn person() -> Person {
    Person {
        name: Some("张三".to_owned()),
        phone: Some(Phone::parse("13912345678").expect("valid phone")),
    }
}

#[test]
fn an_erased_case_shows_the_marker_and_no_personal_data() {
    let mut rating = rated(1, RatingTarget::Visit(1), 5, "2024-01-03 10:00");
    if let CaseEvent::RatingRecorded { rater, .. } = &mut rating {
        *rater = person();
    }
    let mut complaint = lodged(1, "2024-01-04");
    if let CaseEvent::ComplaintLodged { complainant, .. } = &mut complaint {
        *complainant = person();
    }
    let correction = CaseEvent::EnterpriseDetailsCorrected {
        name: None,
        uscc: None,
        division: None,
        address: None,
        contact_name: Some("赵经理".to_owned()),
        contact_phone: Some(Phone::parse("13812345678").expect("valid phone")),
        reason: "换联系人".to_owned(),
    };
    let mut log = Log::new();
    log.case_all(
        "c1",
        [
            registered("2024-0001", "安康恒口新材料有限公司", None, "2024-01-01"),
            correction,
            visit_scheduled(1, "2024-01-02 09:00"),
            visit_conducted(1, "2024-01-02 09:00"),
            rating,
            complaint,
        ],
    );
    let before = log
        .model()
        .case_detail("c1", date("2024-01-05"))
        .expect("case");
    assert!(!before.personal_data_erased);
    assert_eq!(before.ratings[0].rater, person());

    log.case(
        "c1",
        CaseEvent::PersonalDataErased {
            reason: "当事人依法申请删除".to_owned(),
        },
    );
    let after = log
        .model()
        .case_detail("c1", date("2024-01-05"))
        .expect("case");
    assert!(after.personal_data_erased);
    assert_eq!(
        (
            after.enterprise.contact_name,
            after.enterprise.contact_phone
        ),
        (None, None)
    );
    assert_eq!(after.enterprise.name, "安康恒口新材料有限公司");
    assert_eq!(after.ratings[0].rater, Person::default());
    assert_eq!(after.complaints[0].complainant, Person::default());
    let contact_changes: Vec<_> = after.corrections[0]
        .changes
        .iter()
        .filter(|c| c.field.starts_with("contact"))
        .collect();
    assert!(contact_changes
        .iter()
        .all(|c| c.from.is_none() && c.to.is_empty()));
    assert_eq!(contact_changes.len(), 2);
    assert_eq!(
        after.timeline.last().map(|t| t.summary.as_str()),
        Some("个人信息已依法删除")
    );
}
