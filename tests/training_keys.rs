//! The training keys the README names that tests/training.rs does not
//! drive: `y` and `s` cycling the session list's year and status filters
//! (each back to "all"), and `h`/`l` moving a day's attendance to the day
//! before or after, the marks saved on the day shown; Enter marking
//! present there.

mod support;

use chrono::NaiveDate;
use fieldbook::domain::records::*;
use fieldbook::i18n::Lang;
use fieldbook::store::{OpenOptions, Store};
use ratatui::crossterm::event::KeyCode;
use support::TestApp;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Township A: one household, two adults; sewing-2026-01 (planned,
/// 2026-04-01..20) with both enrolled; cooking-2025-01 (finished, 2025).
fn app() -> (TestApp, TrainingSession) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("fieldbook.db"), OpenOptions::create()).unwrap();
    store.set_operator("卓玛");
    let (_, _, people) = support::adults_household(&mut store, &["扎西", "拉姆"]);
    let t = store.townships().unwrap().remove(0);
    let courses = store.courses().unwrap();
    let course = |code: &str| courses.iter().find(|c| c.code == code).unwrap().meta.id;
    let mut session = |course_id, code: &str, start: NaiveDate, status: &str| {
        let mut s = TrainingSession {
            course_id,
            period: 1,
            mode: "to_villages".to_owned(),
            start_date: start,
            end_date: start + chrono::Duration::days(19),
            capacity: 5,
            target_group: "poor_labourers".to_owned(),
            code: code.to_owned(),
            township_id: Some(t.meta.id),
            status: "planned".to_owned(),
            ..TrainingSession::default()
        };
        store.save(&mut s).unwrap();
        s.status = status.to_owned();
        store.save(&mut s).unwrap();
        s
    };
    let s1 = session(course("sewing"), "sewing-2026-01", d(2026, 4, 1), "planned");
    session(
        course("cooking"),
        "cooking-2025-01",
        d(2025, 5, 1),
        "finished",
    );
    for p in &people {
        store.enrol(s1.meta.id, p.meta.id, false).unwrap();
    }
    let mut app = TestApp::on(store, Lang::En, dir);
    app.app.today = d(2026, 4, 2);
    (app, s1)
}

/// The session codes on the screen, in order.
fn codes(t: &TestApp) -> Vec<&'static str> {
    let screen = t.render(80, 24);
    let mut found: Vec<(usize, &'static str)> = ["sewing-2026-01", "cooking-2025-01"]
        .into_iter()
        .filter_map(|c| screen.find(c).map(|at| (at, c)))
        .collect();
    found.sort();
    found.into_iter().map(|(_, c)| c).collect()
}

#[test]
fn y_and_s_cycle_the_year_and_status_filters_back_to_all() {
    let (mut t, _) = app();
    t.chars("t");
    assert_eq!(t.app.screen_title_key(), "training.title");
    let all = ["sewing-2026-01", "cooking-2025-01"];
    assert_eq!(codes(&t), all);
    // Year: each year with sessions in turn, then all again.
    let mut seen = Vec::new();
    for _ in 0..3 {
        t.chars("y");
        seen.push(codes(&t));
        if seen.last().unwrap().len() == 2 {
            break;
        }
    }
    assert!(seen.contains(&vec!["sewing-2026-01"]), "{seen:?}");
    assert!(seen.contains(&vec!["cooking-2025-01"]), "{seen:?}");
    assert_eq!(seen.last().unwrap(), &all, "{seen:?}");
    assert!(t.render(80, 24).contains("2026") || t.render(80, 24).contains("2025"));
    // Status: planned, running, finished, cancelled ... then all.
    let mut seen = Vec::new();
    for _ in 0..8 {
        t.chars("s");
        seen.push(codes(&t));
        if seen.last().unwrap().len() == 2 {
            break;
        }
    }
    assert!(seen.contains(&vec!["sewing-2026-01"]), "{seen:?}");
    assert!(seen.contains(&vec!["cooking-2025-01"]), "{seen:?}");
    assert!(seen.contains(&vec![]), "a status no session has: {seen:?}");
    assert_eq!(seen.last().unwrap(), &all, "{seen:?}");
}

#[test]
fn h_takes_the_day_before_and_l_the_day_after_and_marks_are_saved_on_the_day_shown() {
    use KeyCode::*;
    let (mut t, s1) = app();
    t.chars("t");
    t.key(Enter);
    assert_eq!(t.app.screen_title_key(), "roster.title");
    t.chars("p");
    assert_eq!(t.app.screen_title_key(), "attendance.title");
    // The day shown heads the register: "2026-04-02: 0 present, ...".
    let day = |t: &TestApp| {
        let screen = t.render(80, 24);
        ["2026-04-01: ", "2026-04-02: ", "2026-04-03: "]
            .into_iter()
            .filter(|d| screen.contains(d))
            .collect::<Vec<_>>()
    };
    assert_eq!(day(&t), ["2026-04-02: "]);
    t.chars("h");
    assert_eq!(day(&t), ["2026-04-01: "]);
    // The session's first day: there is no day before it.
    t.chars("h");
    assert_eq!(day(&t), ["2026-04-01: "]);
    t.chars("ff");
    t.ctrl('s');
    assert_eq!(t.app.message().map(|m| m.key), Some("attendance.saved"));
    assert_eq!(
        t.store()
            .attendance_on(s1.meta.id, d(2026, 4, 1))
            .unwrap()
            .len(),
        2
    );
    assert!(
        t.store()
            .attendance_on(s1.meta.id, d(2026, 4, 2))
            .unwrap()
            .is_empty()
    );
    t.chars("l");
    assert_eq!(day(&t), ["2026-04-02: "]);
    // Enter marks present here (it opens nothing), so the bar does not
    // offer "Enter Open" from the list underneath.
    let screen = t.render(80, 24);
    let bar = screen.lines().last().unwrap();
    assert!(bar.contains("f Present") && !bar.contains("Enter"), "{bar}");
    t.key(KeyCode::Home);
    t.key(KeyCode::Enter);
    assert!(t.render(80, 24).contains("2026-04-02: 1 present"));
    t.chars("d");
    let screen = t.render(80, 24);
    assert!(
        screen.contains("2026-04-02: 1 present, 1 absent"),
        "{screen}"
    );
    t.ctrl('s');
    let on = t.store().attendance_on(s1.meta.id, d(2026, 4, 2)).unwrap();
    assert_eq!(on.len(), 2);
    assert_eq!(
        t.store()
            .attendance_on(s1.meta.id, d(2026, 4, 1))
            .unwrap()
            .len(),
        2
    );
}
