//! Registration, corrections, agreement, stage, hold/resume, close/reopen, notes.

use super::*;
use crate::case::commands::{CaseCommand, EnterpriseCorrection};
use crate::case::model::CloseReason;

fn register() -> CaseCommand {
    CaseCommand::Register {
        case_number: "2024-0007".to_owned(),
        enterprise: enterprise_input(),
        lead_source: LeadSource::InvestmentPromotion,
        stage: Stage::Establishment,
        registered_on: Some(date(2024, 1, 8)),
    }
}

#[test]
fn registering_a_new_case_records_the_enterprise() {
    case()
        .given_no_previous_events()
        .when(register())
        .then_expect_events(registered());
}

#[test]
fn registration_defaults_to_today() {
    let CaseCommand::Register {
        case_number,
        enterprise,
        lead_source,
        stage,
        ..
    } = register()
    else {
        unreachable!()
    };
    let command = CaseCommand::Register {
        case_number,
        enterprise,
        lead_source,
        stage,
        registered_on: None,
    };
    let CaseEvent::CaseRegistered { registered_on, .. } = &case()
        .given_no_previous_events()
        .when(command)
        .inspect_result()
        .expect("accepted")[0]
    else {
        panic!("expected CaseRegistered")
    };
    assert_eq!(*registered_on, today());
}

#[test]
fn an_enterprise_in_establishment_may_have_no_uscc() {
    let mut input = enterprise_input();
    input.uscc = Some("  ".to_owned());
    let command = CaseCommand::Register {
        case_number: "2024-0007".to_owned(),
        enterprise: input,
        lead_source: LeadSource::EnterpriseRequest,
        stage: Stage::Establishment,
        registered_on: None,
    };
    let events = case()
        .given_no_previous_events()
        .when(command)
        .inspect_result()
        .expect("accepted");
    assert!(
        matches!(&events[0], CaseEvent::CaseRegistered { enterprise, .. } if enterprise.uscc.is_none())
    );
}

#[test]
fn registering_twice_is_refused() {
    case()
        .given(registered())
        .when(register())
        .then_expect_error(DomainError::AlreadyExists(
            "case 2024-0007 is already registered".to_owned(),
        ));
}

#[test]
fn registration_with_a_bad_uscc_names_the_field_and_the_check() {
    let mut input = enterprise_input();
    input.uscc = Some("91350100M000100Y4Z".to_owned());
    let command = CaseCommand::Register {
        case_number: "2024-0007".to_owned(),
        enterprise: input,
        lead_source: LeadSource::InvestmentPromotion,
        stage: Stage::Establishment,
        registered_on: None,
    };
    let error = case()
        .given_no_previous_events()
        .when(command)
        .inspect_result()
        .expect_err("refused");
    assert!(
        matches!(
            error,
            DomainError::Invalid {
                field: "enterprise.uscc",
                source: ValueError::BadCheckCharacter {
                    expected: '3',
                    found: 'Z'
                }
            }
        ),
        "{error:?}"
    );
}

#[test]
fn registration_with_a_bad_division_or_case_number_or_blank_name_is_refused() {
    for (mutate, field) in [
        (
            Box::new(|c: &mut EnterpriseInput| c.division = "61090".to_owned())
                as Box<dyn Fn(&mut EnterpriseInput)>,
            "enterprise.division",
        ),
        (
            Box::new(|c: &mut EnterpriseInput| c.name = " ".to_owned()),
            "enterprise.name",
        ),
        (
            Box::new(|c: &mut EnterpriseInput| c.contact_phone = Some("12345".to_owned())),
            "enterprise.contact_phone",
        ),
    ] {
        let mut input = enterprise_input();
        mutate(&mut input);
        let command = CaseCommand::Register {
            case_number: "2024-0007".to_owned(),
            enterprise: input,
            lead_source: LeadSource::InvestmentPromotion,
            stage: Stage::Establishment,
            registered_on: None,
        };
        let error = case()
            .given_no_previous_events()
            .when(command)
            .inspect_result()
            .expect_err("refused");
        let DomainError::Invalid { field: actual, .. } = error else {
            panic!("not Invalid")
        };
        assert_eq!(actual, field);
    }
    let command = CaseCommand::Register {
        case_number: "24-7".to_owned(),
        enterprise: enterprise_input(),
        lead_source: LeadSource::InvestmentPromotion,
        stage: Stage::Establishment,
        registered_on: None,
    };
    let error = case()
        .given_no_previous_events()
        .when(command)
        .inspect_result()
        .expect_err("refused");
    assert!(
        matches!(
            error,
            DomainError::Invalid {
                field: "case_number",
                ..
            }
        ),
        "{error:?}"
    );
}

#[test]
fn registration_dated_outside_the_case_number_years_names_the_date() {
    // The store numbers a case by its registration year, so year 0 arrives with the case
    // number "0-0001": the date is what is wrong, and what the error must name.
    for (number, registered_on) in [("0-0001", date(0, 1, 1)), ("2100-0001", date(2100, 1, 4))] {
        let command = CaseCommand::Register {
            case_number: number.to_owned(),
            enterprise: enterprise_input(),
            lead_source: LeadSource::InvestmentPromotion,
            stage: Stage::Establishment,
            registered_on: Some(registered_on),
        };
        let error = case()
            .given_no_previous_events()
            .when(command)
            .inspect_result()
            .expect_err("refused");
        let expected = if registered_on == date(0, 1, 1) {
            "registered_on: 0000-01-01 is outside the years 2000–2099 that case numbers cover"
        } else {
            "registered_on: 2100-01-04 is in the future (today is 2024-03-15)"
        };
        assert_eq!(error.to_string(), expected);
    }
}

#[test]
fn registration_in_the_future_is_refused() {
    let CaseCommand::Register {
        case_number,
        enterprise,
        lead_source,
        stage,
        ..
    } = register()
    else {
        unreachable!()
    };
    let command = CaseCommand::Register {
        case_number,
        enterprise,
        lead_source,
        stage,
        registered_on: Some(date(2024, 3, 16)),
    };
    case()
        .given_no_previous_events()
        .when(command)
        .then_expect_error(invalid(
            "registered_on",
            "2024-03-16 is in the future (today is 2024-03-15)",
        ));
}

#[test]
fn any_command_on_an_unregistered_case_is_not_found() {
    case()
        .given_no_previous_events()
        .when(CaseCommand::AddNote {
            text: "x".to_owned(),
        })
        .then_expect_error(not_found("case"));
}

#[test]
fn correcting_details_records_only_what_changed() {
    let correction = EnterpriseCorrection {
        name: Some("安康恒口新材料有限公司".to_owned()),
        address: Some("恒口示范区二期".to_owned()),
        ..EnterpriseCorrection::default()
    };
    case()
        .given(registered())
        .when(CaseCommand::CorrectEnterpriseDetails {
            correction,
            reason: "地址录入错误".to_owned(),
        })
        .then_expect_events(vec![CaseEvent::EnterpriseDetailsCorrected {
            name: None,
            uscc: None,
            division: None,
            address: Some("恒口示范区二期".to_owned()),
            contact_name: None,
            contact_phone: None,
            reason: "地址录入错误".to_owned(),
        }]);
}

#[test]
fn a_correction_that_changes_nothing_is_refused() {
    let correction = EnterpriseCorrection {
        uscc: Some("91350100m000100y43".to_owned()),
        ..EnterpriseCorrection::default()
    };
    case()
        .given(registered())
        .when(CaseCommand::CorrectEnterpriseDetails {
            correction,
            reason: "核对".to_owned(),
        })
        .then_expect_error(not_allowed("the correction changes nothing"));
}

#[test]
fn a_correction_needs_a_reason_and_valid_values() {
    let correction = EnterpriseCorrection {
        address: Some("新地址".to_owned()),
        ..EnterpriseCorrection::default()
    };
    case()
        .given(registered())
        .when(CaseCommand::CorrectEnterpriseDetails {
            correction,
            reason: " ".to_owned(),
        })
        .then_expect_error(DomainError::invalid("reason", ValueError::Empty));
    let correction = EnterpriseCorrection {
        uscc: Some("91350100M000100Y4Z".to_owned()),
        ..EnterpriseCorrection::default()
    };
    let error = case()
        .given(registered())
        .when(CaseCommand::CorrectEnterpriseDetails {
            correction,
            reason: "更正".to_owned(),
        })
        .inspect_result()
        .expect_err("refused");
    assert!(
        matches!(error, DomainError::Invalid { field: "uscc", .. }),
        "{error:?}"
    );
}

#[test]
fn signing_the_agreement_moves_the_case_to_signed() {
    let expected = signed().split_off(1);
    case()
        .given(registered())
        .when(CaseCommand::SignAgreement {
            scope: AgreementScope::FullLifecycle,
            signed_on: date(2024, 1, 10),
            signatories: vec!["王经理".to_owned(), "李管家".to_owned()],
        })
        .then_expect_events(expected);
}

#[test]
fn signing_twice_or_without_signatories_is_refused() {
    let sign = |signatories: Vec<String>| CaseCommand::SignAgreement {
        scope: AgreementScope::Stage(Stage::Construction),
        signed_on: date(2024, 1, 10),
        signatories,
    };
    case()
        .given(signed())
        .when(sign(vec!["王经理".to_owned()]))
        .then_expect_error(not_allowed(
            "an agreement can only be signed once, after registration",
        ));
    case()
        .given(registered())
        .when(sign(vec![]))
        .then_expect_error(DomainError::invalid("signatories", ValueError::Empty));
}

#[test]
fn the_stage_only_moves_forward() {
    case()
        .given(registered())
        .when(CaseCommand::AdvanceStage {
            to: Stage::Construction,
        })
        .then_expect_events(vec![CaseEvent::StageAdvanced {
            from: Stage::Establishment,
            to: Stage::Construction,
        }]);
    case()
        .given(registered())
        .when(CaseCommand::AdvanceStage {
            to: Stage::Establishment,
        })
        .then_expect_error(not_allowed(
            "stage can only move forward: it is Establishment, not before Establishment",
        ));
}

#[test]
fn notes_are_numbered_and_must_not_be_blank() {
    let mut given = registered();
    given.push(CaseEvent::NoteAdded {
        note_no: 1,
        text: "首次电话联系".to_owned(),
    });
    case()
        .given(given)
        .when(CaseCommand::AddNote {
            text: "  约定下周走访 ".to_owned(),
        })
        .then_expect_events(vec![CaseEvent::NoteAdded {
            note_no: 2,
            text: "约定下周走访".to_owned(),
        }]);
    case()
        .given(registered())
        .when(CaseCommand::AddNote {
            text: String::new(),
        })
        .then_expect_error(DomainError::invalid("text", ValueError::Empty));
}

#[test]
fn hold_and_resume_toggle_a_case_in_service() {
    case()
        .given(in_service())
        .when(CaseCommand::Hold {
            reason: "企业资金未到位".to_owned(),
            held_on: None,
        })
        .then_expect_events(vec![CaseEvent::CaseHeld {
            reason: "企业资金未到位".to_owned(),
            held_on: today(),
        }]);
    let mut held = in_service();
    held.push(CaseEvent::CaseHeld {
        reason: "企业资金未到位".to_owned(),
        held_on: date(2024, 2, 1),
    });
    case()
        .given(held.clone())
        .when(CaseCommand::Resume { resumed_on: None })
        .then_expect_events(vec![CaseEvent::CaseResumed {
            resumed_on: today(),
        }]);
    case()
        .given(held)
        .when(CaseCommand::Hold {
            reason: "again".to_owned(),
            held_on: None,
        })
        .then_expect_error(not_allowed("only a case in service can be put on hold"));
    case()
        .given(in_service())
        .when(CaseCommand::Resume { resumed_on: None })
        .then_expect_error(not_allowed("only a case on hold can be resumed"));
}

#[test]
fn closing_records_reason_and_summary() {
    case()
        .given(in_service())
        .when(CaseCommand::Close {
            reason: CloseReason::EnterpriseWithdrew,
            summary: "企业撤回".to_owned(),
            closed_on: Some(date(2024, 3, 1)),
        })
        .then_expect_events(closed().split_off(in_service().len()));
}

#[test]
fn closing_with_open_work_is_refused() {
    case()
        .given(item_accepted())
        .when(CaseCommand::Close {
            reason: CloseReason::Transferred,
            summary: "移交".to_owned(),
            closed_on: None,
        })
        .then_expect_error(not_allowed(
            "service item 1 is still open: conclude or reject it first",
        ));
    let mut visit = in_service();
    visit.push(CaseEvent::VisitScheduled {
        visit_no: 1,
        scheduled_at: now(),
        place: "企业".to_owned(),
        purpose: "走访".to_owned(),
        planned_participants: vec![],
    });
    case()
        .given(visit)
        .when(CaseCommand::Close {
            reason: CloseReason::Transferred,
            summary: "移交".to_owned(),
            closed_on: None,
        })
        .then_expect_error(not_allowed(
            "visit 1 is still scheduled: conduct or cancel it first",
        ));
    case()
        .given(in_service())
        .when(CaseCommand::Close {
            reason: CloseReason::AllItemsConcluded,
            summary: "办结".to_owned(),
            closed_on: None,
        })
        .then_expect_error(not_allowed(
            "reason all_items_concluded needs at least one service item",
        ));
}

#[test]
fn a_closed_case_refuses_work_but_can_be_reopened() {
    case()
        .given(closed())
        .when(CaseCommand::AddNote {
            text: "x".to_owned(),
        })
        .then_expect_error(not_allowed("case 2024-0007 is closed"));
    case()
        .given(closed())
        .when(CaseCommand::Close {
            reason: CloseReason::Transferred,
            summary: "x".to_owned(),
            closed_on: None,
        })
        .then_expect_error(not_allowed("case 2024-0007 is closed"));
    case()
        .given(closed())
        .when(CaseCommand::Reopen {
            reason: "企业重新申请".to_owned(),
            reopened_on: None,
        })
        .then_expect_events(vec![CaseEvent::CaseReopened {
            term: 2,
            reason: "企业重新申请".to_owned(),
            reopened_on: today(),
        }]);
    case()
        .given(in_service())
        .when(CaseCommand::Reopen {
            reason: "x".to_owned(),
            reopened_on: None,
        })
        .then_expect_error(not_allowed("only a closed case can be reopened"));
}

#[test]
fn a_reopened_case_is_in_service_again() {
    let mut given = closed();
    given.push(CaseEvent::CaseReopened {
        term: 2,
        reason: "新期".to_owned(),
        reopened_on: date(2024, 3, 5),
    });
    case()
        .given(given)
        .when(CaseCommand::Hold {
            reason: "暂停".to_owned(),
            held_on: None,
        })
        .then_expect_events(vec![CaseEvent::CaseHeld {
            reason: "暂停".to_owned(),
            held_on: today(),
        }]);
}
