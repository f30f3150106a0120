//! The demo catalog: real kinds of procedures an enterprise meets from establishment to
//! operation, with statutory and promised limits in working days, and two bundles.

use guanjia_domain::catalog::{BundleSpec, CatalogItemSpec, ItemType};

/// (implementation code, basic code, name, type, department, statutory days, promised days,
/// materials, on-site trips)
type Row = (
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

const ITEMS: &[Row] = &[
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

/// The catalog items to publish, in the order they are published.
pub fn items() -> Vec<CatalogItemSpec> {
    ITEMS
        .iter()
        .map(
            |&(code, basic, name, item_type, department, statutory, promised, materials, trips)| {
                CatalogItemSpec {
                    basic_code: basic.to_owned(),
                    implementation_code: code.to_owned(),
                    name: name.to_owned(),
                    item_type,
                    department: department.to_owned(),
                    statutory_limit_days: statutory,
                    promised_limit_days: promised,
                    required_materials: materials.iter().map(|m| (*m).to_owned()).collect(),
                    onsite_trips: trips,
                }
            },
        )
        .collect()
}

/// The bundles (一件事一次办) to define, after the items.
pub fn bundles() -> Vec<BundleSpec> {
    vec![
        BundleSpec {
            code: "YJS-KBQY".to_owned(),
            name: "开办企业一件事".to_owned(),
            item_codes: vec!["610902-SCJG-001".to_owned(), "610902-RS-001".to_owned()],
        },
        BundleSpec {
            code: "YJS-GCJS".to_owned(),
            name: "工程建设项目开工一件事".to_owned(),
            item_codes: vec![
                "610902-ZRZY-003".to_owned(),
                "610902-ZJ-002".to_owned(),
                "610902-ZJ-001".to_owned(),
            ],
        },
    ]
}

/// Implementation codes a steward typically requests, in life order.
pub(crate) fn codes() -> Vec<&'static str> {
    ITEMS.iter().map(|row| row.0).collect()
}
