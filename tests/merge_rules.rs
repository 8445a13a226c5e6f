//! Rules that each laptop keeps on its own but a merge of two can break:
//! a session filled on two laptops. The enrolments are kept (the people
//! were enrolled and may be attending), the import names the session with
//! its count and places, on the command line too, and the store refuses
//! the next enrolment in it. `fieldbook check` names such a session, and a
//! household with two heads an older version left.

mod support;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use fieldbook::domain::records::*;
use fieldbook::i18n::Catalog;
use fieldbook::snapshot::{self, ExportOptions};
use fieldbook::store::training::OverCapacity;
use fieldbook::store::{OpenOptions, Store};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn open(path: &Path) -> Store {
    let mut s = Store::open(path, OpenOptions::create()).unwrap();
    s.set_operator("扎西");
    s
}

fn export(store: &Store, out: &Path) {
    let opts = ExportOptions {
        out_dir: out.to_path_buf(),
        date: d(2026, 6, 1),
        xlsx: false,
    };
    snapshot::export(store, &Catalog::builtin(), &opts, &mut |_, _| {}).unwrap();
}

/// The county's database: one household of four adults, a sewing session
/// of 2 places with the head enrolled. Returns the persons and session.
fn county(path: &Path) -> (Vec<Person>, TrainingSession) {
    let mut store = open(path);
    let (_, _, people) = support::adults_household(&mut store, &["扎西", "拉姆", "次仁", "多吉"]);
    let t = store.townships().unwrap().remove(0);
    let course = store
        .courses()
        .unwrap()
        .into_iter()
        .find(|c| c.code == "sewing")
        .unwrap();
    let mut s = TrainingSession {
        course_id: course.meta.id,
        period: 1,
        mode: "to_villages".to_owned(),
        start_date: d(2026, 4, 1),
        end_date: d(2026, 4, 20),
        capacity: 2,
        target_group: "poor_labourers".to_owned(),
        code: "sewing-2026-01".to_owned(),
        township_id: Some(t.meta.id),
        status: "planned".to_owned(),
        ..TrainingSession::default()
    };
    store.save(&mut s).unwrap();
    store.enrol(s.meta.id, people[0].meta.id, false).unwrap();
    (people, s)
}

#[test]
fn a_session_filled_on_two_laptops_is_kept_and_named_by_the_import() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("county.db");
    let (people, s) = county(&base);
    // Two laptops start from the county's file; each enrols one more
    // person, which each allows (2 places, 1 taken).
    let mut snaps: Vec<PathBuf> = Vec::new();
    for (i, who) in [&people[1], &people[2]].into_iter().enumerate() {
        let path = dir.path().join(format!("laptop{i}.db"));
        std::fs::copy(&base, &path).unwrap();
        let mut laptop = open(&path);
        laptop.enrol(s.meta.id, who.meta.id, false).unwrap();
        let out = dir.path().join(format!("snap{i}"));
        export(&laptop, &out);
        snaps.push(
            std::fs::read_dir(&out)
                .unwrap()
                .next()
                .unwrap()
                .unwrap()
                .path(),
        );
    }
    let mut county = open(&base);
    let report = snapshot::import(&mut county, &snaps, &mut |_, _| {}).unwrap();
    assert_eq!(
        report.over_capacity,
        [OverCapacity {
            code: "sewing-2026-01".to_owned(),
            enrolled: 3,
            capacity: 2,
        }]
    );
    assert_eq!(county.roster(s.meta.id).unwrap().len(), 3);
    // The store still holds the rule for the next one.
    assert!(county.enrol(s.meta.id, people[3].meta.id, false).is_err());
    // Imported again: nothing new to say.
    let again = snapshot::import(&mut county, &snaps, &mut |_, _| {}).unwrap();
    assert!(again.over_capacity.is_empty());

    // The command line says it, in the user's language.
    let fresh = dir.path().join("fresh.db");
    std::fs::copy(&base, &fresh).unwrap();
    let out = assert_cmd::Command::cargo_bin("fieldbook")
        .unwrap()
        .arg("--db")
        .arg(&fresh)
        .args(["--lang", "zh", "--operator", "扎西", "import"])
        .args(&snaps)
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(
        text.contains("sewing-2026-01：已报名 3 人，名额 2 人"),
        "{text}"
    );
}

/// `fieldbook check` names what a merge or an older version left against
/// the rules: a session over its places, a household with two heads.
#[test]
fn check_names_a_session_over_its_places_and_a_household_with_two_heads() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("county.db");
    let (people, s) = county(&path);
    let check = || {
        assert_cmd::Command::cargo_bin("fieldbook")
            .unwrap()
            .arg("--db")
            .arg(&path)
            .args(["--lang", "en", "check"])
            .assert()
    };
    check().success();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute(
        "UPDATE training_session SET capacity = 0 WHERE id = ?1",
        [s.meta.id.to_string()],
    )
    .unwrap();
    conn.execute(
        "UPDATE person SET relation = 'head' WHERE id = ?1",
        [people[1].meta.id.to_string()],
    )
    .unwrap();
    drop(conn);
    let out = check().code(1);
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(
        text.contains("sewing-2026-01: 1 enrolled, 0 places"),
        "{text}"
    );
    assert!(
        text.contains("Household 513333100201000001 has 2 heads"),
        "{text}"
    );
}
