//! The GraphQL mirrors of the domain's enums. `remote` makes async-graphql generate the
//! conversions both ways, and the build fails when a domain enum gains a variant that is
//! missing here, so the API can never silently lag behind the domain.

use async_graphql::Enum;
use guanjia_domain::case::model as case;

/// What a user may do; see domain.md, "Who uses it".
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "guanjia_domain::user::Role")]
pub enum Role {
    Steward,
    Leader,
    Auditor,
    Admin,
}

/// How deep in the administrative tree (district, town, village).
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "guanjia_domain::values::Tier")]
pub enum Tier {
    District,
    Town,
    Village,
}

/// Who or what brought the enterprise to the steward team (线索来源).
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "case::LeadSource")]
pub enum LeadSource {
    /// 招商
    InvestmentPromotion,
    EnterpriseRequest,
    TownVillageReport,
    /// The 12345 hotline.
    Hotline12345,
    /// 办不成事反映窗口
    ComplaintWindow,
}

/// 设立 → 建设 → 运营.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "case::Stage")]
pub enum Stage {
    Establishment,
    Construction,
    Operation,
}

/// Why a case was closed.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "case::CloseReason")]
pub enum CloseReason {
    AllItemsConcluded,
    EnterpriseWithdrew,
    ProjectCancelled,
    Transferred,
}

/// 帮办 (assisted) or 代办 (proxy).
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "case::HandlingMode")]
pub enum HandlingMode {
    Assisted,
    Proxy,
}

/// Why a service item's clock stopped.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "case::SuspensionReason")]
pub enum SuspensionReason {
    /// 补正
    Correction,
    Hearing,
    Inspection,
    ExpertReview,
}

/// How a service item ended.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "case::ItemOutcome")]
pub enum ItemOutcome {
    Granted,
    Refused,
    Withdrawn,
}

/// Where a rating or complaint came in.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "case::Channel")]
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
    InPerson,
}

/// The rating dimensions of 国办发〔2019〕51号.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "case::DimensionSet")]
pub enum DimensionSet {
    /// efficiency, quality, attitude
    Offline2019,
    /// handling_efficiency, guide_accuracy, convenience, platform_usability
    Online2019,
}

/// The kind of government procedure (事项类型).
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "guanjia_domain::catalog::ItemType")]
pub enum ItemType {
    /// 行政许可
    AdministrativeLicence,
    /// 行政确认
    AdministrativeConfirmation,
    /// 备案
    AdministrativeFiling,
    /// 公共服务
    PublicService,
    Other,
}

/// What a signed agreement covers: one stage (阶段代办) or the whole life (全程代办).
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum AgreementScopeKind {
    Stage,
    FullLifecycle,
}

/// What a rating is about.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum RatingTargetKind {
    Visit,
    Item,
}
