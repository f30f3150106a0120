//! The zone's 13 一件事一次办 bundles. The first two are the ones the demo's cases use (the
//! 2023 story requests 开办企业一件事 with exactly its two items); the rest join items that
//! share materials, so their guides show what doing them together saves.

use guanjia_domain::catalog::BundleSpec;

/// (code, name, implementation codes in journey order)
const BUNDLES: &[(&str, &str, &[&str])] = &[
    (
        "YJS-KBQY",
        "开办企业一件事",
        &["610902-SCJG-001", "610902-RS-001"],
    ),
    (
        "YJS-GCJS",
        "工程建设项目开工一件事",
        &["610902-ZRZY-003", "610902-ZJ-002", "610902-ZJ-001"],
    ),
    (
        "YJS-KCG",
        "开餐馆一件事",
        &[
            "610902-SCJG-001",
            "610902-SCJG-002",
            "610902-XF-001",
            "610902-SW-001",
        ],
    ),
    (
        "YJS-QYZX",
        "企业注销一件事",
        &["610902-SW-002", "610902-SCJG-003"],
    ),
    (
        "YJS-YGLY",
        "员工录用一件事",
        &[
            "610902-RS-002",
            "610902-RS-001",
            "610902-YB-001",
            "610902-GJJ-001",
        ],
    ),
    (
        "YJS-XMKG",
        "企业投资项目开工前审批一件事",
        &[
            "610902-FGJ-001",
            "610902-ZRZY-001",
            "610902-ZRZY-002",
            "610902-STHJ-001",
        ],
    ),
    (
        "YJS-JGYS",
        "竣工验收和不动产登记一件事",
        &["610902-ZJ-003", "610902-ZRZY-004"],
    ),
    (
        "YJS-PWPS",
        "排污排水一件事",
        &["610902-STHJ-002", "610902-ZJ-004"],
    ),
    (
        "YJS-QSYS",
        "取水用水一件事",
        &["610902-SL-001", "610902-ZJ-004"],
    ),
    (
        "YJS-KYD",
        "开药店一件事",
        &["610902-SCJG-001", "610902-SCJG-004", "610902-SW-001"],
    ),
    (
        "YJS-GGCS",
        "开办公共场所一件事",
        &["610902-SCJG-001", "610902-WJ-001", "610902-XF-001"],
    ),
    (
        "YJS-XBNS",
        "新办企业刻章和涉税一件事",
        &["610902-GA-001", "610902-SW-001"],
    ),
    (
        "YJS-JZSG",
        "建筑施工一件事",
        &["610902-CG-001", "610902-ZJ-001"],
    ),
];

/// The bundles (一件事一次办) to define, after the items.
pub fn bundles() -> Vec<BundleSpec> {
    BUNDLES
        .iter()
        .map(|(code, name, items)| BundleSpec {
            code: (*code).to_owned(),
            name: (*name).to_owned(),
            item_codes: items.iter().map(|item| (*item).to_owned()).collect(),
        })
        .collect()
}
