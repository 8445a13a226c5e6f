//! Households and their members.

use chrono::NaiveDate;
use rusqlite::OptionalExtension;
use uuid::Uuid;

use super::{META_COLUMNS, Result, Store, entity};
use crate::domain::records::{Household, Person};
use crate::domain::table::Record;

impl Store {
    /// A household by its registered number, deleted or not.
    pub fn household_by_number(&self, number: &str) -> Result<Option<Household>> {
        let sql = format!(
            "SELECT {} FROM household WHERE number = ?1",
            entity::select_list::<Household>()
        );
        Ok(self
            .query(&sql, [number], entity::from_row::<Household>)?
            .pop())
    }

    /// The live members of a household in roster order.
    pub fn members(&self, household_id: Uuid) -> Result<Vec<Person>> {
        let sql = format!(
            "SELECT {} FROM person WHERE household_id = ?1 AND deleted_at IS NULL ORDER BY position, id",
            entity::select_list::<Person>()
        );
        self.query(&sql, [household_id.to_string()], entity::from_row::<Person>)
    }

    /// Every live person with this resident ID number, with their household:
    /// the duplicate guard shows these before a second entry is saved.
    pub fn find_by_id_number(&self, id_number: &str) -> Result<Vec<(Person, Household)>> {
        let sql = format!(
            "SELECT {}, h.id FROM person p JOIN household h ON h.id = p.household_id
             WHERE p.id_number = ?1 AND p.deleted_at IS NULL ORDER BY p.id",
            entity::select_list::<Person>()
                .split(", ")
                .map(|c| format!("p.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let found = self.query(
            &sql,
            [id_number.trim().to_uppercase()],
            entity::from_row::<Person>,
        )?;
        let mut out = Vec::with_capacity(found.len());
        for p in found {
            if let Some(h) = self.get_any::<Household>(p.household_id)? {
                out.push((p, h));
            }
        }
        Ok(out)
    }

    /// Saves a household, its roster in the order given, and deletes the
    /// members in `removed` (tombstones): one transaction.
    pub fn save_roster(
        &mut self,
        household: &mut Household,
        members: &mut [Person],
        removed: &[Uuid],
    ) -> Result<()> {
        self.write_with(household, members, |w, household, members| {
            w.save(household)?;
            for (i, m) in members.iter_mut().enumerate() {
                m.household_id = household.meta.id;
                m.position = i as i64;
                w.save(m)?;
            }
            for id in removed {
                w.delete::<Person>(*id)?;
            }
            // Its head is checked at commit, even if no member changed.
            w.heads_due(household.meta.id.to_string());
            Ok(())
        })
    }

    /// Saves a household and its roster together. Members not in `members`
    /// but in the database stay as they are (removing one is a delete).
    /// Positions are renumbered from the order given. As with
    /// [`Store::save_roster`], the household then has exactly one head, or
    /// nothing is saved.
    pub fn save_household(
        &mut self,
        household: &mut Household,
        members: &mut [Person],
    ) -> Result<()> {
        self.write_with(household, members, |w, household, members| {
            w.save(household)?;
            for (i, m) in members.iter_mut().enumerate() {
                m.household_id = household.meta.id;
                m.position = i as i64;
                w.save(m)?;
            }
            w.heads_due(household.meta.id.to_string());
            Ok(())
        })
    }
}

/// Above this many households to check at commit (a bulk load), one pass
/// over the persons finds those without exactly one head, instead of a
/// query per household.
const HEADS_BY_SCAN: usize = 256;

impl super::Writer<'_> {
    /// A household with members has exactly one head. Every write that
    /// adds, removes, moves or changes the relation of a person notes its
    /// household (both, for a move) with [`Self::heads_due`], and
    /// [`Store::write`] checks them all before it commits: whichever path
    /// saves, no transaction leaves a household with two heads, or with
    /// members and none.
    pub fn one_head(&self, household_id: Uuid) -> Result<()> {
        self.one_head_of(&household_id.to_string())
    }

    fn one_head_of(&self, household_id: &str) -> Result<()> {
        let (members, heads): (i64, i64) = self
            .tx
            .prepare_cached(
                "SELECT count(*), count(*) FILTER (WHERE relation = 'head') FROM person \
                 WHERE household_id = ?1 AND deleted_at IS NULL",
            )
            .and_then(|mut s| s.query_row([household_id], |r| Ok((r.get(0)?, r.get(1)?))))
            .map_err(|e| self.err(e))?;
        if members > 0 && heads != 1 {
            let problem = if heads == 0 {
                crate::domain::Problem::error("household.error.no_head")
            } else {
                crate::domain::Problem::error("household.error.heads").arg("n", heads)
            };
            return Err(super::StoreError::Invalid {
                path: self.path.to_path_buf(),
                table: "person".to_owned(),
                problem: Box::new(problem.on("relation")),
            });
        }
        Ok(())
    }

    /// Notes a household whose head is checked when this transaction commits.
    pub(crate) fn heads_due(&mut self, household_id: String) {
        if !household_id.is_empty() {
            self.heads_due.insert(household_id);
        }
    }

    /// Checks every household noted by [`Self::heads_due`] (called by
    /// [`Store::write`] before it commits).
    pub(crate) fn check_heads(&mut self) -> Result<()> {
        let due = std::mem::take(&mut self.heads_due);
        if due.len() <= HEADS_BY_SCAN {
            return due.iter().try_for_each(|h| self.one_head_of(h));
        }
        for h in self.households_without_one_head()? {
            if due.contains(&h.0) {
                self.one_head_of(&h.0)?;
            }
        }
        Ok(())
    }

    /// Every household with live members and not exactly one head among
    /// them: (household id, heads), in id order. One pass over the persons.
    pub fn households_without_one_head(&self) -> Result<Vec<(String, i64)>> {
        self.tx
            .prepare_cached(
                "SELECT household_id, count(*) FILTER (WHERE relation = 'head') AS heads \
                 FROM person WHERE deleted_at IS NULL GROUP BY household_id HAVING heads <> 1 \
                 ORDER BY household_id",
            )
            .and_then(|mut s| {
                s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<rusqlite::Result<Vec<_>>>()
            })
            .map_err(|e| self.err(e))
    }

    /// A household's registered number (its id if it has no row).
    pub fn household_number(&self, household_id: &str) -> Result<String> {
        let number: Option<String> = self
            .tx
            .query_row(
                "SELECT number FROM household WHERE id = ?1",
                [household_id],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        Ok(number.unwrap_or_else(|| household_id.to_owned()))
    }
}

/// Which households the register shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HouseholdQuery {
    pub township_id: Option<Uuid>,
    pub village_id: Option<Uuid>,
    pub registered_poor: Option<bool>,
    /// Only households with no visit in this survey round (e.g. `2026-start`).
    pub not_visited_in: Option<String>,
    pub sort: HouseholdSort,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum HouseholdSort {
    #[default]
    Number,
    HeadName,
    /// Never visited first, then oldest visit first: who needs a visit.
    LastVisit,
}

impl HouseholdSort {
    fn column(self) -> &'static str {
        match self {
            HouseholdSort::Number => "h.number",
            HouseholdSort::HeadName => "h.head_name",
            HouseholdSort::LastVisit => "h.last_visit",
        }
    }
}

/// Where a page of the register starts: keyset paging, so page-down costs
/// the same at the end of 100,000 households as at the start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page<'a> {
    First,
    Last,
    After(&'a PageKey),
    Before(&'a PageKey),
}

/// The sort position of one row: its sort value and its (unique) number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageKey {
    pub sort: String,
    pub number: String,
}

/// One line of the household register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdRow {
    pub household: Household,
    pub head_name: String,
    pub last_visit: Option<NaiveDate>,
    pub village_zh: String,
    pub village_bo: String,
    pub members: i64,
}

impl HouseholdRow {
    pub fn key(&self, sort: HouseholdSort) -> PageKey {
        let sort = match sort {
            HouseholdSort::Number => self.household.number.clone(),
            HouseholdSort::HeadName => self.head_name.clone(),
            HouseholdSort::LastVisit => self.last_visit.map(|d| d.to_string()).unwrap_or_default(),
        };
        PageKey {
            sort,
            number: self.household.number.clone(),
        }
    }
}

impl HouseholdQuery {
    /// The WHERE clause (live households matching the filters) and its parameters.
    fn filter(&self) -> (String, Vec<String>) {
        let mut sql = String::from("h.deleted_at IS NULL");
        let mut params = Vec::new();
        if let Some(v) = self.village_id {
            sql.push_str(" AND h.village_id = ?");
            params.push(v.to_string());
        } else if let Some(t) = self.township_id {
            sql.push_str(" AND h.village_id IN (SELECT id FROM village WHERE township_id = ?)");
            params.push(t.to_string());
        }
        if let Some(p) = self.registered_poor {
            sql.push_str(if p {
                " AND h.registered_poor = 1"
            } else {
                " AND h.registered_poor = 0"
            });
        }
        if let Some(round) = &self.not_visited_in {
            sql.push_str(
                " AND NOT EXISTS (SELECT 1 FROM visit v WHERE v.household_id = h.id AND v.round = ? AND v.deleted_at IS NULL)",
            );
            params.push(round.clone());
        }
        (sql, params)
    }
}

impl Store {
    /// Number of households the query matches.
    pub fn households_count(&self, q: &HouseholdQuery) -> Result<u64> {
        let (filter, params) = q.filter();
        let sql = format!("SELECT count(*) FROM household h WHERE {filter}");
        let n: Vec<i64> = self.query(&sql, rusqlite::params_from_iter(params), |r| r.get(0))?;
        Ok(n.first().copied().unwrap_or(0) as u64)
    }

    /// One page of the register, in sort order. Only the page is read.
    pub fn households_page(
        &self,
        q: &HouseholdQuery,
        page: Page<'_>,
        limit: usize,
    ) -> Result<Vec<HouseholdRow>> {
        let (mut filter, mut params) = q.filter();
        let col = q.sort.column();
        let backward = matches!(page, Page::Last | Page::Before(_));
        match page {
            Page::After(k) => {
                filter.push_str(&format!(" AND ({col}, h.number) > (?, ?)"));
                params.extend([k.sort.clone(), k.number.clone()]);
            }
            Page::Before(k) => {
                filter.push_str(&format!(" AND ({col}, h.number) < (?, ?)"));
                params.extend([k.sort.clone(), k.number.clone()]);
            }
            Page::First | Page::Last => {}
        }
        let dir = if backward { "DESC" } else { "ASC" };
        let cols = entity::select_list::<Household>()
            .split(", ")
            .map(|c| format!("h.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT {cols}, h.head_name, h.last_visit, vl.name_zh, vl.name_bo,
                    (SELECT count(*) FROM person p WHERE p.household_id = h.id AND p.deleted_at IS NULL)
             FROM household h JOIN village vl ON vl.id = h.village_id
             WHERE {filter} ORDER BY {col} {dir}, h.number {dir} LIMIT {limit}"
        );
        let n = META_COLUMNS.len() + Household::TABLE.columns.len();
        let mut rows = self.query(&sql, rusqlite::params_from_iter(params), |r| {
            let last: String = r.get(n + 1)?;
            Ok(HouseholdRow {
                household: entity::from_row::<Household>(r)?,
                head_name: r.get(n)?,
                last_visit: NaiveDate::parse_from_str(&last, "%Y-%m-%d").ok(),
                village_zh: r.get(n + 2)?,
                village_bo: r.get(n + 3)?,
                members: r.get(n + 4)?,
            })
        })?;
        if backward {
            rows.reverse();
        }
        Ok(rows)
    }
}
