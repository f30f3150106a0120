//! The timeline as read: every event of a case with who recorded it, in which role, when, its
//! business date, and a short Chinese summary rendered from the rows the event filled in (the
//! stored entry keeps only a pointer to them; see cases/timeline.rs).

use chrono::{DateTime, NaiveDate, Utc};
use guanjia_domain::case::model::{
    AgreementScope, CloseReason, ItemOutcome, Stage, SuspensionReason,
};
use guanjia_store::LogPosition;
use serde::Serialize;

use crate::cases::{
    ApprovalRow, CaseRecord, EventKind, Field, LateEntryRow, LifecycleKind, TimelineEntry,
};
use crate::ReadModel;

/// One event of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelineItem {
    pub position: LogPosition,
    /// The event's number within the case, from 1.
    pub sequence: u64,
    /// The stored event type, e.g. `ServiceItemAccepted`.
    pub event_type: &'static str,
    pub recorded_at: DateTime<Utc>,
    pub actor_id: String,
    pub actor_role: String,
    /// The date the event is about (accepted on, signed on, …), where it has one.
    pub business_date: Option<NaiveDate>,
    pub summary: String,
    /// Set on a late entry's (补录) record and on the events of its step.
    pub late_entry: Option<LateEntryNote>,
    /// Set on the record of an approval into a closed period (封账) and on its step's events.
    pub approval: Option<ApprovalNote>,
}

/// Why and how late a step was recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LateEntryNote {
    /// The step's (earliest) business date.
    pub business_date: NaiveDate,
    pub recorded_on: NaiveDate,
    pub working_days_late: u32,
    pub reason: String,
}

/// Whose approval let a step dated inside a closed period in, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApprovalNote {
    /// The division that closed the period.
    pub division: String,
    pub period: String,
    pub approval_no: u32,
    pub approved_by: String,
    pub reason: String,
}

fn stage_zh(stage: Stage) -> &'static str {
    match stage {
        Stage::Establishment => "设立",
        Stage::Construction => "建设",
        Stage::Operation => "运营",
    }
}

fn field_zh(field: Field) -> &'static str {
    match field {
        Field::Name => "名称",
        Field::Uscc => "统一社会信用代码",
        Field::Division => "区划",
        Field::Address => "地址",
        Field::ContactName => "联系人",
        Field::ContactPhone => "联系电话",
    }
}

impl ReadModel {
    pub(crate) fn timeline_of(&self, record: &CaseRecord) -> Vec<TimelineItem> {
        // The notes of the late entry and the approval whose step is being read, and the
        // last sequence of that step.
        let mut late: Option<(u64, LateEntryNote)> = None;
        let mut approval: Option<(u64, ApprovalNote)> = None;
        self.cases
            .timeline_of(record)
            .into_iter()
            .map(|entry| {
                let sequence = u64::from(entry.sequence);
                let at = entry.subject as usize;
                match entry.kind {
                    EventKind::LateEntryRecorded => {
                        late = record
                            .late_entries
                            .get(at)
                            .map(|row| (sequence + u64::from(row.events), late_note(row)));
                    }
                    EventKind::ClosedPeriodEntryApproved => {
                        approval = record
                            .approvals
                            .get(at)
                            .map(|row| (sequence + u64::from(row.events), approval_note(row)));
                    }
                    _ => {}
                }
                TimelineItem {
                    position: entry.position,
                    sequence,
                    event_type: entry.kind.name(),
                    recorded_at: entry.recorded_at,
                    actor_id: self.symbols.owned(entry.actor),
                    actor_role: self.symbols.owned(entry.role),
                    business_date: entry.date,
                    summary: self.summary(record, entry),
                    late_entry: covering(&late, sequence),
                    approval: covering(&approval, sequence),
                }
            })
            .collect()
    }

    fn summary(&self, record: &CaseRecord, entry: &TimelineEntry) -> String {
        use EventKind as K;
        let no = entry.subject;
        let detail = usize::from(entry.detail);
        let at = |n: u32| n as usize;
        let user = |sym| self.symbols.owned(sym);
        let item = self.cases.items_of(record).find(|i| i.item_no == no);
        let item_name = item
            .and_then(|i| self.cases.facts_of(i))
            .map_or(String::new(), |f| format!("《{}》", f.name));
        let rating = || self.cases.ratings_of(record).find(|r| r.rating_no == no);
        let complaint = || {
            self.cases
                .complaints_of(record)
                .find(|c| c.complaint_no == no)
        };
        let visit = || self.cases.visits_of(record).find(|v| v.visit_no == no);
        match entry.kind {
            K::CaseRegistered => format!("登记立案 {}", record.number),
            K::EnterpriseDetailsCorrected => {
                let fields: Vec<&str> = record
                    .corrections
                    .get(at(no))
                    .map(|c| c.changes.iter().map(|(f, _, _)| field_zh(*f)).collect())
                    .unwrap_or_default();
                format!("更正企业信息：{}", fields.join("、"))
            }
            K::AgreementSigned => match record.agreement.as_ref().map(|a| a.scope) {
                Some(AgreementScope::Stage(stage)) => {
                    format!("签订代办协议（阶段代办：{}）", stage_zh(stage))
                }
                _ => "签订代办协议（全程代办）".to_owned(),
            },
            K::LeadStewardAssigned | K::LeadStewardReplaced | K::TeamMemberAdded => {
                match record.team.get(at(no)) {
                    Some(s) if s.role.is_none() && entry.kind == K::LeadStewardAssigned => {
                        format!("指定项目管家 {}", user(s.user))
                    }
                    Some(s) if s.role.is_none() => format!("更换项目管家为 {}", user(s.user)),
                    Some(s) => format!(
                        "加入服务团队 {}（{}）",
                        user(s.user),
                        s.role.as_deref().unwrap_or("")
                    ),
                    None => "服务团队变更".to_owned(),
                }
            }
            K::TeamMemberRemoved => record.team.get(at(no)).map_or_else(
                || "服务团队变更".to_owned(),
                |s| format!("移出服务团队 {}", user(s.user)),
            ),
            K::PlanAdopted => format!("通过一企一策方案 第{no}版"),
            K::PlanRevised => format!("修订一企一策方案 第{no}版"),
            K::StageAdvanced => record.stages.get(at(no)).map_or_else(
                || "阶段推进".to_owned(),
                |s| format!("阶段推进：{} → {}", stage_zh(s.from), stage_zh(s.to)),
            ),
            K::ProjectAdded | K::ProjectChanged => {
                let verb = if entry.kind == K::ProjectAdded {
                    "添加"
                } else {
                    "变更"
                };
                let project = record.projects.get(at(no));
                let name = project
                    .and_then(|p| p.versions.get(detail))
                    .map_or("", |(_, d)| d.name.as_str());
                let code = project.map_or("", |p| p.code.as_str());
                format!("{verb}项目 {name}（{code}）")
            }
            K::VisitScheduled => format!("安排走访 {no}：{}", visit().map_or("", |v| &*v.purpose)),
            K::VisitConducted => format!("完成走访 {no}"),
            K::VisitCancelled => format!("取消走访 {no}"),
            K::ServiceItemRequested => {
                let bundle = item
                    .and_then(|i| i.bundle)
                    .and_then(|(b, _)| self.cases.bundles.get(b))
                    .map_or(String::new(), |b| format!("（一件事：{}）", b.name));
                format!("申请办件 {no}{item_name}{bundle}")
            }
            K::ServiceItemAccepted => format!(
                "受理办件 {no}{item_name}，时限 {} 个工作日",
                item.map_or(0, |i| i.limit_days)
            ),
            K::ServiceItemSuspended => {
                let reason = item.and_then(|i| i.suspension_details.get(detail)).map_or(
                    "",
                    |(reason, _)| match reason {
                        SuspensionReason::Correction => "补正",
                        SuspensionReason::Hearing => "听证",
                        SuspensionReason::Inspection => "现场核查",
                        SuspensionReason::ExpertReview => "专家评审",
                    },
                );
                format!("办件 {no} 暂停计时（{reason}）")
            }
            K::ServiceItemResumed => format!("办件 {no} 恢复计时"),
            K::ServiceItemExtended => format!(
                "办件 {no} 延期 {} 个工作日",
                item.and_then(|i| i.extensions.get(detail))
                    .map_or(0, |e| e.days)
            ),
            K::ServiceItemConcluded => {
                let outcome = item
                    .and_then(|i| i.conclusion.as_deref())
                    .map(|c| c.outcome);
                let label = match outcome {
                    Some(ItemOutcome::Granted) => "准予",
                    Some(ItemOutcome::Refused) => "不予许可",
                    Some(ItemOutcome::Withdrawn) => "申请人撤回",
                    None => "",
                };
                format!("办结办件 {no}{item_name}（{label}）")
            }
            K::ServiceItemRejected => format!("办件 {no}{item_name} 不予受理"),
            K::RatingRecorded => match rating() {
                Some(r) if r.follow_up_of.is_some() => {
                    format!("追评 {no}：{}", r.level.label_zh())
                }
                Some(r) => format!("评价 {no}：{}", r.level.label_zh()),
                None => format!("评价 {no}"),
            },
            K::RatingCallBackRecorded => format!("差评 {no} 回访核实"),
            K::RatingAppealed => format!("差评 {no} 申诉复核"),
            K::RatingVoided => format!("差评 {no} 经复核作废"),
            K::RatingAppealRejected => format!("差评 {no} 申诉驳回"),
            K::RatingRectified => format!("差评 {no} 整改完成"),
            K::ComplaintLodged => format!("受理办不成事反映 {no}"),
            K::ComplaintAssigned => format!(
                "反映 {no} 交办 {}",
                complaint()
                    .and_then(|c| c.assignees.get(detail))
                    .map_or(String::new(), |a| user(*a))
            ),
            K::ComplaintResolved => format!("反映 {no} 已解决"),
            K::ComplaintReferred => format!(
                "反映 {no} 转交 {}",
                complaint()
                    .and_then(|c| c.referral.as_ref())
                    .map_or("", |r| &*r.0)
            ),
            K::NoteAdded => {
                let text = record.notes.iter().find(|n| n.note_no == no);
                let head: String = text.map_or("", |n| &*n.text).chars().take(30).collect();
                format!("备注：{head}")
            }
            K::PersonalDataErased => "个人信息已依法删除".to_owned(),
            K::LateEntryRecorded => record.late_entries.get(at(no)).map_or_else(
                || "补录".to_owned(),
                |row| {
                    format!(
                        "补录：晚 {} 个工作日登记，理由：{}",
                        row.working_days_late, row.reason
                    )
                },
            ),
            K::ClosedPeriodEntryApproved => record.approvals.get(at(no)).map_or_else(
                || "封账期内补录（经批准）".to_owned(),
                |row| {
                    format!(
                        "封账期 {} 内补录，经 {} 批准（第{}号）：{}",
                        row.period, row.approved_by, row.approval_no, row.reason
                    )
                },
            ),
            K::CaseHeld | K::CaseResumed | K::CaseClosed | K::CaseReopened => {
                match record.lifecycle.get(at(no)).map(|s| (s.kind, &*s.text)) {
                    Some((LifecycleKind::Held, reason)) => format!("暂停服务：{reason}"),
                    Some((LifecycleKind::Resumed, _)) => "恢复服务".to_owned(),
                    Some((LifecycleKind::Closed(reason), _)) => format!(
                        "结案（{}）",
                        match reason {
                            CloseReason::AllItemsConcluded => "事项全部办结",
                            CloseReason::EnterpriseWithdrew => "企业撤回",
                            CloseReason::ProjectCancelled => "项目取消",
                            CloseReason::Transferred => "移交",
                        }
                    ),
                    Some((LifecycleKind::Reopened { term }, _)) => {
                        format!("重新启动服务（第{term}期）")
                    }
                    None => "案件状态变更".to_owned(),
                }
            }
        }
    }
}

fn late_note(row: &LateEntryRow) -> LateEntryNote {
    LateEntryNote {
        business_date: row.business_date,
        recorded_on: row.recorded_on,
        working_days_late: row.working_days_late,
        reason: row.reason.to_string(),
    }
}

fn approval_note(row: &ApprovalRow) -> ApprovalNote {
    ApprovalNote {
        division: row.division.to_string(),
        period: row.period.to_string(),
        approval_no: row.approval_no,
        approved_by: row.approved_by.to_string(),
        reason: row.reason.to_string(),
    }
}

/// The note of the step whose events run up to the sequence kept with it, if `sequence` is one
/// of them.
fn covering<T: Clone>(cover: &Option<(u64, T)>, sequence: u64) -> Option<T> {
    match cover {
        Some((until, note)) if sequence <= *until => Some(note.clone()),
        _ => None,
    }
}
