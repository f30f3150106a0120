//! 2024 and 2025, busier, generated from a fixed seed: more cases, late items, suspensions and
//! extensions, a few bad ratings worked through the rectification loop, complaints, closures and
//! a reopening. Then a little work "now" relative to the chosen today, so that workloads show
//! items on time, in warning and overdue, and visits coming up.

use chrono::{Datelike, Duration, NaiveDate};
use guanjia_app::CaseRegistration;
use guanjia_domain::case::commands::{EnterpriseInput, PersonInput, PlanInput};
use guanjia_domain::case::model::{
    AgreementScope, Channel, CloseReason, ItemOutcome, LeadSource, RatingTarget, Stage,
    SuspensionReason,
};
use guanjia_domain::case::CaseCommand;
use rand::rngs::StdRng;
use rand::Rng;

use crate::catalog::codes;
use crate::people::{AGENTS, STEWARDS, TOWNS, VILLAGES};
use crate::runner::{instant, Runner};
use crate::story2023::{uscc, SURNAMES};
use crate::DemoError;

const KINDS: [&str; 8] = [
    "新材料",
    "富硒食品",
    "纺织",
    "电子",
    "物流",
    "生态农业",
    "建材",
    "文旅",
];
const SOURCES: [LeadSource; 5] = [
    LeadSource::InvestmentPromotion,
    LeadSource::EnterpriseRequest,
    LeadSource::TownVillageReport,
    LeadSource::Hotline12345,
    LeadSource::ComplaintWindow,
];

/// One generated case and what happened to it, for the later steps.
pub(crate) struct Generated {
    pub id: String,
    pub last_day: NaiveDate,
    pub open_items: bool,
}

/// Writes `count` cases registered in `year`.
pub(crate) async fn year(
    runner: &mut Runner<'_>,
    rng: &mut StdRng,
    year: i32,
    count: usize,
) -> Result<Vec<Generated>, DemoError> {
    let mut cases = Vec::new();
    for n in 0..count {
        let start = NaiveDate::from_ymd_opt(year, 1, 4).unwrap_or(NaiveDate::MIN);
        let registered =
            start + Duration::days((n as i64 * 300) / count as i64 + rng.gen_range(0..10));
        cases.push(one_case(runner, rng, year, n, registered).await?);
    }
    Ok(cases)
}

async fn one_case(
    runner: &mut Runner<'_>,
    rng: &mut StdRng,
    year: i32,
    n: usize,
    registered: NaiveDate,
) -> Result<Generated, DemoError> {
    let village = VILLAGES[rng.gen_range(0..VILLAGES.len())];
    let town = TOWNS
        .iter()
        .find(|t| t.0[..9] == village.0[..9])
        .unwrap_or(&TOWNS[0]);
    let kind = KINDS[rng.gen_range(0..KINDS.len())];
    let name = format!(
        "安康{}{}{}有限公司",
        town.1.trim_end_matches('镇'),
        kind,
        ["科技", "实业", "发展"][n % 3]
    );
    let stage = [Stage::Establishment, Stage::Construction, Stage::Operation][rng.gen_range(0..3)];
    let registration = CaseRegistration {
        enterprise: EnterpriseInput {
            name,
            uscc: (stage != Stage::Establishment)
                .then(|| uscc(year, n + 100))
                .transpose()?,
            division: if rng.gen_bool(0.5) { village.0 } else { town.0 }.to_owned(),
            address: Some(format!("{}{}", town.1, village.1)),
            contact_name: Some(format!("{}经理", SURNAMES[n % SURNAMES.len()])),
            contact_phone: Some(format!(
                "13{}{:08}",
                rng.gen_range(3..10),
                rng.gen_range(0..100_000_000)
            )),
        },
        lead_source: SOURCES[rng.gen_range(0..SOURCES.len())],
        stage,
        registered_on: Some(registered),
        late_reason: None,
    };
    let id = runner.register(registered, registration).await?;
    let steward = &STEWARDS[rng.gen_range(0..STEWARDS.len())];
    let agent = &AGENTS[rng.gen_range(0..AGENTS.len())];
    let mut day = registered;
    runner
        .run(
            day,
            &id,
            CaseCommand::AssignLeadSteward {
                steward: steward.id.to_owned(),
                tier: steward.tier,
                reason: None,
            },
        )
        .await?;
    runner
        .run(
            day,
            &id,
            CaseCommand::AddTeamMember {
                user_id: agent.id.to_owned(),
                role: "村级代办员".to_owned(),
                tier: agent.tier,
            },
        )
        .await?;
    day += Duration::days(rng.gen_range(2..10));
    let sign = CaseCommand::SignAgreement {
        scope: AgreementScope::FullLifecycle,
        signed_on: day,
        signatories: vec![steward.name.to_owned()],
    };
    runner.run(day, &id, sign).await?;
    let plan = PlanInput {
        text: format!("一企一策（{year}）：手续全程代办"),
        planned_items: vec![],
        milestones: vec![],
    };
    runner
        .run(day, &id, CaseCommand::AdoptPlan { plan })
        .await?;

    for visit_no in 1..=rng.gen_range(1..=3u32) {
        day += Duration::days(rng.gen_range(5..30));
        let schedule = CaseCommand::ScheduleVisit {
            scheduled_at: instant(day, 9),
            place: "企业现场".to_owned(),
            purpose: "走访问需".to_owned(),
            planned_participants: vec![],
        };
        runner.run(day, &id, schedule).await?;
        let conduct = CaseCommand::ConductVisit {
            visit_no,
            conducted_at: instant(day, 10),
            participants: vec![steward.name.to_owned()],
            notes: "走访记录".to_owned(),
            issues_raised: vec![],
            follow_ups: vec![],
        };
        runner.run(day, &id, conduct).await?;
        if rng.gen_bool(0.8) {
            runner
                .rate(
                    day,
                    &id,
                    RatingTarget::Visit(visit_no),
                    level(rng),
                    Channel::QrCode,
                )
                .await?;
        }
    }
    let all = codes();
    let mut open_items = false;
    for item_no in 1..=rng.gen_range(1..=4u32) {
        day += Duration::days(rng.gen_range(3..20));
        runner
            .request(day, &id, all[rng.gen_range(0..all.len())])
            .await?;
        let accepted = day + Duration::days(rng.gen_range(0..3));
        runner
            .run(
                accepted,
                &id,
                CaseCommand::AcceptServiceItem {
                    item_no,
                    accepted_on: Some(accepted),
                    receipt_no: None,
                    use_statutory_limit: false,
                },
            )
            .await?;
        let mut last = accepted;
        if rng.gen_bool(0.12) {
            last += Duration::days(2);
            runner
                .run(
                    last,
                    &id,
                    CaseCommand::SuspendServiceItem {
                        item_no,
                        reason: SuspensionReason::Correction,
                        suspended_on: Some(last),
                        note: None,
                    },
                )
                .await?;
            last += Duration::days(rng.gen_range(3..9));
            runner
                .run(
                    last,
                    &id,
                    CaseCommand::ResumeServiceItem {
                        item_no,
                        resumed_on: Some(last),
                    },
                )
                .await?;
        }
        if rng.gen_bool(0.1) {
            runner
                .run(
                    last,
                    &id,
                    CaseCommand::ExtendServiceItem {
                        item_no,
                        days: 5,
                        approver: STEWARDS[0].id.to_owned(),
                        reason: "需专家论证".to_owned(),
                    },
                )
                .await?;
        }
        // Most items finish within their promise; about one in ten runs late.
        let days = if rng.gen_bool(0.1) {
            rng.gen_range(25..45)
        } else {
            rng.gen_range(1..12)
        };
        let concluded = last + Duration::days(days);
        if concluded.year() > year && rng.gen_bool(0.5) {
            open_items = true;
            continue;
        }
        let outcome = if rng.gen_bool(0.06) {
            ItemOutcome::Refused
        } else {
            ItemOutcome::Granted
        };
        let materials = rng.gen_range(2..7);
        let conclude = CaseCommand::ConcludeServiceItem {
            item_no,
            outcome,
            concluded_on: Some(concluded),
            result_reference: None,
            materials_submitted: materials,
            onsite_trips: rng.gen_range(0..2),
        };
        runner.run(concluded, &id, conclude).await?;
        day = day.max(concluded);
        if rng.gen_bool(0.9) {
            rate_item(runner, rng, &id, item_no, concluded + Duration::days(1)).await?;
            day = day.max(concluded + Duration::days(20));
        }
    }
    if rng.gen_bool(0.12) {
        complaint(runner, rng, &id, day, steward.id).await?;
    }
    Ok(Generated {
        id,
        last_day: day,
        open_items,
    })
}

fn level(rng: &mut StdRng) -> u8 {
    match rng.gen_range(0..100) {
        0..=69 => 5,
        70..=91 => 4,
        92..=96 => 3,
        97..=98 => 2,
        _ => 1,
    }
}

/// Rates an item; a bad rating goes through call-back, rectification and a follow-up (追评).
async fn rate_item(
    runner: &mut Runner<'_>,
    rng: &mut StdRng,
    id: &str,
    item_no: u32,
    on: NaiveDate,
) -> Result<(), DemoError> {
    let level = level(rng);
    runner
        .rate(on, id, RatingTarget::Item(item_no), level, Channel::Sms)
        .await?;
    if level > 2 {
        return Ok(());
    }
    let case = runner
        .store
        .load::<guanjia_domain::case::EnterpriseCase>(id)
        .await?
        .state;
    let rating_no = case.ratings.keys().next_back().copied().unwrap_or(1);
    let called = on + Duration::days(1);
    runner
        .run(
            called,
            id,
            CaseCommand::RecordCallBack {
                rating_no,
                called_on: Some(called),
                confirmed: true,
                notes: "电话回访，情况属实".to_owned(),
            },
        )
        .await?;
    // One in three rectifications runs past the 15-working-day limit.
    let rectified = called + Duration::days(if rng.gen_bool(0.33) { 30 } else { 7 });
    runner
        .run(
            rectified,
            id,
            CaseCommand::RecordRectification {
                rating_no,
                rectified_on: Some(rectified),
                measures: "优化材料清单，专人跟办".to_owned(),
            },
        )
        .await?;
    let follow_up = CaseCommand::RateFollowUp {
        rating_no,
        rating: crate::runner::rating(4, Channel::Sms, rectified),
    };
    runner.run(rectified, id, follow_up).await.map(drop)
}

async fn complaint(
    runner: &mut Runner<'_>,
    rng: &mut StdRng,
    id: &str,
    on: NaiveDate,
    assignee: &str,
) -> Result<(), DemoError> {
    let lodge = CaseCommand::LodgeComplaint {
        channel: Channel::Hotline12345,
        content: "审批进度慢，多次补充材料".to_owned(),
        complainant: PersonInput::default(),
        lodged_on: Some(on),
    };
    runner.run(on, id, lodge).await?;
    let case = runner
        .store
        .load::<guanjia_domain::case::EnterpriseCase>(id)
        .await?
        .state;
    let complaint_no = case.complaints.keys().next_back().copied().unwrap_or(1);
    if rng.gen_bool(0.2) {
        let refer = CaseCommand::ReferComplaint {
            complaint_no,
            to_department: "自然资源局".to_owned(),
            reason: "属部门职权".to_owned(),
        };
        return runner.run(on, id, refer).await.map(drop);
    }
    runner
        .run(
            on,
            id,
            CaseCommand::AssignComplaint {
                complaint_no,
                assignee: assignee.to_owned(),
            },
        )
        .await?;
    let resolved = on + Duration::days(rng.gen_range(1..10));
    runner
        .run(
            resolved,
            id,
            CaseCommand::ResolveComplaint {
                complaint_no,
                answer: "已协调部门办理".to_owned(),
                resolved_on: Some(resolved),
                signed_off_by: None,
            },
        )
        .await
        .map(drop)
}

/// Closes about a third of the finished cases of an earlier year, and reopens one of them.
pub(crate) async fn closures(
    runner: &mut Runner<'_>,
    rng: &mut StdRng,
    cases: &[Generated],
) -> Result<(), DemoError> {
    let mut reopened = false;
    for case in cases.iter().filter(|c| !c.open_items) {
        if !rng.gen_bool(0.35) {
            continue;
        }
        let on = case.last_day + Duration::days(30);
        let close = CaseCommand::Close {
            reason: CloseReason::AllItemsConcluded,
            summary: "手续全部办结，转入常态化服务".to_owned(),
            closed_on: Some(on),
        };
        runner.run(on, &case.id, close).await?;
        if !reopened {
            reopened = true;
            let again = on + Duration::days(60);
            runner
                .run(
                    again,
                    &case.id,
                    CaseCommand::Reopen {
                        reason: "企业扩建二期，重新签约服务".to_owned(),
                        reopened_on: Some(again),
                    },
                )
                .await?;
        }
    }
    Ok(())
}

/// Work dated relative to `today`: three open items accepted 3, 8 and 14 working-ish days ago,
/// and two visits in the coming days.
pub(crate) async fn current(
    runner: &mut Runner<'_>,
    cases: &[Generated],
    today: NaiveDate,
) -> Result<(), DemoError> {
    let codes = ["610902-ZJ-001", "610902-SCJG-002", "610902-FGJ-001"];
    for ((case, code), ago) in cases.iter().rev().zip(codes).zip([3i64, 10, 20]) {
        let requested = today - Duration::days(ago + 1);
        runner.request(requested, &case.id, code).await?;
        let loaded = runner
            .store
            .load::<guanjia_domain::case::EnterpriseCase>(&case.id)
            .await?
            .state;
        let item_no = loaded.items.keys().next_back().copied().unwrap_or(1);
        let accepted = today - Duration::days(ago);
        runner
            .run(
                accepted,
                &case.id,
                CaseCommand::AcceptServiceItem {
                    item_no,
                    accepted_on: Some(accepted),
                    receipt_no: None,
                    use_statutory_limit: false,
                },
            )
            .await?;
    }
    // Something done within the current period itself, so that this year's dashboard is not
    // empty even when the generated years are past: a visit conducted a week ago, rated good,
    // on a case the lines above leave alone and whose last step came before it.
    let day = today - Duration::days(7);
    if let Some(case) = cases.iter().rev().skip(3).find(|c| c.last_day < day) {
        let schedule = CaseCommand::ScheduleVisit {
            scheduled_at: instant(day, 9),
            place: "企业现场".to_owned(),
            purpose: "回访项目进展".to_owned(),
            planned_participants: vec![],
        };
        runner.run(day, &case.id, schedule).await?;
        let loaded = runner
            .store
            .load::<guanjia_domain::case::EnterpriseCase>(&case.id)
            .await?
            .state;
        let visit_no = loaded.visits.keys().next_back().copied().unwrap_or(1);
        let conduct = CaseCommand::ConductVisit {
            visit_no,
            conducted_at: instant(day, 10),
            participants: vec!["项目管家".to_owned()],
            notes: "回访：项目按计划推进".to_owned(),
            issues_raised: vec![],
            follow_ups: vec![],
        };
        runner.run(day, &case.id, conduct).await?;
        runner
            .rate(
                day,
                &case.id,
                RatingTarget::Visit(visit_no),
                5,
                Channel::QrCode,
            )
            .await?;
    }
    for (case, ahead) in cases.iter().rev().zip([2i64, 5]) {
        let schedule = CaseCommand::ScheduleVisit {
            scheduled_at: instant(today + Duration::days(ahead), 9),
            place: "企业现场".to_owned(),
            purpose: "项目开工前走访".to_owned(),
            planned_participants: vec![],
        };
        runner.run(today, &case.id, schedule).await?;
    }
    Ok(())
}
