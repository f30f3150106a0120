//! Catalog administration: only an admin of the whole district publishes, revises and retires
//! catalog items and bundles; everyone else is refused before anything is written, and a bad
//! spec is refused by the domain with the field it breaks.

use guanjia_app::AppError;
use guanjia_domain::catalog::{
    BundleSpec, CatalogCommand, CatalogItemSpec, ItemType, ServiceCatalog, DEFAULT_CATALOG_ID,
};
use guanjia_domain::user::Role;
use guanjia_domain::DomainError;
use guanjia_store::testing::TestDatabase;
use guanjia_store::LogPosition;

use crate::support::{context, World, DISTRICT, TOWN};

on_both_backends!(
    a_district_admin_changes_the_catalog_through_its_life,
    only_admins_change_the_catalog,
    a_town_admin_may_not_change_the_catalog,
    a_bad_spec_is_refused_with_its_field,
);

fn item(code: &str, promised: u32) -> CatalogItemSpec {
    CatalogItemSpec {
        basic_code: format!("B-{code}"),
        implementation_code: code.to_owned(),
        name: format!("事项{code}"),
        item_type: ItemType::AdministrativeLicence,
        department: "自然资源局".to_owned(),
        statutory_limit_days: 20,
        promised_limit_days: promised,
        required_materials: vec!["申请表".to_owned()],
        onsite_trips: 0,
        guide: Default::default(),
    }
}

fn publish(code: &str) -> CatalogCommand {
    CatalogCommand::PublishItem {
        spec: item(code, 10),
    }
}

async fn a_district_admin_changes_the_catalog_through_its_life(
    db: TestDatabase,
) -> anyhow::Result<()> {
    // Given an admin of the whole district
    let world = World::new(&db).await?;
    let admin = world.person("admin", Role::Admin, DISTRICT).await?;
    // When they publish two items, bundle them, revise one and retire the bundle
    let commands = [
        publish("A-001"),
        publish("A-002"),
        CatalogCommand::DefineBundle {
            spec: BundleSpec {
                code: "YJS-A".to_owned(),
                name: "一件事".to_owned(),
                item_codes: vec!["A-001".to_owned(), "A-002".to_owned()],
            },
        },
        CatalogCommand::ReviseItem {
            spec: item("A-001", 5),
        },
        CatalogCommand::RetireBundle {
            code: "YJS-A".to_owned(),
            reason: "合并".to_owned(),
        },
    ];
    let mut types = Vec::new();
    let mut last = LogPosition::START;
    for command in commands {
        let committed = world
            .app
            .change_catalog(&admin, command, context("admin"))
            .await?;
        assert!(committed.position > last, "each change is appended");
        last = committed.position;
        types.extend(committed.events.into_iter().map(|e| e.event_type));
    }
    // Then each is recorded, and the catalog holds the live version
    assert_eq!(
        types,
        [
            "ItemPublished",
            "ItemPublished",
            "BundleDefined",
            "ItemRevised",
            "BundleRetired"
        ]
    );
    let catalog = world
        .store
        .load::<ServiceCatalog>(DEFAULT_CATALOG_ID)
        .await?
        .state;
    let live = catalog.current_item("A-001").expect("a live item");
    assert_eq!((live.version, live.promised_limit_days), (2, 5));
    assert!(catalog.current_bundle("YJS-A").is_none(), "retired");
    Ok(())
}

async fn only_admins_change_the_catalog(db: TestDatabase) -> anyhow::Result<()> {
    // Given a leader, a steward and an auditor of the whole district
    let world = World::new(&db).await?;
    for (name, role) in [
        ("zhang.wei", Role::Leader),
        ("wang.lei", Role::Steward),
        ("audit.li", Role::Auditor),
    ] {
        let who = world.person(name, role, DISTRICT).await?;
        // When they publish an item, then they are refused for their role
        let refused = world
            .app
            .change_catalog(&who, publish("A-001"), context(name))
            .await;
        assert_eq!(
            refused,
            Err(AppError::Forbidden(format!(
                "only an admin may do this (you are a {role})"
            ))),
            "{name}"
        );
    }
    // And nothing was written to the catalog
    let catalog = world
        .store
        .load::<ServiceCatalog>(DEFAULT_CATALOG_ID)
        .await?;
    assert!(catalog.state.current_item("A-001").is_none());
    Ok(())
}

async fn a_town_admin_may_not_change_the_catalog(db: TestDatabase) -> anyhow::Result<()> {
    // Given an admin of one town
    let world = World::new(&db).await?;
    let admin = world.person("town.admin", Role::Admin, TOWN).await?;
    // When they publish an item, then they are refused: the catalog serves the district
    let refused = world
        .app
        .change_catalog(&admin, publish("A-001"), context("town.admin"))
        .await;
    assert_eq!(
        refused,
        Err(AppError::Forbidden(format!(
            "the catalog serves the whole district; only an admin of the district changes it \
             (your division is {TOWN})"
        )))
    );
    Ok(())
}

async fn a_bad_spec_is_refused_with_its_field(db: TestDatabase) -> anyhow::Result<()> {
    // Given an admin of the whole district
    let world = World::new(&db).await?;
    let admin = world.person("admin", Role::Admin, DISTRICT).await?;
    // When they publish an item promised in more days than the law allows
    let refused = world
        .app
        .change_catalog(
            &admin,
            CatalogCommand::PublishItem {
                spec: item("A-001", 99),
            },
            context("admin"),
        )
        .await;
    // Then the domain refuses it, naming the field
    match refused {
        Err(AppError::Rejected(DomainError::Invalid { field, .. })) => {
            assert_eq!(field, "promised_limit_days")
        }
        other => panic!("expected the field refused, got {other:?}"),
    }
    // And retiring an item that was never published names what is missing
    let missing = world
        .app
        .change_catalog(
            &admin,
            CatalogCommand::RetireItem {
                implementation_code: "NONE-1".to_owned(),
                reason: "取消".to_owned(),
            },
            context("admin"),
        )
        .await;
    assert!(
        matches!(
            missing,
            Err(AppError::Rejected(DomainError::NotFound { .. }))
        ),
        "{missing:?}"
    );
    Ok(())
}
