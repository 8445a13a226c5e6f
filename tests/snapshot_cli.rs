//! Snapshots from the command line: the files read by a CSV reader that
//! knows nothing of fieldbook (Python's csv module), an export killed
//! midway, the workbook, and the messages of export and import.
//!
//! Every run gets HOME pointed at a temporary folder and FIELDBOOK_DB
//! removed, so nothing reads or writes the real home.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use fieldbook::domain::records::*;
use fieldbook::i18n::{Catalog, Lang};
use fieldbook::store::{OpenOptions, Store, TABLES};
use rusqlite::Connection;
use rusqlite::types::Value;

#[path = "support/db.rs"]
mod db;

const TODAY: &str = "2026-06-01";

/// A text of the built-in catalogue, in English or Chinese.
fn en(key: &str, args: &[(&str, &str)]) -> String {
    Catalog::builtin().format(Lang::En, key, args)
}

fn zh(key: &str, args: &[(&str, &str)]) -> String {
    Catalog::builtin().format(Lang::Zh, key, args)
}

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

/// The binary started with `args`, told by `stall` (a test hook's variable
/// and a row count) to stop midway and wait to be killed.
fn stalled(home: &Path, args: &[&std::ffi::OsStr], stall: (&str, &str)) -> std::process::Child {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("fieldbook"))
        .args(args)
        .env("HOME", home)
        .env("USER", "tester")
        .env("FIELDBOOK_TODAY", TODAY)
        .env(stall.0, stall.1)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Waits until `reached` finds the stalled child midway, failing if the
/// child ends first or a minute passes.
fn midway<T>(child: &mut std::process::Child, mut reached: impl FnMut() -> Option<T>) -> T {
    let started = Instant::now();
    loop {
        if let Some(t) = reached() {
            return t;
        }
        assert!(child.try_wait().unwrap().is_none(), "it ended early");
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "never got midway"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The messages of a lookup (in Chinese and English) that must fail.
fn lookup_refused(home: &Path, db: &Path) -> String {
    let out = fb(home)
        .arg("--db")
        .arg(db)
        .args(["--lang", "zh", "lookup", "扎西"])
        .assert()
        .failure()
        .get_output()
        .clone();
    text(&out.stderr)
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A demo database with Chinese, Tibetan and formula-like text in it.
fn database(dir: &Path, households: u32) -> PathBuf {
    let db = dir.join("fieldbook.db");
    let mut s = Store::open(&db, OpenOptions::create()).unwrap();
    s.set_operator("泽仁");
    fieldbook::demo::generate(&mut s, households, 2).unwrap();
    let awkward = [
        "=HYPERLINK(\"x\")",
        "+86 138",
        "-1",
        "@x",
        "'x",
        "a,\"b\" c",
        "@SUM(A1)",
    ];
    for (i, t) in awkward.iter().enumerate() {
        let mut p: Person = s.list_page::<Person>(None, i + 1).unwrap().remove(i);
        p.name_zh = (*t).to_owned();
        s.save(&mut p).unwrap();
    }
    let v: Visit = s.list_page::<Visit>(None, 1).unwrap().remove(0);
    s.delete::<Visit>(v.meta.id).unwrap();
    db
}

/// Text cells a spreadsheet would run as formulas (or take as controls),
/// and how the export must write them: with one leading `'`, chosen here
/// by hand. Any other text is written as it is.
const NEUTRALISED: &[(&str, &str)] = &[
    ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
    ("+86 138", "'+86 138"),
    ("-1", "'-1"),
    ("\tx", "'\tx"),
    ("'x", "''x"),
    ("@SUM(A1)", "'@SUM(A1)"),
];

/// What the CSV files must hold for `db`: every record column, NULL as an
/// empty cell, numbers in decimal, text as it is but for [`NEUTRALISED`].
fn expected(db: &Path, table: &str, header: &[String]) -> Vec<Vec<String>> {
    let conn = Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare(&format!("SELECT {} FROM {table}", header.join(", ")))
        .unwrap();
    stmt.query_map([], |r| {
        (0..header.len())
            .map(|i| {
                Ok(match r.get::<_, Value>(i)? {
                    Value::Null => String::new(),
                    Value::Integer(n) => n.to_string(),
                    Value::Text(t) => NEUTRALISED
                        .iter()
                        .find(|(raw, _)| *raw == t)
                        .map_or(t, |(_, cell)| (*cell).to_owned()),
                    other => panic!("unexpected {other:?}"),
                })
            })
            .collect::<Result<Vec<_>, rusqlite::Error>>()
    })
    .unwrap()
    .collect::<Result<Vec<_>, _>>()
    .unwrap()
}

#[derive(serde::Deserialize)]
struct Parsed {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

#[test]
fn the_csv_files_parse_with_pythons_csv_module_with_chinese_and_tibetan_intact() {
    let home = tempfile::tempdir().unwrap();
    let db = database(home.path(), 25);
    // No form or import lets a line break or a tab into a name, but a file
    // changed by hand may hold them: the export still writes them so a
    // spreadsheet reads them back whole.
    fieldbook::store::execute_raw(
        &db,
        "UPDATE person SET name_zh = 'a,\"b\"' || char(13, 10) || 'c' \
         WHERE id = (SELECT min(id) FROM person WHERE name_zh LIKE 'a,%'); \
         UPDATE person SET name_zh = char(9) || 'x' WHERE name_zh = '@x';",
    )
    .unwrap();
    fb(home.path())
        .args(["--db"])
        .arg(&db)
        .arg("export")
        .assert()
        .success();
    let snap = home.path().join("exports").join(TODAY);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshot_parse.py");
    let out = std::process::Command::new("python3")
        .arg(&script)
        .arg(&snap)
        .output()
        .expect("python3 is needed to run this test (CI has it)");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let parsed: BTreeMap<String, Parsed> = serde_json::from_slice(&out.stdout).unwrap();
    for t in TABLES {
        let file = &parsed[&format!("{t}.csv")];
        assert_eq!(file.rows, expected(&db, t.name, &file.header), "{t}");
    }
    assert!(parsed.contains_key("codebook.csv"));
    // Spot checks: what a spreadsheet would show.
    let persons = &parsed["person.csv"];
    let col = |name: &str| persons.header.iter().position(|h| h == name).unwrap();
    let names: Vec<&str> = persons
        .rows
        .iter()
        .map(|r| r[col("name_zh")].as_str())
        .collect();
    for (_, cell) in NEUTRALISED {
        assert!(names.contains(cell), "{cell:?} in {names:?}");
    }
    assert!(names.contains(&"a,\"b\"\r\nc"));
    assert!(
        persons
            .rows
            .iter()
            .any(|r| r[col("name_bo")].contains("བཀྲ་ཤིས") || r[col("name_bo")].contains("སྒྲོལ་མ"))
    );
    let visits = &parsed["visit.csv"];
    let deleted = visits
        .header
        .iter()
        .position(|h| h == "deleted_at")
        .unwrap();
    assert_eq!(
        visits
            .rows
            .iter()
            .filter(|r| !r[deleted].is_empty())
            .count(),
        1
    );
    // RFC 4180 line ends.
    let raw = fs::read(snap.join("person.csv")).unwrap();
    let first = raw.iter().position(|b| *b == b'\n').unwrap();
    assert_eq!(raw[first - 1], b'\r');
}

fn snapshot_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn an_export_killed_midway_leaves_the_previous_snapshot_intact() {
    let home = tempfile::tempdir().unwrap();
    let db = database(home.path(), 40);
    let exports = home.path().join("exports");
    let snap = exports.join(TODAY);
    fb(home.path())
        .arg("--db")
        .arg(&db)
        .arg("export")
        .assert()
        .success();
    let before = snapshot_files(&snap);
    {
        let mut s = Store::open(&db, OpenOptions::create()).unwrap();
        s.set_operator("tester");
        let mut p: Person = s.list_page::<Person>(None, 1).unwrap().remove(0);
        p.name_zh = "改过".to_owned();
        s.save(&mut p).unwrap();
    }
    let mut child = stalled(
        home.path(),
        &["--db".as_ref(), db.as_os_str(), "export".as_ref()],
        ("FIELDBOOK_TEST_EXPORT_STALL_AFTER_ROWS", "300"),
    );
    // Wait until it is midway: a temporary folder holding part of the files.
    let tmp = midway(&mut child, || {
        fs::read_dir(&exports).unwrap().flatten().find_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            (name.starts_with(&format!(".{TODAY}.tmp-")) && e.path().join("person.csv").exists())
                .then(|| e.path())
        })
    });
    std::thread::sleep(Duration::from_millis(100));
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(tmp.exists(), "the killed export's work is left aside");
    assert!(!tmp.join("manifest.json").exists());
    assert_eq!(
        snapshot_files(&snap),
        before,
        "the previous snapshot is intact"
    );

    // It still imports, and the next export replaces it whole.
    let other = home.path().join("other.db");
    fb(home.path())
        .arg("--db")
        .arg(&other)
        .arg("init")
        .assert()
        .success();
    fb(home.path())
        .arg("--db")
        .arg(&other)
        .arg("import")
        .arg(&snap)
        .assert()
        .success();
    fb(home.path())
        .arg("--db")
        .arg(&db)
        .arg("export")
        .assert()
        .success();
    let after = snapshot_files(&snap);
    assert_ne!(after["person.csv"], before["person.csv"]);
    assert!(text(&after["person.csv"]).contains("改过"));
    assert_eq!(after.len(), before.len());
}

#[test]
fn export_and_import_from_the_command_line() {
    let home = tempfile::tempdir().unwrap();
    let db = database(home.path(), 10);
    let out = home.path().join("usb");
    let before = db::Image::of(&db);
    // Read-only is enough to export, and --xlsx adds the workbook.
    let run = fb(home.path())
        .arg("--db")
        .arg(&db)
        .args([
            "--read-only",
            "export",
            "--xlsx",
            "--date",
            "2026-05-30",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    before.assert_unchanged(&db, "a read-only export");
    let stdout = text(&run.get_output().stdout);
    let snap = out.join("2026-05-30");
    let done = en(
        "cli.export.done",
        &[
            ("path", &snap.display().to_string()),
            ("files", "{files}"),
            ("rows", "{rows}"),
        ],
    );
    let (head, _) = done.split_once("{files}").unwrap();
    assert!(stdout.starts_with(head), "{head}\n{stdout}");
    let xlsx = snap.join("fieldbook-2026-05-30.xlsx");
    assert!(fs::read(&xlsx).unwrap().starts_with(b"PK"));
    let unzip = std::process::Command::new("python3")
        .arg("-c")
        .arg(
            "import sys, zipfile\n\
             z = zipfile.ZipFile(sys.argv[1])\n\
             print(z.read('xl/workbook.xml').decode())\n\
             print(''.join(z.read(n).decode() for n in z.namelist() if n.startswith('xl/worksheets/')))",
        )
        .arg(&xlsx)
        .output()
        .expect("python3 is needed to run this test (CI has it)");
    let book = text(&unzip.stdout);
    assert!(
        book.contains("家庭成员") && book.contains("户内序号"),
        "sheet and header in Chinese"
    );
    assert!(
        book.contains("户主") && book.contains("年收入（元）"),
        "labels, not codes"
    );

    // Import into another database: a table of counts.
    let other = home.path().join("county.db");
    fb(home.path())
        .arg("--db")
        .arg(&other)
        .arg("init")
        .assert()
        .success();
    let run = fb(home.path())
        .arg("--db")
        .arg(&other)
        .arg("import")
        .arg(&snap)
        .assert()
        .success();
    let stdout = text(&run.get_output().stdout);
    for heading in ["cli.import.inserted", "cli.import.conflicts"] {
        assert!(stdout.contains(&en(heading, &[])), "{heading}: {stdout}");
    }
    assert!(stdout.lines().any(|l| l.starts_with("person ")), "{stdout}");

    // A damaged file: exit 1, the file named, nothing imported.
    let p = snap.join("household.csv");
    let mut bytes = fs::read(&p).unwrap();
    bytes.push(b'\n');
    fs::write(&p, bytes).unwrap();
    let run = fb(home.path())
        .arg("--db")
        .arg(&other)
        .arg("import")
        .arg(&snap)
        .assert()
        .failure()
        .code(1);
    let stderr = text(&run.get_output().stderr);
    assert!(
        stderr.contains("household.csv") && stderr.contains(&en("cli.import.nothing_written", &[])),
        "{stderr}"
    );
    // No folder given: a usage error.
    fb(home.path())
        .arg("--db")
        .arg(&other)
        .arg("import")
        .assert()
        .code(2);
}

/// Reads a workbook's sheets (name, then rows of cell texts, an empty cell
/// as "") with Python's zipfile and XML parser: nothing of fieldbook's.
#[derive(serde::Deserialize)]
struct Sheet {
    name: String,
    rows: Vec<Vec<String>>,
}

fn workbook(path: &Path) -> Vec<Sheet> {
    const READ: &str = r#"
import sys, json, re, zipfile
import xml.etree.ElementTree as ET
M = '{http://schemas.openxmlformats.org/spreadsheetml/2006/main}'
z = zipfile.ZipFile(sys.argv[1])
names = [s.get('name') for s in ET.fromstring(z.read('xl/workbook.xml')).iter(M + 'sheet')]
shared = []
if 'xl/sharedStrings.xml' in z.namelist():
    shared = [''.join(t.text or '' for t in si.iter(M + 't'))
              for si in ET.fromstring(z.read('xl/sharedStrings.xml'))]
def column(ref):
    n = 0
    for ch in re.match('[A-Z]+', ref).group(0):
        n = n * 26 + ord(ch) - 64
    return n - 1
out = []
for i, name in enumerate(names, 1):
    rows = []
    for row in ET.fromstring(z.read('xl/worksheets/sheet%d.xml' % i)).iter(M + 'row'):
        cells = []
        for c in row.findall(M + 'c'):
            t = c.get('t')
            if t == 'inlineStr':
                v = ''.join(x.text or '' for x in c.iter(M + 't'))
            elif t == 's':
                v = shared[int(c.find(M + 'v').text)]
            else:
                e = c.find(M + 'v')
                v = e.text if e is not None else ''
            cells += [''] * (column(c.get('r')) - len(cells))
            cells.append(v)
        rows.append(cells)
    out.append({'name': name, 'rows': rows})
print(json.dumps(out, ensure_ascii=False))
"#;
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(READ)
        .arg(path)
        .output()
        .expect("python3 is needed to run this test (CI has it)");
    assert!(out.status.success(), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_workbook_reads_references_as_numbers_and_names_and_times_in_local_time() {
    use fieldbook::domain::table::{Kind, is_canonical_uuid};
    let home = tempfile::tempdir().unwrap();
    let db = database(home.path(), 10);
    let export = |xlsx: bool, out: &Path| {
        let mut c = fb(home.path());
        c.env("TZ", "Asia/Shanghai")
            .arg("--db")
            .arg(&db)
            .arg("export");
        if xlsx {
            c.arg("--xlsx");
        }
        c.args(["--date", "2026-05-30", "--out"])
            .arg(out)
            .assert()
            .success();
        out.join("2026-05-30")
    };
    let with = export(true, &home.path().join("with"));
    let without = export(false, &home.path().join("without"));
    // The CSV files stay as they are, UUIDs and UTC, byte for byte.
    for t in TABLES {
        let name = format!("{}.csv", t.name);
        assert_eq!(
            fs::read(with.join(&name)).unwrap(),
            fs::read(without.join(&name)).unwrap(),
            "{name}"
        );
    }
    let sheets = workbook(&with.join("fieldbook-2026-05-30.xlsx"));
    assert_eq!(sheets.len(), TABLES.len());

    // What each reference must read as, worked out here with SQL.
    let conn = Connection::open(&db).unwrap();
    fn one(conn: &Connection, sql: &str, id: &str) -> String {
        conn.query_row(sql, [id], |r| r.get(0))
            .unwrap_or_else(|e| panic!("{sql} {id}: {e}"))
    }
    fn expected(conn: &Connection, target: &str, id: &str) -> String {
        let col = |c: &str| one(conn, &format!("SELECT {c} FROM {target} WHERE id = ?1"), id);
        let of = |c: &str, t: &str| expected(conn, t, &col(c));
        match target {
            "household" => col("number"),
            "visit" => format!(
                "{} / {}",
                of("household_id", "household"),
                col("visit_date")
            ),
            "training_session" => col("code"),
            "enrolment" => format!(
                "{} / {}",
                of("person_id", "person"),
                of("session_id", "training_session")
            ),
            "post" => format!(
                "{} / {}",
                of("post_type_id", "post_type"),
                of("village_id", "village")
            ),
            "post_assignment" => {
                format!("{} / {}", of("person_id", "person"), of("post_id", "post"))
            }
            _ => col("trim(name_zh || ' ' || name_bo)"),
        }
    }
    let mut checked: BTreeMap<String, usize> = BTreeMap::new();
    for (table, sheet) in TABLES.iter().zip(&sheets) {
        assert!(sheet.rows.len() > 1, "{} is empty", sheet.name);
        for row in &sheet.rows[1..] {
            let id = &row[0];
            assert!(is_canonical_uuid(id), "the row's own id stays: {id}");
            for (i, c) in table.all_columns().enumerate() {
                let cell = row.get(i).map(String::as_str).unwrap_or("");
                let stored = || -> Option<String> {
                    conn.query_row(
                        &format!("SELECT {} FROM {} WHERE id = ?1", c.name, table.name),
                        [id],
                        |r| r.get(0),
                    )
                    .unwrap()
                };
                match c.kind {
                    Kind::Ref(target) => {
                        let Some(to) = stored() else {
                            assert_eq!(cell, "", "{}.{}: no reference", table.name, c.name);
                            continue;
                        };
                        assert!(
                            !is_canonical_uuid(cell),
                            "{}.{}: {cell}",
                            table.name,
                            c.name
                        );
                        let want = expected(&conn, target, &to);
                        assert_eq!(cell, want, "{}.{}", table.name, c.name);
                        *checked.entry(format!("ref:{target}")).or_default() += 1;
                    }
                    Kind::Timestamp => match stored() {
                        None => assert_eq!(cell, ""),
                        Some(utc) => {
                            let utc = chrono::DateTime::parse_from_rfc3339(&utc).unwrap();
                            let shanghai = utc.naive_utc() + chrono::Duration::hours(8);
                            let want = shanghai.format("%Y-%m-%d %H:%M:%S").to_string();
                            assert_eq!(cell, want, "{}.{}", table.name, c.name);
                            *checked.entry("timestamp".into()).or_default() += 1;
                        }
                    },
                    // For the county office: not masked.
                    Kind::IdNumber => {
                        assert_eq!(cell, stored().unwrap_or_default());
                        *checked.entry("id_number".into()).or_default() += 1;
                    }
                    _ => {}
                }
            }
        }
    }
    let refs = TABLES
        .iter()
        .flat_map(|t| t.all_columns())
        .filter_map(|c| match c.kind {
            Kind::Ref(target) => Some(format!("ref:{target}")),
            _ => None,
        });
    for what in refs.chain(["timestamp".into(), "id_number".into()]) {
        assert!(
            checked.get(&what).copied().unwrap_or(0) > 0,
            "no {what} checked: {checked:?}"
        );
    }
    // A person's household reads as its number, as the county knows it.
    let person = &sheets[3];
    assert_eq!(person.name, "家庭成员");
    assert!(person.rows[1][6].starts_with("513333") && person.rows[1][6].len() == 18);
}

#[test]
fn an_import_killed_midway_leaves_the_new_database_empty() {
    // The first import into a new database writes through a rollback
    // journal: killed with rows already written, the journal puts the file
    // back as it was when the database is next opened.
    let home = tempfile::tempdir().unwrap();
    let db = database(home.path(), 40);
    let out = home.path().join("exports");
    fb(home.path())
        .arg("--db")
        .arg(&db)
        .arg("export")
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let new_db = home.path().join("county.db");
    fb(home.path())
        .arg("--db")
        .arg(&new_db)
        .arg("init")
        .assert()
        .success();
    let journal = PathBuf::from(format!("{}-journal", new_db.display()));
    let snapshot = out.join(TODAY);
    let mut child = stalled(
        home.path(),
        &[
            "--db".as_ref(),
            new_db.as_os_str(),
            "import".as_ref(),
            snapshot.as_os_str(),
        ],
        ("FIELDBOOK_TEST_IMPORT_STALL_AFTER_ROWS", "150"),
    );
    midway(&mut child, || journal.exists().then_some(()));
    // Stalled after 150 rows, its transaction open.
    std::thread::sleep(Duration::from_millis(300));
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(journal.exists(), "killed after its commit");

    fb(home.path())
        .arg("--db")
        .arg(&new_db)
        .arg("check")
        .assert()
        .success();
    let conn = Connection::open(&new_db).unwrap();
    let households: i64 = conn
        .query_row("SELECT count(*) FROM household", [], |r| r.get(0))
        .unwrap();
    assert_eq!(households, 0);
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    assert!(!journal.exists());
    // And the same import, run again, lands whole.
    fb(home.path())
        .arg("--db")
        .arg(&new_db)
        .arg("import")
        .arg(out.join(TODAY))
        .assert()
        .success();
    let households: i64 = conn
        .query_row("SELECT count(*) FROM household", [], |r| r.get(0))
        .unwrap();
    assert_eq!(households, 40);
}

#[test]
fn a_database_held_by_a_long_write_is_reported_busy_not_broken() {
    let home = tempfile::tempdir().unwrap();
    let db = database(home.path(), 3);
    // Another program in the middle of a long write (as a first import into
    // a new database is): a rollback journal and an exclusive lock.
    let conn = Connection::open(&db).unwrap();
    let _: String = conn
        .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
        .unwrap();
    conn.execute_batch("BEGIN EXCLUSIVE; UPDATE household SET phone = phone;")
        .unwrap();
    let msg = lookup_refused(home.path(), &db);
    let path = db.display().to_string();
    let path = [("path", path.as_str())];
    assert!(msg.contains(&en("store.error.busy", &path)), "{msg}");
    assert!(msg.contains(&zh("store.error.busy", &path)), "{msg}");
    conn.execute_batch("ROLLBACK").unwrap();
}

#[test]
fn a_database_left_halfway_through_a_change_says_how_to_undo_it() {
    // What a program killed midway through a large write leaves: the file
    // with some pages changed, and a hot rollback journal to undo them. Made
    // here by copying both while a transaction that spilled pages is open.
    let home = tempfile::tempdir().unwrap();
    let db = database(home.path(), 20);
    let conn = Connection::open(&db).unwrap();
    let _: String = conn
        .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
        .unwrap();
    conn.execute_batch(
        "PRAGMA cache_size = 2; BEGIN IMMEDIATE; \
         UPDATE person SET phone = '13900000000'; UPDATE household SET phone = '13900000000';",
    )
    .unwrap();
    let left = home.path().join("left.db");
    fs::copy(&db, &left).unwrap();
    fs::copy(
        format!("{}-journal", db.display()),
        format!("{}-journal", left.display()),
    )
    .unwrap();
    conn.execute_batch("ROLLBACK").unwrap();

    // A lookup (always read-only) cannot undo it: it says how, and leaves
    // the file and the journal as they were.
    let journal = format!("{}-journal", left.display());
    let left_before = (fs::read(&left).unwrap(), fs::read(&journal).unwrap());
    let msg = lookup_refused(home.path(), &left);
    assert!(
        (fs::read(&left).unwrap(), fs::read(&journal).unwrap()) == left_before,
        "the lookup changed the file or its journal"
    );
    let path = left.display().to_string();
    let path = [("path", path.as_str())];
    assert!(msg.contains(&en("store.error.unfinished", &path)), "{msg}");
    assert!(msg.contains(&zh("store.error.unfinished", &path)), "{msg}");
    // ... which names the command that undoes it.
    assert!(msg.contains("fieldbook check"), "{msg}");
    // As it says: check undoes it, and the lookup works again on the data as it was.
    fb(home.path())
        .arg("--db")
        .arg(&left)
        .arg("check")
        .assert()
        .success();
    let phones: i64 = Connection::open(&left)
        .unwrap()
        .query_row(
            "SELECT count(*) FROM person WHERE phone = '13900000000'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(phones, 0);
    fb(home.path())
        .arg("--db")
        .arg(&left)
        .args(["lookup", "--limit", "1", "5133"])
        .assert()
        .success();
}

#[test]
fn terminal_control_in_a_manifest_or_a_locale_override_never_reaches_the_terminal() {
    let home = tempfile::tempdir().unwrap();
    let db = database(home.path(), 3);
    fb(home.path())
        .arg("--db")
        .arg(&db)
        .arg("export")
        .assert()
        .success();
    let snap = home.path().join("exports").join(TODAY);
    // Another laptop's operator name with a clear-screen and a bell.
    let m = snap.join(fieldbook::snapshot::MANIFEST);
    let mut manifest: serde_json::Value = serde_json::from_slice(&fs::read(&m).unwrap()).unwrap();
    manifest["operator"] = "泽仁\u{1b}[2J\u{7}".into();
    fs::write(&m, serde_json::to_vec(&manifest).unwrap()).unwrap();
    let other = home.path().join("county.db");
    fb(home.path())
        .arg("--db")
        .arg(&other)
        .arg("init")
        .assert()
        .success();
    let run = fb(home.path())
        .arg("--db")
        .arg(&other)
        .arg("import")
        .arg(&snap)
        .assert()
        .success();
    let out = text(&run.get_output().stdout);
    assert!(out.contains("泽仁[2J"), "{out:?}");
    assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");

    // A locale override whose message holds an escape sequence.
    let locales = home.path().join("my-locales");
    fs::create_dir(&locales).unwrap();
    fs::write(
        locales.join("en.toml"),
        "lookup.none = \"Nobody \\u001b[31mfound\\u0007 for {query}.\"\n",
    )
    .unwrap();
    let run = fb(home.path())
        .arg("--db")
        .arg(&other)
        .arg("--locales")
        .arg(&locales)
        .args(["lookup", "nobody-at-all"])
        .assert()
        .failure();
    let err = text(&run.get_output().stderr);
    assert!(
        err.contains("Nobody [31mfound for nobody-at-all."),
        "{err:?}"
    );
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
}
