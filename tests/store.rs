//! The store: every record type saved, read back, updated and deleted with
//! its audit trail; one write is one transaction; constraint failures come
//! back as errors a user can act on; seeds, device id and pragmas.

use std::fmt::Debug;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use chrono::NaiveDate;
use fieldbook::domain::id_number::check_char;
use fieldbook::domain::records::*;
use fieldbook::store::{LATEST_VERSION, OpenOptions, Record, Store, StoreError, TABLES};
use tempfile::TempDir;
use uuid::Uuid;

#[path = "support/db.rs"]
mod db;

use db::Image;

const OPERATOR: &str = "卓玛";

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// A fresh database in its own folder, with an operator set.
fn fresh() -> (TempDir, PathBuf, Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fieldbook.db");
    let mut store = Store::open(&path, OpenOptions::create()).unwrap();
    store.set_operator(OPERATOR);
    (dir, path, store)
}

/// A valid 18-digit resident ID number issued in Sêrtar.
fn id_number(birth: &str, seq: u32) -> String {
    let body = format!("513333{birth}{seq:03}");
    let check = check_char(&body).unwrap();
    format!("{body}{check}")
}

fn json(s: &str) -> serde_json::Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("audit JSON {s:?}: {e}"))
}

/// Everything a record of each type needs to point at.
struct Parents {
    township: Township,
    village: Village,
    household: Household,
    person: Person,
    course: Course,
    session: TrainingSession,
    post_type: PostType,
    post: Post,
    assignment: PostAssignment,
    visit: Visit,
}

fn village(township_id: Uuid, code: &str) -> Village {
    Village {
        meta: RowMeta::new(),
        code: code.to_owned(),
        township_id,
        name_zh: "德钦村".to_owned(),
        name_bo: "བདེ་ཆེན་གྲོང་སྡེ".to_owned(),
        exit_year: Some(2019),
    }
}

fn household(village_id: Uuid, number: &str) -> Household {
    Household {
        meta: RowMeta::new(),
        number: number.to_owned(),
        village_id,
        phone: "13888888888".to_owned(),
        registered_poor: true,
        exit_year: None,
    }
}

fn person(household_id: Uuid, name_zh: &str, id_number: &str) -> Person {
    Person {
        meta: RowMeta::new(),
        household_id,
        position: 0,
        name_zh: name_zh.to_owned(),
        name_bo: "བཀྲ་ཤིས་ཚེ་རིང".to_owned(),
        id_number: id_number.to_owned(),
        sex: "m".to_owned(),
        birth_date: Some(d(1985, 3, 14)),
        relation: "head".to_owned(),
        education: "junior".to_owned(),
        is_labourer: true,
        phone: String::new(),
    }
}

fn visit(household_id: Uuid) -> Visit {
    Visit {
        meta: RowMeta::new(),
        household_id,
        visit_date: d(2026, 1, 12),
        round: "2026-start".to_owned(),
        visit_type: "annual".to_owned(),
        surveyors: "泽仁 才旺".to_owned(),
        difficulties: vec!["lack_skills".to_owned(), "no_mandarin".to_owned()],
        problems: "缺技能".to_owned(),
        follow_up: String::new(),
        status: "draft".to_owned(),
        review_comment: String::new(),
        reviewed_by: String::new(),
        reviewed_at: None,
    }
}

fn answer(visit_id: Uuid, person_id: Uuid) -> VisitPerson {
    VisitPerson {
        meta: RowMeta::new(),
        visit_id,
        person_id,
        employment_status: "local_short_term".to_owned(),
        work_place: "色达县".to_owned(),
        annual_income_fen: Some(1_200_000),
        willing_to_work_away: Some(false),
        training_wanted: vec!["sewing".to_owned(), "cooking".to_owned()],
        job_wanted: "司机".to_owned(),
    }
}

/// Saves one of every parent record (through the store, so these are
/// covered too) and returns them.
fn parents(store: &mut Store) -> Parents {
    let township = store.township_by_code("513333100").unwrap().unwrap();
    let mut v = village(township.meta.id, "513333100201");
    store.save(&mut v).unwrap();
    let mut h = household(v.meta.id, "513333100201000001");
    let mut members = [person(h.meta.id, "扎西泽仁", &id_number("19850314", 11))];
    store.save_household(&mut h, &mut members).unwrap();
    let [p] = members;
    let course = store
        .courses()
        .unwrap()
        .into_iter()
        .find(|c| c.code == "sewing")
        .unwrap();
    let mut session = TrainingSession {
        meta: RowMeta::new(),
        course_id: course.meta.id,
        period: 1,
        mode: "to_villages".to_owned(),
        start_date: d(2026, 4, 1),
        end_date: d(2026, 4, 20),
        place: "色柯镇".to_owned(),
        provider: "县就业局".to_owned(),
        capacity: 34,
        target_group: "poor_labourers".to_owned(),
        code: "sewing-2026-01".to_owned(),
        days_held: 12,
        ..TrainingSession::default()
    };
    store.save(&mut session).unwrap();
    let post_type = store
        .post_types()
        .unwrap()
        .into_iter()
        .find(|t| t.code == "forest_ranger")
        .unwrap();
    let mut post = Post {
        meta: RowMeta::new(),
        post_type_id: post_type.meta.id,
        village_id: v.meta.id,
        status: "filled".to_owned(),
        required_days: 22,
        opened_on: d(2026, 1, 1),
        ..Post::default()
    };
    store.save(&mut post).unwrap();
    let mut assignment = PostAssignment {
        meta: RowMeta::new(),
        post_id: post.meta.id,
        person_id: p.meta.id,
        start_date: d(2026, 1, 1),
        end_date: None,
        end_reason: String::new(),
        agreement_end: d(2026, 12, 31),
    };
    store.save(&mut assignment).unwrap();
    let mut vi = visit(h.meta.id);
    store.save_visit(&mut vi, &mut []).unwrap();
    Parents {
        township,
        village: v,
        household: h,
        person: p,
        course,
        session,
        post_type,
        post,
        assignment,
        visit: vi,
    }
}

/// The full life of one record: insert, read back, update, delete, each
/// with exactly one audit entry holding the row before and after.
fn life_cycle<E>(store: &mut Store, mut record: E, edit: impl FnOnce(&mut E))
where
    E: Record + Clone + PartialEq + Debug,
{
    let table = E::TABLE.name;
    let id = record.meta().id;
    let audit_before = store.audit_len().unwrap();

    // Insert: meta stamped by the store.
    store.save(&mut record).unwrap();
    let m = record.meta().clone();
    assert!(!m.created_at.is_empty(), "{table}: created_at stamped");
    assert_eq!(m.created_at, m.updated_at, "{table}: new row");
    assert_eq!(m.operator, OPERATOR, "{table}: operator stamped");
    assert_eq!(m.device_id, store.device_id(), "{table}: device stamped");
    assert!(!m.device_id.is_empty());
    assert_eq!(m.deleted_at, None);
    assert_eq!(
        store.get::<E>(id).unwrap().as_ref(),
        Some(&record),
        "{table}: read back equal"
    );
    assert_eq!(store.audit_len().unwrap(), audit_before + 1, "{table}");
    let h = store.history(table, id).unwrap();
    assert_eq!(h.len(), 1, "{table}: one audit entry per save");
    assert_eq!(h[0].action, "insert");
    assert_eq!(h[0].table, table);
    assert_eq!(h[0].row_id, id.to_string());
    assert_eq!(h[0].operator, OPERATOR);
    assert_eq!(h[0].device_id, store.device_id());
    assert_eq!(h[0].before, None);
    let after = json(h[0].after.as_deref().expect("insert has an after"));
    for col in E::TABLE.all_columns().map(|c| c.name) {
        assert!(after.get(col).is_some(), "{table}: audit after lacks {col}");
    }
    assert_eq!(after["id"], id.to_string());
    assert_eq!(after["created_at"], m.created_at.as_str());
    let inserted_json = h[0].after.clone();

    // Update: created_at kept (even if the caller's copy says otherwise),
    // updated_at moves on. Timestamps have millisecond resolution.
    std::thread::sleep(Duration::from_millis(5));
    edit(&mut record);
    record.meta_mut().created_at = "1999-01-01T00:00:00.000Z".to_owned();
    store.save(&mut record).unwrap();
    let m2 = record.meta().clone();
    assert_eq!(m2.created_at, m.created_at, "{table}: created_at kept");
    assert!(m2.updated_at > m.updated_at, "{table}: updated_at moves on");
    let stored = store.get::<E>(id).unwrap().unwrap();
    assert_eq!(stored, record, "{table}: update read back equal");
    let h = store.history(table, id).unwrap();
    assert_eq!(h.len(), 2, "{table}");
    assert_eq!(h[1].action, "update");
    assert_eq!(h[1].before, inserted_json, "{table}: before is the old row");
    assert_ne!(h[1].after, h[1].before, "{table}: the edit is in the audit");
    let updated_json = h[1].after.clone();

    // Delete: a tombstone, not a removal.
    std::thread::sleep(Duration::from_millis(5));
    store.delete::<E>(id).unwrap();
    assert_eq!(store.get::<E>(id).unwrap(), None, "{table}: deleted hidden");
    let tomb = store.get_any::<E>(id).unwrap().expect("tombstone kept");
    let deleted_at = tomb.meta().deleted_at.clone().expect("deleted_at set");
    assert!(deleted_at > m2.updated_at);
    assert_eq!(tomb.meta().created_at, m.created_at);
    let h = store.history(table, id).unwrap();
    assert_eq!(h.len(), 3, "{table}");
    assert_eq!(h[2].action, "delete");
    assert_eq!(h[2].before, updated_json);
    let after = json(h[2].after.as_deref().unwrap());
    assert_eq!(after["deleted_at"], deleted_at.as_str());
    assert_eq!(store.audit_len().unwrap(), audit_before + 3);

    // A deleted row cannot be deleted again, and that writes nothing.
    assert!(matches!(
        store.delete::<E>(id),
        Err(StoreError::NoSuchRow { .. })
    ));
    assert_eq!(store.audit_len().unwrap(), audit_before + 3);
}

#[test]
fn township_life_cycle() {
    let (_dir, _path, mut store) = fresh();
    let t = Township {
        meta: RowMeta::new(),
        code: "513333299".to_owned(),
        name_zh: "试验乡".to_owned(),
        name_bo: String::new(),
    };
    life_cycle(&mut store, t, |t| t.name_bo = "ཤང".to_owned());
}

#[test]
fn village_life_cycle() {
    let (_dir, _path, mut store) = fresh();
    let t = store.township_by_code("513333101").unwrap().unwrap();
    life_cycle(&mut store, village(t.meta.id, "513333101201"), |v| {
        v.exit_year = None;
        v.name_zh = "诺布村".to_owned();
    });
}

#[test]
fn household_life_cycle() {
    let (_dir, _path, mut store) = fresh();
    let p = parents(&mut store);
    life_cycle(
        &mut store,
        household(p.village.meta.id, "513333100201000002"),
        |h| {
            h.registered_poor = false;
            h.exit_year = Some(2020);
        },
    );
}

#[test]
fn person_life_cycle() {
    let (_dir, _path, mut store) = fresh();
    let p = parents(&mut store);
    let mut x = person(p.household.meta.id, "卓玛", &id_number("19900101", 22));
    // The household has its head already (扎西泽仁): one head per household.
    x.relation = "spouse".to_owned();
    x.birth_date = None;
    life_cycle(&mut store, x, |x| {
        x.birth_date = Some(d(1990, 1, 1));
        x.name_zh = String::new();
        x.is_labourer = false;
    });
}

#[test]
fn visit_life_cycle() {
    let (_dir, _path, mut store) = fresh();
    let p = parents(&mut store);
    life_cycle(&mut store, visit(p.household.meta.id), |v| {
        v.difficulties.clear();
        v.status = "submitted".to_owned();
        v.reviewed_at = Some("2026-02-01T03:00:00.000Z".to_owned());
    });
}

#[test]
fn visit_answer_life_cycle() {
    let (_dir, _path, mut store) = fresh();
    let p = parents(&mut store);
    life_cycle(&mut store, answer(p.visit.meta.id, p.person.meta.id), |a| {
        a.annual_income_fen = None;
        a.willing_to_work_away = Some(true);
        a.training_wanted = vec!["ecommerce".to_owned()];
    });
}

#[test]
fn course_life_cycle() {
    let (_dir, _path, mut store) = fresh();
    let c = Course {
        meta: RowMeta::new(),
        code: "wool_weaving".to_owned(),
        name_zh: "牛羊绒编织".to_owned(),
        name_bo: String::new(),
        name_en: "Yak and sheep wool weaving".to_owned(),
        category: "heritage_craft".to_owned(),
        trade: "牛羊绒编织".to_owned(),
        level: String::new(),
        standard_hours: 120,
    };
    life_cycle(&mut store, c, |c| c.name_en = "Wool weaving".to_owned());
}

#[test]
fn training_session_life_cycle() {
    let (_dir, _path, mut store) = fresh();
    let p = parents(&mut store);
    let mut s = p.session.clone();
    s.meta = RowMeta::new();
    s.period = 2;
    s.code = "sewing-2026-02".to_owned();
    assert_eq!(s.course_id, p.course.meta.id);
    life_cycle(&mut store, s, |s| {
        s.end_date = d(2026, 9, 30);
        s.target_group = "dropouts_16_18".to_owned();
    });
}

#[test]
fn enrolment_life_cycle() {
    let (_dir, _path, mut store) = fresh();
    let p = parents(&mut store);
    let e = Enrolment {
        meta: RowMeta::new(),
        session_id: p.session.meta.id,
        person_id: p.person.meta.id,
        attendance_days: 3,
        outcome: "enrolled".to_owned(),
        certificate_no: String::new(),
        employed_after: false,
        ..Enrolment::default()
    };
    life_cycle(&mut store, e, |e| {
        e.outcome = "completed".to_owned();
        e.theory_result = "pass".to_owned();
        e.practical_result = "pass".to_owned();
        e.certificate_no = "SD00000001".to_owned();
        e.employed_after = true;
    });
}

#[test]
fn post_type_life_cycle() {
    let (_dir, _path, mut store) = fresh();
    let t = PostType {
        meta: RowMeta::new(),
        code: "water_keeper".to_owned(),
        name_zh: "水管员".to_owned(),
        name_bo: String::new(),
        name_en: "Water keeper".to_owned(),
        department: "water".to_owned(),
        monthly_subsidy_fen: 50_000,
    };
    life_cycle(&mut store, t, |t| t.monthly_subsidy_fen = 60_000);
}

#[test]
fn post_life_cycle() {
    let (_dir, _path, mut store) = fresh();
    let p = parents(&mut store);
    let post = Post {
        meta: RowMeta::new(),
        post_type_id: p.post_type.meta.id,
        village_id: p.village.meta.id,
        status: "open".to_owned(),
        required_days: 22,
        opened_on: d(2026, 1, 1),
        ..Post::default()
    };
    life_cycle(&mut store, post, |x| x.title = "德钦村护林员".to_owned());
}

#[test]
fn post_assignment_life_cycle() {
    let (_dir, _path, mut store) = fresh();
    let p = parents(&mut store);
    let a = PostAssignment {
        meta: RowMeta::new(),
        post_id: p.post.meta.id,
        person_id: p.person.meta.id,
        start_date: d(2025, 1, 1),
        end_date: Some(d(2025, 6, 30)),
        end_reason: "resigned".to_owned(),
        agreement_end: d(2025, 12, 31),
    };
    life_cycle(&mut store, a, |a| {
        a.end_date = Some(d(2025, 12, 31));
        a.end_reason = "contract_ended".to_owned();
    });
}

#[test]
fn subsidy_payment_life_cycle() {
    let (_dir, _path, mut store) = fresh();
    let p = parents(&mut store);
    let pay = SubsidyPayment {
        meta: RowMeta::new(),
        assignment_id: p.assignment.meta.id,
        month: "2026-01".to_owned(),
        amount_fen: 50_000,
        paid_on: None,
        ..SubsidyPayment::default()
    };
    life_cycle(&mut store, pay, |x| x.paid_on = Some(d(2026, 1, 25)));
}

#[test]
fn employment_record_life_cycle() {
    let (_dir, _path, mut store) = fresh();
    let p = parents(&mut store);
    let e = EmploymentRecord {
        meta: RowMeta::new(),
        person_id: p.person.meta.id,
        kind: "out_of_province".to_owned(),
        employer: "广州市东西部协作企业".to_owned(),
        // Ended before the post the person holds from 2026 (no overlap).
        start_month: Some("2025-03".to_owned()),
        end_month: Some("2025-10".to_owned()),
        income_fen: Some(3_600_000),
        place_tier: "out_of_province".to_owned(),
        work_county: "广州市".to_owned(),
        industry: "manufacturing".to_owned(),
        channel: "organised_transfer".to_owned(),
        point_to_point: true,
        monthly_income_fen: Some(400_000),
        transport_subsidy_fen: Some(80_000),
        plans_to_work: None,
        planned_tier: String::new(),
        services_wanted: Vec::new(),
    };
    life_cycle(&mut store, e, |e| {
        e.end_month = Some("2025-11".to_owned());
        e.income_fen = None;
    });
}

#[test]
fn save_household_saves_the_roster_in_order_with_an_audit_entry_each() {
    let (_dir, _path, mut store) = fresh();
    let p = parents(&mut store);
    let audit = store.audit_len().unwrap();
    let mut h = household(p.village.meta.id, "513333100201000009");
    let mut members = vec![
        person(Uuid::nil(), "扎西", &id_number("19700101", 1)),
        person(Uuid::nil(), "卓玛", &id_number("19720202", 2)),
        person(Uuid::nil(), "尼玛", ""),
    ];
    // One head per household: 扎西, who stays when 卓玛 is deleted.
    members[1].relation = "spouse".to_owned();
    members[2].relation = "child".to_owned();
    members[2].position = 7;
    store.save_household(&mut h, &mut members).unwrap();
    assert_eq!(store.audit_len().unwrap(), audit + 4);
    assert_eq!(store.get::<Household>(h.meta.id).unwrap(), Some(h.clone()));
    let stored = store.members(h.meta.id).unwrap();
    assert_eq!(stored, members, "members point at the household, in order");
    assert_eq!(
        stored.iter().map(|m| m.position).collect::<Vec<_>>(),
        [0, 1, 2]
    );
    for m in &members {
        assert_eq!(m.household_id, h.meta.id);
        assert_eq!(store.history("person", m.meta.id).unwrap().len(), 1);
    }
    assert_eq!(
        store.household_by_number("513333100201000009").unwrap(),
        Some(h.clone())
    );

    // Reordering renumbers; a member left out stays; a deleted one goes.
    std::thread::sleep(Duration::from_millis(5));
    let created = h.meta.created_at.clone();
    let mut reordered = vec![members[2].clone(), members[0].clone()];
    store.save_household(&mut h, &mut reordered).unwrap();
    assert_eq!(h.meta.created_at, created);
    store.delete::<Person>(members[1].meta.id).unwrap();
    let names: Vec<String> = store
        .members(h.meta.id)
        .unwrap()
        .into_iter()
        .map(|m| m.name_zh)
        .collect();
    assert_eq!(names, ["尼玛", "扎西"]);
    // 4 inserts, 2 updates (the two members that moved), 1 delete: the
    // household itself did not change, so its save wrote nothing.
    assert_eq!(store.audit_len().unwrap(), audit + 7);
    assert_eq!(store.history("household", h.meta.id).unwrap().len(), 1);
}

#[test]
fn save_visit_saves_answers_with_the_visit() {
    let (_dir, _path, mut store) = fresh();
    let p = parents(&mut store);
    let audit = store.audit_len().unwrap();
    let mut v = visit(p.household.meta.id);
    let mut answers = [answer(Uuid::nil(), p.person.meta.id)];
    store.save_visit(&mut v, &mut answers).unwrap();
    assert_eq!(store.audit_len().unwrap(), audit + 2);
    assert_eq!(answers[0].visit_id, v.meta.id);
    assert_eq!(store.get::<Visit>(v.meta.id).unwrap(), Some(v.clone()));
    assert_eq!(store.visit_answers(v.meta.id).unwrap(), answers.to_vec());
    let visits = store.visits_of(p.household.meta.id).unwrap();
    assert!(visits.contains(&v));
    assert_eq!(
        store.history("visit_person", answers[0].meta.id).unwrap()[0].action,
        "insert"
    );
}

#[test]
fn a_write_that_fails_halfway_leaves_no_rows_and_no_audit() {
    let (_dir, path, mut store) = fresh();
    let p = parents(&mut store);
    let audit = store.audit_len().unwrap();
    let mut v = village(p.township.meta.id, "513333100299");
    let mut h = household(v.meta.id, "513333100299000001");
    let result: Result<(), StoreError> = store.write(|w| {
        w.save(&mut v)?;
        w.save(&mut h)?;
        Err(StoreError::NoSuchRow {
            path: path.clone(),
            table: "test".to_owned(),
            id: "stop here".to_owned(),
        })
    });
    assert!(matches!(result, Err(StoreError::NoSuchRow { .. })));
    assert_eq!(store.get_any::<Village>(v.meta.id).unwrap(), None);
    assert_eq!(store.get_any::<Household>(h.meta.id).unwrap(), None);
    assert_eq!(store.audit_len().unwrap(), audit);
    assert!(store.history("village", v.meta.id).unwrap().is_empty());

    // The same through save_household: the second member breaks a rule
    // (no name at all), so neither the household nor the first member lands.
    let mut h = household(p.village.meta.id, "513333100201000077");
    let mut nameless = person(Uuid::nil(), "", "");
    nameless.name_bo = String::new();
    let mut members = [person(Uuid::nil(), "扎西", ""), nameless];
    assert!(store.save_household(&mut h, &mut members).is_err());
    assert_eq!(store.get_any::<Household>(h.meta.id).unwrap(), None);
    assert_eq!(store.get_any::<Person>(members[0].meta.id).unwrap(), None);
    assert_eq!(store.audit_len().unwrap(), audit);

    // The store is still usable afterwards.
    store.save(&mut v).unwrap();
    assert_eq!(store.audit_len().unwrap(), audit + 1);
}

#[test]
fn a_household_number_used_twice_is_a_duplicate_and_saves_nothing() {
    let (_dir, _path, mut store) = fresh();
    let p = parents(&mut store);
    let audit = store.audit_len().unwrap();
    let mut again = household(p.village.meta.id, &p.household.number);
    let mut members = [person(Uuid::nil(), "白玛", "")];
    let err = store.save_household(&mut again, &mut members).unwrap_err();
    match &err {
        StoreError::Duplicate { table, column, .. } => {
            assert_eq!(table, "household");
            assert_eq!(column, "number");
        }
        other => panic!("expected Duplicate, got {other:?}"),
    }
    assert!(err.to_string().contains("household"), "{err}");
    assert_eq!(store.get_any::<Household>(again.meta.id).unwrap(), None);
    assert_eq!(store.get_any::<Person>(members[0].meta.id).unwrap(), None);
    assert_eq!(store.audit_len().unwrap(), audit);

    // Seeded codes are unique too.
    let mut c = Course {
        meta: RowMeta::new(),
        code: "sewing".to_owned(),
        name_zh: "缝纫".to_owned(),
        ..Course::default()
    };
    assert!(matches!(
        store.save(&mut c),
        Err(StoreError::Duplicate { .. })
    ));
}

#[test]
fn a_reference_to_a_missing_row_is_a_missing_reference() {
    let (_dir, _path, mut store) = fresh();
    let p = parents(&mut store);
    let audit = store.audit_len().unwrap();
    let mut h = household(Uuid::now_v7(), "513333100201000055");
    let err = store.save(&mut h).unwrap_err();
    assert!(
        matches!(&err, StoreError::MissingReference { table, .. } if table == "village"),
        "{err:?}"
    );
    assert!(err.to_string().contains("village"), "{err}");

    let mut x = person(Uuid::now_v7(), "扎西", "");
    let err = store.save(&mut x).unwrap_err();
    assert!(
        matches!(&err, StoreError::MissingReference { table, .. } if table == "household"),
        "{err:?}"
    );

    let mut e = Enrolment {
        meta: RowMeta::new(),
        session_id: p.session.meta.id,
        person_id: Uuid::now_v7(),
        ..Enrolment::default()
    };
    // The roster's own rule names it first, in the user's language.
    let err = store.save(&mut e).unwrap_err();
    assert!(
        matches!(&err, StoreError::Invalid { problem, .. } if problem.key == "training.error.no_person"),
        "{err:?}"
    );
    assert_eq!(store.audit_len().unwrap(), audit);
}

#[test]
fn find_by_id_number_finds_a_person_in_any_household() {
    let (_dir, _path, mut store) = fresh();
    let p = parents(&mut store);
    let shared = id_number("19881231", 18);
    assert!(shared.ends_with('X'), "the test wants an X check character");

    let mut h1 = household(p.village.meta.id, "513333100201000101");
    let mut m1 = [person(Uuid::nil(), "扎西", &shared)];
    store.save_household(&mut h1, &mut m1).unwrap();
    let mut h2 = household(p.village.meta.id, "513333100201000102");
    let mut m2 = [
        person(Uuid::nil(), "卓玛", &id_number("19900101", 2)),
        person(Uuid::nil(), "扎西", &shared),
    ];
    // One head per household: 扎西 is 卓玛's son here.
    m2[1].relation = "child".to_owned();
    store.save_household(&mut h2, &mut m2).unwrap();

    let found = store.find_by_id_number(&shared.to_lowercase()).unwrap();
    let households: Vec<&str> = found.iter().map(|(_, h)| h.number.as_str()).collect();
    assert_eq!(households, ["513333100201000101", "513333100201000102"]);
    assert_eq!(found[0].0, m1[0]);
    assert_eq!(found[1].0, m2[1]);

    assert!(
        store
            .find_by_id_number("513333199001010000")
            .unwrap()
            .is_empty()
    );

    // A deleted person is no longer found.
    store.delete::<Person>(m1[0].meta.id).unwrap();
    let found = store.find_by_id_number(&shared).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].1.meta.id, h2.meta.id);
}

#[test]
fn a_new_database_holds_the_sixteen_townships_with_the_same_ids_everywhere() {
    let (_d1, _p1, a) = fresh();
    let (_d2, _p2, b) = fresh();
    let ta = a.townships().unwrap();
    let tb = b.townships().unwrap();
    // The county's 16 townships and towns with their official codes,
    // written out here rather than read from the seed file.
    let expected = [
        ("513333100", "色柯镇"),
        ("513333101", "翁达镇"),
        ("513333102", "洛若镇"),
        ("513333103", "泥朵镇"),
        ("513333104", "甲学镇"),
        ("513333201", "克果乡"),
        ("513333202", "然充乡"),
        ("513333203", "康勒乡"),
        ("513333204", "大章乡"),
        ("513333205", "大则乡"),
        ("513333206", "亚龙乡"),
        ("513333207", "塔子乡"),
        ("513333208", "年龙乡"),
        ("513333210", "霍西乡"),
        ("513333211", "旭日乡"),
        ("513333212", "杨各乡"),
    ];
    let got: Vec<(&str, &str)> = ta
        .iter()
        .map(|t| (t.code.as_str(), t.name_zh.as_str()))
        .collect();
    assert_eq!(got, expected);
    for t in &ta {
        // A Tibetan name, where the seed has one, is Tibetan script; until
        // county staff give them, they may be empty.
        assert!(
            t.name_bo
                .chars()
                .all(|c| ('\u{0F00}'..='\u{0FFF}').contains(&c) || c == ' '),
            "{}: {:?}",
            t.code,
            t.name_bo
        );
        assert!(!t.meta.is_deleted());
    }
    let ids = |ts: &[Township]| ts.iter().map(|t| t.meta.id).collect::<Vec<_>>();
    assert_eq!(ids(&ta), ids(&tb), "seeded ids are deterministic");
    // The whole seeded row is the same, timestamps included, so merging two
    // laptops' snapshots never sees a conflict in untouched seeds.
    assert_eq!(ta, tb);
    assert_ne!(
        a.device_id(),
        b.device_id(),
        "each database is its own device"
    );
    // Seeding is not a user's change.
    assert_eq!(a.audit_len().unwrap(), 0);
}

#[test]
fn the_device_id_is_made_once_and_kept_across_reopening() {
    let (_dir, path, store) = fresh();
    let id = store.device_id().to_owned();
    Uuid::parse_str(&id).expect("device id is a UUID");
    assert_eq!(
        store.meta("device_id").unwrap().as_deref(),
        Some(id.as_str())
    );
    drop(store);
    let again = Store::open(&path, OpenOptions::create()).unwrap();
    assert_eq!(again.device_id(), id);
    drop(again);
    let ro = Store::open(&path, OpenOptions::read_only()).unwrap();
    assert_eq!(ro.device_id(), id);
}

#[test]
fn a_new_database_is_at_the_latest_schema_in_wal_mode() {
    let (_dir, path, store) = fresh();
    assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
    // journal_mode=WAL is stored in the file, so another connection sees it.
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    drop(store);
}

#[test]
fn foreign_keys_are_enforced_on_the_stores_connection() {
    // foreign_keys is per connection: a refused save shows it is on.
    let (_dir, _path, mut store) = fresh();
    let mut v = village(Uuid::now_v7(), "513333100288");
    assert!(matches!(
        store.save(&mut v),
        Err(StoreError::MissingReference { .. })
    ));
}

#[test]
fn a_save_waits_for_another_writer_instead_of_failing() {
    // busy_timeout is per connection: a save while another connection holds
    // the write lock for a while must wait for it, not fail at once.
    let (_dir, path, mut store) = fresh();
    let t = store.township_by_code("513333102").unwrap().unwrap();
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let holder = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(1500));
        other.execute_batch("COMMIT").unwrap();
    });
    let started = std::time::Instant::now();
    let mut v = village(t.meta.id, "513333102201");
    store.save(&mut v).expect("the save waits for the lock");
    assert!(started.elapsed() >= Duration::from_millis(1000));
    holder.join().unwrap();
    assert!(store.get::<Village>(v.meta.id).unwrap().is_some());
}

fn fingerprint(path: &Path) -> (Vec<u8>, SystemTime) {
    (
        std::fs::read(path).unwrap(),
        std::fs::metadata(path).unwrap().modified().unwrap(),
    )
}

#[test]
fn read_only_mode_reads_but_refuses_every_write_and_leaves_the_file_alone() {
    let (_dir, path, mut store) = fresh();
    let p = parents(&mut store);
    drop(store);
    let before = fingerprint(&path);

    let mut ro = Store::open(&path, OpenOptions::read_only()).unwrap();
    assert!(ro.is_read_only());
    assert_eq!(
        ro.get::<Household>(p.household.meta.id).unwrap(),
        Some(p.household.clone())
    );
    assert_eq!(ro.townships().unwrap().len(), 16);
    assert_eq!(ro.schema_version().unwrap(), LATEST_VERSION);

    let mut h = p.household.clone();
    h.phone = "13999999999".to_owned();
    assert!(matches!(
        ro.save(&mut h),
        Err(StoreError::ReadOnlyMode { .. })
    ));
    assert!(matches!(
        ro.delete::<Household>(h.meta.id),
        Err(StoreError::ReadOnlyMode { .. })
    ));
    assert!(matches!(
        ro.save_household(&mut h, &mut []),
        Err(StoreError::ReadOnlyMode { .. })
    ));
    assert!(matches!(
        ro.set_setting("operator", "x"),
        Err(StoreError::ReadOnlyMode { .. })
    ));
    let err = ro.write(|_| Ok(())).unwrap_err();
    assert!(
        err.to_string().contains(&path.display().to_string()),
        "{err}"
    );
    drop(ro);
    assert_eq!(fingerprint(&path), before, "file unchanged");
}

/// What a laptop that lost power mid-session leaves: committed changes in
/// the write-ahead log, not yet copied into the database file. Made here by
/// copying both while a connection that never checkpoints holds them.
fn crashed_writer(dir: &Path, from: &Path) -> PathBuf {
    let conn = rusqlite::Connection::open(from).unwrap();
    conn.execute_batch(
        "PRAGMA wal_autocheckpoint = 0;
         UPDATE household SET phone = '13911112222';",
    )
    .unwrap();
    let left = dir.join("left.db");
    std::fs::copy(from, &left).unwrap();
    std::fs::copy(
        format!("{}-wal", from.display()),
        format!("{}-wal", left.display()),
    )
    .unwrap();
    drop(conn);
    left
}

#[test]
fn opened_read_only_sqlite_itself_writes_nothing_not_even_a_crashed_writers_log() {
    // The SQLite layer alone: the store writes nothing here whether or not
    // it refuses, but a connection opened read-write would copy the log
    // into the file (and delete the log) when it closes.
    let (dir, path, mut store) = fresh();
    parents(&mut store);
    drop(store);
    let left = crashed_writer(dir.path(), &path);
    let before = Image::of(&left);
    assert!(
        std::fs::metadata(format!("{}-wal", left.display()))
            .unwrap()
            .len()
            > 0,
        "the log holds the change"
    );

    let ro = Store::open(&left, OpenOptions::read_only()).unwrap();
    // It reads the committed change from the log ...
    let h = ro
        .household_by_number("513333100201000001")
        .unwrap()
        .unwrap();
    assert_eq!(h.phone, "13911112222");
    assert_eq!(ro.search("扎西泽仁", 5).unwrap().hits.len(), 1);
    assert!(ro.check().unwrap().is_ok());
    drop(ro);
    // ... and leaves the file and the log exactly as they were.
    before.assert_unchanged(&left, "a read-only store");
}

#[test]
fn the_stores_own_refusal_alone_refuses_every_write() {
    // The store's layer alone: its connection can write, only its own
    // refusal stands between the calls below and the file.
    let (_dir, path, mut store) = fresh();
    let p = parents(&mut store);
    let visit_id = {
        let mut v = visit(p.household.meta.id);
        store.save_visit(&mut v, &mut []).unwrap();
        v.meta.id
    };
    drop(store);
    // A rename by another program: a person waits to be folded into the index.
    fieldbook::store::execute_raw(&path, "UPDATE person SET name_zh = '扎西'").unwrap();
    let before = Image::of(&path);

    let mut guarded = fieldbook::store::open_refusing_writes(&path).unwrap();
    assert!(guarded.is_read_only());
    let refused = |r: Result<(), StoreError>, what: &str| {
        assert!(
            matches!(r, Err(StoreError::ReadOnlyMode { .. })),
            "{what}: {r:?}"
        );
    };
    let mut h = p.household.clone();
    h.phone = "13999999999".to_owned();
    let mut members = guarded.members(h.meta.id).unwrap();
    refused(guarded.save(&mut h), "save");
    refused(guarded.delete::<Person>(members[0].meta.id), "delete");
    refused(
        guarded.save_household(&mut h, &mut members),
        "save_household",
    );
    refused(
        guarded.save_roster(&mut h, &mut members, &[]),
        "save_roster",
    );
    let mut v = guarded.get::<Visit>(visit_id).unwrap().unwrap();
    refused(guarded.save_visit(&mut v, &mut []), "save_visit");
    refused(
        guarded
            .set_visit_status(visit_id, "submitted", "")
            .map(drop),
        "set_visit_status",
    );
    refused(guarded.set_setting("operator", "x"), "set_setting");
    refused(guarded.write(|w| w.save(&mut h)), "write");
    refused(guarded.merge(|w| w.save(&mut h)), "merge");
    refused(guarded.rebuild_search_index(), "rebuild_search_index");
    refused(guarded.fold_search_index().map(drop), "fold_search_index");
    // A draft is skipped, not refused, so typing goes on; none is kept.
    guarded
        .save_draft("household:x", "household", "x", "{}")
        .unwrap();
    assert!(guarded.drafts().unwrap().is_empty());
    assert_eq!(guarded.search("扎西", 5).unwrap().hits.len(), 1);
    before.assert_unchanged(&path, "the refused writes");
    drop(guarded);
    before.assert_unchanged(&path, "closing");
}

#[test]
fn settings_are_kept_and_the_operator_setting_names_who_changes_things() {
    let (_dir, path, mut store) = fresh();
    store.set_setting("operator", "  泽仁  ").unwrap();
    store.set_setting("lang", "bo").unwrap();
    store.set_setting("lang", "zh+bo").unwrap();
    drop(store);
    let mut store = Store::open(&path, OpenOptions::create()).unwrap();
    assert_eq!(store.setting("lang").unwrap().as_deref(), Some("zh+bo"));
    assert_eq!(store.operator(), "泽仁");
    let t = store.township_by_code("513333103").unwrap().unwrap();
    let mut v = village(t.meta.id, "513333103201");
    store.save(&mut v).unwrap();
    assert_eq!(v.meta.operator, "泽仁");
}

#[test]
fn pages_and_counts_skip_deleted_rows_and_follow_creation_order() {
    let (_dir, _path, mut store) = fresh();
    let t = store.township_by_code("513333104").unwrap().unwrap();
    let mut ids = Vec::new();
    for i in 0..5 {
        let mut v = village(t.meta.id, &format!("51333310420{i}"));
        store.save(&mut v).unwrap();
        ids.push(v.meta.id);
    }
    store.delete::<Village>(ids[2]).unwrap();
    assert_eq!(store.count::<Village>().unwrap(), 4);
    assert_eq!(store.count::<Township>().unwrap(), 16);
    let first = store.list_page::<Village>(None, 2).unwrap();
    let got: Vec<Uuid> = first.iter().map(|v| v.meta.id).collect();
    assert_eq!(got, [ids[0], ids[1]]);
    let rest = store.list_page::<Village>(Some(ids[1]), 10).unwrap();
    let got: Vec<Uuid> = rest.iter().map(|v| v.meta.id).collect();
    assert_eq!(got, [ids[3], ids[4]]);
}

#[test]
fn every_connection_syncs_fully_waits_for_writers_and_enforces_references() {
    let (_dir, _path, store) = fresh();
    assert_eq!(store.pragma("journal_mode").unwrap(), "wal");
    // FULL = 2: a record the user saw saved survives a power cut.
    assert_eq!(store.pragma("synchronous").unwrap(), "2");
    assert_eq!(store.pragma("foreign_keys").unwrap(), "1");
    assert!(
        store
            .pragma("busy_timeout")
            .unwrap()
            .parse::<i64>()
            .unwrap()
            >= 5000
    );
}

#[test]
fn every_column_of_the_live_schema_is_declared_with_its_kind() {
    use fieldbook::domain::table::Kind;
    let (_dir, path, store) = fresh();
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    // Every table of entered data (it has the sync columns) is declared.
    let entered: Vec<String> = conn
        .prepare(
            "SELECT m.name FROM sqlite_master m WHERE m.type = 'table' AND EXISTS \
             (SELECT 1 FROM pragma_table_info(m.name) WHERE name = 'deleted_at') ORDER BY m.name",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut declared: Vec<String> = TABLES.iter().map(|t| t.name.to_owned()).collect();
    declared.sort();
    assert_eq!(entered, declared, "tables with sync columns vs TABLES");
    for t in TABLES {
        let live: Vec<(String, String, bool)> = conn
            .prepare(
                "SELECT name, upper(type), \"notnull\" FROM pragma_table_info(?1) ORDER BY cid",
            )
            .unwrap()
            .query_map([t.name], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? != 0))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let names: Vec<&str> = live.iter().map(|(n, _, _)| n.as_str()).collect();
        let expected: Vec<&str> = t
            .all_columns()
            .map(|c| c.name)
            .chain(t.derived.iter().copied())
            .collect();
        assert_eq!(names, expected, "{t}: columns in table order");
        let fks: Vec<(String, String)> = conn
            .prepare("SELECT \"from\", \"table\" FROM pragma_foreign_key_list(?1)")
            .unwrap()
            .query_map([t.name], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        for c in t.all_columns() {
            let (_, ty, not_null) = live.iter().find(|(n, _, _)| n == c.name).unwrap();
            assert_eq!(
                ty == "INTEGER",
                c.kind.is_integer(),
                "{t}.{}: declared {ty}, kind {:?}",
                c.name,
                c.kind
            );
            assert_eq!(*not_null, !c.nullable, "{t}.{}: NOT NULL", c.name);
            let fk = fks
                .iter()
                .find(|(from, _)| from == c.name)
                .map(|(_, to)| to.as_str());
            match c.kind {
                Kind::Ref(parent) => assert_eq!(fk, Some(parent), "{t}.{}", c.name),
                _ => assert_eq!(fk, None, "{t}.{} refers without a Ref kind", c.name),
            }
        }
    }
}

#[test]
fn a_visit_moves_through_review_only_as_review_allows_whoever_saves() {
    let (_dir, _path, mut store) = fresh();
    let p = parents(&mut store);
    let key = |r: Result<Visit, StoreError>| match r {
        Err(StoreError::Invalid { problem, .. }) => problem.key,
        other => panic!("refused expected, got {other:?}"),
    };
    // A new visit cannot start approved, nor submitted by a save's trick.
    let mut v = visit(p.household.meta.id);
    v.status = "approved".to_owned();
    let refused = store.save(&mut v).map(|()| v.clone());
    assert_eq!(key(refused), "review.supervisors_only");
    v.status = "draft".to_owned();
    store.save(&mut v).unwrap();
    let id = v.meta.id;
    // Draft to approved skips review: refused even for a supervisor.
    store.set_setting("role", "supervisor").unwrap();
    assert_eq!(
        key(store.set_visit_status(id, "approved", "")),
        "review.not_allowed"
    );
    store.set_setting("role", "surveyor").unwrap();
    store.set_visit_status(id, "submitted", "").unwrap();
    // A surveyor cannot approve or return, through any path.
    assert_eq!(
        key(store.set_visit_status(id, "approved", "")),
        "review.supervisors_only"
    );
    let mut direct = store.get::<Visit>(id).unwrap().unwrap();
    direct.status = "approved".to_owned();
    let refused = store.save(&mut direct).map(|()| direct.clone());
    assert_eq!(key(refused), "review.supervisors_only");
    assert_eq!(store.get::<Visit>(id).unwrap().unwrap().status, "submitted");
    // A supervisor returns it; the surveyor submits again; approved.
    store.set_setting("role", "supervisor").unwrap();
    store.set_visit_status(id, "returned", "请核实").unwrap();
    store.set_setting("role", "surveyor").unwrap();
    assert_eq!(
        key(store.set_visit_status(id, "draft", "")),
        "review.not_allowed"
    );
    store.set_visit_status(id, "submitted", "").unwrap();
    store.set_setting("role", "supervisor").unwrap();
    store.set_visit_status(id, "approved", "").unwrap();
    // Approved is not taken back to a draft or submitted again.
    for to in ["draft", "submitted"] {
        assert_eq!(
            key(store.set_visit_status(id, to, "")),
            "review.not_allowed"
        );
    }
    assert_eq!(store.get::<Visit>(id).unwrap().unwrap().status, "approved");
}

#[test]
fn a_roster_saved_has_one_head_once_it_has_members_and_none_before() {
    let (_dir, _path, mut store) = fresh();
    let p = parents(&mut store); // 扎西泽仁, the head
    let key = |r: Result<(), StoreError>| match r {
        Err(StoreError::Invalid { problem, .. }) => (problem.key, problem.field),
        other => panic!("refused expected, got {other:?}"),
    };
    // A household with no members yet needs no head.
    let mut empty = household(p.village.meta.id, "513333100201000002");
    store.save_roster(&mut empty, &mut [], &[]).unwrap();

    let mut h = p.household.clone();
    let mut second = person(h.meta.id, "次仁", "");
    second.relation = "head".to_owned();
    let mut roster = [p.person.clone(), second];
    assert_eq!(
        key(store.save_roster(&mut h, &mut roster, &[])),
        ("household.error.heads", Some("relation"))
    );
    roster[0].relation = "spouse".to_owned();
    roster[1].relation = "child".to_owned();
    assert_eq!(
        key(store.save_roster(&mut h, &mut roster, &[])),
        ("household.error.no_head", Some("relation"))
    );
    // Every member removed: no head needed.
    let mut h = store.get::<Household>(h.meta.id).unwrap().unwrap();
    store
        .save_roster(&mut h, &mut [], &[p.person.meta.id])
        .unwrap();
    assert_eq!(store.members(h.meta.id).unwrap(), []);
}

#[test]
fn the_review_list_holds_live_visits_by_status_in_the_order_asked_newest_first() {
    let (_dir, _path, mut store) = fresh();
    let p = parents(&mut store); // its visit stays a draft
    let hid = p.household.meta.id;
    let mut ids = Vec::new();
    for _ in 0..4 {
        let mut v = visit(hid);
        store.save_visit(&mut v, &mut []).unwrap();
        ids.push(v.meta.id);
    }
    let [a, b, returned, deleted] = ids[..] else {
        unreachable!()
    };
    // Times are kept to the millisecond: a pause between changes orders them.
    for id in [returned, a, b, deleted] {
        std::thread::sleep(Duration::from_millis(3));
        store.set_visit_status(id, "submitted", "").unwrap();
    }
    store.set_setting("role", "supervisor").unwrap();
    store
        .set_visit_status(returned, "returned", "请核实")
        .unwrap();
    store.delete::<Visit>(deleted).unwrap();

    let list = |statuses: &[&str], limit| -> Vec<(Uuid, String, String)> {
        store
            .visits_by_status(statuses, limit)
            .unwrap()
            .into_iter()
            .map(|r| (r.visit.meta.id, r.household_number, r.head_name))
            .collect()
    };
    let row = |id| (id, "513333100201000001".to_owned(), "扎西泽仁".to_owned());
    // Returned first as asked; the submitted ones newest first (b was
    // submitted after a); the deleted one and the draft not at all.
    assert_eq!(
        list(&["returned", "submitted"], 10),
        [row(returned), row(b), row(a)]
    );
    assert_eq!(
        list(&["submitted", "returned"], 10),
        [row(b), row(a), row(returned)]
    );
    // The limit counts across statuses.
    assert_eq!(list(&["returned", "submitted"], 2), [row(returned), row(b)]);
    assert_eq!(list(&["submitted"], 1), [row(b)]);
    assert_eq!(list(&["submitted"], 0), []);
    assert_eq!(list(&["approved"], 10), []);
    // A visit's own list and answers, from the household.
    let visits: Vec<Uuid> = store
        .visits_of(hid)
        .unwrap()
        .iter()
        .map(|v| v.meta.id)
        .collect();
    assert_eq!(visits.len(), 4, "{visits:?}"); // parents' draft, a, b, returned
    assert!(!visits.contains(&deleted));
}

#[test]
fn the_store_refuses_any_value_its_column_does_not_take_whoever_saves() {
    let (_dir, _path, mut store) = fresh();
    let p = parents(&mut store);
    let audit = store.audit_len().unwrap();
    let refused = |store: &mut Store, mut person: Person| match store.save(&mut person) {
        Err(StoreError::Invalid { problem, table, .. }) => {
            assert_eq!(table, "person");
            (problem.field.unwrap_or_default(), problem.key)
        }
        other => panic!("refused expected, got {other:?}"),
    };
    let base = p.person.clone();
    let cases: Vec<(Person, (&str, &str))> = vec![
        (
            Person {
                id_number: "513333199001011234".into(),
                ..base.clone()
            },
            ("id_number", "rule.id_number.check_digit"),
        ),
        (
            Person {
                phone: "138abc45678".into(),
                ..base.clone()
            },
            ("phone", "rule.phone.bad_char"),
        ),
        (
            Person {
                sex: "x".into(),
                ..base.clone()
            },
            ("sex", "rule.value.not_kind"),
        ),
        (
            Person {
                name_zh: "扎西\u{1b}[2J".into(),
                ..base.clone()
            },
            ("name_zh", "rule.text.control_char"),
        ),
        (
            Person {
                name_zh: String::new(),
                name_bo: String::new(),
                ..base.clone()
            },
            ("name_zh", "rule.name.missing"),
        ),
    ];
    for (person, expected) in cases {
        assert_eq!(refused(&mut store, person), expected);
    }
    let mut h = p.household.clone();
    h.exit_year = Some(-2019);
    match store.save(&mut h) {
        Err(StoreError::Invalid { problem, .. }) => assert_eq!(problem.key, "rule.year.exit_range"),
        other => panic!("{other:?}"),
    }
    assert_eq!(store.audit_len().unwrap(), audit, "nothing was written");
    assert_eq!(store.get::<Person>(base.meta.id).unwrap().unwrap(), base);
}
