//! The county's report: every figure computed from the records, never typed
//! in, for one year and one township or the whole county. The reports
//! screen and `fieldbook report` both read [`Store::report_data`] and lay
//! out the same [`Figure`]s, so their numbers cannot differ; the drill-down
//! ([`Store::drill`]) lists the rows behind a figure with the same
//! conditions the figure counts.
//!
//! What is counted, and where (a township's figures add up to the county's):
//! - households: live households of the township's villages; visited: with
//!   a live visit of the year's survey round (`YYYY-start`);
//! - labourers: live persons marked as labourers; work: persons with a
//!   spell of work overlapping the year (an employment record, or a post
//!   held), by place tier and channel, with the income of the year per
//!   person who earned one (see [`work_sql`]);
//! - training: sessions starting in the year, where they were held (the
//!   session's township, else its village's; a session with neither counts
//!   county-wide only); trainees (person-times) by where they live, by
//!   course and mode; completed among those whose session or outcome is
//!   over; minors (16 to 18 on the session's first day, as the training
//!   rules count them); employed after;
//! - posts: as of the year's last day (today for the current year): posts
//!   open then by type, department and funding source, held and vacant;
//!   subsidies paid for the year's months, and the average per holder paid;
//!   villages that exited poverty with fewer posts than the county's
//!   standard (the posts area's setting, 5 by default).

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use uuid::Uuid;

use super::posts::Names;
use super::{Result, Store};
use crate::domain::codes;
use crate::domain::posts::VILLAGE_STANDARD;
use crate::domain::records::Township;
use crate::i18n::{Catalog, Lang};

/// Place tiers of work, nearest first (programmes.md: 县内, 省内县外, 省外).
pub const PLACES: [&str; 3] = ["in_county", "in_province", "out_of_province"];
/// Channels of work, in the order the county's sheet lists them.
pub const CHANNELS: [&str; 6] = [
    "welfare_post",
    "assistance_workshop",
    "labour_cooperative",
    "organised_transfer",
    "own",
    "self_employed",
];

/// A month `YYYY-MM` (or a date) as a number of months, in SQL.
fn month_no(x: &str) -> String {
    format!("(CAST(substr({x}, 1, 4) AS INTEGER) * 12 + CAST(substr({x}, 6, 2) AS INTEGER))")
}

/// Every spell of work in `year` of a live person, with where they live
/// (`t`, `household_id`): the employment records of work (not a
/// labourer's plans) overlapping the year, and the posts held in it (a
/// post is work in the county found through a public-welfare post,
/// recorded by its assignment, not again as a record). Income of the
/// year: a record's monthly income times its months in the year (to
/// `on` while it runs), else the income it records; a post's subsidies
/// paid for the year's months. Built from numbers and dates only.
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

/// Counts of one township (or of sessions held nowhere in particular).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub households: i64,
    pub registered_poor: i64,
    pub visited: i64,
    pub labourers: i64,
    pub workers: i64,
    pub income_fen: i64,
    pub earners: i64,
    pub by_place: BTreeMap<String, i64>,
    pub by_channel: BTreeMap<String, i64>,
    pub sessions: i64,
    pub sessions_finished: i64,
    pub trainees: i64,
    pub by_course: BTreeMap<String, i64>,
    pub by_mode: BTreeMap<String, i64>,
    pub completed: i64,
    pub ended: i64,
    pub minors: i64,
    pub employed_after: i64,
    pub posts: i64,
    pub by_type: BTreeMap<String, i64>,
    pub by_department: BTreeMap<String, i64>,
    pub by_funding: BTreeMap<String, i64>,
    pub holders: i64,
    pub vacancies: i64,
    pub paid_fen: i64,
    pub paid_holders: i64,
    pub villages_below: i64,
}

fn add_map(to: &mut BTreeMap<String, i64>, from: &BTreeMap<String, i64>) {
    for (k, v) in from {
        *to.entry(k.clone()).or_default() += v;
    }
}

impl Counts {
    fn add(&mut self, o: &Counts) {
        self.households += o.households;
        self.registered_poor += o.registered_poor;
        self.visited += o.visited;
        self.labourers += o.labourers;
        self.workers += o.workers;
        self.income_fen += o.income_fen;
        self.earners += o.earners;
        add_map(&mut self.by_place, &o.by_place);
        add_map(&mut self.by_channel, &o.by_channel);
        self.sessions += o.sessions;
        self.sessions_finished += o.sessions_finished;
        self.trainees += o.trainees;
        add_map(&mut self.by_course, &o.by_course);
        add_map(&mut self.by_mode, &o.by_mode);
        self.completed += o.completed;
        self.ended += o.ended;
        self.minors += o.minors;
        self.employed_after += o.employed_after;
        self.posts += o.posts;
        add_map(&mut self.by_type, &o.by_type);
        add_map(&mut self.by_department, &o.by_department);
        add_map(&mut self.by_funding, &o.by_funding);
        self.holders += o.holders;
        self.vacancies += o.vacancies;
        self.paid_fen += o.paid_fen;
        self.paid_holders += o.paid_holders;
        self.villages_below += o.villages_below;
    }
}

/// Every township's counts for one year, read once: a township's report
/// and the county's are cut from it without reading again.
#[derive(Debug, Clone, Default)]
pub struct ReportData {
    pub year: i32,
    /// The day posts and holders are counted on.
    pub on: NaiveDate,
    pub standard: i64,
    pub townships: Vec<Township>,
    /// Counts by township; `None`: sessions held nowhere in particular.
    pub by_township: HashMap<Option<Uuid>, Counts>,
    /// Names of the courses, post types and funding sources counted.
    pub names: HashMap<String, Names>,
}

/// The report of one year and one township, or the whole county.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub year: i32,
    pub on: NaiveDate,
    pub township: Option<Township>,
    pub standard: i64,
    pub total: Counts,
    /// Every township's counts, by code (the comparison chart).
    pub townships: Vec<(Township, Counts)>,
    pub names: HashMap<String, Names>,
}

/// The day posts are counted on: the year's last day, or `today` while the
/// year runs.
pub fn counted_on(year: i32, today: NaiveDate) -> NaiveDate {
    let last = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today);
    last.min(today)
}

/// The years a report can be asked for: from the first with records to
/// the current one.
pub fn years(first: Option<i32>, today: NaiveDate) -> Vec<i32> {
    let last = today.year();
    let first = first.unwrap_or(last).clamp(last - 30, last);
    (first..=last).collect()
}

impl ReportData {
    /// The report of `township` (`None`: the whole county).
    pub fn report(&self, township: Option<Uuid>) -> Report {
        let mut total = Counts::default();
        for (t, c) in &self.by_township {
            if township.is_none() || *t == township {
                total.add(c);
            }
        }
        Report {
            year: self.year,
            on: self.on,
            township: township
                .and_then(|id| self.townships.iter().find(|t| t.meta.id == id).cloned()),
            standard: self.standard,
            total,
            townships: self
                .townships
                .iter()
                .map(|t| {
                    let c = self.by_township.get(&Some(t.meta.id)).cloned();
                    (t.clone(), c.unwrap_or_default())
                })
                .collect(),
            names: self.names.clone(),
        }
    }
}

fn year_bounds(year: i32) -> (String, String) {
    (format!("{year:04}-01-01"), format!("{year:04}-12-31"))
}

fn uuid_of(s: Option<String>) -> Option<Uuid> {
    s.and_then(|s| Uuid::parse_str(&s).ok())
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
/// A minor as the training rules have it: at most
/// [`crate::domain::rules::MINOR_MAX_AGE`] (18) on the session's first day.
const MINOR_SQL: &str =
    "(p.birth_date IS NOT NULL AND p.birth_date > date(s.start_date, '-19 years'))";

impl Store {
    /// Every township's counts for `year`, posts counted on `on`.
    pub fn report_data(&self, year: i32, on: NaiveDate) -> Result<ReportData> {
        let (from, to) = year_bounds(year);
        let on_s = on.to_string();
        let mut by: HashMap<Option<Uuid>, Counts> = HashMap::new();
        let mut names: HashMap<String, Names> = HashMap::new();

        // Households, the registered poor and labourers where they live,
        // and the households visited in this year's round: from the
        // tallies (see `store::tally`), one short row per household.
        for (t, n, poor, labourers) in self.query(
            "SELECT township_id, count(*), sum(poor), sum(labourers)
             FROM report_household GROUP BY 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )? {
            let c = by.entry(uuid_of(t)).or_default();
            c.households = n;
            c.registered_poor = poor;
            c.labourers = labourers;
        }
        for (t, n) in self.query(
            "SELECT township_id, count(*) FROM report_visit WHERE round = ?1 GROUP BY 1",
            [format!("{year:04}-start")],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )? {
            by.entry(uuid_of(t)).or_default().visited = n;
        }
        self.add_work(&mut by, year, on)?;
        // Training: sessions where held, trainees where they live.
        let sql = format!(
            "SELECT {SESSION_TOWNSHIP}, count(*), sum(s.status = 'finished')
             FROM training_session s
             WHERE s.deleted_at IS NULL AND s.start_date BETWEEN ?1 AND ?2 GROUP BY 1"
        );
        for (t, n, finished) in self.query(&sql, [&from, &to], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })? {
            let c = by.entry(uuid_of(t)).or_default();
            c.sessions = n;
            c.sessions_finished = finished;
        }
        type TraineeRow = (Option<String>, String, Names, String, [i64; 5]);
        let rows: Vec<TraineeRow> = self.query(
            "SELECT g.township_id, c.code, c.name_zh, c.name_bo, c.name_en, g.mode,
                    g.n, g.completed, g.ended, g.minors, g.employed
             FROM (SELECT township_id, course_id, mode, count(*) AS n,
                          sum(completed) AS completed, sum(ended) AS ended,
                          sum(minor) AS minors, sum(employed_after) AS employed
                   FROM report_trainee WHERE year = ?1 GROUP BY 1, 2, 3) g
             JOIN course c ON c.id = g.course_id",
            [year],
            |r| {
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
            },
        )?;
        for (t, course, course_names, mode, [n, completed, ended, minors, employed]) in rows {
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
        // Posts open on the day counted, and those held that day, by
        // township, type and funding; the names joined to the groups.
        const POST_GROUP: &str = "
            SELECT g.township_id, pt.code, pt.name_zh, pt.name_bo, pt.name_en, pt.department,
                   coalesce(fs.code, ''), coalesce(fs.name_zh, ''), coalesce(fs.name_bo, ''),
                   coalesce(fs.name_en, ''), g.n, g.held
            FROM (SELECT o.township_id, o.post_type_id, o.funding_source_id, o.n,
                         coalesce(h.n, 0) AS held
                  FROM (SELECT township_id, post_type_id, funding_source_id, count(*) AS n
                        FROM report_post
                        WHERE opened_on <= ?1 AND (closed_on IS NULL OR closed_on > ?1)
                        GROUP BY 1, 2, 3) o
                  LEFT JOIN (SELECT township_id, post_type_id, funding_source_id,
                                    count(DISTINCT post_id) AS n
                             FROM report_hold
                             WHERE held_from <= ?1 AND (held_to IS NULL OR held_to > ?1)
                             GROUP BY 1, 2, 3) h
                    ON h.township_id = o.township_id AND h.post_type_id = o.post_type_id
                   AND h.funding_source_id IS o.funding_source_id) g
            JOIN post_type pt ON pt.id = g.post_type_id
            LEFT JOIN funding_source fs ON fs.id = g.funding_source_id";
        type PostRow = (
            Option<String>,
            String,
            Names,
            String,
            String,
            Names,
            i64,
            i64,
        );
        let rows: Vec<PostRow> = self.query(POST_GROUP, [&on_s], |r| {
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
        })?;
        for (t, ty, ty_names, dept, fund, fund_names, n, held) in rows {
            let c = by.entry(uuid_of(t)).or_default();
            c.posts += n;
            *c.by_type.entry(ty.clone()).or_default() += n;
            *c.by_department.entry(dept).or_default() += n;
            *c.by_funding.entry(fund.clone()).or_default() += n;
            c.holders += held;
            c.vacancies += n - held;
            names.insert(format!("post_type.{ty}"), ty_names);
            if !fund.is_empty() {
                names.insert(format!("funding.{fund}"), fund_names);
            }
        }
        for (t, paid, persons) in self.query(
            "SELECT township_id, sum(amount), count(DISTINCT person_id)
             FROM report_paid WHERE year = ?1 GROUP BY 1",
            [year],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )? {
            let c = by.entry(uuid_of(t)).or_default();
            c.paid_fen = paid;
            c.paid_holders = persons;
        }
        let standard = self.post_setting(VILLAGE_STANDARD)?;
        for (t, n) in self.query(
            "SELECT v.township_id, count(*) FROM village v
             WHERE v.deleted_at IS NULL AND v.exit_year IS NOT NULL
               AND (SELECT count(*) FROM report_post p WHERE p.village_id = v.id
                      AND p.opened_on <= ?1 AND (p.closed_on IS NULL OR p.closed_on > ?1)) < ?2
             GROUP BY 1",
            rusqlite::params![on_s, standard],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )? {
            by.entry(uuid_of(t)).or_default().villages_below = n;
        }
        Ok(ReportData {
            year,
            on,
            standard,
            townships: self.townships()?,
            by_township: by,
            names,
        })
    }

    /// Work in `year`: each person who worked once among the workers, once
    /// per place and once per channel, with their income of the year (see
    /// [`work_sql`]: the same rule, over the tallies). The spells are
    /// summed per person as they are read.
    fn add_work(
        &self,
        by: &mut HashMap<Option<Uuid>, Counts>,
        year: i32,
        on: NaiveDate,
    ) -> Result<()> {
        #[derive(Default)]
        struct Worker {
            township: usize,
            places: Vec<usize>,
            channels: Vec<usize>,
            income: i64,
        }
        fn intern(list: &mut Vec<String>, s: &str) -> usize {
            list.iter().position(|x| x == s).unwrap_or_else(|| {
                list.push(s.to_owned());
                list.len() - 1
            })
        }
        let (jan, dec) = (year * 12 + 1, year * 12 + 12);
        let until = on.year() * 12 + on.month() as i32;
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT w.township_id, w.person_id, w.place, w.channel,
                        CASE WHEN w.post THEN coalesce(p.amount, 0)
                             WHEN w.monthly IS NOT NULL
                             THEN w.monthly * max(0, min(coalesce(w.last_no, ?3), ?2)
                                                     - max(coalesce(w.first_no, ?1), ?1) + 1)
                             ELSE w.income END
                 FROM report_work w
                 LEFT JOIN report_paid p
                   ON w.post AND p.assignment_id = w.source_id AND p.year = ?4
                 WHERE coalesce(w.last_no, 1000000) >= ?1
                   AND (w.first_no IS NULL OR w.first_no <= ?2)",
            )
            .map_err(|e| self.err(e))?;
        let mut rows = stmt
            .query(rusqlite::params![jan, dec, until, year])
            .map_err(|e| self.err(e))?;
        let (mut townships, mut codes) = (Vec::new(), Vec::new());
        let mut workers: HashMap<String, Worker> = HashMap::new();
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let get = |i| r.get_ref(i).and_then(|v| v.as_str().map_err(Into::into));
            let (t, person, place, channel) = (
                get(0).map_err(|e| self.err(e))?,
                get(1).map_err(|e| self.err(e))?,
                get(2).map_err(|e| self.err(e))?,
                get(3).map_err(|e| self.err(e))?,
            );
            let income: i64 = r.get(4).map_err(|e| self.err(e))?;
            let township = intern(&mut townships, t);
            let (place, channel) = (intern(&mut codes, place), intern(&mut codes, channel));
            let w = workers.entry(person.to_owned()).or_default();
            w.township = township;
            w.income += income;
            if !w.places.contains(&place) {
                w.places.push(place);
            }
            if !w.channels.contains(&channel) {
                w.channels.push(channel);
            }
        }
        for w in workers.values() {
            let c = by
                .entry(uuid_of(Some(townships[w.township].clone())))
                .or_default();
            c.workers += 1;
            c.income_fen += w.income;
            c.earners += i64::from(w.income > 0);
            for &p in &w.places {
                *c.by_place.entry(codes[p].clone()).or_default() += 1;
            }
            for &ch in &w.channels {
                *c.by_channel.entry(codes[ch].clone()).or_default() += 1;
            }
        }
        Ok(())
    }

    /// The report of `year` for `township` (`None`: the county), posts
    /// counted on [`counted_on`] `today`.
    pub fn report(&self, year: i32, township: Option<Uuid>, today: NaiveDate) -> Result<Report> {
        Ok(self
            .report_data(year, counted_on(year, today))?
            .report(township))
    }

    /// The first year anything of a report was recorded in: a session
    /// started, a live household visited in a round, a subsidy paid.
    pub fn first_report_year(&self) -> Result<Option<i32>> {
        let years: Vec<Option<i64>> = self.query(
            // Each the least of an index (the tallies': see store::tally),
            // not a scan of every visit and payment.
            "SELECT CAST(substr(min(start_date), 1, 4) AS INTEGER) FROM training_session
               WHERE deleted_at IS NULL
             UNION ALL SELECT CAST(substr(min(round), 1, 4) AS INTEGER) FROM report_visit
             UNION ALL SELECT min(year) FROM report_paid",
            [],
            |r| r.get(0),
        )?;
        Ok(years.into_iter().flatten().min().map(|y| y as i32))
    }
}

/// A channel of work's label: "not recorded" for none.
pub fn channel_label(code: &str) -> Label {
    if code.is_empty() {
        Label::Key("report.no_channel")
    } else {
        Label::Code("work_channel", code.to_owned())
    }
}

/// How a figure's label is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Label {
    /// A locale key.
    Key(&'static str),
    /// A code of a code list (`code.<list>.<code>`).
    Code(&'static str, String),
    /// A catalogue's name (a course, post type, funding source).
    Name(Names),
}

impl Label {
    pub fn text(&self, cat: &Catalog, lang: Lang) -> String {
        match self {
            Label::Key(k) => cat.text(lang, k),
            Label::Code(list, code) => {
                let key = format!("code.{list}.{code}");
                if cat.has(&key) {
                    cat.text(lang, &key)
                } else {
                    crate::text::clean(code).into_owned()
                }
            }
            Label::Name(n) => crate::i18n::catalogue_text(cat, &n.zh, &n.bo, &n.en, lang),
        }
    }
}

/// A figure's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    Count(i64),
    Yuan(i64),
    /// A share: part of whole, shown as a percentage to one decimal.
    Rate(i64, i64),
}

impl Value {
    /// The value as both the screen and the command line print it.
    pub fn text(self) -> String {
        match self {
            Value::Count(n) => n.to_string(),
            Value::Yuan(fen) => crate::domain::rules::format_yuan(fen),
            Value::Rate(_, 0) => "-".to_owned(),
            Value::Rate(part, whole) => {
                let permille = (part * 1000 + whole / 2) / whole;
                format!("{}.{}%", permille / 10, permille % 10)
            }
        }
    }

    /// The number a chart draws.
    pub fn number(self) -> i64 {
        match self {
            Value::Count(n) | Value::Yuan(n) => n,
            Value::Rate(part, whole) if whole > 0 => part * 1000 / whole,
            Value::Rate(..) => 0,
        }
    }
}

/// `total / n` rounded to the nearest fen; zero when there is no one.
pub fn average(total: i64, n: i64) -> i64 {
    if n <= 0 { 0 } else { (total + n / 2) / n }
}

/// Which trainees a drill-down lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TraineeOnly {
    All,
    Completed,
    Minors,
    EmployedAfter,
}

/// Which posts a drill-down lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostOnly {
    All,
    Held,
    Vacant,
}

/// The rows behind a figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drill {
    Households {
        poor_only: bool,
        visited_only: bool,
    },
    Labourers,
    Workers {
        place: Option<String>,
        channel: Option<String>,
    },
    Sessions {
        finished_only: bool,
    },
    Trainees {
        course: Option<String>,
        mode: Option<String>,
        only: TraineeOnly,
    },
    Posts {
        post_type: Option<String>,
        department: Option<String>,
        funding: Option<String>,
        only: PostOnly,
    },
    Paid,
    VillagesBelow,
}

/// What a drill-down's rows are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DrillKind {
    Households,
    People,
    Sessions,
    Posts,
    Villages,
}

impl Drill {
    pub fn kind(&self) -> DrillKind {
        match self {
            Drill::Households { .. } => DrillKind::Households,
            Drill::Labourers | Drill::Workers { .. } | Drill::Trainees { .. } | Drill::Paid => {
                DrillKind::People
            }
            Drill::Sessions { .. } => DrillKind::Sessions,
            Drill::Posts { .. } => DrillKind::Posts,
            Drill::VillagesBelow => DrillKind::Villages,
        }
    }
}

/// What Enter on a drill-down row opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Household(Uuid),
    Session(Uuid),
    Post(Uuid),
    Village(Uuid),
}

/// One row behind a figure: a household, person, session, post or village.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrillRow {
    pub target: Target,
    /// Household number, session code, village code.
    pub code: String,
    /// The person's, course's, post type's or village's name.
    pub name: Names,
    /// The village (the township, for a session or village).
    pub place: Names,
    /// What the figure counted: a date, an amount, a count.
    pub detail: String,
}

/// The rows behind a figure: the first `limit`, and how many there are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DrillList {
    pub total: u64,
    pub rows: Vec<DrillRow>,
}

fn names(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Names> {
    Ok(Names {
        zh: r.get(at)?,
        bo: r.get(at + 1)?,
        en: String::new(),
    })
}

impl Store {
    /// The rows behind `drill` in `year` and `township` (`None`: the
    /// county), posts counted on `on`: the first `limit` and the count.
    pub fn drill(
        &self,
        drill: &Drill,
        year: i32,
        township: Option<Uuid>,
        on: NaiveDate,
        limit: usize,
    ) -> Result<DrillList> {
        let (from, to) = year_bounds(year);
        let t = township.map(|t| t.to_string());
        let in_township = "(?3 IS NULL OR v.township_id = ?3)";
        // Every query: its rows as (target id, code, name zh/bo, place zh/bo,
        // detail), with ?1 ?2 the year (or ?1 the day) and ?3 the township.
        let (sql, kind, params): (String, DrillKind, [String; 2]) = match drill {
            Drill::Households {
                poor_only,
                visited_only,
            } => (
                format!(
                    "SELECT h.id, h.number, h.head_name, '', v.name_zh, v.name_bo, h.last_visit
                     FROM household h JOIN village v ON v.id = h.village_id
                     WHERE h.deleted_at IS NULL AND {in_township}
                       AND ({poor} OR h.registered_poor = 1)
                       AND ({visited} OR h.id IN (SELECT household_id FROM visit
                            WHERE round = ?1 AND deleted_at IS NULL))
                       AND ?2 = ?2
                     ORDER BY h.number",
                    poor = !poor_only,
                    visited = !visited_only,
                ),
                DrillKind::Households,
                [format!("{year:04}-start"), String::new()],
            ),
            Drill::Labourers => (
                format!(
                    "SELECT h.id, h.number, p.name_zh, p.name_bo, v.name_zh, v.name_bo,
                            coalesce(p.birth_date, '')
                     FROM person p
                     JOIN household h ON h.id = p.household_id AND h.deleted_at IS NULL
                     JOIN village v ON v.id = h.village_id
                     WHERE p.deleted_at IS NULL AND p.is_labourer = 1 AND {in_township}
                       AND ?1 = ?1 AND ?2 = ?2
                     ORDER BY h.number, p.position"
                ),
                DrillKind::People,
                [String::new(), String::new()],
            ),
            Drill::Workers { place, channel } => (
                format!(
                    "SELECT h.id, h.number, p.name_zh, p.name_bo, v.name_zh, v.name_bo,
                            group_concat(DISTINCT w.employer)
                     FROM ({work}) w JOIN person p ON p.id = w.person_id
                     JOIN household h ON h.id = w.household_id
                     JOIN village v ON v.id = h.village_id
                     WHERE (?3 IS NULL OR w.t = ?3) AND ({place_ok}) AND ({channel_ok})
                       AND ?1 = ?1 AND ?2 = ?2
                     GROUP BY p.id ORDER BY h.number, p.position",
                    work = work_sql(year, on),
                    place_ok = place
                        .as_ref()
                        .map_or("1".to_owned(), |p| format!("w.place = {}", sql_text(p))),
                    channel_ok = channel
                        .as_ref()
                        .map_or("1".to_owned(), |c| format!("w.channel = {}", sql_text(c))),
                ),
                DrillKind::People,
                [from, to],
            ),
            Drill::Sessions { finished_only } => (
                format!(
                    "SELECT s.id, s.code, c.name_zh, c.name_bo, coalesce(t.name_zh, ''),
                            coalesce(t.name_bo, ''), s.start_date
                     FROM training_session s JOIN course c ON c.id = s.course_id
                     LEFT JOIN township t ON t.id = {SESSION_TOWNSHIP}
                     WHERE s.deleted_at IS NULL AND s.start_date BETWEEN ?1 AND ?2
                       AND (?3 IS NULL OR t.id = ?3) AND ({all} OR s.status = 'finished')
                     ORDER BY s.start_date, s.code",
                    all = !finished_only,
                ),
                DrillKind::Sessions,
                [from, to],
            ),
            Drill::Trainees { course, mode, only } => (
                format!(
                    "SELECT h.id, h.number, p.name_zh, p.name_bo, v.name_zh, v.name_bo, s.code
                     {TRAINEES_BASE} AND {in_township} AND ({course_ok}) AND ({mode_ok})
                       AND ({only_ok})
                     ORDER BY h.number, p.position, s.code",
                    course_ok = course
                        .as_ref()
                        .map_or("1".to_owned(), |c| format!("c.code = {}", sql_text(c))),
                    mode_ok = mode
                        .as_ref()
                        .map_or("1".to_owned(), |m| format!("s.mode = {}", sql_text(m))),
                    only_ok = match only {
                        TraineeOnly::All => "1",
                        TraineeOnly::Completed => "e.outcome = 'completed'",
                        TraineeOnly::Minors => MINOR_SQL,
                        TraineeOnly::EmployedAfter => "e.employed_after = 1",
                    },
                ),
                DrillKind::People,
                [from, to],
            ),
            Drill::Posts {
                post_type,
                department,
                funding,
                only,
            } => (
                format!(
                    "SELECT p.id, v.code, pt.name_zh, pt.name_bo, v.name_zh, v.name_bo,
                            coalesce((SELECT CASE WHEN pe.name_zh <> '' THEN pe.name_zh
                                      ELSE pe.name_bo END
                              FROM post_assignment a JOIN person pe ON pe.id = a.person_id
                              WHERE a.post_id = p.id AND a.deleted_at IS NULL
                                AND a.start_date <= ?1
                                AND (a.end_date IS NULL OR a.end_date > ?1) LIMIT 1), '')
                     {POSTS_BASE} AND {in_township} AND ?2 = ?2
                       AND ({type_ok}) AND ({dept_ok}) AND ({fund_ok}) AND ({only_ok})
                     ORDER BY v.code, pt.code, p.id",
                    type_ok = post_type
                        .as_ref()
                        .map_or("1".to_owned(), |c| format!("pt.code = {}", sql_text(c))),
                    dept_ok = department.as_ref().map_or("1".to_owned(), |c| format!(
                        "pt.department = {}",
                        sql_text(c)
                    )),
                    fund_ok = funding.as_ref().map_or("1".to_owned(), |c| format!(
                        "coalesce(fs.code, '') = {}",
                        sql_text(c)
                    )),
                    only_ok = match only {
                        PostOnly::All => "1".to_owned(),
                        PostOnly::Held => HELD_SQL.to_owned(),
                        PostOnly::Vacant => format!("NOT {HELD_SQL}"),
                    },
                ),
                DrillKind::Posts,
                [on.to_string(), String::new()],
            ),
            Drill::Paid => (
                format!(
                    "SELECT h.id, h.number, pe.name_zh, pe.name_bo, v.name_zh, v.name_bo,
                            sum(sp.amount_fen)
                     FROM subsidy_payment sp JOIN post_assignment a ON a.id = sp.assignment_id
                     JOIN post p ON p.id = a.post_id JOIN village v ON v.id = p.village_id
                     JOIN person pe ON pe.id = a.person_id
                     JOIN household h ON h.id = pe.household_id
                     WHERE sp.deleted_at IS NULL AND sp.paid_on IS NOT NULL
                       AND sp.month BETWEEN ?1 AND ?2 AND {in_township}
                     GROUP BY v.township_id, a.person_id ORDER BY h.number, pe.position"
                ),
                DrillKind::People,
                [format!("{year:04}-01"), format!("{year:04}-12")],
            ),
            Drill::VillagesBelow => (
                format!(
                    "SELECT v.id, v.code, v.name_zh, v.name_bo, t.name_zh, t.name_bo, n FROM (
                        SELECT v.*, (SELECT count(*) {} AND p.village_id = v.id) AS n
                        FROM village v WHERE v.deleted_at IS NULL AND v.exit_year IS NOT NULL
                          AND {in_township}) v
                     JOIN township t ON t.id = v.township_id
                     WHERE n < ?2 ORDER BY v.code",
                    POSTS_BASE
                        .replace(" JOIN village v ON", " JOIN village v2 ON")
                        .replace(
                            "v.id = p.village_id AND v.deleted_at",
                            "v2.id = p.village_id AND v2.deleted_at"
                        )
                ),
                DrillKind::Villages,
                [
                    on.to_string(),
                    self.post_setting(VILLAGE_STANDARD)?.to_string(),
                ],
            ),
        };
        let [p1, p2] = params;
        let mut rows: Vec<DrillRow> = self.query(&sql, rusqlite::params![p1, p2, t], |r| {
            let id = Uuid::parse_str(&r.get::<_, String>(0)?).unwrap_or_default();
            let detail: rusqlite::types::Value = r.get(6)?;
            Ok(DrillRow {
                target: match kind {
                    DrillKind::Households | DrillKind::People => Target::Household(id),
                    DrillKind::Sessions => Target::Session(id),
                    DrillKind::Posts => Target::Post(id),
                    DrillKind::Villages => Target::Village(id),
                },
                code: r.get(1)?,
                name: names(r, 2)?,
                place: names(r, 4)?,
                detail: match detail {
                    rusqlite::types::Value::Text(s) => s,
                    rusqlite::types::Value::Integer(n) if matches!(drill, Drill::Paid) => {
                        crate::domain::rules::format_yuan(n)
                    }
                    rusqlite::types::Value::Integer(n) => n.to_string(),
                    _ => String::new(),
                },
            })
        })?;
        let total = rows.len() as u64;
        rows.truncate(limit);
        Ok(DrillList { total, rows })
    }
}

/// A code as an SQL string literal (codes come from the data: quoted).
fn sql_text(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// One line of the report: a heading or a figure, with what it drills to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    /// Stable name for CSV and JSON (`training.course.sewing`).
    pub id: String,
    pub label: Label,
    /// `None`: a section heading.
    pub value: Option<Value>,
    /// 0 a figure, 1 one of its parts (by course, by type).
    pub depth: u8,
    pub drill: Option<Drill>,
}

fn heading(id: &str, key: &'static str) -> Figure {
    Figure {
        id: id.to_owned(),
        label: Label::Key(key),
        value: None,
        depth: 0,
        drill: None,
    }
}

fn figure(id: &str, key: &'static str, value: Value, drill: Option<Drill>) -> Figure {
    Figure {
        id: id.to_owned(),
        label: Label::Key(key),
        value: Some(value),
        depth: 0,
        drill,
    }
}

/// A part of a figure: one course, one post type.
fn part(id: String, label: Label, n: i64, drill: Drill) -> Figure {
    Figure {
        id,
        label,
        value: Some(Value::Count(n)),
        depth: 1,
        drill: Some(drill),
    }
}

/// The keys of `map` in the order of `order`, then any others by count.
fn ordered(map: &BTreeMap<String, i64>, order: &[&str]) -> Vec<(String, i64)> {
    let mut out: Vec<(String, i64)> = order
        .iter()
        .filter_map(|k| map.get(*k).map(|n| ((*k).to_owned(), *n)))
        .collect();
    let mut rest: Vec<(String, i64)> = map
        .iter()
        .filter(|(k, _)| !order.contains(&k.as_str()))
        .map(|(k, n)| (k.clone(), *n))
        .collect();
    rest.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out.extend(rest);
    out
}

impl Report {
    /// The name of a course, post type or funding source counted.
    pub fn name(&self, kind: &str, code: &str) -> Names {
        self.names
            .get(&format!("{kind}.{code}"))
            .cloned()
            .unwrap_or_else(|| Names {
                zh: code.to_owned(),
                ..Names::default()
            })
    }

    /// Trainees by course, most first.
    pub fn by_course(&self) -> Vec<(String, i64)> {
        ordered(&self.total.by_course, &[])
    }

    /// Posts by type, most first.
    pub fn by_type(&self) -> Vec<(String, i64)> {
        ordered(&self.total.by_type, &[])
    }

    pub fn by_place(&self) -> Vec<(String, i64)> {
        ordered(&self.total.by_place, &PLACES)
    }

    pub fn by_channel(&self) -> Vec<(String, i64)> {
        ordered(&self.total.by_channel, &CHANNELS)
    }

    pub fn income_per_person(&self) -> i64 {
        average(self.total.income_fen, self.total.earners)
    }

    pub fn average_per_holder(&self) -> i64 {
        average(self.total.paid_fen, self.total.paid_holders)
    }

    /// Every line of the report, in order: what the screen lists and the
    /// command line prints.
    pub fn figures(&self) -> Vec<Figure> {
        let c = &self.total;
        let mut out = vec![
            heading("households", "report.section.households"),
            figure(
                "households.registered",
                "report.households",
                Value::Count(c.households),
                Some(Drill::Households {
                    poor_only: false,
                    visited_only: false,
                }),
            ),
            figure(
                "households.registered_poor",
                "report.registered_poor",
                Value::Count(c.registered_poor),
                Some(Drill::Households {
                    poor_only: true,
                    visited_only: false,
                }),
            ),
            figure(
                "households.visited",
                "report.visited",
                Value::Count(c.visited),
                Some(Drill::Households {
                    poor_only: false,
                    visited_only: true,
                }),
            ),
            figure(
                "households.visited_rate",
                "report.visited_rate",
                Value::Rate(c.visited, c.households),
                None,
            ),
            heading("labour", "report.section.labour"),
            figure(
                "labour.labourers",
                "report.labourers",
                Value::Count(c.labourers),
                Some(Drill::Labourers),
            ),
            figure(
                "labour.workers",
                "report.workers",
                Value::Count(c.workers),
                Some(Drill::Workers {
                    place: None,
                    channel: None,
                }),
            ),
        ];
        for (place, n) in self.by_place() {
            out.push(part(
                format!("labour.place.{place}"),
                Label::Code("place_tier", place.clone()),
                n,
                Drill::Workers {
                    place: Some(place),
                    channel: None,
                },
            ));
        }
        out.push(heading("labour.channels", "report.by_channel"));
        for (channel, n) in self.by_channel() {
            out.push(part(
                format!(
                    "labour.channel.{}",
                    if channel.is_empty() { "none" } else { &channel }
                ),
                channel_label(&channel),
                n,
                Drill::Workers {
                    place: None,
                    channel: Some(channel),
                },
            ));
        }
        out.push(figure(
            "labour.income_per_person",
            "report.income_per_person",
            Value::Yuan(self.income_per_person()),
            None,
        ));
        out.push(heading("training", "report.section.training"));
        out.push(figure(
            "training.sessions",
            "report.sessions",
            Value::Count(c.sessions),
            Some(Drill::Sessions {
                finished_only: false,
            }),
        ));
        out.push(figure(
            "training.sessions_finished",
            "report.sessions_finished",
            Value::Count(c.sessions_finished),
            Some(Drill::Sessions {
                finished_only: true,
            }),
        ));
        let trainees = |course: Option<String>, mode: Option<String>, only| Drill::Trainees {
            course,
            mode,
            only,
        };
        out.push(figure(
            "training.trainees",
            "report.trainees",
            Value::Count(c.trainees),
            Some(trainees(None, None, TraineeOnly::All)),
        ));
        for (course, n) in self.by_course() {
            out.push(part(
                format!("training.course.{course}"),
                Label::Name(self.name("course", &course)),
                n,
                trainees(Some(course), None, TraineeOnly::All),
            ));
        }
        out.push(heading("training.modes", "report.by_mode"));
        for (mode, n) in ordered(&c.by_mode, codes::TRAINING_MODE.codes) {
            out.push(part(
                format!("training.mode.{mode}"),
                Label::Code("training_mode", mode.clone()),
                n,
                trainees(None, Some(mode), TraineeOnly::All),
            ));
        }
        out.extend([
            figure(
                "training.completed",
                "report.completed",
                Value::Count(c.completed),
                Some(trainees(None, None, TraineeOnly::Completed)),
            ),
            figure(
                "training.completion_rate",
                "report.completion_rate",
                Value::Rate(c.completed, c.ended),
                None,
            ),
            figure(
                "training.minors",
                "report.minors",
                Value::Count(c.minors),
                Some(trainees(None, None, TraineeOnly::Minors)),
            ),
            figure(
                "training.employed_after",
                "report.employed_after",
                Value::Count(c.employed_after),
                Some(trainees(None, None, TraineeOnly::EmployedAfter)),
            ),
            heading("posts", "report.section.posts"),
        ]);
        let posts = |post_type: Option<String>, department, funding, only| Drill::Posts {
            post_type,
            department,
            funding,
            only,
        };
        out.push(figure(
            "posts.posts",
            "report.posts",
            Value::Count(c.posts),
            Some(posts(None, None, None, PostOnly::All)),
        ));
        for (ty, n) in self.by_type() {
            out.push(part(
                format!("posts.type.{ty}"),
                Label::Name(self.name("post_type", &ty)),
                n,
                posts(Some(ty), None, None, PostOnly::All),
            ));
        }
        out.push(heading("posts.departments", "report.by_department"));
        for (dept, n) in ordered(&c.by_department, codes::DEPARTMENT.codes) {
            out.push(part(
                format!("posts.department.{dept}"),
                Label::Code("department", dept.clone()),
                n,
                posts(None, Some(dept), None, PostOnly::All),
            ));
        }
        out.push(heading("posts.funding", "report.by_funding"));
        for (fund, n) in ordered(&c.by_funding, &[]) {
            let label = if fund.is_empty() {
                Label::Key("report.no_funding")
            } else {
                Label::Name(self.name("funding", &fund))
            };
            out.push(part(
                format!(
                    "posts.funding.{}",
                    if fund.is_empty() { "none" } else { &fund }
                ),
                label,
                n,
                posts(None, None, Some(fund), PostOnly::All),
            ));
        }
        out.extend([
            figure(
                "posts.holders",
                "report.holders",
                Value::Count(c.holders),
                Some(posts(None, None, None, PostOnly::Held)),
            ),
            figure(
                "posts.vacancies",
                "report.vacancies",
                Value::Count(c.vacancies),
                Some(posts(None, None, None, PostOnly::Vacant)),
            ),
            figure(
                "posts.paid",
                "report.paid",
                Value::Yuan(c.paid_fen),
                Some(Drill::Paid),
            ),
            figure(
                "posts.paid_holders",
                "report.paid_holders",
                Value::Count(c.paid_holders),
                Some(Drill::Paid),
            ),
            figure(
                "posts.average_per_holder",
                "report.average_per_holder",
                Value::Yuan(self.average_per_holder()),
                None,
            ),
            figure(
                "villages.below_standard",
                "report.villages_below",
                Value::Count(c.villages_below),
                Some(Drill::VillagesBelow),
            ),
        ]);
        out
    }
}

/// A figure compared township by township (the comparison chart, and the
/// county's table on the command line).
#[derive(Debug, Clone, Copy)]
pub struct Metric {
    pub id: &'static str,
    pub key: &'static str,
    pub of: fn(&Counts) -> i64,
}

pub const COMPARE: [Metric; 5] = [
    Metric {
        id: "households",
        key: "report.households",
        of: |c| c.households,
    },
    Metric {
        id: "visited",
        key: "report.visited",
        of: |c| c.visited,
    },
    Metric {
        id: "workers",
        key: "report.workers",
        of: |c| c.workers,
    },
    Metric {
        id: "trainees",
        key: "report.trainees",
        of: |c| c.trainees,
    },
    Metric {
        id: "holders",
        key: "report.holders",
        of: |c| c.holders,
    },
];
