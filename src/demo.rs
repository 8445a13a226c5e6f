//! Deterministic synthetic data for trying the app, tests and benchmarks.
//!
//! The same seed and size give the same rows, ids included, on every machine
//! and every day: the generator uses its own small PRNG (SplitMix64) rather
//! than a crate whose streams may change between versions, and makes its
//! v7 ids from that PRNG and a fixed clock.
//!
//! Proportions follow the county report: about 0.55 trainees per household
//! (5,538 trainees), sessions of about 34 (165 sessions), 0.35 public-welfare
//! posts per household (3,500 posts, all filled, 6,000 yuan a year paid
//! monthly), one visit per household, a second (follow-up) for one in twenty,
//! and employment records as the report counts them (see [`WORK`]).

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate};
use uuid::Uuid;

use crate::domain::id_number::check_char;
use crate::domain::records::*;
use crate::store::{Result, Store, Writer};

/// What a demo load created.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoSummary {
    pub villages: u64,
    pub households: u64,
    pub persons: u64,
    pub visits: u64,
    pub visit_answers: u64,
    pub sessions: u64,
    pub enrolments: u64,
    pub posts: u64,
    pub assignments: u64,
    pub payments: u64,
    pub employment_records: u64,
}

/// SplitMix64: tiny, fast, and its output never changes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
}

/// Makes time-ordered (v7) ids from the PRNG and a clock that starts at a
/// fixed instant and ticks once per id.
struct Ids {
    millis: u64,
}

impl Ids {
    fn next(&mut self, rng: &mut Rng) -> Uuid {
        self.millis += 1;
        let r = rng.next().to_le_bytes();
        let s = rng.next().to_le_bytes();
        let mut bytes = [0u8; 10];
        bytes[..8].copy_from_slice(&r);
        bytes[8..].copy_from_slice(&s[..2]);
        uuid::Builder::from_unix_timestamp_millis(self.millis, &bytes).into_uuid()
    }
    fn meta(&mut self, rng: &mut Rng) -> RowMeta {
        RowMeta::with_id(self.next(rng))
    }
}

/// Common given names as (Tibetan, Chinese transliteration).
const MALE: &[(&str, &str)] = &[
    ("བཀྲ་ཤིས", "扎西"),
    ("ཚེ་རིང", "泽仁"),
    ("ནོར་བུ", "诺布"),
    ("རྡོ་རྗེ", "多吉"),
    ("ཚེ་དབང", "才旺"),
    ("ཡེ་ཤེས", "益西"),
    ("བསོད་ནམས", "索朗"),
    ("ཉི་མ", "尼玛"),
    ("ཟླ་བ", "达瓦"),
    ("སྐལ་བཟང", "格桑"),
    ("རིན་ཆེན", "仁青"),
    ("དཀོན་མཆོག", "贡觉"),
    ("བློ་བཟང", "洛桑"),
    ("སངས་རྒྱས", "桑吉"),
    ("བསྟན་འཛིན", "丹增"),
    ("པདྨ", "白玛"),
];
const FEMALE: &[(&str, &str)] = &[
    ("སྒྲོལ་མ", "卓玛"),
    ("ལྷ་མོ", "拉姆"),
    ("དབང་མོ", "旺姆"),
    ("ཆོས་སྐྱིད", "曲吉"),
    ("དབྱངས་ཅན", "央金"),
    ("ཡང་སྐྱིད", "央吉"),
    ("མཚོ་མོ", "措姆"),
    ("སྒྲོལ་དཀར", "卓嘎"),
    ("བདེ་ཆེན", "德青"),
    ("ཚེ་རིང", "泽仁"),
    ("པདྨ", "白玛"),
    ("ཉི་མ", "尼玛"),
];
/// Village names as (Tibetan, Chinese).
const PLACES: &[(&str, &str)] = &[
    ("བདེ་ཆེན", "德钦"),
    ("ནོར་བུ", "诺布"),
    ("གསེར་ཁང", "色康"),
    ("བཀྲ་ཤིས", "扎西"),
    ("རྒྱ་མཚོ", "嘉措"),
    ("པདྨ", "白玛"),
    ("ཡར་ཀླུང", "雅砻"),
    ("ལྷ་ཁང", "拉康"),
    ("གངས་དཀར", "冈嘎"),
    ("ཉི་ཟླ", "尼达"),
];

const VILLAGES_PER_TOWNSHIP: usize = 8;

/// The day the demo data describes: ages are counted to it, and nobody is
/// born after it.
const DEMO_DAY: NaiveDate = NaiveDate::from_ymd_opt(2026, 1, 1).expect("valid date");

struct Member {
    id: Uuid,
    age: i64,
    male: bool,
    labourer: bool,
    /// The employment status of the person's last visit answer (student
    /// or unable to work, if any answer said so).
    status: &'static str,
}

/// Fills the database with `households` households (and everything around
/// them) generated from `seed`, in one transaction.
pub fn generate(store: &mut Store, households: u32, seed: u64) -> Result<DemoSummary> {
    let townships = store.townships()?;
    let courses = store.courses()?;
    let post_types = store.post_types()?;
    let funding = store.funding_sources()?;
    // Not the clock's today: birth dates (and so ID numbers) would change
    // with the year the demo is made in. The visits, posts and payments are
    // set in 2026 too.
    let today = DEMO_DAY;
    // One transaction, made as a merge is: statement journals in memory
    // (every table the demo fills has triggers, even if they stand aside
    // in a bulk load, and each insert into such a table keeps a statement
    // journal: in a file that was a third of the demo's time), a larger
    // page cache, and a rollback journal into a new database.
    store.merge(|w| {
        let mut g = Gen {
            rng: Rng(seed ^ 0x5133_3300),
            ids: Ids {
                millis: 1_767_225_600_000 + seed % 1_000_000,
            }, // 2026-01-01 UTC
            posts: Rng(seed ^ 0x5133_3316),
            post_ids: Ids {
                millis: 1_767_225_600_000 + 500_000_000 + seed % 1_000_000,
            },
            funding: funding.clone(),
            work: Rng(seed ^ 0x5133_3317),
            work_ids: Ids {
                millis: 1_767_225_600_000 + 900_000_000 + seed % 1_000_000,
            },
            work_made: [0; WORK.len()],
            // One instant for every row of the load: what matters is that the
            // rows exist, not the microseconds between them.
            now: crate::clock::now_utc(),
            id_seq: HashMap::new(),
            sum: DemoSummary::default(),
        };
        let n_villages = townships.len() * VILLAGES_PER_TOWNSHIP;
        let trainee_target = (u64::from(households) * 5538 / 10_000).max(1);
        let mut sessions = g.sessions(w, &courses, &townships, trainee_target)?;
        let posts_total = u64::from(households) * 35 / 100;
        let mut posts_left = posts_total;
        let mut hh_done = 0u64;
        let mut trainees_left = trainee_target;
        let mut households_left = u64::from(households);
        let mut hh_no = 0u64;
        for (ti, t) in townships.iter().enumerate() {
            for vi in 0..VILLAGES_PER_TOWNSHIP {
                let villages_left = (n_villages - (ti * VILLAGES_PER_TOWNSHIP + vi)) as u64;
                let here = households_left / villages_left
                    + u64::from(households_left % villages_left != 0);
                households_left -= here;
                let village = g.village(w, t, vi)?;
                let mut labourers: Vec<Uuid> = Vec::new();
                let mut status_of: HashMap<Uuid, &'static str> = HashMap::new();
                for _ in 0..here {
                    hh_no += 1;
                    let members = g.household(w, &village, hh_no, &courses, today)?;
                    labourers.extend(members.iter().filter(|m| m.labourer).map(|m| m.id));
                    status_of.extend(members.iter().map(|m| (m.id, m.status)));
                    for m in members.iter().filter(|m| m.labourer && m.age >= 16) {
                        if trainees_left == 0 || sessions.is_empty() || !g.rng.chance(25) {
                            continue;
                        }
                        let si = g.rng.below(sessions.len() as u64) as usize;
                        // School leavers' sessions take 16-18; minors only those.
                        let dropouts = sessions[si].dropouts;
                        if (dropouts && m.age > 18) || (!dropouts && m.age <= 18) {
                            continue;
                        }
                        let si_status = sessions[si].status;
                        let si_days = sessions[si].days_held;
                        g.enrol(
                            w,
                            sessions[si].id,
                            m.id,
                            si_status,
                            si_days,
                            (sessions[si].start, sessions[si].end),
                        )?;
                        sessions[si].seats -= 1;
                        if sessions[si].seats == 0 {
                            sessions.swap_remove(si);
                        }
                        trainees_left -= 1;
                    }
                }
                // Posts in proportion to the households so far (0.35 each),
                // and the standard's five for a village that exited poverty
                // in the last year, while posts remain.
                hh_done += here;
                let share = (hh_done * 35 / 100).saturating_sub(posts_total - posts_left);
                let floor = if village.exit_year == Some(2020) && !labourers.is_empty() {
                    5
                } else {
                    0
                };
                let posts_here = share.max(floor).min(posts_left);
                posts_left -= posts_here;
                for _ in 0..posts_here {
                    let holder = if labourers.is_empty() {
                        None
                    } else {
                        Some(labourers.swap_remove(g.rng.below(labourers.len() as u64) as usize))
                    };
                    g.post(w, &village, &post_types, holder)?;
                }
                // Work for the labourers without a post, in proportion to
                // the households so far.
                g.work(w, &labourers, &status_of, hh_done)?;
            }
        }
        w.note(
            "demo",
            "demo",
            &format!("households={households} seed={seed}"),
        )?;
        Ok(g.sum)
    })
}

struct Gen {
    rng: Rng,
    ids: Ids,
    /// The posts' own stream and ids (see [`Gen::post`]).
    posts: Rng,
    post_ids: Ids,
    funding: Vec<FundingSource>,
    /// The employment records' own stream and ids, and how many of each
    /// kind of [`WORK`] are made so far.
    work: Rng,
    work_ids: Ids,
    work_made: [u64; WORK.len()],
    now: String,
    id_seq: HashMap<(NaiveDate, bool), u32>,
    sum: DemoSummary,
}

impl Gen {
    fn insert<E: crate::domain::table::Record>(&self, w: &mut Writer<'_>, r: &mut E) -> Result<()> {
        w.insert_unaudited(r, &self.now)
    }

    fn village(&mut self, w: &mut Writer<'_>, t: &Township, index: usize) -> Result<Village> {
        let (bo, zh) =
            PLACES[(index + t.code.len() + t.code.as_bytes()[8] as usize) % PLACES.len()];
        let mut v = Village {
            meta: self.ids.meta(&mut self.rng),
            code: format!("{}{:03}", t.code, 200 + index),
            township_id: t.meta.id,
            name_zh: format!("{zh}村"),
            name_bo: format!("{bo}་གྲོང་སྡེ"),
            exit_year: if self.rng.chance(70) {
                Some(self.rng.range(2017, 2020))
            } else {
                None
            },
        };
        self.insert(w, &mut v)?;
        self.sum.villages += 1;
        Ok(v)
    }

    /// A unique, valid 18-digit resident ID number issued in Sêrtar, and
    /// the birth date it carries: a day whose 500 numbers for that sex are
    /// used up moves the birth a day earlier, so no number is ever given twice.
    fn id_number(&mut self, mut birth: NaiveDate, male: bool) -> (NaiveDate, String) {
        loop {
            let n = self.id_seq.entry((birth, male)).or_insert(0);
            if *n < 500 {
                // Odd sequence numbers are men's (001-999), even ones women's (000-998).
                let seq = *n * 2 + u32::from(male);
                *n += 1;
                let body = format!("513333{}{:03}", birth.format("%Y%m%d"), seq);
                let check = check_char(&body).unwrap_or('0');
                return (birth, format!("{body}{check}"));
            }
            birth = birth.pred_opt().unwrap_or(birth);
        }
    }

    fn household(
        &mut self,
        w: &mut Writer<'_>,
        village: &Village,
        hh_no: u64,
        courses: &[Course],
        today: NaiveDate,
    ) -> Result<Vec<Member>> {
        let exited = self.rng.chance(60);
        let mut h = Household {
            meta: self.ids.meta(&mut self.rng),
            number: format!("{}{:06}", village.code, hh_no),
            village_id: village.meta.id,
            phone: format!(
                "1{}{:09}",
                self.rng.range(3, 9),
                self.rng.below(1_000_000_000)
            ),
            registered_poor: self.rng.chance(92),
            exit_year: if exited {
                Some(self.rng.range(2017, 2020))
            } else {
                None
            },
        };
        self.insert(w, &mut h)?;
        self.sum.households += 1;

        // 1-9 members, most often 4-6.
        let size = (1 + self.rng.below(5) + self.rng.below(5)).min(9) as usize;
        let head_age = self.rng.range(25, 70);
        let mut members = Vec::with_capacity(size);
        for pos in 0..size {
            let (relation, age, male) = match pos {
                0 => ("head", head_age, self.rng.chance(70)),
                1 => (
                    "spouse",
                    (head_age + self.rng.range(-5, 5)).clamp(18, 90),
                    !members.first().is_some_and(|m: &Member| m.male),
                ),
                2 | 3 if head_age > 62 => ("parent", 0, false),
                _ if head_age < 20 => ("sibling", self.rng.range(1, 30), self.rng.chance(50)),
                _ => (
                    "child",
                    (head_age - self.rng.range(18, 40)).max(0),
                    self.rng.chance(50),
                ),
            };
            // The head's parents, if the head is young enough to have them living.
            let (relation, age, male) = if relation == "parent" {
                (
                    "child",
                    (head_age - self.rng.range(18, 40)).max(0),
                    self.rng.chance(50),
                )
            } else if pos >= 2 && head_age < 40 && self.rng.chance(20) {
                (
                    "parent",
                    (head_age + self.rng.range(20, 30)).min(95),
                    self.rng.chance(50),
                )
            } else {
                (relation, age, male)
            };
            // `age` full years before the demo's day, on any day of that year of life.
            let birth = today - Duration::days(age * 365 + age / 4 + self.rng.range(0, 364));
            let names = if male { MALE } else { FEMALE };
            let (bo1, zh1) = *self.rng.pick(names);
            let (bo2, zh2) = *self.rng.pick(names);
            let script = self.rng.below(100);
            let labourer = (16..=60).contains(&age) && self.rng.chance(90);
            let education = match age {
                0..=6 => "none",
                7..=12 => "primary",
                13..=15 => "junior",
                _ => *self.rng.pick(&[
                    "none",
                    "none",
                    "primary",
                    "primary",
                    "junior",
                    "senior",
                    "vocational",
                    "monastic",
                ]),
            };
            let mut p = Person {
                meta: self.ids.meta(&mut self.rng),
                household_id: h.meta.id,
                position: pos as i64,
                name_zh: if script < 90 {
                    format!("{zh1}{zh2}")
                } else {
                    String::new()
                },
                name_bo: if script >= 5 {
                    format!("{bo1}་{bo2}")
                } else {
                    String::new()
                },
                id_number: String::new(),
                sex: if male { "m" } else { "f" }.to_owned(),
                birth_date: Some(birth),
                relation: relation.to_owned(),
                education: education.to_owned(),
                is_labourer: labourer,
                phone: if labourer && self.rng.chance(40) {
                    format!(
                        "1{}{:09}",
                        self.rng.range(3, 9),
                        self.rng.below(1_000_000_000)
                    )
                } else {
                    String::new()
                },
            };
            let (birth, id_number) = self.id_number(birth, male);
            p.birth_date = Some(birth);
            p.id_number = id_number;
            if p.name_zh.is_empty() && p.name_bo.is_empty() {
                p.name_zh = format!("{zh1}{zh2}");
            }
            self.insert(w, &mut p)?;
            self.sum.persons += 1;
            members.push(Member {
                id: p.meta.id,
                age,
                male,
                labourer,
                status: "",
            });
        }

        let visits = if self.rng.chance(5) { 2 } else { 1 };
        for v in 0..visits {
            self.visit(w, h.meta.id, &mut members, courses, v == 1)?;
        }
        Ok(members)
    }

    fn visit(
        &mut self,
        w: &mut Writer<'_>,
        household_id: Uuid,
        members: &mut [Member],
        courses: &[Course],
        follow_up: bool,
    ) -> Result<()> {
        let start = NaiveDate::from_ymd_opt(2026, 1, 5).expect("valid date");
        let day = self.rng.range(0, 85) + if follow_up { 120 } else { 0 };
        let difficulties: Vec<String> = crate::domain::codes::DIFFICULTY
            .codes
            .iter()
            .filter(|_| self.rng.chance(20))
            .map(|c| (*c).to_owned())
            .collect();
        let mut visit = Visit {
            meta: self.ids.meta(&mut self.rng),
            household_id,
            visit_date: start + Duration::days(day),
            round: "2026-start".to_owned(),
            visit_type: if follow_up { "follow_up" } else { "annual" }.to_owned(),
            surveyors: self
                .rng
                .pick(&["泽仁 才旺", "卓玛 索朗", "扎西 尼玛", "白玛 格桑"])
                .to_string(),
            difficulties,
            problems: String::new(),
            follow_up: String::new(),
            status: self
                .rng
                .pick(&["approved", "approved", "approved", "submitted", "draft"])
                .to_string(),
            review_comment: String::new(),
            reviewed_by: String::new(),
            reviewed_at: None,
        };
        self.insert(w, &mut visit)?;
        self.sum.visits += 1;
        for m in members.iter_mut().filter(|m| m.labourer) {
            let status = *self.rng.pick(&[
                "local_short_term",
                "local_short_term",
                "in_province",
                "out_of_province",
                "cooperative",
                "welfare_post",
                "self_employed",
                "not_employed",
                "not_employed",
                "student",
                "unable",
            ]);
            // An answer of student or unable to work sticks: the store
            // refuses work in the months a visit said so.
            if !matches!(m.status, "student" | "unable") {
                m.status = status;
            }
            let working = crate::domain::codes::is_working(status);
            let training: Vec<String> = if courses.is_empty() || !self.rng.chance(30) {
                Vec::new()
            } else {
                vec![self.rng.pick(courses).code.clone()]
            };
            let income = working.then(|| self.rng.range(2_000, 40_000) * 100);
            let mut a = VisitPerson {
                meta: self.ids.meta(&mut self.rng),
                visit_id: visit.meta.id,
                person_id: m.id,
                employment_status: status.to_owned(),
                work_place: if working {
                    self.rng
                        .pick(&["色达县", "甘孜州", "成都市温江区", "广州市"])
                        .to_string()
                } else {
                    String::new()
                },
                annual_income_fen: income,
                willing_to_work_away: Some(self.rng.chance(35)),
                training_wanted: training,
                job_wanted: String::new(),
            };
            self.insert(w, &mut a)?;
            self.sum.visit_answers += 1;
            if working && !follow_up {
                // The draw of the id of the employment record a visit made
                // before records had their own proportions (see `work`), so
                // the rest of the demo stays the same.
                self.ids.meta(&mut self.rng);
            }
        }
        Ok(())
    }

    /// Sessions for `trainees` trainees, about 34 each as in the report
    /// (165 sessions, 5,538 trainees); one in ten is for dropouts aged 16-18.
    fn sessions(
        &mut self,
        w: &mut Writer<'_>,
        courses: &[Course],
        townships: &[Township],
        trainees: u64,
    ) -> Result<Vec<OpenSession>> {
        let mut out = Vec::new();
        if courses.is_empty() {
            return Ok(out);
        }
        let mut periods: HashMap<Uuid, i64> = HashMap::new();
        let first = NaiveDate::from_ymd_opt(2025, 3, 1).expect("valid date");
        for i in 0..trainees.div_ceil(34) {
            let course = self.rng.pick(courses);
            let period = periods.entry(course.meta.id).or_insert(0);
            *period += 1;
            // The first is running on the demo day, so its register has days.
            let start = if i == 0 {
                DEMO_DAY - Duration::days(self.rng.range(10, 20))
            } else {
                first + Duration::days(self.rng.range(0, 540))
            };
            let dropouts = self.rng.chance(10);
            let capacity = self.rng.range(34, 40);
            // Dropouts' courses run 3-6 months, the others days to weeks.
            let end = start
                + Duration::days(if i == 0 {
                    self.rng.range(25, 40)
                } else if dropouts {
                    self.rng.range(90, 180)
                } else {
                    self.rng.range(5, 40)
                });
            let status = if end < DEMO_DAY {
                "finished"
            } else if start <= DEMO_DAY {
                "running"
            } else {
                "planned"
            };
            // Days held so far: a class most weekdays, up to the session's end.
            let span = (end.min(DEMO_DAY) - start).num_days().max(0);
            let days_held = match status {
                "planned" => 0,
                _ => (span * 5 / 7).clamp(1, 120),
            };
            let township = if townships.is_empty() {
                None
            } else {
                Some(self.rng.pick(townships).meta.id)
            };
            let mut s = TrainingSession {
                meta: self.ids.meta(&mut self.rng),
                course_id: course.meta.id,
                period: *period,
                mode: self
                    .rng
                    .pick(crate::domain::codes::TRAINING_MODE.codes)
                    .to_string(),
                start_date: start,
                end_date: end,
                place: self
                    .rng
                    .pick(&["色达县职业技术学校", "色柯镇", "洛若镇", "翁达镇"])
                    .to_string(),
                provider: self
                    .rng
                    .pick(&["县就业局", "县职业技术学校", "成都市温江区对口帮扶"])
                    .to_string(),
                capacity,
                target_group: if dropouts {
                    "dropouts_16_18"
                } else {
                    "poor_labourers"
                }
                .to_owned(),
                code: crate::domain::rules::make_session_code(&course.code, start, *period),
                township_id: township,
                village_id: None,
                trainers: self
                    .rng
                    .pick(&["扎西 老师", "卓玛 老师", "王 老师", "李 老师"])
                    .to_string(),
                class_hours: if course.standard_hours > 0 {
                    course.standard_hours
                } else {
                    80
                },
                days_held,
                status: status.to_owned(),
            };
            self.insert(w, &mut s)?;
            self.sum.sessions += 1;
            out.push(OpenSession {
                id: s.meta.id,
                seats: capacity as u64,
                dropouts,
                status,
                days_held,
                start,
                end,
            });
        }
        Ok(out)
    }

    fn enrol(
        &mut self,
        w: &mut Writer<'_>,
        session_id: Uuid,
        person_id: Uuid,
        status: &str,
        days_held: i64,
        (start, end): (NaiveDate, NaiveDate),
    ) -> Result<()> {
        let outcome = match status {
            "planned" => "enrolled",
            "running" => *self
                .rng
                .pick(&["enrolled", "enrolled", "enrolled", "dropped"]),
            _ => *self.rng.pick(&[
                "completed",
                "completed",
                "completed",
                "completed",
                "dropped",
            ]),
        };
        let completed = outcome == "completed";
        // One completed trainee in ten fails the practical and gets no certificate.
        let practical = if !completed {
            ""
        } else if self.rng.chance(10) {
            "fail"
        } else {
            "pass"
        };
        let certified = practical == "pass";
        let mut e = Enrolment {
            meta: self.ids.meta(&mut self.rng),
            session_id,
            person_id,
            attendance_days: if days_held == 0 {
                0
            } else {
                self.rng.range(days_held * 7 / 10, days_held).max(0)
            },
            outcome: outcome.to_owned(),
            certificate_no: if certified {
                format!("SD{:08}", self.rng.below(100_000_000))
            } else {
                String::new()
            },
            employed_after: certified && self.rng.chance(40),
            theory_result: if completed { "pass" } else { "" }.to_owned(),
            practical_result: practical.to_owned(),
            drop_reason: if outcome == "dropped" {
                self.rng
                    .pick(&["外出务工", "家中有事", "身体原因"])
                    .to_string()
            } else {
                String::new()
            },
            certificate_date: certified.then(|| end + Duration::days(7)),
            limits_accepted_by: String::new(),
        };
        // A running session's register is kept day by day; its total is the register's.
        let register = if status == "running" {
            self.register(&e, start, days_held)
        } else {
            Vec::new()
        };
        if status == "running" {
            e.attendance_days = register.iter().filter(|a| a.present).count() as i64;
        }
        self.insert(w, &mut e)?;
        self.sum.enrolments += 1;
        for mut a in register {
            self.insert(w, &mut a)?;
        }
        Ok(())
    }

    /// The class days so far (weekdays from the start), present on most,
    /// a dropout absent from the middle on.
    fn register(&mut self, e: &Enrolment, start: NaiveDate, days_held: i64) -> Vec<Attendance> {
        let absent_from = if e.outcome == "dropped" {
            days_held / 2
        } else {
            days_held
        };
        (0..)
            .map(|d| start + Duration::days(d))
            .filter(|d| d.weekday().num_days_from_monday() < 5)
            .take_while(|d| *d < DEMO_DAY)
            .take(days_held as usize)
            .enumerate()
            .map(|(i, day)| Attendance {
                meta: self.ids.meta(&mut self.rng),
                enrolment_id: e.meta.id,
                day,
                present: (i as i64) < absent_from && !self.rng.chance(12),
            })
            .collect()
    }

    fn post(
        &mut self,
        w: &mut Writer<'_>,
        village: &Village,
        types: &[PostType],
        holder: Option<Uuid>,
    ) -> Result<()> {
        if types.is_empty() {
            return Ok(());
        }
        // One draw of the main stream, as before posts had more to them,
        // so the rest of the demo stays the same; what posts add comes from
        // their own stream (`self.posts`).
        let post_type = weighted_type(types, self.rng.below(1000));
        let funding = self
            .funding
            .iter()
            .find(|f| {
                f.code
                    == match post_type.code.as_str() {
                        "forest_ranger" | "grassland_ranger" => "ecological_compensation",
                        "hazard_patroller" => "other",
                        _ => "rural_welfare",
                    }
            })
            .map(|f| f.meta.id);
        let year_start = NaiveDate::from_ymd_opt(2026, 1, 1).expect("valid date");
        let year_end = NaiveDate::from_ymd_opt(2026, 12, 31).expect("valid date");
        let mut post = Post {
            meta: self.ids.meta(&mut self.rng),
            post_type_id: post_type.meta.id,
            village_id: village.meta.id,
            status: if holder.is_some() { "filled" } else { "open" }.to_owned(),
            title: String::new(),
            funding_source_id: funding,
            monthly_subsidy_fen: post_type.monthly_subsidy_fen,
            required_days: crate::domain::posts::DEFAULT_REQUIRED_DAYS,
            insurance_policy: format!("PICC2026{:08}", self.posts.below(100_000_000)),
            insurance_start: Some(year_start),
            insurance_end: Some(year_end),
            opened_on: year_start,
            closed_on: None,
        };
        self.insert(w, &mut post)?;
        self.sum.posts += 1;
        let Some(person_id) = holder else {
            return Ok(());
        };
        let mut a = PostAssignment {
            meta: self.ids.meta(&mut self.rng),
            post_id: post.meta.id,
            person_id,
            start_date: year_start,
            end_date: None,
            end_reason: String::new(),
            agreement_end: year_end,
        };
        self.insert(w, &mut a)?;
        self.sum.assignments += 1;
        // Attendance every month to November; January to October paid
        // (500 yuan for the 22 required days, less for fewer), November's
        // attendance in, its payroll not yet prepared.
        for month in 1..=11 {
            let days = if self.posts.chance(80) {
                22
            } else {
                self.posts.range(12, 21)
            };
            let mut att = PostAttendance {
                meta: self.post_ids.meta(&mut self.posts),
                assignment_id: a.meta.id,
                month: format!("2026-{month:02}"),
                days_worked: days,
            };
            self.insert(w, &mut att)?;
            if month == 11 {
                continue;
            }
            let s = crate::domain::posts::month_subsidy(
                post.monthly_subsidy_fen,
                post.required_days,
                days,
                31,
            );
            let mut pay = SubsidyPayment {
                meta: self.ids.meta(&mut self.rng),
                assignment_id: a.meta.id,
                month: format!("2026-{month:02}"),
                amount_fen: s.amount_fen,
                paid_on: NaiveDate::from_ymd_opt(2026, month, 25),
                days_worked: days,
                required_days: post.required_days,
                days_counted: s.days_counted,
                standard_fen: post.monthly_subsidy_fen,
                paid_via: if self.posts.chance(70) {
                    "social_security_card"
                } else {
                    "bank"
                }
                .to_owned(),
                paid_ref: format!("SD2026{month:02}{:06}", self.posts.below(1_000_000)),
            };
            self.insert(w, &mut pay)?;
            self.sum.payments += 1;
        }
        Ok(())
    }
}

/// The demo's employment records, per 10,000 households. Where the county
/// report gives a figure, its figure: 2,859 labourers in short local work on
/// government projects (about 2,900 yuan a year each), 550 in the
/// afforestation cooperative (1,636 yuan each), 23 in stable jobs away
/// (Wenjiang district of Chengdu, Guangzhou). The rest are the demo's own,
/// few, so that every tier and channel appears; and plans for labourers not
/// working. Public-welfare posts are their assignments, not records.
const WORK: &[(&str, u64)] = &[
    ("project", 2859),
    ("afforestation", 550),
    ("away", 23),
    ("workshop", 120),
    ("self_employed", 200),
    ("own_in_province", 150),
    ("own_out_of_province", 60),
    ("plans", 400),
];

impl Gen {
    /// Records due by `hh_done` households, for labourers of the village
    /// (post holders already taken out): work for those whose last answer
    /// says they work, plans for those not employed, nothing for students
    /// and those unable to work. One record each, so none overlap.
    fn work(
        &mut self,
        w: &mut Writer<'_>,
        labourers: &[Uuid],
        status_of: &HashMap<Uuid, &'static str>,
        hh_done: u64,
    ) -> Result<()> {
        let status = |id: &Uuid| status_of.get(id).copied().unwrap_or("");
        let mut working: Vec<Uuid> = labourers
            .iter()
            .filter(|id| !matches!(status(id), "student" | "unable" | "not_employed"))
            .copied()
            .collect();
        let mut idle: Vec<Uuid> = labourers
            .iter()
            .filter(|id| status(id) == "not_employed")
            .copied()
            .collect();
        for (i, (what, per_10k)) in WORK.iter().enumerate() {
            let due = (hh_done * per_10k / 10_000).saturating_sub(self.work_made[i]);
            for _ in 0..due {
                let pool = if *what == "plans" {
                    &mut idle
                } else {
                    &mut working
                };
                if pool.is_empty() {
                    break;
                }
                let person = pool.swap_remove(self.work.below(pool.len() as u64) as usize);
                let mut e = self.work_record(what, person);
                self.insert(w, &mut e)?;
                self.work_made[i] += 1;
                self.sum.employment_records += 1;
            }
        }
        Ok(())
    }

    fn work_record(&mut self, what: &str, person_id: Uuid) -> EmploymentRecord {
        let r = &mut self.work;
        let month = |m: i64| format!("2025-{m:02}");
        let mut e = EmploymentRecord {
            meta: self.work_ids.meta(r),
            person_id,
            place_tier: "in_county".to_owned(),
            work_county: "色达县".to_owned(),
            ..EmploymentRecord::default()
        };
        // (first month, months or None while it goes on, yuan a month)
        let (first, months, monthly) = match what {
            "project" => {
                e.channel = "organised_transfer".to_owned();
                e.industry = "construction".to_owned();
                e.employer = r
                    .pick(&[
                        "色达县农村公路建设项目",
                        "色达县易地扶贫搬迁安置点项目",
                        "色达县农田水利项目",
                        "色达县城乡环境整治项目",
                    ])
                    .to_string();
                (r.range(4, 9), Some(r.range(1, 2)), r.range(1_600, 2_300))
            }
            "afforestation" => {
                e.channel = "labour_cooperative".to_owned();
                e.industry = "agriculture".to_owned();
                e.employer = "色达县造林合作社".to_owned();
                (5, Some(2), r.range(736, 900))
            }
            "away" => {
                e.channel = "organised_transfer".to_owned();
                e.point_to_point = true;
                e.transport_subsidy_fen = Some(r.range(5, 10) * 100 * 100);
                e.industry = r
                    .pick(&["manufacturing", "hospitality", "resident_services"])
                    .to_string();
                if r.chance(50) {
                    e.place_tier = "in_province".to_owned();
                    e.work_county = "成都市温江区".to_owned();
                    e.employer = "温江区对口帮扶企业".to_owned();
                } else {
                    e.place_tier = "out_of_province".to_owned();
                    e.work_county = "广州市".to_owned();
                    e.employer = "广州市东西部协作企业".to_owned();
                }
                (r.range(3, 6), None, r.range(3_500, 6_000))
            }
            "workshop" => {
                e.channel = "assistance_workshop".to_owned();
                e.industry = "manufacturing".to_owned();
                e.employer = "金马众创空间牛羊绒编织车间".to_owned();
                (r.range(1, 6), None, r.range(1_500, 2_500))
            }
            "self_employed" => {
                e.channel = "self_employed".to_owned();
                let (employer, industry) = *r.pick(&[
                    ("格萨尔彩绘石刻", "culture_tourism"),
                    ("民居接待", "hospitality"),
                    ("牛羊绒编织", "manufacturing"),
                    ("摩托车维修", "resident_services"),
                ]);
                e.employer = employer.to_owned();
                e.industry = industry.to_owned();
                (1, None, r.range(1_000, 4_000))
            }
            "own_in_province" | "own_out_of_province" => {
                e.channel = "own".to_owned();
                e.industry = r
                    .pick(&[
                        "construction",
                        "hospitality",
                        "resident_services",
                        "transport",
                    ])
                    .to_string();
                let counties: &[&str] = if what == "own_in_province" {
                    e.place_tier = "in_province".to_owned();
                    &["康定市", "成都市武侯区", "马尔康市"]
                } else {
                    e.place_tier = "out_of_province".to_owned();
                    &["广州市白云区", "西宁市城东区", "拉萨市城关区"]
                };
                e.work_county = r.pick(counties).to_string();
                (r.range(2, 6), Some(r.range(3, 6)), r.range(3_000, 5_500))
            }
            _ => {
                // A labourer not working: their plans.
                e.kind = "not_employed".to_owned();
                e.place_tier = String::new();
                e.work_county = String::new();
                let plans = r.chance(70);
                e.plans_to_work = Some(plans);
                if plans {
                    e.planned_tier = r.pick(crate::domain::codes::PLACE_TIER.codes).to_string();
                }
                e.services_wanted = vec![
                    r.pick(crate::domain::codes::SERVICE_WANTED.codes)
                        .to_string(),
                ];
                return e;
            }
        };
        e.kind = crate::domain::employment::kind_of(&e.place_tier, &e.channel).to_owned();
        e.start_month = Some(month(first));
        e.end_month = months.map(|n| month(first + n - 1));
        // Earned in the period, or in 2025 for work that goes on.
        let worked = months.unwrap_or(12 - first + 1);
        e.monthly_income_fen = Some(monthly * 100);
        e.income_fen = Some(monthly * 100 * worked);
        e
    }
}

/// A post type in the proportions of Sêrtar's posts (programmes.md: 1,698
/// grassland rangers, 892 forest rangers, 443 hazard patrollers of 4,207;
/// the rest shared by the other types), from a draw in `0..1000`.
fn weighted_type(types: &[PostType], draw: u64) -> &PostType {
    const WEIGHTS: &[(&str, u64)] = &[
        ("grassland_ranger", 404),
        ("forest_ranger", 212),
        ("hazard_patroller", 105),
        ("sanitation", 93),
        ("road_maintainer", 93),
        ("cultural_worker", 93),
    ];
    let mut at = 0;
    for (code, weight) in WEIGHTS {
        at += weight;
        if draw < at
            && let Some(t) = types.iter().find(|t| t.code == *code)
        {
            return t;
        }
    }
    &types[(draw as usize) % types.len()]
}

/// A training session that still has seats.
struct OpenSession {
    id: Uuid,
    seats: u64,
    dropouts: bool,
    status: &'static str,
    days_held: i64,
    start: NaiveDate,
    end: NaiveDate,
}
