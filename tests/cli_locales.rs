//! Locale overrides without a rebuild, and the list of terms awaiting review.

use assert_cmd::Command;

fn fieldbook(home: &std::path::Path) -> Command {
    let mut c = Command::cargo_bin("fieldbook").unwrap();
    c.env("HOME", home).env_remove("FIELDBOOK_DB");
    c
}

#[test]
fn unreviewed_lists_the_marked_tibetan_terms_with_their_keys() {
    let dir = tempfile::tempdir().unwrap();
    let out = fieldbook(dir.path())
        .args(["locales", "--unreviewed"])
        .assert()
        .success()
        .get_output()
        .clone();
    let text = String::from_utf8(out.stdout).unwrap();
    let bo =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/locales/bo.toml")).unwrap();
    let marked = bo
        .lines()
        .filter(|l| l.trim_end().ends_with("# unreviewed"))
        .count();
    assert_eq!(text.lines().count(), marked);
    assert!(text.lines().any(|l| l.starts_with("app.name\t")), "{text}");
    // A term confirmed in the glossary, or sourced, is not listed.
    assert!(
        !text.lines().any(|l| l.starts_with("settings.title\t")),
        "{text}"
    );
    assert!(
        !text.lines().any(|l| l.starts_with("action.save\t")),
        "{text}"
    );
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
    let out = fieldbook(dir.path())
        .arg("--db")
        .arg(dir.path().join("t.db"))
        .args(["locales", "--unreviewed"])
        .assert()
        .success()
        .get_output()
        .clone();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.lines().any(|l| l.starts_with("app.name\t")), "{text}");
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
