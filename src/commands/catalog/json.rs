//! The JSON format of an import file:
//!
//! ```json
//! { "items":   [ { "basic_code": "…", "implementation_code": "…", "name": "…",
//!                  "item_type": "administrative_licence", "department": "…",
//!                  "statutory_limit_days": 20, "promised_limit_days": 5,
//!                  "required_materials": ["…"], "onsite_trips": 0 } ],
//!   "bundles": [ { "code": "…", "name": "…", "item_codes": ["…", "…"] } ] }
//! ```
//!
//! `catalog export` writes the same shape (`FileJson`), so an export imports back as it was.
//!
//! Each element is kept as raw text first, so that an error can name the line the element
//! starts on (the raw text is a slice of the file; its offset gives the line).

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::rows::{item_type, item_type_id, Entry, Row, RowError};
use guanjia_domain::catalog::{BundleSpec, CatalogItemSpec};

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
                    entry: Entry::Item(CatalogItemSpec {
                        basic_code: item.basic_code,
                        implementation_code: item.implementation_code,
                        name: item.name,
                        item_type: kind,
                        department: item.department,
                        statutory_limit_days: item.statutory_limit_days,
                        promised_limit_days: item.promised_limit_days,
                        required_materials: item.required_materials,
                        onsite_trips: item.onsite_trips,
                    }),
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
    fn a_syntax_error_names_its_line() {
        let (_, errors) = parse_json("{\n \"items\": [\n }");
        assert_eq!(errors.first().map(|e| e.0), Some(3));
    }
}
