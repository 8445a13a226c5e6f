//! The importer against damaged snapshots: one cell of a good snapshot
//! replaced by a hostile value (resealed, so only the content is wrong).
//! Whatever the value, the import never panics, and either takes the
//! snapshot whole or refuses it with the file, line and column and nothing
//! written. `PROPTEST_CASES=5000 cargo test --release --test import_fuzz`
//! runs a longer campaign (the figures in the README come from it).

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use fieldbook::snapshot::{self, ExportOptions, MANIFEST, Manifest, files};
use fieldbook::store::{OpenOptions, Store};
use proptest::prelude::*;
use rusqlite::Connection;

struct Fixture {
    _dir: tempfile::TempDir,
    snapshot: PathBuf,
    target: PathBuf,
    /// (file, columns, rows) of each table file.
    files: Vec<(String, Vec<String>, usize)>,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let mut a = Store::open(&dir.path().join("a.db"), OpenOptions::create()).unwrap();
        a.set_operator("泽仁");
        fieldbook::demo::generate(&mut a, 6, 11).unwrap();
        let opts = ExportOptions {
            out_dir: dir.path().join("out"),
            date: chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
            xlsx: false,
        };
        let exported = snapshot::export(
            &a,
            &fieldbook::i18n::Catalog::builtin(),
            &opts,
            &mut |_, _| {},
        )
        .unwrap();
        let target = dir.path().join("target.db");
        Store::open(&target, OpenOptions::create()).unwrap();
        let files = exported
            .manifest
            .files
            .iter()
            .filter(|f| f.table.is_some() && f.rows > 0)
            .map(|f| {
                let text = fs::read_to_string(exported.dir.join(&f.file)).unwrap();
                let header = text.trim_start_matches('\u{feff}').lines().next().unwrap();
                let cols = header.split(',').map(str::to_owned).collect();
                (f.file.clone(), cols, f.rows as usize)
            })
            .collect();
        Fixture {
            snapshot: exported.dir,
            target,
            files,
            _dir: dir,
        }
    })
}

/// Every row of every table, for "nothing was written".
fn dump(path: &Path) -> Vec<String> {
    let conn = Connection::open(path).unwrap();
    let mut out = Vec::new();
    for t in fieldbook::store::TABLES {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {t} ORDER BY id"))
            .unwrap();
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                (0..n)
                    .map(|i| {
                        r.get::<_, rusqlite::types::Value>(i)
                            .map(|v| format!("{v:?}"))
                    })
                    .collect::<Result<Vec<_>, _>>()
            })
            .unwrap();
        for r in rows {
            out.push(format!("{t}:{}", r.unwrap().join("|")));
        }
    }
    out
}

/// Values a careless or hostile file might hold.
fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("ABC".to_owned()),
        Just("-2019".to_owned()),
        Just("99999".to_owned()),
        Just("00000000-0000-0000-0000-000000000000".to_owned()),
        Just("2099-01-01T00:00:00.000Z".to_owned()),
        Just("513333199001011234".to_owned()),
        Just("扎西\u{1b}[2J\u{7}".to_owned()),
        Just("\u{202e}x".to_owned()),
        Just("=HYPERLINK(\"x\")".to_owned()),
        Just("1e9".to_owned()),
        Just("9223372036854775808".to_owned()),
        Just("no_such_course".to_owned()),
        Just("a".repeat(5000)),
        "\\PC{0,40}",
        "[0-9a-f-]{0,40}",
        "[0-9]{0,20}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn one_hostile_cell_is_taken_or_refused_whole_never_a_panic(
        file in 0usize..64, column in 0usize..64, row in 0usize..1000, value in hostile()
    ) {
        let f = fixture();
        let (name, cols, rows) = &f.files[file % f.files.len()];
        let work = tempfile::tempdir().unwrap();
        let snap = work.path().join("snap");
        fs::create_dir(&snap).unwrap();
        for e in fs::read_dir(&f.snapshot).unwrap() {
            let e = e.unwrap();
            fs::copy(e.path(), snap.join(e.file_name())).unwrap();
        }
        let db = work.path().join("t.db");
        fs::copy(&f.target, &db).unwrap();
        // The cell, written back with proper CSV quoting, and resealed.
        let path = snap.join(name);
        let text = fs::read_to_string(&path).unwrap();
        let mut rdr = csv::ReaderBuilder::new().has_headers(false)
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let mut records: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
        let r = 1 + row % rows;
        let c = column % cols.len();
        let mut cells: Vec<String> = records[r].iter().map(str::to_owned).collect();
        cells[c] = value.clone();
        records[r] = csv::StringRecord::from(cells);
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF)
            .from_writer(vec![0xEF, 0xBB, 0xBF]);
        for rec in &records { w.write_record(rec).unwrap(); }
        fs::write(&path, w.into_inner().unwrap()).unwrap();
        let (sha, bytes) = files::sha256_of(&path).unwrap();
        let mut m = Manifest::read(&snap).unwrap();
        let e = m.files.iter_mut().find(|e| &e.file == name).unwrap();
        e.sha256 = sha;
        e.bytes = bytes;
        fs::write(snap.join(MANIFEST), serde_json::to_vec(&m).unwrap()).unwrap();

        let before = dump(&db);
        let mut store = Store::open(&db, OpenOptions::create()).unwrap();
        store.set_operator("泽仁");
        match snapshot::import(&mut store, std::slice::from_ref(&snap), &mut |_, _| {}) {
            Ok(_) => {
                drop(store);
                let check = Store::open(&db, OpenOptions::read_only()).unwrap().check().unwrap();
                prop_assert!(check.is_ok(), "{name}:{r}:{} = {value:?} taken, database unsound", cols[c]);
            }
            Err(e) => {
                let msg = e.to_string();
                prop_assert!(msg.contains(name.as_str()) || msg.contains(MANIFEST), "{msg}");
                drop(store);
                prop_assert_eq!(dump(&db), before, "refused, yet written: {}", msg);
                prop_assert!(!msg.contains('\u{1b}'), "{:?}", msg);
            }
        }
    }
}
