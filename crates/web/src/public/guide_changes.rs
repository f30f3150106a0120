//! What changed from one version of a service guide to the next, in plain Chinese: "材料由 5 项
//! 减为 3 项，承诺时限由 20 个工作日减为 10 个". This is how the zone's 减材料、减时限 is made
//! visible to the public, so the words count what an applicant feels (how many papers, how
//! many working days, how many trips) rather than listing every edited field.

use guanjia_domain::catalog::{CatalogItemSpec, Channel};

/// "由 a 减为 b" / "由 a 增为 b" for a number that moved, `None` when it did not.
fn moved(what: &str, before: u32, after: u32, unit: &str, short_unit: &str) -> Option<String> {
    let verb = match after.cmp(&before) {
        std::cmp::Ordering::Less => "减为",
        std::cmp::Ordering::Greater => "增为",
        std::cmp::Ordering::Equal => return None,
    };
    Some(format!(
        "{what}由 {before} {unit}{verb} {after} {short_unit}"
    ))
}

fn count(list: &[String]) -> u32 {
    u32::try_from(list.len()).unwrap_or(u32::MAX)
}

/// The changes from `before` to `after`, one phrase each, joined with "，"; for a revision
/// that moved none of the counted things, "办事指南内容更新".
pub(crate) fn describe(before: &CatalogItemSpec, after: &CatalogItemSpec) -> String {
    let mut phrases: Vec<String> = Vec::new();
    let (was, now) = (&before.required_materials, &after.required_materials);
    match moved("材料", count(was), count(now), "项", "项") {
        Some(phrase) => phrases.push(phrase),
        None if was != now => phrases.push("申请材料有调整".to_owned()),
        None => {}
    }
    phrases.extend(moved(
        "承诺时限",
        before.promised_limit_days,
        after.promised_limit_days,
        "个工作日",
        "个",
    ));
    phrases.extend(moved(
        "法定时限",
        before.statutory_limit_days,
        after.statutory_limit_days,
        "个工作日",
        "个",
    ));
    phrases.extend(moved(
        "到现场次数",
        before.onsite_trips,
        after.onsite_trips,
        "次",
        "次",
    ));
    let added: Vec<&str> = after
        .guide
        .channels
        .iter()
        .filter(|c| !before.guide.channels.contains(c))
        .map(|c: &Channel| c.label_zh())
        .collect();
    if !added.is_empty() {
        phrases.push(format!("新增{}渠道", added.join("、")));
    }
    if before.department != after.department {
        phrases.push(format!(
            "办理部门由{}改为{}",
            before.department, after.department
        ));
    }
    if before.name != after.name {
        phrases.push(format!("事项名称由“{}”改为“{}”", before.name, after.name));
    }
    if phrases.is_empty() {
        "办事指南内容更新".to_owned()
    } else {
        phrases.join("，")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use guanjia_domain::catalog::{ItemType, ServiceGuide};

    fn spec(materials: usize, promised: u32, trips: u32) -> CatalogItemSpec {
        CatalogItemSpec {
            basic_code: "B".to_owned(),
            implementation_code: "A".to_owned(),
            name: "排污许可".to_owned(),
            item_type: ItemType::AdministrativeLicence,
            department: "生态环境局".to_owned(),
            statutory_limit_days: 20,
            promised_limit_days: promised,
            required_materials: (0..materials).map(|n| format!("材料{n}")).collect(),
            onsite_trips: trips,
            guide: ServiceGuide::default(),
        }
    }

    #[test]
    fn fewer_materials_and_days_read_as_the_zone_says_them() {
        assert_eq!(
            describe(&spec(5, 20, 1), &spec(3, 10, 1)),
            "材料由 5 项减为 3 项，承诺时限由 20 个工作日减为 10 个"
        );
    }

    #[test]
    fn more_trips_and_new_channels_are_named_too() {
        let mut after = spec(5, 20, 2);
        after.guide.channels = vec![Channel::Online, Channel::Mobile];
        assert_eq!(
            describe(&spec(5, 20, 1), &after),
            "到现场次数由 1 次增为 2 次，新增一网通办、掌上办渠道"
        );
    }

    #[test]
    fn renamed_materials_and_other_text_are_said_plainly() {
        let mut after = spec(2, 20, 1);
        after.required_materials[0] = "申请书".to_owned();
        assert_eq!(describe(&spec(2, 20, 1), &after), "申请材料有调整");
        let mut fees = spec(2, 20, 1);
        fees.guide.fees = "不收费".to_owned();
        assert_eq!(describe(&spec(2, 20, 1), &fees), "办事指南内容更新");
    }
}
