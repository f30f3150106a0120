//! `guanjia catalog export FILE`: the live catalog (the current version of every item and
//! bundle that is not retired) in the format `catalog import` reads, CSV or JSON by the file's
//! extension. Importing the file into the same catalog changes nothing; into an empty one, it
//! publishes the same items and bundles.
//!
//! CSV text cells are made safe for spreadsheets as the other exports are (`csv_cells.rs`),
//! and import reverses it. A list entry holding `|` (the CSV's list separator) cannot be
//! written to CSV faithfully: the export refuses and names it, and JSON holds it.

use std::path::Path;

use anyhow::{bail, Context};
use guanjia_domain::catalog::{BundleSpec, CatalogItemSpec, ServiceCatalog};

use super::csv_rows::COLUMNS;
use super::json::{guide_text, BundleJson, FileJson, ItemJson};
use super::rows::item_type_id;
use crate::commands::csv_cells;

/// What was written: items and bundles.
pub struct Written {
    pub items: usize,
    pub bundles: usize,
}

/// Writes the live catalog to `file` (`.csv` or `.json`), replacing it.
pub fn write(catalog: &ServiceCatalog, file: &Path) -> anyhow::Result<Written> {
    let items: Vec<&CatalogItemSpec> = catalog.live_items().collect();
    let bundles: Vec<&BundleSpec> = catalog.live_bundles().collect();
    let extension = file
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let bytes = match extension.as_deref() {
        Some("csv") => csv_bytes(&items, &bundles)?,
        Some("json") => {
            let body = FileJson {
                items: items.iter().map(|spec| ItemJson::from(*spec)).collect(),
                bundles: bundles.iter().map(|spec| BundleJson::from(*spec)).collect(),
            };
            let mut text = serde_json::to_string_pretty(&body)?;
            text.push('\n');
            text.into_bytes()
        }
        _ => bail!(
            "{}: the file name must end in .csv or .json",
            file.display()
        ),
    };
    std::fs::write(file, bytes).with_context(|| format!("cannot write {}", file.display()))?;
    Ok(Written {
        items: items.len(),
        bundles: bundles.len(),
    })
}

/// The CSV file: a byte-order mark (for Excel), the header, items, then bundles.
fn csv_bytes(items: &[&CatalogItemSpec], bundles: &[&BundleSpec]) -> anyhow::Result<Vec<u8>> {
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    {
        let mut out = csv_cells::writer(&mut bytes);
        out.write_record(COLUMNS)?;
        for spec in items {
            let code = &spec.implementation_code;
            let row = [
                "item".to_owned(),
                code.clone(),
                spec.name.clone(),
                spec.basic_code.clone(),
                item_type_id(spec.item_type),
                spec.department.clone(),
                spec.statutory_limit_days.to_string(),
                spec.promised_limit_days.to_string(),
                spec.onsite_trips.to_string(),
                list(code, "required_materials", &spec.required_materials)?,
                String::new(),
                guide_text(&spec.guide)?,
            ];
            out.write_record(
                row.iter()
                    .map(|cell| csv_cells::neutralise(cell).into_owned()),
            )?;
        }
        for spec in bundles {
            let item_codes = list(&spec.code, "item_codes", &spec.item_codes)?;
            // Every column a bundle does not fill (the item-only ones) stays empty.
            let row: Vec<String> = COLUMNS
                .iter()
                .map(|column| match *column {
                    "kind" => "bundle".to_owned(),
                    "code" => spec.code.clone(),
                    "name" => spec.name.clone(),
                    "item_codes" => item_codes.clone(),
                    _ => String::new(),
                })
                .collect();
            out.write_record(
                row.iter()
                    .map(|cell| csv_cells::neutralise(cell).into_owned()),
            )?;
        }
        out.flush()?;
    }
    Ok(bytes)
}

/// A list cell: the entries separated by `|`.
fn list(code: &str, column: &str, entries: &[String]) -> anyhow::Result<String> {
    if let Some(entry) = entries.iter().find(|entry| entry.contains('|')) {
        bail!(
            "{code}: the {column} entry {entry:?} holds '|', the CSV list separator; \
             export to a .json file instead"
        );
    }
    Ok(entries.join("|"))
}
