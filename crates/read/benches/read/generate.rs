//! The data generator: realistic case histories from a fixed seed, written as events directly
//! (commands would take hours for 100,000 cases; `crates/demo` is the slow, checked way).
//!
//! Every case has its own random stream, seeded from the run's seed and the case's index, so
//! case `i` is the same whatever else is generated and the measuring process can rebuild any
//! case (its id, USCC, lead steward) without the whole log.
//!
//! A case is a small discrete-event simulation: each step (sign, visit, request, accept,
//! conclude, rate, call back, …) runs at its own time and schedules the steps that follow it.
//! Steps run in time order, so the numbers the domain hands out in order (visit, item, rating,
//! complaint and note numbers) come out in order too, and the events of a case are recorded at
//! strictly increasing instants. The simulation stops at "now": what lies later has not
//! happened yet, which leaves recent cases with running items, upcoming visits and bad ratings
//! awaiting their call-back.
//!
//! Case numbers are `YYYY-NNNN` with at most 9,999 a year and are unique, so cases are
//! registered over as many years as that takes, ending in the year of "today": 2023–2025 for
//! 10,000 cases, 2015–2025 for 100,000.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc, Weekday};
use guanjia_domain::calendar::WorkCalendar;
use guanjia_domain::case::events::BundleRef;
use guanjia_domain::case::model::{
    AgreementScope, Channel, CloseReason, DimensionScores, DimensionSet, Enterprise, HandlingMode,
    ItemOutcome, LeadSource, Milestone, Person, PlanContent, ProjectDetails, RatingTarget, Stage,
    SuspensionReason, TeamMember,
};
use guanjia_domain::case::CaseEvent;
use guanjia_domain::catalog::{
    BundleSpec, CatalogEvent, CatalogItemFacts, CatalogItemSpec, ItemType,
};
use guanjia_domain::clock::china_offset;
use guanjia_domain::values::{
    CaseNumber, DivisionCode, Money, Phone, ProjectCode, RatingLevel, Tier, Uscc,
};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// The most case numbers one year's book can issue.
const PER_YEAR_MAX: usize = 9_999;
/// One lead steward per this many cases of a town (over all the years).
const CASES_PER_STEWARD: usize = 400;

/// (implementation code, basic code, name, type, department, statutory days, promised days,
/// materials, on-site trips): the demo's catalog (crates/demo/src/catalog.rs).
type ItemRow = (
    &'static str,
    &'static str,
    &'static str,
    ItemType,
    &'static str,
    u32,
    u32,
    &'static [&'static str],
    u32,
);

const ITEMS: &[ItemRow] = &[
    (
        "610902-SCJG-001",
        "000101001000",
        "企业设立登记",
        ItemType::AdministrativeLicence,
        "市场监督管理局",
        15,
        3,
        &["设立登记申请书", "公司章程", "股东身份证明", "住所使用证明"],
        0,
    ),
    (
        "610902-ZRZY-001",
        "000172002000",
        "建设项目用地预审与选址意见书核发",
        ItemType::AdministrativeLicence,
        "自然资源局",
        20,
        12,
        &["申请表", "项目建议书", "用地红线图", "土地利用现状图"],
        1,
    ),
    (
        "610902-ZRZY-002",
        "000172003000",
        "建设用地规划许可证核发",
        ItemType::AdministrativeLicence,
        "自然资源局",
        20,
        10,
        &["申请表", "用地预审意见", "规划条件", "宗地图"],
        1,
    ),
    (
        "610902-ZRZY-003",
        "000172004000",
        "建设工程规划许可证核发",
        ItemType::AdministrativeLicence,
        "自然资源局",
        20,
        10,
        &["申请表", "设计方案", "总平面图", "土地证明"],
        1,
    ),
    (
        "610902-ZJ-001",
        "000179001000",
        "建筑工程施工许可证核发",
        ItemType::AdministrativeLicence,
        "住房和城乡建设局",
        15,
        5,
        &["申请表", "规划许可证", "施工合同", "质量安全监督手续"],
        1,
    ),
    (
        "610902-ZJ-002",
        "000179005000",
        "建设工程消防设计审查",
        ItemType::AdministrativeLicence,
        "住房和城乡建设局",
        15,
        10,
        &["申请表", "消防设计文件", "设计单位资质"],
        0,
    ),
    (
        "610902-STHJ-001",
        "000176001000",
        "建设项目环境影响报告表审批",
        ItemType::AdministrativeLicence,
        "生态环境分局",
        30,
        15,
        &["申请书", "环境影响报告表", "公示证明"],
        1,
    ),
    (
        "610902-STHJ-002",
        "000176003000",
        "排污许可证核发",
        ItemType::AdministrativeLicence,
        "生态环境分局",
        20,
        15,
        &["申请表", "自行监测方案", "排污口信息"],
        0,
    ),
    (
        "610902-SL-001",
        "000173001000",
        "取水许可",
        ItemType::AdministrativeLicence,
        "水利局",
        45,
        20,
        &["申请书", "水资源论证报告", "取水工程设计"],
        1,
    ),
    (
        "610902-SCJG-002",
        "000101015000",
        "食品经营许可证核发",
        ItemType::AdministrativeLicence,
        "市场监督管理局",
        20,
        5,
        &["申请书", "营业执照", "经营场所平面图", "食品安全管理制度"],
        1,
    ),
    (
        "610902-FGJ-001",
        "000140001000",
        "企业投资项目备案",
        ItemType::AdministrativeFiling,
        "发展和改革局",
        3,
        1,
        &["项目备案信息表"],
        0,
    ),
    (
        "610902-RS-001",
        "000186003000",
        "社会保险登记",
        ItemType::PublicService,
        "人力资源和社会保障局",
        5,
        1,
        &["社会保险登记表", "营业执照"],
        0,
    ),
];

// Indexes into ITEMS.
const SETUP: usize = 0;
const LAND_PRE: usize = 1;
const LAND_PLAN: usize = 2;
const WORKS_PLAN: usize = 3;
const BUILD: usize = 4;
const FIRE: usize = 5;
const EIA: usize = 6;
const DISCHARGE: usize = 7;
const WATER: usize = 8;
const FOOD: usize = 9;
const FILING: usize = 10;
const SOCIAL: usize = 11;

/// Towns of 汉滨区 (610902): short name, pinyin (for user ids), weight. The 恒口 demonstration
/// zone gets the most enterprises.
const TOWNS: &[(&str, &str, u32)] = &[
    ("恒口", "hengkou", 30),
    ("大同", "datong", 8),
    ("五里", "wuli", 8),
    ("关庙", "guanmiao", 7),
    ("张滩", "zhangtan", 7),
    ("瀛湖", "yinghu", 6),
    ("流水", "liushui", 6),
    ("大河", "dahe", 6),
    ("晏坝", "yanba", 5),
    ("谭坝", "tanba", 5),
    ("县河", "xianhe", 6),
    ("吉河", "jihe", 6),
];
const VILLAGE_NAMES: &[&str] = &[
    "月河村",
    "梅子铺村",
    "长岭村",
    "新民村",
    "双桥村",
    "红星村",
    "青山村",
    "民主村",
];
/// 字号: the trade names of the enterprises.
const TRADES: &[&str] = &[
    "鑫达", "华盛", "秦巴", "汉江", "瑞丰", "金硒", "恒通", "宏远", "兴业", "盛源", "安泰", "天润",
    "新辰", "佳禾", "绿源", "嘉信", "博远", "润康", "永兴", "富民", "泰和", "万通", "德隆", "凤凰",
    "龙腾", "长青", "鼎盛", "祥瑞", "明远", "同创", "众合", "聚丰", "弘基", "锦程", "晟达", "茗香",
];
/// Industries: name and the 2-digit industry part of a project code.
const INDUSTRIES: &[(&str, &str)] = &[
    ("新材料", "30"),
    ("富硒食品", "14"),
    ("纺织", "17"),
    ("电子", "39"),
    ("物流", "59"),
    ("生态农业", "01"),
    ("建材", "30"),
    ("文旅", "88"),
    ("茶业", "15"),
    ("医药", "27"),
    ("机械", "34"),
    ("新能源", "44"),
];
const SUFFIXES: &[&str] = &["有限公司", "有限责任公司", "股份有限公司", "科技有限公司"];
const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "吴", "周", "徐", "孙", "马", "胡", "郭", "何", "罗",
];
const GIVEN: &[&str] = &[
    "磊", "敏", "洋", "芳", "静", "浩", "伟", "娜", "军", "霞", "涛", "丽", "强", "艳", "斌", "婷",
];
const SOURCES: [LeadSource; 5] = [
    LeadSource::InvestmentPromotion,
    LeadSource::EnterpriseRequest,
    LeadSource::TownVillageReport,
    LeadSource::Hotline12345,
    LeadSource::ComplaintWindow,
];

/// Who acted, as written in the event's metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub id: String,
    pub role: &'static str,
    pub channel: &'static str,
}

/// One event of a case, with when and by whom it was recorded.
#[derive(Debug, Clone)]
pub struct Timed {
    pub at: DateTime<Utc>,
    /// Index into [`Generator::actors`].
    pub actor: u32,
    pub event: CaseEvent,
}

/// A generated case: its keys and its events up to "now", in order.
#[derive(Debug, Clone)]
pub struct GeneratedCase {
    pub id: String,
    /// The USCC as of now (an enterprise in 设立 gets one when its licence is granted).
    pub uscc: Option<Uscc>,
    pub events: Vec<Timed>,
}

struct Town {
    name: &'static str,
    code: String,
    weight: u32,
    villages: Vec<String>,
    /// Actor indexes.
    leads: Vec<u32>,
    agents: Vec<u32>,
}

/// The generator of one data set: the places, the people and the rules of a case's life.
pub struct Generator {
    pub seed: u64,
    pub cases: usize,
    pub first_year: i32,
    per_year: usize,
    pub today: NaiveDate,
    now: DateTime<Utc>,
    towns: Vec<Town>,
    total_weight: u32,
    district_leads: Vec<u32>,
    liaisons: Vec<u32>,
    public: u32,
    leader: u32,
    /// Everyone who acts; events refer to them by index.
    pub actors: Vec<Actor>,
    /// Display names of the actors (signatories, participants).
    names: Vec<String>,
    facts: Vec<CatalogItemFacts>,
    calendar: WorkCalendar,
}

impl Generator {
    pub fn new(cases: usize, seed: u64, today: NaiveDate) -> anyhow::Result<Self> {
        anyhow::ensure!(cases > 0, "no cases to generate");
        let years = cases.div_ceil(PER_YEAR_MAX).max(3);
        let first_year = today.year() - i32::try_from(years)? + 1;
        anyhow::ensure!(first_year >= 2005, "{cases} cases need too many years");
        let per_year = cases.div_ceil(years);
        let mut actors = Vec::new();
        let mut names = Vec::new();
        let mut add = |id: String, role: &'static str, channel: &'static str| -> u32 {
            let index = actors.len();
            let name = format!(
                "{}{}",
                SURNAMES[index % SURNAMES.len()],
                GIVEN[(index / SURNAMES.len() + index) % GIVEN.len()]
            );
            actors.push(Actor { id, role, channel });
            names.push(name);
            u32::try_from(index).unwrap_or(u32::MAX)
        };
        let total_weight: u32 = TOWNS.iter().map(|t| t.2).sum();
        let mut towns = Vec::new();
        for (t, &(name, pinyin, weight)) in TOWNS.iter().enumerate() {
            let code = format!("610902{:03}000", 100 + t);
            let villages: Vec<String> = (0..6)
                .map(|v| format!("{}{:03}", &code[..9], 201 + v))
                .collect();
            let share = cases * weight as usize / total_weight as usize;
            let leads = (0..(share / CASES_PER_STEWARD).max(2))
                .map(|k| add(format!("{pinyin}.{:02}", k + 1), "steward", "graphql"))
                .collect();
            let agents = (0..villages.len())
                .map(|v| add(format!("{pinyin}.v{:02}", v + 1), "steward", "graphql"))
                .collect();
            towns.push(Town {
                name,
                code,
                weight,
                villages,
                leads,
                agents,
            });
        }
        let district_leads = (0..(cases / 5_000).max(2))
            .map(|k| add(format!("district.{:02}", k + 1), "steward", "graphql"))
            .collect();
        let liaisons = (0..12)
            .map(|k| add(format!("liaison.{:02}", k + 1), "steward", "graphql"))
            .collect();
        let public = add("rating-link".to_owned(), "public", "rating_link");
        let leader = add("leader.zhang".to_owned(), "leader", "graphql");
        let facts = ITEMS
            .iter()
            .map(
                |&(
                    code,
                    basic,
                    name,
                    item_type,
                    department,
                    statutory,
                    promised,
                    materials,
                    trips,
                )| {
                    CatalogItemFacts {
                        implementation_code: code.to_owned(),
                        basic_code: basic.to_owned(),
                        version: 1,
                        name: name.to_owned(),
                        item_type,
                        department: department.to_owned(),
                        statutory_limit_days: statutory,
                        promised_limit_days: promised,
                        required_materials_count: u32::try_from(materials.len()).unwrap_or(0),
                        onsite_trips: trips,
                    }
                },
            )
            .collect();
        Ok(Self {
            seed,
            cases,
            first_year,
            per_year,
            today,
            now: instant(today, 18, 0),
            towns,
            total_weight,
            district_leads,
            liaisons,
            public,
            leader,
            actors,
            names,
            facts,
            calendar: WorkCalendar::china(),
        })
    }

    /// The last year of registrations.
    pub fn last_year(&self) -> i32 {
        self.today.year()
    }

    /// The user ids of a town's lead stewards (town 0 is 恒口).
    pub fn town_leads(&self, town: usize) -> Vec<String> {
        self.towns[town]
            .leads
            .iter()
            .map(|a| self.actors[*a as usize].id.clone())
            .collect()
    }

    /// The division code of a town.
    pub fn town_code(&self, town: usize) -> &str {
        &self.towns[town].code
    }

    /// The catalog as published at the start of the log.
    pub fn catalog_events(&self) -> Vec<CatalogEvent> {
        let mut events: Vec<CatalogEvent> = ITEMS
            .iter()
            .map(
                |&(
                    code,
                    basic,
                    name,
                    item_type,
                    department,
                    statutory,
                    promised,
                    materials,
                    trips,
                )| {
                    CatalogEvent::ItemPublished {
                        spec: CatalogItemSpec {
                            basic_code: basic.to_owned(),
                            implementation_code: code.to_owned(),
                            name: name.to_owned(),
                            item_type,
                            department: department.to_owned(),
                            statutory_limit_days: statutory,
                            promised_limit_days: promised,
                            required_materials: materials.iter().map(|m| (*m).to_owned()).collect(),
                            onsite_trips: trips,
                        },
                        version: 1,
                    }
                },
            )
            .collect();
        for (code, name, items) in [
            ("YJS-KBQY", "开办企业一件事", vec![SETUP, SOCIAL]),
            (
                "YJS-GCJS",
                "工程建设项目开工一件事",
                vec![WORKS_PLAN, FIRE, BUILD],
            ),
        ] {
            events.push(CatalogEvent::BundleDefined {
                spec: BundleSpec {
                    code: code.to_owned(),
                    name: name.to_owned(),
                    item_codes: items.iter().map(|i| ITEMS[*i].0.to_owned()).collect(),
                },
                version: 1,
            });
        }
        events
    }

    /// When the catalog was published: before the first registration.
    pub fn catalog_at(&self) -> DateTime<Utc> {
        instant(date(self.first_year, 1, 2), 9, 0)
    }

    /// The one actor catalog events are recorded by.
    pub fn catalog_actor(&self) -> u32 {
        self.leader
    }

    /// Case `i` (0-based) with its events up to now.
    pub fn case(&self, i: usize) -> anyhow::Result<GeneratedCase> {
        let mut rng = StdRng::seed_from_u64(mix(self.seed, i as u64));
        let year = self.first_year + i32::try_from(i / self.per_year)?;
        let in_year = i % self.per_year;
        let number = CaseNumber::new(year, u32::try_from(in_year + 1)?)?;
        let offset = (in_year * 340 / self.per_year) as i64 + rng.gen_range(0..3);
        let registered = weekday(date(year, 1, 4) + Duration::days(offset));
        let town = self.pick_town(&mut rng);
        let id = uuid_text(&mut rng);
        let sim = Sim::new(self, rng, i, town, registered, number);
        let (events, uscc) = sim.run()?;
        Ok(GeneratedCase { id, uscc, events })
    }

    fn pick_town(&self, rng: &mut StdRng) -> usize {
        let mut roll = rng.gen_range(0..self.total_weight);
        for (index, town) in self.towns.iter().enumerate() {
            if roll < town.weight {
                return index;
            }
            roll -= town.weight;
        }
        0
    }

    fn facts(&self, item: usize) -> CatalogItemFacts {
        self.facts[item].clone()
    }
}

/// What a step of the simulation does.
#[derive(Debug, Clone)]
enum Step {
    Sign,
    ScheduleVisit {
        on: NaiveDate,
    },
    ConductVisit {
        visit_no: u32,
    },
    CancelVisit {
        visit_no: u32,
    },
    Request {
        items: Vec<usize>,
        bundle: Option<usize>,
    },
    Accept {
        item_no: u32,
        item: usize,
    },
    Reject {
        item_no: u32,
    },
    Suspend {
        item_no: u32,
        item: usize,
        left: u32,
    },
    Resume {
        item_no: u32,
        item: usize,
        left: u32,
    },
    Extend {
        item_no: u32,
    },
    Conclude {
        item_no: u32,
        item: usize,
    },
    Rate {
        target: RatingTarget,
        follow_up_of: Option<u32>,
        level: Option<u8>,
    },
    CallBack {
        rating_no: u32,
    },
    Rectify {
        rating_no: u32,
        target: RatingTarget,
    },
    Appeal {
        rating_no: u32,
    },
    Review {
        rating_no: u32,
    },
    Lodge,
    AssignComplaint {
        complaint_no: u32,
    },
    Resolve {
        complaint_no: u32,
    },
    Note,
    RevisePlan,
    ReplaceLead,
    AdvanceStage {
        to: Stage,
    },
}

/// One case's life being simulated.
struct Sim<'g> {
    g: &'g Generator,
    rng: StdRng,
    index: usize,
    town: usize,
    registered: NaiveDate,
    number: CaseNumber,
    stage: Stage,
    uscc: Option<Uscc>,
    contact: String,
    lead: u32,
    agent: Option<u32>,
    queue: BinaryHeap<Reverse<(DateTime<Utc>, u32, usize)>>,
    steps: Vec<Step>,
    events: Vec<Timed>,
    last: DateTime<Utc>,
    visits: u32,
    items: u32,
    ratings: u32,
    complaints: u32,
    notes: u32,
    plans: u32,
    /// Bad ratings and what they rate, for the rectification's follow-up rating.
    rated: Vec<(u32, RatingTarget)>,
}

impl<'g> Sim<'g> {
    fn new(
        g: &'g Generator,
        mut rng: StdRng,
        index: usize,
        town: usize,
        registered: NaiveDate,
        number: CaseNumber,
    ) -> Self {
        let stage = match rng.gen_range(0..100) {
            0..=34 => Stage::Establishment,
            35..=74 => Stage::Construction,
            _ => Stage::Operation,
        };
        let lead = if rng.gen_bool(0.15) {
            g.district_leads[rng.gen_range(0..g.district_leads.len())]
        } else {
            let leads = &g.towns[town].leads;
            leads[rng.gen_range(0..leads.len())]
        };
        let contact = format!(
            "{}{}",
            SURNAMES[rng.gen_range(0..SURNAMES.len())],
            ["经理", "总", "主任", "董事长"][rng.gen_range(0..4)]
        );
        Self {
            g,
            rng,
            index,
            town,
            registered,
            number,
            stage,
            uscc: None,
            contact,
            lead,
            agent: None,
            queue: BinaryHeap::new(),
            steps: Vec::new(),
            events: Vec::new(),
            last: DateTime::<Utc>::MIN_UTC,
            visits: 0,
            items: 0,
            ratings: 0,
            complaints: 0,
            notes: 0,
            plans: 0,
            rated: Vec::new(),
        }
    }

    fn run(mut self) -> anyhow::Result<(Vec<Timed>, Option<Uscc>)> {
        let registered = self.registered;
        if instant(registered, 9, 0) > self.g.now {
            return Ok((Vec::new(), None));
        }
        self.register(registered)?;
        let sign_on = weekday(registered + Duration::days(self.rng.gen_range(2..10)));
        self.schedule(sign_on, Step::Sign);
        while let Some(Reverse((at, _, slot))) = self.queue.pop() {
            if at > self.g.now {
                // Not yet happened; nothing after it has either.
                return Ok((self.events, self.uscc));
            }
            let step = std::mem::replace(&mut self.steps[slot], Step::Note);
            self.step(at, step)?;
        }
        self.finish()?;
        Ok((self.events, self.uscc))
    }

    /// Records an event at `at` (or just after the previous one).
    fn record(&mut self, at: DateTime<Utc>, actor: u32, event: CaseEvent) {
        let at = at.max(self.last + Duration::minutes(1));
        if at > self.g.now {
            return;
        }
        self.last = at;
        self.events.push(Timed { at, actor, event });
    }

    fn schedule(&mut self, on: NaiveDate, step: Step) {
        let at = instant(on, self.rng.gen_range(9..17), self.rng.gen_range(0..60));
        self.schedule_at(at, step);
    }

    fn schedule_at(&mut self, at: DateTime<Utc>, step: Step) {
        let slot = self.steps.len();
        self.steps.push(step);
        let order = u32::try_from(slot).unwrap_or(u32::MAX);
        self.queue.push(Reverse((at, order, slot)));
    }

    fn name(&self, actor: u32) -> String {
        self.g.names[actor as usize].clone()
    }

    fn register(&mut self, on: NaiveDate) -> anyhow::Result<()> {
        let g = self.g;
        let town = &g.towns[self.town];
        let village = self
            .rng
            .gen_bool(0.55)
            .then(|| self.rng.gen_range(0..town.villages.len()));
        let division = village.map_or(town.code.as_str(), |v| town.villages[v].as_str());
        let trade = TRADES[self.rng.gen_range(0..TRADES.len())];
        let (industry, _) = INDUSTRIES[self.rng.gen_range(0..INDUSTRIES.len())];
        let suffix = SUFFIXES[self.rng.gen_range(0..SUFFIXES.len())];
        let name = format!("安康{}{trade}{industry}{suffix}", town.name);
        let uscc = uscc_of(self.index)?;
        self.uscc = (self.stage != Stage::Establishment).then_some(uscc);
        let phone = format!(
            "1{}{:09}",
            self.rng.gen_range(3..10),
            self.rng.gen_range(0..1_000_000_000u32)
        );
        let address = format!(
            "{}镇{}{}号",
            town.name,
            village.map_or("工业园区", |v| VILLAGE_NAMES[v % VILLAGE_NAMES.len()]),
            self.rng.gen_range(1..300)
        );
        let at = instant(on, self.rng.gen_range(9..12), self.rng.gen_range(0..60));
        let lead = self.lead;
        let lead_source = SOURCES[self.rng.gen_range(0..SOURCES.len())];
        self.record(
            at,
            lead,
            CaseEvent::CaseRegistered {
                case_number: self.number,
                enterprise: Enterprise {
                    name,
                    uscc: self.uscc.clone(),
                    division: DivisionCode::parse(division)?,
                    address: Some(address),
                    contact_name: Some(self.contact.clone()),
                    contact_phone: Some(Phone::parse(&phone)?),
                },
                lead_source,
                stage: self.stage,
                registered_on: on,
            },
        );
        let tier = if g.district_leads.contains(&lead) {
            Tier::District
        } else {
            Tier::Town
        };
        self.record(
            at,
            lead,
            CaseEvent::LeadStewardAssigned {
                steward: g.actors[lead as usize].id.clone(),
                tier,
            },
        );
        if let Some(v) = village {
            if self.rng.gen_bool(0.8) {
                let agent = town.agents[v];
                self.agent = Some(agent);
                self.record(
                    at,
                    lead,
                    CaseEvent::TeamMemberAdded {
                        member: TeamMember {
                            user_id: g.actors[agent as usize].id.clone(),
                            role: "村级代办员".to_owned(),
                            tier: Tier::Village,
                        },
                    },
                );
            }
        }
        if self.rng.gen_bool(0.3) {
            let liaison = g.liaisons[self.rng.gen_range(0..g.liaisons.len())];
            self.record(
                at,
                lead,
                CaseEvent::TeamMemberAdded {
                    member: TeamMember {
                        user_id: g.actors[liaison as usize].id.clone(),
                        role: "部门联络员".to_owned(),
                        tier: Tier::District,
                    },
                },
            );
        }
        Ok(())
    }

    /// The items this case will ask for, as requests (one item, or a bundle of several).
    fn wanted_items(&mut self) -> Vec<(Vec<usize>, Option<usize>)> {
        let rng = &mut self.rng;
        let mut requests = Vec::new();
        match self.stage {
            Stage::Establishment => {
                if rng.gen_bool(0.6) {
                    requests.push((vec![SETUP, SOCIAL], Some(0)));
                } else {
                    requests.push((vec![SETUP], None));
                }
                if rng.gen_bool(0.3) {
                    requests.push((vec![FILING], None));
                }
            }
            Stage::Construction => {
                let pool = [FILING, LAND_PRE, LAND_PLAN, EIA, WATER];
                for _ in 0..rng.gen_range(1..=2) {
                    requests.push((vec![pool[rng.gen_range(0..pool.len())]], None));
                }
                if rng.gen_bool(0.3) {
                    requests.push((vec![WORKS_PLAN, FIRE, BUILD], Some(1)));
                } else if rng.gen_bool(0.4) {
                    requests.push((vec![BUILD], None));
                }
            }
            Stage::Operation => {
                let pool = [FOOD, DISCHARGE, WATER, SOCIAL, FILING];
                for _ in 0..rng.gen_range(1..=2) {
                    requests.push((vec![pool[rng.gen_range(0..pool.len())]], None));
                }
            }
        }
        requests
    }

    fn step(&mut self, at: DateTime<Utc>, step: Step) -> anyhow::Result<()> {
        let on = at.with_timezone(&china_offset()).date_naive();
        let lead = self.lead;
        match step {
            Step::Sign => self.sign(at, on)?,
            Step::ScheduleVisit { on: visit_on } => {
                self.visits += 1;
                let visit_no = self.visits;
                let mut planned = vec![self.g.actors[lead as usize].id.clone()];
                if let Some(agent) = self.agent {
                    planned.push(self.g.actors[agent as usize].id.clone());
                }
                let purpose = [
                    "走访问需，了解项目进展",
                    "协调用地和规划手续",
                    "现场查看施工准备情况",
                    "政策宣讲与诉求收集",
                ][self.rng.gen_range(0..4)];
                self.record(
                    at,
                    lead,
                    CaseEvent::VisitScheduled {
                        visit_no,
                        scheduled_at: instant(visit_on, 9, 30),
                        place: "企业现场".to_owned(),
                        purpose: purpose.to_owned(),
                        planned_participants: planned,
                    },
                );
                let next = if self.rng.gen_bool(0.04) {
                    Step::CancelVisit { visit_no }
                } else {
                    Step::ConductVisit { visit_no }
                };
                let when = instant(visit_on, 10, self.rng.gen_range(0..50));
                self.schedule_at(when, next);
            }
            Step::ConductVisit { visit_no } => {
                let mut participants = vec![self.name(lead), self.contact.clone()];
                if let Some(agent) = self.agent {
                    participants.push(self.name(agent));
                }
                let issues = match self.rng.gen_range(0..4) {
                    0 => vec![],
                    1 => vec!["用地指标紧张".to_owned()],
                    2 => vec!["施工许可材料不全".to_owned(), "临时用电未落实".to_owned()],
                    _ => vec!["融资需求".to_owned()],
                };
                let follow_ups = issues
                    .iter()
                    .map(|issue| format!("协调相关部门解决：{issue}"))
                    .collect();
                self.record(
                    at,
                    lead,
                    CaseEvent::VisitConducted {
                        visit_no,
                        conducted_at: at,
                        participants,
                        notes: "走访记录：企业反映手续进展总体顺利，管家现场答疑并记录诉求，\
                                下一步协调部门加快办理。"
                            .to_owned(),
                        issues_raised: issues,
                        follow_ups,
                    },
                );
                if self.rng.gen_bool(0.8) {
                    let when = at + Duration::hours(self.rng.gen_range(1..30));
                    self.schedule_at(
                        when,
                        Step::Rate {
                            target: RatingTarget::Visit(visit_no),
                            follow_up_of: None,
                            level: None,
                        },
                    );
                }
            }
            Step::CancelVisit { visit_no } => self.record(
                at,
                lead,
                CaseEvent::VisitCancelled {
                    visit_no,
                    reason: "企业负责人临时外出，改期走访".to_owned(),
                },
            ),
            Step::Request { items, bundle } => {
                let bundle = bundle.map(|b| BundleRef {
                    code: ["YJS-KBQY", "YJS-GCJS"][b].to_owned(),
                    version: 1,
                    name: ["开办企业一件事", "工程建设项目开工一件事"][b].to_owned(),
                });
                let mode = if self.rng.gen_bool(0.7) {
                    HandlingMode::Proxy
                } else {
                    HandlingMode::Assisted
                };
                for item in items {
                    self.items += 1;
                    let item_no = self.items;
                    self.record(
                        at,
                        lead,
                        CaseEvent::ServiceItemRequested {
                            item_no,
                            catalog: self.g.facts(item),
                            bundle: bundle.clone(),
                            mode,
                            requested_on: on,
                        },
                    );
                    let decide = weekday(on + Duration::days(self.rng.gen_range(0..3)));
                    let next = if self.rng.gen_bool(0.04) {
                        Step::Reject { item_no }
                    } else {
                        Step::Accept { item_no, item }
                    };
                    self.schedule(decide, next);
                }
            }
            Step::Reject { item_no } => self.record(
                at,
                lead,
                CaseEvent::ServiceItemRejected {
                    item_no,
                    reason: "申请材料不符合法定形式，不予受理".to_owned(),
                    rejected_on: on,
                },
            ),
            Step::Accept { item_no, item } => {
                let limit = ITEMS[item].6;
                self.record(
                    at,
                    lead,
                    CaseEvent::ServiceItemAccepted {
                        item_no,
                        accepted_on: on,
                        limit_days: limit,
                        receipt_no: Some(format!(
                            "SL{}{:06}",
                            on.format("%Y%m%d"),
                            self.index % 1_000_000
                        )),
                    },
                );
                // Working days until it is concluded: mostly within the promise, one in eight late.
                let days = if self.rng.gen_bool(0.12) {
                    limit + self.rng.gen_range(1..=(limit / 2 + 6))
                } else {
                    self.rng.gen_range(1..=limit.max(1))
                };
                if self.rng.gen_bool(0.08) {
                    let when = self.calendar_after(on, 1);
                    self.schedule(when, Step::Extend { item_no });
                }
                if days > 2 && self.rng.gen_bool(0.12) {
                    let used = self.rng.gen_range(1..days);
                    let when = self.calendar_after(on, used);
                    self.schedule(
                        when,
                        Step::Suspend {
                            item_no,
                            item,
                            left: days - used,
                        },
                    );
                } else {
                    let when = self.calendar_after(on, days);
                    self.schedule(when, Step::Conclude { item_no, item });
                }
            }
            Step::Suspend {
                item_no,
                item,
                left,
            } => {
                let reason = [
                    SuspensionReason::Correction,
                    SuspensionReason::Correction,
                    SuspensionReason::ExpertReview,
                    SuspensionReason::Inspection,
                ][self.rng.gen_range(0..4)];
                self.record(
                    at,
                    lead,
                    CaseEvent::ServiceItemSuspended {
                        item_no,
                        reason,
                        suspended_on: on,
                        note: Some("一次性告知补正材料".to_owned()),
                    },
                );
                let when = weekday(on + Duration::days(self.rng.gen_range(3..12)));
                self.schedule(
                    when,
                    Step::Resume {
                        item_no,
                        item,
                        left,
                    },
                );
            }
            Step::Resume {
                item_no,
                item,
                left,
            } => {
                self.record(
                    at,
                    lead,
                    CaseEvent::ServiceItemResumed {
                        item_no,
                        resumed_on: on,
                    },
                );
                let when = self.calendar_after(on, left);
                self.schedule(when, Step::Conclude { item_no, item });
            }
            Step::Extend { item_no } => {
                let approver = self.g.leader;
                self.record(
                    at,
                    approver,
                    CaseEvent::ServiceItemExtended {
                        item_no,
                        days: 5,
                        approver: self.g.actors[approver as usize].id.clone(),
                        reason: "需组织专家论证".to_owned(),
                    },
                );
            }
            Step::Conclude { item_no, item } => self.conclude(at, on, item_no, item)?,
            Step::Rate {
                target,
                follow_up_of,
                level,
            } => self.rate(at, target, follow_up_of, level),
            Step::CallBack { rating_no } => {
                self.record(
                    at,
                    lead,
                    CaseEvent::RatingCallBackRecorded {
                        rating_no,
                        called_on: on,
                        confirmed: true,
                        notes: "电话回访，情况属实，已制定整改措施".to_owned(),
                    },
                );
                // One rectification in three runs past the 15 working days.
                let days = if self.rng.gen_bool(0.33) {
                    self.rng.gen_range(22..40)
                } else {
                    self.rng.gen_range(3..18)
                };
                let target = self.rated_target(rating_no);
                self.schedule(
                    weekday(on + Duration::days(days)),
                    Step::Rectify { rating_no, target },
                );
            }
            Step::Rectify { rating_no, target } => {
                self.record(
                    at,
                    lead,
                    CaseEvent::RatingRectified {
                        rating_no,
                        rectified_on: on,
                        measures: "优化材料清单，指定专人跟办，限时反馈".to_owned(),
                    },
                );
                if self.rng.gen_bool(0.7) {
                    let when = at + Duration::hours(self.rng.gen_range(2..48));
                    let level = Some(self.rng.gen_range(3..=5));
                    self.schedule_at(
                        when,
                        Step::Rate {
                            target,
                            follow_up_of: Some(rating_no),
                            level,
                        },
                    );
                }
            }
            Step::Appeal { rating_no } => {
                self.record(
                    at,
                    lead,
                    CaseEvent::RatingAppealed {
                        rating_no,
                        reason: "评价人误操作，已与企业核实".to_owned(),
                    },
                );
                let when = weekday(on + Duration::days(self.rng.gen_range(2..10)));
                self.schedule(when, Step::Review { rating_no });
            }
            Step::Review { rating_no } => {
                let reviewer = self.g.leader;
                let id = self.g.actors[reviewer as usize].id.clone();
                let event = if self.rng.gen_bool(0.6) {
                    CaseEvent::RatingVoided {
                        rating_no,
                        reviewer: id,
                        reason: "企业书面确认误评".to_owned(),
                    }
                } else {
                    CaseEvent::RatingAppealRejected {
                        rating_no,
                        reviewer: id,
                        reason: "申诉理由不成立".to_owned(),
                    }
                };
                self.record(at, reviewer, event);
            }
            Step::Lodge => {
                self.complaints += 1;
                let complaint_no = self.complaints;
                let public = self.g.public;
                let channel = [Channel::Hotline12345, Channel::Online, Channel::InPerson]
                    [self.rng.gen_range(0..3)];
                self.record(
                    at,
                    public,
                    CaseEvent::ComplaintLodged {
                        complaint_no,
                        channel,
                        content: "审批进度慢，多次补充材料仍未办结".to_owned(),
                        complainant: Person {
                            name: Some(self.contact.clone()),
                            phone: None,
                        },
                        lodged_on: on,
                    },
                );
                if self.rng.gen_bool(0.2) {
                    self.record(
                        at,
                        lead,
                        CaseEvent::ComplaintReferred {
                            complaint_no,
                            to_department: "自然资源局".to_owned(),
                            reason: "属部门职权范围".to_owned(),
                        },
                    );
                } else {
                    let when = weekday(on + Duration::days(self.rng.gen_range(0..2)));
                    self.schedule(when, Step::AssignComplaint { complaint_no });
                }
            }
            Step::AssignComplaint { complaint_no } => {
                let assignee = self.g.actors[lead as usize].id.clone();
                self.record(
                    at,
                    lead,
                    CaseEvent::ComplaintAssigned {
                        complaint_no,
                        assignee,
                    },
                );
                let when = weekday(on + Duration::days(self.rng.gen_range(1..10)));
                self.schedule(when, Step::Resolve { complaint_no });
            }
            Step::Resolve { complaint_no } => self.record(
                at,
                lead,
                CaseEvent::ComplaintResolved {
                    complaint_no,
                    answer: "已协调部门加快办理，企业表示认可".to_owned(),
                    resolved_on: on,
                },
            ),
            Step::Note => {
                self.notes += 1;
                self.record(
                    at,
                    lead,
                    CaseEvent::NoteAdded {
                        note_no: self.notes,
                        text: "电话联系企业负责人，确认下周提交施工许可材料，\
                               并提醒提前办理临时用电报装。"
                            .to_owned(),
                    },
                );
            }
            Step::RevisePlan => {
                self.plans += 1;
                let plan = self.plan_content(on);
                self.record(
                    at,
                    lead,
                    CaseEvent::PlanRevised {
                        version: self.plans,
                        plan,
                        reason: "项目规模调整，补充办理事项".to_owned(),
                    },
                );
            }
            Step::ReplaceLead => {
                let leads = &self.g.towns[self.town].leads;
                let new = leads[self.rng.gen_range(0..leads.len())];
                if new != lead {
                    self.record(
                        at,
                        lead,
                        CaseEvent::LeadStewardReplaced {
                            previous: self.g.actors[lead as usize].id.clone(),
                            steward: self.g.actors[new as usize].id.clone(),
                            tier: Tier::Town,
                            reason: "管家岗位调整".to_owned(),
                        },
                    );
                    self.lead = new;
                }
            }
            Step::AdvanceStage { to } => {
                if to > self.stage {
                    let from = self.stage;
                    self.stage = to;
                    self.record(at, lead, CaseEvent::StageAdvanced { from, to });
                }
            }
        }
        Ok(())
    }

    fn sign(&mut self, at: DateTime<Utc>, on: NaiveDate) -> anyhow::Result<()> {
        let lead = self.lead;
        let scope = if self.rng.gen_bool(0.7) {
            AgreementScope::FullLifecycle
        } else {
            AgreementScope::Stage(self.stage)
        };
        self.record(
            at,
            lead,
            CaseEvent::AgreementSigned {
                scope,
                signed_on: on,
                signatories: vec![self.contact.clone(), self.name(lead)],
            },
        );
        self.plans = 1;
        let plan = self.plan_content(on);
        self.record(at, lead, CaseEvent::PlanAdopted { version: 1, plan });
        if self.stage != Stage::Establishment && self.rng.gen_bool(0.7) {
            let year = on.year();
            let (industry_name, industry) = INDUSTRIES[self.rng.gen_range(0..INDUSTRIES.len())];
            let code = ProjectCode::parse(&format!(
                "{year}-610902-{industry}-0{}-{:06}",
                self.rng.gen_range(1..4),
                self.index % 1_000_000
            ))?;
            let key = self.rng.gen_bool(0.15);
            let details = ProjectDetails {
                name: format!("年产{}万件{industry_name}项目", self.rng.gen_range(1..100)),
                investment: Money::from_yuan(self.rng.gen_range(2_000..80_000) * 10_000)?,
                key_project: key,
                list_year: key.then_some(year),
            };
            self.record(at, lead, CaseEvent::ProjectAdded { code, details });
        }

        // The agenda: a first visit, then the requests and the other visits in a random order,
        // a few days to a month apart.
        let mut agenda: Vec<Step> = self
            .wanted_items()
            .into_iter()
            .map(|(items, bundle)| Step::Request { items, bundle })
            .collect();
        let visits = match self.rng.gen_range(0..100) {
            0..=34 => 1,
            35..=74 => 2,
            _ => 3,
        };
        for _ in 1..visits {
            agenda.push(Step::ScheduleVisit { on });
        }
        for k in (1..agenda.len()).rev() {
            agenda.swap(k, self.rng.gen_range(0..=k));
        }
        agenda.insert(0, Step::ScheduleVisit { on });
        let mut day = on;
        let mut last = on;
        for step in agenda {
            day = weekday(day + Duration::days(self.rng.gen_range(4..28)));
            match step {
                Step::ScheduleVisit { .. } => {
                    // Booked two or three days ahead.
                    let booked = (day - Duration::days(self.rng.gen_range(2..4))).max(on);
                    self.schedule(booked, Step::ScheduleVisit { on: day });
                }
                other => self.schedule(day, other),
            }
            last = day;
        }
        let span = (last - on).num_days().max(10);
        let within = |sim: &mut Self| on + Duration::days(sim.rng.gen_range(1..span + 30));
        for _ in 0..self.rng.gen_range(0..=1) {
            let when = weekday(within(self));
            self.schedule(when, Step::Note);
        }
        if self.rng.gen_bool(0.12) {
            let when = weekday(within(self));
            self.schedule(when, Step::Lodge);
        }
        if self.rng.gen_bool(0.08) {
            let when = weekday(within(self));
            self.schedule(when, Step::RevisePlan);
        }
        if self.rng.gen_bool(0.04) {
            let when = weekday(within(self));
            self.schedule(when, Step::ReplaceLead);
        }
        Ok(())
    }

    fn plan_content(&mut self, on: NaiveDate) -> PlanContent {
        let codes: Vec<String> = match self.stage {
            Stage::Establishment => vec![ITEMS[SETUP].0.to_owned(), ITEMS[SOCIAL].0.to_owned()],
            Stage::Construction => [LAND_PRE, LAND_PLAN, WORKS_PLAN, BUILD]
                .iter()
                .map(|i| ITEMS[*i].0.to_owned())
                .collect(),
            Stage::Operation => vec![ITEMS[FOOD].0.to_owned(), ITEMS[DISCHARGE].0.to_owned()],
        };
        PlanContent {
            text: format!(
                "一企一策（v{}）：明确专属管家和部门联络员，全程代办{}阶段审批手续，每月至少走访一次。",
                self.plans,
                match self.stage {
                    Stage::Establishment => "设立",
                    Stage::Construction => "建设",
                    Stage::Operation => "运营",
                }
            ),
            planned_items: codes,
            milestones: vec![
                Milestone {
                    name: "完成主要审批手续".to_owned(),
                    due_on: on + Duration::days(self.rng.gen_range(60..120)),
                },
                Milestone {
                    name: "项目开工或投产".to_owned(),
                    due_on: on + Duration::days(self.rng.gen_range(150..300)),
                },
            ],
        }
    }

    fn conclude(
        &mut self,
        at: DateTime<Utc>,
        on: NaiveDate,
        item_no: u32,
        item: usize,
    ) -> anyhow::Result<()> {
        let lead = self.lead;
        let outcome = match self.rng.gen_range(0..100) {
            0..=3 => ItemOutcome::Refused,
            4..=5 => ItemOutcome::Withdrawn,
            _ => ItemOutcome::Granted,
        };
        let materials = u32::try_from(ITEMS[item].7.len()).unwrap_or(1);
        let materials_submitted = self
            .rng
            .gen_range(materials.saturating_sub(1).max(1)..=materials + 1);
        let onsite_trips = u32::from(self.rng.gen_bool(0.2));
        self.record(
            at,
            lead,
            CaseEvent::ServiceItemConcluded {
                item_no,
                outcome,
                concluded_on: on,
                result_reference: (outcome == ItemOutcome::Granted)
                    .then(|| format!("ZZ{}{:06}", on.format("%Y"), self.index % 1_000_000)),
                materials_submitted,
                onsite_trips,
            },
        );
        // The licence is granted: the enterprise now has its USCC, and moves on to 建设.
        if item == SETUP && outcome == ItemOutcome::Granted && self.uscc.is_none() {
            let uscc = uscc_of(self.index)?;
            self.uscc = Some(uscc.clone());
            self.record(
                at,
                lead,
                CaseEvent::EnterpriseDetailsCorrected {
                    name: None,
                    uscc: Some(uscc),
                    division: None,
                    address: None,
                    contact_name: None,
                    contact_phone: None,
                    reason: "企业取得营业执照，补录统一社会信用代码".to_owned(),
                },
            );
            let when = weekday(on + Duration::days(self.rng.gen_range(5..40)));
            self.schedule(
                when,
                Step::AdvanceStage {
                    to: Stage::Construction,
                },
            );
        }
        if self.rng.gen_bool(0.9) {
            let when = at + Duration::hours(self.rng.gen_range(2..72));
            self.schedule_at(
                when,
                Step::Rate {
                    target: RatingTarget::Item(item_no),
                    follow_up_of: None,
                    level: None,
                },
            );
        }
        Ok(())
    }

    fn rate(
        &mut self,
        at: DateTime<Utc>,
        target: RatingTarget,
        follow_up_of: Option<u32>,
        level: Option<u8>,
    ) {
        self.ratings += 1;
        let rating_no = self.ratings;
        let level = level.unwrap_or_else(|| match self.rng.gen_range(0..1000) {
            0..=14 => 1,
            15..=39 => 2,
            40..=99 => 3,
            100..=329 => 4,
            _ => 5,
        });
        let channel = match target {
            RatingTarget::Visit(_) => [
                Channel::QrCode,
                Channel::EvaluatorDevice,
                Channel::PaperCard,
                Channel::InPerson,
            ][self.rng.gen_range(0..4)],
            RatingTarget::Item(_) => [
                Channel::Sms,
                Channel::Online,
                Channel::QrCode,
                Channel::SelfServiceTerminal,
                Channel::EvaluatorDevice,
            ][self.rng.gen_range(0..5)],
        };
        let dimension_set = if channel == Channel::Online {
            DimensionSet::Online2019
        } else {
            DimensionSet::Offline2019
        };
        let dimensions: DimensionScores = dimension_set
            .dimensions()
            .iter()
            .map(|d| {
                let score = (i16::from(level) + self.rng.gen_range(-1..=1)).clamp(1, 5);
                let score =
                    RatingLevel::new(u8::try_from(score).unwrap_or(3)).unwrap_or(RatingLevel::MAX);
                ((*d).to_owned(), score)
            })
            .collect();
        let bad = level <= 2;
        let public = self.g.public;
        self.record(
            at,
            public,
            CaseEvent::RatingRecorded {
                rating_no,
                target,
                level: RatingLevel::new(level).unwrap_or(RatingLevel::MAX),
                dimension_set,
                dimensions,
                channel,
                comment: bad.then(|| "办理时间太长，窗口答复不一致".to_owned()),
                rater: Person {
                    name: Some(self.contact.clone()),
                    phone: None,
                },
                follow_up_of,
                rated_at: at,
            },
        );
        if !bad || follow_up_of.is_some() {
            return;
        }
        let on = at.with_timezone(&china_offset()).date_naive();
        if self.rng.gen_bool(0.1) {
            let when = weekday(on + Duration::days(1));
            self.schedule(when, Step::Appeal { rating_no });
        } else if self.rng.gen_bool(0.93) {
            // Usually the next working day; sometimes late.
            let days = if self.rng.gen_bool(0.85) { 1 } else { 4 };
            let when = weekday(on + Duration::days(days));
            self.schedule(when, Step::CallBack { rating_no });
        }
        self.rated.push((rating_no, target));
    }

    fn rated_target(&self, rating_no: u32) -> RatingTarget {
        self.rated
            .iter()
            .find(|(no, _)| *no == rating_no)
            .map_or(RatingTarget::Item(1), |(_, target)| *target)
    }

    /// After the last step: maybe move to 运营, then close most cases that went quiet long ago.
    fn finish(&mut self) -> anyhow::Result<()> {
        let quiet = self.last.with_timezone(&china_offset()).date_naive();
        let lead = self.lead;
        if self.stage == Stage::Construction && self.rng.gen_bool(0.3) {
            let on = weekday(quiet + Duration::days(self.rng.gen_range(20..90)));
            let at = instant(on, 10, 0);
            self.record(
                at,
                lead,
                CaseEvent::StageAdvanced {
                    from: Stage::Construction,
                    to: Stage::Operation,
                },
            );
            self.stage = Stage::Operation;
        }
        let quiet = self.last.with_timezone(&china_offset()).date_naive();
        if self.rng.gen_bool(0.75) {
            let on = weekday(quiet + Duration::days(self.rng.gen_range(30..120)));
            let at = instant(on, 15, 0);
            let (reason, summary) = if self.rng.gen_bool(0.9) {
                (
                    CloseReason::AllItemsConcluded,
                    "手续全部办结，转入常态化服务",
                )
            } else {
                (
                    CloseReason::EnterpriseWithdrew,
                    "企业调整投资计划，申请终止代办",
                )
            };
            self.record(
                at,
                lead,
                CaseEvent::CaseClosed {
                    reason,
                    summary: summary.to_owned(),
                    closed_on: on,
                },
            );
            if self.rng.gen_bool(0.01) {
                let again = weekday(on + Duration::days(self.rng.gen_range(60..400)));
                self.record(
                    instant(again, 10, 0),
                    lead,
                    CaseEvent::CaseReopened {
                        term: 2,
                        reason: "企业扩建二期，重新签约服务".to_owned(),
                        reopened_on: again,
                    },
                );
            }
        }
        Ok(())
    }

    /// The date `n` working days after `start`.
    fn calendar_after(&self, start: NaiveDate, n: u32) -> NaiveDate {
        self.g.calendar.add_working_days(start, n).date
    }
}

/// A valid USCC for case `i`, unique per case: a bijective scramble of `i` in base 31.
pub fn uscc_of(i: usize) -> anyhow::Result<Uscc> {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    const SPACE: u64 = 31u64.pow(7);
    let mut x = (i as u64 + 1).wrapping_mul(1_000_003) % SPACE;
    let mut tail = [b'0'; 7];
    for slot in tail.iter_mut().rev() {
        *slot = ALPHABET[(x % 31) as usize];
        x /= 31;
    }
    let body = format!("91610902MA{}", String::from_utf8_lossy(&tail));
    Ok(Uscc::with_check_character(&body)?)
}

/// A UUID-shaped id (version 7 layout) from the case's stream.
fn uuid_text(rng: &mut StdRng) -> String {
    format!(
        "{:08x}-{:04x}-7{:03x}-{:04x}-{:012x}",
        rng.gen::<u32>(),
        rng.gen::<u16>(),
        rng.gen::<u16>() & 0x0fff,
        (rng.gen::<u16>() & 0x3fff) | 0x8000,
        rng.gen::<u64>() & 0xffff_ffff_ffff
    )
}

/// Mixes the run's seed and a case index into the seed of the case's stream (SplitMix64).
pub fn mix(seed: u64, index: u64) -> u64 {
    let mut z = seed ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

pub fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
}

/// Saturday and Sunday move to the next Monday.
fn weekday(on: NaiveDate) -> NaiveDate {
    match on.weekday() {
        Weekday::Sat => on + Duration::days(2),
        Weekday::Sun => on + Duration::days(1),
        _ => on,
    }
}

/// `hour:minute` Beijing time on `on`, as an instant.
pub fn instant(on: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    let local = on.and_time(NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN));
    (local - Duration::seconds(i64::from(china_offset().local_minus_utc()))).and_utc()
}
