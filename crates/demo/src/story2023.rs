//! 2023 as the Hengkou report tells it: 12 enterprises signed, 9 on-site visits, 13 service
//! items handled (one of them a bundle of two), all rated good, and one complaint resolved.

use chrono::{Duration, NaiveDate};
use guanjia_app::CaseRegistration;
use guanjia_domain::case::commands::{
    EnterpriseInput, MilestoneInput, PersonInput, PlanInput, ProjectInput,
};
use guanjia_domain::case::events::BundleRef;
use guanjia_domain::case::model::{
    AgreementScope, Channel, HandlingMode, ItemOutcome, LeadSource, RatingTarget, Stage,
    SuspensionReason,
};
use guanjia_domain::case::CaseCommand;
use guanjia_domain::values::Uscc;

use crate::people::{AGENTS, STEWARDS, TOWNS};
use crate::runner::{instant, Runner};
use crate::DemoError;

/// (name, lead source, stage, town index, first item code, key project investment in 10k yuan)
type Enterprise = (
    &'static str,
    LeadSource,
    Stage,
    usize,
    &'static str,
    Option<i64>,
);

const ENTERPRISES: [Enterprise; 12] = [
    (
        "安康恒口新材料有限公司",
        LeadSource::InvestmentPromotion,
        Stage::Construction,
        0,
        "610902-ZRZY-001",
        Some(32_000),
    ),
    (
        "安康市月河富硒茶业有限公司",
        LeadSource::EnterpriseRequest,
        Stage::Operation,
        0,
        "610902-SCJG-002",
        None,
    ),
    (
        "陕西恒晟纺织科技有限公司",
        LeadSource::InvestmentPromotion,
        Stage::Construction,
        1,
        "610902-STHJ-001",
        None,
    ),
    (
        "安康恒口现代农业发展有限公司",
        LeadSource::TownVillageReport,
        Stage::Establishment,
        1,
        "610902-FGJ-001",
        Some(8_500),
    ),
    (
        "安康汉江绿色食品有限公司",
        LeadSource::EnterpriseRequest,
        Stage::Operation,
        2,
        "610902-STHJ-002",
        None,
    ),
    (
        "安康恒口物流园管理有限公司",
        LeadSource::InvestmentPromotion,
        Stage::Construction,
        0,
        "610902-ZRZY-002",
        None,
    ),
    (
        "陕西秦巴电子元件有限公司",
        LeadSource::InvestmentPromotion,
        Stage::Construction,
        2,
        "610902-ZJ-001",
        Some(15_000),
    ),
    (
        "安康五里魔芋制品有限公司",
        LeadSource::Hotline12345,
        Stage::Operation,
        2,
        "610902-SL-001",
        None,
    ),
    (
        "安康大同生态旅游开发有限公司",
        LeadSource::TownVillageReport,
        Stage::Establishment,
        1,
        "610902-ZRZY-003",
        None,
    ),
    (
        "安康恒口建材有限公司",
        LeadSource::EnterpriseRequest,
        Stage::Construction,
        0,
        "610902-ZJ-002",
        Some(6_000),
    ),
    (
        "安康市梅子铺丝绸有限公司",
        LeadSource::ComplaintWindow,
        Stage::Operation,
        0,
        "610902-SCJG-002",
        None,
    ),
    (
        "安康恒口智慧农业科技有限公司",
        LeadSource::EnterpriseRequest,
        Stage::Establishment,
        0,
        "",
        None,
    ),
];

/// Surnames of the enterprise contacts.
pub(crate) const SURNAMES: [&str; 12] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "吴", "周", "徐", "孙", "马",
];

fn day(month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, month, day).unwrap_or(NaiveDate::MIN)
}

/// A valid USCC for demo enterprise `index` in the demo district.
pub(crate) fn uscc(year: i32, index: usize) -> Result<String, DemoError> {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    let tail: String = [index / 31 % 31, index % 31]
        .iter()
        .map(|&i| char::from(ALPHABET[i]))
        .collect();
    let body = format!("91610902MA{}{:04}{tail}", year % 10, index % 10_000);
    Ok(Uscc::with_check_character(&body)
        .map_err(|e| DemoError::Data(format!("demo USCC {body}: {e}")))?
        .as_str()
        .to_owned())
}

/// Writes the year; returns the case ids in order.
pub(crate) async fn write(runner: &mut Runner<'_>) -> Result<Vec<String>, DemoError> {
    let mut cases = Vec::new();
    for (i, &(name, source, stage, town, code, investment)) in ENTERPRISES.iter().enumerate() {
        let registered = day(1 + (i as u32 * 9) / 11, 3 + i as u32);
        let signed = registered + Duration::days(4);
        let steward = &STEWARDS[i % STEWARDS.len()];
        let agent = &AGENTS[i % AGENTS.len()];
        let registration = CaseRegistration {
            enterprise: EnterpriseInput {
                name: name.to_owned(),
                // An enterprise still being established (设立) has no licence yet.
                uscc: (stage != Stage::Establishment)
                    .then(|| uscc(2023, i))
                    .transpose()?,
                division: TOWNS[town].0.to_owned(),
                address: Some(format!("{}工业园区{}号", TOWNS[town].1, 10 + i)),
                contact_name: Some(format!("{}经理", SURNAMES[i % SURNAMES.len()])),
                contact_phone: Some(format!("1389150{:04}", 1000 + i)),
            },
            lead_source: source,
            stage,
            registered_on: Some(registered),
            late_reason: None,
        };
        let id = runner.register(registered, registration).await?;
        let lead = CaseCommand::AssignLeadSteward {
            steward: steward.id.to_owned(),
            tier: steward.tier,
            reason: None,
        };
        runner.run(registered, &id, lead).await?;
        let member = CaseCommand::AddTeamMember {
            user_id: agent.id.to_owned(),
            role: "村级代办员".to_owned(),
            tier: agent.tier,
        };
        runner.run(registered, &id, member).await?;
        let sign = CaseCommand::SignAgreement {
            scope: if i % 3 == 0 {
                AgreementScope::Stage(stage)
            } else {
                AgreementScope::FullLifecycle
            },
            signed_on: signed,
            signatories: vec![format!("{}法定代表人", name), steward.name.to_owned()],
        };
        runner.run(signed, &id, sign).await?;
        let plan = PlanInput {
            text: format!(
                "一企一策：{name}，由{}牵头全程代办，{}协助。",
                steward.name, agent.name
            ),
            planned_items: if code.is_empty() {
                vec![]
            } else {
                vec![code.to_owned()]
            },
            milestones: vec![MilestoneInput {
                name: "手续办结".to_owned(),
                due_on: signed + Duration::days(60),
            }],
        };
        runner
            .run(signed, &id, CaseCommand::AdoptPlan { plan })
            .await?;
        if let Some(wan) = investment {
            let project = ProjectInput {
                code: format!("2023-610902-{:02}-03-{:06}", 20 + i, 100 + i),
                name: format!("{name}建设项目"),
                investment_yuan: wan * 10_000,
                key_project: true,
                list_year: Some(2023),
            };
            runner
                .run(signed, &id, CaseCommand::AddProject { project })
                .await?;
        }
        cases.push(id);
    }
    visits(runner, &cases).await?;
    items(runner, &cases).await?;
    complaint(runner, &cases[5]).await?;
    Ok(cases)
}

/// Nine on-site visits (一次一评): the first nine enterprises, each rated good.
async fn visits(runner: &mut Runner<'_>, cases: &[String]) -> Result<(), DemoError> {
    for (i, id) in cases.iter().take(9).enumerate() {
        let on = day(2 + (i as u32 * 9) / 10, 20);
        let schedule = CaseCommand::ScheduleVisit {
            scheduled_at: instant(on, 9),
            place: "企业生产现场".to_owned(),
            purpose: "了解项目进展，梳理待办手续".to_owned(),
            planned_participants: vec![STEWARDS[i % STEWARDS.len()].name.to_owned()],
        };
        runner.run(on - Duration::days(5), id, schedule).await?;
        let conduct = CaseCommand::ConductVisit {
            visit_no: 1,
            conducted_at: instant(on, 9),
            participants: vec![
                STEWARDS[i % STEWARDS.len()].name.to_owned(),
                "企业负责人".to_owned(),
            ],
            notes: "现场查看，企业反映审批材料准备困难".to_owned(),
            issues_raised: vec!["材料清单不清楚".to_owned()],
            follow_ups: vec!["代办员整理材料清单".to_owned()],
        };
        runner.run(on, id, conduct).await?;
        let level = if i % 3 == 0 { 4 } else { 5 };
        runner
            .rate(
                on + Duration::days(1),
                id,
                RatingTarget::Visit(1),
                level,
                Channel::QrCode,
            )
            .await?;
    }
    Ok(())
}

/// Thirteen service items: one each for eleven enterprises, and the 开办企业 bundle (two items)
/// for the twelfth. All concluded within their promised limit and rated good.
async fn items(runner: &mut Runner<'_>, cases: &[String]) -> Result<(), DemoError> {
    for (i, id) in cases.iter().enumerate().take(11) {
        let requested = day(3 + (i as u32 * 8) / 10, 6);
        runner.request(requested, id, ENTERPRISES[i].4).await?;
        finish(runner, id, 1, requested, i == 2).await?;
    }
    let id = &cases[11];
    let bundle = runner
        .store
        .load::<guanjia_domain::catalog::ServiceCatalog>(
            guanjia_domain::catalog::DEFAULT_CATALOG_ID,
        )
        .await?
        .state;
    let facts = bundle
        .current_bundle("YJS-KBQY")
        .ok_or_else(|| DemoError::Data("bundle YJS-KBQY is missing".to_owned()))?;
    let requested = day(11, 6);
    let command = CaseCommand::RequestBundle {
        bundle: BundleRef {
            code: facts.code.clone(),
            version: facts.version,
            name: facts.name.clone(),
        },
        items: facts.items.clone(),
        mode: HandlingMode::Proxy,
        requested_on: Some(requested),
    };
    runner.run(requested, id, command).await?;
    finish(runner, id, 1, requested, false).await?;
    finish(runner, id, 2, requested, false).await
}

/// Accepts, (optionally suspends for 补正), concludes as granted and rates item `item_no`.
async fn finish(
    runner: &mut Runner<'_>,
    id: &str,
    item_no: u32,
    requested: NaiveDate,
    correction: bool,
) -> Result<(), DemoError> {
    let accepted = requested + Duration::days(1);
    let accept = CaseCommand::AcceptServiceItem {
        item_no,
        accepted_on: Some(accepted),
        receipt_no: Some(format!("SL{}", accepted.format("%Y%m%d"))),
        use_statutory_limit: false,
    };
    runner.run(accepted, id, accept).await?;
    let mut concluded = accepted + Duration::days(1);
    if correction {
        let suspend = CaseCommand::SuspendServiceItem {
            item_no,
            reason: SuspensionReason::Correction,
            suspended_on: Some(concluded),
            note: Some("补正环评公示材料".to_owned()),
        };
        runner.run(concluded, id, suspend).await?;
        concluded += Duration::days(3);
        runner
            .run(
                concluded,
                id,
                CaseCommand::ResumeServiceItem {
                    item_no,
                    resumed_on: Some(concluded),
                },
            )
            .await?;
        concluded += Duration::days(1);
    }
    let conclude = CaseCommand::ConcludeServiceItem {
        item_no,
        outcome: ItemOutcome::Granted,
        concluded_on: Some(concluded),
        result_reference: Some(format!("许可字〔2023〕{:03}号", item_no + 100)),
        materials_submitted: 4,
        onsite_trips: 0,
    };
    runner.run(concluded, id, conclude).await?;
    runner
        .rate(
            concluded + Duration::days(1),
            id,
            RatingTarget::Item(item_no),
            5,
            Channel::Sms,
        )
        .await
}

/// The one 办不成事 complaint of the year, resolved.
async fn complaint(runner: &mut Runner<'_>, id: &str) -> Result<(), DemoError> {
    let lodged = day(8, 14);
    let lodge = CaseCommand::LodgeComplaint {
        channel: Channel::Hotline12345,
        content: "物流园临时用电报装迟迟未办理".to_owned(),
        complainant: PersonInput {
            name: Some("周先生".to_owned()),
            phone: Some("13991501234".to_owned()),
        },
        lodged_on: Some(lodged),
    };
    runner.run(lodged, id, lodge).await?;
    runner
        .run(
            lodged,
            id,
            CaseCommand::AssignComplaint {
                complaint_no: 1,
                assignee: STEWARDS[1].id.to_owned(),
            },
        )
        .await?;
    let resolve = CaseCommand::ResolveComplaint {
        complaint_no: 1,
        answer: "协调供电公司三日内完成报装".to_owned(),
        resolved_on: Some(lodged + Duration::days(3)),
        signed_off_by: None,
    };
    runner
        .run(lodged + Duration::days(3), id, resolve)
        .await
        .map(drop)
}
