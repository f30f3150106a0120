//! The service guide (办事指南) of a catalog item beyond the figures cases copy: legal basis,
//! conditions, each material's originals and copies, the process, fees, where and when, the
//! channels and the life stage the item belongs to. This is what the public guide pages show.
//!
//! Every field has a default (empty), and the spec carries the guide under
//! `#[serde(default)]`: items published before guides existed decode with an empty guide, and an
//! empty guide is shown as "not yet published" rather than as a guide without conditions.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::case::model::Stage;
use crate::error::{DomainError, ValueError};
use crate::values::text::{self, BODY_MAX, LABEL_MAX, LIST_MAX, NAME_MAX};

/// Most originals or copies of one material a guide may ask for: a sanity bound.
pub const COPIES_MAX: u32 = 20;

/// How an applicant can get the item done (办理渠道).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 一窗通办: at one window of the service hall.
    OneWindow,
    /// 一网通办: online, on the government service website.
    Online,
    /// 掌上办: on the phone (the app or the WeChat account).
    Mobile,
    /// 自助办: at a self-service terminal.
    SelfService,
    /// 帮代办: the steward team handles it for the enterprise.
    Assisted,
}

impl Channel {
    /// Every channel, in the order guides list them.
    pub const ALL: [Self; 5] = [
        Self::OneWindow,
        Self::Online,
        Self::Mobile,
        Self::SelfService,
        Self::Assisted,
    ];

    /// The Chinese name shown to the public.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::OneWindow => "一窗通办",
            Self::Online => "一网通办",
            Self::Mobile => "掌上办",
            Self::SelfService => "自助办",
            Self::Assisted => "帮代办",
        }
    }

    /// The identifier used in files and URLs.
    pub fn id(self) -> &'static str {
        match self {
            Self::OneWindow => "one_window",
            Self::Online => "online",
            Self::Mobile => "mobile",
            Self::SelfService => "self_service",
            Self::Assisted => "assisted",
        }
    }

    /// The channel named by its identifier (`one_window`…) or its Chinese name.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        Self::ALL
            .into_iter()
            .find(|channel| channel.label_zh() == text || channel.id() == text)
    }
}

/// How one required material is handed in. The name matches an entry of the item's
/// `required_materials`; materials without a detail are shown by name only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MaterialDetail {
    pub name: String,
    /// Originals to show or hand in (原件).
    pub originals: u32,
    /// Copies to hand in (复印件).
    pub copies: u32,
    /// Where the applicant gets it (来源渠道), e.g. "申请人自备" or the issuing department.
    pub source: String,
}

/// The service guide's text beyond the figures of [`CatalogItemSpec`](super::CatalogItemSpec).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceGuide {
    /// The enterprise's life stage the item belongs to (设立/建设/运营); `None`: any stage.
    pub life_stage: Option<Stage>,
    /// 设定依据: laws and regulations, one per entry.
    pub legal_basis: Vec<String>,
    /// 受理条件, one per entry.
    pub conditions: Vec<String>,
    /// Originals, copies and sources of the required materials.
    pub materials: Vec<MaterialDetail>,
    /// 办理流程, in order.
    pub steps: Vec<String>,
    /// 收费标准; empty is "不收费".
    pub fees: String,
    /// The window that takes it (受理窗口).
    pub window: String,
    pub address: String,
    /// 办理时间, e.g. "工作日 9:00–12:00，13:30–17:00".
    pub hours: String,
    /// How it can be done, in the order of [`Channel::ALL`], each once.
    pub channels: Vec<Channel>,
    /// The department's public consulting telephone (咨询电话): an office number, never a
    /// person's.
    pub contact: String,
}

impl ServiceGuide {
    /// Whether nothing of the guide was published yet.
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }

    /// The cleaned guide (text trimmed, channels in order), or the first rule it breaks, named
    /// by its field (`guide.…`). `materials` names the item's required materials: a detail of
    /// a material the item does not ask for would describe nothing.
    pub fn validated(&self, materials: &[String]) -> Result<Self, DomainError> {
        let legal_basis = text::list("guide.legal_basis", &self.legal_basis, NAME_MAX)?;
        let conditions = text::list("guide.conditions", &self.conditions, NAME_MAX)?;
        let steps = text::list("guide.steps", &self.steps, NAME_MAX)?;
        if self.materials.len() > LIST_MAX {
            return Err(DomainError::invalid(
                "guide.materials",
                ValueError::TooLong {
                    max: LIST_MAX,
                    actual: self.materials.len(),
                },
            ));
        }
        let mut described = BTreeSet::new();
        let mut details = Vec::with_capacity(self.materials.len());
        for detail in &self.materials {
            let name = text::required("guide.materials.name", &detail.name, NAME_MAX)?;
            if !materials.contains(&name) {
                return Err(DomainError::invalid(
                    "guide.materials.name",
                    ValueError::Rule(format!(
                        "{name:?} is not one of the item's required_materials"
                    )),
                ));
            }
            if !described.insert(name.clone()) {
                return Err(DomainError::invalid(
                    "guide.materials.name",
                    ValueError::Rule(format!("{name:?} is described twice")),
                ));
            }
            for (field, value) in [
                ("guide.materials.originals", detail.originals),
                ("guide.materials.copies", detail.copies),
            ] {
                if value > COPIES_MAX {
                    return Err(DomainError::invalid(
                        field,
                        ValueError::OutOfRange {
                            min: 0,
                            max: i64::from(COPIES_MAX),
                            actual: i64::from(value),
                        },
                    ));
                }
            }
            details.push(MaterialDetail {
                name,
                originals: detail.originals,
                copies: detail.copies,
                source: line("guide.materials.source", &detail.source, LABEL_MAX)?,
            });
        }
        let channels: BTreeSet<Channel> = self.channels.iter().copied().collect();
        if channels.len() != self.channels.len() {
            return Err(DomainError::invalid(
                "guide.channels",
                ValueError::Rule("a channel is listed twice".to_owned()),
            ));
        }
        Ok(Self {
            life_stage: self.life_stage,
            legal_basis,
            conditions,
            materials: details,
            steps,
            fees: line("guide.fees", &self.fees, NAME_MAX)?,
            window: line("guide.window", &self.window, NAME_MAX)?,
            address: line("guide.address", &self.address, NAME_MAX)?,
            hours: line("guide.hours", &self.hours, NAME_MAX)?,
            channels: channels.into_iter().collect(),
            contact: line("guide.contact", &self.contact, LABEL_MAX)?,
        })
    }

    /// The detail of one required material, when the guide gives it.
    pub fn material(&self, name: &str) -> Option<&MaterialDetail> {
        self.materials.iter().find(|detail| detail.name == name)
    }
}

/// An optional one-line text: trimmed, empty allowed.
fn line(field: &'static str, value: &str, max: usize) -> Result<String, DomainError> {
    debug_assert!(max < BODY_MAX, "guide fields are one line");
    Ok(text::optional(field, Some(value), max)?.unwrap_or_default())
}
