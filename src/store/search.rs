//! The search index (schema version 3) and searching it: running a query's
//! probes best first over the FTS5 name index and the persons not yet
//! folded into it, filling the result rows, folding pending persons in,
//! checking the index against the data and rebuilding it. What a query
//! means and how matches rank is `crate::search`'s; this file only runs it.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};
use uuid::Uuid;

use super::{Result, Store, Writer};
use crate::domain::id_number::mask;
use crate::search::keys::{self, COLUMNS};
use crate::search::{Hit, MatchKind, Names, Probe, Query, Results, Tier};

/// Pending persons folded into the FTS index at the end of a write once
/// there are this many. Searches read pending persons' names and match
/// them in Rust (1,000 of them cost a keystroke about 3 ms); one fold
/// writes them all in one FTS5 segment, 10-20 ms. The app folds sooner
/// when idle ([`Store::fold_search_index`]), so a save seldom has to.
pub const FOLD_AT: i64 = 1000;

/// Past this many pending persons a fold rebuilds the whole index: cheaper
/// than deleting and inserting each.
const REBUILD_AT: i64 = 20_000;

/// Page cache during a bulk load, in KiB (SQLite's `-N` form): a load of
/// 100,000 households writes every page of a 700 MB file; with the default
/// 2 MB, pages of the indexes are evicted and rewritten again and again.
const BULK_CACHE: i64 = -65_536;

const INSERT_DOC: &str = "INSERT INTO search_person(rowid, zh, zhs, bo, bos, py, pys, pyi, pyis)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";

fn insert_doc(conn: &Connection, rowid: i64, d: &[String; 8]) -> rusqlite::Result<()> {
    if d.iter().all(String::is_empty) {
        return Ok(());
    }
    conn.prepare_cached(INSERT_DOC)?.execute(rusqlite::params![
        rowid, d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]
    ])?;
    Ok(())
}

/// Persons handed at a time to the thread that makes their tokens.
const REBUILD_CHUNK: usize = 2048;

/// FTS5 gathers new postings in memory up to this many bytes before it
/// writes them out as a segment (its `hashsize`). The default, 1 MB, made a
/// rebuild of 500,000 persons write hundreds of small segments and merge
/// them again and again; 8 MB takes 8% off the writing thread's work of a
/// 20,000-household import. Only while rebuilding: a fold never fills 1 MB.
const REBUILD_HASH_BYTES: i64 = 8 << 20;
const DEFAULT_HASH_BYTES: i64 = 1 << 20;

/// Rebuilds the name index from the live persons and empties the pending
/// list (after a migration or a bulk load, or to repair the index).
///
/// Making a person's tokens (the pinyin of every reading above all) costs
/// about half as much as FTS5 indexing them, so a second thread makes them
/// while this one writes: on 100,000 households that takes the rebuild from
/// about 5 s to about 3.5 s on two cores.
pub(crate) fn rebuild(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO search_person(search_person) VALUES('delete-all')",
        [],
    )?;
    set_hash_bytes(conn, REBUILD_HASH_BYTES)?;
    let mut stmt =
        conn.prepare("SELECT rowid, name_zh, name_bo FROM person WHERE deleted_at IS NULL")?;
    let mut rows = stmt.query([])?;
    type Names = Vec<(i64, String, String)>;
    type Docs = Vec<(i64, [String; 8])>;
    std::thread::scope(|scope| -> rusqlite::Result<()> {
        let (names_tx, names_rx) = std::sync::mpsc::sync_channel::<Names>(2);
        let (docs_tx, docs_rx) = std::sync::mpsc::sync_channel::<Docs>(2);
        scope.spawn(move || {
            for chunk in names_rx {
                let docs = chunk
                    .into_iter()
                    .map(|(rowid, zh, bo)| (rowid, keys::person_doc(&zh, &bo)))
                    .collect();
                if docs_tx.send(docs).is_err() {
                    break;
                }
            }
        });
        // One chunk is being made while the one before it is written.
        let mut in_flight = 0usize;
        let mut more = true;
        loop {
            if more {
                let mut chunk = Vec::with_capacity(REBUILD_CHUNK);
                while chunk.len() < REBUILD_CHUNK {
                    let Some(r) = rows.next()? else {
                        more = false;
                        break;
                    };
                    chunk.push((
                        r.get(0)?,
                        r.get_ref(1)?.as_str()?.to_owned(),
                        r.get_ref(2)?.as_str()?.to_owned(),
                    ));
                }
                if !chunk.is_empty() && names_tx.send(chunk).is_ok() {
                    in_flight += 1;
                }
            }
            if in_flight == 0 && !more {
                break;
            }
            if more && in_flight < 2 {
                continue;
            }
            // The thread only stops early by panicking, which the scope
            // passes on when it ends.
            let Ok(docs) = docs_rx.recv() else { break };
            in_flight -= 1;
            for (rowid, d) in docs {
                insert_doc(conn, rowid, &d)?;
            }
        }
        Ok(())
    })?;
    set_hash_bytes(conn, DEFAULT_HASH_BYTES)?;
    conn.execute("DELETE FROM search_pending", [])?;
    Ok(())
}

fn set_hash_bytes(conn: &Connection, bytes: i64) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO search_person(search_person, rank) VALUES ('hashsize', ?1)",
        [bytes],
    )
    .map(drop)
}

/// Folds the pending persons into the FTS index; how many there were.
fn fold(conn: &Connection) -> rusqlite::Result<i64> {
    let pending: i64 = conn.query_row("SELECT count(*) FROM search_pending", [], |r| r.get(0))?;
    if pending == 0 {
        return Ok(0);
    }
    if pending >= REBUILD_AT {
        rebuild(conn)?;
        return Ok(pending);
    }
    let rows: Vec<(i64, Option<(String, String)>)> = conn
        .prepare(
            "SELECT s.person, p.name_zh, p.name_bo FROM search_pending s
             LEFT JOIN person p ON p.rowid = s.person AND p.deleted_at IS NULL",
        )?
        .query_map([], |r| {
            let names = match r.get::<_, Option<String>>(1)? {
                Some(zh) => Some((zh, r.get::<_, Option<String>>(2)?.unwrap_or_default())),
                None => None,
            };
            Ok((r.get(0)?, names))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (rowid, names) in rows {
        conn.prepare_cached("DELETE FROM search_person WHERE rowid = ?1")?
            .execute([rowid])?;
        if let Some((zh, bo)) = names {
            insert_doc(conn, rowid, &keys::person_doc(&zh, &bo))?;
        }
    }
    conn.execute("DELETE FROM search_pending", [])?;
    Ok(pending)
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
    /// Persons whose names changed since their entry was written: found
    /// through their names until the next fold.
    pub pending: u64,
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
        let pending = self.pending_docs()?;
        let mut found: Vec<(Found, MatchKind, Tier)> = Vec::new();
        let mut seen: HashSet<Found> = HashSet::new();
        for probe in query.plan() {
            if found.len() >= want {
                break;
            }
            // Ask for enough to fill the page even if all seen so far come
            // again (and, from the FTS index, every pending person's
            // out-of-date entry with them).
            let ask = (want - found.len() + seen.len()) as i64;
            let (kind, tier) = (probe.kind(), probe.tier());
            let mut add = |f: Found, found: &mut Vec<_>| {
                if found.len() < want && seen.insert(f) {
                    found.push((f, kind, tier));
                }
            };
            if let Some(fts) = probe.fts_query() {
                let mut rowids: Vec<i64> = self
                    .rowids(
                        "SELECT rowid FROM search_person WHERE search_person MATCH ?1
                         ORDER BY rowid LIMIT ?2",
                        (fts, ask + pending.len() as i64),
                    )?
                    .into_iter()
                    .filter(|r| !pending.contains_key(r))
                    .collect();
                rowids.extend(
                    pending
                        .iter()
                        .filter(|(_, doc)| doc.as_ref().is_some_and(|d| probe.matches(d)))
                        .map(|(r, _)| *r),
                );
                rowids.sort_unstable();
                for rowid in rowids {
                    add(Found::Person(rowid), &mut found);
                }
            } else if let Probe::Number { digits, .. } = &probe {
                for f in self.number_matches(kind, tier, digits, ask)? {
                    add(f, &mut found);
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

    /// The persons not yet folded into the FTS index, with the index text
    /// of their names now (`None` when deleted or gone).
    fn pending_docs(&self) -> Result<HashMap<i64, Option<[String; 8]>>> {
        let rows = self.query(
            "SELECT s.person, p.name_zh, p.name_bo FROM search_pending s
             LEFT JOIN person p ON p.rowid = s.person AND p.deleted_at IS NULL",
            [],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, Option<String>>(2)?,
                ))
            },
        )?;
        Ok(rows
            .into_iter()
            .map(|(rowid, zh, bo)| {
                let doc = zh.map(|zh| keys::person_doc(&zh, &bo.unwrap_or_default()));
                (rowid, doc)
            })
            .collect())
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
            // Phones whole or by their last digits only, both through the
            // index of the last four: an index of whole phones for typing
            // one from its start would cost every save of a household.
            MatchKind::Phone if tier == Tier::Prefix || len < crate::search::MIN_TAIL as i64 => &[],
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
                Tier::Exact if kind == MatchKind::Phone => self.rowids(
                    &format!(
                        "SELECT rowid FROM {table} WHERE {tail} = ?1 AND {live} AND {col} = ?2
                         ORDER BY rowid LIMIT ?3"
                    ),
                    (tail4(digits), digits, ask),
                )?,
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
                    if out.len() as i64 >= ask {
                        break;
                    }
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
        // Person rowids are dense: one slot per rowid is far cheaper than a
        // hash map over the millions of postings.
        let max_rowid: i64 = self
            .conn
            .query_row("SELECT coalesce(max(rowid), 0) FROM person", [], |r| {
                r.get(0)
            })
            .map_err(|e| self.err(e))?;
        let slots = usize::try_from(max_rowid.clamp(0, 1 << 26)).unwrap_or(0) + 1;
        let mut indexed: Vec<Option<u64>> = vec![None; slots];
        let mut beyond: HashMap<i64, u64> = HashMap::new();
        {
            let mut stmt = self
                .conn
                .prepare("SELECT doc, col, term FROM search_person_terms")
                .map_err(|e| self.err(e))?;
            let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
            while let Some(r) = rows.next().map_err(|e| self.err(e))? {
                let doc: i64 = r.get(0).map_err(|e| self.err(e))?;
                let col = r.get_ref(1).map_err(|e| self.err(e))?;
                let term = r.get_ref(2).map_err(|e| self.err(e))?;
                let h = posting_hash(
                    col.as_str().unwrap_or_default(),
                    term.as_str().unwrap_or_default(),
                );
                let slot = match usize::try_from(doc).ok().and_then(|i| indexed.get_mut(i)) {
                    Some(slot) => slot.get_or_insert(0),
                    None => beyond.entry(doc).or_default(),
                };
                *slot = slot.wrapping_add(h);
            }
        }
        let indexed: HashMap<i64, u64> = indexed
            .into_iter()
            .enumerate()
            .filter_map(|(i, h)| Some((i as i64, h?)))
            .chain(beyond)
            .collect();
        let pending: HashSet<i64> = self
            .rowids("SELECT person FROM search_pending", [])?
            .into_iter()
            .collect();
        let mut report = SearchIndexCheck {
            persons: expected.len() as u64,
            pending: pending.len() as u64,
            ..SearchIndexCheck::default()
        };
        for (rowid, (sum, id)) in &expected {
            if pending.contains(rowid) {
                // Found through its names until folded in: nothing to compare.
                continue;
            }
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
            .filter(|rowid| !expected.contains_key(rowid) && !pending.contains(rowid))
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

    /// Folds the persons whose names changed into the name index now, in
    /// one transaction; how many there were. Saves do it once
    /// [`FOLD_AT`] have gathered; the app may call it when idle so that no
    /// save has to.
    pub fn fold_search_index(&mut self) -> Result<u64> {
        // Most calls find nothing to do: check that without taking the write lock.
        let pending: i64 = self
            .conn
            .query_row("SELECT count(*) FROM search_pending", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        if pending == 0 {
            return Ok(0);
        }
        self.write(|w| fold(&w.tx).map_err(|e| w.err(e)))
            .map(|n| n.max(0) as u64)
    }
}

impl Writer<'_> {
    /// Rebuilds the name index within this transaction (to repair it).
    pub fn rebuild_search_index(&mut self) -> Result<()> {
        rebuild(&self.tx).map_err(|e| self.err(e))
    }

    /// Folds the pending persons into the name index if [`FOLD_AT`] or more
    /// have gathered ([`Store::write`] calls it before every commit).
    pub(crate) fn fold_search_index_if_due(&mut self) -> Result<()> {
        let pending: i64 = self
            .tx
            .prepare_cached("SELECT count(*) FROM search_pending")
            .and_then(|mut s| s.query_row([], |r| r.get(0)))
            .map_err(|e| self.err(e))?;
        if pending >= FOLD_AT {
            fold(&self.tx).map_err(|e| self.err(e))?;
        }
        Ok(())
    }

    /// For a bulk load: the index's triggers note nothing until the end of
    /// this transaction, where [`Store::write`] rebuilds the index once,
    /// and the load gets a larger page cache meanwhile (see `schema_v3.sql`).
    pub(crate) fn defer_search_index(&mut self) -> Result<()> {
        self.defer_search_index_with_cache(Some(BULK_CACHE))
    }

    /// [`Writer::defer_search_index`], with the page cache set to `cache`
    /// (SQLite's `cache_size`) or left as it is.
    pub(crate) fn defer_search_index_with_cache(&mut self, cache: Option<i64>) -> Result<()> {
        let deferred: bool = self
            .tx
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM search_deferred)")
            .and_then(|mut s| s.query_row([], |r| r.get(0)))
            .map_err(|e| self.err(e))?;
        if deferred {
            return Ok(());
        }
        let now: i64 = self
            .tx
            .pragma_query_value(None, "cache_size", |r| r.get(0))
            .map_err(|e| self.err(e))?;
        self.tx
            .execute("INSERT INTO search_deferred(cache_size) VALUES (?1)", [now])
            .and_then(|_| {
                self.tx
                    .pragma_update(None, "cache_size", cache.unwrap_or(now))
            })
            .map_err(|e| self.err(e))
    }

    /// Ends a deferral begun by [`Writer::defer_search_index`], if any:
    /// the triggers note changes again and the page cache is back to its
    /// size. Says whether there was one (the index then needs
    /// [`Writer::rebuild_search_index`] before the transaction commits).
    /// Called at the end of every write transaction.
    pub(crate) fn end_search_deferral(&mut self) -> Result<bool> {
        let cache: Option<i64> = self
            .tx
            .prepare_cached("DELETE FROM search_deferred RETURNING cache_size")
            .and_then(|mut s| s.query_row([], |r| r.get(0)).optional())
            .map_err(|e| self.err(e))?;
        let Some(cache) = cache else {
            return Ok(false);
        };
        self.tx
            .pragma_update(None, "cache_size", cache)
            .map_err(|e| self.err(e))?;
        // The head-name triggers were off too: recompute every head once.
        self.tx
            .execute_batch(
                "UPDATE household SET head_name = coalesce((
                    SELECT CASE WHEN p.name_zh <> '' THEN p.name_zh ELSE p.name_bo END
                    FROM person p WHERE p.household_id = household.id AND p.deleted_at IS NULL
                    ORDER BY p.relation <> 'head', p.position, p.id LIMIT 1), '')",
            )
            .map_err(|e| self.err(e))?;
        // So were the training-wish triggers: every wish made afresh.
        self.tx
            .execute_batch(super::training::REBUILD_WISHES)
            .map_err(|e| self.err(e))?;
        // And the report's tallies.
        super::tally::rebuild(&self.tx).map_err(|e| self.err(e))?;
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
