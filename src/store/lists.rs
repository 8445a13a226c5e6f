//! The five lists Sichuan keeps per village (五个名单: basic information,
//! training, transfer employment, self-employment, public-welfare
//! placement), read from the records of the village's people and laid out
//! as the county keeps them. The lists screen and `fieldbook lists` print
//! the same [`ListTable`]s.

use chrono::NaiveDate;
use uuid::Uuid;

use super::posts::Names;
use super::{Result, Store};
use crate::domain::employment::{TRANSFER_MONTHS, months_worked};
use crate::domain::id_number::mask;
use crate::domain::rules::format_yuan;
use crate::i18n::{Catalog, Lang, catalogue_text, names_text};

/// Who a line is about: the person as every list names them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Who {
    pub household_number: String,
    pub name: Names,
    pub id_number: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BasicLine {
    pub who: Who,
    pub sex: String,
    pub birth_date: String,
    pub relation: String,
    pub education: String,
    pub labourer: bool,
    /// The employment status of the person's latest visit answer.
    pub status: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrainingLine {
    pub who: Who,
    pub course: Names,
    pub session_code: String,
    pub mode: String,
    pub start: String,
    pub end: String,
    pub outcome: String,
    pub certificate_no: String,
    pub employed_after: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkLine {
    pub who: Who,
    pub place: String,
    pub county: String,
    pub channel: String,
    pub employer: String,
    /// `YYYY-MM`.
    pub start: String,
    pub end: String,
    /// Months worked, to the day the lists are read while it runs.
    pub months: i64,
    pub monthly_income_fen: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlacementLine {
    pub who: Who,
    pub post_type: Names,
    pub post_village: Names,
    pub start: String,
    pub agreement_end: String,
    pub end: String,
    pub end_reason: String,
    pub monthly_subsidy_fen: i64,
}

/// A village's five lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FiveLists {
    pub village_code: String,
    pub village: Names,
    pub township: Names,
    pub basic: Vec<BasicLine>,
    pub training: Vec<TrainingLine>,
    pub transfer: Vec<WorkLine>,
    pub self_employed: Vec<WorkLine>,
    pub placement: Vec<PlacementLine>,
}

/// The live persons of a village's live households (?1: the village).
const PEOPLE: &str = "
    FROM person p JOIN household h ON h.id = p.household_id AND h.deleted_at IS NULL
    WHERE h.village_id = ?1 AND p.deleted_at IS NULL";
const WHO: &str = "h.number, p.name_zh, p.name_bo, p.id_number";

fn who(r: &rusqlite::Row<'_>) -> rusqlite::Result<Who> {
    Ok(Who {
        household_number: r.get(0)?,
        name: Names {
            zh: r.get(1)?,
            bo: r.get(2)?,
            en: String::new(),
        },
        id_number: r.get(3)?,
    })
}

fn names2(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Names> {
    Ok(Names {
        zh: r.get(at)?,
        bo: r.get(at + 1)?,
        en: String::new(),
    })
}

impl Store {
    /// The five lists of the village `village_id` as on `today`, `None` if
    /// there is no such village.
    pub fn five_lists(&self, village_id: Uuid, today: NaiveDate) -> Result<Option<FiveLists>> {
        let id = village_id.to_string();
        let head: Vec<(String, Names, Names)> = self.query(
            "SELECT v.code, v.name_zh, v.name_bo, t.name_zh, t.name_bo
             FROM village v JOIN township t ON t.id = v.township_id
             WHERE v.id = ?1 AND v.deleted_at IS NULL",
            [&id],
            |r| Ok((r.get(0)?, names2(r, 1)?, names2(r, 3)?)),
        )?;
        let Some((village_code, village, township)) = head.into_iter().next() else {
            return Ok(None);
        };
        let basic = self.query(
            &format!(
                "SELECT {WHO}, p.sex, coalesce(p.birth_date, ''), p.relation, p.education,
                        p.is_labourer,
                        coalesce((SELECT vp.employment_status FROM visit_person vp
                                  JOIN visit vi ON vi.id = vp.visit_id AND vi.deleted_at IS NULL
                                  WHERE vp.person_id = p.id AND vp.deleted_at IS NULL
                                  ORDER BY vi.visit_date DESC, vi.id DESC LIMIT 1), '')
                 {PEOPLE} ORDER BY h.number, p.position, p.id"
            ),
            [&id],
            |r| {
                Ok(BasicLine {
                    who: who(r)?,
                    sex: r.get(4)?,
                    birth_date: r.get(5)?,
                    relation: r.get(6)?,
                    education: r.get(7)?,
                    labourer: r.get(8)?,
                    status: r.get(9)?,
                })
            },
        )?;
        let training = self.query(
            &format!(
                "SELECT {WHO}, c.name_zh, c.name_bo, s.code, s.mode, s.start_date, s.end_date,
                        e.outcome, e.certificate_no, e.employed_after, c.name_en
                 FROM enrolment e JOIN training_session s ON s.id = e.session_id
                   AND s.deleted_at IS NULL
                 JOIN course c ON c.id = s.course_id
                 JOIN person p ON p.id = e.person_id AND p.deleted_at IS NULL
                 JOIN household h ON h.id = p.household_id AND h.deleted_at IS NULL
                 WHERE h.village_id = ?1 AND e.deleted_at IS NULL
                 ORDER BY h.number, p.position, s.start_date, s.code"
            ),
            [&id],
            |r| {
                Ok(TrainingLine {
                    who: who(r)?,
                    course: Names {
                        en: r.get(13)?,
                        ..names2(r, 4)?
                    },
                    session_code: r.get(6)?,
                    mode: r.get(7)?,
                    start: r.get(8)?,
                    end: r.get(9)?,
                    outcome: r.get(10)?,
                    certificate_no: r.get(11)?,
                    employed_after: r.get(12)?,
                })
            },
        )?;
        let until = today.format("%Y-%m").to_string();
        let work: Vec<WorkLine> = self.query(
            &format!(
                "SELECT {WHO}, r.place_tier, r.work_county, r.channel, r.employer,
                        coalesce(r.start_month, ''), coalesce(r.end_month, ''),
                        r.monthly_income_fen
                 FROM employment_record r JOIN person p ON p.id = r.person_id
                   AND p.deleted_at IS NULL
                 JOIN household h ON h.id = p.household_id AND h.deleted_at IS NULL
                 WHERE h.village_id = ?1 AND r.deleted_at IS NULL
                   AND r.kind NOT IN ('not_employed', 'student', 'unable')
                 ORDER BY h.number, p.position, r.start_month"
            ),
            [&id],
            |r| {
                let (start, end): (String, String) = (r.get(8)?, r.get(9)?);
                let months =
                    months_worked(&start, (!end.is_empty()).then_some(end.as_str()), &until)
                        .unwrap_or(0);
                Ok(WorkLine {
                    who: who(r)?,
                    place: r.get(4)?,
                    county: r.get(5)?,
                    channel: r.get(6)?,
                    employer: r.get(7)?,
                    start,
                    end,
                    months,
                    monthly_income_fen: r.get(10)?,
                })
            },
        )?;
        // Self-employment is the fourth list; transfer employment the work
        // of at least the county's months (a setting, 3 by default). Posts
        // are the fifth list, from their assignments.
        let threshold = self.post_setting(TRANSFER_MONTHS)?;
        let (self_employed, rest): (Vec<WorkLine>, Vec<WorkLine>) =
            work.into_iter().partition(|w| w.channel == "self_employed");
        let transfer = rest
            .into_iter()
            .filter(|w| w.channel != "welfare_post" && w.months >= threshold)
            .collect();
        let placement = self.query(
            &format!(
                "SELECT {WHO}, pt.name_zh, pt.name_bo, pv.name_zh, pv.name_bo, a.start_date,
                        a.agreement_end, coalesce(a.end_date, ''), a.end_reason,
                        po.monthly_subsidy_fen, pt.name_en
                 FROM post_assignment a JOIN post po ON po.id = a.post_id
                 JOIN post_type pt ON pt.id = po.post_type_id
                 JOIN village pv ON pv.id = po.village_id
                 JOIN person p ON p.id = a.person_id AND p.deleted_at IS NULL
                 JOIN household h ON h.id = p.household_id AND h.deleted_at IS NULL
                 WHERE h.village_id = ?1 AND a.deleted_at IS NULL
                 ORDER BY h.number, p.position, a.start_date"
            ),
            [&id],
            |r| {
                Ok(PlacementLine {
                    who: who(r)?,
                    post_type: Names {
                        en: r.get(13)?,
                        ..names2(r, 4)?
                    },
                    post_village: names2(r, 6)?,
                    start: r.get(8)?,
                    agreement_end: r.get(9)?,
                    end: r.get(10)?,
                    end_reason: r.get(11)?,
                    monthly_subsidy_fen: r.get(12)?,
                })
            },
        )?;
        Ok(Some(FiveLists {
            village_code,
            village,
            township,
            basic,
            training,
            transfer,
            self_employed,
            placement,
        }))
    }
}

/// The columns of each list a screen of 80 cells shows (by `ListTable::id`):
/// who, and what the list is about; the printed lists have them all.
pub fn screen_columns(id: &str) -> &'static [usize] {
    match id {
        // Household number, name, sex, birth date, labourer, status.
        "basic" => &[1, 2, 4, 5, 8, 9],
        // Name, course, session, outcome, employed after.
        "training" => &[2, 4, 5, 9, 11],
        // Name, place, channel, employer, from, to, months.
        "transfer" | "self_employed" => &[2, 4, 6, 7, 8, 9, 10],
        // Name, post, from, agreement end, left, subsidy.
        _ => &[2, 4, 6, 7, 8, 10],
    }
}

/// One list laid out: its title, column headings and lines, as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListTable {
    /// Stable name (sheet names, JSON).
    pub id: &'static str,
    pub title: String,
    /// The locale keys of the headings, and their texts.
    pub header_keys: Vec<&'static str>,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// The five lists as the county keeps them, in `lang`; ID numbers masked
/// when `public`.
pub fn tables(l: &FiveLists, cat: &Catalog, lang: Lang, public: bool) -> Vec<ListTable> {
    let mut out = laid_out(l, cat, lang, public);
    for t in &mut out {
        t.headers = t.header_keys.iter().map(|k| cat.text(lang, k)).collect();
    }
    out
}

fn laid_out(l: &FiveLists, cat: &Catalog, lang: Lang, public: bool) -> Vec<ListTable> {
    let t = |k: &str| cat.text(lang, k);
    let code = |list: &str, v: &str| {
        let key = format!("code.{list}.{v}");
        if v.is_empty() {
            String::new()
        } else if cat.has(&key) {
            cat.text(lang, &key)
        } else {
            crate::text::clean(v).into_owned()
        }
    };
    let yes_no = |b: bool| t(if b { "form.yes" } else { "form.no" });
    let who = |i: usize, w: &Who| {
        vec![
            (i + 1).to_string(),
            w.household_number.clone(),
            names_text(&w.name.zh, &w.name.bo, "", lang),
            if public {
                mask(&w.id_number)
            } else {
                w.id_number.clone()
            },
        ]
    };
    let heads = |more: &[&'static str]| -> Vec<&'static str> {
        [
            "roster.col.no",
            "household.number",
            "roster.col.name",
            "person.id_number",
        ]
        .iter()
        .chain(more)
        .copied()
        .collect()
    };
    let work = |lines: &[WorkLine]| -> Vec<Vec<String>> {
        lines
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let mut row = who(i, &w.who);
                row.extend([
                    code("place_tier", &w.place),
                    w.county.clone(),
                    code("work_channel", &w.channel),
                    w.employer.clone(),
                    w.start.clone(),
                    w.end.clone(),
                    w.months.to_string(),
                    w.monthly_income_fen.map(format_yuan).unwrap_or_default(),
                ]);
                row
            })
            .collect()
    };
    let work_heads = heads(&[
        "lists.col.place",
        "lists.col.county",
        "lists.col.channel",
        "lists.col.employer",
        "lists.col.start",
        "lists.col.end",
        "lists.col.months",
        "lists.col.monthly_income",
    ]);
    vec![
        ListTable {
            id: "basic",
            headers: Vec::new(),
            title: t("lists.basic"),
            header_keys: heads(&[
                "person.sex",
                "person.birth_date",
                "person.relation",
                "person.education",
                "person.is_labourer",
                "lists.col.status",
            ]),
            rows: l
                .basic
                .iter()
                .enumerate()
                .map(|(i, b)| {
                    let mut row = who(i, &b.who);
                    row.extend([
                        code("sex", &b.sex),
                        b.birth_date.clone(),
                        code("relation", &b.relation),
                        code("education", &b.education),
                        yes_no(b.labourer),
                        code("employment_status", &b.status),
                    ]);
                    row
                })
                .collect(),
        },
        ListTable {
            id: "training",
            headers: Vec::new(),
            title: t("lists.training"),
            header_keys: heads(&[
                "training.col.course",
                "training.col.code",
                "session.mode",
                "lists.col.start",
                "lists.col.end",
                "roster.col.outcome",
                "roster.col.certificate",
                "lists.col.employed_after",
            ]),
            rows: l
                .training
                .iter()
                .enumerate()
                .map(|(i, e)| {
                    let mut row = who(i, &e.who);
                    row.extend([
                        catalogue_text(cat, &e.course.zh, &e.course.bo, &e.course.en, lang),
                        e.session_code.clone(),
                        code("training_mode", &e.mode),
                        e.start.clone(),
                        e.end.clone(),
                        code("enrolment_outcome", &e.outcome),
                        e.certificate_no.clone(),
                        yes_no(e.employed_after),
                    ]);
                    row
                })
                .collect(),
        },
        ListTable {
            id: "transfer",
            headers: Vec::new(),
            title: t("lists.transfer"),
            header_keys: work_heads.clone(),
            rows: work(&l.transfer),
        },
        ListTable {
            id: "self_employed",
            headers: Vec::new(),
            title: t("lists.self_employed"),
            header_keys: work_heads,
            rows: work(&l.self_employed),
        },
        ListTable {
            id: "placement",
            headers: Vec::new(),
            title: t("lists.placement"),
            header_keys: heads(&[
                "lists.col.post_type",
                "lists.col.post_village",
                "lists.col.start",
                "lists.col.agreement_end",
                "lists.col.end",
                "lists.col.end_reason",
                "lists.col.monthly_subsidy",
            ]),
            rows: l
                .placement
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let mut row = who(i, &p.who);
                    row.extend([
                        catalogue_text(
                            cat,
                            &p.post_type.zh,
                            &p.post_type.bo,
                            &p.post_type.en,
                            lang,
                        ),
                        catalogue_text(cat, &p.post_village.zh, &p.post_village.bo, "", lang),
                        p.start.clone(),
                        p.agreement_end.clone(),
                        p.end.clone(),
                        code("end_reason", &p.end_reason),
                        format_yuan(p.monthly_subsidy_fen),
                    ]);
                    row
                })
                .collect(),
        },
    ]
}
