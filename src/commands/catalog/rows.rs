//! The rows of an import file, whatever its format, and the CSV format.
//!
//! CSV: a header row naming the columns (any order), then one row per item or bundle:
//!
//! | column | items | bundles |
//! |---|---|---|
//! | `kind` | `item` | `bundle` |
//! | `code` | 实施编码 (implementation code) | bundle code |
//! | `name` | name | name |
//! | `basic_code` | 基本编码 | — |
//! | `item_type` | `administrative_licence`… or 行政许可, 行政确认, 备案, 公共服务, 其他 | — |
//! | `department`, `statutory_limit_days`, `promised_limit_days`, `onsite_trips` | required | — |
//! | `required_materials` | entries separated by `|` | — |
//! | `item_codes` | — | implementation codes separated by `|`, in journey order |
//!
//! A cell that belongs to the other kind must be empty, and an unknown column is an error:
//! either means the file is not what its author thinks.

use std::collections::HashMap;

use guanjia_domain::catalog::{BundleSpec, CatalogItemSpec, ItemType};

/// One row of the file, by the line it starts on.
#[derive(Debug, Clone)]
pub struct Row {
    pub line: usize,
    pub entry: Entry,
}

/// What a row publishes.
#[derive(Debug, Clone)]
pub enum Entry {
    Item(CatalogItemSpec),
    Bundle(BundleSpec),
}

impl Entry {
    /// The code the row is about.
    pub fn code(&self) -> &str {
        match self {
            Self::Item(spec) => spec.implementation_code.trim(),
            Self::Bundle(spec) => spec.code.trim(),
        }
    }
}

/// A bad row: its line and what is wrong.
pub type RowError = (usize, String);

const COLUMNS: &[&str] = &[
    "kind",
    "code",
    "name",
    "basic_code",
    "item_type",
    "department",
    "statutory_limit_days",
    "promised_limit_days",
    "onsite_trips",
    "required_materials",
    "item_codes",
];
const ITEM_ONLY: &[&str] = &[
    "basic_code",
    "item_type",
    "department",
    "statutory_limit_days",
    "promised_limit_days",
    "onsite_trips",
    "required_materials",
];

/// The rows of a CSV file, or every bad row.
pub fn parse_csv(text: &str) -> Result<Vec<Row>, Vec<RowError>> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| vec![(1, e.to_string())])?
        .clone();
    let mut index = HashMap::new();
    for (at, header) in headers.iter().enumerate() {
        let name = header.trim().trim_start_matches('\u{feff}');
        if !COLUMNS.contains(&name) {
            return Err(vec![(
                1,
                format!(
                    "unknown column {name:?}; the columns are {}",
                    COLUMNS.join(", ")
                ),
            )]);
        }
        index.insert(name, at);
    }
    for required in ["kind", "code", "name"] {
        if !index.contains_key(required) {
            return Err(vec![(1, format!("the header has no {required:?} column"))]);
        }
    }
    let (mut rows, mut errors) = (Vec::new(), Vec::new());
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map_or(0, |p| p.line() as usize);
                errors.push((line, error.to_string()));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        let cells = Cells {
            index: &index,
            record: &record,
        };
        match csv_entry(&cells) {
            Ok(entry) => rows.push(Row { line, entry }),
            Err(message) => errors.push((line, message)),
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// The cells of one record, by column name; a missing column reads as empty.
struct Cells<'r> {
    index: &'r HashMap<&'r str, usize>,
    record: &'r csv::StringRecord,
}

impl<'r> Cells<'r> {
    fn get(&self, name: &str) -> &'r str {
        self.index
            .get(name)
            .and_then(|at| self.record.get(*at))
            .unwrap_or("")
            .trim()
    }
}

fn csv_entry(cells: &Cells<'_>) -> Result<Entry, String> {
    let cell = |name: &str| cells.get(name);
    match cell("kind") {
        "item" => {
            let number = |name: &str| -> Result<u32, String> {
                let text = cell(name);
                if text.is_empty() {
                    return Err(format!("{name}: must not be empty"));
                }
                text.parse()
                    .map_err(|_| format!("{name}: {text:?} is not a whole number of at least 0"))
            };
            Ok(Entry::Item(CatalogItemSpec {
                basic_code: cell("basic_code").to_owned(),
                implementation_code: cell("code").to_owned(),
                name: cell("name").to_owned(),
                item_type: item_type(cell("item_type"))?,
                department: cell("department").to_owned(),
                statutory_limit_days: number("statutory_limit_days")?,
                promised_limit_days: number("promised_limit_days")?,
                required_materials: list(cell("required_materials")),
                onsite_trips: number("onsite_trips")?,
            }))
        }
        "bundle" => {
            if let Some(column) = ITEM_ONLY.iter().find(|c| !cell(c).is_empty()) {
                return Err(format!(
                    "{column}: is for items; leave it empty on a bundle row"
                ));
            }
            Ok(Entry::Bundle(BundleSpec {
                code: cell("code").to_owned(),
                name: cell("name").to_owned(),
                item_codes: list(cell("item_codes")),
            }))
        }
        other => Err(format!("kind: {other:?} is neither item nor bundle")),
    }
    .and_then(|entry| match (&entry, cell("item_codes").is_empty()) {
        (Entry::Item(_), false) => {
            Err("item_codes: is for bundles; leave it empty on an item row".to_owned())
        }
        _ => Ok(entry),
    })
}

/// The entries of a list cell, separated by `|`.
fn list(cell: &str) -> Vec<String> {
    cell.split('|')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(str::to_owned)
        .collect()
}

/// An item type by its id (`administrative_licence`) or its Chinese label (行政许可).
pub fn item_type(text: &str) -> Result<ItemType, String> {
    const ALL: [ItemType; 5] = [
        ItemType::AdministrativeLicence,
        ItemType::AdministrativeConfirmation,
        ItemType::AdministrativeFiling,
        ItemType::PublicService,
        ItemType::Other,
    ];
    ALL.into_iter()
        .find(|kind| {
            kind.label_zh() == text
                || serde_json::to_value(kind)
                    .ok()
                    .and_then(|v| v.as_str().map(|s| s == text))
                    == Some(true)
        })
        .ok_or_else(|| {
            format!(
                "item_type: {text:?} is not one of administrative_licence (行政许可), \
                 administrative_confirmation (行政确认), administrative_filing (备案), \
                 public_service (公共服务), other (其他)"
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "kind,code,name,basic_code,item_type,department,statutory_limit_days,promised_limit_days,onsite_trips,required_materials,item_codes\n";

    #[test]
    fn items_and_bundles_are_read_with_their_lines() {
        let text = format!(
            "{HEADER}item,A-1,设立登记,B-1,行政许可,市场监管局,20,5,0,申请书|章程,\n\
             bundle,K-1,开办企业,,,,,,,,A-1|A-2\n"
        );
        let rows = parse_csv(&text).unwrap_or_default();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].line, rows[1].line), (2, 3));
        assert!(
            matches!(&rows[0].entry, Entry::Item(s) if s.required_materials.len() == 2
            && s.item_type == ItemType::AdministrativeLicence)
        );
        assert!(matches!(&rows[1].entry, Entry::Bundle(b) if b.item_codes == ["A-1", "A-2"]));
    }

    #[test]
    fn every_bad_row_is_named() {
        let text = format!(
            "{HEADER}item,A-1,x,B,licence,d,twenty,5,0,,\nthing,A-2,x,,,,,,,,\nbundle,K,x,,备案,,,,,,A|B\n"
        );
        let errors = parse_csv(&text).err().unwrap_or_default();
        let lines: Vec<usize> = errors.iter().map(|(line, _)| *line).collect();
        assert_eq!(lines, [2, 3, 4], "{errors:?}");
    }

    #[test]
    fn an_unknown_column_is_refused_on_line_one() {
        let errors = parse_csv("kind,code,name,colour\n")
            .err()
            .unwrap_or_default();
        assert_eq!(errors.first().map(|e| e.0), Some(1));
        assert!(errors[0].1.contains("colour"));
    }
}
