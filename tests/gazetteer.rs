//! `fieldbook gazetteer import FILE.csv`: villages from a list, every line
//! checked first, nothing written on any error.

use std::path::Path;

use assert_cmd::Command;
use fieldbook::store::{OpenOptions, Store};

fn fieldbook(dir: &Path) -> Command {
    let db = dir.join("t.db");
    if !db.exists() {
        Command::cargo_bin("fieldbook")
            .unwrap()
            .env("HOME", dir)
            .env_remove("FIELDBOOK_DB")
            .arg("--db")
            .arg(&db)
            .arg("init")
            .assert()
            .success();
    }
    let mut c = Command::cargo_bin("fieldbook").unwrap();
    c.env("HOME", dir)
        .env("USER", "tester")
        .env_remove("FIELDBOOK_DB")
        // English, whatever the machine's locale: without --lang the
        // command line speaks the locale's language (C is Chinese).
        .env("LANG", "en_US.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .arg("--db")
        .arg(db);
    c
}

fn villages(dir: &Path) -> Vec<(String, String, String, Option<i64>)> {
    let store = Store::open(&dir.join("t.db"), OpenOptions::read_only()).unwrap();
    let mut out = Vec::new();
    for t in store.townships().unwrap() {
        for v in store.villages_of(t.meta.id).unwrap() {
            out.push((v.code, v.name_zh, v.name_bo, v.exit_year));
        }
    }
    out
}

#[test]
fn a_clean_list_adds_villages_and_a_second_import_updates_them() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("v.csv");
    // With a BOM, as Excel writes it; columns in another order.
    std::fs::write(
        &csv,
        "\u{feff}township_code,code,name_zh,name_bo,exit_year\n\
         513333100,513333100201,德钦村,བདེ་ཆེན་གྲོང་སྡེ,2019\n\
         513333101,513333101202,,ནོར་བུ་གྲོང་སྡེ,\n",
    )
    .unwrap();
    fieldbook(dir.path())
        .args(["gazetteer", "import"])
        .arg(&csv)
        .assert()
        .success()
        .stdout(predicates::str::contains("2 added, 0 updated"));
    assert_eq!(
        villages(dir.path()),
        vec![
            (
                "513333100201".into(),
                "德钦村".into(),
                "བདེ་ཆེན་གྲོང་སྡེ".into(),
                Some(2019)
            ),
            ("513333101202".into(), "".into(), "ནོར་བུ་གྲོང་སྡེ".into(), None),
        ]
    );
    std::fs::write(
        &csv,
        "code,township_code,name_zh,name_bo,exit_year\n513333100201,513333100,德钦新村,,2020\n",
    )
    .unwrap();
    fieldbook(dir.path())
        .args(["gazetteer", "import"])
        .arg(&csv)
        .assert()
        .success()
        .stdout(predicates::str::contains("0 added, 1 updated"));
    assert_eq!(
        villages(dir.path())[0],
        (
            "513333100201".into(),
            "德钦新村".into(),
            "".into(),
            Some(2020)
        )
    );
}

#[test]
fn every_bad_line_is_reported_with_line_and_column_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("v.csv");
    std::fs::write(
        &csv,
        "code,township_code,name_zh,name_bo,exit_year\n\
         513333100201,513333100,德钦村,,2019\n\
         513333999001,513333999,错村,,2019\n\
         51333310020,513333100,短村,,2019\n\
         513333101201,513333100,错乡村,,2019\n\
         513333100201,513333100,重复村,,2019\n\
         513333100209,513333100,,,abc\n\
         513333100210,513333100,远村,,2099\n",
    )
    .unwrap();
    let out = fieldbook(dir.path())
        .args(["gazetteer", "import"])
        .arg(&csv)
        .assert()
        .failure()
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).unwrap();
    let file = csv.display().to_string();
    for (line, column) in [
        (3, "township_code"),
        (4, "code"),
        (5, "code"),
        (6, "code"),
        (7, "name_zh"),
        (7, "exit_year"),
        (8, "exit_year"),
    ] {
        let at = format!("{file}: line {line}, column {column}:");
        assert!(err.contains(&at), "missing {at:?} in:\n{err}");
    }
    assert!(err.contains("nothing was written"), "{err}");
    assert!(villages(dir.path()).is_empty(), "no village was written");
}

#[test]
fn a_missing_or_unknown_column_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("v.csv");
    std::fs::write(
        &csv,
        "code,name_zh,village_head\n513333100201,德钦村,扎西\n",
    )
    .unwrap();
    let out = fieldbook(dir.path())
        .args(["gazetteer", "import"])
        .arg(&csv)
        .assert()
        .failure()
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("column township_code"), "{err}");
    assert!(err.contains("column village_head"), "{err}");
}

#[test]
fn a_missing_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    fieldbook(dir.path())
        .args(["gazetteer", "import", "/nonexistent/villages.csv"])
        .assert()
        .failure()
        .stderr(predicates::str::contains(
            "/nonexistent/villages.csv: cannot read",
        ));
}

#[test]
fn importing_the_same_list_again_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("v.csv");
    std::fs::write(
        &csv,
        "code,township_code,name_zh,name_bo,exit_year\n513333100201,513333100,德钦村,,2019\n",
    )
    .unwrap();
    fieldbook(dir.path())
        .args(["gazetteer", "import"])
        .arg(&csv)
        .assert()
        .success();
    let audit = |dir: &Path| {
        Store::open(&dir.join("t.db"), OpenOptions::read_only())
            .unwrap()
            .audit_len()
            .unwrap()
    };
    let before = audit(dir.path());
    fieldbook(dir.path())
        .args(["gazetteer", "import"])
        .arg(&csv)
        .assert()
        .success()
        .stdout(predicates::str::contains("0 added, 0 updated, 1 unchanged"));
    assert_eq!(audit(dir.path()), before, "no change, no audit entry");
}

/// Runs the import of `text` and returns its error output (it must fail
/// and write nothing).
fn refused(text: &str) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("v.csv");
    std::fs::write(&csv, text).unwrap();
    let out = fieldbook(dir.path())
        .args(["gazetteer", "import"])
        .arg(&csv)
        .assert()
        .failure()
        .get_output()
        .clone();
    assert!(villages(dir.path()).is_empty(), "nothing written");
    (
        String::from_utf8(out.stderr).unwrap(),
        csv.display().to_string(),
    )
}

#[test]
fn lines_are_counted_right_in_crlf_files_with_blank_lines_and_breaks_in_quotes() {
    let (err, file) = refused(
        "code,township_code,name_zh,name_bo,exit_year\r\n\
         513333100201,513333100,德钦村,,2019\r\n\
         \r\n\
         513333100202,513333100,\"两行\r\n的村\",,2019\r\n\
         513333100203,513333100,坏年村,,20x9\r\n",
    );
    // The bad year is on the file's sixth line (a blank line, and a name
    // running over two lines, before it).
    let at = format!("{file}: line 6, column exit_year:");
    assert!(err.contains(&at), "{at:?} in:\n{err}");
}

#[test]
fn a_long_tibetan_name_is_reported_under_the_tibetan_name() {
    let long = "བཀྲ་ཤིས་".repeat(10);
    let (err, file) = refused(&format!(
        "code,township_code,name_zh,name_bo,exit_year\n513333100201,513333100,德钦村,{long},2019\n"
    ));
    let at = format!("{file}: line 2, column name_bo:");
    assert!(err.contains(&at), "{at:?} in:\n{err}");
    assert!(!err.contains("column name_zh"), "{err}");
}

#[test]
fn a_line_with_too_many_values_is_named_by_its_line_alone() {
    let (err, file) = refused(
        "code,township_code,name_zh,name_bo,exit_year\n513333100201,513333100,德钦村,,2019,extra\n",
    );
    let at = format!("{file}: line 2: the line has 6 values where the header has 5");
    assert!(err.contains(&at), "{at:?} in:\n{err}");
    assert!(
        !err.contains("column :") && !err.contains("column ,"),
        "{err}"
    );
}

#[test]
fn a_column_given_twice_is_refused() {
    let (err, file) = refused(
        "code,township_code,name_zh,name_bo,exit_year,name_zh\n513333100201,513333100,德钦村,,2019,另一个\n",
    );
    let at = format!("{file}: line 1, column name_zh: the column 'name_zh' appears twice");
    assert!(err.contains(&at), "{at:?} in:\n{err}");
}
