//! The service guide's text: each rule refuses with its own field, a clean guide is kept as
//! given, and items stored before guides existed read back with an empty guide.

use super::*;
use crate::case::model::Stage;
use crate::catalog::{Channel, MaterialDetail};
use crate::error::{DomainError, ValueError};

fn guided() -> CatalogItemSpec {
    let mut spec = item(PLANNING);
    spec.guide = ServiceGuide {
        life_stage: Some(Stage::Construction),
        legal_basis: vec!["《中华人民共和国城乡规划法》第四十条".to_owned()],
        conditions: vec!["已取得建设用地规划许可证".to_owned()],
        materials: vec![MaterialDetail {
            name: "申请书".to_owned(),
            originals: 1,
            copies: 0,
            source: "申请人自备".to_owned(),
        }],
        steps: vec![
            "申请".to_owned(),
            "受理".to_owned(),
            "审查".to_owned(),
            "决定".to_owned(),
        ],
        fees: "不收费".to_owned(),
        window: "政务服务大厅 3 号窗口".to_owned(),
        address: "示范区政务服务中心一楼".to_owned(),
        hours: "工作日 9:00–12:00，13:30–17:00".to_owned(),
        channels: vec![Channel::OneWindow, Channel::Online, Channel::Assisted],
        contact: "029-00000000".to_owned(),
    };
    spec
}

fn refusal(spec: &CatalogItemSpec) -> (String, ValueError) {
    match spec.validated() {
        Err(DomainError::Invalid { field, source }) => (field.to_owned(), source),
        other => panic!("expected an invalid field, got {other:?}"),
    }
}

#[test]
fn a_clean_guide_validates_to_itself() {
    assert_eq!(guided().validated(), Ok(guided()));
}

#[test]
fn text_is_trimmed_and_channels_come_in_the_published_order() {
    let mut spec = guided();
    spec.guide.fees = "  不收费 ".to_owned();
    spec.guide.channels = vec![Channel::Assisted, Channel::OneWindow, Channel::Online];
    assert_eq!(spec.validated(), Ok(guided()));
}

#[test]
fn a_detail_of_a_material_the_item_does_not_ask_for_is_refused() {
    let mut spec = guided();
    spec.guide.materials[0].name = "身份证".to_owned();
    let (field, source) = refusal(&spec);
    assert_eq!(field, "guide.materials.name");
    assert!(
        matches!(source, ValueError::Rule(ref rule) if rule.contains("required_materials")),
        "{source:?}"
    );
}

#[test]
fn a_material_described_twice_is_refused() {
    let mut spec = guided();
    let again = spec.guide.materials[0].clone();
    spec.guide.materials.push(again);
    let (field, source) = refusal(&spec);
    assert_eq!(field, "guide.materials.name");
    assert!(matches!(source, ValueError::Rule(ref rule) if rule.contains("twice")));
}

#[test]
fn too_many_copies_are_refused() {
    let mut spec = guided();
    spec.guide.materials[0].copies = 21;
    assert_eq!(
        refusal(&spec),
        (
            "guide.materials.copies".to_owned(),
            ValueError::OutOfRange {
                min: 0,
                max: 20,
                actual: 21
            }
        )
    );
}

#[test]
fn a_channel_listed_twice_is_refused() {
    let mut spec = guided();
    spec.guide.channels.push(Channel::Online);
    assert_eq!(refusal(&spec).0, "guide.channels");
}

#[test]
fn an_empty_step_is_refused_by_its_field() {
    let mut spec = guided();
    spec.guide.steps.push("  ".to_owned());
    assert_eq!(
        refusal(&spec),
        ("guide.steps".to_owned(), ValueError::Empty)
    );
}

#[test]
fn an_item_stored_before_guides_existed_reads_back_with_an_empty_guide() {
    let mut stored = serde_json::to_value(CatalogEvent::ItemPublished {
        spec: item(PLANNING),
        version: 1,
    })
    .expect("the event serialises");
    let spec = stored["data"]["spec"]
        .as_object_mut()
        .expect("the spec is an object");
    assert!(spec.remove("guide").is_some());
    let back: CatalogEvent = serde_json::from_value(stored).expect("the old event decodes");
    match back {
        CatalogEvent::ItemPublished { spec, .. } => {
            assert!(spec.guide.is_empty());
            assert_eq!(spec, item(PLANNING));
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn a_guided_item_reads_back_as_written() {
    let event = CatalogEvent::ItemRevised {
        spec: guided(),
        version: 2,
    };
    let json = serde_json::to_value(&event).expect("the event serialises");
    assert_eq!(json["data"]["spec"]["guide"]["channels"][0], "one_window");
    assert_eq!(json["data"]["spec"]["guide"]["life_stage"], "construction");
    let back: CatalogEvent = serde_json::from_value(json).expect("the event deserialises");
    assert_eq!(back, event);
}

#[test]
fn channels_parse_from_their_identifier_or_chinese_name() {
    for channel in Channel::ALL {
        assert_eq!(Channel::parse(channel.id()), Some(channel));
        assert_eq!(Channel::parse(channel.label_zh()), Some(channel));
    }
    assert_eq!(Channel::parse("邮寄办"), None);
}
