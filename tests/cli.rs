//! The command line on temporary databases: init, demo, check, backup, the
//! app's first start, and refusing bad input without touching the file.
//!
//! Every run gets HOME (and the XDG folders) pointed at a temporary folder
//! and FIELDBOOK_DB removed, so nothing reads or writes the real home.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use assert_cmd::Command;
use chrono::NaiveDate;
use fieldbook::domain::id_number::parse_id_number;
use fieldbook::store::{LATEST_VERSION, TABLES, execute_raw};
use rusqlite::Connection;
use tempfile::TempDir;

/// Pinned so the demo data and the ID checks do not depend on the day.
const TODAY: &str = "2026-06-01";

fn today() -> NaiveDate {
    NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap()
}

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
        .env("FIELDBOOK_TODAY", TODAY)
        .env("USER", "tester")
        .timeout(Duration::from_secs(120));
    c
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs `fieldbook --db DB init` (every command but init and the app
/// needs the database to exist).
fn init(home: &Path, db: &Path) {
    fb(home).arg("--db").arg(db).arg("init").assert().success();
}

/// A temporary HOME with a fresh, initialised database in it.
fn initialised() -> (TempDir, PathBuf) {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("fieldbook.db");
    fb(home.path())
        .arg("--db")
        .arg(&db)
        .arg("init")
        .assert()
        .success();
    (home, db)
}

fn user_version(path: &Path) -> i64 {
    Connection::open(path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Live and deleted rows per table, as the database holds them.
fn counts(path: &Path) -> Vec<(String, i64)> {
    let conn = Connection::open(path).unwrap();
    TABLES
        .iter()
        .map(|t| t.name)
        .chain(["audit_log"])
        .map(|t| {
            let n = conn
                .query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
                .unwrap();
            (t.to_string(), n)
        })
        .collect()
}

/// Every row of every table of entered data, without the columns that say
/// when and on which device it was written.
fn content(path: &Path) -> Vec<String> {
    let conn = Connection::open(path).unwrap();
    let mut out = Vec::new();
    for t in TABLES {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {t} ORDER BY id"))
            .unwrap();
        let names: Vec<String> = stmt.column_names().iter().map(|s| s.to_string()).collect();
        let mut rows = stmt.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            let mut line = format!("{t}:");
            for (i, name) in names.iter().enumerate() {
                if matches!(name.as_str(), "created_at" | "updated_at" | "device_id") {
                    continue;
                }
                let v: rusqlite::types::Value = r.get(i).unwrap();
                line.push_str(&format!(" {name}={v:?}"));
            }
            out.push(line);
        }
    }
    out
}

/// The two databases hold the same rows; on failure, shows the first difference.
fn assert_same_rows(a: &Path, b: &Path) {
    let (ra, rb) = (content(a), content(b));
    if let Some(i) = (0..ra.len().max(rb.len())).find(|&i| ra.get(i) != rb.get(i)) {
        panic!(
            "{} and {} differ at row {i}:\n{:?}\n{:?}",
            a.display(),
            b.display(),
            ra.get(i),
            rb.get(i)
        );
    }
}

fn persons_and_households(path: &Path) -> (String, String) {
    let conn = Connection::open(path).unwrap();
    let q = |sql: &str| -> String { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    (
        q(
            "SELECT group_concat(id || name_zh || name_bo || id_number, ',') \
           FROM (SELECT * FROM person ORDER BY id)",
        ),
        q(
            "SELECT group_concat(id || number || village_id || phone, ',') \
           FROM (SELECT * FROM household ORDER BY id)",
        ),
    )
}

// ---- init and where the database is ----

#[test]
fn init_creates_the_database_owner_only_and_prints_its_path() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("data").join("county.db");
    let out = fb(home.path())
        .arg("--db")
        .arg(&db)
        .arg("init")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim_end(), db.display().to_string());
    assert!(db.is_file());
    assert_eq!(mode(&db), 0o600, "the file holds ID numbers: owner only");
    assert_eq!(user_version(&db), LATEST_VERSION as i64);

    // Again: nothing to do, same answer.
    let out = fb(home.path())
        .arg("--db")
        .arg(&db)
        .arg("init")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim_end(), db.display().to_string());
}

#[test]
fn the_database_can_be_named_before_or_after_the_subcommand_or_in_fieldbook_db() {
    let home = tempfile::tempdir().unwrap();
    let before = home.path().join("before.db");
    let after = home.path().join("after.db");
    let from_env = home.path().join("env.db");

    fb(home.path())
        .arg("--db")
        .arg(&before)
        .arg("init")
        .assert()
        .success();
    fb(home.path())
        .arg("init")
        .arg("--db")
        .arg(&after)
        .assert()
        .success();
    let out = fb(home.path())
        .env("FIELDBOOK_DB", &from_env)
        .arg("init")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim_end(), from_env.display().to_string());
    for db in [&before, &after, &from_env] {
        assert_eq!(user_version(db), LATEST_VERSION as i64, "{}", db.display());
    }

    // --db wins over FIELDBOOK_DB.
    let env_unused = home.path().join("unused.db");
    let chosen = home.path().join("chosen.db");
    fb(home.path())
        .env("FIELDBOOK_DB", &env_unused)
        .arg("init")
        .arg("--db")
        .arg(&chosen)
        .assert()
        .success();
    assert!(chosen.exists());
    assert!(!env_unused.exists());
    assert!(
        !home.path().join(".local").exists(),
        "no default database was made"
    );
}

#[test]
fn without_a_path_the_database_goes_to_the_data_folder_under_home() {
    let home = tempfile::tempdir().unwrap();
    let out = fb(home.path()).arg("init").output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let expected = home.path().join(".local/share/fieldbook/fieldbook.db");
    assert_eq!(stdout(&out).trim_end(), expected.display().to_string());
    assert!(expected.is_file());
}

#[test]
fn starting_the_app_on_a_new_path_without_a_terminal_creates_nothing() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("first-day.db");
    // The app asks before it creates a database; with no terminal to ask
    // on, it says how to create one and leaves the path as it was.
    let out = fb(home.path())
        .arg("--db")
        .arg(&db)
        .write_stdin("y\n")
        .timeout(Duration::from_secs(20))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(!db.exists(), "{} not created", db.display());
    let err = stderr(&out);
    assert!(
        err.contains("no terminal")
            && err.contains(&format!("fieldbook init --db {}", db.display())),
        "{err}"
    );
}

// ---- demo ----

#[test]
fn demo_is_deterministic_per_seed_and_generates_valid_households() {
    let home = tempfile::tempdir().unwrap();
    let run = |name: &str, seed: &str| {
        let db = home.path().join(name);
        init(home.path(), &db);
        let out = fb(home.path())
            .args(["demo", "--households", "300", "--seed", seed, "--db"])
            .arg(&db)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stdout(&out).contains("300"), "{}", stdout(&out));
        db
    };
    let a = run("a.db", "7");
    let b = run("b.db", "7");
    let c = run("c.db", "8");

    let (pa, ha) = persons_and_households(&a);
    assert_eq!((pa.clone(), ha.clone()), persons_and_households(&b));
    assert_same_rows(&a, &b);
    let (pc, hc) = persons_and_households(&c);
    assert_ne!(pa, pc, "another seed, other people");
    assert_ne!(ha, hc, "another seed, other households");

    let conn = Connection::open(&a).unwrap();
    let n: i64 = conn
        .query_row("SELECT count(*) FROM household", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 300);

    // Every person's ID number is valid, issued in Sêrtar, and unique.
    let ids: Vec<String> = conn
        .prepare("SELECT id_number FROM person")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(ids.len() >= 300);
    for id in &ids {
        assert!(id.starts_with("513333"), "{id}");
        if let Err(p) = parse_id_number(id, today()) {
            panic!("{id}: {p:?}");
        }
    }
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "no ID number twice");

    // Households of 1 to 9.
    let (min, max): (i64, i64) = conn
        .query_row(
            "SELECT min(n), max(n) FROM (SELECT h.id, count(p.id) AS n FROM household h \
             LEFT JOIN person p ON p.household_id = h.id GROUP BY h.id)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(min >= 1 && max <= 9, "household sizes {min}..={max}");

    // Every township has households.
    let empty: Vec<String> = conn
        .prepare(
            "SELECT t.code FROM township t WHERE NOT EXISTS (SELECT 1 FROM household h \
             JOIN village v ON v.id = h.village_id WHERE v.township_id = t.id)",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(empty.is_empty(), "townships without households: {empty:?}");

    fb(home.path())
        .arg("--db")
        .arg(&a)
        .arg("check")
        .assert()
        .success();
}

#[test]
fn demo_data_does_not_depend_on_the_day_it_is_made() {
    let home = tempfile::tempdir().unwrap();
    let run = |name: &str, today: &str| {
        let db = home.path().join(name);
        init(home.path(), &db);
        fb(home.path())
            .env("FIELDBOOK_TODAY", today)
            .args(["demo", "--households", "40", "--seed", "3", "--db"])
            .arg(&db)
            .assert()
            .success();
        db
    };
    let a = run("a.db", "2026-06-01");
    let b = run("b.db", "2028-02-29");
    assert_same_rows(&a, &b);
}

// ---- check ----

/// The live count `check` prints for `table`.
fn printed_count(out: &str, table: &str) -> u64 {
    out.lines()
        .find_map(|l| {
            let mut f = l.split_whitespace();
            (f.next() == Some(table)).then(|| f.next().unwrap().parse().unwrap())
        })
        .unwrap_or_else(|| panic!("no {table} line in:\n{out}"))
}

#[test]
fn check_prints_row_counts_and_succeeds_on_a_sound_database() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("demo.db");
    init(home.path(), &db);
    fb(home.path())
        .args(["demo", "--households", "20", "--seed", "1", "--db"])
        .arg(&db)
        .assert()
        .success();
    let out = fb(home.path())
        .arg("--db")
        .arg(&db)
        .arg("check")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for table in TABLES {
        printed_count(&text, table.name);
    }
    assert_eq!(printed_count(&text, "township"), 16);
    assert_eq!(printed_count(&text, "household"), 20);
    let persons: i64 = Connection::open(&db)
        .unwrap()
        .query_row("SELECT count(*) FROM person", [], |r| r.get(0))
        .unwrap();
    assert_eq!(printed_count(&text, "person"), persons as u64);
    assert!(text.contains("OK"), "{text}");
}

#[test]
fn check_fails_on_a_broken_reference() {
    let (home, db) = initialised();
    execute_raw(
        &db,
        "PRAGMA foreign_keys = OFF;
         INSERT INTO household(id, created_at, updated_at, operator, device_id, number, village_id)
         VALUES ('01940000-0000-7000-8000-0000000000aa', '2026-01-01T00:00:00.000Z',
                 '2026-01-01T00:00:00.000Z', 'x', 'x', '1', 'no-such-village');",
    )
    .unwrap();
    let out = fb(home.path())
        .arg("--db")
        .arg(&db)
        .arg("check")
        .output()
        .unwrap();
    assert!(!out.status.success(), "{}", stdout(&out));
    let text = stdout(&out);
    assert!(
        text.contains("household") && text.contains("village"),
        "{text}"
    );
}

// ---- backup ----

#[test]
fn backup_writes_a_copy_that_check_accepts_with_the_same_rows() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("demo.db");
    init(home.path(), &db);
    fb(home.path())
        .args(["demo", "--households", "30", "--seed", "2", "--db"])
        .arg(&db)
        .assert()
        .success();
    let copy = home.path().join("backups").join("copy.db");
    std::fs::create_dir(copy.parent().unwrap()).unwrap();
    let out = fb(home.path())
        .arg("--db")
        .arg(&db)
        .arg("backup")
        .arg(&copy)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains(&copy.display().to_string()));
    assert_eq!(mode(&copy), 0o600, "the copy holds ID numbers too");
    assert_eq!(counts(&copy), counts(&db));
    assert_same_rows(&copy, &db);
    fb(home.path())
        .arg("--db")
        .arg(&copy)
        .arg("check")
        .assert()
        .success();
    let leftovers: Vec<_> = std::fs::read_dir(copy.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().contains("tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn backup_works_while_another_connection_is_writing() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("demo.db");
    init(home.path(), &db);
    fb(home.path())
        .args(["demo", "--households", "30", "--seed", "4", "--db"])
        .arg(&db)
        .assert()
        .success();
    let committed = counts(&db);

    // Another program (the app) is in the middle of a save.
    let writer = Connection::open(&db).unwrap();
    writer.execute_batch("BEGIN IMMEDIATE").unwrap();
    writer
        .execute(
            "UPDATE household SET phone = '13000000000' WHERE id = (SELECT min(id) FROM household)",
            [],
        )
        .unwrap();
    writer
        .execute(
            "INSERT INTO audit_log(at, operator, device_id, table_name, row_id, action)
             VALUES ('2026-06-01T00:00:00.000Z', 'x', 'x', 'household', 'x', 'update')",
            [],
        )
        .unwrap();

    let copy = home.path().join("copy.db");
    let out = fb(home.path())
        .arg("--db")
        .arg(&db)
        .arg("backup")
        .arg(&copy)
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "backup during a write: {}",
        stderr(&out)
    );
    assert_eq!(
        counts(&copy),
        committed,
        "the copy holds what was committed"
    );
    let phone: String = Connection::open(&copy)
        .unwrap()
        .query_row(
            "SELECT phone FROM household WHERE id = (SELECT min(id) FROM household)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_ne!(phone, "13000000000", "nothing uncommitted in the copy");
    fb(home.path())
        .arg("--db")
        .arg(&copy)
        .arg("check")
        .assert()
        .success();

    // The writer's save still lands.
    writer.execute_batch("COMMIT").unwrap();
    drop(writer);
    fb(home.path())
        .arg("--db")
        .arg(&db)
        .arg("check")
        .assert()
        .success();
    assert_eq!(
        counts(&db).last().unwrap().1,
        committed.last().unwrap().1 + 1
    );
}

// ---- bad input: a one-line error naming the file, and the file untouched ----

fn fingerprint(path: &Path) -> (Vec<u8>, SystemTime, u32) {
    (
        std::fs::read(path).unwrap(),
        std::fs::metadata(path).unwrap().modified().unwrap(),
        mode(path),
    )
}

/// Runs `fieldbook ARGS` and checks it fails with one line on stderr that
/// names `names` and contains `hint` (what to do).
fn assert_refused(home: &Path, args: &[&std::ffi::OsStr], names: &Path, hint: &str) {
    let out = fb(home).args(args).output().unwrap();
    let err = stderr(&out);
    assert!(
        !out.status.success(),
        "{args:?} succeeded: {}",
        stdout(&out)
    );
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(
        err.contains(&names.display().to_string()),
        "names {}: {err}",
        names.display()
    );
    assert!(err.contains(hint), "says what to do ({hint}): {err}");
}

fn os<'a>(parts: &'a [&'a str], db: &'a Path) -> Vec<&'a std::ffi::OsStr> {
    let mut v: Vec<&std::ffi::OsStr> = vec!["--db".as_ref(), db.as_os_str()];
    v.extend(parts.iter().map(|p| std::ffi::OsStr::new(*p)));
    v
}

/// Every command that opens the database, read-write.
const OPENING: &[&[&str]] = &[&["init"], &["check"], &["demo", "--households", "2"], &[]];

#[test]
fn a_file_that_is_not_a_database_is_refused_and_left_alone() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("households.csv");
    std::fs::write(&db, "number,name\n5133331002010001,扎西\n".repeat(20)).unwrap();
    let before = fingerprint(&db);
    std::thread::sleep(Duration::from_millis(20));
    for cmd in OPENING {
        assert_refused(home.path(), &os(cmd, &db), &db, "--db");
        assert_eq!(fingerprint(&db), before, "{cmd:?}");
    }
    assert_refused(
        home.path(),
        &os(&["--read-only", "check"], &db),
        &db,
        "--db",
    );
    assert_eq!(fingerprint(&db), before);
}

#[test]
fn a_read_only_file_is_refused_and_left_alone_but_can_be_looked_at() {
    let (home, db) = initialised();
    set_mode(&db, 0o400);
    let before = fingerprint(&db);
    std::thread::sleep(Duration::from_millis(20));
    for cmd in OPENING {
        assert_refused(home.path(), &os(cmd, &db), &db, "chmod");
        assert_eq!(fingerprint(&db), before, "{cmd:?}");
    }
    // The message suggests --read-only: that works.
    fb(home.path())
        .arg("--db")
        .arg(&db)
        .args(["--read-only", "check"])
        .assert()
        .success();
    assert_eq!(fingerprint(&db), before);
}

#[test]
fn a_database_in_a_read_only_folder_is_refused_and_left_alone() {
    let (home, db) = initialised();
    let dir = home.path().join("locked");
    std::fs::create_dir(&dir).unwrap();
    let locked = dir.join("fieldbook.db");
    std::fs::rename(&db, &locked).unwrap();
    set_mode(&dir, 0o500);
    let before = fingerprint(&locked);
    std::thread::sleep(Duration::from_millis(20));
    for cmd in OPENING {
        assert_refused(home.path(), &os(cmd, &locked), &locked, "folder");
        assert_eq!(fingerprint(&locked), before, "{cmd:?}");
    }
    // A new database cannot be made there either, and nothing is left behind.
    let new = dir.join("new.db");
    assert_refused(home.path(), &os(&["init"], &new), &new, "folder");
    assert!(!new.exists());
    set_mode(&dir, 0o700);
}

#[test]
fn a_database_from_a_newer_fieldbook_is_refused_and_left_alone() {
    let (home, db) = initialised();
    execute_raw(&db, "PRAGMA user_version = 99").unwrap();
    let before = fingerprint(&db);
    std::thread::sleep(Duration::from_millis(20));
    for cmd in OPENING {
        assert_refused(home.path(), &os(cmd, &db), &db, "newer fieldbook");
        assert_eq!(fingerprint(&db), before, "{cmd:?}");
    }
    assert_refused(
        home.path(),
        &os(&["--read-only", "check"], &db),
        &db,
        "newer fieldbook",
    );
    assert_eq!(fingerprint(&db), before);
    assert_eq!(user_version(&db), 99);
}

#[test]
fn a_folder_given_as_the_database_is_refused() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("data");
    std::fs::create_dir(&dir).unwrap();
    for cmd in OPENING {
        assert_refused(home.path(), &os(cmd, &dir), &dir, "--db");
    }
    assert_refused(
        home.path(),
        &os(&["--read-only", "check"], &dir),
        &dir,
        "--db",
    );
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        0,
        "nothing made in it"
    );
}

#[test]
fn read_only_on_a_missing_file_is_refused_and_creates_nothing() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("missing.db");
    assert_refused(
        home.path(),
        &os(&["--read-only", "check"], &db),
        &db,
        "init",
    );
    assert_refused(home.path(), &os(&["--read-only"], &db), &db, "init");
    assert!(!db.exists());
}

#[test]
fn read_only_opens_and_changes_nothing() {
    let (home, db) = initialised();
    let before = fingerprint(&db);
    std::thread::sleep(Duration::from_millis(20));
    fb(home.path())
        .arg("--db")
        .arg(&db)
        .args(["--read-only", "check"])
        .assert()
        .success();
    // A command that writes is refused with the read-only message.
    assert_refused(
        home.path(),
        &os(&["--read-only", "demo", "--households", "2"], &db),
        &db,
        "read-only",
    );
    assert_eq!(fingerprint(&db), before);
}

#[test]
fn an_unknown_language_is_a_usage_error() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("x.db");
    fb(home.path())
        .arg("--db")
        .arg(&db)
        .args(["--lang", "xx", "init"])
        .assert()
        .code(2);
    assert!(!db.exists(), "nothing opened on a usage error");
}

// ---- files that are not fieldbook's ----

/// Every command, with what it needs besides the database (in `home`).
fn every_command(home: &Path) -> Vec<Vec<String>> {
    let snap = home.join("snapshot");
    let csv = home.join("villages.csv");
    std::fs::write(&csv, "code,township_code,name_zh,name_bo,exit_year\n").unwrap();
    let s = |v: &[&str]| v.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
    vec![
        s(&["init"]),
        s(&["check"]),
        s(&["check", "--rebuild-search-index"]),
        s(&["demo", "--households", "2"]),
        s(&["export", "--out", home.join("out").to_str().unwrap()]),
        s(&["import", snap.to_str().unwrap()]),
        s(&["backup", home.join("copy.db").to_str().unwrap()]),
        s(&["gazetteer", "import", csv.to_str().unwrap()]),
        s(&["lookup", "扎西"]),
        s(&["--read-only", "check"]),
        s(&[]),
    ]
}

/// Everything in a folder, with each file's bytes, so a test can see that
/// nothing was written, added or taken away.
fn folder(dir: &Path) -> Vec<(String, usize, u64)> {
    use std::hash::{Hash, Hasher};
    let mut out: Vec<(String, usize, u64)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let bytes = std::fs::read(e.path()).unwrap_or_default();
            let mut h = std::collections::hash_map::DefaultHasher::new();
            bytes.hash(&mut h);
            (
                e.file_name().to_string_lossy().into_owned(),
                bytes.len(),
                h.finish(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn another_programs_database_is_refused_by_every_command_before_any_write() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("data");
    std::fs::create_dir(&dir).unwrap();
    // Another application's databases: one plain, one with its own schema
    // version (fieldbook once switched such a file to WAL before refusing
    // it), and an empty file.
    let plain = dir.join("notes.db");
    execute_raw(&plain, "CREATE TABLE notes(id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes(text) VALUES ('x');").unwrap();
    let versioned = dir.join("app.sqlite");
    execute_raw(
        &versioned,
        "CREATE TABLE meta(k, v); PRAGMA user_version = 2;",
    )
    .unwrap();
    let empty = dir.join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    // One in WAL mode (opening it with SQLite, even read-only, would leave
    // -wal and -shm files beside it), and one marked by its own program.
    let wal = dir.join("wal.db");
    execute_raw(
        &wal,
        "PRAGMA journal_mode = WAL; CREATE TABLE t(x); INSERT INTO t VALUES (1);",
    )
    .unwrap();
    let marked = dir.join("marked.db");
    execute_raw(&marked, "PRAGMA application_id = 1234; CREATE TABLE t(x);").unwrap();
    let text = dir.join("text.db");
    std::fs::write(
        &text,
        "not a database at all, but longer than a header ".repeat(4),
    )
    .unwrap();
    let before = folder(&dir);
    assert!(
        before
            .iter()
            .all(|(name, ..)| !name.ends_with("-wal") && !name.ends_with("-shm"))
    );
    for db in [&plain, &versioned, &empty, &wal, &marked, &text] {
        for cmd in every_command(home.path()) {
            let mut args: Vec<std::ffi::OsString> = vec!["--db".into(), db.into()];
            args.extend(cmd.iter().map(Into::into));
            let out = fb(home.path())
                .args(&args)
                .write_stdin("y\n")
                .output()
                .unwrap();
            let err = stderr(&out);
            assert!(!out.status.success(), "{cmd:?} on {}: {err}", db.display());
            assert!(
                err.contains("not a fieldbook database") && err.contains(&db.display().to_string()),
                "{cmd:?} on {}: {err}",
                db.display()
            );
            assert_eq!(folder(&dir), before, "{cmd:?} on {} wrote", db.display());
        }
    }
}

#[test]
fn a_mistyped_path_is_created_by_no_command_but_init() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("no-such-folder").join("fieldbook.db");
    for cmd in every_command(home.path()) {
        if cmd == ["init"] {
            continue;
        }
        let mut args: Vec<std::ffi::OsString> = vec!["--db".into(), (&db).into()];
        args.extend(cmd.iter().map(Into::into));
        let out = fb(home.path())
            .args(&args)
            .write_stdin("y\n")
            .output()
            .unwrap();
        let err = stderr(&out);
        assert!(!out.status.success(), "{cmd:?}: {err}");
        assert!(
            err.contains(&format!("fieldbook init --db {}", db.display())),
            "{cmd:?} says how to create it: {err}"
        );
        assert!(!db.parent().unwrap().exists(), "{cmd:?} made the folder");
    }
    // init makes it, folder and all.
    fb(home.path())
        .arg("--db")
        .arg(&db)
        .arg("init")
        .assert()
        .success();
    assert!(db.is_file());
}

#[test]
fn a_named_pipe_as_the_database_is_named_and_refused_at_once() {
    let home = tempfile::tempdir().unwrap();
    let fifo = home.path().join("pipe.db");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    for cmd in [
        vec!["lookup", "扎西"],
        vec!["check"],
        vec!["--read-only", "check"],
    ] {
        let started = std::time::Instant::now();
        let out = fb(home.path())
            .arg("--db")
            .arg(&fifo)
            .args(&cmd)
            .timeout(Duration::from_secs(10))
            .output()
            .unwrap();
        let err = stderr(&out);
        assert!(!out.status.success(), "{cmd:?}");
        assert!(err.contains("named pipe"), "{cmd:?}: {err}");
        assert!(started.elapsed() < Duration::from_secs(5), "{cmd:?} waited");
    }
}

#[test]
fn a_database_reached_through_a_link_opens() {
    let (home, db) = initialised();
    let link = home.path().join("link.db");
    std::os::unix::fs::symlink(&db, &link).unwrap();
    fb(home.path())
        .arg("--db")
        .arg(&link)
        .arg("check")
        .assert()
        .success();
}
