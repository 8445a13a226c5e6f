//! `fieldbook lookup` and `fieldbook wylie` as a county officer uses them
//! over SSH, `--read-only` refusing every write, and lookups next to a
//! writer: never waiting for it, never seeing its unsaved work.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use chrono::NaiveDate;
use fieldbook::domain::records::*;
use fieldbook::i18n::{Catalog, Lang};
use fieldbook::store::{OpenOptions, Store, StoreError};
use fieldbook::text::width;
use tempfile::TempDir;

/// `fieldbook` with a private HOME and no FIELDBOOK_DB.
fn fb(home: &Path) -> Command {
    let mut c = Command::cargo_bin("fieldbook").unwrap();
    c.env("HOME", home)
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env_remove("FIELDBOOK_DB")
        // English, whatever the machine's locale: without --lang the
        // command line speaks the locale's language (C is Chinese).
        .env("LANG", "en_US.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("FIELDBOOK_TODAY", "2026-06-01")
        .env("USER", "tester")
        .timeout(Duration::from_secs(60));
    c
}

fn lookup(home: &Path, db: &Path, args: &[&str]) -> std::process::Output {
    fb(home)
        .arg("--db")
        .arg(db)
        .arg("lookup")
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// A database with names of every width: Chinese only, Tibetan only, both,
/// long and short, and one person with a post and trainings.
fn county() -> (TempDir, PathBuf) {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("county.db");
    let mut store = Store::open(&db, OpenOptions::create()).unwrap();
    store.set_operator("泽仁");
    let t = store.township_by_code("513333100").unwrap().unwrap();
    let mut village = Village {
        code: "513333100201".into(),
        township_id: t.meta.id,
        name_zh: "德钦村".into(),
        name_bo: "བདེ་ཆེན་གྲོང་སྡེ".into(),
        ..Default::default()
    };
    store.save(&mut village).unwrap();
    let mut h = Household {
        number: "513333100201000001".into(),
        village_id: village.meta.id,
        registered_poor: true,
        phone: "0836-8522345".into(),
        ..Default::default()
    };
    let mut people = vec![
        person("扎西泽仁", "བཀྲ་ཤིས་ཚེ་རིང", "513333198503140113"),
        person("", "སྒྲོལ་མ", "513333198701010029"),
        person("张三", "", "513333199001011236"),
        person("阿旺罗布", "ངག་དབང་ནོར་བུ", ""),
        person("尼玛", "ཉི་མ", "513333201001010022"),
    ];
    // A household has exactly one head.
    people[0].relation = "head".into();
    people[0].birth_date = Some(d(1985, 3, 14));
    people[0].phone = "18412347583".into();
    store.save_household(&mut h, &mut people).unwrap();
    let ranger = store
        .post_types()
        .unwrap()
        .into_iter()
        .find(|p| p.code == "forest_ranger")
        .unwrap();
    let mut post = Post {
        post_type_id: ranger.meta.id,
        village_id: village.meta.id,
        status: "filled".into(),
        required_days: 22,
        ..Default::default()
    };
    store.save(&mut post).unwrap();
    let mut a = PostAssignment {
        post_id: post.meta.id,
        person_id: people[0].meta.id,
        start_date: d(2026, 1, 1),
        agreement_end: d(2026, 12, 31),
        ..Default::default()
    };
    store.save(&mut a).unwrap();
    let sewing = store
        .courses()
        .unwrap()
        .into_iter()
        .find(|c| c.code == "sewing")
        .unwrap();
    let mut s = TrainingSession {
        course_id: sewing.meta.id,
        period: 1,
        mode: "to_villages".into(),
        start_date: d(2026, 4, 1),
        end_date: d(2026, 4, 20),
        target_group: "poor_labourers".into(),
        capacity: 30,
        ..Default::default()
    };
    store.save(&mut s).unwrap();
    let mut e = Enrolment {
        session_id: s.meta.id,
        person_id: people[1].meta.id,
        outcome: "completed".into(),
        ..Default::default()
    };
    store.save(&mut e).unwrap();
    let mut v = Visit {
        household_id: h.meta.id,
        visit_date: d(2026, 2, 3),
        round: "2026-start".into(),
        visit_type: "annual".into(),
        status: "submitted".into(),
        ..Default::default()
    };
    store.save(&mut v).unwrap();
    (home, db)
}

fn person(zh: &str, bo: &str, id: &str) -> Person {
    Person {
        name_zh: zh.into(),
        name_bo: bo.into(),
        id_number: id.into(),
        relation: "child".into(),
        ..Default::default()
    }
}

/// Display width (terminal cells) of `line` up to where `cell` starts.
fn column_of(line: &str, cell: &str) -> usize {
    let at = line
        .find(cell)
        .unwrap_or_else(|| panic!("{cell:?} not in {line:?}"));
    width(&line[..at])
}

#[test]
fn the_table_is_aligned_in_terminal_cells_for_chinese_and_tibetan_names() {
    let (home, db) = county();
    let out = lookup(home.path(), &db, &["513333100201000001"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 6, "header and five members:\n{stdout}");
    assert!(lines[0].starts_with("Name (Chinese)"), "{stdout}");
    // Every row's ID number, household number and last visit start in the
    // same terminal column as the header's, whatever the names before them.
    let id_col = column_of(lines[0], "ID number");
    let hh_col = column_of(lines[0], "Household");
    let visit_col = column_of(lines[0], "Last visit");
    for line in &lines[1..] {
        assert_eq!(column_of(line, "513333100201000001"), hh_col, "{line}");
        assert_eq!(column_of(line, "2026-02-03"), visit_col, "{line}");
    }
    // Each member's masked ID number in that column; 阿旺罗布 has none.
    for (name, id) in [
        ("扎西泽仁", Some("513333********0113")),
        ("སྒྲོལ་མ", Some("513333********0029")),
        ("张三", Some("513333********1236")),
        ("阿旺罗布", None),
        ("尼玛", Some("513333********0022")),
    ] {
        let line = lines
            .iter()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name} not listed:\n{stdout}"));
        match id {
            Some(id) => assert_eq!(column_of(line, id), id_col, "{line}"),
            None => assert!(!line.contains("513333*"), "{line}"),
        }
    }
    // The Tibetan name column starts at one column in every row too.
    let bo_col = column_of(lines[0], "Name (Tibetan)");
    for bo in ["བཀྲ་ཤིས་ཚེ་རིང", "སྒྲོལ་མ", "ངག་དབང་ནོར་བུ", "ཉི་མ"]
    {
        let line = lines.iter().find(|l| l.contains(bo)).unwrap();
        assert_eq!(column_of(line, bo), bo_col, "{line}");
    }
    // What the row shows: village, post, training, masked ID.
    let zhaxi = lines.iter().find(|l| l.contains("扎西泽仁")).unwrap();
    assert!(zhaxi.contains("513333********0113"), "{zhaxi}");
    assert!(zhaxi.contains("德钦村"), "{zhaxi}");
    assert!(zhaxi.contains("Ecological forest ranger"), "{zhaxi}");
    let drolma = lines.iter().find(|l| l.contains("སྒྲོལ་མ")).unwrap();
    assert!(drolma.contains("Sewing"), "{drolma}");
    assert!(!stdout.contains('\u{1b}'), "no colour or terminal codes");
}

#[test]
fn id_numbers_are_masked_unless_asked() {
    let (home, db) = county();
    let out = lookup(home.path(), &db, &["zhaxizeren"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("513333********0113"), "{stdout}");
    assert!(!stdout.contains("198503140113"), "{stdout}");
    let out = lookup(home.path(), &db, &["zhaxizeren", "--show-id"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("513333198503140113"));
}

/// What would give a masked ID number back, or name the person as surely:
/// the birth date (the number's hidden middle) and the phones.
const REVEALING: [&str; 5] = [
    "1985-03-14",
    "19850314",
    "18412347583",
    "8522345",
    "513333198503140113",
];

#[test]
fn birth_date_and_phones_are_masked_with_the_id_number_unless_asked() {
    let (home, db) = county();
    // JSON: the year of birth, and phones as 184****7583.
    let out = lookup(home.path(), &db, &["--json", "zhaxizeren"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let r: serde_json::Value = serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
    assert_eq!(r["id_number"], "513333********0113");
    assert_eq!(r["birth_date"], "1985-**-**");
    assert_eq!(r["phone"], "184****7583");
    assert_eq!(r["household_phone"], "083*-***2345");
    // The table: neither birth date nor phone, masked or not.
    let table = text(&lookup(home.path(), &db, &["zhaxizeren"]).stdout);
    assert!(table.contains("513333********0113"), "{table}");
    for (format, printed) in [("json", &stdout), ("table", &table)] {
        for secret in REVEALING {
            assert!(
                !printed.contains(secret),
                "{format} shows {secret}: {printed}"
            );
        }
    }
    // --show-id shows everything.
    let out = lookup(home.path(), &db, &["--json", "--show-id", "zhaxizeren"]);
    let r: serde_json::Value =
        serde_json::from_str(text(&out.stdout).lines().next().unwrap()).unwrap();
    assert_eq!(r["id_number"], "513333198503140113");
    assert_eq!(r["birth_date"], "1985-03-14");
    assert_eq!(r["phone"], "18412347583");
    assert_eq!(r["household_phone"], "0836-8522345");
    let table = text(&lookup(home.path(), &db, &["--show-id", "zhaxizeren"]).stdout);
    assert!(table.contains("513333198503140113"), "{table}");
    // A person without a birth date or phone keeps them empty.
    let out = lookup(home.path(), &db, &["--json", "张三"]);
    let r: serde_json::Value =
        serde_json::from_str(text(&out.stdout).lines().next().unwrap()).unwrap();
    assert!(r["birth_date"].is_null(), "{r}");
    assert_eq!(r["phone"], "");
}

#[test]
fn json_lines_for_scripts() {
    let (home, db) = county();
    let out = lookup(home.path(), &db, &["--json", "bkra", "shis"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let rows: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(rows.len(), 1);
    let r = &rows[0];
    assert_eq!(r["name_zh"], "扎西泽仁");
    assert_eq!(r["name_bo"], "བཀྲ་ཤིས་ཚེ་རིང");
    assert_eq!(r["id_number"], "513333********0113");
    assert!(r.get("id_masked").is_none());
    assert_eq!(r["household_number"], "513333100201000001");
    assert_eq!(r["village_zh"], "德钦村");
    assert_eq!(r["posts"][0]["zh"], "生态护林员");
    assert_eq!(r["last_visit"], "2026-02-03");
    assert_eq!(r["kind"], "wylie");
    assert_eq!(r["tier"], "prefix");
    let out = lookup(home.path(), &db, &["--json", "--show-id", "bkra shis"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("\"513333198503140113\""));
}

#[test]
fn exit_status_says_whether_anything_was_found() {
    let (home, db) = county();
    let out = lookup(home.path(), &db, &["格萨尔"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(text(&out.stderr).contains("格萨尔"), "names the query");
    let out = lookup(home.path(), &db, &["?!"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("'?!'"), "{}", text(&out.stderr));
    let out = lookup(home.path(), &db, &[]);
    assert_eq!(out.status.code(), Some(2), "QUERY is required");
    let out = lookup(home.path(), &db, &["ni ma", "--limit", "0"]);
    assert_eq!(out.status.code(), Some(2));
    let missing = home.path().join("nowhere.db");
    let out = lookup(home.path(), &missing, &["张三"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("nowhere.db"),
        "{}",
        text(&out.stderr)
    );
    assert!(!missing.exists(), "a lookup creates nothing");
}

#[test]
fn the_limit_is_kept_and_the_rest_announced_apart_from_the_table() {
    let (home, db) = county();
    let out = lookup(home.path(), &db, &["513333", "--limit", "2"]);
    assert!(out.status.success());
    assert_eq!(text(&out.stdout).lines().count(), 3, "header and two rows");
    let more = Catalog::builtin().format(
        Lang::En,
        "lookup.more",
        &[("shown", "2"), ("query", "513333")],
    );
    assert_eq!(text(&out.stderr).trim_end(), more);
}

#[test]
fn messages_follow_lang() {
    let (home, db) = county();
    let out = fb(home.path())
        .args(["--lang", "zh", "--db"])
        .arg(&db)
        .args(["lookup", "张三"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("中文姓名"), "{stdout}");
}

fn fingerprint(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

#[test]
fn read_only_runs_every_read_and_refuses_every_write_on_the_command_line() {
    let (home, db) = county();
    // Everything committed and checkpointed: the file is the whole database.
    Store::open(&db, OpenOptions::create()).unwrap();
    let before = fingerprint(&db);
    let ro = |args: &[&str]| {
        fb(home.path())
            .arg("--read-only")
            .arg("--db")
            .arg(&db)
            .args(args)
            .output()
            .unwrap()
    };
    for args in [
        vec!["lookup", "张三"],
        vec!["check"],
        vec!["backup", home.path().join("copy.db").to_str().unwrap()],
        vec![
            "export",
            "--out",
            home.path().join("exports").to_str().unwrap(),
        ],
    ] {
        let out = ro(&args);
        assert!(
            out.status.success(),
            "--read-only {args:?}: {}",
            text(&out.stderr)
        );
    }
    for args in [
        vec!["demo", "--households", "3"],
        vec!["check", "--rebuild-search-index"],
    ] {
        let out = ro(&args);
        assert_eq!(out.status.code(), Some(1), "--read-only {args:?} must fail");
        assert!(
            text(&out.stderr).to_lowercase().contains("read-only"),
            "--read-only {args:?}: {}",
            text(&out.stderr)
        );
    }
    assert_eq!(fingerprint(&db), before, "the database file is unchanged");
}

#[test]
fn a_read_only_store_refuses_every_write() {
    let (_home, db) = county();
    let rw = Store::open(&db, OpenOptions::create()).unwrap();
    let mut village = rw
        .villages_of(rw.township_by_code("513333100").unwrap().unwrap().meta.id)
        .unwrap()
        .remove(0);
    let mut household = rw
        .household_by_number("513333100201000001")
        .unwrap()
        .unwrap();
    let mut members = rw.members(household.meta.id).unwrap();
    let visit = rw.visits_of(household.meta.id).unwrap().remove(0);
    drop(rw);
    let before = fingerprint(&db);

    let mut ro = Store::open(&db, OpenOptions::read_only()).unwrap();
    assert!(ro.is_read_only());
    let refused = |r: Result<(), StoreError>, what: &str| {
        assert!(
            matches!(r, Err(StoreError::ReadOnlyMode { .. })),
            "{what}: {r:?}"
        );
    };
    village.name_zh = "改名村".into();
    refused(ro.save(&mut village), "save");
    refused(ro.delete::<Person>(members[1].meta.id), "delete");
    refused(ro.set_setting("operator", "x"), "set_setting");
    refused(ro.write(|w| w.save(&mut members[0])), "write");
    refused(
        ro.save_household(&mut household, &mut members),
        "save_household",
    );
    refused(
        ro.save_roster(&mut household, &mut members, &[]),
        "save_roster",
    );
    let mut v = visit.clone();
    refused(ro.save_visit(&mut v, &mut []), "save_visit");
    refused(
        ro.set_visit_status(visit.meta.id, "approved", "").map(drop),
        "set_visit_status",
    );
    refused(ro.rebuild_search_index(), "rebuild_search_index");
    refused(ro.merge(|_w| Ok::<(), StoreError>(())), "merge");
    // Drafts are skipped, not refused: the app keeps typing going.
    ro.save_draft("visit:x", "visit", "x", "{}").unwrap();
    ro.delete_draft("visit:x").unwrap();
    // And it still reads.
    assert_eq!(ro.search("张三", 5).unwrap().hits.len(), 1);
    drop(ro);
    assert_eq!(fingerprint(&db), before, "the file is unchanged");
}

#[test]
fn a_lookup_never_waits_for_a_writer_nor_sees_its_unsaved_work() {
    let (home, db) = county();
    let mut writer = Store::open(&db, OpenOptions::create()).unwrap();
    writer.set_operator("tester");
    let household = writer
        .household_by_number("513333100201000001")
        .unwrap()
        .unwrap();
    let mut zhangsan = writer
        .members(household.meta.id)
        .unwrap()
        .into_iter()
        .find(|p| p.name_zh == "张三")
        .unwrap();
    let home_path = home.path().to_path_buf();
    let db_path = db.clone();
    let seen = writer
        .write(|w| {
            // Half way through a save: renamed, not committed.
            zhangsan.name_zh = "张四".into();
            w.save(&mut zhangsan)?;
            let started = Instant::now();
            let new_name = lookup(&home_path, &db_path, &["张四"]);
            let old_name = lookup(&home_path, &db_path, &["--read-only", "张三"]);
            Ok((started.elapsed(), new_name, old_name))
        })
        .unwrap();
    let (elapsed, new_name, old_name) = seen;
    assert!(
        elapsed < Duration::from_secs(2),
        "two lookups took {elapsed:?}: they waited for the writer"
    );
    assert_eq!(
        new_name.status.code(),
        Some(1),
        "the unsaved name is not seen: {}",
        text(&new_name.stdout)
    );
    assert!(old_name.status.success(), "{}", text(&old_name.stderr));
    assert!(text(&old_name.stdout).contains("张三"));
    // Committed now: the next lookup sees it.
    let after = lookup(home.path(), &db, &["张四"]);
    assert!(after.status.success());
}

#[test]
fn wylie_prints_tibetan_and_refuses_what_it_cannot_convert() {
    let home = tempfile::tempdir().unwrap();
    let out = fb(home.path())
        .args(["wylie", "bkra", "shis", "bde", "legs"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(text(&out.stdout), "བཀྲ་ཤིས་བདེ་ལེགས\n");
    let out = fb(home.path())
        .arg("wylie")
        .write_stdin("sgrol ma\nbkra shis’i\n")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(text(&out.stdout), "སྒྲོལ་མ\nབཀྲ་ཤིསའི\n");
    let out = fb(home.path())
        .args(["wylie", "bkra qshis"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "no half-Latin output");
    let err = text(&out.stderr);
    assert!(
        err.contains("'q'") && err.contains("bkra qshis") && err.contains('6'),
        "{err}"
    );
}

#[test]
fn terminal_control_in_names_never_reaches_the_terminal() {
    let (home, db) = county();
    // Written by another program (no path of fieldbook's takes them): a
    // clear-screen, an OSC 52 clipboard write, a bell, NUL and a
    // right-to-left override.
    fieldbook::store::execute_raw(
        &db,
        "UPDATE person SET name_zh = '扎西' || char(27) || '[2J' || char(27) || ']52;c;aGk=' \
         || char(7) || char(0) || char(8238) || '泽仁' WHERE name_zh = '扎西泽仁'",
    )
    .unwrap();
    // The search index learns the new name on the next write; rebuild it.
    Command::cargo_bin("fieldbook")
        .unwrap()
        .env("HOME", home.path())
        .env("USER", "tester")
        .arg("--db")
        .arg(&db)
        .args(["check", "--rebuild-search-index"])
        .assert()
        .success();
    let table = lookup(home.path(), &db, &["513333198503140113", "--show-id"]);
    let out = text(&table.stdout);
    assert!(table.status.success(), "{out}");
    assert!(
        out.contains("扎西[2J]52;c;aGk=泽仁"),
        "the text stays, the controls go: {out:?}"
    );
    for c in ['\u{1b}', '\u{7}', '\u{0}', '\u{202e}'] {
        assert!(!out.contains(c), "{c:?} in {out:?}");
    }
    let json = lookup(home.path(), &db, &["513333198503140113", "--json"]);
    let line = text(&json.stdout);
    for c in ['\u{1b}', '\u{7}', '\u{0}', '\u{202e}'] {
        assert!(!line.contains(c), "{c:?} in {line:?}");
    }
    // Escaped, so a script reads the name as stored.
    let value: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
    assert_eq!(
        value["name_zh"],
        "扎西\u{1b}[2J\u{1b}]52;c;aGk=\u{7}\u{0}\u{202e}泽仁"
    );
}
