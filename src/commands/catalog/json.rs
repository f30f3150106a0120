//! The JSON format of an import file:
//!
//! ```json
//! { "items":   [ { "basic_code": "…", "implementation_code": "…", "name": "…",
//!                  "item_type": "administrative_licence", "department": "…",
//!                  "statutory_limit_days": 20, "promised_limit_days": 5,
//!                  "required_materials": ["…"], "onsite_trips": 0,
//!                  "guide": { "life_stage": "establishment", "legal_basis": ["…"],
//!                             "conditions": ["…"], "materials": [ { "name": "…",
//!                             "originals": 1, "copies": 0, "source": "…" } ],
//!                             "steps": ["…"], "fees": "…", "window": "…", "address": "…",
//!                             "hours": "…", "channels": ["one_window", "online"],
//!                             "contact": "…" } } ],
//!   "bundles": [ { "code": "…", "name": "…", "item_codes": ["…", "…"] } ] }
//! ```
//!
//! `guide` and each of its fields may be left out (an item without a guide text); a key the
//! guide does not know is an error, as elsewhere in the file.
//!
//! `catalog export` writes the same shape (`FileJson`), so an export imports back as it was.
//!
//! Each element is kept as raw text first, so that an error can name the line the element
//! starts on (the raw text is a slice of the file; its offset gives the line).

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::rows::{item_type, item_type_id, Entry, Row, RowError};
use guanjia_domain::case::model::Stage;
use guanjia_domain::catalog::{BundleSpec, CatalogItemSpec, Channel, MaterialDetail, ServiceGuide};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File<'a> {
    #[serde(borrow, default)]
    items: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    bundles: Vec<&'a RawValue>,
}

/// An item as the file holds it (read by import, written by export).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemJson {
    basic_code: String,
    implementation_code: String,
    name: String,
    item_type: String,
    department: String,
    statutory_limit_days: u32,
    promised_limit_days: u32,
    #[serde(default)]
    required_materials: Vec<String>,
    onsite_trips: u32,
    #[serde(default, skip_serializing_if = "GuideJson::is_empty")]
    guide: GuideJson,
}

/// The guide as the file holds it: the domain's [`ServiceGuide`], read strictly so that a
/// misspelt key is reported rather than dropped.
#[derive(Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct GuideJson {
    life_stage: Option<Stage>,
    legal_basis: Vec<String>,
    conditions: Vec<String>,
    materials: Vec<MaterialJson>,
    steps: Vec<String>,
    fees: String,
    window: String,
    address: String,
    hours: String,
    channels: Vec<Channel>,
    contact: String,
}

#[derive(Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct MaterialJson {
    name: String,
    originals: u32,
    copies: u32,
    source: String,
}

impl GuideJson {
    fn is_empty(&self) -> bool {
        ServiceGuide::from(self).is_empty()
    }
}

impl From<&GuideJson> for ServiceGuide {
    fn from(guide: &GuideJson) -> Self {
        Self {
            life_stage: guide.life_stage,
            legal_basis: guide.legal_basis.clone(),
            conditions: guide.conditions.clone(),
            materials: guide
                .materials
                .iter()
                .map(|m| MaterialDetail {
                    name: m.name.clone(),
                    originals: m.originals,
                    copies: m.copies,
                    source: m.source.clone(),
                })
                .collect(),
            steps: guide.steps.clone(),
            fees: guide.fees.clone(),
            window: guide.window.clone(),
            address: guide.address.clone(),
            hours: guide.hours.clone(),
            channels: guide.channels.clone(),
            contact: guide.contact.clone(),
        }
    }
}

impl From<&ServiceGuide> for GuideJson {
    fn from(guide: &ServiceGuide) -> Self {
        Self {
            life_stage: guide.life_stage,
            legal_basis: guide.legal_basis.clone(),
            conditions: guide.conditions.clone(),
            materials: guide
                .materials
                .iter()
                .map(|m| MaterialJson {
                    name: m.name.clone(),
                    originals: m.originals,
                    copies: m.copies,
                    source: m.source.clone(),
                })
                .collect(),
            steps: guide.steps.clone(),
            fees: guide.fees.clone(),
            window: guide.window.clone(),
            address: guide.address.clone(),
            hours: guide.hours.clone(),
            channels: guide.channels.clone(),
            contact: guide.contact.clone(),
        }
    }
}

/// A bundle as the file holds it.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleJson {
    code: String,
    name: String,
    item_codes: Vec<String>,
}

/// The whole file, as `catalog export` writes it.
#[derive(Serialize)]
pub struct FileJson {
    pub items: Vec<ItemJson>,
    pub bundles: Vec<BundleJson>,
}

impl From<&CatalogItemSpec> for ItemJson {
    fn from(spec: &CatalogItemSpec) -> Self {
        Self {
            basic_code: spec.basic_code.clone(),
            implementation_code: spec.implementation_code.clone(),
            name: spec.name.clone(),
            item_type: item_type_id(spec.item_type),
            department: spec.department.clone(),
            statutory_limit_days: spec.statutory_limit_days,
            promised_limit_days: spec.promised_limit_days,
            required_materials: spec.required_materials.clone(),
            onsite_trips: spec.onsite_trips,
            guide: GuideJson::from(&spec.guide),
        }
    }
}

impl From<&BundleSpec> for BundleJson {
    fn from(spec: &BundleSpec) -> Self {
        Self {
            code: spec.code.clone(),
            name: spec.name.clone(),
            item_codes: spec.item_codes.clone(),
        }
    }
}

/// The good elements of a JSON file, and every bad one (or the syntax error, after which
/// nothing can be read).
pub fn parse_json(text: &str) -> (Vec<Row>, Vec<RowError>) {
    let file: File<'_> = match serde_json::from_str(text) {
        Ok(file) => file,
        Err(error) => return (Vec::new(), vec![(error.line(), error.to_string())]),
    };
    let line_of = |raw: &RawValue| {
        let offset = (raw.get().as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
        text.get(..offset)
            .map_or(1, |before| before.matches('\n').count() + 1)
    };
    let (mut rows, mut errors) = (Vec::new(), Vec::new());
    for raw in file.items {
        let line = line_of(raw);
        match serde_json::from_str::<ItemJson>(raw.get()) {
            Ok(item) => match item_type(&item.item_type) {
                Ok(kind) => rows.push(Row {
                    line,
                    entry: Entry::Item(Box::new(CatalogItemSpec {
                        basic_code: item.basic_code,
                        implementation_code: item.implementation_code,
                        name: item.name,
                        item_type: kind,
                        department: item.department,
                        statutory_limit_days: item.statutory_limit_days,
                        promised_limit_days: item.promised_limit_days,
                        required_materials: item.required_materials,
                        onsite_trips: item.onsite_trips,
                        guide: ServiceGuide::from(&item.guide),
                    })),
                }),
                Err(message) => errors.push((line, message)),
            },
            Err(error) => errors.push((line, without_position(&error))),
        }
    }
    for raw in file.bundles {
        let line = line_of(raw);
        match serde_json::from_str::<BundleJson>(raw.get()) {
            Ok(bundle) => rows.push(Row {
                line,
                entry: Entry::Bundle(BundleSpec {
                    code: bundle.code,
                    name: bundle.name,
                    item_codes: bundle.item_codes,
                }),
            }),
            Err(error) => errors.push((line, without_position(&error))),
        }
    }
    (rows, errors)
}

/// The guide of a CSV row: its cell holds the guide as a JSON object; empty is no guide.
pub fn guide_cell(cell: &str) -> Result<ServiceGuide, String> {
    if cell.is_empty() {
        return Ok(ServiceGuide::default());
    }
    serde_json::from_str::<GuideJson>(cell)
        .map(|guide| ServiceGuide::from(&guide))
        .map_err(|error| format!("guide: {}", without_position(&error)))
}

/// The guide of an item as a CSV cell (JSON); empty when the item has none.
pub fn guide_text(guide: &ServiceGuide) -> anyhow::Result<String> {
    if guide.is_empty() {
        return Ok(String::new());
    }
    Ok(serde_json::to_string(&GuideJson::from(guide))?)
}

/// serde_json's message without its " at line 1 column 9", which is relative to the element.
fn without_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_are_read_with_the_line_they_start_on() {
        let text = r#"{
  "items": [
    {"basic_code": "B", "implementation_code": "A-1", "name": "n", "item_type": "备案",
     "department": "d", "statutory_limit_days": 5, "promised_limit_days": 3, "onsite_trips": 1}
  ],
  "bundles": [
    {"code": "K", "name": "k", "item_codes": ["A-1", "A-2"], "colour": "red"}
  ]
}"#;
        let (rows, errors) = parse_json(text);
        assert_eq!(rows.len(), 1, "the good item is read");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].0, 7);
        assert!(errors[0].1.contains("colour"), "{errors:?}");
    }

    #[test]
    fn a_guide_is_read_and_a_misspelt_guide_key_is_named() {
        let text = r#"{
  "items": [
    {"basic_code": "B", "implementation_code": "A-1", "name": "n", "item_type": "备案",
     "department": "d", "statutory_limit_days": 5, "promised_limit_days": 3, "onsite_trips": 1,
     "required_materials": ["申请书"],
     "guide": {"life_stage": "operation", "channels": ["online", "assisted"], "fees": "不收费",
               "materials": [{"name": "申请书", "originals": 1}]}},
    {"basic_code": "B", "implementation_code": "A-2", "name": "n", "item_type": "备案",
     "department": "d", "statutory_limit_days": 5, "promised_limit_days": 3, "onsite_trips": 1,
     "guide": {"fee": "不收费"}}
  ]
}"#;
        let (rows, errors) = parse_json(text);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].0, 8);
        assert!(errors[0].1.contains("fee"), "{errors:?}");
        let Entry::Item(spec) = &rows[0].entry else {
            panic!("an item")
        };
        assert_eq!(spec.guide.life_stage, Some(Stage::Operation));
        assert_eq!(spec.guide.channels, [Channel::Online, Channel::Assisted]);
        assert_eq!(spec.guide.materials[0].originals, 1);
        assert_eq!(spec.guide.materials[0].copies, 0);
    }

    #[test]
    fn a_syntax_error_names_its_line() {
        let (_, errors) = parse_json("{\n \"items\": [\n }");
        assert_eq!(errors.first().map(|e| e.0), Some(3));
    }
}
