//! The words the generated district is made of: its towns and villages, the trade names,
//! industries and legal forms that enterprise names are built from, and people's names. Plain
//! tables, so that the data reads as a real 汉滨区 log does.

use guanjia_domain::case::model::LeadSource;

/// A town of 汉滨区 (610902).
pub struct TownName {
    pub name: &'static str,
    /// For the user ids of its stewards.
    pub pinyin: &'static str,
    /// Its share of the enterprises, against the other towns' weights.
    pub weight: u32,
}

const fn town(name: &'static str, pinyin: &'static str, weight: u32) -> TownName {
    TownName {
        name,
        pinyin,
        weight,
    }
}

/// The towns, in the order of their division codes. The 恒口 demonstration zone gets the most
/// enterprises.
pub const TOWNS: &[TownName] = &[
    town("恒口", "hengkou", 30),
    town("大同", "datong", 8),
    town("五里", "wuli", 8),
    town("关庙", "guanmiao", 7),
    town("张滩", "zhangtan", 7),
    town("瀛湖", "yinghu", 6),
    town("流水", "liushui", 6),
    town("大河", "dahe", 6),
    town("晏坝", "yanba", 5),
    town("谭坝", "tanba", 5),
    town("县河", "xianhe", 6),
    town("吉河", "jihe", 6),
];

/// Village names for addresses; villages outnumber them, so they repeat.
pub const VILLAGE_NAMES: &[&str] = &[
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
pub const TRADES: &[&str] = &[
    "鑫达", "华盛", "秦巴", "汉江", "瑞丰", "金硒", "恒通", "宏远", "兴业", "盛源", "安泰", "天润",
    "新辰", "佳禾", "绿源", "嘉信", "博远", "润康", "永兴", "富民", "泰和", "万通", "德隆", "凤凰",
    "龙腾", "长青", "鼎盛", "祥瑞", "明远", "同创", "众合", "聚丰", "弘基", "锦程", "晟达", "茗香",
];

/// An industry, in enterprise and project names.
pub struct Industry {
    pub name: &'static str,
    /// The 2-digit industry part of a project code.
    pub code: &'static str,
}

const fn industry(name: &'static str, code: &'static str) -> Industry {
    Industry { name, code }
}

pub const INDUSTRIES: &[Industry] = &[
    industry("新材料", "30"),
    industry("富硒食品", "14"),
    industry("纺织", "17"),
    industry("电子", "39"),
    industry("物流", "59"),
    industry("生态农业", "01"),
    industry("建材", "30"),
    industry("文旅", "88"),
    industry("茶业", "15"),
    industry("医药", "27"),
    industry("机械", "34"),
    industry("新能源", "44"),
];

/// The legal forms that end an enterprise's name.
pub const SUFFIXES: &[&str] = &["有限公司", "有限责任公司", "股份有限公司", "科技有限公司"];

pub const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "吴", "周", "徐", "孙", "马", "胡", "郭", "何", "罗",
];

const GIVEN: &[&str] = &[
    "磊", "敏", "洋", "芳", "静", "浩", "伟", "娜", "军", "霞", "涛", "丽", "强", "艳", "斌", "婷",
];

/// How an enterprise's contact is addressed after the surname.
pub const TITLES: &[&str] = &["经理", "总", "主任", "董事长"];

pub const SOURCES: [LeadSource; 5] = [
    LeadSource::InvestmentPromotion,
    LeadSource::EnterpriseRequest,
    LeadSource::TownVillageReport,
    LeadSource::Hotline12345,
    LeadSource::ComplaintWindow,
];

/// The display name of actor `index`: surname and given name both cycle, so neighbours differ.
pub fn person(index: usize) -> String {
    format!(
        "{}{}",
        SURNAMES[index % SURNAMES.len()],
        GIVEN[(index / SURNAMES.len() + index) % GIVEN.len()]
    )
}
