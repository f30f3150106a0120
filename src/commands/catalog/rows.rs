//! The rows of an import file, whatever its format (`csv_rows.rs`, `json.rs`), and the
//! values both formats share: item types by id or Chinese label, lists.

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
    /// Boxed: an item with its guide is several times the size of a bundle.
    Item(Box<CatalogItemSpec>),
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

/// The entries of a list cell, separated by `|`.
pub fn list(cell: &str) -> Vec<String> {
    cell.split('|')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The id of an item type (`administrative_licence`), as files hold it.
pub fn item_type_id(kind: ItemType) -> String {
    match serde_json::to_value(kind) {
        Ok(serde_json::Value::String(id)) => id,
        _ => kind.label_zh().to_owned(),
    }
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
