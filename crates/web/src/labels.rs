//! The Chinese word for every state and kind the pages show, in one place, so that a status
//! reads the same on the workbench, in the search and on the case page.

use guanjia_domain::case::model::{
    AgreementScope, CaseState, Channel, CloseReason, HandlingMode, ItemOutcome, LeadSource,
    RatingTarget, Stage, SuspensionReason,
};
use guanjia_domain::case::state::{ComplaintStatus, ItemStatus, VisitStatus};
use guanjia_domain::user::Role;
use guanjia_domain::values::Tier;
use guanjia_read::detail::LoopStage;

pub(crate) fn role(role: Role) -> &'static str {
    match role {
        Role::Steward => "项目管家",
        Role::Leader => "领导",
        Role::Auditor => "审计",
        Role::Admin => "管理员",
        Role::Display => "大屏",
    }
}

/// The role names stored in event metadata (`actor_role`), as on the timeline.
pub(crate) fn role_name(stored: &str) -> &str {
    match stored {
        "steward" => "项目管家",
        "leader" => "领导",
        "auditor" => "审计",
        "admin" => "管理员",
        "display" => "大屏",
        "system" => "系统",
        other => other,
    }
}

pub(crate) fn case_state(state: CaseState) -> &'static str {
    match state {
        CaseState::Unregistered => "未登记",
        CaseState::Registered => "已登记",
        CaseState::Signed => "已签约",
        CaseState::InService => "服务中",
        CaseState::OnHold => "暂停服务",
        CaseState::Closed => "已结案",
    }
}

pub(crate) fn stage(stage: Stage) -> &'static str {
    match stage {
        Stage::Establishment => "设立",
        Stage::Construction => "建设",
        Stage::Operation => "运营",
    }
}

pub(crate) fn tier(tier: Tier) -> &'static str {
    match tier {
        Tier::District => "区级",
        Tier::Town => "镇级",
        Tier::Village => "村级",
    }
}

pub(crate) fn lead_source(source: LeadSource) -> &'static str {
    match source {
        LeadSource::InvestmentPromotion => "招商引资",
        LeadSource::EnterpriseRequest => "企业申请",
        LeadSource::TownVillageReport => "镇村上报",
        LeadSource::Hotline12345 => "12345热线",
        LeadSource::ComplaintWindow => "办不成事反映窗口",
    }
}

pub(crate) fn agreement_scope(scope: AgreementScope) -> String {
    match scope {
        AgreementScope::Stage(s) => format!("阶段代办（{}阶段）", stage(s)),
        AgreementScope::FullLifecycle => "全程代办".to_owned(),
    }
}

pub(crate) fn close_reason(reason: CloseReason) -> &'static str {
    match reason {
        CloseReason::AllItemsConcluded => "事项全部办结",
        CloseReason::EnterpriseWithdrew => "企业撤回",
        CloseReason::ProjectCancelled => "项目取消",
        CloseReason::Transferred => "移交",
    }
}

pub(crate) fn item_status(status: ItemStatus) -> &'static str {
    match status {
        ItemStatus::Requested => "已申请",
        ItemStatus::Accepted => "已受理",
        ItemStatus::Suspended => "暂停计时",
        ItemStatus::Concluded => "已办结",
        ItemStatus::Rejected => "不予受理",
    }
}

pub(crate) fn handling_mode(mode: HandlingMode) -> &'static str {
    match mode {
        HandlingMode::Assisted => "帮办",
        HandlingMode::Proxy => "代办",
    }
}

pub(crate) fn suspension(reason: SuspensionReason) -> &'static str {
    match reason {
        SuspensionReason::Correction => "补正",
        SuspensionReason::Hearing => "听证",
        SuspensionReason::Inspection => "现场核查",
        SuspensionReason::ExpertReview => "专家评审",
    }
}

pub(crate) fn outcome(outcome: ItemOutcome) -> &'static str {
    match outcome {
        ItemOutcome::Granted => "准予",
        ItemOutcome::Refused => "不予许可",
        ItemOutcome::Withdrawn => "申请人撤回",
    }
}

pub(crate) fn visit_status(status: VisitStatus) -> &'static str {
    match status {
        VisitStatus::Scheduled => "已安排",
        VisitStatus::Conducted => "已走访",
        VisitStatus::Cancelled => "已取消",
    }
}

pub(crate) fn complaint_status(status: ComplaintStatus) -> &'static str {
    match status {
        ComplaintStatus::Lodged => "已受理",
        ComplaintStatus::Assigned => "办理中",
        ComplaintStatus::Resolved => "已办结",
        ComplaintStatus::Referred => "已转办",
    }
}

pub(crate) fn channel(channel: Channel) -> &'static str {
    match channel {
        Channel::EvaluatorDevice => "评价器",
        Channel::QrCode => "二维码",
        Channel::Sms => "短信",
        Channel::SelfServiceTerminal => "自助终端",
        Channel::Online => "网上",
        Channel::PaperCard => "评价卡",
        Channel::Hotline12345 => "12345热线",
        Channel::InPerson => "当面",
    }
}

pub(crate) fn rating_target(target: RatingTarget) -> String {
    match target {
        RatingTarget::Visit(no) => format!("第 {no} 次走访"),
        RatingTarget::Item(no) => format!("事项 {no}"),
    }
}

pub(crate) fn loop_stage(stage: LoopStage) -> &'static str {
    match stage {
        LoopStage::AwaitingCallBack => "待回访核实",
        LoopStage::AppealPending => "申诉复核中",
        LoopStage::AwaitingRectification => "待整改",
        LoopStage::Rectified => "已整改",
        LoopStage::Voided => "已作废",
    }
}

/// The dimensions of a rating (docs/domain-events.md), by their stored key.
pub(crate) fn dimension(key: &str) -> &str {
    match key {
        "efficiency" => "服务效率",
        "quality" => "服务水平",
        "attitude" => "服务态度",
        "handling_efficiency" => "办事效率",
        "guide_accuracy" => "办事指南精确度",
        "convenience" => "办事便捷度",
        "platform_usability" => "平台操作性",
        other => other,
    }
}

/// What a dated step of a case is, by its stored event type (the steps a closed period lists).
pub(crate) fn step_name(event_type: &str) -> &'static str {
    match event_type {
        "CaseRegistered" => "登记立案",
        "AgreementSigned" => "签订代办协议",
        "VisitConducted" => "完成走访",
        "ServiceItemRequested" => "申请办件",
        "ServiceItemAccepted" => "受理办件",
        "ServiceItemSuspended" => "办件暂停计时",
        "ServiceItemResumed" => "办件恢复计时",
        "ServiceItemConcluded" => "办结办件",
        "ServiceItemRejected" => "办件不予受理",
        "RatingRecorded" => "评价",
        "RatingCallBackRecorded" => "差评回访核实",
        "RatingRectified" => "差评整改",
        "ComplaintLodged" => "受理办不成事反映",
        "ComplaintResolved" => "反映已解决",
        "CaseHeld" => "暂停服务",
        "CaseResumed" => "恢复服务",
        "CaseClosed" => "结案",
        "CaseReopened" => "重新启动服务",
        _ => "其他事项",
    }
}
