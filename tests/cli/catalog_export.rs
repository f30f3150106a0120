//! `catalog export`: the live catalog in the format `catalog import` reads, so that an export
//! imports back to the same catalog, in CSV and in JSON.

use crate::helpers::{write, Guanjia};

const HEADER: &str = "kind,code,name,basic_code,item_type,department,statutory_limit_days,promised_limit_days,onsite_trips,required_materials,item_codes\n";

#[test]
fn an_export_imports_back_to_the_same_catalog_in_csv_and_json() {
    let demo = Guanjia::with_demo();
    for format in ["csv", "json"] {
        let file = demo
            .path(&format!("catalog.{format}"))
            .display()
            .to_string();
        let ran = demo.run(&["catalog", "export", &file]).ok();
        assert!(ran.stdout.contains("items and"), "{}", ran.stdout);

        // Into the same catalog: nothing to do.
        let again = demo.run(&["catalog", "import", &file, "--dry-run"]).ok();
        assert!(
            again.stdout.contains("0 to publish, 0 to revise"),
            "{}",
            again.stdout
        );

        // Into an empty one: the same catalog, exported byte for byte the same.
        let fresh = Guanjia::new();
        let imported = fresh.run(&["catalog", "import", &file]).ok();
        assert!(
            imported
                .stdout
                .contains("to publish, 0 to revise, 0 unchanged"),
            "{}",
            imported.stdout
        );
        let copy = fresh.path(&format!("copy.{format}")).display().to_string();
        fresh.run(&["catalog", "export", &copy]).ok();
        assert_eq!(
            std::fs::read(&copy).expect("the copy"),
            std::fs::read(&file).expect("the export"),
            "{format}"
        );
    }
}

#[test]
fn formula_like_text_is_neutralised_in_the_csv_and_restored_on_import() {
    let guanjia = Guanjia::new();
    let csv = format!(
        "{HEADER}\
         item,T-1,=HYPERLINK(\"http://example.com\"),B-1,备案,-住建局,5,3,0,@申请书|+承诺书,\n\
         item,T-2,'引号开头,B-2,备案,住建局,5,3,0,备案表,\n\
         bundle,TK,开一家餐馆,,,,,,,,T-1|T-2\n"
    );
    let source = write(guanjia.dir.path(), "source.csv", &csv);
    guanjia.run(&["catalog", "import", &source]).ok();
    let file = guanjia.path("catalog.csv").display().to_string();
    guanjia.run(&["catalog", "export", &file]).ok();
    let text = std::fs::read_to_string(&file).expect("the export");
    for cell in [
        "\"'=HYPERLINK(\"\"http://example.com\"\")\"",
        "\"'-住建局\"",
        "\"'@申请书|+承诺书\"",
        "\"引号开头\"",
    ] {
        assert!(text.contains(cell), "{cell} missing from {text}");
    }
    let again = guanjia.run(&["catalog", "import", &file, "--dry-run"]).ok();
    assert!(
        again
            .stdout
            .contains("0 to publish, 0 to revise, 3 unchanged"),
        "{}",
        again.stdout
    );
}

#[test]
fn a_file_name_without_csv_or_json_is_refused() {
    let guanjia = Guanjia::new();
    let file = guanjia.path("catalog.xlsx").display().to_string();
    let ran = guanjia.run(&["catalog", "export", &file]);
    assert_eq!(ran.code, Some(1));
    assert!(
        ran.stderr.contains("must end in .csv or .json"),
        "{}",
        ran.stderr
    );
}
