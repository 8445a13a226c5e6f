//! Search speed on the demo database, and what the index costs a save.
//!
//! ```sh
//! cargo bench --bench search                 # both
//! cargo bench --bench search -- typing       # as-you-type only
//! cargo bench --bench search -- saves        # save overhead only
//! ```
//!
//! The 100,000-household demo database is made once in `target/bench/`
//! (or taken from `FIELDBOOK_BENCH_DB`). The lookup process as a whole is
//! timed by `benches/lookup.sh`.
//!
//! - typing: each query of [`queries`] typed into the app's search screen one
//!   key at a time, as a user types it. A keystroke is the key handled (the
//!   search for the text so far, with the details of the rows the screen
//!   shows: 9 at 80x24) and the screen drawn at 80x24. Each query is typed
//!   once per round; each round is a new app on a new read-only connection,
//!   so SQLite's page cache starts empty (the operating system's file cache
//!   stays warm). Per round: median, 95th percentile and worst keystroke;
//!   per query: the rows it ends with, which must not be none. Then the
//!   same on a copy of the database with `FOLD_AT - 1` (999) persons renamed
//!   and not yet folded into the index, whose names every search reads
//!   directly. `FIELDBOOK_BENCH_ROUNDS` rounds (default 3).
//! - saves: the same saves (a person renamed, so the index has work to do)
//!   on two copies of a 10,000-household database, one with the search index
//!   and one with its triggers and indexes dropped, taken in alternating
//!   rounds so both see the same machine load.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fieldbook::domain::records::{Household, Person};
use fieldbook::i18n::{Catalog, Lang};
use fieldbook::store::search::FOLD_AT;
use fieldbook::store::{OpenOptions, Store};
use fieldbook::tui::App;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Names as county staff type them, each common in the demo data: Chinese,
/// pinyin whole and as initials, Tibetan script, Wylie.
const NAMES: &[&str] = &[
    "扎西多吉",
    "卓玛",
    "zhaxiduoji",
    "zxdj",
    "བཀྲ་ཤིས་རྡོ་རྗེ",
    "sgrol ma",
    "bkra shis rdo rje",
    "lha mo",
];

/// [`NAMES`], then numbers taken from the database so that each finds
/// someone: an ID number whole and by its last four digits, a household
/// number, a phone.
fn queries(db: &Path) -> Vec<String> {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open");
    let (id_number, phone, household): (String, String, String) = conn
        .query_row(
            "SELECT p.id_number, p.phone, h.number FROM person p
             JOIN household h ON h.id = p.household_id
             WHERE p.deleted_at IS NULL AND p.id_number <> '' AND p.phone <> ''
             ORDER BY p.rowid LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("a person with an ID number and a phone");
    let last4 = id_number[id_number.len() - 4..].to_owned();
    NAMES
        .iter()
        .map(|q| (*q).to_owned())
        .chain([id_number, last4, household, phone])
        .collect()
}

fn bench_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    std::fs::create_dir_all(&dir).expect("target/bench");
    dir
}

/// A demo database of `households`, made once.
fn demo_db(households: u32) -> PathBuf {
    let path = match std::env::var_os("FIELDBOOK_BENCH_DB") {
        Some(p) if households == 100_000 => PathBuf::from(p),
        _ => bench_dir().join(format!("demo-{households}.db")),
    };
    if !path.exists() {
        eprintln!("making {} ...", path.display());
        let started = Instant::now();
        let tmp = path.with_extension("partial");
        let _ = std::fs::remove_file(&tmp);
        let mut store = Store::open(&tmp, OpenOptions::create()).expect("open");
        fieldbook::demo::generate(&mut store, households, 1).expect("demo");
        drop(store);
        std::fs::rename(&tmp, &path).expect("rename");
        eprintln!("  {:.1} s", started.elapsed().as_secs_f64());
    }
    path
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// (median, 95th percentile, worst) of `samples`.
fn summary(samples: &mut [Duration]) -> (Duration, Duration, Duration) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.95), at(1.0))
}

fn draw(app: &App, terminal: &mut Terminal<TestBackend>) {
    terminal
        .draw(|f| f.render_widget(app, f.area()))
        .expect("draw");
}

fn press(app: &mut App, code: KeyCode) {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
}

/// Result rows on the search screen as drawn: lines below the query that
/// start at the left edge (a result's details are indented), other than
/// the message that nothing was found.
fn rows_shown(terminal: &Terminal<TestBackend>, none: &str) -> usize {
    let buf = terminal.backend().buffer();
    let line = |y: u16| -> String { (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect() };
    (3..buf.area.height - 2)
        .map(line)
        .filter(|l| l.chars().nth(1).is_some_and(|c| c != ' ') && !l.contains(none))
        .count()
}

/// One round: every query typed once into a new app's search screen, on a
/// new read-only connection. The time of each keystroke, and for each
/// query its keys, the rows it ends with and its slowest keystroke.
fn typing_round(db: &Path, queries: &[String]) -> (Vec<Duration>, Vec<(usize, usize, Duration)>) {
    let none = Catalog::builtin().text(Lang::En, "search.none");
    let store = Store::open(db, OpenOptions::read_only()).expect("open");
    let mut app = App::new(store, Catalog::builtin(), Lang::En);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    let mut all = Vec::new();
    let mut per_query = Vec::new();
    for q in queries {
        press(&mut app, KeyCode::Char('/'));
        draw(&app, &mut terminal);
        let mut worst = Duration::ZERO;
        for c in q.chars() {
            let started = Instant::now();
            press(&mut app, KeyCode::Char(c));
            draw(&app, &mut terminal);
            let took = started.elapsed();
            worst = worst.max(took);
            all.push(took);
        }
        let rows = rows_shown(&terminal, &none);
        assert!(rows > 0, "{q:?} finds nothing: not a query to time");
        per_query.push((q.chars().count(), rows, worst));
        press(&mut app, KeyCode::Esc);
    }
    (all, per_query)
}

fn typing_on(db: &Path, what: &str) {
    let rounds: usize = std::env::var("FIELDBOOK_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let queries = queries(db);
    println!(
        "as-you-type search, 100,000 households, {what} ({}):",
        db.display()
    );
    let mut worst_per_query = vec![Duration::ZERO; queries.len()];
    let mut shape = Vec::new();
    for round in 1..=rounds {
        let (mut all, per_query) = typing_round(db, &queries);
        for (w, (_, _, worst)) in worst_per_query.iter_mut().zip(&per_query) {
            *w = (*w).max(*worst);
        }
        shape = per_query;
        let n = all.len();
        let (median, p95, max) = summary(&mut all);
        println!(
            "  round {round}: {n} keystrokes, median {:.2} ms, p95 {:.2} ms, worst {:.2} ms",
            ms(median),
            ms(p95),
            ms(max)
        );
    }
    for (q, ((keys, rows, _), worst)) in queries.iter().zip(shape.iter().zip(&worst_per_query)) {
        println!(
            "    {:<22} {keys:>2} keys, ends with {rows} rows, worst key {:6.2} ms",
            format!("\"{q}\""),
            ms(*worst)
        );
    }
}

/// A copy of `db` with `FOLD_AT - 1` persons renamed in one save: just
/// too few to be folded into the index, so every search reads their names
/// directly. Made once, next to `db`.
fn with_pending(db: &Path) -> PathBuf {
    let pending = FOLD_AT - 1;
    let copy = db.with_file_name(format!("demo-100000-pending-{pending}.db"));
    let count = |p: &Path| -> i64 {
        rusqlite::Connection::open(p)
            .and_then(|c| c.query_row("SELECT count(*) FROM search_pending", [], |r| r.get(0)))
            .unwrap_or(-1)
    };
    if copy.exists() && count(&copy) == pending {
        return copy;
    }
    copy_db(db, &copy);
    let mut store = Store::open(&copy, OpenOptions::default()).expect("open copy");
    // Spread over the whole table: every 400th person.
    let mut people: Vec<Person> = Vec::new();
    let mut after = None;
    while (people.len() as i64) < pending {
        let page = store.list_page::<Person>(after, 400).expect("persons");
        let Some(last) = page.last() else { break };
        after = Some(last.meta.id);
        people.push(page[0].clone());
    }
    store
        .write(|w| {
            for p in &mut people {
                p.name_zh.push('措');
                w.save(p)?;
            }
            Ok(())
        })
        .expect("rename");
    drop(store);
    assert_eq!(count(&copy), pending, "renamed persons pending");
    copy
}

fn typing() {
    let db = demo_db(100_000);
    typing_on(&db, "index folded");
    let pending = with_pending(&db);
    typing_on(&pending, &format!("{} persons pending", FOLD_AT - 1));
}

/// Drops what the search index adds to a write: its triggers and the
/// number indexes of schema version 3.
fn without_index(path: &Path) {
    let conn = rusqlite::Connection::open(path).expect("open copy");
    conn.execute_batch(
        "DROP TRIGGER person_search_insert;
         DROP TRIGGER person_search_update;
         DROP TRIGGER person_search_delete;
         DROP INDEX person_id_tail;
         DROP INDEX person_phone_tail;
         DROP INDEX household_number_tail;
         DROP INDEX household_phone_tail;",
    )
    .expect("drop the index");
}

fn copy_db(from: &Path, to: &Path) {
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", to.display()));
    }
    // A checkpointed file is the whole database.
    drop(Store::open(from, OpenOptions::create()).expect("open"));
    std::fs::copy(from, to).expect("copy");
}

/// CPU time of this process so far (user and system), from /proc.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which may hold spaces) ends with ')'.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // utime and stime are fields 14 and 15 of the line: 12 and 13 after ')'.
    Duration::from_millis((ticks(11) + ticks(12)) * 10)
}

/// Renames each person (each save one transaction, synced as the app does).
fn rename(
    store: &mut Store,
    people: &mut [Person],
    round: usize,
    cpu: &mut Duration,
) -> Vec<Duration> {
    let cpu_before = cpu_time();
    let took = people
        .iter_mut()
        .enumerate()
        .map(|(i, p)| {
            p.name_zh = format!("测试{round}号{i}");
            p.name_bo = format!("ཚེ་རིང་{round}{i}");
            let started = Instant::now();
            store.save(p).expect("save");
            started.elapsed()
        })
        .collect();
    *cpu += cpu_time().saturating_sub(cpu_before);
    took
}

/// Saves each household with its roster, the phone changed and the names
/// not: the everyday save of the household form.
fn rosters(
    store: &mut Store,
    households: &mut [(Household, Vec<Person>)],
    round: usize,
    cpu: &mut Duration,
) -> Vec<Duration> {
    let cpu_before = cpu_time();
    let took = households
        .iter_mut()
        .map(|(h, members)| {
            h.phone = format!("1390000{round:04}");
            let started = Instant::now();
            store.save_household(h, members).expect("save");
            started.elapsed()
        })
        .collect();
    *cpu += cpu_time().saturating_sub(cpu_before);
    took
}

fn report(what: &str, mut ta: Vec<Duration>, mut tb: Vec<Duration>, ca: Duration, cb: Duration) {
    let n = ta.len();
    let mean = |t: &[Duration]| t.iter().sum::<Duration>() / t.len() as u32;
    let (mean_a, mean_b) = (mean(&ta), mean(&tb));
    let (ma, pa95, maxa) = summary(&mut ta);
    let (mb, pb95, maxb) = summary(&mut tb);
    println!("{what}, 10,000 households, {n} saves each:");
    for (label, median, mean, p95, max, cpu) in [
        ("with the search index", ma, mean_a, pa95, maxa, ca),
        ("without it", mb, mean_b, pb95, maxb, cb),
    ] {
        println!(
            "  {label:<22} median {:.3} ms  mean {:.3} ms  p95 {:.3} ms  max {:.3} ms  cpu {:.3} ms/save",
            ms(median),
            ms(mean),
            ms(p95),
            ms(max),
            ms(cpu) / n as f64
        );
    }
    let pct = |x: Duration, y: Duration| (ms(x) / ms(y) - 1.0) * 100.0;
    println!(
        "  the index adds {:+.1}% to the median save, {:+.1}% to the mean, {:+.1}% to its CPU time",
        pct(ma, mb),
        pct(mean_a, mean_b),
        pct(ca, cb)
    );
}

fn saves() {
    let source = demo_db(10_000);
    let dir = bench_dir();
    let with = dir.join("saves-with-index.db");
    let without = dir.join("saves-without-index.db");
    copy_db(&source, &with);
    copy_db(&source, &without);
    without_index(&without);
    let mut a = Store::open(&with, OpenOptions::create()).expect("open");
    let mut b = Store::open(&without, OpenOptions::create()).expect("open");

    // 1,000 different persons: the renamed ones gather in the pending list
    // and are folded into the FTS index on the save path once FOLD_AT
    // (1,000) have gathered: here, by the last save.
    let people = |s: &Store| s.list_page::<Person>(None, 1000).expect("persons");
    let (mut pa, mut pb) = (people(&a), people(&b));
    let (mut ta, mut tb) = (Vec::new(), Vec::new());
    let (mut ca, mut cb) = (Duration::ZERO, Duration::ZERO);
    for round in 0..20 {
        let batch = round * 50..(round + 1) * 50;
        ta.extend(rename(&mut a, &mut pa[batch.clone()], round, &mut ca));
        tb.extend(rename(&mut b, &mut pb[batch], round, &mut cb));
    }
    report("save of a renamed person (synced)", ta, tb, ca, cb);

    let households = |s: &Store| {
        s.list_page::<Household>(None, 50)
            .expect("households")
            .into_iter()
            .map(|h| {
                let members = s.members(h.meta.id).expect("members");
                (h, members)
            })
            .collect::<Vec<_>>()
    };
    let (mut ha, mut hb) = (households(&a), households(&b));
    let (mut ta, mut tb) = (Vec::new(), Vec::new());
    let (mut ca, mut cb) = (Duration::ZERO, Duration::ZERO);
    for round in 0..20 {
        ta.extend(rosters(&mut a, &mut ha, round, &mut ca));
        tb.extend(rosters(&mut b, &mut hb, round, &mut cb));
    }
    report(
        "save of a household and its roster, names unchanged (synced)",
        ta,
        tb,
        ca,
        cb,
    );
    assert!(a.check_search_index().expect("check").is_ok());
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let run = |name: &str| args.is_empty() || args.iter().any(|a| name.contains(a.as_str()));
    if run("typing") {
        typing();
    }
    if run("saves") {
        saves();
    }
}
