//! The demo's stewards and places: a district–town–village team in the Hengkou demonstration
//! zone (汉滨区, division 610902). User ids match the demo accounts the server creates.

use guanjia_domain::values::Tier;

/// The district-level code of the demo district.
pub const DISTRICT: &str = "610902000000";

/// Towns of the demo (code, name).
pub const TOWNS: &[(&str, &str)] = &[
    ("610902100000", "恒口镇"),
    ("610902101000", "大同镇"),
    ("610902102000", "五里镇"),
];

/// Villages of the demo (code, name), each under the town with the same first nine digits.
pub const VILLAGES: &[(&str, &str)] = &[
    ("610902100201", "月河村"),
    ("610902100202", "梅子铺村"),
    ("610902101203", "长岭村"),
    ("610902102204", "新民村"),
];

/// A demo steward: user id, display name, tier, division.
pub struct Steward {
    pub id: &'static str,
    pub name: &'static str,
    pub tier: Tier,
    pub division: &'static str,
}

/// Lead stewards (district and town tier) and village agents.
pub const STEWARDS: &[Steward] = &[
    Steward {
        id: "wang.lei",
        name: "王磊",
        tier: Tier::District,
        division: DISTRICT,
    },
    Steward {
        id: "zhao.min",
        name: "赵敏",
        tier: Tier::Town,
        division: "610902100000",
    },
    Steward {
        id: "liu.yang",
        name: "刘洋",
        tier: Tier::Town,
        division: "610902101000",
    },
    Steward {
        id: "he.fang",
        name: "何芳",
        tier: Tier::Town,
        division: "610902102000",
    },
];

/// Village agents who join teams as members.
pub const AGENTS: &[Steward] = &[
    Steward {
        id: "chen.jing",
        name: "陈静",
        tier: Tier::Village,
        division: "610902100201",
    },
    Steward {
        id: "sun.hao",
        name: "孙浩",
        tier: Tier::Village,
        division: "610902101203",
    },
];

/// The district leader and the auditor of the demo.
pub const LEADER: (&str, &str) = ("zhang.wei", "张伟");
pub const AUDITOR: (&str, &str) = ("audit.li", "李审计");

/// The admin the server creates on its first start (`guanjia_api::auth::BOOTSTRAP_ADMIN`, of
/// the district by default): the demo publishes its catalog as them.
pub const ADMIN: &str = "admin";
