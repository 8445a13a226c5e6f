//! Locale overrides without a rebuild, and the reviewer's sheet exported by
//! `locales --unreviewed [--sourced]`.

use std::path::Path;

use assert_cmd::Command;
use fieldbook::i18n::{Catalog, Locale};

const BOM: &str = "\u{feff}";
const HEADER: [&str; 7] = [
    "key",
    "Chinese",
    "English",
    "current Tibetan",
    "proposed Tibetan",
    "comment",
    "status",
];

fn fieldbook(home: &Path) -> Command {
    let mut c = Command::cargo_bin("fieldbook").unwrap();
    c.env("HOME", home)
        .env_remove("FIELDBOOK_DB")
        .env("FIELDBOOK_TODAY", "2026-06-01");
    c
}

fn bo_toml() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/locales/bo.toml")).unwrap()
}

/// Keys of `bo.toml` lines whose comment (after the value) starts with `marker`.
fn marked(marker: &str) -> Vec<String> {
    bo_toml()
        .lines()
        .filter(|l| {
            l.rsplit_once("\" # ")
                .is_some_and(|(_, c)| c.starts_with(marker))
        })
        .map(|l| l.split('=').next().unwrap().trim().to_owned())
        .collect()
}

/// The sheet's rows, header first, read with the csv crate.
fn rows(sheet: &str) -> Vec<Vec<String>> {
    let body = sheet
        .strip_prefix(BOM)
        .expect("the sheet starts with a BOM");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

fn export(home: &Path, args: &[&str]) -> String {
    let out = fieldbook(home)
        .args(args)
        .assert()
        .success()
        .get_output()
        .clone();
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn unreviewed_writes_a_csv_sheet_for_excel_with_every_unreviewed_text() {
    let dir = tempfile::tempdir().unwrap();
    let sheet = export(dir.path(), &["locales", "--unreviewed"]);
    // UTF-8 with a byte order mark, CRLF line ends: Excel and WPS open it.
    assert!(sheet.starts_with(BOM), "no BOM");
    assert!(sheet.contains("\r\n"));
    let rows = rows(&sheet);
    assert_eq!(rows[0], HEADER);
    let keys: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    let mut expected = marked("unreviewed");
    expected.sort();
    assert_eq!(keys, expected);
    let cat = Catalog::builtin();
    for r in &rows[1..] {
        assert_eq!(r.len(), 7, "{r:?}");
        assert_eq!(Some(r[1].as_str()), cat.get(Locale::Zh, &r[0]));
        assert_eq!(Some(r[2].as_str()), cat.get(Locale::En, &r[0]));
        assert_eq!(Some(r[3].as_str()), cat.get(Locale::Bo, &r[0]));
        assert_eq!(
            (r[4].as_str(), r[5].as_str(), r[6].as_str()),
            ("", "", "unreviewed")
        );
    }
    // Sourced and glossary-confirmed texts are not on it.
    assert!(!keys.contains(&"settings.title"));
    assert!(!keys.contains(&"action.save"));
    assert!(keys.contains(&"app.county"));
}

#[test]
fn sourced_adds_the_texts_that_match_a_public_translation_with_their_source() {
    let dir = tempfile::tempdir().unwrap();
    let sheet = export(dir.path(), &["locales", "--unreviewed", "--sourced"]);
    let rows = rows(&sheet);
    assert_eq!(
        rows.len() - 1,
        marked("unreviewed").len() + marked("sourced:").len()
    );
    let title = rows.iter().find(|r| r[0] == "settings.title").unwrap();
    assert_eq!(title[3], "སྒྲིག་འགོད");
    assert_eq!(title[6], "sourced: deepin; Samsung");
    // --sourced alone is a usage error.
    fieldbook(dir.path())
        .args(["locales", "--sourced"])
        .assert()
        .code(2);
}

#[test]
fn locales_counts_the_texts_at_each_level() {
    let dir = tempfile::tempdir().unwrap();
    let out = export(dir.path(), &["locales"]);
    let expected = format!(
        "Tibetan texts: 0 reviewed by a native speaker, {} matching a public translation, {} awaiting review.",
        marked("sourced:").len(),
        marked("unreviewed").len()
    );
    assert!(out.contains(&expected), "{out}");
    assert!(out.contains("bo.toml\t"), "{out}");
}

#[test]
fn a_locales_folder_beside_the_database_corrects_a_term_and_marks_it_reviewed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("locales")).unwrap();
    std::fs::write(
        dir.path().join("locales/bo.toml"),
        "app.name = \"ཞིང་ཐོ་དེབ\"\n",
    )
    .unwrap();
    let before = export(dir.path(), &["locales", "--unreviewed"]);
    assert!(rows(&before).iter().any(|r| r[0] == "app.name"));
    let db = dir.path().join("t.db");
    let sheet = export(
        dir.path(),
        &["--db", db.to_str().unwrap(), "locales", "--unreviewed"],
    );
    assert!(!rows(&sheet).iter().any(|r| r[0] == "app.name"), "{sheet}");
}

#[test]
fn a_broken_locale_override_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let locales = dir.path().join("fix");
    std::fs::create_dir(&locales).unwrap();
    std::fs::write(locales.join("zh.toml"), "settings.title = \n").unwrap();
    let out = fieldbook(dir.path())
        .arg("--db")
        .arg(dir.path().join("t.db"))
        .arg("--locales")
        .arg(&locales)
        .arg("init")
        .assert()
        .failure()
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(&locales.join("zh.toml").display().to_string()),
        "{err}"
    );
    assert!(!dir.path().join("t.db").exists(), "nothing was created");
}
