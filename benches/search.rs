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
//! - typing: every query of [`TYPED`] is typed one character at a time; each
//!   keystroke is one `Store::search` for the text so far (50 rows, details
//!   filled, as the search screen asks). Median, 95th percentile and worst.
//! - saves: the same saves (a person renamed, so the index has work to do)
//!   on two copies of a 10,000-household database, one with the search index
//!   and one with its triggers and indexes dropped, taken in alternating
//!   rounds so both see the same machine load.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fieldbook::domain::records::{Household, Person};
use fieldbook::store::{OpenOptions, Store};

/// Queries as county staff type them: Chinese, pinyin whole and as initials,
/// Tibetan, Wylie, ID numbers whole and by last digits, household numbers, phones.
const TYPED: &[&str] = &[
    "扎西泽仁",
    "泽仁多吉",
    "zhaxizeren",
    "zhang san",
    "zxzr",
    "བཀྲ་ཤིས་ཚེ་རིང",
    "sgrol ma",
    "bkra shis tshe ring",
    "513333198503140113",
    "0113",
    "513333101205004321",
    "13812345678",
    "lha mo",
];

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

fn typing() {
    let db = demo_db(100_000);
    let store = Store::open(&db, OpenOptions::read_only()).expect("open");
    // One untimed pass: the first touch of each page comes from the disk.
    for q in TYPED {
        store.search(q, 50).expect("search");
    }
    let mut all = Vec::new();
    let mut worst = (Duration::ZERO, String::new());
    println!("as-you-type search, 100,000 households ({}):", db.display());
    for q in TYPED {
        let chars: Vec<char> = q.chars().collect();
        let mut samples = Vec::new();
        for _ in 0..5 {
            for n in 1..=chars.len() {
                let typed: String = chars[..n].iter().collect();
                let started = Instant::now();
                let r = store.search(&typed, 50).expect("search");
                let took = started.elapsed();
                std::hint::black_box(r);
                if took > worst.0 {
                    worst = (took, typed.clone());
                }
                samples.push(took);
            }
        }
        all.extend_from_slice(&samples);
        let (median, p95, max) = summary(&mut samples);
        println!(
            "  {:<22} {:>2} keys  median {:6.2} ms  p95 {:6.2} ms  max {:6.2} ms",
            format!("\"{q}\""),
            chars.len(),
            ms(median),
            ms(p95),
            ms(max)
        );
    }
    let (median, p95, max) = summary(&mut all);
    println!(
        "  all {} keystrokes: median {:.2} ms, p95 {:.2} ms, worst {:.2} ms (\"{}\")",
        all.len(),
        ms(median),
        ms(p95),
        ms(max),
        worst.1
    );
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
    // and are folded into the FTS index on the save path, 200 at a time.
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
