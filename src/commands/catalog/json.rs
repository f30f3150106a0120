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
//! Each element is kept as raw text first, so that an error can name the line the element
//! starts on (the raw text is a slice of the file; its offset gives the line).

use serde::Deserialize;
use serde_json::value::RawValue;

use super::rows::{item_type, Entry, Row, RowError};
use guanjia_domain::catalog::{BundleSpec, CatalogItemSpec};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File<'a> {
    #[serde(borrow, default)]
    items: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    bundles: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemJson {
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BundleJson {
    code: String,
    name: String,
    item_codes: Vec<String>,
}

/// The rows of a JSON file, or every bad element.
pub fn parse_json(text: &str) -> Result<Vec<Row>, Vec<RowError>> {
    let file: File<'_> =
        serde_json::from_str(text).map_err(|error| vec![(error.line(), error.to_string())])?;
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
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
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
        let errors = parse_json(text).err().unwrap_or_default();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].0, 7);
        assert!(errors[0].1.contains("colour"), "{errors:?}");
    }

    #[test]
    fn a_syntax_error_names_its_line() {
        let errors = parse_json("{\n \"items\": [\n }").err().unwrap_or_default();
        assert_eq!(errors.first().map(|e| e.0), Some(3));
    }
}
