//! The month of a post: attendance per village, the payroll per township
//! prepared from it and then paid, totals, and the villages against the
//! county's standard.

use chrono::NaiveDate;
use rusqlite::OptionalExtension;
use uuid::Uuid;

use super::{Names, day, uuid};
use crate::domain::Problem;
use crate::domain::posts::{self, Month};
use crate::domain::records::{PostAssignment, PostAttendance, RowMeta, SubsidyPayment};
use crate::domain::table::Record;
use crate::store::{META_COLUMNS, Result, Store, StoreError, Writer, entity};

/// One holder's line on a village's attendance sheet for a month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetLine {
    pub assignment: PostAssignment,
    pub person: Names,
    pub id_number: String,
    /// The post's title, or its type.
    pub post: Names,
    pub required_days: i64,
    pub monthly_subsidy_fen: i64,
    /// Calendar days of the month inside the agreement.
    pub agreement_days: i64,
    /// The days worked as entered, if they are.
    pub attendance: Option<PostAttendance>,
    /// When the month was paid, if it was (the line is then final).
    pub paid_on: Option<NaiveDate>,
}

impl SheetLine {
    /// The month's subsidy for `days` worked.
    pub fn subsidy(&self, days: i64) -> posts::Subsidy {
        posts::month_subsidy(
            self.monthly_subsidy_fen,
            self.required_days,
            days,
            self.agreement_days,
        )
    }
}

/// The holders of a village's posts whose agreement covers some of a
/// month (`?1` village, `?2` first day, `?3` last day).
const HOLDERS_OF_MONTH: &str = "a.deleted_at IS NULL AND a.start_date <= ?3
    AND a.agreement_end >= ?2 AND (a.end_date IS NULL OR a.end_date >= ?2)";

/// One line of a month's payroll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayrollLine {
    pub payment: SubsidyPayment,
    pub person: Names,
    pub id_number: String,
    pub post: Names,
    pub village: Names,
    pub township: Names,
    pub township_code: String,
    pub start: NaiveDate,
    /// The agreement's last day, or the day the holder left if earlier.
    pub end: NaiveDate,
}

/// What preparing a payroll did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prepared {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Entries already paid: left as they are.
    pub paid: u64,
    /// Holders of the month with no attendance entered: no entry made.
    pub missing: u64,
    pub total_fen: i64,
}

/// How the totals are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TotalsBy {
    Township,
    Village,
    PostType,
    Department,
    FundingSource,
    Year,
}

impl TotalsBy {
    pub const ALL: [TotalsBy; 6] = [
        TotalsBy::Township,
        TotalsBy::Village,
        TotalsBy::PostType,
        TotalsBy::Department,
        TotalsBy::FundingSource,
        TotalsBy::Year,
    ];

    /// Key, Chinese, Tibetan and English names of the group, in SQL.
    fn columns(self) -> &'static str {
        match self {
            TotalsBy::Township => "t.code, t.name_zh, t.name_bo, ''",
            TotalsBy::Village => "v.code, v.name_zh, v.name_bo, ''",
            TotalsBy::PostType => "pt.code, pt.name_zh, pt.name_bo, pt.name_en",
            TotalsBy::Department => "pt.department, '', '', ''",
            TotalsBy::FundingSource => {
                "coalesce(fs.code, ''), coalesce(fs.name_zh, ''), coalesce(fs.name_bo, ''), coalesce(fs.name_en, '')"
            }
            TotalsBy::Year => "substr(sp.month, 1, 4), '', '', ''",
        }
    }
}

/// One group's totals of subsidy entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TotalsLine {
    /// The group's code (township or village code, post type code,
    /// department code, funding source code, year).
    pub key: String,
    pub names: Names,
    pub posts: i64,
    pub persons: i64,
    pub entries: i64,
    pub amount_fen: i64,
    pub paid_fen: i64,
}

/// A village and its posts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VillagePosts {
    pub village_id: Uuid,
    pub code: String,
    pub village: Names,
    pub township: Names,
    pub exit_year: Option<i64>,
    /// Posts not closed.
    pub posts: i64,
    /// Of them, held now.
    pub filled: i64,
}

impl VillagePosts {
    pub fn vacant(&self) -> i64 {
        self.posts - self.filled
    }
}

impl Store {
    /// A village's attendance sheet for a month: every holder whose
    /// agreement covers some of it, one line each, by post and name.
    pub fn attendance_sheet(&self, village_id: Uuid, month: Month) -> Result<Vec<SheetLine>> {
        let sql = format!(
            "SELECT {}, pe.name_zh, pe.name_bo, pe.id_number, p.title, pt.name_zh, pt.name_bo,
                    pt.name_en, p.required_days, p.monthly_subsidy_fen,
                    att.id, att.days_worked, att.updated_at, sp.paid_on
             FROM post_assignment a JOIN post p ON p.id = a.post_id
             JOIN post_type pt ON pt.id = p.post_type_id JOIN person pe ON pe.id = a.person_id
             LEFT JOIN post_attendance att ON att.assignment_id = a.id AND att.month = ?4
                  AND att.deleted_at IS NULL
             LEFT JOIN subsidy_payment sp ON sp.assignment_id = a.id AND sp.month = ?4
                  AND sp.deleted_at IS NULL
             WHERE p.village_id = ?1 AND p.deleted_at IS NULL AND {HOLDERS_OF_MONTH}
             ORDER BY pt.code, p.title, p.id, a.start_date",
            entity::select_list_as::<PostAssignment>("a")
        );
        let n = META_COLUMNS.len() + PostAssignment::TABLE.columns.len();
        let first = month.first.to_string();
        let last = month.last().to_string();
        let m = month.to_string();
        self.query(
            &sql,
            rusqlite::params![village_id.to_string(), first, last, m],
            |r| {
                let assignment = entity::from_row::<PostAssignment>(r)?;
                let (from, to) = posts::agreement_period(
                    assignment.start_date,
                    assignment.agreement_end,
                    assignment.end_date,
                );
                let title: String = r.get(n + 3)?;
                let post_type = Names::of(r.get(n + 4)?, r.get(n + 5)?, r.get(n + 6)?);
                let attendance = match r.get::<_, Option<String>>(n + 9)? {
                    Some(id) => {
                        let mut meta = RowMeta::with_id(uuid(&id));
                        meta.updated_at = r.get(n + 11)?;
                        Some(PostAttendance {
                            meta,
                            assignment_id: assignment.meta.id,
                            month: m.clone(),
                            days_worked: r.get(n + 10)?,
                        })
                    }
                    None => None,
                };
                Ok(SheetLine {
                    person: Names::of(r.get(n)?, r.get(n + 1)?, String::new()),
                    id_number: r.get(n + 2)?,
                    post: if title.is_empty() {
                        post_type
                    } else {
                        Names::of(title.clone(), String::new(), title)
                    },
                    required_days: r.get(n + 7)?,
                    monthly_subsidy_fen: r.get(n + 8)?,
                    agreement_days: posts::days_inside(month, from, to),
                    attendance,
                    paid_on: r.get::<_, Option<String>>(n + 12)?.as_deref().and_then(day),
                    assignment,
                })
            },
        )
    }

    /// Saves a month's attendance for the holders given (`None` clears a
    /// line): one transaction, so a sheet is saved whole or not at all.
    pub fn save_attendance(&mut self, month: Month, days: &[(Uuid, Option<i64>)]) -> Result<u64> {
        self.write(|w| {
            let mut changed = 0;
            for (assignment, worked) in days {
                let existing = w.attendance_of(*assignment, month)?;
                match (existing, worked) {
                    (None, None) => {}
                    (Some(a), None) => {
                        w.delete::<PostAttendance>(a.meta.id)?;
                        changed += 1;
                    }
                    (Some(mut a), Some(d)) => {
                        if a.days_worked != *d {
                            a.days_worked = *d;
                            w.save(&mut a)?;
                            changed += 1;
                        }
                    }
                    (None, Some(d)) => {
                        let mut a = PostAttendance {
                            meta: RowMeta::new(),
                            assignment_id: *assignment,
                            month: month.to_string(),
                            days_worked: *d,
                        };
                        w.save(&mut a)?;
                        changed += 1;
                    }
                }
            }
            Ok(changed)
        })
    }

    /// Prepares a township's payroll for a month: an unpaid entry for every
    /// holder whose attendance is entered, the amount from the formula
    /// ([`posts::month_subsidy`]); an unpaid entry already there is brought
    /// up to date, a paid one left alone. One transaction.
    pub fn prepare_payroll(&mut self, township_id: Uuid, month: Month) -> Result<Prepared> {
        self.write(|w| {
            let mut report = Prepared::default();
            let sql = format!(
                "SELECT {}, att.days_worked, p.monthly_subsidy_fen, p.required_days
                 FROM post_attendance att JOIN post_assignment a ON a.id = att.assignment_id
                 JOIN post p ON p.id = a.post_id JOIN village v ON v.id = p.village_id
                 WHERE att.month = ?1 AND att.deleted_at IS NULL AND a.deleted_at IS NULL
                   AND p.deleted_at IS NULL AND v.township_id = ?2
                 ORDER BY a.id",
                entity::select_list_as::<PostAssignment>("a")
            );
            let n = META_COLUMNS.len() + PostAssignment::TABLE.columns.len();
            let lines: Vec<(PostAssignment, i64, i64, i64)> =
                w.tx.prepare_cached(&sql)
                    .and_then(|mut st| {
                        st.query_map(
                            rusqlite::params![month.to_string(), township_id.to_string()],
                            |r| {
                                Ok((
                                    entity::from_row::<PostAssignment>(r)?,
                                    r.get(n)?,
                                    r.get(n + 1)?,
                                    r.get(n + 2)?,
                                ))
                            },
                        )?
                        .collect()
                    })
                    .map_err(|e| w.err(e))?;
            for (a, worked, standard, required) in lines {
                let (from, to) = posts::agreement_period(a.start_date, a.agreement_end, a.end_date);
                let s = posts::month_subsidy(
                    standard,
                    required,
                    worked,
                    posts::days_inside(month, from, to),
                );
                let mut entry = match w.payment_of(a.meta.id, month)? {
                    Some(p) if p.paid_on.is_some() => {
                        report.paid += 1;
                        report.total_fen += p.amount_fen;
                        continue;
                    }
                    Some(p) => p,
                    None => SubsidyPayment {
                        meta: RowMeta::new(),
                        assignment_id: a.meta.id,
                        month: month.to_string(),
                        ..SubsidyPayment::default()
                    },
                };
                let before = entry.clone();
                entry.amount_fen = s.amount_fen;
                entry.days_worked = worked;
                entry.required_days = required;
                entry.days_counted = s.days_counted;
                entry.standard_fen = standard;
                report.total_fen += s.amount_fen;
                if entry.meta.updated_at.is_empty() {
                    report.created += 1;
                } else if entry == before {
                    report.unchanged += 1;
                    continue;
                } else {
                    report.updated += 1;
                }
                w.save(&mut entry)?;
            }
            report.missing = w.missing_attendance(township_id, month)?;
            Ok(report)
        })
    }

    /// The holders of a township's posts in a month whose attendance is not
    /// entered yet (who would get nothing if the payroll were prepared now).
    pub fn missing_attendance(&self, township_id: Uuid, month: Month) -> Result<u64> {
        missing(&self.conn, township_id, month, |e| self.err(e))
    }

    /// The month's payroll, of one township or the whole county, in the
    /// order counties post it: by township, village, post and name.
    pub fn payroll(&self, township_id: Option<Uuid>, month: Month) -> Result<Vec<PayrollLine>> {
        let filter = if township_id.is_some() {
            "AND v.township_id = ?2"
        } else {
            "AND ?2 IS NULL"
        };
        let sql = format!(
            "SELECT {}, pe.name_zh, pe.name_bo, pe.id_number, p.title, pt.name_zh, pt.name_bo,
                    pt.name_en, v.name_zh, v.name_bo, t.name_zh, t.name_bo, t.code,
                    a.start_date, a.agreement_end, a.end_date
             FROM subsidy_payment sp JOIN post_assignment a ON a.id = sp.assignment_id
             JOIN person pe ON pe.id = a.person_id JOIN post p ON p.id = a.post_id
             JOIN post_type pt ON pt.id = p.post_type_id JOIN village v ON v.id = p.village_id
             JOIN township t ON t.id = v.township_id
             WHERE sp.month = ?1 AND sp.deleted_at IS NULL {filter}
             ORDER BY t.code, v.code, pt.code, p.title, p.id, sp.id",
            entity::select_list_as::<SubsidyPayment>("sp")
        );
        let n = META_COLUMNS.len() + SubsidyPayment::TABLE.columns.len();
        self.query(
            &sql,
            rusqlite::params![month.to_string(), township_id.map(|t| t.to_string())],
            |r| {
                let title: String = r.get(n + 3)?;
                let post_type = Names::of(r.get(n + 4)?, r.get(n + 5)?, r.get(n + 6)?);
                let start = day(&r.get::<_, String>(n + 12)?).unwrap_or_default();
                let agreement_end = day(&r.get::<_, String>(n + 13)?).unwrap_or_default();
                let left = r.get::<_, Option<String>>(n + 14)?.as_deref().and_then(day);
                let (start, end) = posts::agreement_period(start, agreement_end, left);
                Ok(PayrollLine {
                    payment: entity::from_row::<SubsidyPayment>(r)?,
                    person: Names::of(r.get(n)?, r.get(n + 1)?, String::new()),
                    id_number: r.get(n + 2)?,
                    post: if title.is_empty() {
                        post_type
                    } else {
                        Names::of(title.clone(), String::new(), title)
                    },
                    village: Names::of(r.get(n + 7)?, r.get(n + 8)?, String::new()),
                    township: Names::of(r.get(n + 9)?, r.get(n + 10)?, String::new()),
                    township_code: r.get(n + 11)?,
                    start,
                    end,
                })
            },
        )
    }

    /// Marks a township's unpaid entries of a month paid (or only the entry
    /// `only`): the day and the bank or social-security card transfer. One
    /// transaction; the count marked.
    pub fn mark_paid(
        &mut self,
        township_id: Uuid,
        month: Month,
        only: Option<Uuid>,
        paid_on: NaiveDate,
        via: &str,
        reference: &str,
    ) -> Result<u64> {
        let path = self.path.clone();
        if paid_on < month.first {
            return Err(StoreError::Invalid {
                path,
                table: SubsidyPayment::TABLE.name.to_owned(),
                problem: Box::new(
                    Problem::error("payment.error.paid_before_month")
                        .on("paid_on")
                        .arg("date", paid_on)
                        .arg("month", month),
                ),
            });
        }
        let lines = self.payroll(Some(township_id), month)?;
        self.write(|w| {
            let mut marked = 0;
            for line in lines {
                let mut p = line.payment;
                if p.paid_on.is_some() || only.is_some_and(|id| id != p.meta.id) {
                    continue;
                }
                p.paid_on = Some(paid_on);
                p.paid_via = via.to_owned();
                p.paid_ref = reference.trim().to_owned();
                w.save(&mut p)?;
                marked += 1;
            }
            Ok(marked)
        })
    }

    /// Totals of the subsidy entries, by `by`, of one year or all.
    pub fn post_totals(&self, by: TotalsBy, year: Option<i32>) -> Result<Vec<TotalsLine>> {
        let cols = by.columns();
        let (from, to) = match year {
            Some(y) => (format!("{y:04}-01"), format!("{y:04}-12")),
            None => ("0000-01".to_owned(), "9999-12".to_owned()),
        };
        let sql = format!(
            "SELECT {cols}, count(DISTINCT a.post_id), count(DISTINCT a.person_id), count(*),
                    sum(sp.amount_fen), sum(CASE WHEN sp.paid_on IS NULL THEN 0 ELSE sp.amount_fen END)
             FROM subsidy_payment sp JOIN post_assignment a ON a.id = sp.assignment_id
             JOIN post p ON p.id = a.post_id JOIN post_type pt ON pt.id = p.post_type_id
             JOIN village v ON v.id = p.village_id JOIN township t ON t.id = v.township_id
             LEFT JOIN funding_source fs ON fs.id = p.funding_source_id
             WHERE sp.deleted_at IS NULL AND sp.month BETWEEN ?1 AND ?2
             GROUP BY 1 ORDER BY 1"
        );
        self.query(&sql, [from, to], |r| {
            Ok(TotalsLine {
                key: r.get(0)?,
                names: Names::of(r.get(1)?, r.get(2)?, r.get(3)?),
                posts: r.get(4)?,
                persons: r.get(5)?,
                entries: r.get(6)?,
                amount_fen: r.get(7)?,
                paid_fen: r.get(8)?,
            })
        })
    }

    /// The years that have subsidy entries, newest first.
    pub fn payroll_years(&self) -> Result<Vec<i32>> {
        self.query(
            "SELECT DISTINCT CAST(substr(month, 1, 4) AS INTEGER) FROM subsidy_payment
             WHERE deleted_at IS NULL ORDER BY 1 DESC",
            [],
            |r| r.get(0),
        )
    }

    /// The villages (of one township, or all) with their posts not closed
    /// and how many are held; with `below`, only villages that exited
    /// poverty and hold fewer posts than that (the county's standard).
    pub fn village_posts(
        &self,
        township_id: Option<Uuid>,
        below: Option<i64>,
    ) -> Result<Vec<VillagePosts>> {
        let sql = "SELECT v.id, v.code, v.name_zh, v.name_bo, t.name_zh, t.name_bo, v.exit_year,
                    (SELECT count(*) FROM post p WHERE p.village_id = v.id AND p.deleted_at IS NULL
                       AND p.closed_on IS NULL) AS posts,
                    (SELECT count(*) FROM post p JOIN post_assignment a ON a.post_id = p.id
                       AND a.end_date IS NULL AND a.deleted_at IS NULL
                     WHERE p.village_id = v.id AND p.deleted_at IS NULL AND p.closed_on IS NULL)
             FROM village v JOIN township t ON t.id = v.township_id
             WHERE v.deleted_at IS NULL AND (?1 IS NULL OR v.township_id = ?1)
               AND (?2 IS NULL OR (v.exit_year IS NOT NULL AND posts < ?2))
             ORDER BY v.code";
        self.query(
            sql,
            rusqlite::params![township_id.map(|t| t.to_string()), below],
            |r| {
                Ok(VillagePosts {
                    village_id: uuid(&r.get::<_, String>(0)?),
                    code: r.get(1)?,
                    village: Names::of(r.get(2)?, r.get(3)?, String::new()),
                    township: Names::of(r.get(4)?, r.get(5)?, String::new()),
                    exit_year: r.get(6)?,
                    posts: r.get(7)?,
                    filled: r.get(8)?,
                })
            },
        )
    }
}

fn missing(
    conn: &rusqlite::Connection,
    township_id: Uuid,
    month: Month,
    err: impl Fn(rusqlite::Error) -> StoreError,
) -> Result<u64> {
    conn.prepare_cached(&format!(
        "SELECT count(*) FROM post_assignment a JOIN post p ON p.id = a.post_id
         JOIN village v ON v.id = p.village_id
         WHERE v.township_id = ?1 AND p.deleted_at IS NULL AND {HOLDERS_OF_MONTH}
           AND NOT EXISTS (SELECT 1 FROM post_attendance att WHERE att.assignment_id = a.id
               AND att.month = ?4 AND att.deleted_at IS NULL)"
    ))
    .and_then(|mut st| {
        st.query_row(
            rusqlite::params![
                township_id.to_string(),
                month.first.to_string(),
                month.last().to_string(),
                month.to_string()
            ],
            |r| r.get::<_, i64>(0),
        )
    })
    .map(|n| n as u64)
    .map_err(err)
}

impl Writer<'_> {
    fn attendance_of(&self, assignment: Uuid, month: Month) -> Result<Option<PostAttendance>> {
        let sql = format!(
            "SELECT {} FROM post_attendance WHERE assignment_id = ?1 AND month = ?2
             AND deleted_at IS NULL",
            entity::select_list::<PostAttendance>()
        );
        self.tx
            .prepare_cached(&sql)
            .and_then(|mut st| {
                st.query_row(
                    [assignment.to_string(), month.to_string()],
                    entity::from_row::<PostAttendance>,
                )
                .optional()
            })
            .map_err(|e| self.err(e))
    }

    fn payment_of(&self, assignment: Uuid, month: Month) -> Result<Option<SubsidyPayment>> {
        let sql = format!(
            "SELECT {} FROM subsidy_payment WHERE assignment_id = ?1 AND month = ?2
             AND deleted_at IS NULL",
            entity::select_list::<SubsidyPayment>()
        );
        self.tx
            .prepare_cached(&sql)
            .and_then(|mut st| {
                st.query_row(
                    [assignment.to_string(), month.to_string()],
                    entity::from_row::<SubsidyPayment>,
                )
                .optional()
            })
            .map_err(|e| self.err(e))
    }

    fn missing_attendance(&self, township_id: Uuid, month: Month) -> Result<u64> {
        missing(&self.tx, township_id, month, |e| self.err(e))
    }
}
