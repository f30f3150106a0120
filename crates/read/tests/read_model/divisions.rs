//! The dashboard's division index follows the events: an item concluded leaves the 电子监察
//! list, a case whose division is corrected moves with all its facts from one town's board to
//! another's (and back), a case closed or reopened counts where it lies, and a model read back
//! from an image answers as the one that applied the events.

use guanjia_domain::case::model::{CloseReason, ItemOutcome};
use guanjia_domain::case::CaseEvent;
use guanjia_domain::values::DivisionCode;
use guanjia_read::kpi::figures::{NowFigures, PeriodFigures};
use guanjia_read::snapshot::{decode, encode};
use guanjia_read::{Board, BoardQuery, ReadModel};

use crate::dashboard::dashboard;
use crate::data_set::{data_set, query};
use crate::helpers::*;

const DISTRICT: &str = "610902000000";
/// A village of 恒口镇.
const HENGKOU_VILLAGE: &str = "610902100201";

fn today() -> chrono::NaiveDate {
    date("2024-05-06")
}

fn board(model: &ReadModel, scope: &str) -> Board {
    model
        .board(&BoardQuery {
            from: date("2024-03-01"),
            to: date("2024-04-30"),
            compare_from: date("2023-03-01"),
            compare_to: date("2023-04-30"),
            today: today(),
            division: division(scope),
        })
        .expect("a valid query")
}

/// The (item number, case number) of the 电子监察 list of `scope`.
fn supervised(model: &ReadModel, scope: &str) -> Vec<(u32, String)> {
    model
        .supervision(Some(&division(scope)), today())
        .into_iter()
        .map(|item| (item.item_no, item.case.case_number.to_string()))
        .collect()
}

fn moved_to(code: &str) -> CaseEvent {
    CaseEvent::EnterpriseDetailsCorrected {
        name: None,
        uscc: None,
        division: Some(division(code)),
        address: None,
        contact_name: None,
        contact_phone: None,
        reason: "区划录入有误".into(),
    }
}

/// What the dashboard page reads for one division: its board, its 电子监察 list (item and
/// case numbers) and the divisions below it.
type Answer = (Board, Vec<(u32, String)>, Vec<DivisionCode>);

/// Every answer of the dashboard page for the district and its towns.
fn answers(model: &ReadModel) -> Vec<Answer> {
    [DISTRICT, HENGKOU, OTHER_TOWN, HENGKOU_VILLAGE]
        .into_iter()
        .map(|scope| {
            (
                board(model, scope),
                supervised(model, scope),
                model.divisions_below(&division(scope)),
            )
        })
        .collect()
}

#[test]
fn an_item_concluded_leaves_the_supervision_list() {
    let mut log = data_set();
    let before = log.model();
    assert_eq!(
        supervised(&before, OTHER_TOWN),
        [(2, "2024-0002".to_owned()), (3, "2024-0002".to_owned())]
    );
    log.case("P2", concluded(2, "2024-05-06", ItemOutcome::Granted, 6, 0));
    let after = log.model();
    assert_eq!(
        supervised(&after, OTHER_TOWN),
        [(3, "2024-0002".to_owned())]
    );
    assert_eq!(supervised(&after, DISTRICT), [(3, "2024-0002".to_owned())]);
    assert_eq!(after.supervision(None, today()).len(), 1);
    let town = board(&after, OTHER_TOWN);
    assert_eq!(
        (town.this.now.items_overdue, town.this.now.items_warning),
        (0, 1)
    );
    log.case("P2", concluded(3, "2024-05-06", ItemOutcome::Granted, 4, 0));
    assert!(log.model().supervision(None, today()).is_empty());
}

#[test]
fn a_case_whose_division_is_corrected_moves_between_the_towns_boards() {
    let mut log = data_set();
    let before = log.model();
    let hengkou = board(&before, HENGKOU);
    assert_eq!(hengkou.this.period.visits_conducted, 3, "P1 once, P3 twice");
    assert_eq!(hengkou.this.period.items_concluded, 2, "P1's two");
    assert_eq!(hengkou.this.now.items_overdue, 0);
    assert!(supervised(&before, HENGKOU).is_empty());
    let towns = [division(HENGKOU), division(OTHER_TOWN)];
    assert_eq!(before.divisions_below(&division(DISTRICT)), towns);

    // P2, the other town's only case, was in fact in a village of 恒口镇.
    log.case("P2", moved_to(HENGKOU_VILLAGE));
    let moved = log.model();
    let hengkou = board(&moved, HENGKOU);
    assert_eq!(hengkou.this.period.visits_conducted, 4, "and P2's of 04-18");
    assert_eq!(
        hengkou.this.period.items_concluded, 4,
        "and P2's items 1 and 5"
    );
    assert_eq!(
        hengkou.this.period.complaints_lodged, 4,
        "P5's and P2's three"
    );
    assert_eq!(
        (
            hengkou.this.now.items_overdue,
            hengkou.this.now.items_warning
        ),
        (1, 1)
    );
    assert_eq!(supervised(&moved, HENGKOU).len(), 2);
    assert_eq!(supervised(&moved, HENGKOU_VILLAGE).len(), 2);
    let other = board(&moved, OTHER_TOWN);
    assert_eq!(other.this.period, PeriodFigures::default());
    assert_eq!(other.this.now, NowFigures::default());
    assert!(supervised(&moved, OTHER_TOWN).is_empty());
    assert_eq!(
        moved.divisions_below(&division(DISTRICT)),
        [division(HENGKOU)],
        "the other town holds no case any more"
    );
    assert_eq!(
        moved.divisions_below(&division(HENGKOU)),
        [division(HENGKOU_VILLAGE)]
    );
    let village = hengkou
        .children
        .first()
        .expect("the village is below 恒口镇");
    assert_eq!(village.division, division(HENGKOU_VILLAGE));
    assert_eq!(village.now.items_overdue, 1);
    // The district holds P2 either way: its figures do not change.
    assert_eq!(board(&moved, DISTRICT).this, board(&before, DISTRICT).this);
    assert_eq!(
        board(&moved, DISTRICT).this,
        dashboard(&moved, &query(None, true))
    );

    // Corrected back: every answer is the one before the move.
    log.case("P2", moved_to(OTHER_TOWN));
    assert_eq!(answers(&log.model()), answers(&before));
}

#[test]
fn a_case_closed_or_reopened_counts_where_it_lies() {
    let mut log = data_set();
    let open = |model: &ReadModel, scope: &str| board(model, scope).this.now.open_cases;
    let before = log.model();
    // P1, P3, P4 (P5 is closed); P2; and X outside the district.
    assert_eq!(
        (
            open(&before, HENGKOU),
            open(&before, OTHER_TOWN),
            open(&before, DISTRICT)
        ),
        (3, 1, 4)
    );
    log.case(
        "P5",
        CaseEvent::CaseReopened {
            term: 2,
            reason: "新项目".into(),
            reopened_on: date("2024-05-06"),
        },
    );
    let reopened = log.model();
    assert_eq!(
        (
            open(&reopened, HENGKOU),
            open(&reopened, OTHER_TOWN),
            open(&reopened, DISTRICT)
        ),
        (4, 1, 5)
    );
    log.case(
        "P2",
        CaseEvent::CaseClosed {
            reason: CloseReason::AllItemsConcluded,
            summary: "办结".into(),
            closed_on: date("2024-05-06"),
        },
    );
    let closed = log.model();
    assert_eq!(
        (
            open(&closed, HENGKOU),
            open(&closed, OTHER_TOWN),
            open(&closed, DISTRICT)
        ),
        (4, 0, 4)
    );
    assert_eq!(
        dashboard(&closed, &query(None, false)).now.open_cases,
        4,
        "the dashboard agrees"
    );
}

#[test]
fn a_model_read_back_from_an_image_answers_as_the_one_that_applied_the_events() {
    let mut log = data_set();
    // Moves leave the model's own index numbering its divisions in the order they first
    // held a case; the image's index is built from the tables instead.
    log.case("P1", moved_to(OTHER_TOWN));
    log.case("P2", moved_to(HENGKOU_VILLAGE));
    log.case("P4", moved_to(HENGKOU_VILLAGE));
    let model = log.model();
    let restored = decode(&encode(&model).expect("encodes")).expect("decodes");
    assert!(restored == model, "the restored model differs");
    assert_eq!(answers(&restored), answers(&model));

    // Both go on alike from there.
    let mut tail = log.model();
    let mut from_image = restored;
    let mut rest = data_set();
    rest.case("P1", moved_to(OTHER_TOWN));
    rest.case("P2", moved_to(HENGKOU_VILLAGE));
    rest.case("P4", moved_to(HENGKOU_VILLAGE));
    rest.case("P2", concluded(2, "2024-05-06", ItemOutcome::Granted, 6, 0));
    rest.case("P1", moved_to(HENGKOU));
    let more = &rest.events[log.events.len()..];
    tail.apply_all(more).expect("applies");
    from_image.apply_all(more).expect("applies");
    assert!(from_image == tail);
    assert_eq!(answers(&from_image), answers(&tail));
    assert_eq!(answers(&tail), answers(&rest.model()));
}
