//! The county's report against a reference: the SQL `Store::report_data`
//! ran over the base tables before it was made fast, copied here verbatim
//! as [`reference`], and compared figure by figure, township by township,
//! with what the store answers, on databases built and then changed by a
//! seeded sequence of edits through the store's own API (households,
//! persons, visits, work, training, posts, holders, subsidies, villages
//! moved between townships), after a snapshot is imported into a fresh
//! database, merged into an older copy, and loaded in bulk.
//!
//! Its purpose is the rewrite of the report over derived tables kept by
//! triggers: every edit below is one a trigger must follow. A difference
//! names the seed, the edit step and the edits since the last check, the
//! year and day counted, the township and the field. Should a figure's
//! meaning change on purpose, change [`reference`] with it, deliberately.
//!
//! What is compared: every township's [`Counts`], exactly (a part of a
//! figure counted 0 is a line the report shows, so `{"own": 0}` is not
//! `{}`), a township with nothing counted being the same as one absent;
//! the village standard; the names of every course, post type and
//! funding source counted. Years 2024 to 2026, each counted on 30 June and
//! on 31 December; dates and months are drawn often on those days and on
//! years' edges, where a `<` against a `<=` shows.
//!
//! The test is not vacuous: every kind of edit is done, every figure (and
//! every place, channel, mode) is counted above zero at some check, and
//! each seed's final report counts work, income, trainees, posts, holders,
//! subsidies, visits and labourers. To search more seeds:
//! `REPORT_REFERENCE_SEEDS=1-200 cargo test --test report_reference`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::{Datelike, Days, Months, NaiveDate};
use fieldbook::domain::codes;
use fieldbook::domain::employment::kind_of;
use fieldbook::domain::posts::{
    Month, VILLAGE_STANDARD, agreement_period, days_inside, default_agreement_end,
};
use fieldbook::domain::records::*;
use fieldbook::i18n::Catalog;
use fieldbook::snapshot::{self, ExportOptions};
use fieldbook::store::posts::Names;
use fieldbook::store::report::{CHANNELS, Counts, PLACES, ReportData};
use fieldbook::store::{OpenOptions, Record, Store, StoreError};
use rusqlite::{Connection, OpenFlags};
use tempfile::TempDir;
use uuid::Uuid;

// ---------------------------------------------------------------------
// The reference: `src/store/report.rs` as it was before the rewrite
// (commit b4f6515), its SQL unchanged.
// ---------------------------------------------------------------------

/// A month `YYYY-MM` (or a date) as a number of months, in SQL.
fn month_no(x: &str) -> String {
    format!("(CAST(substr({x}, 1, 4) AS INTEGER) * 12 + CAST(substr({x}, 6, 2) AS INTEGER))")
}

/// Every spell of work in `year` of a live person (see `work_sql` in
/// `src/store/report.rs` as it was).
fn work_sql(year: i32, on: NaiveDate) -> String {
    let (first, last) = (format!("'{year:04}-01'"), format!("'{year:04}-12'"));
    let until = format!("'{}'", &on.format("%Y-%m"));
    let months = format!(
        "max(0, min({end}, {last_no}) - max({start}, {first_no}) + 1)",
        end = month_no(&format!("coalesce(r.end_month, {until})")),
        last_no = month_no(&last),
        start = month_no(&format!("coalesce(r.start_month, {first})")),
        first_no = month_no(&first),
    );
    format!(
        "SELECT v.township_id AS t, p.id AS person_id, h.id AS household_id,
                r.place_tier AS place, r.channel AS channel, r.employer AS employer,
                CASE WHEN r.monthly_income_fen IS NOT NULL
                     THEN r.monthly_income_fen * {months}
                     ELSE coalesce(r.income_fen, 0) END AS income
         FROM employment_record r
         JOIN person p ON p.id = r.person_id AND p.deleted_at IS NULL
         JOIN household h ON h.id = p.household_id AND h.deleted_at IS NULL
         JOIN village v ON v.id = h.village_id
         WHERE r.deleted_at IS NULL AND r.kind NOT IN ('not_employed', 'student', 'unable')
           AND (r.start_month IS NULL OR r.start_month <= {last})
           AND (r.end_month IS NULL OR r.end_month >= {first})
         UNION ALL
         SELECT v.township_id, p.id, h.id, 'in_county', 'welfare_post', pt.name_zh,
                coalesce((SELECT sum(sp.amount_fen) FROM subsidy_payment sp
                          WHERE sp.assignment_id = a.id AND sp.deleted_at IS NULL
                            AND sp.paid_on IS NOT NULL AND sp.month BETWEEN {first} AND {last}), 0)
         FROM post_assignment a JOIN post po ON po.id = a.post_id AND po.deleted_at IS NULL
         JOIN post_type pt ON pt.id = po.post_type_id
         JOIN person p ON p.id = a.person_id AND p.deleted_at IS NULL
         JOIN household h ON h.id = p.household_id AND h.deleted_at IS NULL
         JOIN village v ON v.id = h.village_id
         WHERE a.deleted_at IS NULL AND a.start_date <= '{year:04}-12-31'
           AND (a.end_date IS NULL OR a.end_date >= '{year:04}-01-01')"
    )
}

/// Where each session was held: its township, else its village's.
const SESSION_TOWNSHIP: &str = "coalesce(s.township_id,
    (SELECT vs.township_id FROM village vs WHERE vs.id = s.village_id))";

/// Posts open on ?1 with their township and whether held on ?1.
const POSTS_BASE: &str = "
    FROM post p JOIN village v ON v.id = p.village_id AND v.deleted_at IS NULL
    JOIN post_type pt ON pt.id = p.post_type_id
    LEFT JOIN funding_source fs ON fs.id = p.funding_source_id
    WHERE p.deleted_at IS NULL AND p.opened_on <= ?1
      AND (p.closed_on IS NULL OR p.closed_on > ?1)";
const HELD_SQL: &str = "EXISTS (SELECT 1 FROM post_assignment a WHERE a.post_id = p.id
      AND a.deleted_at IS NULL AND a.start_date <= ?1
      AND (a.end_date IS NULL OR a.end_date > ?1))";

/// Enrolments of live persons in live sessions starting in the year.
const TRAINEES_BASE: &str = "
    FROM enrolment e
    JOIN training_session s ON s.id = e.session_id AND s.deleted_at IS NULL
    JOIN course c ON c.id = s.course_id
    JOIN person p ON p.id = e.person_id AND p.deleted_at IS NULL
    JOIN household h ON h.id = p.household_id
    JOIN village v ON v.id = h.village_id
    WHERE e.deleted_at IS NULL AND s.start_date BETWEEN ?1 AND ?2";
/// A minor as the training rules have it: at most 18 on the session's
/// first day.
const MINOR_SQL: &str =
    "(p.birth_date IS NOT NULL AND p.birth_date > date(s.start_date, '-19 years'))";
const ENDED_SQL: &str = "(s.status = 'finished' OR e.outcome <> 'enrolled')";

fn uuid_of(s: Option<String>) -> Option<Uuid> {
    s.and_then(|s| Uuid::parse_str(&s).ok())
}

fn rows<T>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    f: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Vec<T> {
    let mut stmt = conn
        .prepare(sql)
        .unwrap_or_else(|e| panic!("reference: {e}\n{sql}"));
    stmt.query_map(params, f)
        .and_then(|r| r.collect())
        .unwrap_or_else(|e| panic!("reference: {e}\n{sql}"))
}

/// What the reference computes of one year.
#[derive(Debug, Default)]
struct Reference {
    by_township: BTreeMap<Option<Uuid>, Counts>,
    names: BTreeMap<String, Names>,
    standard: i64,
}

/// Every township's counts for `year`, posts counted on `on`, computed by
/// the report's SQL as it was before the rewrite.
fn reference(conn: &Connection, year: i32, on: NaiveDate) -> Reference {
    let from = format!("{year:04}-01-01");
    let to = format!("{year:04}-12-31");
    let on_s = on.to_string();
    let mut by: BTreeMap<Option<Uuid>, Counts> = BTreeMap::new();
    let mut names: BTreeMap<String, Names> = BTreeMap::new();

    for (t, n, poor, visited) in rows(
        conn,
        "SELECT v.township_id, count(*), sum(h.registered_poor),
                sum(h.id IN (SELECT household_id FROM visit
                             WHERE round = ?1 AND deleted_at IS NULL))
         FROM household h JOIN village v ON v.id = h.village_id
         WHERE h.deleted_at IS NULL GROUP BY 1",
        [format!("{year:04}-start")],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    ) {
        let c = by.entry(uuid_of(t)).or_default();
        c.households = n;
        c.registered_poor = poor;
        c.visited = visited;
    }
    for (t, n) in rows(
        conn,
        "SELECT v.township_id, count(*) FROM person p
         JOIN household h ON h.id = p.household_id AND h.deleted_at IS NULL
         JOIN village v ON v.id = h.village_id
         WHERE p.deleted_at IS NULL AND p.is_labourer = 1 GROUP BY 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    ) {
        by.entry(uuid_of(t)).or_default().labourers = n;
    }
    let work = work_sql(year, on);
    for dim in ["place", "channel"] {
        let sql = format!(
            "SELECT t, d, count(*) FROM (
                SELECT DISTINCT t, person_id, {dim} AS d FROM ({work}))
             GROUP BY 1, 2"
        );
        for (t, d, n) in rows(conn, &sql, [], |r| {
            Ok((
                r.get::<_, Option<String>>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        }) {
            let c = by.entry(uuid_of(t)).or_default();
            let map = if dim == "place" {
                &mut c.by_place
            } else {
                &mut c.by_channel
            };
            *map.entry(d).or_default() += n;
        }
    }
    let sql = format!(
        "SELECT t, count(*), sum(income), sum(income > 0) FROM (
            SELECT t, person_id, sum(income) AS income FROM ({work}) GROUP BY 1, 2)
         GROUP BY 1"
    );
    for (t, n, income, earners) in rows(conn, &sql, [], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
    }) {
        let c = by.entry(uuid_of(t)).or_default();
        c.workers = n;
        c.income_fen = income;
        c.earners = earners;
    }
    let sql = format!(
        "SELECT {SESSION_TOWNSHIP}, count(*), sum(s.status = 'finished')
         FROM training_session s
         WHERE s.deleted_at IS NULL AND s.start_date BETWEEN ?1 AND ?2 GROUP BY 1"
    );
    for (t, n, finished) in rows(conn, &sql, [&from, &to], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    }) {
        let c = by.entry(uuid_of(t)).or_default();
        c.sessions = n;
        c.sessions_finished = finished;
    }
    let sql = format!(
        "SELECT v.township_id, c.code, c.name_zh, c.name_bo, c.name_en, s.mode, count(*),
                sum(e.outcome = 'completed'), sum({ENDED_SQL}), sum({MINOR_SQL}),
                sum(e.employed_after)
         {TRAINEES_BASE} GROUP BY 1, 2, 6"
    );
    type TraineeRow = (Option<String>, String, Names, String, [i64; 5]);
    let trainees: Vec<TraineeRow> = rows(conn, &sql, [&from, &to], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            Names {
                zh: r.get(2)?,
                bo: r.get(3)?,
                en: r.get(4)?,
            },
            r.get(5)?,
            [r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?, r.get(10)?],
        ))
    });
    for (t, course, course_names, mode, [n, completed, ended, minors, employed]) in trainees {
        let c = by.entry(uuid_of(t)).or_default();
        c.trainees += n;
        *c.by_course.entry(course.clone()).or_default() += n;
        *c.by_mode.entry(mode).or_default() += n;
        c.completed += completed;
        c.ended += ended;
        c.minors += minors;
        c.employed_after += employed;
        names.insert(format!("course.{course}"), course_names);
    }
    let sql = format!(
        "SELECT v.township_id, pt.code, pt.name_zh, pt.name_bo, pt.name_en, pt.department,
                coalesce(fs.code, ''), coalesce(fs.name_zh, ''), coalesce(fs.name_bo, ''),
                coalesce(fs.name_en, ''), {HELD_SQL} AS held, count(*)
         {POSTS_BASE} GROUP BY 1, 2, 7, 11"
    );
    type PostRow = (
        Option<String>,
        String,
        Names,
        String,
        String,
        Names,
        bool,
        i64,
    );
    let posts: Vec<PostRow> = rows(conn, &sql, [&on_s], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            Names {
                zh: r.get(2)?,
                bo: r.get(3)?,
                en: r.get(4)?,
            },
            r.get(5)?,
            r.get(6)?,
            Names {
                zh: r.get(7)?,
                bo: r.get(8)?,
                en: r.get(9)?,
            },
            r.get(10)?,
            r.get(11)?,
        ))
    });
    for (t, ty, ty_names, dept, fund, fund_names, held, n) in posts {
        let c = by.entry(uuid_of(t)).or_default();
        c.posts += n;
        *c.by_type.entry(ty.clone()).or_default() += n;
        *c.by_department.entry(dept).or_default() += n;
        *c.by_funding.entry(fund.clone()).or_default() += n;
        if held {
            c.holders += n;
        } else {
            c.vacancies += n;
        }
        names.insert(format!("post_type.{ty}"), ty_names);
        if !fund.is_empty() {
            names.insert(format!("funding.{fund}"), fund_names);
        }
    }
    for (t, paid, persons) in rows(
        conn,
        "SELECT v.township_id, sum(sp.amount_fen), count(DISTINCT a.person_id)
         FROM subsidy_payment sp JOIN post_assignment a ON a.id = sp.assignment_id
         JOIN post p ON p.id = a.post_id JOIN village v ON v.id = p.village_id
         WHERE sp.deleted_at IS NULL AND sp.paid_on IS NOT NULL
           AND sp.month BETWEEN ?1 AND ?2 GROUP BY 1",
        [format!("{year:04}-01"), format!("{year:04}-12")],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    ) {
        let c = by.entry(uuid_of(t)).or_default();
        c.paid_fen = paid;
        c.paid_holders = persons;
    }
    let stored: Vec<String> = rows(
        conn,
        "SELECT value FROM settings WHERE key = ?1",
        [VILLAGE_STANDARD.key],
        |r| r.get(0),
    );
    let standard = VILLAGE_STANDARD.read(stored.first().map(String::as_str));
    let sql = format!(
        "SELECT v.township_id, count(*) FROM village v
         WHERE v.deleted_at IS NULL AND v.exit_year IS NOT NULL
           AND (SELECT count(*) {} AND p.village_id = v.id) < ?2
         GROUP BY 1",
        POSTS_BASE
            .replace(" JOIN village v ON", " JOIN village v2 ON")
            .replace(
                "v.id = p.village_id AND v.deleted_at",
                "v2.id = p.village_id AND v2.deleted_at"
            )
    );
    for (t, n) in rows(conn, &sql, rusqlite::params![on_s, standard], |r| {
        Ok((r.get(0)?, r.get(1)?))
    }) {
        by.entry(uuid_of(t)).or_default().villages_below = n;
    }
    Reference {
        by_township: by,
        names,
        standard,
    }
}

// ---------------------------------------------------------------------
// Comparing.
// ---------------------------------------------------------------------

/// Every field of `store` that differs from `want`, named. The pattern
/// names every field: a field added to `Counts` must be added here.
fn differences(store: &Counts, want: &Counts) -> Vec<String> {
    let mut out = Vec::new();
    macro_rules! fields {
        ($($f:ident),* $(,)?) => {
            let Counts { $($f: _),* } = want;
            $(
                if store.$f != want.$f {
                    out.push(format!(
                        "{}: store {:?}, reference {:?}",
                        stringify!($f),
                        store.$f,
                        want.$f
                    ));
                }
            )*
        };
    }
    fields!(
        households,
        registered_poor,
        visited,
        labourers,
        workers,
        income_fen,
        earners,
        by_place,
        by_channel,
        sessions,
        sessions_finished,
        trainees,
        by_course,
        by_mode,
        completed,
        ended,
        minors,
        employed_after,
        posts,
        by_type,
        by_department,
        by_funding,
        holders,
        vacancies,
        paid_fen,
        paid_holders,
        villages_below,
    );
    out
}

fn township_label(data: &ReportData, t: Option<Uuid>) -> String {
    match t {
        None => "(held nowhere in particular)".to_owned(),
        Some(id) => data
            .townships
            .iter()
            .find(|t| t.meta.id == id)
            .map(|t| format!("{} {}", t.code, t.name_zh))
            .unwrap_or_else(|| id.to_string()),
    }
}

/// The counts of every township that counts anything (a township counted
/// all zero is the same as one not there: the report adds nothing).
fn counted<'a>(
    by: impl Iterator<Item = (&'a Option<Uuid>, &'a Counts)>,
) -> BTreeMap<Option<Uuid>, Counts> {
    let zero = Counts::default();
    by.filter(|(_, c)| **c != zero)
        .map(|(t, c)| (*t, c.clone()))
        .collect()
}

/// The fields of `Counts` that are numbers.
const SCALARS: [&str; 20] = [
    "households",
    "registered_poor",
    "visited",
    "labourers",
    "workers",
    "income_fen",
    "earners",
    "sessions",
    "sessions_finished",
    "trainees",
    "completed",
    "ended",
    "minors",
    "employed_after",
    "posts",
    "holders",
    "vacancies",
    "paid_fen",
    "paid_holders",
    "villages_below",
];

/// The figures `c` counts above zero: a field's name, or a map's and
/// its key's (`by_channel.own`; `by_channel.` for work of no channel).
fn figures_counted(c: &Counts) -> Vec<String> {
    let values = [
        c.households,
        c.registered_poor,
        c.visited,
        c.labourers,
        c.workers,
        c.income_fen,
        c.earners,
        c.sessions,
        c.sessions_finished,
        c.trainees,
        c.completed,
        c.ended,
        c.minors,
        c.employed_after,
        c.posts,
        c.holders,
        c.vacancies,
        c.paid_fen,
        c.paid_holders,
        c.villages_below,
    ];
    let mut out: Vec<String> = SCALARS
        .iter()
        .zip(values)
        .filter(|(_, n)| *n > 0)
        .map(|(name, _)| (*name).to_owned())
        .collect();
    for (map, m) in [
        ("by_place", &c.by_place),
        ("by_channel", &c.by_channel),
        ("by_course", &c.by_course),
        ("by_mode", &c.by_mode),
        ("by_type", &c.by_type),
        ("by_department", &c.by_department),
        ("by_funding", &c.by_funding),
    ] {
        out.extend(
            m.iter()
                .filter(|(_, n)| **n > 0)
                .map(|(k, _)| format!("{map}.{k}")),
        );
    }
    out
}

/// The years compared, and the days posts are counted on in each: one
/// inside the year (the report of the current year counts on today) and
/// its last day.
const YEARS: [i32; 3] = [2024, 2025, 2026];

fn days_counted(year: i32) -> [NaiveDate; 2] {
    [d(year, 6, 30), d(year, 12, 31)]
}

/// Fails, saying where and which fields, when the store's report of any
/// year and day differs from the reference's. Returns the figures counted
/// above zero somewhere (see [`figures_counted`]).
fn check(store: &Store, conn: &Connection, context: &dyn Fn() -> String) -> BTreeSet<String> {
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    for year in YEARS {
        for on in days_counted(year) {
            let got = store
                .report_data(year, on)
                .unwrap_or_else(|e| panic!("{}: report_data({year}, {on}): {e}", context()));
            let want = reference(conn, year, on);
            seen.extend(got.by_township.values().flat_map(figures_counted));
            if got.year != year || got.on != on {
                problems.push(format!(
                    "year {year}, on {on}: the store says year {}, on {}",
                    got.year, got.on
                ));
            }
            if got.standard != want.standard {
                problems.push(format!(
                    "year {year}, on {on}: standard: store {}, reference {}",
                    got.standard, want.standard
                ));
            }
            let (g, w) = (
                counted(got.by_township.iter()),
                counted(want.by_township.iter()),
            );
            let keys: BTreeSet<Option<Uuid>> = g.keys().chain(w.keys()).copied().collect();
            let zero = Counts::default();
            for t in keys {
                let (a, b) = (g.get(&t).unwrap_or(&zero), w.get(&t).unwrap_or(&zero));
                for diff in differences(a, b) {
                    problems.push(format!(
                        "year {year}, on {on}, township {}: {diff}",
                        township_label(&got, t)
                    ));
                }
            }
            for (key, names) in &want.names {
                if got.names.get(key) != Some(names) {
                    problems.push(format!(
                        "year {year}, on {on}: names of {key}: store {:?}, reference {names:?}",
                        got.names.get(key)
                    ));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "the report differs from the reference\n{}\n  {}",
        context(),
        problems.join("\n  ")
    );
    seen
}

/// Every township's counts of every year and day compared, as the store
/// has them: two databases holding the same records report the same.
fn report_of(store: &Store) -> Vec<(i32, NaiveDate, BTreeMap<Option<Uuid>, Counts>)> {
    let mut out = Vec::new();
    for year in YEARS {
        for on in days_counted(year) {
            let data = store.report_data(year, on).unwrap();
            out.push((year, on, counted(data.by_township.iter())));
        }
    }
    out
}

fn assert_same_report(a: &Store, b: &Store, what: &str) {
    for ((year, on, x), (_, _, y)) in report_of(a).into_iter().zip(report_of(b)) {
        let keys: BTreeSet<Option<Uuid>> = x.keys().chain(y.keys()).copied().collect();
        let zero = Counts::default();
        let mut problems = Vec::new();
        for t in keys {
            let (p, q) = (x.get(&t).unwrap_or(&zero), y.get(&t).unwrap_or(&zero));
            for diff in differences(q, p) {
                problems.push(format!("township {t:?}: {diff}"));
            }
        }
        assert!(
            problems.is_empty(),
            "{what}: year {year}, on {on}: the copy (store) differs from the original (reference)\n  {}",
            problems.join("\n  ")
        );
    }
}

// ---------------------------------------------------------------------
// Databases and the edits that change them.
// ---------------------------------------------------------------------

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn open(path: &Path) -> Store {
    let mut s = Store::open(path, OpenOptions::create()).unwrap();
    s.set_operator("卓玛");
    s
}

/// A read-only connection of the reference's own, on the database file.
fn reader(path: &Path) -> Connection {
    Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap()
}

/// SplitMix64: the edits of a seed are the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as usize) as i64
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn pick<T: Clone>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())].clone()
    }

    /// A day of one of `years`; often one the report's conditions turn
    /// on (a year's first and last days, the days around 30 June).
    fn day(&mut self, years: (i32, i32)) -> NaiveDate {
        let y = self.range(i64::from(years.0), i64::from(years.1)) as i32;
        if self.chance(40) {
            let (m, dd) = self.pick(&[(1, 1), (6, 29), (6, 30), (7, 1), (12, 30), (12, 31)]);
            d(y, m, dd)
        } else {
            d(y, self.range(1, 12) as u32, self.range(1, 28) as u32)
        }
    }

    /// A day the report's conditions turn on, on or after `from` if
    /// there is one before 2027: most often a day posts are counted on
    /// (see [`days_counted`]), else a year's first day or a day after one
    /// counted on.
    fn edge_after(&mut self, from: NaiveDate) -> Option<NaiveDate> {
        let counted: Vec<NaiveDate> = YEARS
            .iter()
            .flat_map(|y| days_counted(*y))
            .filter(|e| *e >= from)
            .collect();
        if !counted.is_empty() && self.chance(70) {
            return Some(self.pick(&counted));
        }
        let edges: Vec<NaiveDate> = (2023..=2026)
            .flat_map(|y| [d(y, 1, 1), d(y, 7, 1), d(y + 1, 1, 1)])
            .filter(|e| *e >= from)
            .collect();
        (!edges.is_empty()).then(|| self.pick(&edges))
    }

    /// A month `YYYY-MM` of one of `years`, often January, June, July or
    /// December.
    fn month(&mut self, years: (i32, i32)) -> String {
        let y = self.range(i64::from(years.0), i64::from(years.1));
        let m = if self.chance(50) {
            self.pick(&[1, 6, 7, 12])
        } else {
            self.range(1, 12)
        };
        format!("{y:04}-{m:02}")
    }
}

fn add_months(month: &str, k: i64) -> String {
    let y: i64 = month[..4].parse().unwrap();
    let m: i64 = month[5..7].parse().unwrap();
    let n = y * 12 + (m - 1) + k;
    format!("{:04}-{:02}", n.div_euclid(12), n.rem_euclid(12) + 1)
}

fn short(id: Uuid) -> String {
    id.to_string()[30..].to_owned()
}

/// Why the store refused an edit: the problem's key (the English text
/// would read the locale files for every refusal).
fn refused(e: StoreError) -> String {
    match e {
        StoreError::Invalid { table, problem, .. } => format!("{table}: {}", problem.key),
        other => format!("{other:?}"),
    }
}

/// What an edit did (`Ok`, said for the failure message) or why it did
/// nothing (`Err`: the store refused it, or there was nothing to edit).
type Done = Result<String, String>;
type Edit = fn(&mut Driver) -> Done;

/// The edits, by name, with how often each is drawn.
const EDITS: &[(&str, usize, Edit)] = &[
    ("add household", 4, Driver::add_household),
    ("household poor flag", 2, Driver::household_poor),
    (
        "move household to another village",
        2,
        Driver::move_household,
    ),
    ("delete household", 2, Driver::delete_household),
    ("add person", 3, Driver::add_person),
    ("person labourer flag", 3, Driver::person_labourer),
    ("person birth date", 3, Driver::person_birth),
    ("move person to another household", 2, Driver::move_person),
    ("delete person", 1, Driver::delete_person),
    ("add visit", 4, Driver::add_visit),
    ("visit round, date or status", 3, Driver::edit_visit),
    ("delete visit", 1, Driver::delete_visit),
    ("add employment record", 6, Driver::add_record),
    (
        "employment record months, income, place",
        5,
        Driver::edit_record,
    ),
    ("delete employment record", 1, Driver::delete_record),
    ("add session", 3, Driver::add_session),
    (
        "session start, status, place, course",
        3,
        Driver::edit_session,
    ),
    ("delete session", 1, Driver::delete_session),
    ("enrol", 8, Driver::enrol),
    (
        "enrolment outcome, employed after",
        4,
        Driver::edit_enrolment,
    ),
    ("delete enrolment", 1, Driver::delete_enrolment),
    ("add post", 3, Driver::add_post),
    (
        "post close, reopen, village, funding, type",
        4,
        Driver::edit_post,
    ),
    ("delete post", 1, Driver::delete_post),
    ("assign", 5, Driver::assign),
    ("end or resume assignment", 4, Driver::end_assignment),
    ("assignment start", 2, Driver::assignment_start),
    ("delete assignment", 1, Driver::delete_assignment),
    ("add subsidy payment", 5, Driver::add_payment),
    ("pay or change payment", 3, Driver::edit_payment),
    ("delete payment", 1, Driver::delete_payment),
    ("payroll of a month", 2, Driver::payroll),
    ("move village to another township", 1, Driver::move_village),
    ("village exit year", 2, Driver::village_exit),
    ("delete village", 1, Driver::delete_village),
    ("village standard", 1, Driver::village_standard),
    ("post type department", 1, Driver::post_type_department),
];

/// Live posts nobody holds now.
const VACANT_POSTS: &str = "SELECT id FROM post p WHERE deleted_at IS NULL AND NOT EXISTS (
        SELECT 1 FROM post_assignment a WHERE a.post_id = p.id
        AND a.deleted_at IS NULL AND a.end_date IS NULL)
    ORDER BY rowid";

/// A database, the reference's connection to it, and the edits made.
struct Driver {
    store: Store,
    conn: Connection,
    rng: Rng,
    /// The townships villages are made in and moved between.
    townships: Vec<Township>,
    courses: Vec<Course>,
    post_types: Vec<PostType>,
    funds: Vec<FundingSource>,
    /// Makes codes and numbers never used before.
    serial: u32,
    /// Per edit: done, refused.
    stats: BTreeMap<&'static str, [u32; 2]>,
    /// The edits still to come round (indices into [`EDITS`]).
    bag: Vec<usize>,
    /// The figures counted above zero at some check.
    seen: BTreeSet<String>,
    /// The edits done since the last check, for a failure's message.
    recent: Vec<String>,
    /// What the database is (a seed, an import), for a failure's message.
    name: String,
    step: usize,
}

impl Driver {
    fn new(store: Store, seed: u64, townships: Vec<Township>, name: String) -> Driver {
        let conn = reader(store.path());
        Driver {
            courses: store.courses().unwrap(),
            post_types: store.post_types().unwrap(),
            funds: store.funding_sources().unwrap(),
            store,
            conn,
            rng: Rng(seed),
            townships,
            serial: 0,
            stats: BTreeMap::new(),
            bag: Vec::new(),
            seen: BTreeSet::new(),
            recent: Vec::new(),
            name,
            step: 0,
        }
    }

    fn serial(&mut self) -> u32 {
        self.serial += 1;
        self.serial
    }

    /// The live rows of `table`, in the order they were made.
    fn ids(&self, table: &str) -> Vec<Uuid> {
        rows(
            &self.conn,
            &format!("SELECT id FROM {table} WHERE deleted_at IS NULL ORDER BY rowid"),
            [],
            |r| r.get::<_, String>(0),
        )
        .into_iter()
        .map(|s| Uuid::parse_str(&s).unwrap())
        .collect()
    }

    /// One of the ids `sql` selects, or else any live row of `table`:
    /// drawn so that edits often meet the rows that make a difference.
    fn often(&mut self, percent: usize, sql: &str, table: &str) -> Result<Uuid, String> {
        if self.rng.chance(percent) {
            let ids: Vec<String> = rows(&self.conn, sql, [], |r| r.get(0));
            if !ids.is_empty() {
                return Ok(Uuid::parse_str(&self.rng.pick(&ids)).unwrap());
            }
        }
        self.any(table)
    }

    fn any(&mut self, table: &str) -> Result<Uuid, String> {
        let ids = self.ids(table);
        if ids.is_empty() {
            return Err(format!("no {table}"));
        }
        Ok(self.rng.pick(&ids))
    }

    fn get<E: Record>(&self, id: Uuid) -> Result<E, String> {
        self.store
            .get::<E>(id)
            .map_err(refused)?
            .ok_or_else(|| "deleted meanwhile".to_owned())
    }

    /// A live row of `E`'s table, drawn at random.
    fn live<E: Record>(&mut self) -> Result<E, String> {
        let id = self.any(E::TABLE.name)?;
        self.get::<E>(id)
    }

    fn check(&mut self) {
        let (name, step, recent) = (&self.name, self.step, &self.recent);
        let seen = check(&self.store, &self.conn, &|| {
            format!(
                "{name}, after edit {step}; the edits since the last check:\n    {}",
                recent.join("\n    ")
            )
        });
        self.seen.extend(seen);
        self.recent.clear();
    }

    /// The next edit, drawn from a shuffled bag holding each edit as many
    /// times as its weight: every kind comes round, in a random order.
    /// The store may refuse it.
    fn edit(&mut self) {
        if self.bag.is_empty() {
            self.bag = EDITS
                .iter()
                .enumerate()
                .flat_map(|(i, e)| std::iter::repeat_n(i, e.1))
                .collect();
            for i in (1..self.bag.len()).rev() {
                let j = self.rng.below(i + 1);
                self.bag.swap(i, j);
            }
        }
        let (name, _, f) = EDITS[self.bag.pop().unwrap()];
        self.run(name, f);
    }

    fn run(&mut self, name: &'static str, f: Edit) {
        self.step += 1;
        let done = f(self);
        let stat = self.stats.entry(name).or_default();
        match done {
            Ok(what) => {
                stat[0] += 1;
                self.recent.push(format!("{}: {what}", self.step));
            }
            Err(why) => {
                stat[1] += 1;
                self.recent
                    .push(format!("{}: ({name} refused: {why})", self.step));
            }
        }
    }

    /// `n` random edits, the report checked every `every`.
    fn edits(&mut self, n: usize, every: usize) {
        for i in 1..=n {
            self.edit();
            if i % every == 0 {
                self.check();
            }
        }
        self.check();
    }

    // Villages and households.

    fn add_village(&mut self, t: usize, exit_year: Option<i64>) -> Done {
        let t = self.townships[t].clone();
        let mut v = Village {
            code: self.village_code(&t),
            township_id: t.meta.id,
            name_zh: format!("村{}", self.serial()),
            exit_year,
            ..Village::default()
        };
        self.store.save(&mut v).map_err(refused)?;
        Ok(format!("add village {} in {}", v.code, t.code))
    }

    /// A village code of township `t` never used (codes are not reused,
    /// deleted villages' included).
    fn village_code(&self, t: &Township) -> String {
        let taken: BTreeSet<String> = rows(
            &self.conn,
            "SELECT code FROM village WHERE substr(code, 1, 9) = ?1",
            [&t.code],
            |r| r.get(0),
        )
        .into_iter()
        .collect();
        (100..1000)
            .map(|n| format!("{}{n:03}", t.code))
            .find(|c| !taken.contains(c))
            .expect("a free village code")
    }

    fn person(&mut self, household: Uuid, relation: &str) -> Person {
        let birth = match self.rng.below(10) {
            0..=2 => Some(d(
                self.rng.range(2005, 2009) as i32,
                self.rng.range(1, 12) as u32,
                self.rng.range(1, 28) as u32,
            )),
            3 => None,
            _ => Some(d(
                self.rng.range(1963, 2000) as i32,
                self.rng.range(1, 12) as u32,
                self.rng.range(1, 28) as u32,
            )),
        };
        Person {
            household_id: household,
            name_zh: format!("人{}", self.serial()),
            sex: self.rng.pick(&["m", "f"]).to_owned(),
            birth_date: birth,
            relation: relation.to_owned(),
            is_labourer: self.rng.chance(75),
            ..Person::default()
        }
    }

    fn add_household(&mut self) -> Done {
        let v = self.any("village")?;
        let village = self.get::<Village>(v)?;
        let mut h = Household {
            number: format!("{}{:06}", village.code, self.serial()),
            village_id: v,
            registered_poor: self.rng.chance(60),
            ..Household::default()
        };
        let n = 1 + self.rng.below(3);
        let mut people: Vec<Person> = (0..n)
            .map(|i| self.person(h.meta.id, if i == 0 { "head" } else { "child" }))
            .collect();
        self.store
            .save_household(&mut h, &mut people)
            .map_err(refused)?;
        Ok(format!("add household {} of {n}", h.number))
    }

    fn household_poor(&mut self) -> Done {
        let mut h = self.live::<Household>()?;
        h.registered_poor = !h.registered_poor;
        self.store.save(&mut h).map_err(refused)?;
        Ok(format!("household {} poor {}", h.number, h.registered_poor))
    }

    fn move_household(&mut self) -> Done {
        let mut h = self.live::<Household>()?;
        let v = self.live::<Village>()?;
        if v.meta.id == h.village_id {
            return Err("the same village".into());
        }
        let before = h.number.clone();
        h.village_id = v.meta.id;
        h.number = format!("{}{:06}", v.code, self.serial());
        self.store.save(&mut h).map_err(refused)?;
        Ok(format!(
            "household {before} to village {} ({})",
            v.code, h.number
        ))
    }

    fn delete_household(&mut self) -> Done {
        // Often one whose members are trainees: they are counted still.
        let h = self.often(
            50,
            "SELECT h.id FROM household h WHERE h.deleted_at IS NULL AND EXISTS (
                SELECT 1 FROM person p JOIN enrolment e ON e.person_id = p.id
                WHERE p.household_id = h.id AND p.deleted_at IS NULL AND e.deleted_at IS NULL)
             ORDER BY h.rowid",
            "household",
        )?;
        self.store.delete::<Household>(h).map_err(refused)?;
        Ok(format!("delete household {}", short(h)))
    }

    fn add_person(&mut self) -> Done {
        let h = self.any("household")?;
        let mut p = self.person(h, "child");
        p.position = 9;
        self.store.save(&mut p).map_err(refused)?;
        Ok(format!(
            "add person {} to {}, born {:?}, labourer {}",
            short(p.meta.id),
            short(h),
            p.birth_date,
            p.is_labourer
        ))
    }

    fn person_labourer(&mut self) -> Done {
        let mut p = self.live::<Person>()?;
        p.is_labourer = !p.is_labourer;
        self.store.save(&mut p).map_err(refused)?;
        Ok(format!(
            "person {} labourer {}",
            short(p.meta.id),
            p.is_labourer
        ))
    }

    /// A new birth date: any, none, or 19 years (and a day either side)
    /// before a session's first day, where a minor stops being one.
    fn person_birth(&mut self) -> Done {
        let mut p = self.live::<Person>()?;
        p.birth_date = match self.rng.below(4) {
            0 => None,
            1 => Some(self.rng.day((1960, 2011))),
            _ => {
                let s = self.live::<TrainingSession>()?;
                let edge = s.start_date - Months::new(19 * 12);
                Some(match self.rng.below(3) {
                    0 => edge - Days::new(1),
                    1 => edge,
                    _ => edge + Days::new(1),
                })
            }
        };
        self.store.save(&mut p).map_err(refused)?;
        Ok(format!(
            "person {} born {:?}",
            short(p.meta.id),
            p.birth_date
        ))
    }

    fn move_person(&mut self) -> Done {
        let mut p = self.live::<Person>()?;
        let h = self.any("household")?;
        if h == p.household_id {
            return Err("the same household".into());
        }
        p.household_id = h;
        p.relation = "other".into();
        self.store.save(&mut p).map_err(refused)?;
        Ok(format!(
            "person {} to household {}",
            short(p.meta.id),
            short(h)
        ))
    }

    fn delete_person(&mut self) -> Done {
        let p = self.any("person")?;
        self.store.delete::<Person>(p).map_err(refused)?;
        Ok(format!("delete person {}", short(p)))
    }

    // Visits.

    fn add_visit(&mut self) -> Done {
        let h = self.any("household")?;
        let year = self.rng.range(2024, 2026) as i32;
        let mut v = Visit {
            household_id: h,
            visit_date: self.rng.day((year, year)),
            round: format!("{year}-start"),
            visit_type: "annual".into(),
            status: "draft".into(),
            ..Visit::default()
        };
        self.store.save_visit(&mut v, &mut []).map_err(refused)?;
        Ok(format!(
            "visit {} of {} round {}",
            short(v.meta.id),
            short(h),
            v.round
        ))
    }

    fn edit_visit(&mut self) -> Done {
        let mut v = self.live::<Visit>()?;
        match self.rng.below(3) {
            0 => v.round = format!("{}-start", self.rng.range(2023, 2026)),
            1 => v.visit_date = self.rng.day((2023, 2026)),
            _ => v.status = "submitted".into(),
        }
        self.store.save_visit(&mut v, &mut []).map_err(refused)?;
        Ok(format!(
            "visit {} round {} on {} {}",
            short(v.meta.id),
            v.round,
            v.visit_date,
            v.status
        ))
    }

    fn delete_visit(&mut self) -> Done {
        let v = self.any("visit")?;
        self.store.delete::<Visit>(v).map_err(refused)?;
        Ok(format!("delete visit {}", short(v)))
    }

    // Work.

    fn place(&mut self, r: &mut EmploymentRecord) {
        let mut channels: Vec<&str> = CHANNELS.to_vec();
        channels.push("");
        r.channel = self.rng.pick(&channels).to_owned();
        r.place_tier = if r.channel == "welfare_post" && self.rng.chance(80) {
            "in_county".to_owned()
        } else {
            self.rng.pick(&PLACES).to_owned()
        };
        r.kind = kind_of(&r.place_tier, &r.channel).to_owned();
        r.work_county = if r.place_tier == "in_county" {
            "色达县"
        } else {
            "温江区"
        }
        .to_owned();
        r.employer = format!("雇主{}", self.rng.below(5));
    }

    fn months(&mut self, r: &mut EmploymentRecord) {
        let start = self.rng.month((2023, 2026));
        r.end_month = if self.rng.chance(40) {
            None
        } else {
            Some(add_months(&start, self.rng.range(0, 15)))
        };
        r.start_month = Some(start);
    }

    fn income(&mut self, r: &mut EmploymentRecord) {
        r.monthly_income_fen = self.rng.chance(65).then(|| self.rng.range(20_000, 600_000));
        r.income_fen = self
            .rng
            .chance(40)
            .then(|| self.rng.range(100_000, 3_000_000));
    }

    /// A live person, most often a labourer (only they may be recorded
    /// working).
    fn worker(&mut self) -> Result<Uuid, String> {
        if self.rng.chance(20) {
            return self.any("person");
        }
        let ids: Vec<String> = rows(
            &self.conn,
            "SELECT id FROM person WHERE deleted_at IS NULL AND is_labourer = 1 ORDER BY rowid",
            [],
            |r| r.get(0),
        );
        if ids.is_empty() {
            return Err("no labourer".into());
        }
        Ok(Uuid::parse_str(&self.rng.pick(&ids)).unwrap())
    }

    fn add_record(&mut self) -> Done {
        let p = self.worker()?;
        let mut r = EmploymentRecord {
            person_id: p,
            ..EmploymentRecord::default()
        };
        self.income(&mut r);
        if self.rng.chance(15) {
            // A labourer's plans, or a student or someone unable to
            // work, with months and income as may be: never counted.
            r.kind = self
                .rng
                .pick(&["not_employed", "student", "unable"])
                .to_owned();
            if self.rng.chance(50) {
                self.months(&mut r);
            }
        } else {
            self.place(&mut r);
            self.months(&mut r);
        }
        self.store.save(&mut r).map_err(refused)?;
        Ok(format!(
            "record {} of {}: {} {}/{} {:?}..{:?} monthly {:?} income {:?}",
            short(r.meta.id),
            short(p),
            r.kind,
            r.place_tier,
            r.channel,
            r.start_month,
            r.end_month,
            r.monthly_income_fen,
            r.income_fen
        ))
    }

    fn edit_record(&mut self) -> Done {
        let mut r = self.live::<EmploymentRecord>()?;
        let what = match self.rng.below(6) {
            0 => {
                let start = r.start_month.clone().unwrap_or_else(|| "2025-01".into());
                r.end_month = Some(add_months(&start, self.rng.range(0, 14)));
                "closed"
            }
            1 => {
                r.end_month = None;
                "open-ended"
            }
            2 => {
                self.income(&mut r);
                "income"
            }
            3 => {
                self.place(&mut r);
                "place and channel"
            }
            4 => {
                let start = self.rng.month((2023, 2026));
                r.start_month = Some(start);
                "first month"
            }
            _ => {
                if fieldbook::domain::employment::is_work(&r.kind) {
                    r.kind = "not_employed".into();
                } else {
                    self.place(&mut r);
                    if r.start_month.is_none() {
                        self.months(&mut r);
                    }
                }
                "kind"
            }
        };
        self.store.save(&mut r).map_err(refused)?;
        Ok(format!(
            "record {} {what}: {} {}/{} {:?}..{:?} monthly {:?} income {:?}",
            short(r.meta.id),
            r.kind,
            r.place_tier,
            r.channel,
            r.start_month,
            r.end_month,
            r.monthly_income_fen,
            r.income_fen
        ))
    }

    fn delete_record(&mut self) -> Done {
        let r = self.any("employment_record")?;
        self.store.delete::<EmploymentRecord>(r).map_err(refused)?;
        Ok(format!("delete record {}", short(r)))
    }

    // Training.

    /// Where a session is held: a township, a village (whose township
    /// counts), both (the township counts), or neither.
    fn session_place(&mut self) -> Result<(Option<Uuid>, Option<Uuid>), String> {
        let t = self.rng.pick(&self.townships).meta.id;
        Ok(match self.rng.below(4) {
            0 => (Some(t), None),
            1 => (None, Some(self.any("village")?)),
            2 => (Some(t), Some(self.any("village")?)),
            _ => (None, None),
        })
    }

    fn add_session(&mut self) -> Done {
        let course = self.rng.pick(&self.courses);
        let start = self.rng.day((2023, 2026));
        let (township_id, village_id) = self.session_place()?;
        let mut s = TrainingSession {
            course_id: course.meta.id,
            period: 1,
            mode: self.rng.pick(codes::TRAINING_MODE.codes).to_owned(),
            start_date: start,
            end_date: start + Days::new(self.rng.range(3, 40) as u64),
            capacity: 8,
            target_group: if self.rng.chance(40) {
                "dropouts_16_18"
            } else {
                "poor_labourers"
            }
            .to_owned(),
            code: format!("{}-{}-{:02}", course.code, start.year(), self.serial()),
            township_id,
            village_id,
            days_held: 12,
            status: self.rng.pick(codes::SESSION_STATUS.codes).to_owned(),
            ..TrainingSession::default()
        };
        self.store.save(&mut s).map_err(refused)?;
        Ok(format!(
            "session {} starting {} {} in {:?}/{:?}",
            s.code,
            s.start_date,
            s.status,
            s.township_id.map(short),
            s.village_id.map(short)
        ))
    }

    fn edit_session(&mut self) -> Done {
        let mut s = self.live::<TrainingSession>()?;
        let what = match self.rng.below(4) {
            0 => {
                s.start_date = self.rng.day((2023, 2026));
                s.end_date = s.start_date + Days::new(14);
                "start"
            }
            1 => {
                s.status = self.rng.pick(codes::SESSION_STATUS.codes).to_owned();
                "status"
            }
            2 => {
                (s.township_id, s.village_id) = self.session_place()?;
                "place"
            }
            _ => {
                s.course_id = self.rng.pick(&self.courses).meta.id;
                "course"
            }
        };
        self.store.save(&mut s).map_err(refused)?;
        Ok(format!(
            "session {} {what}: starting {} {} in {:?}/{:?}",
            s.code,
            s.start_date,
            s.status,
            s.township_id.map(short),
            s.village_id.map(short)
        ))
    }

    fn delete_session(&mut self) -> Done {
        let s = self.any("training_session")?;
        self.store.delete::<TrainingSession>(s).map_err(refused)?;
        Ok(format!("delete session {}", short(s)))
    }

    fn enrol(&mut self) -> Done {
        let (s, p) = if self.rng.chance(30) {
            // A school leaver of 16 to 18 in a session for them: a minor.
            let pairs: Vec<(String, String)> = rows(
                &self.conn,
                "SELECT s.id, p.id FROM training_session s
                 JOIN person p ON p.deleted_at IS NULL
                  AND p.birth_date > date(s.start_date, '-19 years')
                  AND p.birth_date <= date(s.start_date, '-16 years')
                 WHERE s.deleted_at IS NULL AND s.target_group = 'dropouts_16_18'
                   AND NOT EXISTS (SELECT 1 FROM enrolment e WHERE e.session_id = s.id
                                   AND e.person_id = p.id AND e.deleted_at IS NULL)
                 ORDER BY s.rowid, p.rowid",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            );
            if pairs.is_empty() {
                return Err("no school leaver of an age for a session".into());
            }
            let (s, p) = self.rng.pick(&pairs);
            (Uuid::parse_str(&s).unwrap(), Uuid::parse_str(&p).unwrap())
        } else {
            (self.any("training_session")?, self.any("person")?)
        };
        let (e, _) = self.store.enrol(s, p, false).map_err(refused)?;
        Ok(format!(
            "enrol {} of {} in {}",
            short(e.meta.id),
            short(p),
            short(s)
        ))
    }

    fn edit_enrolment(&mut self) -> Done {
        let mut e = self.live::<Enrolment>()?;
        match self.rng.below(4) {
            0 => {
                e.outcome = "completed".into();
                e.attendance_days = 10;
                e.drop_reason.clear();
            }
            1 => {
                e.outcome = "dropped".into();
                e.drop_reason = "went to work".into();
            }
            2 => {
                e.outcome = "enrolled".into();
                e.drop_reason.clear();
            }
            _ => e.employed_after = !e.employed_after,
        }
        self.store.save(&mut e).map_err(refused)?;
        Ok(format!(
            "enrolment {} {} employed after {}",
            short(e.meta.id),
            e.outcome,
            e.employed_after
        ))
    }

    fn delete_enrolment(&mut self) -> Done {
        let e = self.any("enrolment")?;
        self.store.delete::<Enrolment>(e).map_err(refused)?;
        Ok(format!("delete enrolment {}", short(e)))
    }

    // Posts.

    fn funding(&mut self) -> Option<Uuid> {
        self.rng
            .chance(75)
            .then(|| self.rng.pick(&self.funds).meta.id)
    }

    fn add_post(&mut self) -> Done {
        let v = self.any("village")?;
        let mut p = Post {
            post_type_id: self.rng.pick(&self.post_types).meta.id,
            village_id: v,
            funding_source_id: self.funding(),
            monthly_subsidy_fen: 50_000,
            required_days: 22,
            opened_on: self.rng.day((2023, 2026)),
            ..Post::default()
        };
        self.store.save_post(&mut p).map_err(refused)?;
        Ok(format!(
            "post {} in {} opened {}",
            short(p.meta.id),
            short(v),
            p.opened_on
        ))
    }

    fn edit_post(&mut self) -> Done {
        let variant = self.rng.below(7);
        // A post is closed once nobody holds it: most often a vacant one.
        let id = if variant <= 2 {
            self.often(70, VACANT_POSTS, "post")?
        } else {
            self.any("post")?
        };
        let mut p = self.get::<Post>(id)?;
        let what = match variant {
            0 => {
                p.closed_on = Some(self.rng.day((2023, 2026)));
                "closed"
            }
            1 | 2 => {
                p.closed_on = self.rng.edge_after(p.opened_on);
                "closed on an edge"
            }
            3 => {
                p.closed_on = None;
                "reopened"
            }
            4 => {
                p.village_id = self.any("village")?;
                "village"
            }
            5 => {
                p.funding_source_id = self.funding();
                p.opened_on = self.rng.day((2023, 2026));
                "funding and opening"
            }
            _ => {
                p.post_type_id = self.rng.pick(&self.post_types).meta.id;
                "type"
            }
        };
        self.store.save_post(&mut p).map_err(refused)?;
        Ok(format!(
            "post {} {what}: in {} opened {} closed {:?}",
            short(p.meta.id),
            short(p.village_id),
            p.opened_on,
            p.closed_on
        ))
    }

    fn delete_post(&mut self) -> Done {
        // Often one with subsidies paid: they are counted still.
        let p = self.often(
            50,
            "SELECT p.id FROM post p WHERE p.deleted_at IS NULL AND EXISTS (
                SELECT 1 FROM post_assignment a JOIN subsidy_payment sp ON sp.assignment_id = a.id
                WHERE a.post_id = p.id AND sp.paid_on IS NOT NULL)
             ORDER BY p.rowid",
            "post",
        )?;
        self.store.delete::<Post>(p).map_err(refused)?;
        Ok(format!("delete post {}", short(p)))
    }

    fn assign(&mut self) -> Done {
        let post = self.often(75, VACANT_POSTS, "post")?;
        let person = self.worker()?;
        let start = self.rng.day((2023, 2026));
        let mut a = PostAssignment {
            post_id: post,
            person_id: person,
            start_date: start,
            agreement_end: default_agreement_end(start),
            ..PostAssignment::default()
        };
        self.store.assign(&mut a, true).map_err(refused)?;
        Ok(format!(
            "assign {}: {} to post {} from {start}",
            short(a.meta.id),
            short(person),
            short(post)
        ))
    }

    fn end_assignment(&mut self) -> Done {
        // Most often one that runs.
        let id = self.often(
            60,
            "SELECT id FROM post_assignment WHERE deleted_at IS NULL AND end_date IS NULL
             ORDER BY rowid",
            "post_assignment",
        )?;
        let mut a = self.get::<PostAssignment>(id)?;
        if a.end_date.is_some() && self.rng.chance(30) {
            a.end_date = None;
            a.end_reason.clear();
            self.store.save(&mut a).map_err(refused)?;
            return Ok(format!("assignment {} resumed", short(a.meta.id)));
        }
        let end = match self.rng.below(4) {
            0 => a.start_date + Days::new(self.rng.range(0, 500) as u64),
            1 => self.rng.day((2023, 2026)),
            _ => self.rng.edge_after(a.start_date).unwrap_or(a.start_date),
        };
        self.store
            .end_assignment(a.meta.id, end, "resigned")
            .map_err(refused)?;
        Ok(format!("assignment {} ended {end}", short(a.meta.id)))
    }

    fn assignment_start(&mut self) -> Done {
        let mut a = self.live::<PostAssignment>()?;
        a.start_date = if self.rng.chance(50) {
            self.rng.edge_after(d(2023, 1, 1)).unwrap()
        } else {
            self.rng.day((2023, 2026))
        };
        a.agreement_end = default_agreement_end(a.start_date);
        self.store.save(&mut a).map_err(refused)?;
        Ok(format!(
            "assignment {} starts {}",
            short(a.meta.id),
            a.start_date
        ))
    }

    fn delete_assignment(&mut self) -> Done {
        // Often one with subsidies paid: they are counted still.
        let a = self.often(
            50,
            "SELECT a.id FROM post_assignment a WHERE a.deleted_at IS NULL AND EXISTS (
                SELECT 1 FROM subsidy_payment sp WHERE sp.assignment_id = a.id
                AND sp.paid_on IS NOT NULL)
             ORDER BY a.rowid",
            "post_assignment",
        )?;
        self.store.delete::<PostAssignment>(a).map_err(refused)?;
        Ok(format!("delete assignment {}", short(a)))
    }

    /// The months of an assignment's agreement.
    fn agreement_months(a: &PostAssignment) -> Vec<Month> {
        let (from, to) = agreement_period(a.start_date, a.agreement_end, a.end_date);
        let mut out = Vec::new();
        let mut m = Month::of(from);
        while m.first <= to {
            out.push(m);
            m = m.next();
        }
        out
    }

    fn add_payment(&mut self) -> Done {
        let a = self.live::<PostAssignment>()?;
        let months = Self::agreement_months(&a);
        if months.is_empty() {
            return Err("no month under agreement".into());
        }
        let month = self.rng.pick(&months);
        let paid = self.rng.chance(65);
        let mut p = SubsidyPayment {
            assignment_id: a.meta.id,
            month: month.to_string(),
            amount_fen: self.rng.range(10_000, 50_000),
            paid_on: paid.then(|| month.first + Days::new(self.rng.range(20, 60) as u64)),
            paid_via: if paid { "bank" } else { "" }.to_owned(),
            ..SubsidyPayment::default()
        };
        self.store.save(&mut p).map_err(refused)?;
        Ok(format!(
            "payment {} of {} for {month}: {} paid {:?}",
            short(p.meta.id),
            short(a.meta.id),
            p.amount_fen,
            p.paid_on
        ))
    }

    fn edit_payment(&mut self) -> Done {
        // Most often one not paid yet (a payment made is final).
        let id = self.often(
            70,
            "SELECT id FROM subsidy_payment WHERE deleted_at IS NULL AND paid_on IS NULL
             ORDER BY rowid",
            "subsidy_payment",
        )?;
        let mut p = self.get::<SubsidyPayment>(id)?;
        let month = Month::parse(&p.month).unwrap();
        if p.paid_on.is_none() && self.rng.chance(60) {
            p.paid_on = Some(month.first + Days::new(31));
            p.paid_via = "social_security_card".into();
        } else {
            // Refused once paid: a payment made is final.
            p.amount_fen = self.rng.range(10_000, 50_000);
        }
        self.store.save(&mut p).map_err(refused)?;
        Ok(format!(
            "payment {} for {}: {} paid {:?}",
            short(p.meta.id),
            p.month,
            p.amount_fen,
            p.paid_on
        ))
    }

    fn delete_payment(&mut self) -> Done {
        let p = self.any("subsidy_payment")?;
        self.store.delete::<SubsidyPayment>(p).map_err(refused)?;
        Ok(format!("delete payment {}", short(p)))
    }

    /// A township's month as the payroll screens do it: attendance of
    /// every holder of its posts under agreement, the payroll prepared,
    /// often paid.
    fn payroll(&mut self) -> Done {
        // A month some holder works in, in their post's township.
        let a = self.live::<PostAssignment>()?;
        let months = Self::agreement_months(&a);
        if months.is_empty() {
            return Err("no month under agreement".into());
        }
        let month = self.rng.pick(&months);
        let post = self.store.get_any::<Post>(a.post_id).map_err(refused)?;
        let village = match post {
            Some(p) => self
                .store
                .get_any::<Village>(p.village_id)
                .map_err(refused)?,
            None => None,
        };
        let t = village.ok_or_else(|| "no village".to_owned())?.township_id;
        let mut lines = Vec::new();
        for id in self.ids("post_assignment") {
            let a = self.get::<PostAssignment>(id)?;
            let Some(post) = self.store.get::<Post>(a.post_id).map_err(refused)? else {
                continue;
            };
            let village = self
                .store
                .get_any::<Village>(post.village_id)
                .map_err(refused)?;
            let (from, to) = agreement_period(a.start_date, a.agreement_end, a.end_date);
            if village.is_some_and(|v| v.township_id == t) && days_inside(month, from, to) > 0 {
                lines.push((id, Some(self.rng.range(10, 22))));
            }
        }
        if lines.is_empty() {
            return Err("nobody under agreement".into());
        }
        self.store.save_attendance(month, &lines).map_err(refused)?;
        let prepared = self.store.prepare_payroll(t, month).map_err(refused)?;
        let paid = if self.rng.chance(60) {
            self.store
                .mark_paid(t, month, None, month.first + Days::new(35), "bank", "批次")
                .map_err(refused)?
        } else {
            0
        };
        Ok(format!(
            "payroll of {} for {month}: {} lines, {prepared:?}, {paid} paid",
            short(t),
            lines.len()
        ))
    }

    fn move_village(&mut self) -> Done {
        let mut v = self.live::<Village>()?;
        let t = self.rng.pick(&self.townships);
        if t.meta.id == v.township_id {
            return Err("the same township".into());
        }
        // A deleted household keeps its number, which would no longer
        // start with its village's code: the store lets that be, but a
        // snapshot holding it is refused on import. Such villages stay.
        let deleted: i64 = self
            .conn
            .query_row(
                "SELECT count(*) FROM household WHERE village_id = ?1 AND deleted_at IS NOT NULL",
                [v.meta.id.to_string()],
                |r| r.get(0),
            )
            .unwrap();
        if deleted > 0 {
            return Err("the village has deleted households".into());
        }
        let households: Vec<Household> = rows(
            &self.conn,
            "SELECT id FROM household WHERE village_id = ?1 AND deleted_at IS NULL ORDER BY rowid",
            [v.meta.id.to_string()],
            |r| r.get::<_, String>(0),
        )
        .into_iter()
        .map(|id| self.get::<Household>(Uuid::parse_str(&id).unwrap()))
        .collect::<Result<_, _>>()?;
        let before = v.code.clone();
        v.code = self.village_code(&t);
        v.township_id = t.meta.id;
        let numbers: Vec<String> = households
            .iter()
            .map(|_| format!("{}{:06}", v.code, self.serial()))
            .collect();
        let n = households.len();
        // One transaction, as a clerk's correction of the gazetteer
        // would be: the village and its households' numbers.
        self.store
            .write(|w| {
                w.save(&mut v)?;
                for (mut h, number) in households.into_iter().zip(numbers) {
                    h.number = number;
                    w.save(&mut h)?;
                }
                Ok(())
            })
            .map_err(refused)?;
        Ok(format!(
            "village {before} to township {} as {} with {n} households",
            t.code, v.code
        ))
    }

    fn village_exit(&mut self) -> Done {
        let mut v = self.live::<Village>()?;
        v.exit_year = match v.exit_year {
            Some(_) if self.rng.chance(50) => None,
            _ => Some(self.rng.range(2016, 2022)),
        };
        self.store.save(&mut v).map_err(refused)?;
        Ok(format!("village {} exited {:?}", v.code, v.exit_year))
    }

    fn delete_village(&mut self) -> Done {
        if self.ids("village").len() < 4 {
            return Err("few villages left".into());
        }
        let v = self.any("village")?;
        self.store.delete::<Village>(v).map_err(refused)?;
        Ok(format!("delete village {}", short(v)))
    }

    fn village_standard(&mut self) -> Done {
        let n = self.rng.range(1, 6);
        self.store
            .set_post_setting(VILLAGE_STANDARD, n)
            .map_err(refused)?;
        Ok(format!("village standard {n}"))
    }

    fn post_type_department(&mut self) -> Done {
        let i = self.rng.below(self.post_types.len());
        let mut t = self.get::<PostType>(self.post_types[i].meta.id)?;
        t.department = self.rng.pick(codes::DEPARTMENT.codes).to_owned();
        self.store.save(&mut t).map_err(refused)?;
        self.post_types[i] = t.clone();
        Ok(format!("post type {} department {}", t.code, t.department))
    }

    /// A small county to start from: villages in each township, households,
    /// sessions and posts, then work, trainees, holders and payments.
    fn populate(&mut self) {
        for t in 0..self.townships.len() {
            for exit in [Some(2019), None] {
                self.add_village(t, exit).unwrap();
            }
        }
        let start: [(&'static str, usize, Edit); 10] = [
            ("add household", 14, Driver::add_household),
            ("add session", 6, Driver::add_session),
            ("add post", 8, Driver::add_post),
            ("add visit", 8, Driver::add_visit),
            ("add employment record", 14, Driver::add_record),
            ("enrol", 20, Driver::enrol),
            ("assign", 10, Driver::assign),
            ("add subsidy payment", 12, Driver::add_payment),
            ("payroll of a month", 2, Driver::payroll),
            (
                "enrolment outcome, employed after",
                6,
                Driver::edit_enrolment,
            ),
        ];
        for (name, n, f) in start {
            for _ in 0..n {
                self.run(name, f);
            }
        }
        self.check();
    }

    /// The figures counted above zero now, in some year compared.
    fn counted_now(&self) -> BTreeSet<String> {
        YEARS
            .iter()
            .flat_map(|y| {
                let data = self.store.report_data(*y, d(*y, 12, 31)).unwrap();
                data.by_township
                    .values()
                    .flat_map(figures_counted)
                    .collect::<Vec<_>>()
            })
            .collect()
    }
}

fn export_to(store: &Store, out: &Path) -> PathBuf {
    let opts = ExportOptions {
        out_dir: out.to_path_buf(),
        date: d(2026, 6, 1),
        xlsx: false,
    };
    snapshot::export(store, &Catalog::builtin(), &opts, &mut |_, _| {})
        .unwrap()
        .dir
}

fn import_into(store: &mut Store, dir: &Path) {
    let report = snapshot::import(store, &[dir.to_path_buf()], &mut |_, _| {}).unwrap();
    assert!(
        report.conflicts.is_empty(),
        "the import left rows for review: {:?}",
        report.conflicts
    );
}

/// Settings do not travel in snapshots: the village standard is set on
/// the copy as the original has it.
fn same_standard(from: &Store, to: &mut Store) {
    let n = from.post_setting(VILLAGE_STANDARD).unwrap();
    to.set_post_setting(VILLAGE_STANDARD, n).unwrap();
}

const SEEDS: [u64; 3] = [1, 2, 3];

/// The figures the final report of each fixed seed counts above zero in
/// some township and year: else comparing it would prove little.
const MUST: [&str; 8] = [
    "workers",
    "income_fen",
    "trainees",
    "posts",
    "holders",
    "paid_fen",
    "visited",
    "labourers",
];

/// The seeds to run: [`SEEDS`], or to search further those
/// `REPORT_REFERENCE_SEEDS` names (`7`, `1-50`, `4,9,20-25`), for which
/// only the reports are compared (whether each figure and edit came round
/// is asserted of the fixed seeds).
fn seeds() -> (Vec<u64>, bool) {
    let Ok(v) = std::env::var("REPORT_REFERENCE_SEEDS") else {
        return (SEEDS.to_vec(), true);
    };
    let seeds = v
        .split(',')
        .flat_map(|part| {
            let part = part.trim();
            let (a, b) = part.split_once('-').unwrap_or((part, part));
            let (a, b): (u64, u64) = (a.trim().parse().unwrap(), b.trim().parse().unwrap());
            a..=b
        })
        .collect();
    (seeds, false)
}
const EDITS_PER_SEED: usize = 150;
const CHECK_EVERY: usize = 5;

#[test]
fn the_report_counts_what_the_reference_counts_through_every_edit() {
    let mut stats: BTreeMap<&'static str, [u32; 2]> = BTreeMap::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let (seeds, fixed) = seeds();
    for seed in seeds {
        let dir = TempDir::new().unwrap();
        let store = open(&dir.path().join("fieldbook.db"));
        let townships = store.townships().unwrap()[..3].to_vec();
        let mut w = Driver::new(store, seed, townships.clone(), format!("seed {seed}"));
        w.populate();

        // Halfway, a snapshot into a fresh database, kept to receive the
        // final one (a merge of changes and deletions into older rows).
        w.edits(EDITS_PER_SEED / 2, CHECK_EVERY);
        let halfway = export_to(&w.store, &dir.path().join("halfway"));
        let mut older = open(&dir.path().join("older.db"));
        import_into(&mut older, &halfway);
        same_standard(&w.store, &mut older);
        check(&older, &reader(older.path()), &|| {
            format!("seed {seed}: the halfway snapshot imported into a new database")
        });
        assert_same_report(&w.store, &older, &format!("seed {seed}, halfway import"));

        w.edits(EDITS_PER_SEED - EDITS_PER_SEED / 2, CHECK_EVERY);
        let now = w.counted_now();
        for must in if fixed { &MUST[..] } else { &[] } {
            assert!(
                now.contains(*must),
                "seed {seed}: no township counts any {must} in {YEARS:?}: the check would be vacuous"
            );
        }

        // The final state into a fresh database, and merged into the
        // halfway copy.
        let last = export_to(&w.store, &dir.path().join("last"));
        let mut fresh = open(&dir.path().join("fresh.db"));
        import_into(&mut fresh, &last);
        same_standard(&w.store, &mut fresh);
        check(&fresh, &reader(fresh.path()), &|| {
            format!("seed {seed}: the last snapshot imported into a new database")
        });
        assert_same_report(&w.store, &fresh, &format!("seed {seed}, import"));
        import_into(&mut older, &last);
        same_standard(&w.store, &mut older);
        check(&older, &reader(older.path()), &|| {
            format!("seed {seed}: the last snapshot merged into the halfway copy")
        });
        assert_same_report(&w.store, &older, &format!("seed {seed}, merge"));

        // Edits go on in the imported database.
        let mut imported = Driver::new(
            fresh,
            seed + 100,
            townships,
            format!("seed {seed}, imported"),
        );
        // Numbers and codes after the original's, which the copy holds.
        imported.serial = w.serial + 1000;
        imported.edits(30, CHECK_EVERY);

        seen.extend(w.seen.iter().chain(&imported.seen).cloned());
        for s in [&w.stats, &imported.stats] {
            for (name, [ok, no]) in s {
                let e = stats.entry(name).or_default();
                e[0] += ok;
                e[1] += no;
            }
        }
    }
    if !fixed {
        return;
    }
    let table: Vec<String> = stats
        .iter()
        .map(|(name, [ok, no])| format!("{name:45} {ok:4} done {no:4} refused"))
        .collect();
    println!("{}", table.join("\n"));
    for (name, _, _) in EDITS {
        let [ok, _] = stats.get(name).copied().unwrap_or_default();
        assert!(
            ok > 0,
            "the edit '{name}' was never done: the sequence does not cover it\n{}",
            table.join("\n")
        );
    }
    // Every figure, and every place, channel (none too), mode and no
    // funding, counted above zero at some check: none is compared only
    // as zero against zero.
    let mut expected: Vec<String> = SCALARS.iter().map(|f| (*f).to_owned()).collect();
    expected.extend(PLACES.iter().map(|p| format!("by_place.{p}")));
    expected.extend(
        CHANNELS
            .iter()
            .chain(&[""])
            .map(|c| format!("by_channel.{c}")),
    );
    expected.extend(
        codes::TRAINING_MODE
            .codes
            .iter()
            .map(|m| format!("by_mode.{m}")),
    );
    expected.push("by_funding.".to_owned());
    let never: Vec<&String> = expected.iter().filter(|f| !seen.contains(*f)).collect();
    assert!(
        never.is_empty(),
        "never counted above zero at any check: {never:?}"
    );
}

/// A snapshot large enough that the import loads tables in bulk (2,000
/// rows of a table: `BULK_ROWS` in `src/snapshot/import.rs`), into a new
/// database: what the report reads is rebuilt there, and kept by the edits
/// that follow.
#[test]
fn a_bulk_import_reports_what_the_reference_counts() {
    let dir = TempDir::new().unwrap();
    let mut demo = open(&dir.path().join("demo.db"));
    fieldbook::demo::generate(&mut demo, 500, 7).unwrap();
    check(&demo, &reader(demo.path()), &|| {
        "the demo database".to_owned()
    });
    let persons: i64 = reader(demo.path())
        .query_row("SELECT count(*) FROM person", [], |r| r.get(0))
        .unwrap();
    assert!(persons >= 2000, "{persons} persons: not a bulk load");

    let snap = export_to(&demo, &dir.path().join("snap"));
    let mut fresh = open(&dir.path().join("fresh.db"));
    import_into(&mut fresh, &snap);
    check(&fresh, &reader(fresh.path()), &|| {
        "the demo snapshot imported into a new database".to_owned()
    });
    assert_same_report(&demo, &fresh, "bulk import");

    let townships = fresh.townships().unwrap();
    let mut w = Driver::new(fresh, 42, townships, "the bulk import".to_owned());
    // Household numbers and session codes past the demo's.
    w.serial = 5000;
    w.edits(40, CHECK_EVERY);
}
