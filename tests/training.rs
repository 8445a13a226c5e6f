//! Training rosters in the store: the rules that keep a roster true
//! (capacity, once per session, a minor only where the target group allows,
//! days attended within days held, subsidy limits accepted only by a
//! supervisor), attendance by day, and the training-needs list, against
//! counts worked out by hand on a small fixed database.

use chrono::NaiveDate;
use fieldbook::domain::id_number::check_char;
use fieldbook::domain::records::*;
use fieldbook::store::training::SessionFilter;
use fieldbook::store::{OpenOptions, Store, StoreError};
use tempfile::TempDir;
use uuid::Uuid;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn id_number(birth: &str, seq: u32) -> String {
    let body = format!("513333{birth}{seq:03}");
    format!("{body}{}", check_char(&body).unwrap())
}

/// The key of the problem a refused save names.
fn refused(r: Result<impl std::fmt::Debug, StoreError>) -> &'static str {
    match r {
        Err(StoreError::Invalid { problem, .. }) => problem.key,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

pub struct World {
    pub _dir: TempDir,
    pub store: Store,
    pub township_a: Township,
    pub township_b: Township,
    /// a1 b. 1985 (wants cooking), a2 b. 2009-06-01 (a minor in 2026,
    /// wants sewing), a3 b. 1990 (wants sewing), a4 deleted (wanted sewing).
    pub a: Vec<Person>,
    /// b1 b. 1980 (wants sewing and cooking), b2 b. 1995 (wanted sewing
    /// once, latest visit nothing).
    pub b: Vec<Person>,
    pub sewing: Course,
    pub cooking: Course,
    /// Sewing in township A, 2026-04-01..20, 3 places, poor labourers.
    pub s1: TrainingSession,
    /// Cooking in township B, 2025, finished.
    pub s2: TrainingSession,
}

fn person(h: Uuid, pos: i64, name: &str, birth: NaiveDate, relation: &str, seq: u32) -> Person {
    Person {
        household_id: h,
        position: pos,
        name_zh: name.to_owned(),
        id_number: id_number(&birth.format("%Y%m%d").to_string(), seq),
        sex: "f".to_owned(),
        birth_date: Some(birth),
        relation: relation.to_owned(),
        is_labourer: true,
        ..Person::default()
    }
}

fn visit(store: &mut Store, h: Uuid, on: NaiveDate, wants: &[(Uuid, &str)]) {
    let mut v = Visit {
        household_id: h,
        visit_date: on,
        round: format!("{}-start", on.format("%Y")),
        visit_type: "annual".to_owned(),
        status: "draft".to_owned(),
        ..Visit::default()
    };
    let mut answers: Vec<VisitPerson> = wants
        .iter()
        .map(|(p, w)| VisitPerson {
            person_id: *p,
            employment_status: "not_employed".to_owned(),
            training_wanted: w.split_whitespace().map(str::to_owned).collect(),
            ..VisitPerson::default()
        })
        .collect();
    store.save_visit(&mut v, &mut answers).unwrap();
}

fn session(store: &mut Store, course: &Course, code: &str, township: Uuid) -> TrainingSession {
    TrainingSession {
        course_id: course.meta.id,
        period: 1,
        mode: "to_villages".to_owned(),
        start_date: d(2026, 4, 1),
        end_date: d(2026, 4, 20),
        capacity: 3,
        target_group: "poor_labourers".to_owned(),
        code: code.to_owned(),
        township_id: Some(township),
        status: "planned".to_owned(),
        ..TrainingSession::default()
    }
    .tap_save(store)
}

trait TapSave: Sized {
    fn tap_save(self, store: &mut Store) -> Self;
}
impl<E: fieldbook::store::Record + std::fmt::Debug> TapSave for E {
    fn tap_save(mut self, store: &mut Store) -> Self {
        store.save(&mut self).unwrap();
        self
    }
}

pub fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("fieldbook.db"), OpenOptions::create()).unwrap();
    store.set_operator("卓玛");
    let townships = store.townships().unwrap();
    let (ta, tb) = (townships[0].clone(), townships[1].clone());
    let village = |t: &Township, name: &str| Village {
        code: format!("{}201", t.code),
        township_id: t.meta.id,
        name_zh: name.to_owned(),
        ..Village::default()
    };
    let va = village(&ta, "甲村").tap_save(&mut store);
    let vb = village(&tb, "乙村").tap_save(&mut store);
    let mut ha = Household {
        number: format!("{}000001", va.code),
        village_id: va.meta.id,
        registered_poor: true,
        ..Household::default()
    };
    let mut a = vec![
        person(ha.meta.id, 0, "扎西", d(1985, 3, 14), "head", 11),
        person(ha.meta.id, 1, "卓玛", d(2009, 6, 1), "child", 12),
        person(ha.meta.id, 2, "次仁", d(1990, 7, 2), "child", 13),
        person(ha.meta.id, 3, "格桑", d(1992, 1, 5), "child", 14),
    ];
    store.save_household(&mut ha, &mut a).unwrap();
    let mut hb = Household {
        number: format!("{}000001", vb.code),
        village_id: vb.meta.id,
        registered_poor: true,
        ..Household::default()
    };
    let mut b = vec![
        person(hb.meta.id, 0, "多吉", d(1980, 2, 2), "head", 21),
        person(hb.meta.id, 1, "拉姆", d(1995, 5, 5), "spouse", 22),
    ];
    store.save_household(&mut hb, &mut b).unwrap();
    // Household A: an old visit wanted more; the latest is what counts.
    visit(
        &mut store,
        ha.meta.id,
        d(2025, 3, 1),
        &[(a[0].meta.id, "sewing cooking"), (a[2].meta.id, "cooking")],
    );
    visit(
        &mut store,
        ha.meta.id,
        d(2026, 1, 10),
        &[
            (a[0].meta.id, "cooking"),
            (a[1].meta.id, "sewing"),
            (a[2].meta.id, "sewing"),
            (a[3].meta.id, "sewing"),
        ],
    );
    visit(
        &mut store,
        hb.meta.id,
        d(2025, 2, 1),
        &[(b[1].meta.id, "sewing")],
    );
    visit(
        &mut store,
        hb.meta.id,
        d(2026, 1, 11),
        &[(b[0].meta.id, "sewing cooking"), (b[1].meta.id, "")],
    );
    // a4 leaves the household (deleted): no longer wanting anything.
    store.delete::<Person>(a[3].meta.id).unwrap();
    assert!(store.get::<Person>(a[3].meta.id).unwrap().is_none());
    let courses = store.courses().unwrap();
    let course = |code: &str| courses.iter().find(|c| c.code == code).unwrap().clone();
    let (sewing, cooking) = (course("sewing"), course("cooking"));
    let s1 = session(&mut store, &sewing, "sewing-2026-01", ta.meta.id);
    let mut s2 = session(&mut store, &cooking, "cooking-2025-01", tb.meta.id);
    s2.start_date = d(2025, 5, 1);
    s2.end_date = d(2025, 5, 20);
    s2.days_held = 14;
    s2.status = "finished".to_owned();
    store.save(&mut s2).unwrap();
    // b1 completed cooking; a3 is enrolled in sewing.
    let (mut e, _) = store.enrol(s2.meta.id, b[0].meta.id, false).unwrap();
    e.outcome = "completed".to_owned();
    e.attendance_days = 14;
    store.save(&mut e).unwrap();
    store.enrol(s1.meta.id, a[2].meta.id, false).unwrap();
    World {
        _dir: dir,
        store,
        township_a: ta,
        township_b: tb,
        a,
        b,
        sewing,
        cooking,
        s1,
        s2,
    }
}

#[test]
fn the_needs_list_counts_the_latest_wish_of_each_living_person() {
    let w = world();
    let rows: Vec<(String, Uuid, [i64; 4])> = w
        .store
        .training_needs()
        .unwrap()
        .into_iter()
        .map(|r| {
            (
                r.course_code,
                r.township_id,
                [r.wanting, r.enrolled, r.trained, r.waiting],
            )
        })
        .collect();
    let (ta, tb) = (w.township_a.meta.id, w.township_b.meta.id);
    // Worked out by hand from the fixture:
    // cooking/A: a1 wants it (his older wish for sewing no longer counts), waiting.
    // cooking/B: b1 wants it and completed it.
    // sewing/A: a2 and a3 (a4 deleted); a3 enrolled, a2 waiting.
    // sewing/B: b1 waiting (b2's latest visit wants nothing).
    let mut want = vec![
        ("cooking".to_owned(), ta, [1, 0, 0, 1]),
        ("cooking".to_owned(), tb, [1, 0, 1, 0]),
        ("sewing".to_owned(), ta, [2, 1, 0, 1]),
        ("sewing".to_owned(), tb, [1, 0, 0, 1]),
    ];
    let mut got = rows.clone();
    got.sort();
    want.sort();
    assert_eq!(got, want);
    let waiting: Vec<String> = w
        .store
        .waiting_for("sewing", ta)
        .unwrap()
        .into_iter()
        .map(|p| p.name_zh)
        .collect();
    assert_eq!(waiting, ["卓玛"]);
}

#[test]
fn a_dropout_waits_again() {
    let mut w = world();
    let mut e = w.store.enrolments_of(w.s1.meta.id).unwrap().remove(0);
    e.outcome = "dropped".to_owned();
    e.drop_reason = "外出务工".to_owned();
    w.store.save(&mut e).unwrap();
    let names: Vec<String> = w
        .store
        .waiting_for("sewing", w.township_a.meta.id)
        .unwrap()
        .into_iter()
        .map(|p| p.name_zh)
        .collect();
    assert_eq!(names, ["卓玛", "次仁"]);
}

#[test]
fn a_full_session_a_second_enrolment_and_a_minor_in_an_adult_session_are_refused() {
    let mut w = world();
    let s1 = w.s1.meta.id;
    let audit = w.store.audit_len().unwrap();
    // a3 is on the roster already.
    assert_eq!(
        refused(w.store.enrol(s1, w.a[2].meta.id, false)),
        "training.error.enrolled_twice"
    );
    // a2 is 16 at the start (born 2009-06-01, starts 2026-04-01).
    assert_eq!(
        refused(w.store.enrol(s1, w.a[1].meta.id, false)),
        "training.error.minor"
    );
    assert_eq!(w.store.audit_len().unwrap(), audit, "nothing saved");
    w.store.enrol(s1, w.a[0].meta.id, false).unwrap();
    w.store.enrol(s1, w.b[1].meta.id, false).unwrap();
    // Three places, three trainees: the fourth is refused.
    assert_eq!(
        refused(w.store.enrol(s1, w.b[0].meta.id, false)),
        "training.error.full"
    );
    assert_eq!(w.store.enrolments_of(s1).unwrap().len(), 3);
    // A deleted person, a deleted session.
    assert_eq!(
        refused(w.store.enrol(w.s2.meta.id, w.a[3].meta.id, false)),
        "training.error.no_person"
    );
    let mut gone = session(
        &mut w.store,
        &w.sewing,
        "sewing-2026-09",
        w.township_a.meta.id,
    );
    w.store.delete::<TrainingSession>(gone.meta.id).unwrap();
    gone.meta.deleted_at = None;
    assert_eq!(
        refused(w.store.enrol(gone.meta.id, w.a[0].meta.id, false)),
        "training.error.no_session"
    );
}

#[test]
fn a_minor_is_enrolled_in_a_school_leavers_session_with_a_flag_and_an_adult_is_warned() {
    let mut w = world();
    let mut s = session(
        &mut w.store,
        &w.sewing,
        "sewing-2026-02",
        w.township_a.meta.id,
    );
    s.target_group = "dropouts_16_18".to_owned();
    w.store.save(&mut s).unwrap();
    let (_, minor) = w.store.enrol(s.meta.id, w.a[1].meta.id, false).unwrap();
    let keys: Vec<_> = minor.iter().map(|p| p.key).collect();
    assert_eq!(keys, ["rule.age.minor"]);
    let (_, adult) = w.store.enrol(s.meta.id, w.a[0].meta.id, false).unwrap();
    let keys: Vec<_> = adult.iter().map(|p| p.key).collect();
    assert_eq!(keys, ["training.warning.older_in_school_leavers"]);
    // Under 16 at the start: refused everywhere.
    let mut child = w.store.get::<Person>(w.a[1].meta.id).unwrap().unwrap();
    let mut s3 = session(
        &mut w.store,
        &w.cooking,
        "cooking-2026-02",
        w.township_a.meta.id,
    );
    s3.target_group = "dropouts_16_18".to_owned();
    s3.start_date = d(2025, 5, 31);
    s3.end_date = d(2025, 6, 30);
    w.store.save(&mut s3).unwrap();
    child.name_bo = String::new();
    assert_eq!(
        refused(w.store.enrol(s3.meta.id, child.meta.id, false)),
        "rule.age.too_young"
    );
}

#[test]
fn a_session_cannot_shrink_below_its_roster_or_take_another_sessions_code() {
    let mut w = world();
    let audit = w.store.audit_len().unwrap();
    let mut s1 = w
        .store
        .get::<TrainingSession>(w.s1.meta.id)
        .unwrap()
        .unwrap();
    s1.capacity = 0;
    assert_eq!(
        refused(w.store.save(&mut s1)),
        "training.error.capacity_below"
    );
    let mut s1 = w
        .store
        .get::<TrainingSession>(w.s1.meta.id)
        .unwrap()
        .unwrap();
    s1.code = "cooking-2025-01".to_owned();
    assert_eq!(refused(w.store.save(&mut s1)), "training.error.code_taken");
    let mut s1 = w
        .store
        .get::<TrainingSession>(w.s1.meta.id)
        .unwrap()
        .unwrap();
    s1.end_date = d(2026, 3, 1);
    assert_eq!(refused(w.store.save(&mut s1)), "rule.date.end_before_start");
    assert_eq!(w.store.audit_len().unwrap(), audit, "nothing saved");
    // One place is enough for the one trainee.
    let mut s1 = w
        .store
        .get::<TrainingSession>(w.s1.meta.id)
        .unwrap()
        .unwrap();
    s1.capacity = 1;
    w.store.save(&mut s1).unwrap();
}

#[test]
fn a_days_register_recounts_days_attended_and_days_held() {
    let mut w = world();
    let s1 = w.s1.meta.id;
    let (e1, _) = w.store.enrol(s1, w.a[0].meta.id, false).unwrap();
    let e3 = w
        .store
        .enrolments_of(s1)
        .unwrap()
        .into_iter()
        .find(|e| e.person_id == w.a[2].meta.id)
        .unwrap();
    w.store
        .save_attendance_day(s1, d(2026, 4, 1), &[(e1.meta.id, true), (e3.meta.id, true)])
        .unwrap();
    w.store
        .save_attendance_day(
            s1,
            d(2026, 4, 2),
            &[(e1.meta.id, true), (e3.meta.id, false)],
        )
        .unwrap();
    // The same day again, changed: replaced, not added.
    w.store
        .save_attendance_day(
            s1,
            d(2026, 4, 2),
            &[(e1.meta.id, false), (e3.meta.id, true)],
        )
        .unwrap();
    let days =
        |store: &Store, id: Uuid| store.get::<Enrolment>(id).unwrap().unwrap().attendance_days;
    assert_eq!(days(&w.store, e1.meta.id), 1);
    assert_eq!(days(&w.store, e3.meta.id), 2);
    let s = w.store.get::<TrainingSession>(s1).unwrap().unwrap();
    assert_eq!(s.days_held, 2);
    let on2 = w.store.attendance_on(s1, d(2026, 4, 2)).unwrap();
    assert_eq!(on2.len(), 2);
    // A day outside the session: refused, the register unchanged.
    let audit = w.store.audit_len().unwrap();
    assert_eq!(
        refused(
            w.store
                .save_attendance_day(s1, d(2026, 4, 21), &[(e1.meta.id, true)])
        ),
        "training.error.day_outside"
    );
    assert_eq!(w.store.audit_len().unwrap(), audit);
    // Days attended above the days held, typed: refused.
    let mut e = w.store.get::<Enrolment>(e1.meta.id).unwrap().unwrap();
    e.attendance_days = 3;
    assert_eq!(
        refused(w.store.save(&mut e)),
        "training.error.attendance_over"
    );
    // Nor can the days held drop below a trainee's days attended.
    let mut s = w.store.get::<TrainingSession>(s1).unwrap().unwrap();
    s.days_held = 1;
    assert_eq!(refused(w.store.save(&mut s)), "training.error.days_below");
}

#[test]
fn a_certificate_goes_only_with_a_pass_and_a_dropout_with_a_reason() {
    let mut w = world();
    let mut e = w.store.enrolments_of(w.s1.meta.id).unwrap().remove(0);
    e.certificate_no = "SD00000001".to_owned();
    assert_eq!(
        refused(w.store.save(&mut e)),
        "training.error.certificate_without_pass"
    );
    e.outcome = "completed".to_owned();
    e.practical_result = "fail".to_owned();
    assert_eq!(
        refused(w.store.save(&mut e)),
        "training.error.certificate_without_pass"
    );
    e.practical_result = "pass".to_owned();
    e.theory_result = "pass".to_owned();
    w.store.save(&mut e).unwrap();
    let mut e = w.store.get::<Enrolment>(e.meta.id).unwrap().unwrap();
    e.certificate_no.clear();
    e.outcome = "dropped".to_owned();
    assert_eq!(refused(w.store.save(&mut e)), "training.error.drop_reason");
}

fn course(store: &mut Store, code: &str, trade: &str, level: &str) -> Course {
    Course {
        code: code.to_owned(),
        name_zh: code.to_owned(),
        category: "national_standard".to_owned(),
        trade: trade.to_owned(),
        level: level.to_owned(),
        standard_hours: 80,
        ..Course::default()
    }
    .tap_save(store)
}

#[test]
fn subsidy_limits_are_refused_until_a_supervisor_accepts_them_in_their_own_name() {
    let mut w = world();
    let p = w.a[0].meta.id;
    let weld4 = course(&mut w.store, "weld_4", "焊工", "4");
    let weld5 = course(&mut w.store, "weld_5", "焊工", "5");
    let ta = w.township_a.meta.id;
    let s4 = session(&mut w.store, &weld4, "weld_4-2026-01", ta);
    let s5a = session(&mut w.store, &weld5, "weld_5-2026-01", ta);
    let mut s5b = session(&mut w.store, &weld5, "weld_5-2027-01", ta);
    s5b.start_date = d(2027, 4, 1);
    s5b.end_date = d(2027, 4, 20);
    w.store.save(&mut s5b).unwrap();
    // Level 4, then level 5 of the same trade: lower after higher.
    w.store.enrol(s4.meta.id, p, false).unwrap();
    assert_eq!(
        refused(w.store.enrol(s5a.meta.id, p, false)),
        "training.limit.lower_level"
    );
    // Said as an error (the enrol screen shows the same problem as a
    // warning to accept before saving).
    match w.store.enrol(s5a.meta.id, p, false) {
        Err(StoreError::Invalid { problem, .. }) => {
            assert_eq!(problem.severity, fieldbook::domain::Severity::Error)
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    // A surveyor cannot accept it, not even by writing a supervisor's name.
    let mut e = Enrolment {
        session_id: s5a.meta.id,
        person_id: p,
        outcome: "enrolled".to_owned(),
        limits_accepted_by: "卓玛".to_owned(),
        ..Enrolment::default()
    };
    assert_eq!(
        refused(w.store.save(&mut e)),
        "training.error.accept_supervisor"
    );
    w.store.set_setting("role", "supervisor").unwrap();
    e.limits_accepted_by = "别人".to_owned();
    assert_eq!(
        refused(w.store.save(&mut e)),
        "training.error.accept_supervisor"
    );
    let (e, warnings) = w.store.enrol(s5a.meta.id, p, true).unwrap();
    assert_eq!(e.limits_accepted_by, "卓玛");
    assert!(
        warnings
            .iter()
            .any(|x| x.key == "training.limit.lower_level")
    );
    // Level 5 again next year: the same trade at the same level.
    w.store.set_setting("role", "surveyor").unwrap();
    assert_eq!(
        refused(w.store.enrol(s5b.meta.id, p, false)),
        "training.limit.same_level"
    );
}

#[test]
fn more_than_the_yearly_limit_is_refused_and_the_limit_is_a_setting() {
    let mut w = world();
    let p = w.b[1].meta.id;
    let ta = w.township_a.meta.id;
    let mut ids = Vec::new();
    for (i, code) in ["cooking", "sewing", "motorcycle_repair", "electrician"]
        .iter()
        .enumerate()
    {
        let c = w
            .store
            .courses()
            .unwrap()
            .into_iter()
            .find(|c| c.code == *code)
            .unwrap_or_else(|| panic!("{code} seeded"));
        ids.push(
            session(&mut w.store, &c, &format!("{code}-2026-1{i}"), ta)
                .meta
                .id,
        );
    }
    for id in &ids[..3] {
        w.store.enrol(*id, p, false).unwrap();
    }
    assert_eq!(
        refused(w.store.enrol(ids[3], p, false)),
        "training.limit.per_year"
    );
    // Only a supervisor changes the limit.
    assert_eq!(
        refused(
            w.store
                .set_setting(fieldbook::store::training::LIMIT_PER_YEAR, "4")
        ),
        "settings.error.limit_supervisor"
    );
    w.store.set_setting("role", "supervisor").unwrap();
    w.store
        .set_setting(fieldbook::store::training::LIMIT_PER_YEAR, "4")
        .unwrap();
    w.store.set_setting("role", "surveyor").unwrap();
    w.store.enrol(ids[3], p, false).unwrap();
    // A dropout does not count against the limit.
    assert_eq!(w.store.enrolments_of_person(p).unwrap().len(), 4);
}

#[test]
fn the_session_list_filters_by_course_township_year_and_status_and_counts_the_roster() {
    let w = world();
    let all = w
        .store
        .sessions_page(&SessionFilter::default(), 0, 50)
        .unwrap();
    let codes: Vec<(&str, i64, i64)> = all
        .iter()
        .map(|r| (r.session.code.as_str(), r.enrolled, r.session.capacity))
        .collect();
    // Newest start first.
    assert_eq!(codes, [("sewing-2026-01", 1, 3), ("cooking-2025-01", 1, 3)]);
    let only = |f: SessionFilter| -> Vec<String> {
        w.store
            .sessions_page(&f, 0, 50)
            .unwrap()
            .into_iter()
            .map(|r| r.session.code)
            .collect()
    };
    assert_eq!(
        only(SessionFilter {
            course: Some(w.cooking.meta.id),
            ..Default::default()
        }),
        ["cooking-2025-01"]
    );
    assert_eq!(
        only(SessionFilter {
            township: Some(w.township_a.meta.id),
            ..Default::default()
        }),
        ["sewing-2026-01"]
    );
    assert_eq!(
        only(SessionFilter {
            year: Some(2025),
            ..Default::default()
        }),
        ["cooking-2025-01"]
    );
    assert_eq!(
        only(SessionFilter {
            status: Some("planned".into()),
            ..Default::default()
        }),
        ["sewing-2026-01"]
    );
    assert_eq!(
        w.store
            .session_count(&SessionFilter {
                year: Some(2024),
                ..Default::default()
            })
            .unwrap(),
        0
    );
    let roster = w.store.roster(w.s1.meta.id).unwrap();
    assert_eq!(roster.len(), 1);
    assert_eq!(roster[0].name_zh, "次仁");
    let trainings = w.store.trainings_of_person(w.b[0].meta.id).unwrap();
    assert_eq!(trainings.len(), 1);
    assert_eq!(trainings[0].session_code, "cooking-2025-01");
    assert_eq!(trainings[0].outcome, "completed");
}

fn roster_cmd(w: &World, args: &[&str]) -> assert_cmd::assert::Assert {
    let db = w.store.path().to_path_buf();
    assert_cmd::Command::cargo_bin("fieldbook")
        .unwrap()
        .arg("--db")
        .arg(&db)
        .args(args)
        .assert()
}

#[test]
fn the_roster_command_prints_the_roster_as_published_and_masks_ids_when_public() {
    let mut w = world();
    let (mut e, _) = w.store.enrol(w.s1.meta.id, w.a[0].meta.id, false).unwrap();
    e.outcome = "completed".into();
    e.theory_result = "pass".into();
    e.practical_result = "pass".into();
    e.certificate_no = "SD00000042".into();
    w.store.save(&mut e).unwrap();
    let full = w.a[0].id_number.clone();
    let out = roster_cmd(&w, &["--lang", "zh", "roster", "sewing-2026-01"]).success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    // A title, the headings, and one line per trainee by household order.
    assert_eq!(lines.len(), 4, "{text}");
    assert!(lines[1].starts_with("序号  姓名"), "{text}");
    assert!(lines[2].starts_with("1     扎西"), "{text}");
    assert!(
        lines[2].contains(&full) && lines[2].contains("SD00000042"),
        "{text}"
    );
    assert!(lines[2].contains("结业"), "{text}");
    assert!(
        lines[3].starts_with("2     次仁") && lines[3].contains("在训"),
        "{text}"
    );
    let public = roster_cmd(
        &w,
        &["--lang", "zh", "roster", "sewing-2026-01", "--public"],
    )
    .success();
    let text = String::from_utf8(public.get_output().stdout.clone()).unwrap();
    assert!(!text.contains(&full), "{text}");
    assert!(
        text.contains(&format!("513333********{}", &full[14..])),
        "{text}"
    );
    let json = roster_cmd(
        &w,
        &["roster", "sewing-2026-01", "--format", "json", "--public"],
    )
    .success();
    let text = String::from_utf8(json.get_output().stdout.clone()).unwrap();
    let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(first["certificate"], "SD00000042");
    assert_eq!(first["days"], "0/0");
    assert_eq!(text.lines().count(), 2);
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("roster.xlsx");
    roster_cmd(
        &w,
        &[
            "roster",
            "sewing-2026-01",
            "--format",
            "csv",
            "--xlsx",
            xlsx.to_str().unwrap(),
        ],
    )
    .success();
    assert!(std::fs::metadata(&xlsx).unwrap().len() > 1000);
}

#[test]
fn an_unknown_session_is_said_in_the_users_language_with_how_sessions_are_named() {
    let w = world();
    let out = roster_cmd(&w, &["--lang", "zh", "roster", "sewing-26-1"]).failure();
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(err.contains("没有编号为“sewing-26-1”的期次"), "{err}");
    assert!(err.contains("cooking-2026-03"), "{err}");
}

mod support;

#[test]
fn by_keys_a_clerk_enrols_found_people_is_refused_a_minor_and_takes_a_days_attendance() {
    use ratatui::crossterm::event::KeyCode::*;
    let w = world();
    let World {
        _dir, store, a, s1, ..
    } = w;
    let mut t = support::TestApp::on(store, fieldbook::i18n::Lang::En, _dir);
    t.app.today = d(2026, 4, 2);
    t.chars("t");
    assert_eq!(t.app.screen_title_key(), "training.title");
    // Newest first: sewing-2026-01 is the first row.
    t.key(Enter);
    assert_eq!(t.app.screen_title_key(), "roster.title");
    t.chars("a");
    assert_eq!(t.app.screen_title_key(), "enrol.title");
    // The minor, found by her ID number: refused, said why.
    t.chars(&a[1].id_number).key(Enter);
    assert_eq!(t.app.message().map(|m| m.key), Some("training.error.minor"));
    // Her father, found by name, then typed again: enrolled once.
    t.key(Home);
    for _ in 0..a[1].id_number.len() {
        t.key(Delete);
    }
    t.chars("扎西").key(Enter);
    assert_eq!(t.app.message().map(|m| m.key), Some("enrol.done"));
    t.chars("扎西").key(Enter);
    assert_eq!(
        t.app.message().map(|m| m.key),
        Some("training.error.enrolled_twice")
    );
    t.key(Esc);
    assert_eq!(t.app.screen_title_key(), "roster.title");
    // A day's register: present, absent, saved.
    t.chars("p");
    assert_eq!(t.app.screen_title_key(), "attendance.title");
    t.chars("f").chars("d");
    t.ctrl('s');
    assert_eq!(t.app.message().map(|m| m.key), Some("attendance.saved"));
    let roster = t.store().roster(s1.meta.id).unwrap();
    let days: Vec<(String, i64)> = roster
        .iter()
        .map(|r| (r.name_zh.clone(), r.enrolment.attendance_days))
        .collect();
    assert_eq!(days, [("扎西".to_owned(), 1), ("次仁".to_owned(), 0)]);
    let on = t.store().attendance_on(s1.meta.id, d(2026, 4, 2)).unwrap();
    assert_eq!(on.len(), 2);
    assert_eq!(
        t.store()
            .get::<TrainingSession>(s1.meta.id)
            .unwrap()
            .unwrap()
            .days_held,
        1
    );
}

/// A session of 60 trainees, names in both scripts of every width.
fn sixty(store: &mut Store) -> Uuid {
    let t = store.townships().unwrap().remove(0);
    let v = Village {
        code: format!("{}205", t.code),
        township_id: t.meta.id,
        name_zh: "色柯村".to_owned(),
        name_bo: "གསེར་ཁོག".to_owned(),
        ..Village::default()
    }
    .tap_save(store);
    let zh = ["扎西", "卓玛", "次仁多吉", "益西", "格桑曲珍", "拉姆"];
    let bo = ["བཀྲ་ཤིས", "སྒྲོལ་མ", "ཚེ་རིང་རྡོ་རྗེ", "ཡེ་ཤེས", "སྐལ་བཟང་ཆོས་སྒྲོན", "ལྷ་མོ"];
    let mut ids = Vec::new();
    for h in 0..30u32 {
        let mut hh = Household {
            number: format!("{}{:06}", v.code, h + 1),
            village_id: v.meta.id,
            registered_poor: true,
            ..Household::default()
        };
        let mut people = vec![
            person(
                hh.meta.id,
                0,
                zh[(h % 6) as usize],
                d(1980 + (h % 20) as i32, 1, 2),
                "head",
                h * 2,
            ),
            person(
                hh.meta.id,
                1,
                zh[((h + 3) % 6) as usize],
                d(1985 + (h % 15) as i32, 3, 4),
                "spouse",
                h * 2 + 1,
            ),
        ];
        people[0].name_bo = bo[(h % 6) as usize].to_owned();
        people[1].name_bo = bo[((h + 3) % 6) as usize].to_owned();
        people[1].sex = "m".to_owned();
        store.save_household(&mut hh, &mut people).unwrap();
        ids.extend(people.iter().map(|p| p.meta.id));
    }
    let sewing = store
        .courses()
        .unwrap()
        .into_iter()
        .find(|c| c.code == "sewing")
        .unwrap();
    let mut s = session(store, &sewing, "sewing-2026-07", t.meta.id);
    s.capacity = 60;
    s.days_held = 10;
    store.save(&mut s).unwrap();
    for (i, p) in ids.iter().enumerate() {
        let (mut e, _) = store.enrol(s.meta.id, *p, false).unwrap();
        e.attendance_days = (i % 11) as i64;
        if i % 4 == 0 {
            e.outcome = "completed".to_owned();
            e.theory_result = "pass".to_owned();
            e.practical_result = "pass".to_owned();
            e.certificate_no = format!("SD{:08}", i);
        }
        store.save(&mut e).unwrap();
    }
    s.meta.id
}

#[test]
fn a_sixty_trainee_roster_at_80x24_in_every_language_keeps_its_columns() {
    use fieldbook::i18n::Lang;
    use ratatui::crossterm::event::KeyCode::*;
    for lang in [Lang::Zh, Lang::Bo, Lang::ZhBo, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let mut store =
            Store::open(&dir.path().join("fieldbook.db"), OpenOptions::create()).unwrap();
        store.set_operator("卓玛");
        sixty(&mut store);
        let mut t = support::TestApp::on(store, lang, dir);
        t.chars("t").key(Enter);
        assert_eq!(t.app.screen_title_key(), "roster.title");
        t.times(30, Down);
        let screen = t.render(80, 24);
        // No column drift: every trainee line has its ID number (masked,
        // 18 cells) starting at the same cell.
        let starts: Vec<usize> = screen
            .lines()
            .filter_map(|l| {
                let i = l.find("513333")?;
                Some(fieldbook::text::width(&l[..i]))
            })
            .collect();
        assert!(starts.len() >= 15, "{lang:?}: a page of trainees\n{screen}");
        assert!(
            starts.windows(2).all(|w| w[0] == w[1]),
            "{lang:?}\n{screen}"
        );
        // The selected trainee (31st) is on screen.
        assert!(
            screen.lines().any(|l| l.trim_start().starts_with("31 ")),
            "{lang:?}\n{screen}"
        );
        insta::assert_snapshot!(
            format!("roster_60@{}", lang.code().replace('+', "_")),
            screen
        );
        t.chars("p").chars("f").chars("d").chars("f");
        insta::assert_snapshot!(
            format!("attendance_60@{}", lang.code().replace('+', "_")),
            t.render(80, 24)
        );
    }
}

#[test]
fn the_household_screen_and_search_show_each_members_trainings() {
    use ratatui::crossterm::event::KeyCode::*;
    let w = world();
    // One query for the household gives each member what their own gives.
    for members in [&w.a, &w.b] {
        let by = w
            .store
            .trainings_of_household(members[0].household_id)
            .unwrap();
        for p in members.iter() {
            let own = w.store.trainings_of_person(p.meta.id).unwrap();
            let theirs = by.get(&p.meta.id).cloned().unwrap_or_default();
            assert_eq!(theirs, own, "{}", p.name_zh);
        }
        assert!(by.values().all(|t| !t.is_empty()));
    }
    assert!(
        !w.store
            .trainings_of_person(w.a[2].meta.id)
            .unwrap()
            .is_empty()
    );
    let World { _dir, store, .. } = w;
    let mut t = support::TestApp::on(store, fieldbook::i18n::Lang::Zh, _dir);
    t.chars("/").chars("多吉");
    let found = t.render(100, 24);
    // b1 completed cooking: search says so under his line.
    assert!(
        found.contains("中式烹饪") || found.contains("烹饪"),
        "{found}"
    );
    t.key(Enter);
    let screen = t.render(100, 24);
    let line = screen
        .lines()
        .find(|l| l.contains("多吉") && l.contains("户主"))
        .unwrap_or_default();
    assert!(line.contains("烹饪"), "{screen}");
    // Lhamo has no training: nothing after her.
    let line = screen
        .lines()
        .find(|l| l.contains("拉姆"))
        .unwrap_or_default();
    assert!(!line.contains("烹饪"), "{screen}");
}

#[test]
fn the_needs_follow_a_visit_redated_or_deleted_and_a_household_that_moves() {
    let mut w = world();
    let (ta, tb) = (w.township_a.meta.id, w.township_b.meta.id);
    let counts = |store: &Store| -> Vec<(String, Uuid, i64)> {
        let mut v: Vec<_> = store
            .training_needs()
            .unwrap()
            .into_iter()
            .map(|r| (r.course_code, r.township_id, r.wanting))
            .collect();
        v.sort();
        v
    };
    let ha = w.a[0].household_id;
    let mut latest = w.store.visits_of(ha).unwrap().remove(0);
    assert_eq!(latest.visit_date, d(2026, 1, 10));
    // Redated before the other: the 2025 answers are the latest now for
    // a1 (sewing and cooking) and a3 (cooking); a2 was not asked in 2025,
    // so her only answer (sewing) still stands.
    latest.visit_date = d(2024, 1, 1);
    w.store.save(&mut latest).unwrap();
    let mut want = vec![
        ("cooking".to_owned(), ta, 2),
        ("cooking".to_owned(), tb, 1),
        ("sewing".to_owned(), ta, 2),
        ("sewing".to_owned(), tb, 1),
    ];
    want.sort();
    assert_eq!(counts(&w.store), want);
    // The 2025 visit deleted: the redated one is all that is left.
    let older = w.store.visits_of(ha).unwrap().remove(0);
    assert_eq!(older.visit_date, d(2025, 3, 1));
    w.store.delete::<Visit>(older.meta.id).unwrap();
    let mut want = vec![
        ("cooking".to_owned(), ta, 1),
        ("cooking".to_owned(), tb, 1),
        ("sewing".to_owned(), ta, 2),
        ("sewing".to_owned(), tb, 1),
    ];
    want.sort();
    assert_eq!(counts(&w.store), want);
    // Household B moves into township A: its wishes move with it.
    let mut hb = w
        .store
        .get::<Household>(w.b[0].household_id)
        .unwrap()
        .unwrap();
    let va = w.store.get::<Household>(ha).unwrap().unwrap().village_id;
    let mut members = w.store.members(hb.meta.id).unwrap();
    let va_code = w.store.get::<Village>(va).unwrap().unwrap().code;
    hb.village_id = va;
    hb.number = format!("{va_code}000002");
    w.store.save_household(&mut hb, &mut members).unwrap();
    let mut want = vec![("cooking".to_owned(), ta, 2), ("sewing".to_owned(), ta, 3)];
    want.sort();
    assert_eq!(counts(&w.store), want);
}

#[test]
fn a_merged_snapshot_brings_its_training_needs_with_it() {
    let w = world();
    let want: Vec<_> = w
        .store
        .training_needs()
        .unwrap()
        .into_iter()
        .map(|r| {
            (
                r.course_code,
                r.township_id,
                r.wanting,
                r.enrolled,
                r.trained,
            )
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    roster_cmd(
        &w,
        &[
            "export",
            "--date",
            "2026-05-30",
            "--out",
            out.to_str().unwrap(),
        ],
    )
    .success();
    let other = dir.path().join("other.db");
    let run = |args: &[&str]| {
        assert_cmd::Command::cargo_bin("fieldbook")
            .unwrap()
            .arg("--db")
            .arg(&other)
            .args(["--operator", "多吉"])
            .args(args)
            .assert()
            .success();
    };
    run(&["init"]);
    run(&["import", out.join("2026-05-30").to_str().unwrap()]);
    let merged = Store::open(&other, OpenOptions::read_only()).unwrap();
    let got: Vec<_> = merged
        .training_needs()
        .unwrap()
        .into_iter()
        .map(|r| {
            (
                r.course_code,
                r.township_id,
                r.wanting,
                r.enrolled,
                r.trained,
            )
        })
        .collect();
    assert_eq!(got, want);
    assert_eq!(got.len(), 4);
}

fn retype(t: &mut support::TestApp, text: &str) {
    use ratatui::crossterm::event::KeyCode::*;
    t.key(End).times(40, Backspace).chars(text);
}

#[test]
fn by_keys_a_session_is_made_thirty_found_people_enrolled_a_days_register_kept_and_one_certified() {
    use ratatui::crossterm::event::KeyCode::*;
    let mut w = world();
    sixty(&mut w.store);
    let people: Vec<Person> = w
        .store
        .list_page::<Person>(None, 500)
        .unwrap()
        .into_iter()
        .filter(|p| p.birth_date.is_some_and(|b| b < d(2000, 1, 1)))
        .collect();
    assert!(people.len() >= 31);
    let World {
        _dir,
        store,
        a,
        cooking,
        ..
    } = w;
    let mut t = support::TestApp::on(store, fieldbook::i18n::Lang::Zh, _dir);
    t.app.today = d(2026, 6, 1);
    // A new cooking session: the course filter first, then n.
    t.chars("t");
    let courses = t.store().courses().unwrap();
    let ci = courses.iter().position(|c| c.code == "cooking").unwrap();
    t.times(ci + 1, Char('c'));
    t.chars("n");
    assert_eq!(t.app.screen_title_key(), "session.form_title");
    // Places: 30 (the twelfth field).
    t.times(11, Tab);
    retype(&mut t, "30");
    t.ctrl('s');
    let form = t.render(80, 24);
    // The course by its name, never its id.
    assert!(form.contains("中式烹饪"), "{form}");
    assert!(!form.contains(&cooking.meta.id.to_string()[..8]), "{form}");
    t.key(Esc);
    assert_eq!(t.app.screen_title_key(), "training.title", "{form}");
    let s = t
        .store()
        .sessions_of(cooking.meta.id)
        .unwrap()
        .into_iter()
        .find(|s| s.start_date == d(2026, 6, 1))
        .expect("the new session");
    // Named from the course, the year and the next period.
    assert_eq!(s.code, "cooking-2026-02");
    assert_eq!(s.capacity, 30);
    // Its roster: the minor refused, then thirty people by ID number.
    t.key(Enter);
    assert_eq!(t.app.screen_title_key(), "roster.title");
    t.chars("a");
    t.chars(&a[1].id_number).key(Enter);
    assert_eq!(t.app.message().map(|m| m.key), Some("training.error.minor"));
    for p in people.iter().take(30) {
        t.key(End)
            .times(20, Backspace)
            .chars(&p.id_number)
            .key(Enter);
        assert_eq!(
            t.app.message().map(|m| m.key),
            Some("enrol.done"),
            "{}",
            p.name_zh
        );
    }
    // The thirty-first: the session is full.
    t.chars(&people[30].id_number).key(Enter);
    assert_eq!(t.app.message().map(|m| m.key), Some("training.error.full"));
    t.key(Esc);
    assert_eq!(t.store().enrolments_of(s.meta.id).unwrap().len(), 30);
    // The day's register: all present but the last.
    t.chars("p");
    t.times(29, Char('f')).chars("d");
    t.ctrl('s');
    assert_eq!(t.app.message().map(|m| m.key), Some("attendance.saved"));
    // Another day before saving would lose marks: refused until saved.
    t.chars("d").chars("l");
    assert_eq!(t.app.message().map(|m| m.key), Some("attendance.unsaved"));
    // A stray Esc does not drop the marks; a second one does.
    t.key(Esc);
    assert_eq!(t.app.screen_title_key(), "attendance.title");
    assert_eq!(t.app.message().map(|m| m.key), Some("msg.unsaved_back"));
    t.key(Esc);
    assert_eq!(t.app.screen_title_key(), "roster.title");
    let roster = t.store().roster(s.meta.id).unwrap();
    let present: i64 = roster.iter().map(|r| r.enrolment.attendance_days).sum();
    assert_eq!(present, 29);
    // The first trainee assessed and certified on their line's form.
    t.key(Home).key(Enter);
    assert_eq!(t.app.screen_title_key(), "enrolment.form_title");
    t.key(Tab).key(Right); // theory: pass
    t.key(Tab).key(Right); // practical: pass
    t.key(Tab).key(Right); // outcome: completed
    t.key(Tab).chars("SD20260001").key(Tab).chars("2026-06-30");
    t.ctrl('s');
    let form = t.render(80, 24);
    t.key(Esc);
    assert_eq!(t.app.screen_title_key(), "roster.title", "{form}");
    let first = &t.store().roster(s.meta.id).unwrap()[0];
    let e = &first.enrolment;
    assert_eq!(
        (
            e.theory_result.as_str(),
            e.practical_result.as_str(),
            e.outcome.as_str()
        ),
        ("pass", "pass", "completed")
    );
    assert_eq!(e.certificate_no, "SD20260001");
    assert_eq!(e.certificate_date, Some(d(2026, 6, 30)));
}

/// `check --rebuild-search-index` makes the training wishes again, as the
/// README says: a wish table emptied behind the app's back is found
/// wanting by nobody until the repair, then the needs are as before.
#[test]
fn the_repair_makes_the_training_wishes_again() {
    let w = world();
    let needs = |s: &Store| {
        let mut n: Vec<(String, i64)> = s
            .training_needs()
            .unwrap()
            .into_iter()
            .map(|r| (r.course_code, r.wanting))
            .collect();
        n.sort();
        n
    };
    let before = needs(&w.store);
    assert!(!before.is_empty());
    let db = w.store.path().to_path_buf();
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute("DELETE FROM training_wish", []).unwrap();
    drop(conn);
    assert!(needs(&w.store).iter().all(|(_, n)| *n == 0));
    roster_cmd(
        &w,
        &["--operator", "卓玛", "check", "--rebuild-search-index"],
    )
    .success();
    assert_eq!(needs(&w.store), before);
}
