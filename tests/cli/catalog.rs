//! `catalog import`: bad rows change nothing and are named by line; good files publish and
//! revise; importing again changes nothing.

use guanjia_domain::catalog::{ServiceCatalog, DEFAULT_CATALOG_ID};

use crate::helpers::{all_events, write, Guanjia};

const HEADER: &str = "kind,code,name,basic_code,item_type,department,statutory_limit_days,promised_limit_days,onsite_trips,required_materials,item_codes\n";

fn good_csv() -> String {
    format!(
        "{HEADER}\
         item,T-0001,食品经营许可,B-0001,行政许可,市场监管局,20,10,1,申请书|营业执照|食品安全管理制度,\n\
         item,T-0002,排污许可,B-0002,administrative_licence,生态环境局,30,15,0,申请表|环评批复,\n\
         item,T-0003,消防验收备案,B-0003,备案,住建局,5,3,0,备案表,\n\
         bundle,TK-01,开一家餐馆,,,,,,,,T-0001|T-0003\n"
    )
}

#[tokio::test]
async fn a_file_with_bad_rows_changes_nothing_and_names_the_lines() {
    let guanjia = Guanjia::with_demo();
    let before = all_events(&guanjia.store().await).await.len();
    let csv = format!(
        "{HEADER}\
         item,T-0001,食品经营许可,B-0001,行政许可,市场监管局,20,10,1,申请书,\n\
         item,T-0002,排污许可,B-0002,行政许可,生态环境局,10,15,0,申请表,\n\
         item,T-0003,,B-0003,备案,住建局,5,3,0,备案表,\n\
         bundle,TK-01,开一家餐馆,,,,,,,,T-0001|T-9999\n\
         item,T-0001,食品经营许可,B-0001,行政许可,市场监管局,20,10,1,申请书,\n"
    );
    let file = write(guanjia.dir.path(), "bad.csv", &csv);
    let ran = guanjia.run(&["catalog", "import", &file]);
    assert_eq!(ran.code, Some(1), "{}", ran.stdout);
    let errors = &ran.stderr;
    assert!(
        errors.contains("4 error(s) on 4 line(s); nothing was written"),
        "{errors}"
    );
    assert!(errors.contains("line 3: promised_limit_days"), "{errors}");
    assert!(
        errors.contains("line 4: name: must not be empty"),
        "{errors}"
    );
    assert!(
        errors.contains("line 5:") && errors.contains("T-9999"),
        "{errors}"
    );
    assert!(
        errors.contains("line 6: T-0001 is also on line 2"),
        "{errors}"
    );
    assert!(!errors.contains("line 2:"), "line 2 is good: {errors}");
    let after = all_events(&guanjia.store().await).await.len();
    assert_eq!(before, after, "nothing may be written");
}

#[tokio::test]
async fn every_error_of_the_file_is_reported_in_one_run() {
    // Line 3 cannot be read (two bad cells); lines 4 and 5 read but break the catalog's rules.
    // One run names all of them: fixing line 3 must not reveal lines 4–5 only then.
    let guanjia = Guanjia::new();
    let csv = format!(
        "{HEADER}\
         item,T-0001,食品经营许可,B-0001,行政许可,市场监管局,20,10,1,申请书,\n\
         item,T-0002,排污许可,B-0002,许可,生态环境局,twenty,15,0,申请表,\n\
         item,T-0003,消防验收备案,B-0003,备案,住建局,5,8,0,备案表,\n\
         bundle,TK-01,开一家餐馆,,,,,,,,T-0001|T-9999\n"
    );
    let file = write(guanjia.dir.path(), "mixed.csv", &csv);
    let ran = guanjia.run(&["catalog", "import", &file]);
    assert_eq!(ran.code, Some(1), "{}", ran.stdout);
    let errors = &ran.stderr;
    assert!(
        errors.contains("4 error(s) on 3 line(s); nothing was written"),
        "{errors}"
    );
    for expected in [
        "line 3: item_type: \"许可\"",
        "line 3: statutory_limit_days: \"twenty\"",
        "line 4: promised_limit_days",
        "line 5:",
    ] {
        assert!(
            errors.contains(expected),
            "{expected} missing from {errors}"
        );
    }
    assert!(errors.contains("T-9999"), "{errors}");
    assert!(all_events(&guanjia.store().await).await.is_empty());
}

#[tokio::test]
async fn a_good_file_publishes_items_and_bundles_and_a_second_import_changes_nothing() {
    let guanjia = Guanjia::new();
    let file = write(guanjia.dir.path(), "catalog.csv", &good_csv());
    let dry = guanjia.run(&["catalog", "import", &file, "--dry-run"]).ok();
    assert!(
        dry.stdout
            .contains("4 to publish, 0 to revise, 0 unchanged"),
        "{}",
        dry.stdout
    );
    assert!(
        all_events(&guanjia.store().await).await.is_empty(),
        "a dry run writes nothing"
    );

    let ran = guanjia.run(&["catalog", "import", &file]).ok();
    assert!(ran.stdout.contains("Wrote 4 change(s)"), "{}", ran.stdout);
    let store = guanjia.store().await;
    let catalog = store
        .load::<ServiceCatalog>(DEFAULT_CATALOG_ID)
        .await
        .expect("load")
        .state;
    let item = catalog.current_item("T-0001").expect("T-0001 published");
    assert_eq!(
        (item.statutory_limit_days, item.required_materials_count),
        (20, 3)
    );
    let bundle = catalog.current_bundle("TK-01").expect("TK-01 defined");
    assert_eq!(bundle.items.len(), 2);
    let events = all_events(&store).await;
    assert!(
        events.iter().all(|e| e.metadata.channel == "cli"),
        "commands are recorded as from the CLI"
    );
    store.close().await;

    let again = guanjia.run(&["catalog", "import", &file]).ok();
    assert!(
        again
            .stdout
            .contains("0 to publish, 0 to revise, 4 unchanged"),
        "{}",
        again.stdout
    );

    let revised = good_csv().replace("20,10,1", "20,8,1");
    let file = write(guanjia.dir.path(), "revised.csv", &revised);
    let ran = guanjia.run(&["catalog", "import", &file]).ok();
    assert!(
        ran.stdout
            .contains("0 to publish, 1 to revise, 3 unchanged"),
        "{}",
        ran.stdout
    );
    let store = guanjia.store().await;
    let catalog = store
        .load::<ServiceCatalog>(DEFAULT_CATALOG_ID)
        .await
        .expect("load")
        .state;
    let item = catalog.current_item("T-0001").expect("T-0001");
    assert_eq!((item.version, item.promised_limit_days), (2, 8));
}

#[tokio::test]
async fn json_files_import_too_and_bad_elements_are_named_by_line() {
    let guanjia = Guanjia::new();
    let good = r#"{
  "items": [
    {"basic_code": "B-1", "implementation_code": "J-1", "name": "建设工程规划许可", "item_type": "行政许可",
     "department": "自然资源局", "statutory_limit_days": 20, "promised_limit_days": 10,
     "required_materials": ["申请表", "设计方案"], "onsite_trips": 1},
    {"basic_code": "B-2", "implementation_code": "J-2", "name": "施工许可", "item_type": "administrative_licence",
     "department": "住建局", "statutory_limit_days": 15, "promised_limit_days": 7, "onsite_trips": 0}
  ],
  "bundles": [ {"code": "JK", "name": "工程建设一件事", "item_codes": ["J-1", "J-2"]} ]
}"#;
    let bad = good.replace("\"onsite_trips\": 0}", "\"onsite_trips\": 0, \"fee\": 3}");
    let file = write(guanjia.dir.path(), "bad.json", &bad);
    let ran = guanjia.run(&["catalog", "import", &file]);
    assert_eq!(ran.code, Some(1));
    // The element starts on line 6; its line 7 holds the unknown field.
    assert!(
        ran.stderr.contains("line 6: unknown field `fee`"),
        "{}",
        ran.stderr
    );
    assert!(all_events(&guanjia.store().await).await.is_empty());

    let file = write(guanjia.dir.path(), "good.json", good);
    guanjia.run(&["catalog", "import", &file]).ok();
    let store = guanjia.store().await;
    let catalog = store
        .load::<ServiceCatalog>(DEFAULT_CATALOG_ID)
        .await
        .expect("load")
        .state;
    assert!(catalog.current_bundle("JK").is_some());
}

#[tokio::test]
async fn an_operator_configured_for_a_town_may_not_import() {
    // The operator acts as an admin of `admin_division`; the catalog serves the whole district.
    let guanjia = Guanjia::new();
    let file = write(guanjia.dir.path(), "catalog.csv", &good_csv());
    let mut command = guanjia.command(&["catalog", "import", &file]);
    command.env("GUANJIA_ADMIN_DIVISION", "610902100000");
    let ran = guanjia.run_with(command);
    assert_eq!(ran.code, Some(1), "{}", ran.stdout);
    assert!(
        ran.stderr
            .contains("only an admin of the district changes it (your division is 610902100000)"),
        "{}",
        ran.stderr
    );
    assert!(all_events(&guanjia.store().await).await.is_empty());
}
