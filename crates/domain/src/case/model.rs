//! The vocabulary of a case: the small enums and records that commands and events share.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::values::{DivisionCode, Money, Phone, Tier, Uscc};

/// Who or what brought the enterprise to the steward team (线索来源).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeadSource {
    /// 招商: investment promotion.
    InvestmentPromotion,
    /// The enterprise asked for help itself.
    EnterpriseRequest,
    /// Reported by a town or village agent.
    TownVillageReport,
    /// The 12345 government hotline.
    Hotline12345,
    /// The 办不成事反映窗口 complaint window.
    ComplaintWindow,
}

/// The enterprise's life stage (设立 → 建设 → 运营); it only moves forward.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 设立
    Establishment,
    /// 建设
    Construction,
    /// 运营
    Operation,
}

/// What the signed mandate covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "stage")]
pub enum AgreementScope {
    /// 阶段代办: one stage only.
    Stage(Stage),
    /// 全程代办: end to end.
    FullLifecycle,
}

/// The life state of a case, derived from its events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseState {
    /// No event yet: the case does not exist.
    #[default]
    Unregistered,
    Registered,
    Signed,
    InService,
    OnHold,
    Closed,
}

/// Why a case was closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CloseReason {
    AllItemsConcluded,
    EnterpriseWithdrew,
    ProjectCancelled,
    Transferred,
}

/// The enterprise a case serves. Contact phone is personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enterprise {
    pub name: String,
    /// Absent while the enterprise is being established (设立) and has no licence yet.
    pub uscc: Option<Uscc>,
    /// Where the enterprise is; decides which stewards and leaders may see the case.
    pub division: DivisionCode,
    pub address: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<Phone>,
}

/// A member of the service team other than the lead steward.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamMember {
    pub user_id: String,
    /// e.g. "部门联络员", "镇级代办员".
    pub role: String,
    pub tier: Tier,
}

/// A dated goal of the service plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Milestone {
    pub name: String,
    pub due_on: NaiveDate,
}

/// The content of one version of the 一企一策 plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanContent {
    pub text: String,
    /// Implementation codes of the catalog items the team plans to handle.
    pub planned_items: Vec<String>,
    pub milestones: Vec<Milestone>,
}

/// The changeable facts of an investment project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectDetails {
    pub name: String,
    pub investment: Money,
    pub key_project: bool,
    /// The year the project was put on a key-project list, if it was.
    pub list_year: Option<i32>,
}

/// 帮办 (guide the applicant) or 代办 (file on the applicant's behalf).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HandlingMode {
    Assisted,
    Proxy,
}

/// Why the statutory clock of an item stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SuspensionReason {
    /// 补正: materials must be corrected.
    Correction,
    Hearing,
    Inspection,
    ExpertReview,
}

/// How a service item ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemOutcome {
    Granted,
    Refused,
    Withdrawn,
}

/// What a rating is about: a visit (一次一评) or a service item (一事一评), by its number in the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "no")]
pub enum RatingTarget {
    Visit(u32),
    Item(u32),
}

/// Where a rating or complaint came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 评价器
    EvaluatorDevice,
    QrCode,
    Sms,
    SelfServiceTerminal,
    Online,
    /// 评价卡
    PaperCard,
    Hotline12345,
    /// In person at a window or during a visit.
    InPerson,
}

/// The dimension sets of 国办发〔2019〕51号. The set is stored with the rating so that a later
/// change of the national rules does not reinterpret old ratings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DimensionSet {
    /// 服务效率, 服务水平, 服务态度.
    Offline2019,
    /// 办事效率, 办事指南精确度, 办事便捷度, 平台操作性.
    Online2019,
}

impl DimensionSet {
    /// The dimension keys this set allows.
    pub fn dimensions(self) -> &'static [&'static str] {
        match self {
            Self::Offline2019 => &["efficiency", "quality", "attitude"],
            Self::Online2019 => &[
                "handling_efficiency",
                "guide_accuracy",
                "convenience",
                "platform_usability",
            ],
        }
    }
}

/// Scores per dimension, 1–5 each.
pub type DimensionScores = BTreeMap<String, crate::values::RatingLevel>;

/// Who rated or complained. Personal data: shown only to roles that need it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub name: Option<String>,
    pub phone: Option<Phone>,
}
