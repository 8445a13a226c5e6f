//! `fieldbook payroll` on a small fixed database, against amounts worked
//! out by hand: a whole month (500.00), 15 of 22 days (340.91), and a
//! holder whose agreement starts on 15 November and who worked 20 days of
//! which 16 are in the agreement (363.64); total 1,204.55.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use chrono::NaiveDate;
use fieldbook::domain::id_number::check_char;
use fieldbook::domain::posts::Month;
use fieldbook::domain::records::*;
use fieldbook::store::posts::Assigned;
use fieldbook::store::{OpenOptions, Store};
use tempfile::TempDir;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn id(birth: &str, seq: u32) -> String {
    let body = format!("513333{birth}{seq:03}");
    format!("{body}{}", check_char(&body).unwrap())
}

/// Three holders in one village of the first township, November 2026's
/// attendance entered and its payroll prepared.
fn county() -> (TempDir, PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fieldbook.db");
    let mut store = Store::open(&path, OpenOptions::create()).unwrap();
    store.set_operator("卓玛");
    let township = store.townships().unwrap().remove(0);
    let mut v = Village {
        meta: RowMeta::new(),
        code: format!("{}001", township.code),
        township_id: township.meta.id,
        name_zh: "德钦村".into(),
        exit_year: Some(2019),
        ..Village::default()
    };
    store.save(&mut v).unwrap();
    let ranger = store
        .post_types()
        .unwrap()
        .into_iter()
        .find(|t| t.code == "forest_ranger")
        .unwrap();
    let people = [
        ("扎西", "19800501", 11, d(2026, 1, 1), 22),
        ("次仁", "19900101", 21, d(2026, 1, 1), 15),
        ("多吉", "19850101", 31, d(2026, 11, 15), 20),
    ];
    let mut days = Vec::new();
    for (n, (name, birth, seq, start, worked)) in people.into_iter().enumerate() {
        let mut h = Household {
            meta: RowMeta::new(),
            number: format!("{}{:06}", v.code, n + 1),
            village_id: v.meta.id,
            registered_poor: true,
            ..Household::default()
        };
        let mut m = [Person {
            meta: RowMeta::new(),
            household_id: h.meta.id,
            name_zh: name.into(),
            id_number: id(birth, seq),
            birth_date: NaiveDate::parse_from_str(birth, "%Y%m%d").ok(),
            relation: "head".into(),
            ..Person::default()
        }];
        store.save_household(&mut h, &mut m).unwrap();
        let mut p = Post {
            meta: RowMeta::new(),
            post_type_id: ranger.meta.id,
            village_id: v.meta.id,
            title: format!("{}号护林员", n + 1),
            monthly_subsidy_fen: 50_000,
            required_days: 22,
            opened_on: d(2026, 1, 1),
            ..Post::default()
        };
        store.save_post(&mut p).unwrap();
        let mut a = PostAssignment {
            meta: RowMeta::new(),
            post_id: p.meta.id,
            person_id: m[0].meta.id,
            start_date: start,
            agreement_end: fieldbook::domain::posts::default_agreement_end(start),
            ..PostAssignment::default()
        };
        assert_eq!(store.assign(&mut a, false).unwrap(), Assigned::Saved);
        days.push((a.meta.id, Some(worked)));
    }
    let nov = Month::parse("2026-11").unwrap();
    store.save_attendance(nov, &days).unwrap();
    store.prepare_payroll(township.meta.id, nov).unwrap();
    (dir, path, township.code)
}

fn fb(home: &Path, db: &Path) -> Command {
    let mut c = Command::cargo_bin("fieldbook").unwrap();
    c.env("HOME", home)
        .env_remove("FIELDBOOK_DB")
        .env("LANG", "en_US.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .arg("--db")
        .arg(db);
    c
}

#[test]
fn the_payroll_prints_as_counties_post_it_with_hand_computed_amounts() {
    let (dir, db, township) = county();
    let out = fb(dir.path(), &db)
        .args(["payroll", "--month", "2026-11", "--township", &township])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "Public-welfare post subsidy payroll, 2026-11");
    assert!(lines[1].starts_with("No.  Name   ID number"), "{text}");
    let row = |i: usize| lines[i].split_whitespace().collect::<Vec<_>>();
    let id1 = id("19800501", 11);
    assert_eq!(row(2)[..3], ["1", "扎西", id1.as_str()], "{text}");
    // Required days, days worked, amount, agreement period.
    assert_eq!(row(2)[6..], ["22", "22", "500.00", "2026-01-01–2026-12-31"]);
    assert_eq!(row(3)[6..], ["22", "15", "340.91", "2026-01-01–2026-12-31"]);
    assert_eq!(row(4)[6..], ["22", "20", "363.64", "2026-11-15–2027-11-14"]);
    assert_eq!(row(5), ["Total", "1204.55"]);
    // For the notice board: ID numbers masked, nothing else changed.
    let public = fb(dir.path(), &db)
        .args(["payroll", "--month", "2026-11", "--public"])
        .output()
        .unwrap();
    let public = String::from_utf8(public.stdout).unwrap();
    assert!(!public.contains(&id("19800501", 11)), "{public}");
    assert!(public.contains("513333********"), "{public}");
    assert!(public.contains("1204.55"));
    // CSV and JSON carry the same amounts.
    let csv = fb(dir.path(), &db)
        .args(["payroll", "--month", "2026-11", "--format", "csv"])
        .output()
        .unwrap();
    let csv = String::from_utf8(csv.stdout).unwrap();
    assert!(csv.lines().nth(3).unwrap().contains(",363.64,"), "{csv}");
    let json = fb(dir.path(), &db)
        .args([
            "payroll", "--month", "2026-11", "--format", "json", "--public",
        ])
        .output()
        .unwrap();
    let amounts: Vec<i64> = String::from_utf8(json.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["amount_fen"]
                .as_i64()
                .unwrap()
        })
        .collect();
    assert_eq!(amounts, [50_000, 34_091, 36_364]);
    // A workbook beside it.
    let xlsx = dir.path().join("payroll.xlsx");
    fb(dir.path(), &db)
        .args(["payroll", "--month", "2026-11", "--xlsx"])
        .arg(&xlsx)
        .assert()
        .success();
    assert!(std::fs::metadata(&xlsx).unwrap().len() > 0);
}

#[test]
fn a_bad_month_or_township_is_refused_in_the_users_language() {
    let (dir, db, _) = county();
    let out = fb(dir.path(), &db)
        .args(["payroll", "--month", "2026-13"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a month"));
    let out = fb(dir.path(), &db)
        .args([
            "--lang",
            "zh",
            "payroll",
            "--month",
            "2026-11",
            "--township",
            "999",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("没有代码为 999 的乡镇"));
}
