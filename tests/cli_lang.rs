//! The command line's language without `--lang`: the one chosen in the
//! app's settings, else the environment's locale, else Chinese; `--lang`
//! over both. `--help` in that language from the locales. Reading the
//! setting never touches a file that is not fieldbook's.
//!
//! Every run gets HOME pointed at a temporary folder, FIELDBOOK_DB removed
//! and the locale variables set by the test alone.

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use fieldbook::i18n::{Catalog, Lang, Locale};
use fieldbook::store::{OpenOptions, Store, execute_raw};
use tempfile::TempDir;

/// `fieldbook` with a private HOME and only the locale variables given.
fn fb(home: &Path, locale: &[(&str, &str)]) -> Command {
    let mut c = Command::cargo_bin("fieldbook").unwrap();
    c.env("HOME", home)
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env_remove("FIELDBOOK_DB")
        .env("FIELDBOOK_TODAY", "2026-06-01")
        .env("USER", "tester")
        .timeout(Duration::from_secs(60));
    for var in ["LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE"] {
        c.env_remove(var);
    }
    for (k, v) in locale {
        c.env(k, v);
    }
    c
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn t(lang: Lang, key: &str) -> String {
    Catalog::builtin().text(lang, key)
}

/// A database with a few households, and `lang` saved in its settings as
/// the app saves it.
fn database(lang: Option<&str>) -> (TempDir, PathBuf) {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("county.db");
    let mut store = Store::open(&db, OpenOptions::create()).unwrap();
    store.set_operator("泽仁");
    fieldbook::demo::generate(&mut store, 2, 1).unwrap();
    if let Some(lang) = lang {
        store.set_setting("lang", lang).unwrap();
    }
    (home, db)
}

/// The first line of `lookup 513333` (every demo ID number starts so).
fn headings(home: &Path, db: &Path, args: &[&str], locale: &[(&str, &str)]) -> String {
    let out = fb(home, locale)
        .arg("--db")
        .arg(db)
        .args(args)
        .args(["lookup", "513333", "--limit", "1"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned()
}

const EN_US: (&str, &str) = ("LANG", "en_US.UTF-8");
const BO_CN: (&str, &str) = ("LANG", "bo_CN.UTF-8");

#[test]
fn lookup_without_lang_speaks_the_language_chosen_in_the_app() {
    let (home, db) = database(Some("zh"));
    // The officer's SSH session says English: the app's choice wins.
    let line = headings(home.path(), &db, &[], &[EN_US]);
    assert!(line.starts_with("中文姓名"), "{line}");
    for (code, lang) in [("bo", Lang::Bo), ("zh+bo", Lang::ZhBo), ("en", Lang::En)] {
        Store::open(&db, OpenOptions::create())
            .unwrap()
            .set_setting("lang", code)
            .unwrap();
        let line = headings(home.path(), &db, &[], &[BO_CN]);
        assert!(
            line.starts_with(&t(lang, "lookup.col.name_zh")),
            "{code}: {line}"
        );
    }
}

#[test]
fn without_a_setting_the_locale_of_the_environment_decides() {
    let (home, db) = database(None);
    let bo = t(Lang::Bo, "lookup.col.name_zh");
    assert!(bo.starts_with("རྒྱ་ཡིག"), "{bo}");
    for (locale, expected) in [
        (&[BO_CN][..], bo.as_str()),
        (&[("LANG", "zh_CN.UTF-8")], "中文姓名"),
        (&[EN_US], "Name (Chinese)"),
        // The first variable set decides: LC_ALL, then LC_MESSAGES, then LANG.
        (&[("LC_ALL", "en_US.UTF-8"), BO_CN], "Name (Chinese)"),
        (
            &[("LC_ALL", ""), ("LC_MESSAGES", "zh_CN.UTF-8"), EN_US],
            "中文姓名",
        ),
        // C, POSIX or nothing: Chinese, as the app opens.
        (&[("LANG", "C.UTF-8")], "中文姓名"),
        (&[("LC_ALL", "POSIX"), BO_CN], "中文姓名"),
        (&[], "中文姓名"),
    ] {
        let line = headings(home.path(), &db, &[], locale);
        assert!(line.starts_with(expected), "{locale:?}: {line}");
    }
}

#[test]
fn lang_overrides_the_setting_and_the_environment() {
    let (home, db) = database(Some("zh"));
    let line = headings(home.path(), &db, &["--lang", "en"], &[BO_CN]);
    assert!(line.starts_with("Name (Chinese)"), "{line}");
    let line = headings(home.path(), &db, &["--lang=bo"], &[("LANG", "zh_CN.UTF-8")]);
    assert!(
        line.starts_with(&t(Lang::Bo, "lookup.col.name_zh")),
        "{line}"
    );
}

#[test]
fn errors_come_in_the_chosen_language_naming_the_line_and_column_at_fault() {
    let (home, db) = database(Some("zh"));
    let csv = home.path().join("villages.csv");
    std::fs::write(
        &csv,
        "code,township_code,name_zh,name_bo,exit_year\n\
         513333100201,513333100,德钦村,,2019\n\
         513333100202,513333100,坏年村,,20x9\n",
    )
    .unwrap();
    let out = fb(home.path(), &[EN_US])
        .arg("--db")
        .arg(&db)
        .args(["gazetteer", "import"])
        .arg(&csv)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    let at = format!("{}：第 3 行，exit_year 列：", csv.display());
    assert!(err.contains(&at), "{at:?} in:\n{err}");
    assert!(!err.contains("line 3"), "{err}");

    // A database error: in English for the maintainers, then in the
    // environment's language (no database, so no setting to read).
    let missing = home.path().join("nowhere.db");
    let out = fb(home.path(), &[("LANG", "zh_CN.UTF-8")])
        .arg("--db")
        .arg(&missing)
        .arg("check")
        .output()
        .unwrap();
    let err = text(&out.stderr);
    let path = missing.display().to_string();
    let zh = Catalog::builtin().format(Lang::Zh, "store.error.not_found", &[("path", &path)]);
    let en = Catalog::builtin().format(Lang::En, "store.error.not_found", &[("path", &path)]);
    assert!(zh.contains("不存在"), "{zh}");
    assert_eq!(err, format!("fieldbook: {en}\nfieldbook: {zh}\n"));
    assert!(!missing.exists());
}

/// Everything in a folder, with each file's bytes.
fn folder(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let bytes = std::fs::read(e.path()).unwrap_or_default();
            (e.file_name().to_string_lossy().into_owned(), bytes)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn reading_the_language_never_touches_a_file_that_is_not_fieldbooks() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("data");
    std::fs::create_dir(&dir).unwrap();
    // Another program's database that happens to hold a `settings` table
    // saying Tibetan, in WAL mode (opening it at all would leave -wal and
    // -shm files beside it).
    let foreign = dir.join("other.db");
    execute_raw(
        &foreign,
        "PRAGMA journal_mode = WAL; PRAGMA user_version = 3;
         CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT);
         INSERT INTO settings VALUES ('lang', 'bo');",
    )
    .unwrap();
    let before = folder(&dir);
    assert_eq!(
        before.len(),
        1,
        "{:?}",
        before.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    // --help reads the language first: the environment's, not the file's.
    let out = fb(home.path(), &[EN_US])
        .arg("--db")
        .arg(&foreign)
        .arg("--help")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        text(&out.stdout).starts_with(&t(Lang::En, "cli.help.about")),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(folder(&dir), before, "--help touched the file");
    // A command is refused in English alone: the file's setting is not read.
    let out = fb(home.path(), &[EN_US])
        .arg("--db")
        .arg(&foreign)
        .arg("init")
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert!(err.contains("not a fieldbook database"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "English only: {err}");
    assert_eq!(folder(&dir), before, "init touched the file");

    // No file at all: the help is shown and nothing is made.
    let missing = dir.join("no").join("such.db");
    fb(home.path(), &[EN_US])
        .arg("--db")
        .arg(&missing)
        .args(["lookup", "--help"])
        .assert()
        .success();
    assert!(!missing.parent().unwrap().exists());

    // fieldbook's own database, read-only on disk: its setting is read,
    // its bytes stay as they were.
    let (home, db) = database(Some("zh"));
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o400)).unwrap();
    }
    let bytes = std::fs::read(&db).unwrap();
    let out = fb(home.path(), &[EN_US])
        .arg("--db")
        .arg(&db)
        .arg("--help")
        .output()
        .unwrap();
    assert!(
        text(&out.stdout).starts_with(&t(Lang::Zh, "cli.help.about")),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(std::fs::read(&db).unwrap(), bytes);
}

/// Every command, as `fieldbook PATH --help` names it, with its locale key.
fn commands() -> Vec<(Vec<String>, String)> {
    fieldbook::cli::help::keys()
        .iter()
        .filter_map(|k| k.strip_prefix("cli.help.cmd.")?.strip_suffix(".about"))
        .filter(|path| *path != "help")
        .map(|path| {
            let key = format!("cli.help.cmd.{path}.about");
            (path.split('.').map(str::to_owned).collect(), key)
        })
        .collect()
}

#[test]
fn every_help_text_is_in_the_locales_in_english_and_chinese() {
    let cat = Catalog::builtin();
    let keys = fieldbook::cli::help::keys();
    assert!(keys.len() > 30, "{keys:?}");
    for key in &keys {
        for l in [Locale::En, Locale::Zh] {
            let text = cat.get(l, key).unwrap_or_default();
            assert!(!text.is_empty(), "{key} has no {l:?} text");
        }
    }
    assert!(
        commands()
            .iter()
            .any(|(p, _)| p == &["gazetteer", "import"])
    );
}

#[test]
fn help_comes_from_the_locales_in_the_chosen_language() {
    let home = tempfile::tempdir().unwrap();
    let help = |args: &[&str], locale: &[(&str, &str)]| {
        let out = fb(home.path(), locale).args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        text(&out.stdout)
    };
    for lang in [Lang::Zh, Lang::En] {
        let code = lang.code();
        // The program: what it is, every command, every option, the headings.
        let top = help(&["--lang", code, "--help"], &[]);
        assert!(top.starts_with(&t(lang, "cli.help.about")), "{top}");
        for key in ["cli.help.usage", "cli.help.commands", "cli.help.options"] {
            assert!(top.contains(&t(lang, key)), "{code} {key}: {top}");
        }
        for (_, key) in commands().iter().filter(|(p, _)| p.len() == 1) {
            assert!(top.contains(&t(lang, key)), "{code} {key}: {top}");
        }
        for id in [
            "db",
            "lang",
            "operator",
            "read_only",
            "locales",
            "help",
            "version",
        ] {
            let key = format!("cli.help.arg.{id}");
            assert!(top.contains(&t(lang, &key)), "{code} {key}: {top}");
        }
        // Each command: what it does and each of its arguments.
        for (path, key) in commands() {
            let mut args = vec!["--lang", code];
            args.extend(path.iter().map(String::as_str));
            args.push("--help");
            let page = help(&args, &[]);
            assert!(page.contains(&t(lang, &key)), "{args:?}: {page}");
            assert!(
                page.contains(&t(lang, "cli.help.arg.db")),
                "{args:?}: {page}"
            );
            for arg in fieldbook::cli::help::keys() {
                let prefix = format!("cli.help.cmd.{}.", path.join("."));
                let Some(id) = arg.strip_prefix(&prefix) else {
                    continue;
                };
                if id.contains('.') || id == "about" {
                    continue;
                }
                assert!(page.contains(&t(lang, &arg)), "{args:?} {arg}: {page}");
            }
        }
    }
    let zh = help(&["--lang", "zh", "lookup", "--help"], &[]);
    assert!(zh.contains("用法：") && zh.contains("选项："), "{zh}");
    assert!(!zh.contains("Find persons"), "{zh}");
    assert!(
        help(&["--lang", "zh", "help", "lookup"], &[])
            .contains(&t(Lang::Zh, "cli.help.cmd.lookup.about"))
    );

    // Without --lang: the app's setting, else the environment's locale.
    let (home2, db) = database(Some("zh"));
    let out = fb(home2.path(), &[EN_US])
        .arg("--db")
        .arg(&db)
        .args(["lookup", "--help"])
        .output()
        .unwrap();
    assert!(text(&out.stdout).starts_with(&t(Lang::Zh, "cli.help.cmd.lookup.about")));
    let out = fb(home2.path(), &[EN_US])
        .env("FIELDBOOK_DB", &db)
        .arg("--help")
        .output()
        .unwrap();
    assert!(text(&out.stdout).starts_with(&t(Lang::Zh, "cli.help.about")));
    assert!(
        help(&["--help"], &[("LANG", "zh_CN.UTF-8")]).starts_with(&t(Lang::Zh, "cli.help.about"))
    );
    assert!(help(&["--help"], &[EN_US]).starts_with("Field data entry"));
    // A text corrected in a locales folder beside the database shows too.
    let dir = home2.path().join("locales");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(
        dir.join("zh.toml"),
        "cli.help.cmd.lookup.about = \"查人查户\"\n",
    )
    .unwrap();
    let out = fb(home2.path(), &[EN_US])
        .arg("--db")
        .arg(&db)
        .args(["lookup", "--help"])
        .output()
        .unwrap();
    assert!(
        text(&out.stdout).starts_with("查人查户\n"),
        "{}",
        text(&out.stdout)
    );
    // Tibetan asked for, no Tibetan text yet: the Chinese is shown.
    assert_eq!(
        Catalog::builtin().get(Locale::Bo, "cli.help.about"),
        Some("")
    );
    let bo = help(&["export", "--help"], &[BO_CN]);
    assert!(
        bo.starts_with(&t(Lang::Zh, "cli.help.cmd.export.about")),
        "{bo}"
    );
}
