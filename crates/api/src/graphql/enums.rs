//! The GraphQL mirrors of the domain's and the read model's enums. `remote` makes
//! async-graphql generate the conversions both ways, and the build fails when a domain enum
//! gains a variant that is missing here, so the API can never silently lag behind the domain.

use async_graphql::Enum;
use guanjia_domain::case::model as case;
use guanjia_domain::case::state as case_state;

/// What a user may do; see domain.md, "Who uses it".
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "guanjia_domain::user::Role")]
pub enum Role {
    Steward,
    Leader,
    Auditor,
    Admin,
    /// A hall display (大屏): its division's dashboard figures only.
    Display,
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

/// The life state of a case.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "case::CaseState")]
pub enum CaseState {
    /// No event yet: the case did not exist (only seen in `caseAsOf`).
    Unregistered,
    Registered,
    Signed,
    InService,
    OnHold,
    Closed,
}

/// Where a service item stands.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "case_state::ItemStatus")]
pub enum ItemStatus {
    Requested,
    /// 受理: the clock runs.
    Accepted,
    /// The clock stands still.
    Suspended,
    /// 办结
    Concluded,
    /// 不予受理
    Rejected,
}

/// Where a visit stands.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "case_state::VisitStatus")]
pub enum VisitStatus {
    Scheduled,
    Conducted,
    Cancelled,
}

/// Where a complaint stands.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "case_state::ComplaintStatus")]
pub enum ComplaintStatus {
    Lodged,
    Assigned,
    Resolved,
    Referred,
}

/// A running item against its deadline, as of today.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "guanjia_domain::calendar::TimeStatus")]
pub enum TimeStatus {
    OnTime,
    /// The warning share (default 80%) of the working days is used.
    Warning,
    Overdue,
}

/// Where a bad rating's loop (回访核实 → 整改, or 申诉复核) stands.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "guanjia_read::detail::LoopStage")]
pub enum LoopStage {
    AwaitingCallBack,
    AppealPending,
    AwaitingRectification,
    Rectified,
    Voided,
}

/// The order of a case list.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "guanjia_read::SortBy")]
pub enum CaseSortField {
    /// Year, then serial.
    CaseNumber,
    RegisteredOn,
    /// Unicode code-point order of the enterprise name (no pinyin collation).
    Name,
}

/// How the dashboard breaks its figures down.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "guanjia_read::GroupBy")]
pub enum GroupBy {
    /// The lead steward credited with each fact.
    Steward,
    /// The handling department of the catalog item.
    Department,
    /// The catalog item (implementation code).
    CatalogItem,
}

/// A step of a case's life after registration.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum LifecycleStepKind {
    Held,
    Resumed,
    Closed,
    Reopened,
}

/// What the hash chain check found wrong, at the first place it goes wrong.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum ChainProblemKind {
    /// An event no longer matches its link: it was changed.
    Altered,
    /// A chained event is gone: it was deleted.
    Missing,
    /// An event sits between chained events without a link: it was inserted.
    Unchained,
    /// The exported head given is not part of this chain.
    HeadNotFound,
    /// The chain no longer passes through an anchor the server wrote earlier: history up to
    /// the anchor's position was altered, cut or added to.
    AnchorMismatch,
}
