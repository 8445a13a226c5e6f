//! The search index (schema version 3) and searching it: the SQL function
//! that makes a person's index text, running a query's probes best first,
//! filling the result rows, checking the index against the data and
//! rebuilding it. What a query means and how matches rank is
//! `crate::search`'s; this file only runs it.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::NaiveDate;
use rusqlite::functions::FunctionFlags;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension};
use uuid::Uuid;

use super::{Result, Store, Writer};
use crate::domain::id_number::mask;
use crate::search::keys::{self, COLUMNS};
use crate::search::{Hit, MatchKind, Names, Probe, Query, Results, Tier};

/// Name of the SQL function the index's view and triggers call.
const FUNCTION: &str = "fieldbook_search_text";

/// The last name whose columns were made: SQLite asks for a person's
/// columns one by one, and the pinyin of a name is worth making once.
#[derive(Default)]
struct LastName {
    zh: Option<(String, [String; 6])>,
    bo: Option<(String, [String; 2])>,
}

impl LastName {
    fn column(&mut self, col: usize, source: &str) -> String {
        if keys::column_is_tibetan(col) {
            let cols = match &self.bo {
                Some((s, cols)) if s == source => cols,
                _ => {
                    let cols = keys::tibetan_columns(source);
                    &self.bo.insert((source.to_owned(), cols)).1
                }
            };
            return cols[usize::from(col == keys::BO_INNER)].clone();
        }
        let cols = match &self.zh {
            Some((s, cols)) if s == source => cols,
            _ => {
                let cols = keys::chinese_columns(source);
                &self.zh.insert((source.to_owned(), cols)).1
            }
        };
        let i = match col {
            keys::ZH => 0,
            keys::ZH_INNER => 1,
            keys::PY => 2,
            keys::PY_INNER => 3,
            keys::PY_INITIALS => 4,
            _ => 5,
        };
        cols[i].clone()
    }
}

/// Registers the search index's SQL functions on a connection. Every
/// connection fieldbook opens needs them: the index's triggers call them on
/// every write to `person`.
/// - `fieldbook_search_text(column, name)`: the index text of a column;
/// - `fieldbook_search_deferred()`: 1 while a bulk load on this connection
///   has turned the triggers off, else 0;
/// - `fieldbook_search_defer(state)`: sets that state and returns the one
///   before ([`NOT_DEFERRED`], or the page cache size to go back to when
///   the load ends); not usable from the schema.
pub(crate) fn register_functions(conn: &Connection) -> rusqlite::Result<()> {
    let deferred = Arc::new(AtomicI64::new(NOT_DEFERRED));
    let reader = Arc::clone(&deferred);
    conn.create_scalar_function(
        "fieldbook_search_deferred",
        0,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_INNOCUOUS,
        move |_| Ok(reader.load(Ordering::Relaxed) != NOT_DEFERRED),
    )?;
    conn.create_scalar_function(
        "fieldbook_search_defer",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DIRECTONLY,
        move |ctx| {
            let state = ctx.get_raw(0).as_i64().unwrap_or(NOT_DEFERRED);
            Ok(deferred.swap(state, Ordering::Relaxed))
        },
    )?;
    let last = Mutex::new(LastName::default());
    conn.create_scalar_function(
        FUNCTION,
        2,
        FunctionFlags::SQLITE_UTF8
            | FunctionFlags::SQLITE_DETERMINISTIC
            | FunctionFlags::SQLITE_INNOCUOUS,
        move |ctx| {
            let col = ctx.get_raw(0).as_i64().unwrap_or(-1);
            let source = match ctx.get_raw(1) {
                ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                _ => String::new(),
            };
            if !(0..COLUMNS.len() as i64).contains(&col) {
                return Ok(String::new());
            }
            let mut last = last.lock().unwrap_or_else(|e| e.into_inner());
            Ok(last.column(col as usize, &source))
        },
    )
}

/// The deferral state of a connection whose triggers are on.
const NOT_DEFERRED: i64 = i64::MIN;

/// Page cache during a bulk load, in KiB (SQLite's `-N` form): a load of
/// 100,000 households writes every page of a 700 MB file; with the default
/// 2 MB, pages of the indexes are evicted and rewritten again and again.
const BULK_CACHE: i64 = -65_536;

/// Rebuilds the name index from the person table (after a migration, or to
/// repair an index `check` found out of step).
pub(crate) fn rebuild(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO search_person(search_person) VALUES('rebuild')",
        [],
    )
    .map(drop)
}

/// A matched row before its details are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Found {
    Person(i64),
    /// A household matched that has no live member to list.
    Household(i64),
}

/// What [`Store::check_search_index`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchIndexCheck {
    /// Live persons.
    pub persons: u64,
    /// Live persons the index does not hold.
    pub missing: Vec<Uuid>,
    /// Live persons the index holds under other names.
    pub stale: Vec<Uuid>,
    /// Index entries for persons that are deleted or gone.
    pub extra: u64,
}

impl SearchIndexCheck {
    pub fn is_ok(&self) -> bool {
        self.missing.is_empty() && self.stale.is_empty() && self.extra == 0
    }
}

/// The end of the range of strings that start with `prefix` (SQLite
/// compares text as UTF-8 bytes; U+10FFFF sorts after every other character).
fn prefix_end(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

/// The last [`crate::search::MIN_TAIL`] characters of `digits`.
fn tail4(digits: &str) -> String {
    let chars: Vec<char> = digits.chars().collect();
    chars[chars.len().saturating_sub(4)..].iter().collect()
}

impl Store {
    /// Searches persons and households for a typed query: at most `limit`
    /// rows, best first (see [`crate::search`]). An empty or unsearchable
    /// query finds nothing. All of it is read from one snapshot of the
    /// database: a save in progress elsewhere is neither waited for nor seen.
    pub fn search(&self, query: &str, limit: usize) -> Result<Results> {
        self.search_query(&Query::parse(query), limit)
    }

    /// [`Store::search`] for a query already parsed.
    pub fn search_query(&self, query: &Query, limit: usize) -> Result<Results> {
        if query.is_empty() {
            return Ok(Results::default());
        }
        let tx = self.conn.unchecked_transaction().map_err(|e| self.err(e))?;
        let result = self.search_in(query, limit);
        // Only read: ending the transaction cannot lose anything.
        let _ = tx.rollback();
        result
    }

    fn search_in(&self, query: &Query, limit: usize) -> Result<Results> {
        let want = limit.saturating_add(1);
        let mut found: Vec<(Found, MatchKind, Tier)> = Vec::new();
        let mut seen: HashSet<Found> = HashSet::new();
        for probe in query.plan() {
            if found.len() >= want {
                break;
            }
            // Ask for enough to fill the page even if all seen so far come again.
            let ask = (want - found.len() + seen.len()) as i64;
            let (kind, tier) = (probe.kind(), probe.tier());
            let mut add = |f: Found, found: &mut Vec<_>| {
                if found.len() < want && seen.insert(f) {
                    found.push((f, kind, tier));
                }
            };
            match &probe {
                Probe::Name { expr, .. } => {
                    for rowid in self.rowids(
                        "SELECT rowid FROM search_person WHERE search_person MATCH ?1 LIMIT ?2",
                        (expr, ask),
                    )? {
                        add(Found::Person(rowid), &mut found);
                    }
                }
                Probe::Number { digits, .. } => {
                    for f in self.number_matches(kind, tier, digits, ask)? {
                        add(f, &mut found);
                    }
                }
            }
        }
        let more = found.len() > limit;
        let mut hits = Vec::with_capacity(found.len().min(limit));
        for (f, kind, tier) in found.into_iter().take(limit) {
            if let Some(hit) = self.hit(f, kind, tier)? {
                hits.push(hit);
            }
        }
        Ok(Results { hits, more })
    }

    fn rowids<P: rusqlite::Params>(&self, sql: &str, params: P) -> Result<Vec<i64>> {
        self.query(sql, params, |r| r.get(0))
    }

    /// Persons (and member-less households) whose ID number, household
    /// number or phone matches `digits` as `tier` says, at most `ask`
    /// households' worth.
    fn number_matches(
        &self,
        kind: MatchKind,
        tier: Tier,
        digits: &str,
        ask: i64,
    ) -> Result<Vec<Found>> {
        let len = digits.chars().count() as i64;
        // (table, the column's digits, its last four, the live-row filter)
        let targets: &[(&str, &str, &str, &str)] = match kind {
            MatchKind::IdNumber => &[(
                "person",
                "id_number",
                "substr(id_number, -4)",
                "deleted_at IS NULL AND id_number <> ''",
            )],
            MatchKind::HouseholdNumber => &[(
                "household",
                "number",
                "substr(number, -4)",
                "deleted_at IS NULL",
            )],
            MatchKind::Phone => &[
                (
                    "person",
                    "replace(phone, '-', '')",
                    "substr(phone, -4)",
                    "deleted_at IS NULL AND phone <> ''",
                ),
                (
                    "household",
                    "replace(phone, '-', '')",
                    "substr(phone, -4)",
                    "deleted_at IS NULL AND phone <> ''",
                ),
            ],
            _ => &[],
        };
        let mut out = Vec::new();
        for (table, col, tail, live) in targets {
            let rowids = match tier {
                Tier::Exact => self.rowids(
                    &format!(
                        "SELECT rowid FROM {table} WHERE {col} = ?1 AND {live} ORDER BY rowid LIMIT ?2"
                    ),
                    (digits, ask),
                )?,
                Tier::Prefix => self.rowids(
                    &format!(
                        "SELECT rowid FROM {table} WHERE {col} >= ?1 AND {col} < ?2 AND {live}
                         ORDER BY {col}, rowid LIMIT ?3"
                    ),
                    (digits, prefix_end(digits), ask),
                )?,
                Tier::Inside => self.rowids(
                    &format!(
                        "SELECT rowid FROM {table} WHERE {tail} = ?1 AND {live}
                         AND substr({col}, -?2) = ?3 ORDER BY rowid LIMIT ?4"
                    ),
                    (tail4(digits), len, digits, ask),
                )?,
            };
            if *table == "person" {
                out.extend(rowids.into_iter().map(Found::Person));
            } else {
                for h in rowids {
                    out.extend(self.household_members(h)?);
                }
            }
        }
        Ok(out)
    }

    /// A household's live members in roster order, or the household itself
    /// when it has none.
    fn household_members(&self, household_rowid: i64) -> Result<Vec<Found>> {
        let members = self.rowids(
            "SELECT p.rowid FROM household h JOIN person p ON p.household_id = h.id
             WHERE h.rowid = ?1 AND p.deleted_at IS NULL ORDER BY p.position, p.id",
            [household_rowid],
        )?;
        if members.is_empty() {
            Ok(vec![Found::Household(household_rowid)])
        } else {
            Ok(members.into_iter().map(Found::Person).collect())
        }
    }

    /// The result row of a match; `None` if the row went away meanwhile.
    fn hit(&self, found: Found, kind: MatchKind, tier: Tier) -> Result<Option<Hit>> {
        const PLACE: &str = "coalesce(v.name_zh, ''), coalesce(v.name_bo, ''),
             coalesce(t.name_zh, ''), coalesce(t.name_bo, '')";
        let sql = match found {
            Found::Person(_) => format!(
                "SELECT p.id, p.name_zh, p.name_bo, p.id_number, p.sex, p.birth_date, p.relation, p.phone,
                        h.id, h.number, h.phone, h.last_visit, {PLACE}
                 FROM person p JOIN household h ON h.id = p.household_id
                 LEFT JOIN village v ON v.id = h.village_id
                 LEFT JOIN township t ON t.id = v.township_id
                 WHERE p.rowid = ?1 AND p.deleted_at IS NULL"
            ),
            Found::Household(_) => format!(
                "SELECT NULL, '', '', '', '', NULL, '', '',
                        h.id, h.number, h.phone, h.last_visit, {PLACE}
                 FROM household h
                 LEFT JOIN village v ON v.id = h.village_id
                 LEFT JOIN township t ON t.id = v.township_id
                 WHERE h.rowid = ?1 AND h.deleted_at IS NULL"
            ),
        };
        let rowid = match found {
            Found::Person(r) | Found::Household(r) => r,
        };
        let date =
            |s: Option<String>| s.and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok());
        let uuid = |s: Option<String>| s.and_then(|s| Uuid::parse_str(&s).ok());
        let mut stmt = self.conn.prepare_cached(&sql).map_err(|e| self.err(e))?;
        let row = stmt
            .query_row([rowid], |r| {
                let id_number: String = r.get(3)?;
                Ok(Hit {
                    person_id: uuid(r.get(0)?),
                    name_zh: r.get(1)?,
                    name_bo: r.get(2)?,
                    id_masked: if id_number.is_empty() {
                        String::new()
                    } else {
                        mask(&id_number)
                    },
                    id_number,
                    sex: r.get(4)?,
                    birth_date: date(r.get(5)?),
                    relation: r.get(6)?,
                    phone: r.get(7)?,
                    household_id: uuid(r.get(8)?).unwrap_or_default(),
                    household_number: r.get(9)?,
                    household_phone: r.get(10)?,
                    last_visit: date(r.get(11)?),
                    village_zh: r.get(12)?,
                    village_bo: r.get(13)?,
                    township_zh: r.get(14)?,
                    township_bo: r.get(15)?,
                    posts: Vec::new(),
                    trainings: Vec::new(),
                    kind,
                    tier,
                })
            })
            .optional()
            .map_err(|e| self.err(e))?;
        let Some(mut hit) = row else {
            return Ok(None);
        };
        if let Some(person) = hit.person_id {
            let names = |r: &rusqlite::Row<'_>| {
                Ok(Names {
                    zh: r.get(0)?,
                    bo: r.get(1)?,
                    en: r.get(2)?,
                })
            };
            hit.posts = self.query(
                "SELECT pt.name_zh, pt.name_bo, pt.name_en
                 FROM post_assignment a JOIN post po ON po.id = a.post_id
                 JOIN post_type pt ON pt.id = po.post_type_id
                 WHERE a.person_id = ?1 AND a.deleted_at IS NULL AND a.end_date IS NULL
                 ORDER BY a.start_date, a.id",
                [person.to_string()],
                names,
            )?;
            let mut trainings: Vec<Names> = Vec::new();
            for c in self.query(
                "SELECT c.name_zh, c.name_bo, c.name_en
                 FROM enrolment e JOIN training_session s ON s.id = e.session_id
                 JOIN course c ON c.id = s.course_id
                 WHERE e.person_id = ?1 AND e.deleted_at IS NULL
                 ORDER BY s.start_date, s.id",
                [person.to_string()],
                names,
            )? {
                if !trainings.contains(&c) {
                    trainings.push(c);
                }
            }
            hit.trainings = trainings;
        }
        Ok(Some(hit))
    }

    /// Compares the name index with the names of the live persons: every
    /// live person indexed under exactly the keys their names give, nothing
    /// else indexed. Reads only, so it works on a read-only database.
    pub fn check_search_index(&self) -> Result<SearchIndexCheck> {
        let tx = self.conn.unchecked_transaction().map_err(|e| self.err(e))?;
        let result = self.check_search_index_in();
        let _ = tx.rollback();
        result
    }

    fn check_search_index_in(&self) -> Result<SearchIndexCheck> {
        let mut expected: HashMap<i64, (u64, String)> = HashMap::new();
        {
            let mut stmt = self
                .conn
                .prepare("SELECT rowid, id, name_zh, name_bo FROM person WHERE deleted_at IS NULL")
                .map_err(|e| self.err(e))?;
            let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
            while let Some(r) = rows.next().map_err(|e| self.err(e))? {
                let get = |i| r.get::<_, String>(i);
                let (rowid, id, zh, bo) = (
                    r.get::<_, i64>(0).map_err(|e| self.err(e))?,
                    get(1).map_err(|e| self.err(e))?,
                    get(2).map_err(|e| self.err(e))?,
                    get(3).map_err(|e| self.err(e))?,
                );
                let doc = keys::person_doc(&zh, &bo);
                let mut sum = 0u64;
                for (col, text) in doc.iter().enumerate() {
                    for token in text.split(' ').filter(|t| !t.is_empty()) {
                        sum = sum.wrapping_add(posting_hash(COLUMNS[col], token));
                    }
                }
                expected.insert(rowid, (sum, id));
            }
        }
        let mut indexed: HashMap<i64, u64> = HashMap::with_capacity(expected.len());
        {
            let mut stmt = self
                .conn
                .prepare("SELECT doc, col, term FROM search_person_terms")
                .map_err(|e| self.err(e))?;
            let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
            while let Some(r) = rows.next().map_err(|e| self.err(e))? {
                let doc: i64 = r.get(0).map_err(|e| self.err(e))?;
                let col = r.get_ref(1).map_err(|e| self.err(e))?;
                let col = col.as_str().unwrap_or_default().to_owned();
                let term = r.get_ref(2).map_err(|e| self.err(e))?;
                let term = term.as_str().unwrap_or_default();
                let h = indexed.entry(doc).or_default();
                *h = h.wrapping_add(posting_hash(&col, term));
            }
        }
        let mut report = SearchIndexCheck {
            persons: expected.len() as u64,
            ..SearchIndexCheck::default()
        };
        for (rowid, (sum, id)) in &expected {
            let id = Uuid::parse_str(id).unwrap_or_default();
            match indexed.get(rowid) {
                None if *sum == 0 => {}
                None => report.missing.push(id),
                Some(h) if h != sum => report.stale.push(id),
                Some(_) => {}
            }
        }
        report.extra = indexed
            .keys()
            .filter(|rowid| !expected.contains_key(rowid))
            .count() as u64;
        report.missing.sort();
        report.stale.sort();
        Ok(report)
    }

    /// Rebuilds the name index from the persons, in one transaction: the
    /// repair for an index [`Store::check_search_index`] found out of step.
    pub fn rebuild_search_index(&mut self) -> Result<()> {
        self.write(|w| w.rebuild_search_index())
    }
}

impl Writer<'_> {
    /// Rebuilds the name index within this transaction (to repair it).
    pub fn rebuild_search_index(&mut self) -> Result<()> {
        rebuild(&self.tx).map_err(|e| self.err(e))
    }

    /// Leaves the name index to one rebuild at the end of this transaction
    /// (for bulk loads: see `schema_v3.sql`), and gives the load a larger
    /// page cache. [`Store::write`] rebuilds and restores before it commits.
    pub(crate) fn defer_search_index(&mut self) -> Result<()> {
        let deferred: bool = self
            .tx
            .prepare_cached("SELECT fieldbook_search_deferred()")
            .and_then(|mut s| s.query_row([], |r| r.get(0)))
            .map_err(|e| self.err(e))?;
        if deferred {
            return Ok(());
        }
        let cache: i64 = self
            .tx
            .pragma_query_value(None, "cache_size", |r| r.get(0))
            .map_err(|e| self.err(e))?;
        self.tx
            .query_row("SELECT fieldbook_search_defer(?1)", [cache], |_| Ok(()))
            .and_then(|()| self.tx.pragma_update(None, "cache_size", BULK_CACHE))
            .map_err(|e| self.err(e))
    }

    /// Ends a deferral begun by [`Writer::defer_search_index`], if any:
    /// turns the triggers back on and the page cache back to its size, and
    /// says whether they were off (the index then needs
    /// [`Writer::rebuild_search_index`] before the transaction commits).
    /// Called at the end of every write transaction, failed or not, so a
    /// failed load leaves nothing turned off.
    pub(crate) fn end_search_deferral(&mut self) -> Result<bool> {
        let before: i64 = self
            .tx
            .prepare_cached("SELECT fieldbook_search_defer(?1)")
            .and_then(|mut s| s.query_row([NOT_DEFERRED], |r| r.get(0)))
            .map_err(|e| self.err(e))?;
        if before == NOT_DEFERRED {
            return Ok(false);
        }
        self.tx
            .pragma_update(None, "cache_size", before)
            .map_err(|e| self.err(e))?;
        Ok(true)
    }
}

/// A well-mixed 64-bit hash of one (column, token) posting; a document's
/// postings are summed, so their order does not matter.
fn posting_hash(col: &str, token: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in col.bytes().chain([0xff]).chain(token.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    // splitmix64 finaliser: FNV alone sums poorly.
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}
