//! The vocabulary of the catalog: what an admin submits (the specs, with their one validation
//! function each) and what the rest of the domain reads back (the facts).
//!
//! Specs are stored in events exactly as they were cleaned, so a replayed catalog holds the same
//! text that was accepted. Facts are the subset a case copies into its own events, so a case's
//! history does not change when the catalog is revised later.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::guide::ServiceGuide;
use crate::error::{DomainError, ValueError};
use crate::values::text::{self, LABEL_MAX, LIST_MAX, NAME_MAX};

/// Longest 基本编码 / 实施编码 / bundle code, in characters.
pub const CODE_MAX: usize = 64;
/// Longest statutory limit accepted, in working days (about ten years): a sanity bound.
pub const STATUTORY_LIMIT_MAX: u32 = 3650;
/// Most on-site trips a service guide may require.
pub const ONSITE_TRIPS_MAX: u32 = 10;
/// Fewest distinct items in a bundle: one item alone is not a "一件事".
pub const BUNDLE_ITEMS_MIN: usize = 2;

const CODE_ALLOWED: &str = "a code has no whitespace or control characters";

/// The kind of government procedure (事项类型).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemType {
    /// 行政许可
    AdministrativeLicence,
    /// 行政确认
    AdministrativeConfirmation,
    /// 备案
    AdministrativeFiling,
    /// 公共服务
    PublicService,
    /// 其他
    Other,
}

impl ItemType {
    /// The Chinese label shown to users.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::AdministrativeLicence => "行政许可",
            Self::AdministrativeConfirmation => "行政确认",
            Self::AdministrativeFiling => "备案",
            Self::PublicService => "公共服务",
            Self::Other => "其他",
        }
    }
}

/// One version of a catalog item's service guide (办事指南), as submitted and as stored.
///
/// Fees are text in the [`ServiceGuide`]: the guide's fee rules (per unit, waived, tiered) do
/// not fit one number, and no KPI reads them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogItemSpec {
    /// 基本编码: the national code of the procedure. Opaque.
    pub basic_code: String,
    /// 实施编码: the code of this implementation of it; the catalog's key. Opaque.
    pub implementation_code: String,
    pub name: String,
    pub item_type: ItemType,
    /// The handling department.
    pub department: String,
    /// 法定时限, in working days; 0 means 即办 (handled on the spot).
    pub statutory_limit_days: u32,
    /// 承诺时限, in working days; never more than the statutory limit.
    pub promised_limit_days: u32,
    /// The materials the applicant submits, one entry each.
    pub required_materials: Vec<String>,
    /// On-site trips the applicant must make; 0 is 零跑腿 (zero-trip).
    pub onsite_trips: u32,
    /// The rest of the guide. Items published before guides existed have an empty one.
    #[serde(default)]
    pub guide: ServiceGuide,
}

impl CatalogItemSpec {
    /// The cleaned spec (text trimmed), or the first rule it breaks, with its field.
    pub fn validated(&self) -> Result<Self, DomainError> {
        let basic_code = code("basic_code", &self.basic_code)?;
        let implementation_code = code("implementation_code", &self.implementation_code)?;
        let name = text::required("name", &self.name, NAME_MAX)?;
        let department = text::required("department", &self.department, LABEL_MAX)?;
        at_most(
            "statutory_limit_days",
            self.statutory_limit_days,
            STATUTORY_LIMIT_MAX,
        )?;
        if self.promised_limit_days > self.statutory_limit_days {
            return Err(DomainError::invalid(
                "promised_limit_days",
                ValueError::Rule(format!(
                    "promised_limit_days ({}) must not exceed statutory_limit_days ({})",
                    self.promised_limit_days, self.statutory_limit_days
                )),
            ));
        }
        let required_materials =
            text::list("required_materials", &self.required_materials, NAME_MAX)?;
        at_most("onsite_trips", self.onsite_trips, ONSITE_TRIPS_MAX)?;
        let guide = self.guide.validated(&required_materials)?;
        Ok(Self {
            basic_code,
            implementation_code,
            name,
            item_type: self.item_type,
            department,
            statutory_limit_days: self.statutory_limit_days,
            promised_limit_days: self.promised_limit_days,
            required_materials,
            onsite_trips: self.onsite_trips,
            guide,
        })
    }

    /// The facts a case copies when it requests this version of the item.
    pub fn facts(&self, version: u32) -> CatalogItemFacts {
        CatalogItemFacts {
            implementation_code: self.implementation_code.clone(),
            basic_code: self.basic_code.clone(),
            version,
            name: self.name.clone(),
            item_type: self.item_type,
            department: self.department.clone(),
            statutory_limit_days: self.statutory_limit_days,
            promised_limit_days: self.promised_limit_days,
            // At most LIST_MAX entries pass validation, so the count always fits.
            required_materials_count: u32::try_from(self.required_materials.len())
                .unwrap_or(u32::MAX),
            onsite_trips: self.onsite_trips,
        }
    }
}

/// One version of a catalog item as a case records it: enough for deadlines and the burden
/// KPIs (materials, trips) without reading the catalog again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogItemFacts {
    pub implementation_code: String,
    pub basic_code: String,
    /// The catalog version these facts were taken from (1, 2, …).
    pub version: u32,
    pub name: String,
    pub item_type: ItemType,
    pub department: String,
    pub statutory_limit_days: u32,
    pub promised_limit_days: u32,
    pub required_materials_count: u32,
    pub onsite_trips: u32,
}

/// One version of a bundle (一件事一次办), as submitted and as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleSpec {
    /// The bundle's key. Opaque.
    pub code: String,
    pub name: String,
    /// Implementation codes of the bundled items, in the order of the journey.
    pub item_codes: Vec<String>,
}

impl BundleSpec {
    /// The cleaned spec, or the first rule it breaks. Only the shape is checked here; whether
    /// each item exists and is live is a rule of the catalog's state.
    pub fn validated(&self) -> Result<Self, DomainError> {
        let code = code("code", &self.code)?;
        let name = text::required("name", &self.name, NAME_MAX)?;
        if self.item_codes.len() > LIST_MAX {
            return Err(DomainError::invalid(
                "item_codes",
                ValueError::TooLong {
                    max: LIST_MAX,
                    actual: self.item_codes.len(),
                },
            ));
        }
        let item_codes = self
            .item_codes
            .iter()
            .map(|item| self::code("item_codes", item))
            .collect::<Result<Vec<_>, _>>()?;
        let mut seen = BTreeSet::new();
        if let Some(twice) = item_codes.iter().find(|item| !seen.insert(item.as_str())) {
            return Err(DomainError::invalid(
                "item_codes",
                ValueError::Rule(format!("catalog item {twice} is listed twice")),
            ));
        }
        if item_codes.len() < BUNDLE_ITEMS_MIN {
            return Err(DomainError::invalid(
                "item_codes",
                ValueError::OutOfRange {
                    min: BUNDLE_ITEMS_MIN as i64,
                    max: LIST_MAX as i64,
                    actual: item_codes.len() as i64,
                },
            ));
        }
        Ok(Self {
            code,
            name,
            item_codes,
        })
    }
}

/// The current version of a bundle, with the current facts of each of its items in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleFacts {
    pub code: String,
    pub version: u32,
    pub name: String,
    pub items: Vec<CatalogItemFacts>,
}

/// An opaque code: trimmed, 1–[`CODE_MAX`] characters, no whitespace, control, bidirectional or
/// zero-width characters.
///
/// Codes are not parsed further: 基本编码 and 实施编码 formats differ between provinces and
/// have changed over the years, and the catalog only needs them as keys.
pub fn code(field: &'static str, value: &str) -> Result<String, DomainError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(DomainError::invalid(field, ValueError::Empty));
    }
    let actual = trimmed.chars().count();
    if actual > CODE_MAX {
        return Err(DomainError::invalid(
            field,
            ValueError::TooLong {
                max: CODE_MAX,
                actual,
            },
        ));
    }
    if let Some((index, found)) = trimmed
        .chars()
        .enumerate()
        .find(|(_, c)| c.is_whitespace() || c.is_control())
    {
        return Err(DomainError::invalid(
            field,
            ValueError::BadCharacter {
                position: index + 1,
                found,
                allowed: CODE_ALLOWED,
            },
        ));
    }
    text::check_characters(field, trimmed, text::Shape::Line)?;
    Ok(trimmed.to_owned())
}

fn at_most(field: &'static str, value: u32, max: u32) -> Result<(), DomainError> {
    if value > max {
        return Err(DomainError::invalid(
            field,
            ValueError::OutOfRange {
                min: 0,
                max: i64::from(max),
                actual: i64::from(value),
            },
        ));
    }
    Ok(())
}
