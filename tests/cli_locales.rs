//! Locale overrides without a rebuild, and the reviewer's sheet: exported by
//! `locales --unreviewed [--sourced]`, filled in, taken back by
//! `locales --apply`.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use fieldbook::i18n::{Catalog, Lang, Locale, Review};

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
        // English, whatever the machine's locale: without --lang the
        // command line speaks the locale's language (C is Chinese).
        .env("LANG", "en_US.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
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

/// Writes a filled sheet: the exported one with `fill` applied to its rows.
fn fill(sheet: &str, path: &Path, fill: impl Fn(&mut Vec<String>)) {
    let mut out = BOM.as_bytes().to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        for mut r in rows(sheet) {
            if r[0] != "key" {
                fill(&mut r);
            }
            w.write_record(&r).unwrap();
        }
    }
    std::fs::write(path, out).unwrap();
}

/// `fieldbook --db DB ARGS... locales --apply SHEET`.
fn apply(home: &Path, db: &Path, args: &[&str], sheet: &Path) -> assert_cmd::assert::Assert {
    fieldbook(home)
        .arg("--db")
        .arg(db)
        .args(args)
        .args(["locales", "--apply"])
        .arg(sheet)
        .assert()
}

#[test]
fn a_filled_sheet_round_trips_into_the_override_folder_and_the_app_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("county.db");
    let sheet = export(dir.path(), &["locales", "--unreviewed"]);
    let filled = dir.path().join("sheet.csv");
    // Excel writes the proposals in: a label, and a message with placeholders.
    fill(&sheet, &filled, |r| match r[0].as_str() {
        "app.name" => {
            r[4] = "ཞིང་ཐོ་དེབ".into();
            r[5] = "a field book,\nnot a field record".into();
        }
        "store.error.busy" => {
            r[4] = "{path} ལ་བྱ་རིམ་གཞན་ཞིག་གིས་འབྲི་བཞིན་ཡོད། སྐར་ཆ་ 5 རིང་སྒུག་རོགས།".into();
        }
        "help.footer" => r[4] = r[3].clone(), // confirms the current text
        _ => {}
    });
    let out = apply(dir.path(), &db, &["--operator", "བཀྲ་ཤིས་ཚེ་རིང"], &filled)
        .success()
        .get_output()
        .clone();
    let said = String::from_utf8(out.stdout).unwrap();
    let locales = dir.path().join("locales");
    assert!(
        said.contains(&format!(
            "3 Tibetan text(s) written to {}, marked reviewed by བཀྲ་ཤིས་ཚེ་རིང on 2026-06-01.",
            locales.join("bo.toml").display()
        )),
        "{said}"
    );
    let written = std::fs::read_to_string(locales.join("bo.toml")).unwrap();
    // A second sheet replaces the file whole: written beside it, renamed over it
    // (a new inode), never rewritten in place.
    let inode = |p: &Path| std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(p).unwrap());
    let first = inode(&locales.join("bo.toml"));
    let again = dir.path().join("again.csv");
    std::fs::write(&again, "key,proposed Tibetan\naction.up,གྱེན\n").unwrap();
    apply(dir.path(), &db, &["--operator", "བཀྲ་ཤིས་ཚེ་རིང"], &again).success();
    assert_ne!(inode(&locales.join("bo.toml")), first);
    assert!(
        std::fs::read_to_string(locales.join("bo.toml"))
            .unwrap()
            .starts_with(&written)
    );
    assert!(
        written.contains("app.name = \"ཞིང་ཐོ་དེབ\" # reviewed: བཀྲ་ཤིས་ཚེ་རིང 2026-06-01\n"),
        "{written}"
    );
    assert!(
        written.contains("# note: a field book, not a field record\n"),
        "{written}"
    );
    // The app reads the folder beside the database: the new text, reviewed.
    let cat = Catalog::with_overrides(&locales).unwrap();
    assert_eq!(cat.text(Lang::Bo, "app.name"), "ཞིང་ཐོ་དེབ");
    assert_eq!(
        cat.format(Lang::Bo, "store.error.busy", &[("path", "/d/c.db")]),
        "/d/c.db ལ་བྱ་རིམ་གཞན་ཞིག་གིས་འབྲི་བཞིན་ཡོད། སྐར་ཆ་ 5 རིང་སྒུག་རོགས།"
    );
    let reviewed = Review::Reviewed {
        by: "བཀྲ་ཤིས་ཚེ་རིང".into(),
        on: "2026-06-01".into(),
    };
    for key in ["app.name", "store.error.busy", "help.footer"] {
        assert_eq!(cat.review(key), Some(&reviewed), "{key}");
    }
    assert_eq!(
        cat.text(Lang::Bo, "help.footer"),
        Catalog::builtin().text(Lang::Bo, "help.footer")
    );
    // The next sheet no longer has them; nothing else was left in the folder.
    let next = export(
        dir.path(),
        &["--db", db.to_str().unwrap(), "locales", "--unreviewed"],
    );
    let keys: Vec<String> = rows(&next).into_iter().map(|r| r[0].clone()).collect();
    assert_eq!(keys.len(), rows(&sheet).len() - 4, "action.up went too");
    assert!(!keys.contains(&"app.name".to_owned()));
    let files: Vec<PathBuf> = std::fs::read_dir(&locales)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files, [locales.join("bo.toml")]);
}

#[test]
fn a_sheet_with_faults_writes_nothing_and_names_each_fault_in_the_users_language() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("county.db");
    let locales = dir.path().join("locales");
    std::fs::create_dir(&locales).unwrap();
    let before = "settings.title = \"སྒྲིག་བཀོད\"\n";
    std::fs::write(locales.join("bo.toml"), before).unwrap();
    let sheet = dir.path().join("sheet.csv");
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(HEADER).unwrap();
    for (key, text) in [
        ("app.name", "ཞིང་ཐོ་དེབ"),                           // line 2: fine
        ("no.such.key", "ཞིང་ཐོ"),                           // line 3: unknown key
        ("store.error.busy", "ལ་བྱ་རིམ་གཞན་ཞིག"),             // line 4: {path} dropped
        ("settings.language", "Language"),                 // line 5: English
        ("help.title", "རོགས་\nརམ"),                        // line 6: a line break
        ("store.error.sqlite", "{path}: {detail} ནོར་འཁྲུལ"), // line 8: English colon
        ("app.name", "ཞིང་ཐོ"),                              // line 9: twice
    ] {
        w.write_record([key, "", "", "", text, "", ""]).unwrap();
    }
    std::fs::write(&sheet, w.into_inner().unwrap()).unwrap();
    let name = sheet.display().to_string();
    let err = |lang: &str| {
        let out = apply(
            dir.path(),
            &db,
            &["--operator", "Tashi", "--lang", lang],
            &sheet,
        )
        .failure()
        .get_output()
        .clone();
        String::from_utf8(out.stderr).unwrap()
    };
    let en = err("en");
    for expected in [
        format!("{name}: line 3, column 1: no text has the key 'no.such.key'"),
        format!(
            "{name}: line 4, column 5: the placeholders must stay exactly as they are: {{path}}, not —"
        ),
        format!("{name}: line 5, column 5: character 1: “Language” is not Tibetan script"),
        format!("{name}: line 6, column 5: character 6 is a control character"),
        format!("{name}: line 8, column 5: character 7: “:” is English punctuation"),
        format!("{name}: line 9, column 1: the key 'app.name' appears twice (first on line 2)"),
        "6 problem(s) found; nothing was written.".to_owned(),
    ] {
        assert!(en.contains(&expected), "missing {expected:?} in\n{en}");
    }
    let zh = err("zh");
    assert!(
        zh.contains(&format!(
            "{name}：第 3 行，1 列：没有键为“no.such.key”的文本"
        )),
        "{zh}"
    );
    assert!(zh.contains("发现 6 处问题；未写入任何内容。"), "{zh}");
    // Tibetan: the messages translated so far, the Chinese for the others.
    let bo = err("bo");
    assert!(
        bo.contains(&format!("{name}། ཕྲེང་ 3 སྟར་ 1། 没有键为“no.such.key”的文本")),
        "{bo}"
    );
    assert!(bo.contains("དཀའ་ངལ་ 6 རྙེད། ཅི་ཡང་མ་བྲིས།"), "{bo}");
    // Nothing written: the override file is as it was, and alone.
    assert_eq!(
        std::fs::read_to_string(locales.join("bo.toml")).unwrap(),
        before
    );
    assert_eq!(std::fs::read_dir(&locales).unwrap().count(), 1);
}

#[test]
fn a_sheet_needs_its_columns_and_a_reviewer() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("county.db");
    let sheet = dir.path().join("sheet.csv");
    std::fs::write(&sheet, "key,Tibetan\napp.name,ཞིང་ཐོ\n").unwrap();
    let out = apply(dir.path(), &db, &["--operator", "Tashi"], &sheet)
        .failure()
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(&format!(
            "{}: line 1: the column 'proposed Tibetan' is missing",
            sheet.display()
        )),
        "{err}"
    );
    // Who vouches for the sheet is named: no --operator, nothing applied.
    let sheet_ok = dir.path().join("ok.csv");
    std::fs::write(&sheet_ok, "key,proposed Tibetan\napp.name,ཞིང་ཐོ\n").unwrap();
    let out = fieldbook(dir.path())
        .arg("--db")
        .arg(&db)
        .args(["locales", "--apply"])
        .arg(&sheet_ok)
        .assert()
        .failure()
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("--operator NAME"), "{err}");
    assert!(!dir.path().join("locales").exists());
    // An empty proposed column writes nothing either, and says so.
    std::fs::write(&sheet_ok, "key,proposed Tibetan\napp.name,\n").unwrap();
    let out = apply(dir.path(), &db, &["--operator", "Tashi"], &sheet_ok)
        .success()
        .get_output()
        .clone();
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("nothing was written")
    );
    assert!(!dir.path().join("locales").exists());
}

#[test]
fn apply_keeps_the_other_lines_of_an_override_file_and_replaces_a_texts_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("county.db");
    let locales = dir.path().join("fix");
    std::fs::create_dir(&locales).unwrap();
    std::fs::write(
        locales.join("bo.toml"),
        "# corrected on site\nsettings.title = \"སྒྲིག་བཀོད\"\n# note: old\napp.name = \"ཞིང\" # unreviewed\n",
    )
    .unwrap();
    let sheet = dir.path().join("sheet.csv");
    std::fs::write(
        &sheet,
        "key,proposed Tibetan,comment\napp.name,ཞིང་ཐོ་དེབ,new\nhelp.title,\"རོགས་\"\"རམ\"\"\",\n",
    )
    .unwrap();
    fieldbook(dir.path())
        .arg("--db")
        .arg(&db)
        .arg("--locales")
        .arg(&locales)
        .args(["--operator", "Tashi", "locales", "--apply"])
        .arg(&sheet)
        .assert()
        .failure(); // the quote marks are not Tibetan: nothing applied
    std::fs::write(
        &sheet,
        "key,proposed Tibetan,comment\napp.name,ཞིང་ཐོ་དེབ,new\nhelp.title,རོགས་རམ་,\n",
    )
    .unwrap();
    fieldbook(dir.path())
        .arg("--db")
        .arg(&db)
        .arg("--locales")
        .arg(&locales)
        .args(["--operator", "Tashi Tsering", "locales", "--apply"])
        .arg(&sheet)
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(locales.join("bo.toml")).unwrap(),
        "# corrected on site\n\
         settings.title = \"སྒྲིག་བཀོད\"\n\
         # note: new\n\
         app.name = \"ཞིང་ཐོ་དེབ\" # reviewed: Tashi Tsering 2026-06-01\n\
         help.title = \"རོགས་རམ་\" # reviewed: Tashi Tsering 2026-06-01\n"
    );
    assert!(
        !dir.path().join("locales").exists(),
        "--locales DIR is the folder"
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

#[test]
fn a_text_still_to_be_translated_may_keep_the_latin_of_the_chinese_but_not_the_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("county.db");
    let cat = Catalog::builtin();
    assert_eq!(cat.get(Locale::Bo, "locales.error.no_reviewer"), Some(""));
    let zh = cat.get(Locale::Zh, "locales.error.no_reviewer").unwrap();
    assert!(zh.contains("--operator"));
    let sheet = dir.path().join("sheet.csv");
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["key", "proposed Tibetan"]).unwrap();
    w.write_record(["locales.error.no_reviewer", zh]).unwrap();
    std::fs::write(&sheet, w.into_inner().unwrap()).unwrap();
    let out = apply(dir.path(), &db, &["--operator", "Tashi"], &sheet)
        .failure()
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("is not Tibetan script"), "{err}");
    std::fs::write(
        &sheet,
        "key,proposed Tibetan\nlocales.error.no_reviewer,--operator བཀྲ་ཤིས\n",
    )
    .unwrap();
    apply(dir.path(), &db, &["--operator", "Tashi"], &sheet).success();
    let cat = Catalog::with_overrides(&dir.path().join("locales")).unwrap();
    assert_eq!(
        cat.text(Lang::Bo, "locales.error.no_reviewer"),
        "--operator བཀྲ་ཤིས"
    );
}
