//! The rules of employment records, held by the store whoever saves: no two
//! spells of one person overlap (nor overlap a post they hold), the channel
//! "public-welfare post" stays in the county, nobody without labour
//! capacity, under 16, or a student at the time is recorded as working;
//! a monthly income outside 100-30,000 yuan is a warning; the training a
//! job followed is marked; a project's workers are entered at once, all
//! or none. Each test breaks one rule on a small hand-made county and
//! checks the refusal's message and that nothing was written.

use chrono::NaiveDate;
use fieldbook::domain::employment::{TRANSFER_MONTHS, months_worked};
use fieldbook::domain::records::*;
use fieldbook::i18n::{Catalog, Lang, Localized};
use fieldbook::store::employment::WorkLine;
use fieldbook::store::{OpenOptions, Store, StoreError};
use tempfile::TempDir;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn key(e: StoreError) -> &'static str {
    e.key_args().0
}

struct County {
    _dir: TempDir,
    store: Store,
    village: Village,
    /// 扎西 (1980) and 卓玛 (1982): labourers.
    tashi: Person,
    drolma: Person,
    /// 才让 (1950): not a labourer in the roster.
    elder: Person,
    /// 格桑 (2012): 13 years old in 2025.
    child: Person,
}

fn county() -> County {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fieldbook.db");
    let mut store = Store::open(&path, OpenOptions::create()).unwrap();
    store.set_operator("卓玛");
    let township = store.townships().unwrap().remove(0);
    let mut village = Village {
        meta: RowMeta::new(),
        code: format!("{}001", township.code),
        township_id: township.meta.id,
        name_zh: "德钦村".into(),
        ..Village::default()
    };
    store.save(&mut village).unwrap();
    let mut h = Household {
        meta: RowMeta::new(),
        number: format!("{}000001", village.code),
        village_id: village.meta.id,
        registered_poor: true,
        ..Household::default()
    };
    let people = [
        ("扎西", d(1980, 5, 1), true, "head"),
        ("卓玛", d(1982, 6, 1), true, "spouse"),
        ("才让", d(1950, 1, 1), false, "parent"),
        ("格桑", d(2012, 3, 1), true, "child"),
    ];
    let mut members: Vec<Person> = people
        .iter()
        .enumerate()
        .map(|(i, (name, birth, labourer, relation))| Person {
            meta: RowMeta::new(),
            household_id: h.meta.id,
            position: i as i64,
            name_zh: (*name).to_owned(),
            birth_date: Some(*birth),
            is_labourer: *labourer,
            relation: (*relation).to_owned(),
            ..Person::default()
        })
        .collect();
    store.save_household(&mut h, &mut members).unwrap();
    let mut m = members.into_iter();
    County {
        _dir: dir,
        store,
        village,
        tashi: m.next().unwrap(),
        drolma: m.next().unwrap(),
        elder: m.next().unwrap(),
        child: m.next().unwrap(),
    }
}

/// Local project work: in Sêrtar, organised, 2,000 yuan a month.
fn project(person: &Person, start: &str, end: Option<&str>) -> EmploymentRecord {
    EmploymentRecord {
        meta: RowMeta::new(),
        person_id: person.meta.id,
        kind: "local_short_term".into(),
        employer: "色达县农村公路建设项目".into(),
        start_month: Some(start.into()),
        end_month: end.map(Into::into),
        place_tier: "in_county".into(),
        work_county: "色达县".into(),
        industry: "construction".into(),
        channel: "organised_transfer".into(),
        monthly_income_fen: Some(200_000),
        ..EmploymentRecord::default()
    }
}

fn records(c: &County, p: &Person) -> usize {
    c.store.employment_of_person(p.meta.id).unwrap().len()
}

#[test]
fn spells_of_one_person_do_not_overlap() {
    let mut c = county();
    let mut first = project(&c.tashi, "2025-04", Some("2025-06"));
    c.store.save(&mut first).unwrap();
    // June is in both: refused, naming the first.
    let mut second = project(&c.tashi, "2025-06", Some("2025-08"));
    let e = c.store.save(&mut second).unwrap_err();
    assert_eq!(key(e), "employment.error.overlap");
    // Running on (no end month) from before: refused too.
    let mut open = project(&c.tashi, "2025-01", None);
    assert_eq!(
        key(c.store.save(&mut open).unwrap_err()),
        "employment.error.overlap"
    );
    assert_eq!(records(&c, &c.tashi), 1, "nothing written");
    // The month after, and someone else's same months: fine.
    let mut after = project(&c.tashi, "2025-07", None);
    c.store.save(&mut after).unwrap();
    let mut hers = project(&c.drolma, "2025-04", Some("2025-06"));
    c.store.save(&mut hers).unwrap();
    // A record changed in place does not overlap itself.
    first.end_month = Some("2025-05".into());
    c.store.save(&mut first).unwrap();
    // Nor does a deleted one stand in the way.
    c.store.delete::<EmploymentRecord>(after.meta.id).unwrap();
    let mut again = project(&c.tashi, "2025-06", Some("2025-12"));
    c.store.save(&mut again).unwrap();
}

#[test]
fn a_spell_does_not_overlap_a_post_held() {
    let mut c = county();
    let ranger = c
        .store
        .post_types()
        .unwrap()
        .into_iter()
        .find(|t| t.code == "forest_ranger")
        .unwrap();
    let mut post = Post {
        meta: RowMeta::new(),
        post_type_id: ranger.meta.id,
        village_id: c.village.meta.id,
        monthly_subsidy_fen: 50_000,
        required_days: 22,
        opened_on: d(2026, 1, 1),
        ..Post::default()
    };
    c.store.save_post(&mut post).unwrap();
    let mut a = PostAssignment {
        meta: RowMeta::new(),
        post_id: post.meta.id,
        person_id: c.drolma.meta.id,
        start_date: d(2026, 1, 1),
        agreement_end: d(2026, 12, 31),
        ..PostAssignment::default()
    };
    c.store.save(&mut a).unwrap();
    let mut work = project(&c.drolma, "2026-03", Some("2026-04"));
    assert_eq!(
        key(c.store.save(&mut work).unwrap_err()),
        "employment.error.overlap_post"
    );
    // Before the post: fine. And the post shows among her work, once.
    let mut before = project(&c.drolma, "2025-05", Some("2025-06"));
    c.store.save(&mut before).unwrap();
    let lines = c.store.work_of_person(c.drolma.meta.id).unwrap();
    assert_eq!(lines.len(), 2);
    assert!(matches!(&lines[0], WorkLine::Post(p) if p.assignment.meta.id == a.meta.id));
    assert_eq!(lines[0].start_month(), "2026-01");
    assert!(matches!(&lines[1], WorkLine::Record(r) if r.meta.id == before.meta.id));
}

#[test]
fn a_public_welfare_post_is_not_outside_the_county() {
    let mut c = county();
    let mut r = project(&c.tashi, "2025-04", None);
    r.channel = "welfare_post".into();
    r.kind = "welfare_post".into();
    r.place_tier = "in_province".into();
    r.work_county = "康定市".into();
    let e = c.store.save(&mut r).unwrap_err();
    let cat = Catalog::builtin();
    assert_eq!(e.key_args().0, "employment.error.post_outside");
    // Said in the user's language, with the place's label.
    let zh = e.message(&cat, Lang::Zh);
    assert!(zh.contains("省内县外"), "{zh}");
    let en = e.message(&cat, Lang::En);
    assert!(en.contains("Elsewhere in Sichuan"), "{en}");
    r.place_tier = "in_county".into();
    r.work_county = "色达县".into();
    c.store.save(&mut r).unwrap();
}

#[test]
fn the_place_is_filled_to_the_county_and_the_kind_follows_it() {
    let mut c = county();
    let mut r = project(&c.tashi, "2025-04", None);
    r.work_county = " ".into();
    assert_eq!(
        key(c.store.save(&mut r).unwrap_err()),
        "employment.error.county"
    );
    let mut r = project(&c.tashi, "2025-04", None);
    r.place_tier = String::new();
    assert_eq!(
        key(c.store.save(&mut r).unwrap_err()),
        "employment.error.place"
    );
    let mut r = project(&c.tashi, "2025-04", None);
    r.start_month = None;
    assert_eq!(
        key(c.store.save(&mut r).unwrap_err()),
        "employment.error.start"
    );
    // Outside the province, the kind still saying local work.
    let mut r = project(&c.tashi, "2025-04", None);
    r.place_tier = "out_of_province".into();
    assert_eq!(
        key(c.store.save(&mut r).unwrap_err()),
        "employment.error.kind"
    );
    // Months in order (the record's own rule).
    let mut r = project(&c.tashi, "2025-04", Some("2025-03"));
    assert_eq!(
        key(c.store.save(&mut r).unwrap_err()),
        "rule.date.end_before_start"
    );
    assert_eq!(records(&c, &c.tashi), 0);
}

#[test]
fn people_without_labour_capacity_and_children_are_not_recorded_as_working() {
    let mut c = county();
    let mut r = project(&c.elder, "2025-04", None);
    assert_eq!(
        key(c.store.save(&mut r).unwrap_err()),
        "employment.error.not_labourer"
    );
    let mut r = project(&c.child, "2025-04", None);
    let e = c.store.save(&mut r).unwrap_err();
    assert_eq!(e.key_args().0, "employment.error.too_young");
    assert!(e.key_args().1.contains(&("age", "13".to_owned())));
    // Their plans (not work) may be recorded.
    let mut plans = EmploymentRecord {
        meta: RowMeta::new(),
        person_id: c.elder.meta.id,
        kind: "not_employed".into(),
        plans_to_work: Some(false),
        ..EmploymentRecord::default()
    };
    c.store.save(&mut plans).unwrap();
    assert_eq!(records(&c, &c.child), 0);
}

#[test]
fn a_visit_answer_saying_student_refuses_work_at_that_time_and_warns_otherwise() {
    let mut c = county();
    let h = c.tashi.household_id;
    let mut v = Visit {
        meta: RowMeta::new(),
        household_id: h,
        visit_date: d(2025, 3, 10),
        round: "2025-start".into(),
        visit_type: "annual".into(),
        status: "draft".into(),
        ..Visit::default()
    };
    c.store.save(&mut v).unwrap();
    let mut a = VisitPerson {
        meta: RowMeta::new(),
        visit_id: v.meta.id,
        person_id: c.drolma.meta.id,
        employment_status: "student".into(),
        ..VisitPerson::default()
    };
    c.store.save(&mut a).unwrap();
    // Work through March 2025: the visit says she was a student then.
    let mut r = project(&c.drolma, "2025-02", Some("2025-04"));
    let e = c.store.save(&mut r).unwrap_err();
    assert_eq!(e.key_args().0, "employment.error.idle_answer");
    assert!(e.key_args().1.contains(&("date", "2025-03-10".to_owned())));
    // Work from May: saved, with a warning to check the answer.
    let mut r = project(&c.drolma, "2025-05", None);
    c.store.save(&mut r).unwrap();
    let w = c.store.employment_warnings(&r).unwrap();
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].key, "employment.warning.idle_answer");
}

#[test]
fn a_monthly_income_outside_100_to_30000_yuan_is_a_warning_not_a_refusal() {
    let mut c = county();
    let mut r = project(&c.tashi, "2025-04", None);
    for (fen, warned) in [
        (9_999, true),
        (10_000, false),
        (3_000_000, false),
        (3_000_001, true),
    ] {
        r.monthly_income_fen = Some(fen);
        c.store.save(&mut r).unwrap();
        let w = c.store.employment_warnings(&r).unwrap();
        assert_eq!(
            w.iter().any(|p| p.key == "employment.warning.income"),
            warned,
            "{fen} fen"
        );
    }
    // The amount is said in yuan.
    r.monthly_income_fen = Some(5_000);
    let w = c.store.employment_warnings(&r).unwrap();
    assert!(w[0].args.contains(&("amount", "50.00".to_owned())), "{w:?}");
}

#[test]
fn work_within_six_months_of_a_completed_training_marks_it_employed() {
    let mut c = county();
    let course = c.store.courses().unwrap().remove(0);
    let mut s = TrainingSession {
        meta: RowMeta::new(),
        course_id: course.meta.id,
        period: 1,
        mode: "to_villages".into(),
        start_date: d(2025, 3, 1),
        end_date: d(2025, 3, 20),
        capacity: 30,
        target_group: "poor_labourers".into(),
        code: format!("{}-2025-01", course.code),
        days_held: 15,
        status: "finished".into(),
        ..TrainingSession::default()
    };
    c.store.save(&mut s).unwrap();
    let enrol = |c: &mut County, p: &Person| {
        let mut e = Enrolment {
            meta: RowMeta::new(),
            session_id: s.meta.id,
            person_id: p.meta.id,
            outcome: "completed".into(),
            attendance_days: 15,
            ..Enrolment::default()
        };
        c.store.save(&mut e).unwrap();
        e
    };
    let (tashi, drolma) = (c.tashi.clone(), c.drolma.clone());
    let his = enrol(&mut c, &tashi);
    let hers = enrol(&mut c, &drolma);
    // March to September is six months on: counted. October is seven.
    let mut r = project(&tashi, "2025-09", None);
    c.store.save(&mut r).unwrap();
    let mut late = project(&drolma, "2025-10", None);
    c.store.save(&mut late).unwrap();
    let got = |c: &County, e: &Enrolment| {
        c.store
            .get::<Enrolment>(e.meta.id)
            .unwrap()
            .unwrap()
            .employed_after
    };
    assert!(got(&c, &his));
    assert!(!got(&c, &hers));
    let link = c.store.training_before(&r).unwrap().unwrap();
    assert_eq!(link.enrolment_id, his.meta.id);
    assert_eq!(c.store.training_before(&late).unwrap(), None);
}

#[test]
fn a_project_enters_many_workers_with_the_same_months_all_or_none() {
    let mut c = county();
    let mut p = project(&c.tashi, "2025-05", Some("2025-06"));
    p.employer = "色达县造林合作社".into();
    p.channel = "labour_cooperative".into();
    // The kind is the project's place and channel, whatever was given.
    p.kind = String::new();
    let ids = c
        .store
        .save_project_work(&p, &[c.tashi.meta.id, c.drolma.meta.id, c.tashi.meta.id])
        .unwrap();
    assert_eq!(ids.len(), 2, "a worker picked twice is entered once");
    for person in [&c.tashi, &c.drolma] {
        let r = c.store.employment_of_person(person.meta.id).unwrap();
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].kind, "cooperative");
        assert_eq!(r[0].start_month.as_deref(), Some("2025-05"));
        assert_eq!(r[0].end_month.as_deref(), Some("2025-06"));
    }
    // The elder cannot be recorded working: nobody of the batch is saved.
    let mut later = p.clone();
    later.start_month = Some("2025-08".into());
    later.end_month = Some("2025-08".into());
    let (who, e) = c
        .store
        .save_project_work(&later, &[c.drolma.meta.id, c.elder.meta.id])
        .unwrap_err();
    assert_eq!(who, Some(c.elder.meta.id));
    assert_eq!(key(e), "employment.error.not_labourer");
    assert_eq!(records(&c, &c.drolma), 1, "all or none");
}

#[test]
fn the_transfer_employment_threshold_is_a_setting_of_3_months_by_default() {
    let mut c = county();
    assert_eq!(c.store.transfer_months().unwrap(), 3);
    c.store.set_transfer_months(6).unwrap();
    assert_eq!(c.store.transfer_months().unwrap(), 6);
    assert!(c.store.set_transfer_months(0).is_err());
    assert!(
        c.store
            .set_transfer_months(TRANSFER_MONTHS.max + 1)
            .is_err()
    );
    // Months worked count both ends; a spell going on counts to the month given.
    assert_eq!(
        months_worked("2025-04", Some("2025-06"), "2026-01"),
        Some(3)
    );
    assert_eq!(months_worked("2025-11", None, "2026-01"), Some(3));
}
