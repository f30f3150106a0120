//! The CSV format of catalog files (import and export).
//!
//! A header row naming the columns (any order), then one row per item or bundle:
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
//! | `guide` | optional: the guide's text as a JSON object, as in the JSON format | — |
//!
//! A cell that belongs to the other kind must be empty, and an unknown column is an error:
//! either means the file is not what its author thinks. Every error of the file is reported
//! at once, each cell's with its line. A leading `'` of a cell (a spreadsheet's text marker,
//! which `catalog export` puts before text that could run as a formula) is removed.

use std::collections::HashMap;

use guanjia_domain::catalog::{BundleSpec, CatalogItemSpec};

use super::rows::{item_type, list, Entry, Row, RowError};
use crate::commands::csv_cells;

/// The columns of the CSV format, in the order `catalog export` writes them.
pub const COLUMNS: &[&str] = &[
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
    "guide",
];
/// The columns only an item row fills.
pub const ITEM_ONLY: &[&str] = &[
    "basic_code",
    "item_type",
    "department",
    "statutory_limit_days",
    "promised_limit_days",
    "onsite_trips",
    "required_materials",
    "guide",
];

/// The rows of a CSV file that are good, and every error of the file: a bad header column,
/// each bad cell of each row. Rows are read even when the header names unknown columns (they
/// are reported and ignored), so that one run reports everything; only a header without the
/// `kind`, `code` or `name` column stops the reading of rows.
pub fn parse_csv(text: &str) -> (Vec<Row>, Vec<RowError>) {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(headers) => headers.clone(),
        Err(error) => return (Vec::new(), vec![(1, error.to_string())]),
    };
    let (mut rows, mut errors) = (Vec::new(), Vec::new());
    let mut index = HashMap::new();
    for (at, header) in headers.iter().enumerate() {
        let name = header.trim().trim_start_matches('\u{feff}');
        match COLUMNS.iter().find(|column| **column == name) {
            Some(column) => {
                index.insert(*column, at);
            }
            None => errors.push((
                1,
                format!(
                    "unknown column {name:?}; the columns are {}",
                    COLUMNS.join(", ")
                ),
            )),
        }
    }
    let missing: Vec<RowError> = ["kind", "code", "name"]
        .into_iter()
        .filter(|required| !index.contains_key(required))
        .map(|required| (1, format!("the header has no {required:?} column")))
        .collect();
    if !missing.is_empty() {
        errors.extend(missing);
        return (rows, errors);
    }
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
            Err(messages) => errors.extend(messages.into_iter().map(|m| (line, m))),
        }
    }
    (rows, errors)
}

/// The cells of one record, by column name; a missing column reads as empty. A leading `'`
/// (a spreadsheet's "this is text", added by `catalog export` before text that could run as a
/// formula) is removed.
struct Cells<'r> {
    index: &'r HashMap<&'static str, usize>,
    record: &'r csv::StringRecord,
}

impl<'r> Cells<'r> {
    fn get(&self, name: &str) -> &'r str {
        let cell = self
            .index
            .get(name)
            .and_then(|at| self.record.get(*at))
            .unwrap_or("")
            .trim();
        csv_cells::restore(cell)
    }
}

/// The errors of one row, gathered so that a row reports all of them at once.
#[derive(Default)]
struct Problems(Vec<String>);

impl Problems {
    fn take<T>(&mut self, result: Result<T, String>) -> Option<T> {
        result.map_err(|message| self.0.push(message)).ok()
    }
}

fn csv_entry(cells: &Cells<'_>) -> Result<Entry, Vec<String>> {
    let cell = |name: &str| cells.get(name);
    let mut problems = Problems::default();
    let entry = match cell("kind") {
        "item" => {
            let number = |name: &str| -> Result<u32, String> {
                let text = cell(name);
                if text.is_empty() {
                    return Err(format!("{name}: must not be empty"));
                }
                text.parse()
                    .map_err(|_| format!("{name}: {text:?} is not a whole number of at least 0"))
            };
            let item_type = problems.take(item_type(cell("item_type")));
            let statutory = problems.take(number("statutory_limit_days"));
            let promised = problems.take(number("promised_limit_days"));
            let trips = problems.take(number("onsite_trips"));
            let guide = problems.take(super::json::guide_cell(cell("guide")));
            if !cell("item_codes").is_empty() {
                problems
                    .0
                    .push("item_codes: is for bundles; leave it empty on an item row".to_owned());
            }
            match (item_type, statutory, promised, trips, guide) {
                (Some(item_type), Some(statutory), Some(promised), Some(trips), Some(guide)) => {
                    Some(Entry::Item(Box::new(CatalogItemSpec {
                        basic_code: cell("basic_code").to_owned(),
                        implementation_code: cell("code").to_owned(),
                        name: cell("name").to_owned(),
                        item_type,
                        department: cell("department").to_owned(),
                        statutory_limit_days: statutory,
                        promised_limit_days: promised,
                        required_materials: list(cell("required_materials")),
                        onsite_trips: trips,
                        guide,
                    })))
                }
                _ => None,
            }
        }
        "bundle" => {
            for column in ITEM_ONLY.iter().filter(|c| !cell(c).is_empty()) {
                problems.0.push(format!(
                    "{column}: is for items; leave it empty on a bundle row"
                ));
            }
            Some(Entry::Bundle(BundleSpec {
                code: cell("code").to_owned(),
                name: cell("name").to_owned(),
                item_codes: list(cell("item_codes")),
            }))
        }
        other => {
            problems
                .0
                .push(format!("kind: {other:?} is neither item nor bundle"));
            None
        }
    };
    match entry {
        Some(entry) if problems.0.is_empty() => Ok(entry),
        _ => Err(problems.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use guanjia_domain::catalog::ItemType;

    const HEADER: &str = "kind,code,name,basic_code,item_type,department,statutory_limit_days,promised_limit_days,onsite_trips,required_materials,item_codes\n";

    #[test]
    fn items_and_bundles_are_read_with_their_lines() {
        let text = format!(
            "{HEADER}item,A-1,设立登记,B-1,行政许可,市场监管局,20,5,0,申请书|章程,\n\
             bundle,K-1,开办企业,,,,,,,,A-1|A-2\n"
        );
        let (rows, errors) = parse_csv(&text);
        assert!(errors.is_empty(), "{errors:?}");
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
        let (rows, errors) = parse_csv(&text);
        assert!(rows.is_empty());
        let lines: Vec<usize> = errors.iter().map(|(line, _)| *line).collect();
        assert_eq!(lines, [2, 2, 3, 4], "{errors:?}");
        let messages: Vec<&str> = errors.iter().map(|(_, m)| m.as_str()).collect();
        assert!(messages[0].starts_with("item_type:"), "{messages:?}");
        assert!(
            messages[1].starts_with("statutory_limit_days:"),
            "{messages:?}"
        );
        assert!(
            messages[3].starts_with("item_type: is for items"),
            "{messages:?}"
        );
    }

    #[test]
    fn a_guide_cell_is_read_as_json_and_a_bad_one_is_named() {
        let header = HEADER.replace("item_codes\n", "item_codes,guide\n");
        let text = format!(
            "{header}item,A-1,设立登记,B-1,行政许可,市场监管局,20,5,0,申请书,,\"{{\"\"fees\"\": \"\"不收费\"\"}}\"\n\
             item,A-2,设立登记,B-1,行政许可,市场监管局,20,5,0,申请书,,{{oops\n"
        );
        let (rows, errors) = parse_csv(&text);
        assert_eq!(rows.len(), 1, "{errors:?}");
        assert!(matches!(&rows[0].entry, Entry::Item(s) if s.guide.fees == "不收费"));
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].0, 3);
        assert!(errors[0].1.starts_with("guide:"), "{errors:?}");
    }

    #[test]
    fn an_unknown_column_is_named_on_line_one_and_the_rows_are_still_read() {
        let text = "kind,code,name,colour\nitem,A-1,x,red\nbundle,K,k,blue\n";
        let (rows, errors) = parse_csv(text);
        assert_eq!(errors.first().map(|e| e.0), Some(1));
        assert!(errors[0].1.contains("colour"));
        assert_eq!(rows.len(), 1, "the bundle row is good");
        assert!(errors
            .iter()
            .any(|(line, m)| *line == 2 && m.starts_with("item_type")));
    }

    #[test]
    fn a_leading_quote_of_a_spreadsheet_is_removed() {
        let text = format!("{HEADER}item,A-1,'=1+1,B,备案,d,5,3,0,'-申请书,\n");
        let (rows, errors) = parse_csv(&text);
        assert!(errors.is_empty(), "{errors:?}");
        assert!(
            matches!(&rows[0].entry, Entry::Item(s) if s.name == "=1+1" && s.required_materials == ["-申请书"])
        );
    }
}
