//! Upgrading: a database left by any earlier fieldbook opens in this one,
//! at the latest schema, with its data, after a copy of the old file was kept.
//!
//! Adding schema version N means adding `fixture(N)`: the data a fieldbook
//! at version N would have written, in that version's shape. The checks
//! read it back through today's store, so they need no change.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use chrono::NaiveDate;
use fieldbook::domain::records::*;
use fieldbook::store::{
    LATEST_VERSION, OpenOptions, Store, StoreError, create_at_version, execute_raw,
};
use uuid::Uuid;

/// Ids used by every fixture, so the checks are the same for all versions.
const VILLAGE: &str = "01940000-0000-7000-8000-000000000001";
const HOUSEHOLD: &str = "01940000-0000-7000-8000-000000000002";
const HEAD: &str = "01940000-0000-7000-8000-000000000003";
const WIFE: &str = "01940000-0000-7000-8000-000000000004";
const GONE: &str = "01940000-0000-7000-8000-000000000005";
const VISIT: &str = "01940000-0000-7000-8000-000000000006";
const ANSWER: &str = "01940000-0000-7000-8000-000000000007";
const SESSION: &str = "01940000-0000-7000-8000-000000000008";
const ENROLMENT: &str = "01940000-0000-7000-8000-000000000009";
const POST: &str = "01940000-0000-7000-8000-00000000000a";
const ASSIGNMENT: &str = "01940000-0000-7000-8000-00000000000b";
const PAYMENT: &str = "01940000-0000-7000-8000-00000000000c";
const JOB: &str = "01940000-0000-7000-8000-00000000000d";
const OLD_DEVICE: &str = "01930000-0000-7000-8000-0000000000ff";
const HEAD_ID_NUMBER: &str = "513333198503140113";

/// The data a fieldbook at schema `v` would have written, as raw SQL run
/// on a database just created at `v`.
fn fixture(v: usize) -> String {
    match v {
        // Version 0 is a file with no schema at all: `touch`ed, or left by an
        // init that never ran. There is nothing in it to keep.
        0 => String::new(),
        1 => format!("{FIXTURE_V1}\n{JOB_V1}"),
        // Version 2 writes the same records (its derived columns are kept by
        // triggers) plus form drafts.
        2 => format!("{FIXTURE_V1}\n{JOB_V1}\n{DRAFT_V2}"),
        // Version 3 writes the same records: its search index is derived,
        // kept by triggers as the rows go in.
        3 => format!("{FIXTURE_V1}\n{JOB_V1}\n{DRAFT_V2}"),
        // Version 4 writes sessions with their code, status and days held,
        // enrolments with their assessment, and attendance by day.
        4 => format!("{FIXTURE_V1}\n{JOB_V1}\n{DRAFT_V2}\n{TRAINING_V4}"),
        // Version 5 writes posts whole: an agreement's end, a post's
        // funding line and dates, a month's subsidy with its days.
        5 => format!("{FIXTURE_V1}\n{JOB_V1}\n{DRAFT_V2}\n{TRAINING_V4}\n{POSTS_V5}"),
        // Version 6 writes employment records whole: months, place tier and
        // county, channel, monthly income and the transport subsidy.
        // Version 7 writes the same records: the report's tallies are
        // derived, kept by triggers as the rows go in.
        6 | 7 => format!("{FIXTURE_V1}\n{JOB_V6}\n{DRAFT_V2}\n{TRAINING_V4}\n{POSTS_V5}"),
        _ => panic!(
            "no fixture for schema version {v}: add fixture({v}) with the data a \
             fieldbook at version {v} writes, so upgrading from it is tested"
        ),
    }
}

const TRAINING_V4: &str = r#"
UPDATE training_session SET code = 'sewing-2026-01', status = 'finished', days_held = 15,
    class_hours = 120, trainers = '卓玛 老师'
WHERE id = '01940000-0000-7000-8000-000000000008';
UPDATE enrolment SET theory_result = 'pass', practical_result = 'pass', certificate_date = '2026-04-25'
WHERE id = '01940000-0000-7000-8000-000000000009';
INSERT INTO attendance(id, created_at, updated_at, operator, device_id, deleted_at,
    enrolment_id, day, present)
VALUES ('01940000-0000-7000-8000-00000000000e', '2026-04-01T08:00:00.000Z', '2026-04-01T08:00:00.000Z',
    '泽仁', '01930000-0000-7000-8000-0000000000ff', NULL,
    '01940000-0000-7000-8000-000000000009', '2026-04-01', 1);
"#;

const POSTS_V5: &str = r#"
UPDATE post SET opened_on = '2026-01-01', monthly_subsidy_fen = 50000,
    funding_source_id = (SELECT id FROM funding_source WHERE code = 'ecological_compensation')
WHERE id = '01940000-0000-7000-8000-00000000000a';
UPDATE post_assignment SET agreement_end = '2026-12-31' WHERE id = '01940000-0000-7000-8000-00000000000b';
UPDATE subsidy_payment SET days_worked = 22, required_days = 22, days_counted = 22, standard_fen = 50000
WHERE id = '01940000-0000-7000-8000-00000000000c';
"#;

/// The employment record of versions 1 to 5: dates, a kind, an income.
const JOB_V1: &str = r#"
INSERT INTO employment_record(id, created_at, updated_at, operator, device_id, deleted_at,
    person_id, kind, employer, start_date, end_date, income_fen)
VALUES ('01940000-0000-7000-8000-00000000000d', '2026-01-05T08:00:00.000Z', '2026-01-05T08:00:00.000Z',
    '泽仁', '01930000-0000-7000-8000-0000000000ff', NULL,
    '01940000-0000-7000-8000-000000000003', 'local_short_term', '色达县', '2025-01-01', NULL, 1200000);
"#;

/// Version 6 writes it by months, with its place, channel and monthly income.
const JOB_V6: &str = r#"
INSERT INTO employment_record(id, created_at, updated_at, operator, device_id, deleted_at,
    person_id, kind, employer, start_month, end_month, income_fen, place_tier, work_county,
    industry, channel, point_to_point, monthly_income_fen, transport_subsidy_fen,
    plans_to_work, planned_tier, services_wanted)
VALUES ('01940000-0000-7000-8000-00000000000d', '2026-01-05T08:00:00.000Z', '2026-01-05T08:00:00.000Z',
    '泽仁', '01930000-0000-7000-8000-0000000000ff', NULL,
    '01940000-0000-7000-8000-000000000003', 'local_short_term', '色达县', '2025-01', NULL, 1200000,
    'in_county', '色达县', 'construction', 'organised_transfer', 0, 100000, NULL, NULL, '', '');
"#;

const DRAFT_V2: &str = r#"
INSERT INTO draft(key, form, record_id, payload, operator, updated_at)
VALUES ('visit:01940000-0000-7000-8000-000000000006', 'visit', '01940000-0000-7000-8000-000000000006',
    '{"values":{"problems":"缺技能"}}', '泽仁', '2026-02-03T08:00:00.000Z');
"#;

const FIXTURE_V1: &str = r#"
UPDATE meta SET value = '01930000-0000-7000-8000-0000000000ff' WHERE key = 'device_id';
INSERT INTO settings(key, value) VALUES ('operator', '泽仁'), ('lang', 'zh+bo');
-- A clerk filled in a seeded township's Tibetan name.
UPDATE township SET name_bo = 'གསེར་ཐར', updated_at = '2026-02-01T08:00:00.000Z',
    operator = '泽仁', device_id = '01930000-0000-7000-8000-0000000000ff'
WHERE code = '513333100';
INSERT INTO village(id, created_at, updated_at, operator, device_id, deleted_at,
    code, township_id, name_zh, name_bo, exit_year)
VALUES ('01940000-0000-7000-8000-000000000001', '2026-01-02T08:00:00.000Z', '2026-01-02T08:00:00.000Z',
    '泽仁', '01930000-0000-7000-8000-0000000000ff', NULL,
    '513333100201', (SELECT id FROM township WHERE code = '513333100'), '德钦村', 'བདེ་ཆེན་གྲོང་སྡེ', 2019);
INSERT INTO household(id, created_at, updated_at, operator, device_id, deleted_at,
    number, village_id, phone, registered_poor, exit_year)
VALUES ('01940000-0000-7000-8000-000000000002', '2026-01-02T08:01:00.000Z', '2026-01-03T08:01:00.000Z',
    '泽仁', '01930000-0000-7000-8000-0000000000ff', NULL,
    '5133331002010001', '01940000-0000-7000-8000-000000000001', '13888888888', 1, NULL);
INSERT INTO person(id, created_at, updated_at, operator, device_id, deleted_at,
    household_id, position, name_zh, name_bo, id_number, sex, birth_date, relation, education, is_labourer, phone)
VALUES
 ('01940000-0000-7000-8000-000000000003', '2026-01-02T08:01:00.000Z', '2026-01-02T08:01:00.000Z',
    '泽仁', '01930000-0000-7000-8000-0000000000ff', NULL,
    '01940000-0000-7000-8000-000000000002', 0, '扎西泽仁', 'བཀྲ་ཤིས་ཚེ་རིང', '513333198503140113', 'm',
    '1985-03-14', 'head', 'junior', 1, ''),
 ('01940000-0000-7000-8000-000000000004', '2026-01-02T08:01:00.000Z', '2026-01-02T08:01:00.000Z',
    '泽仁', '01930000-0000-7000-8000-0000000000ff', NULL,
    '01940000-0000-7000-8000-000000000002', 1, '', 'སྒྲོལ་མ', '', 'f',
    NULL, 'spouse', 'none', 1, '13999999999'),
 ('01940000-0000-7000-8000-000000000005', '2026-01-02T08:01:00.000Z', '2026-01-04T08:01:00.000Z',
    '泽仁', '01930000-0000-7000-8000-0000000000ff', '2026-01-04T08:01:00.000Z',
    '01940000-0000-7000-8000-000000000002', 2, '尼玛', '', '', 'm',
    NULL, 'child', 'primary', 0, '');
INSERT INTO visit(id, created_at, updated_at, operator, device_id, deleted_at,
    household_id, visit_date, round, visit_type, surveyors, difficulties, problems, follow_up,
    status, review_comment, reviewed_by, reviewed_at)
VALUES ('01940000-0000-7000-8000-000000000006', '2026-01-05T08:00:00.000Z', '2026-01-05T08:00:00.000Z',
    '泽仁', '01930000-0000-7000-8000-0000000000ff', NULL,
    '01940000-0000-7000-8000-000000000002', '2026-01-05', '2026-start', 'annual', '泽仁 才旺',
    'lack_skills no_mandarin', '缺技能', '', 'submitted', '', '', NULL);
INSERT INTO visit_person(id, created_at, updated_at, operator, device_id, deleted_at,
    visit_id, person_id, employment_status, work_place, annual_income_fen, willing_to_work_away,
    training_wanted, job_wanted)
VALUES ('01940000-0000-7000-8000-000000000007', '2026-01-05T08:00:00.000Z', '2026-01-05T08:00:00.000Z',
    '泽仁', '01930000-0000-7000-8000-0000000000ff', NULL,
    '01940000-0000-7000-8000-000000000006', '01940000-0000-7000-8000-000000000003',
    'local_short_term', '色达县', 1200000, 0, 'sewing cooking', '');
INSERT INTO training_session(id, created_at, updated_at, operator, device_id, deleted_at,
    course_id, period, mode, start_date, end_date, place, provider, capacity, target_group)
VALUES ('01940000-0000-7000-8000-000000000008', '2026-01-06T08:00:00.000Z', '2026-01-06T08:00:00.000Z',
    '泽仁', '01930000-0000-7000-8000-0000000000ff', NULL,
    (SELECT id FROM course WHERE code = 'sewing'), 1, 'to_villages', '2026-04-01', '2026-04-20',
    '色柯镇', '县就业局', 34, 'poor_labourers');
INSERT INTO enrolment(id, created_at, updated_at, operator, device_id, deleted_at,
    session_id, person_id, attendance_days, outcome, certificate_no, employed_after)
VALUES ('01940000-0000-7000-8000-000000000009', '2026-01-06T08:00:00.000Z', '2026-01-06T08:00:00.000Z',
    '泽仁', '01930000-0000-7000-8000-0000000000ff', NULL,
    '01940000-0000-7000-8000-000000000008', '01940000-0000-7000-8000-000000000004',
    20, 'completed', 'SD00000001', 1);
INSERT INTO post(id, created_at, updated_at, operator, device_id, deleted_at,
    post_type_id, village_id, status)
VALUES ('01940000-0000-7000-8000-00000000000a', '2026-01-07T08:00:00.000Z', '2026-01-07T08:00:00.000Z',
    '泽仁', '01930000-0000-7000-8000-0000000000ff', NULL,
    (SELECT id FROM post_type WHERE code = 'forest_ranger'), '01940000-0000-7000-8000-000000000001', 'filled');
INSERT INTO post_assignment(id, created_at, updated_at, operator, device_id, deleted_at,
    post_id, person_id, start_date, end_date, end_reason)
VALUES ('01940000-0000-7000-8000-00000000000b', '2026-01-07T08:00:00.000Z', '2026-01-07T08:00:00.000Z',
    '泽仁', '01930000-0000-7000-8000-0000000000ff', NULL,
    '01940000-0000-7000-8000-00000000000a', '01940000-0000-7000-8000-000000000003', '2026-01-01', NULL, '');
INSERT INTO subsidy_payment(id, created_at, updated_at, operator, device_id, deleted_at,
    assignment_id, month, amount_fen, paid_on)
VALUES ('01940000-0000-7000-8000-00000000000c', '2026-01-25T08:00:00.000Z', '2026-01-25T08:00:00.000Z',
    '泽仁', '01930000-0000-7000-8000-0000000000ff', NULL,
    '01940000-0000-7000-8000-00000000000b', '2026-01', 50000, '2026-01-25');
INSERT INTO audit_log(at, operator, device_id, table_name, row_id, action, before, after)
VALUES ('2026-01-04T08:01:00.000Z', '泽仁', '01930000-0000-7000-8000-0000000000ff', 'person',
    '01940000-0000-7000-8000-000000000005', 'delete', '{}', '{}');
"#;

fn id(s: &str) -> Uuid {
    Uuid::parse_str(s).unwrap()
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// `<db>.schema{v}.bak`, the copy kept before upgrading from `v`.
fn backup_path(db: &Path, v: usize) -> PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push(format!(".schema{v}.bak"));
    PathBuf::from(p)
}

fn user_version(path: &Path) -> i64 {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

/// The fixtures' data, read through today's store.
fn assert_fixture_data(store: &Store) {
    // Derived since version 2, whatever version the data came from.
    let row = store
        .households_page(
            &Default::default(),
            fieldbook::store::households::Page::First,
            10,
        )
        .unwrap();
    let h = row
        .iter()
        .find(|r| r.household.meta.id.to_string() == HOUSEHOLD)
        .expect("the household is listed");
    assert_eq!(h.head_name, "扎西泽仁");
    assert_eq!(
        h.last_visit,
        Some(NaiveDate::from_ymd_opt(2026, 1, 5).unwrap())
    );
    assert_eq!(store.device_id(), OLD_DEVICE, "the device id is kept");
    assert_eq!(store.setting("lang").unwrap().as_deref(), Some("zh+bo"));
    assert_eq!(store.operator(), "泽仁");

    let t = store.township_by_code("513333100").unwrap().unwrap();
    assert_eq!(
        t.name_bo, "གསེར་ཐར",
        "a clerk's edit of a seed survives re-seeding"
    );
    assert_eq!(t.name_zh, "色柯镇");

    let v = store.get::<Village>(id(VILLAGE)).unwrap().expect("village");
    assert_eq!(v.township_id, t.meta.id);
    assert_eq!(v.exit_year, Some(2019));
    assert_eq!(store.villages_of(t.meta.id).unwrap(), vec![v.clone()]);

    let h = store
        .household_by_number("5133331002010001")
        .unwrap()
        .expect("household");
    assert_eq!(h.meta.id, id(HOUSEHOLD));
    assert_eq!(h.village_id, v.meta.id);
    assert!(h.registered_poor);
    assert_eq!(h.meta.created_at, "2026-01-02T08:01:00.000Z");
    assert_eq!(h.meta.updated_at, "2026-01-03T08:01:00.000Z");
    assert_eq!(h.meta.device_id, OLD_DEVICE);

    let members = store.members(h.meta.id).unwrap();
    let ids: Vec<Uuid> = members.iter().map(|m| m.meta.id).collect();
    assert_eq!(ids, [id(HEAD), id(WIFE)], "live members in roster order");
    assert_eq!(members[0].birth_date, Some(d(1985, 3, 14)));
    assert_eq!(members[1].name_bo, "སྒྲོལ་མ");
    let gone = store
        .get_any::<Person>(id(GONE))
        .unwrap()
        .expect("tombstone");
    assert!(gone.meta.is_deleted(), "deletions survive");
    let found = store.find_by_id_number(HEAD_ID_NUMBER).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].1.meta.id, h.meta.id);

    let visit = store.get::<Visit>(id(VISIT)).unwrap().expect("visit");
    assert_eq!(visit.difficulties, ["lack_skills", "no_mandarin"]);
    assert_eq!(visit.status, "submitted");
    let answers = store.visit_answers(visit.meta.id).unwrap();
    assert_eq!(answers.len(), 1);
    assert_eq!(answers[0].meta.id, id(ANSWER));
    assert_eq!(answers[0].training_wanted, ["sewing", "cooking"]);
    assert_eq!(answers[0].annual_income_fen, Some(1_200_000));
    assert_eq!(answers[0].willing_to_work_away, Some(false));
    // The answer's wishes reach the training-needs list (kept from v4 on).
    let mut needs: Vec<(String, i64)> = store
        .training_needs()
        .unwrap()
        .into_iter()
        .map(|r| (r.course_code, r.wanting))
        .collect();
    needs.sort();
    assert_eq!(needs, [("cooking".to_owned(), 1), ("sewing".to_owned(), 1)]);
    // The report's tallies hold the records (made from v7 on): one
    // household, counted where it lives, and nothing out of step.
    assert!(store.check().unwrap().tallies.is_empty());
    let all = store.report_data(2026, d(2026, 12, 31)).unwrap();
    let households: i64 = all.by_township.values().map(|c| c.households).sum();
    assert_eq!(households, 1);

    let s = store
        .get::<TrainingSession>(id(SESSION))
        .unwrap()
        .expect("session");
    assert_eq!((s.start_date, s.end_date), (d(2026, 4, 1), d(2026, 4, 20)));
    // Named from version 4: a session from before gets its course, year and period.
    assert_eq!(s.code, "sewing-2026-01");
    let sewing = store
        .courses()
        .unwrap()
        .into_iter()
        .find(|c| c.code == "sewing")
        .unwrap();
    assert_eq!(
        (sewing.category.as_str(), sewing.standard_hours),
        ("specific_skill", 120),
        "the seeded course is filled in by version 4"
    );
    let e = store
        .get::<Enrolment>(id(ENROLMENT))
        .unwrap()
        .expect("enrolment");
    assert_eq!(e.person_id, id(WIFE));
    assert!(e.employed_after);

    let post = store.get::<Post>(id(POST)).unwrap().expect("post");
    assert_eq!(
        store.posts_of_village(v.meta.id).unwrap(),
        vec![post.clone()]
    );
    let a = store
        .current_assignment(id(HEAD))
        .unwrap()
        .expect("assignment");
    assert_eq!(a.meta.id, id(ASSIGNMENT));
    let pay = store.payments_of(a.meta.id).unwrap();
    assert_eq!(pay.len(), 1);
    assert_eq!(pay[0].meta.id, id(PAYMENT));
    assert_eq!(pay[0].amount_fen, 50_000);
    // The posts step: a monthly subsidy (6,000 a year became 500 a month),
    // the agreement a year long, the post's funding line by its type.
    assert_eq!(a.agreement_end, d(2026, 12, 31));
    assert_eq!((pay[0].days_worked, pay[0].standard_fen), (22, 50_000));
    assert_eq!((post.monthly_subsidy_fen, post.required_days), (50_000, 22));
    assert_eq!(post.opened_on, d(2026, 1, 1));
    let ranger = store.post_types().unwrap();
    let ranger = ranger.iter().find(|t| t.code == "forest_ranger").unwrap();
    assert_eq!(ranger.monthly_subsidy_fen, 50_000);
    let ecological = store.funding_sources().unwrap();
    let ecological = ecological
        .iter()
        .find(|f| f.code == "ecological_compensation")
        .unwrap();
    assert_eq!(post.funding_source_id, Some(ecological.meta.id));
    let job = store
        .get::<EmploymentRecord>(id(JOB))
        .unwrap()
        .expect("job");
    assert_eq!(job.income_fen, Some(1_200_000));
    // The employment step: dates became months, local work is in Sêrtar.
    assert_eq!(job.start_month.as_deref(), Some("2025-01"));
    assert_eq!(job.end_month, None);
    assert_eq!(job.kind, "local_short_term");
    assert_eq!(
        (job.place_tier.as_str(), job.work_county.as_str()),
        ("in_county", "色达县")
    );

    let history = store.history("person", id(GONE)).unwrap();
    assert_eq!(history.len(), 1, "the audit log is kept");
    assert_eq!(history[0].action, "delete");
}

fn fingerprint(path: &Path) -> (Vec<u8>, SystemTime) {
    (
        std::fs::read(path).unwrap(),
        std::fs::metadata(path).unwrap().modified().unwrap(),
    )
}

/// A database at `v` with `fixture(v)` in it; the device id it holds.
fn database_at(dir: &Path, v: usize) -> PathBuf {
    let path = dir.join("county.db");
    create_at_version(&path, v).unwrap_or_else(|e| panic!("create at {v}: {e}"));
    let sql = fixture(v);
    let sql = sql.as_str();
    if !sql.is_empty() {
        execute_raw(&path, sql).unwrap_or_else(|e| panic!("fixture({v}): {e}"));
    }
    assert_eq!(user_version(&path), v as i64, "created at version {v}");
    path
}

/// Opens a database written at `v` and checks it was upgraded intact.
fn assert_upgrades_from(v: usize) {
    let dir = tempfile::tempdir().unwrap();
    let path = database_at(dir.path(), v);

    let store = Store::open(&path, OpenOptions::create())
        .unwrap_or_else(|e| panic!("open a version {v} database: {e}"));
    assert_eq!(store.schema_version().unwrap(), LATEST_VERSION, "from {v}");
    assert_eq!(
        store.meta("schema_version").unwrap(),
        Some(LATEST_VERSION.to_string()),
        "from {v}"
    );
    assert_eq!(store.townships().unwrap().len(), 16, "from {v}");
    assert!(!store.device_id().is_empty(), "from {v}");
    assert_eq!(store.courses().unwrap().len(), 7, "from {v}");
    if v >= 1 {
        assert_fixture_data(&store);
    }
    drop(store);

    let bak = backup_path(&path, v);
    if (1..LATEST_VERSION).contains(&v) {
        assert!(bak.exists(), "upgrading from {v} keeps {}", bak.display());
        assert_eq!(user_version(&bak), v as i64, "the copy is the old file");
        let conn = rusqlite::Connection::open(&bak).unwrap();
        let n: i64 = conn
            .query_row(
                "SELECT count(*) FROM household WHERE number = '5133331002010001'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 1, "the copy holds the data");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&bak).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "the copy holds ID numbers: owner only");
        }
    } else {
        // Nothing to keep from an empty file, nothing to upgrade at the latest.
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".bak"))
            .collect();
        assert!(names.is_empty(), "from {v}: unexpected {names:?}");
    }

    // Opening again changes nothing and makes no second copy.
    let store = Store::open(&path, OpenOptions::create()).unwrap();
    assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
    if v >= 1 {
        assert_fixture_data(&store);
    }
}

#[test]
fn every_earlier_schema_upgrades_to_the_latest_with_its_data_and_a_copy() {
    for v in 1..LATEST_VERSION {
        assert_upgrades_from(v);
    }
}

#[test]
fn the_fixture_of_the_latest_schema_opens_as_is() {
    // Keeps fixture(LATEST_VERSION) valid now, so it is ready to be the
    // "earlier version" the day a new schema version is added.
    assert_upgrades_from(LATEST_VERSION);
}

#[test]
fn an_older_schema_is_not_upgraded_read_only_and_is_left_untouched() {
    // Version 0 (a database with nothing in it) is not fieldbook's: see
    // `a_database_at_version_0_is_not_fieldbooks_and_is_left_alone`.
    for v in 1..LATEST_VERSION {
        let dir = tempfile::tempdir().unwrap();
        let path = database_at(dir.path(), v);
        let before = fingerprint(&path);
        let err = Store::open(&path, OpenOptions::read_only())
            .err()
            .unwrap_or_else(|| panic!("version {v} opened read-only"));
        assert!(
            matches!(err, StoreError::OlderSchemaReadOnly { found, supported, .. }
                if found == v && supported == LATEST_VERSION),
            "from {v}: {err:?}"
        );
        assert!(err.to_string().contains("init"), "says what to do: {err}");
        assert_eq!(fingerprint(&path), before, "version {v} file unchanged");
        assert!(!backup_path(&path, v).exists());
    }
}

#[test]
fn a_database_at_version_0_is_not_fieldbooks_and_is_left_alone() {
    // An SQLite file with no fieldbook tables carries no fieldbook mark:
    // neither opening it read-write nor read-only changes a byte.
    let dir = tempfile::tempdir().unwrap();
    let path = database_at(dir.path(), 0);
    let before = fingerprint(&path);
    for opts in [OpenOptions::create(), OpenOptions::read_only()] {
        let err = Store::open(&path, opts).err().expect("refused");
        assert!(matches!(err, StoreError::NotFieldbook { .. }), "{err:?}");
    }
    assert_eq!(fingerprint(&path), before);
}
