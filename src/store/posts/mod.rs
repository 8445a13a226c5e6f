//! Public-welfare posts: post types and funding sources, posts, who holds
//! them (assignments under an agreement), monthly attendance, and the
//! subsidy entries prepared from it and then paid.
//!
//! The rules across rows live here and are checked on every save,
//! whichever screen, command or test saves ([`Writer::post_rules`], called
//! by `Writer::save`): one current holder per post and one current post per
//! person (no two periods on one post or of one person overlap), a new
//! holder's age, a month's attendance and subsidy inside the agreement and
//! entered once, a paid entry final, no post closed while it is held. The
//! schema backs the first two and "once a month" with unique indexes, so an
//! import or the sqlite3 shell cannot break them either. Screens only
//! explain what the store says.

use chrono::NaiveDate;
use rusqlite::OptionalExtension;
use uuid::Uuid;

use super::households::{Page, PageKey};
use super::{Action, META_COLUMNS, Result, Store, StoreError, Writer, entity};
use crate::domain::Problem;
use crate::domain::posts::{self, Month, Setting};
use crate::domain::records::{FundingSource, Post, PostAssignment, PostType, SubsidyPayment};
use crate::domain::table::{Record, Table};

mod payroll;
pub use payroll::*;

/// Names in the three languages, as a catalogue or a person holds them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names {
    pub zh: String,
    pub bo: String,
    pub en: String,
}

impl Names {
    fn of(zh: String, bo: String, en: String) -> Names {
        Names { zh, bo, en }
    }

    /// One name to quote in a message: the Chinese, else the Tibetan.
    pub fn one(&self) -> &str {
        if self.zh.is_empty() {
            &self.bo
        } else {
            &self.zh
        }
    }
}

/// The person holding a post now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub assignment_id: Uuid,
    pub name: Names,
    pub id_number: String,
    pub start: NaiveDate,
    pub agreement_end: NaiveDate,
}

/// One line of the posts list: the post with its type, village, funding
/// line and current holder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostRow {
    pub post: Post,
    pub post_type: Names,
    pub department: String,
    pub village_code: String,
    pub village: Names,
    pub township: Names,
    pub funding: Names,
    pub holder: Option<Holder>,
}

impl PostRow {
    /// The post's title, or its type's name where it has none.
    pub fn title(&self) -> Names {
        if self.post.title.is_empty() {
            self.post_type.clone()
        } else {
            Names {
                zh: self.post.title.clone(),
                bo: String::new(),
                en: self.post.title.clone(),
            }
        }
    }

    pub fn key(&self) -> PageKey {
        PageKey {
            sort: self.village_code.clone(),
            number: self.post.meta.id.to_string(),
        }
    }
}

/// Which posts the list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PostsQuery {
    pub township_id: Option<Uuid>,
    pub village_id: Option<Uuid>,
    pub post_type_id: Option<Uuid>,
    /// A `codes::DEPARTMENT` code: posts whose type that department runs.
    pub department: Option<String>,
    pub funding_source_id: Option<Uuid>,
    /// Only posts open and without a current holder.
    pub vacant_only: bool,
}

impl PostsQuery {
    /// The WHERE clause and its parameters, over `p` (post), `v` (village)
    /// and `pt` (post type).
    fn filter(&self) -> (String, Vec<String>) {
        let mut sql = String::from("p.deleted_at IS NULL");
        let mut params = Vec::new();
        if let Some(v) = self.village_id {
            sql.push_str(" AND p.village_id = ?");
            params.push(v.to_string());
        } else if let Some(t) = self.township_id {
            sql.push_str(" AND v.township_id = ?");
            params.push(t.to_string());
        }
        if let Some(t) = self.post_type_id {
            sql.push_str(" AND p.post_type_id = ?");
            params.push(t.to_string());
        }
        if let Some(d) = &self.department {
            sql.push_str(" AND pt.department = ?");
            params.push(d.clone());
        }
        if let Some(f) = self.funding_source_id {
            sql.push_str(" AND p.funding_source_id = ?");
            params.push(f.to_string());
        }
        if self.vacant_only {
            sql.push_str(
                " AND p.closed_on IS NULL AND NOT EXISTS (SELECT 1 FROM post_assignment h
                   WHERE h.post_id = p.id AND h.end_date IS NULL AND h.deleted_at IS NULL)",
            );
        }
        (sql, params)
    }

    /// The tables a count needs for the filter: the village only for a
    /// township, the type only for a department (every post has both).
    fn count_from(&self) -> String {
        let mut from = String::from("FROM post p");
        // Joined for a township even when a village filters instead: the
        // same count, and no case that only the speed tells apart.
        if self.township_id.is_some() {
            from.push_str(" JOIN village v ON v.id = p.village_id");
        }
        if self.department.is_some() {
            from.push_str(" JOIN post_type pt ON pt.id = p.post_type_id");
        }
        from
    }
}

/// One post with its village, township and type.
const ONE_POST_FROM: &str = "FROM post p JOIN village v ON v.id = p.village_id
     JOIN township t ON t.id = v.township_id
     JOIN post_type pt ON pt.id = p.post_type_id";

/// The posts with their village, township and type. The village comes
/// first (`CROSS JOIN` keeps SQLite from reordering): walked by its code,
/// and each village's posts by `post_village_order` (village, id), the
/// list's order comes from the indexes, so a page reads only its own rows
/// and those it skips, never the whole table sorted.
const POST_FROM: &str = "FROM village v CROSS JOIN post p ON p.village_id = v.id
     JOIN township t ON t.id = v.township_id
     JOIN post_type pt ON pt.id = p.post_type_id";

/// The current holder of a post: its assignment and person, or NULLs.
const HOLDER_JOIN: &str =
    "LEFT JOIN post_assignment a ON a.post_id = p.id AND a.end_date IS NULL AND a.deleted_at IS NULL
     LEFT JOIN person pe ON pe.id = a.person_id";

fn uuid(s: &str) -> Uuid {
    Uuid::parse_str(s).unwrap_or_default()
}

fn day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// A name as one text (the Chinese, else the Tibetan).
fn one_name(zh: String, bo: String) -> String {
    if zh.is_empty() { bo } else { zh }
}

impl Store {
    /// The live post types, by code.
    pub fn post_types(&self) -> Result<Vec<PostType>> {
        let sql = format!(
            "SELECT {} FROM post_type WHERE deleted_at IS NULL ORDER BY code",
            entity::select_list::<PostType>()
        );
        self.query(&sql, [], entity::from_row::<PostType>)
    }

    /// The live funding sources, by code.
    pub fn funding_sources(&self) -> Result<Vec<FundingSource>> {
        let sql = format!(
            "SELECT {} FROM funding_source WHERE deleted_at IS NULL ORDER BY code",
            entity::select_list::<FundingSource>()
        );
        self.query(&sql, [], entity::from_row::<FundingSource>)
    }

    /// The live posts of a village.
    pub fn posts_of_village(&self, village_id: Uuid) -> Result<Vec<Post>> {
        let sql = format!(
            "SELECT {} FROM post WHERE village_id = ?1 AND deleted_at IS NULL ORDER BY id",
            entity::select_list::<Post>()
        );
        self.query(&sql, [village_id.to_string()], entity::from_row::<Post>)
    }

    /// The person's assignment that has not ended, if any ("is this person already in a post?").
    pub fn current_assignment(&self, person_id: Uuid) -> Result<Option<PostAssignment>> {
        let sql = format!(
            "SELECT {} FROM post_assignment WHERE person_id = ?1 AND deleted_at IS NULL AND end_date IS NULL
             ORDER BY start_date DESC LIMIT 1",
            entity::select_list::<PostAssignment>()
        );
        Ok(self
            .query(
                &sql,
                [person_id.to_string()],
                entity::from_row::<PostAssignment>,
            )?
            .pop())
    }

    /// The live subsidy entries of an assignment, by month.
    pub fn payments_of(&self, assignment_id: Uuid) -> Result<Vec<SubsidyPayment>> {
        let sql = format!(
            "SELECT {} FROM subsidy_payment WHERE assignment_id = ?1 AND deleted_at IS NULL ORDER BY month",
            entity::select_list::<SubsidyPayment>()
        );
        self.query(
            &sql,
            [assignment_id.to_string()],
            entity::from_row::<SubsidyPayment>,
        )
    }

    /// A setting of the posts area (its default when not set).
    pub fn post_setting(&self, s: Setting) -> Result<i64> {
        Ok(s.read(self.setting(s.key)?.as_deref()))
    }

    /// Sets a setting of the posts area, recorded in the audit log with
    /// who set it (it decides who may hold a post and what is paid).
    pub fn set_post_setting(&mut self, s: Setting, value: i64) -> Result<()> {
        if let Some(p) = s.check(value) {
            return Err(StoreError::Invalid {
                path: self.path.clone(),
                table: "settings".to_owned(),
                problem: Box::new(p),
            });
        }
        let before = self.setting(s.key)?;
        if before.as_deref() == Some(value.to_string().as_str()) {
            return Ok(());
        }
        self.write(|w| {
            w.tx.execute(
                "INSERT INTO settings(key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [s.key, &value.to_string()],
            )
            .map_err(|e| w.err(e))?;
            let json = |v: Option<String>| serde_json::json!({ s.key: v }).to_string();
            w.audit(
                "settings",
                super::migrations::seed_id("settings", s.key),
                Action::Update,
                Some(&json(before)),
                Some(&json(Some(value.to_string()))),
            )
        })
    }

    /// How many posts the query matches.
    pub fn posts_count(&self, q: &PostsQuery) -> Result<u64> {
        let (filter, params) = q.filter();
        let sql = format!("SELECT count(*) {} WHERE {filter}", q.count_from());
        let n: Vec<i64> = self.query(&sql, rusqlite::params_from_iter(params), |r| r.get(0))?;
        Ok(n.first().copied().unwrap_or(0) as u64)
    }

    /// One page of the posts list, by village code and then creation.
    /// Only the page is read (keyset paging).
    pub fn posts_page(&self, q: &PostsQuery, page: Page<'_>, limit: usize) -> Result<Vec<PostRow>> {
        let (mut filter, mut params) = q.filter();
        let backward = matches!(page, Page::Last | Page::Before(_));
        match page {
            // Spelt out rather than as `(v.code, p.id) > (?, ?)`, so that
            // the village's code bounds the walk of its index.
            Page::After(k) => {
                filter.push_str(" AND v.code >= ? AND (v.code > ? OR p.id > ?)");
                params.extend([k.sort.clone(), k.sort.clone(), k.number.clone()]);
            }
            Page::Before(k) => {
                filter.push_str(" AND v.code <= ? AND (v.code < ? OR p.id < ?)");
                params.extend([k.sort.clone(), k.sort.clone(), k.number.clone()]);
            }
            Page::First | Page::Last => {}
        }
        let dir = if backward { "DESC" } else { "ASC" };
        let sql = format!(
            "SELECT {}, pt.name_zh, pt.name_bo, pt.name_en, pt.department,
                    v.code, v.name_zh, v.name_bo, t.name_zh, t.name_bo,
                    coalesce(fs.name_zh, ''), coalesce(fs.name_bo, ''), coalesce(fs.name_en, ''),
                    a.id, a.start_date, a.agreement_end, pe.name_zh, pe.name_bo, pe.id_number
             {POST_FROM}
             LEFT JOIN funding_source fs ON fs.id = p.funding_source_id
             {HOLDER_JOIN}
             WHERE {filter} ORDER BY v.code {dir}, p.id {dir} LIMIT {limit}",
            entity::select_list_as::<Post>("p")
        );
        let mut rows = self.query(&sql, rusqlite::params_from_iter(params), post_row)?;
        if backward {
            rows.reverse();
        }
        Ok(rows)
    }

    /// One post as the list shows it.
    pub fn post_row(&self, id: Uuid) -> Result<Option<PostRow>> {
        let sql = format!(
            "SELECT {}, pt.name_zh, pt.name_bo, pt.name_en, pt.department,
                    v.code, v.name_zh, v.name_bo, t.name_zh, t.name_bo,
                    coalesce(fs.name_zh, ''), coalesce(fs.name_bo, ''), coalesce(fs.name_en, ''),
                    a.id, a.start_date, a.agreement_end, pe.name_zh, pe.name_bo, pe.id_number
             {ONE_POST_FROM}
             LEFT JOIN funding_source fs ON fs.id = p.funding_source_id
             {HOLDER_JOIN}
             WHERE p.id = ?1 AND p.deleted_at IS NULL",
            entity::select_list_as::<Post>("p")
        );
        Ok(self.query(&sql, [id.to_string()], post_row)?.pop())
    }

    /// Everyone who has held a post, newest first: the post's history.
    pub fn holders_of_post(&self, post_id: Uuid) -> Result<Vec<AssignmentRow>> {
        self.assignment_rows("a.post_id = ?1", post_id)
    }

    /// Every post a person has held, newest first: the person's history.
    pub fn posts_of_person(&self, person_id: Uuid) -> Result<Vec<AssignmentRow>> {
        self.assignment_rows("a.person_id = ?1", person_id)
    }

    fn assignment_rows(&self, filter: &str, id: Uuid) -> Result<Vec<AssignmentRow>> {
        let sql = format!(
            "SELECT {}, pe.name_zh, pe.name_bo, pe.id_number, p.title,
                    pt.name_zh, pt.name_bo, pt.name_en, v.name_zh, v.name_bo
             FROM post_assignment a JOIN person pe ON pe.id = a.person_id
             JOIN post p ON p.id = a.post_id JOIN post_type pt ON pt.id = p.post_type_id
             JOIN village v ON v.id = p.village_id
             WHERE {filter} AND a.deleted_at IS NULL
             ORDER BY a.start_date DESC, a.id DESC",
            entity::select_list_as::<PostAssignment>("a")
        );
        let n = META_COLUMNS.len() + PostAssignment::TABLE.columns.len();
        self.query(&sql, [id.to_string()], |r| {
            let title: String = r.get(n + 3)?;
            let post_type = Names::of(r.get(n + 4)?, r.get(n + 5)?, r.get(n + 6)?);
            Ok(AssignmentRow {
                assignment: entity::from_row::<PostAssignment>(r)?,
                person: Names::of(r.get(n)?, r.get(n + 1)?, String::new()),
                id_number: r.get(n + 2)?,
                post: if title.is_empty() {
                    post_type
                } else {
                    Names::of(title.clone(), String::new(), title)
                },
                village: Names::of(r.get(n + 7)?, r.get(n + 8)?, String::new()),
            })
        })
    }

    /// Saves a post (its status kept by the store: closed once it has a
    /// closing date, filled while held, else open).
    pub fn save_post(&mut self, post: &mut Post) -> Result<()> {
        self.write(|w| {
            post.status = w.post_status(post.meta.id, post.closed_on)?;
            w.save(post)
        })
    }

    /// Puts a person into a post under an agreement. Errors (a second
    /// holder, a second post, age) refuse it; warnings (a household not
    /// registered poor, another member holding a post, age unknown) are
    /// returned unsaved unless `accept_warnings`.
    pub fn assign(&mut self, a: &mut PostAssignment, accept_warnings: bool) -> Result<Assigned> {
        let path = self.path.clone();
        self.write(|w| {
            let values = a.values();
            let get = |name: &str| {
                PostAssignment::TABLE
                    .columns
                    .iter()
                    .position(|c| c.name == name)
                    .map(|i| values[i].to_text())
                    .unwrap_or_default()
            };
            let invalid = |problem: Problem| StoreError::Invalid {
                path: path.clone(),
                table: PostAssignment::TABLE.name.to_owned(),
                problem: Box::new(problem),
            };
            if let Some(rule) = PostAssignment::TABLE.row_rule
                && let Some(p) = rule(&get)
            {
                return Err(invalid(p));
            }
            let exists = w.row_exists_live(PostAssignment::TABLE.name, a.meta.id)?;
            if let Some(p) = w.post_rules(PostAssignment::TABLE, a.meta.id, &get, !exists)? {
                return Err(invalid(p));
            }
            let warnings = w.assignment_warnings(a)?;
            if !warnings.is_empty() && !accept_warnings {
                return Ok(Assigned::Warnings(warnings));
            }
            w.save(a)?;
            Ok(Assigned::Saved)
        })
    }

    /// Ends an assignment: the day the holder left and why.
    pub fn end_assignment(
        &mut self,
        id: Uuid,
        end_date: NaiveDate,
        reason: &str,
    ) -> Result<PostAssignment> {
        let mut a = self
            .get::<PostAssignment>(id)?
            .ok_or_else(|| StoreError::NoSuchRow {
                path: self.path.clone(),
                table: PostAssignment::TABLE.name.to_owned(),
                id: id.to_string(),
            })?;
        a.end_date = Some(end_date);
        a.end_reason = reason.to_owned();
        self.save(&mut a)?;
        Ok(a)
    }
}

/// What [`Store::assign`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Assigned {
    Saved,
    /// Not saved: these need acknowledging first.
    Warnings(Vec<Problem>),
}

/// One assignment with its person and post, for a history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignmentRow {
    pub assignment: PostAssignment,
    pub person: Names,
    pub id_number: String,
    /// The post's title, or its type where it has none.
    pub post: Names,
    pub village: Names,
}

fn post_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<PostRow> {
    let n = META_COLUMNS.len() + Post::TABLE.columns.len();
    let s = |i: usize| -> rusqlite::Result<String> { r.get(n + i) };
    let holder = match r.get::<_, Option<String>>(n + 12)? {
        Some(id) => Some(Holder {
            assignment_id: uuid(&id),
            start: day(&s(13)?).unwrap_or_default(),
            agreement_end: day(&s(14)?).unwrap_or_default(),
            name: Names::of(
                r.get::<_, Option<String>>(n + 15)?.unwrap_or_default(),
                r.get::<_, Option<String>>(n + 16)?.unwrap_or_default(),
                String::new(),
            ),
            id_number: r.get::<_, Option<String>>(n + 17)?.unwrap_or_default(),
        }),
        None => None,
    };
    Ok(PostRow {
        post: entity::from_row::<Post>(r)?,
        post_type: Names::of(s(0)?, s(1)?, s(2)?),
        department: s(3)?,
        village_code: s(4)?,
        village: Names::of(s(5)?, s(6)?, String::new()),
        township: Names::of(s(7)?, s(8)?, String::new()),
        funding: Names::of(s(9)?, s(10)?, s(11)?),
        holder,
    })
}

impl Writer<'_> {
    fn one<T: rusqlite::types::FromSql>(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
    ) -> Result<Option<T>> {
        self.tx
            .prepare_cached(sql)
            .and_then(|mut st| st.query_row(params, |r| r.get(0)).optional())
            .map_err(|e| self.err(e))
    }

    fn row_exists_live(&self, table: &str, id: Uuid) -> Result<bool> {
        Ok(self
            .one::<i64>(
                &format!("SELECT 1 FROM {table} WHERE id = ?1 AND deleted_at IS NULL"),
                [id.to_string()],
            )?
            .is_some())
    }

    fn setting_value(&self, s: Setting) -> Result<i64> {
        let v: Option<String> = self.one("SELECT value FROM settings WHERE key = ?1", [s.key])?;
        Ok(s.read(v.as_deref()))
    }

    /// What a post's status should be: closed once it has a closing date,
    /// filled while someone holds it, else open.
    fn post_status(&self, post_id: Uuid, closed_on: Option<NaiveDate>) -> Result<String> {
        if closed_on.is_some() {
            return Ok("closed".to_owned());
        }
        let held = self
            .one::<i64>(
                "SELECT 1 FROM post_assignment WHERE post_id = ?1 AND end_date IS NULL
                 AND deleted_at IS NULL",
                [post_id.to_string()],
            )?
            .is_some();
        Ok(if held { "filled" } else { "open" }.to_owned())
    }

    /// The rules across rows of the posts tables for a row about to be
    /// saved (`get` gives its own columns as stored text; `new` when the
    /// row is not yet in the table): the first broken, if any.
    pub(crate) fn post_rules(
        &self,
        table: &Table,
        id: Uuid,
        get: &dyn Fn(&str) -> String,
        new: bool,
    ) -> Result<Option<Problem>> {
        match table.name {
            "post_assignment" => self.assignment_rules(id, get, new),
            "post_attendance" => self.month_rules(id, get, "post_attendance"),
            "subsidy_payment" => self.month_rules(id, get, "subsidy_payment"),
            "post" => {
                if get("closed_on").is_empty() {
                    return Ok(None);
                }
                let holder: Option<(String, String)> = self
                    .tx
                    .query_row(
                        "SELECT pe.name_zh, pe.name_bo FROM post_assignment a
                         JOIN person pe ON pe.id = a.person_id
                         WHERE a.post_id = ?1 AND a.end_date IS NULL AND a.deleted_at IS NULL",
                        [id.to_string()],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()
                    .map_err(|e| self.err(e))?;
                Ok(holder.map(|(zh, bo)| {
                    Problem::error("post.error.close_held")
                        .on("closed_on")
                        .arg("name", one_name(zh, bo))
                }))
            }
            _ => Ok(None),
        }
    }

    fn assignment_rules(
        &self,
        id: Uuid,
        get: &dyn Fn(&str) -> String,
        new: bool,
    ) -> Result<Option<Problem>> {
        let (Some(start), Some(agreement_end)) =
            (day(&get("start_date")), day(&get("agreement_end")))
        else {
            return Ok(None);
        };
        let left = day(&get("end_date"));
        let post_id = get("post_id");
        let person_id = get("person_id");
        // The post is open for it: not deleted, not closed before it starts.
        let post: Option<(Option<String>, Option<String>)> = self
            .tx
            .query_row(
                "SELECT closed_on, deleted_at FROM post WHERE id = ?1",
                [&post_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        if let Some((closed, deleted)) = post {
            if deleted.is_some() {
                return Ok(Some(
                    Problem::error("assignment.error.post_deleted").on("post_id"),
                ));
            }
            if let Some(closed) = closed.as_deref().and_then(day)
                && (left.is_none() || start > closed)
            {
                return Ok(Some(
                    Problem::error("assignment.error.post_closed")
                        .on("post_id")
                        .arg("date", closed),
                ));
            }
        }
        // No two holders of one post, and no two posts of one person, at
        // any time: periods run from the start to the day they left (open
        // while they hold it).
        let until = left.map_or("9999-12-31".to_owned(), |d| d.to_string());
        let overlap = |column: &str| -> Result<Option<Problem>> {
            let sql = format!(
                "SELECT a.start_date, a.end_date, pe.name_zh, pe.name_bo, p.title,
                        pt.name_zh, pt.name_bo, v.name_zh, v.name_bo
                 FROM post_assignment a JOIN person pe ON pe.id = a.person_id
                 JOIN post p ON p.id = a.post_id JOIN post_type pt ON pt.id = p.post_type_id
                 JOIN village v ON v.id = p.village_id
                 WHERE a.{column} = ?1 AND a.id <> ?2 AND a.deleted_at IS NULL
                   AND a.start_date <= ?3 AND coalesce(a.end_date, '9999-12-31') >= ?4
                 ORDER BY a.start_date LIMIT 1"
            );
            let value = if column == "post_id" {
                &post_id
            } else {
                &person_id
            };
            let found: Option<[Option<String>; 9]> = self
                .tx
                .prepare_cached(&sql)
                .and_then(|mut st| {
                    st.query_row(
                        rusqlite::params![value, id.to_string(), until, start.to_string()],
                        |r| {
                            Ok([
                                r.get(0)?,
                                r.get(1)?,
                                r.get(2)?,
                                r.get(3)?,
                                r.get(4)?,
                                r.get(5)?,
                                r.get(6)?,
                                r.get(7)?,
                                r.get(8)?,
                            ])
                        },
                    )
                    .optional()
                })
                .map_err(|e| self.err(e))?;
            let Some(f) = found else { return Ok(None) };
            let t = |i: usize| f[i].clone().unwrap_or_default();
            let name = one_name(t(2), t(3));
            let post = if t(4).is_empty() {
                one_name(t(5), t(6))
            } else {
                t(4)
            };
            let village = one_name(t(7), t(8));
            let p = match (column, f[1].is_none()) {
                ("post_id", true) => Problem::error("assignment.error.post_held")
                    .on("post_id")
                    .arg("name", name)
                    .arg("start", t(0)),
                ("post_id", false) => Problem::error("assignment.error.post_held_then")
                    .on("start_date")
                    .arg("name", name)
                    .arg("start", t(0))
                    .arg("end", t(1)),
                (_, true) => Problem::error("assignment.error.person_holds")
                    .on("person_id")
                    .arg("name", name)
                    .arg("post", post)
                    .arg("village", village)
                    .arg("start", t(0)),
                (_, false) => Problem::error("assignment.error.person_held_then")
                    .on("start_date")
                    .arg("name", name)
                    .arg("post", post)
                    .arg("start", t(0))
                    .arg("end", t(1)),
            };
            Ok(Some(p))
        };
        if let Some(p) = overlap("post_id")? {
            return Ok(Some(p));
        }
        if let Some(p) = overlap("person_id")? {
            return Ok(Some(p));
        }
        if new {
            // A person without a birth date is asked about, not refused
            // (see `assignment_warnings`).
            let birth: Option<String> = self
                .one::<Option<String>>("SELECT birth_date FROM person WHERE id = ?1", [&person_id])?
                .flatten();
            let max = self.setting_value(posts::MAX_NEW_HOLDER_AGE)? as u32;
            if let Some(b) = birth.as_deref().and_then(day)
                && let Some(p) = posts::check_holder_age(b, start, max)
            {
                return Ok(Some(p));
            }
        }
        // Months already entered stay inside the agreement.
        let (from, to) = posts::agreement_period(start, agreement_end, left);
        for table in ["subsidy_payment", "post_attendance"] {
            let month: Option<String> = self.one(
                &format!(
                    "SELECT month FROM {table} WHERE assignment_id = ?1 AND deleted_at IS NULL
                     AND (month < ?2 OR month > ?3) ORDER BY month LIMIT 1"
                ),
                rusqlite::params![
                    id.to_string(),
                    Month::of(from).to_string(),
                    Month::of(to).to_string()
                ],
            )?;
            if let Some(m) = month {
                return Ok(Some(
                    Problem::error("assignment.error.months_outside")
                        .on("end_date")
                        .arg("month", m),
                ));
            }
        }
        Ok(None)
    }

    /// A month's attendance or subsidy: inside the agreement, entered once,
    /// and (attendance) not changed once the month is paid.
    fn month_rules(
        &self,
        id: Uuid,
        get: &dyn Fn(&str) -> String,
        table: &str,
    ) -> Result<Option<Problem>> {
        let Some(month) = Month::parse(&get("month")) else {
            return Ok(None);
        };
        let assignment = get("assignment_id");
        let found: Option<(String, String, Option<String>, String, String)> = self
            .tx
            .query_row(
                "SELECT a.start_date, a.agreement_end, a.end_date, pe.name_zh, pe.name_bo
                 FROM post_assignment a JOIN person pe ON pe.id = a.person_id WHERE a.id = ?1",
                [&assignment],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        let Some((start, agreement_end, left, zh, bo)) = found else {
            return Ok(None);
        };
        let name = one_name(zh, bo);
        let (Some(start), Some(agreement_end)) = (day(&start), day(&agreement_end)) else {
            return Ok(None);
        };
        let (from, to) =
            posts::agreement_period(start, agreement_end, left.as_deref().and_then(day));
        let prefix = if table == "post_attendance" {
            "attendance"
        } else {
            "payment"
        };
        if posts::days_inside(month, from, to) == 0 {
            let key = if prefix == "attendance" {
                "post_attendance.error.outside_agreement"
            } else {
                "payment.error.outside_agreement"
            };
            return Ok(Some(
                Problem::error(key)
                    .on("month")
                    .arg("name", name)
                    .arg("month", month)
                    .arg("start", from)
                    .arg("end", to),
            ));
        }
        let twice: Option<i64> = self.one(
            &format!(
                "SELECT 1 FROM {table} WHERE assignment_id = ?1 AND month = ?2 AND id <> ?3
                 AND deleted_at IS NULL"
            ),
            rusqlite::params![assignment, month.to_string(), id.to_string()],
        )?;
        if twice.is_some() {
            let key = if prefix == "attendance" {
                "post_attendance.error.twice"
            } else {
                "payment.error.twice"
            };
            return Ok(Some(
                Problem::error(key)
                    .on("month")
                    .arg("name", name)
                    .arg("month", month),
            ));
        }
        if prefix == "attendance" {
            let paid: Option<String> = self.one(
                "SELECT paid_on FROM subsidy_payment WHERE assignment_id = ?1 AND month = ?2
                 AND deleted_at IS NULL AND paid_on IS NOT NULL",
                rusqlite::params![assignment, month.to_string()],
            )?;
            if let Some(date) = paid {
                return Ok(Some(
                    Problem::error("post_attendance.error.paid")
                        .on("days_worked")
                        .arg("name", name)
                        .arg("month", month)
                        .arg("date", date),
                ));
            }
        }
        Ok(None)
    }

    /// After a save: a post's status follows its holders and closing date.
    pub(crate) fn after_post_save(
        &mut self,
        table: &Table,
        get: &dyn Fn(&str) -> String,
    ) -> Result<()> {
        let post_id = match table.name {
            "post_assignment" => get("post_id"),
            _ => return Ok(()),
        };
        let Some(mut post) = self.get_post(&post_id)? else {
            return Ok(());
        };
        let status = self.post_status(post.meta.id, post.closed_on)?;
        if post.status != status {
            post.status = status;
            self.save(&mut post)?;
        }
        Ok(())
    }

    fn get_post(&self, id: &str) -> Result<Option<Post>> {
        let sql = format!(
            "SELECT {} FROM post WHERE id = ?1 AND deleted_at IS NULL",
            entity::select_list::<Post>()
        );
        self.tx
            .prepare_cached(&sql)
            .and_then(|mut st| st.query_row([id], entity::from_row::<Post>).optional())
            .map_err(|e| self.err(e))
    }

    /// What a clerk is asked to acknowledge before a person takes a post.
    fn assignment_warnings(&self, a: &PostAssignment) -> Result<Vec<Problem>> {
        let mut out = Vec::new();
        let person: Option<(Option<String>, i64, String)> = self
            .tx
            .query_row(
                "SELECT p.birth_date, h.registered_poor, h.id FROM person p
                 JOIN household h ON h.id = p.household_id WHERE p.id = ?1",
                [a.person_id.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        let Some((birth, poor, household)) = person else {
            return Ok(out);
        };
        if poor == 0 {
            out.push(Problem::warning("assignment.warning.not_poor").on("person_id"));
        }
        let other: Option<(String, String, String, String, String)> = self
            .tx
            .query_row(
                "SELECT pe.name_zh, pe.name_bo, p.title, pt.name_zh, pt.name_bo
                 FROM post_assignment a JOIN person pe ON pe.id = a.person_id
                 JOIN post p ON p.id = a.post_id JOIN post_type pt ON pt.id = p.post_type_id
                 WHERE pe.household_id = ?1 AND pe.id <> ?2 AND pe.deleted_at IS NULL
                   AND a.end_date IS NULL AND a.deleted_at IS NULL LIMIT 1",
                [household, a.person_id.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        if let Some((zh, bo, title, tzh, tbo)) = other {
            let post = if title.is_empty() {
                one_name(tzh, tbo)
            } else {
                title
            };
            out.push(
                Problem::warning("assignment.warning.household_holds")
                    .on("person_id")
                    .arg("name", one_name(zh, bo))
                    .arg("post", post),
            );
        }
        if birth.as_deref().and_then(day).is_none() {
            out.push(Problem::warning("assignment.warning.age_unknown").on("person_id"));
        }
        Ok(out)
    }
}
