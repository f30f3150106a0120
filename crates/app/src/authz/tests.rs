//! The permission matrix, role by role, for a case in 恒口镇 (town 100) of district 610902.

use super::*;
use crate::admin::can_erase_personal_data;
use crate::test_people::{actor, code};

const DISTRICT: &str = "610902000000";
const TOWN: &str = "610902100000";
const OTHER_TOWN: &str = "610902101000";
const VILLAGE: &str = "610902100201";

#[test]
fn stewards_read_in_scope_and_write_only_on_their_team() {
    let case = code(VILLAGE);
    let on_team = actor("li.ming", Role::Steward, TOWN);
    let not_on_team = actor("zhao.lei", Role::Steward, TOWN);
    let elsewhere = actor("wang.fang", Role::Steward, OTHER_TOWN);
    let team = ["li.ming"];
    assert!(can_read_case(&on_team, &case) && can_read_case(&not_on_team, &case));
    assert!(!can_read_case(&elsewhere, &case));
    assert!(can_write_case(&on_team, &case, &team));
    assert!(!can_write_case(&not_on_team, &case, &team));
    // On the team but outside the scope: no writing what one cannot read.
    let stray = actor("li.ming", Role::Steward, OTHER_TOWN);
    assert!(!can_write_case(&stray, &case, &team));
    assert!(can_register_case(&on_team, &case) && !can_register_case(&elsewhere, &case));
    assert!(!can_manage_team(&on_team, &case) && !can_review_appeal(&on_team, &case));
    assert!(!can_admin(&on_team) && !can_audit(&on_team, &case));
    assert!(can_see_personal_data(&on_team, &case, &team));
    assert!(!can_see_personal_data(&not_on_team, &case, &team));
}

#[test]
fn leaders_read_their_subtree_and_manage_teams() {
    let case = code(VILLAGE);
    let district = actor("chen.jun", Role::Leader, DISTRICT);
    let other_town = actor("sun.li", Role::Leader, OTHER_TOWN);
    assert!(can_read_case(&district, &case) && !can_read_case(&other_town, &case));
    assert!(can_manage_team(&district, &case) && !can_manage_team(&other_town, &case));
    assert!(can_review_appeal(&district, &case));
    assert!(!can_write_case(&district, &case, &["li.ming"]));
    assert!(can_write_case(&district, &case, &["chen.jun"]));
    assert!(can_see_personal_data(&district, &case, &[]));
    assert!(!can_admin(&district) && !can_audit(&district, &case));
}

#[test]
fn auditors_read_and_audit_in_scope_and_never_write() {
    let case = code(VILLAGE);
    let auditor = actor("qian.shen", Role::Auditor, TOWN);
    assert!(can_read_case(&auditor, &case) && can_audit(&auditor, &case));
    assert!(!can_audit(&auditor, &code(OTHER_TOWN)));
    assert!(!can_write_case(&auditor, &case, &["qian.shen"]));
    assert!(!can_register_case(&auditor, &case) && !can_manage_team(&auditor, &case));
    assert!(can_see_personal_data(&auditor, &case, &[]));
    assert!(!can_admin(&auditor));
}

#[test]
fn admins_run_the_system_and_do_not_see_cases() {
    let case = code(VILLAGE);
    let admin = actor("admin", Role::Admin, DISTRICT);
    assert!(can_admin(&admin));
    assert!(!can_read_case(&admin, &case));
    assert!(!can_write_case(&admin, &case, &["admin"]));
    assert!(!can_register_case(&admin, &case) && !can_manage_team(&admin, &case));
    assert!(!can_audit(&admin, &case) && !can_see_personal_data(&admin, &case, &["admin"]));
}

#[test]
fn lists_and_dashboards_are_cut_to_the_callers_scope() {
    let town = actor("li.ming", Role::Steward, TOWN);
    let district = actor("chen.jun", Role::Leader, DISTRICT);
    // Nothing asked: one's own scope; a narrower division: that one; a wider one: one's own.
    assert_eq!(read_scope(&town, None), Ok(Some(code(TOWN))));
    assert_eq!(
        read_scope(&town, Some(&code(VILLAGE))),
        Ok(Some(code(VILLAGE)))
    );
    assert_eq!(
        read_scope(&town, Some(&code(DISTRICT))),
        Ok(Some(code(TOWN)))
    );
    assert_eq!(read_scope(&town, Some(&code(OTHER_TOWN))), Ok(None));
    assert_eq!(
        read_scope(&district, Some(&code(OTHER_TOWN))),
        Ok(Some(code(OTHER_TOWN)))
    );
    let admin = actor("admin", Role::Admin, DISTRICT);
    assert!(matches!(
        read_scope(&admin, None),
        Err(AppError::Forbidden(_))
    ));
    assert!(may_read_cases(&admin).is_err() && may_read_cases(&town).is_ok());
    assert!(may_view_dashboard(&district).is_ok());
    assert!(may_view_dashboard(&town).is_err());
    assert!(may_view_dashboard(&actor("qian.shen", Role::Auditor, DISTRICT)).is_err());
}

#[test]
fn a_case_out_of_scope_is_not_found() {
    let elsewhere = actor("wang.fang", Role::Steward, OTHER_TOWN);
    assert_eq!(
        authorize_case_read(&elsewhere, &code(VILLAGE)),
        Err(case_not_found())
    );
    assert!(authorize_case_read(&actor("li.ming", Role::Steward, TOWN), &code(VILLAGE)).is_ok());
}

#[test]
fn a_workload_is_ones_own_or_a_leaders_in_the_subtree() {
    let steward = actor("li.ming", Role::Steward, TOWN);
    let leader = actor("chen.jun", Role::Leader, TOWN);
    let town = code(TOWN);
    assert!(can_view_workload(&steward, "li.ming", Some(&town)));
    assert!(!can_view_workload(&steward, "zhao.lei", Some(&town)));
    assert!(!can_view_workload(&steward, "nobody", None));
    assert!(can_view_workload(&leader, "zhao.lei", Some(&code(VILLAGE))));
    assert!(!can_view_workload(
        &leader,
        "wang.fang",
        Some(&code(OTHER_TOWN))
    ));
    assert!(can_view_workload(&leader, "nobody", None));
    let auditor = actor("qian.shen", Role::Auditor, DISTRICT);
    assert!(!can_view_workload(
        &auditor,
        "qian.shen",
        Some(&code(DISTRICT))
    ));
}

#[test]
fn auditors_read_events_of_their_scope_and_district_auditors_the_rest() {
    let district = actor("qian.shen", Role::Auditor, DISTRICT);
    let town = actor("sun.li", Role::Auditor, TOWN);
    assert!(may_audit(&district).is_ok());
    assert!(may_audit(&actor("chen.jun", Role::Leader, DISTRICT)).is_err());
    assert!(can_audit_event(&town, Some(&code(VILLAGE))));
    assert!(!can_audit_event(&town, Some(&code(OTHER_TOWN))));
    assert!(!can_audit_event(&town, None));
    assert!(can_audit_event(&district, None));
    assert!(!can_audit_event(
        &actor("chen.jun", Role::Leader, DISTRICT),
        None
    ));
}

/// A case of the village in 恒口镇, li.ming its lead steward.
fn led_case() -> EnterpriseCase {
    use guanjia_domain::case::model::{CaseState, Enterprise};
    EnterpriseCase {
        state: CaseState::InService,
        enterprise: Some(Enterprise {
            name: "恒口新材料".to_owned(),
            uscc: None,
            division: code(VILLAGE),
            address: None,
            contact_name: Some("王经理".to_owned()),
            contact_phone: None,
        }),
        lead_steward: Some("li.ming".to_owned()),
        ..EnterpriseCase::default()
    }
}

#[test]
fn only_an_admin_in_scope_erases_personal_data() {
    let case = led_case();
    let erase = CaseCommand::ErasePersonalData {
        reason: "个人信息删除申请".to_owned(),
    };
    let decide = |who: &Actor| authorize_case_command(who, &erase, &case);
    assert_eq!(decide(&actor("admin", Role::Admin, DISTRICT)), Ok(()));
    assert_eq!(decide(&actor("town.admin", Role::Admin, TOWN)), Ok(()));
    assert!(can_erase_personal_data(
        &actor("admin", Role::Admin, DISTRICT),
        &code(VILLAGE)
    ));
    // The team, the leaders above it and the auditors read the case but may not erase.
    for who in [
        actor("li.ming", Role::Steward, TOWN),
        actor("chen.jun", Role::Leader, DISTRICT),
        actor("qian.shen", Role::Auditor, DISTRICT),
    ] {
        assert!(
            matches!(decide(&who), Err(AppError::Forbidden(_))),
            "{}",
            who.username
        );
        assert!(!can_erase_personal_data(&who, &code(VILLAGE)));
    }
    // Whoever may not know the case is told it does not exist, an admin elsewhere included.
    assert_eq!(
        decide(&actor("wang.fang", Role::Steward, OTHER_TOWN)),
        Err(case_not_found())
    );
    assert_eq!(
        decide(&actor("other.admin", Role::Admin, OTHER_TOWN)),
        Err(case_not_found())
    );
}

#[test]
fn the_team_still_does_its_own_work_but_no_admin_does() {
    let case = led_case();
    let note = CaseCommand::AddNote {
        text: "走访".to_owned(),
    };
    assert_eq!(
        authorize_case_command(&actor("li.ming", Role::Steward, TOWN), &note, &case),
        Ok(())
    );
    assert!(matches!(
        authorize_case_command(&actor("zhao.lei", Role::Steward, TOWN), &note, &case),
        Err(AppError::Forbidden(_))
    ));
    assert_eq!(
        authorize_case_command(&actor("admin", Role::Admin, DISTRICT), &note, &case),
        Err(case_not_found())
    );
}

#[test]
fn a_hall_display_sees_its_big_screen_and_nothing_else() {
    let screen = actor("hall.screen", Role::Display, TOWN);
    let case = code(VILLAGE);
    assert_eq!(big_screen_scope(&screen).ok(), Some(code(TOWN)));
    assert!(!can_read_case(&screen, &case));
    assert!(!can_see_personal_data(&screen, &case, &["hall.screen"]));
    assert!(may_read_cases(&screen).is_err() && may_view_dashboard(&screen).is_err());
    assert!(may_audit(&screen).is_err() && !can_admin(&screen));
    assert!(!can_view_workload(
        &screen,
        "hall.screen",
        Some(&code(TOWN))
    ));
    assert!(
        !can_register_case(&screen, &case) && !can_write_case(&screen, &case, &["hall.screen"])
    );
    let leader = actor("zhang.wei", Role::Leader, DISTRICT);
    assert_eq!(big_screen_scope(&leader).ok(), Some(code(DISTRICT)));
    for role in [Role::Steward, Role::Auditor, Role::Admin] {
        assert!(matches!(
            big_screen_scope(&actor("someone", role, DISTRICT)),
            Err(AppError::Forbidden(_))
        ));
    }
}
