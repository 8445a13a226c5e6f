//! Public-welfare posts driven by keys: create posts, assign a person found
//! by search, refuse a second post for the same person, end a placement,
//! reassign; a month's attendance typed in and its payroll prepared in
//! exact fen (a holder whose agreement starts mid-month included); the
//! village check; every posts screen in the four language modes.

mod support;

use chrono::NaiveDate;
use fieldbook::domain::posts::Month;
use fieldbook::domain::records::*;
use fieldbook::i18n::Lang;
use ratatui::crossterm::event::KeyCode::*;
use support::{LANGS, TestApp};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// A township's village that exited poverty, with two registered poor
/// households (扎西 and 卓玛 in one, 次仁 in the other).
fn village(t: &mut TestApp) -> Village {
    let store = t.store();
    let township = store.townships().unwrap().remove(0);
    let mut v = Village {
        meta: RowMeta::new(),
        code: format!("{}001", township.code),
        township_id: township.meta.id,
        name_zh: "德钦村".into(),
        name_bo: "བདེ་ཆེན".into(),
        exit_year: Some(2019),
    };
    store.save(&mut v).unwrap();
    for (n, people) in [
        (1, vec![("扎西", d(1980, 5, 1)), ("卓玛", d(1982, 6, 1))]),
        (2, vec![("次仁", d(1990, 1, 1))]),
    ] {
        let mut h = Household {
            meta: RowMeta::new(),
            number: format!("{}{n:06}", v.code),
            village_id: v.meta.id,
            registered_poor: true,
            ..Household::default()
        };
        let mut members: Vec<Person> = people
            .iter()
            .enumerate()
            .map(|(i, (name, birth))| Person {
                meta: RowMeta::new(),
                household_id: h.meta.id,
                name_zh: (*name).into(),
                birth_date: Some(*birth),
                relation: if i == 0 { "head" } else { "spouse" }.into(),
                ..Person::default()
            })
            .collect();
        store.save_household(&mut h, &mut members).unwrap();
    }
    v
}

fn message(t: &TestApp) -> &'static str {
    t.app.message().map(|m| m.key).unwrap_or_default()
}

/// From the posts list: a new forest-ranger post titled `title` in the
/// village, saved.
fn create_post(t: &mut TestApp, title: &str) {
    t.chars("n");
    assert_eq!(t.app.screen_title_key(), "post.form_title");
    // Post types are listed by code: forest_ranger is the second.
    t.key(Right).key(Right).key(Tab); // type
    t.key(Right).key(Tab); // village: the only one
    t.chars(title).key(Tab);
    t.key(Right).key(Tab); // funding: the first
    t.ctrl('s');
    assert_eq!(message(t), "form.saved", "{}", t.render(100, 30));
    t.key(Esc);
}

fn retype(t: &mut TestApp, text: &str) {
    t.key(End).times(12, Backspace).chars(text);
}

/// On a post's screen: assign the person found by `name` from `start`.
fn assign(t: &mut TestApp, name: &str, start: &str) {
    t.chars("a");
    assert_eq!(t.app.screen_title_key(), "assign.title");
    t.chars(name).key(Tab);
    retype(t, start);
    // The agreement's end followed the start; save.
    t.ctrl('s');
}

fn post_titled(t: &mut TestApp, title: &str) -> Post {
    let v = t.store().village_choices().unwrap()[0].id;
    t.store()
        .posts_of_village(v)
        .unwrap()
        .into_iter()
        .find(|p| p.title == title)
        .expect("the post")
}

#[test]
fn posts_are_created_assigned_refused_ended_and_reassigned_by_keys() {
    let mut t = TestApp::new(Lang::En);
    village(&mut t);
    t.chars("p");
    assert_eq!(t.app.screen_title_key(), "posts.title");
    create_post(&mut t, "Ranger A");
    create_post(&mut t, "Ranger B");
    let a = post_titled(&mut t, "Ranger A");
    assert_eq!(a.monthly_subsidy_fen, 50_000, "the type's subsidy");
    assert_eq!((a.required_days, a.opened_on), (22, d(2026, 11, 27)));
    assert_eq!(a.status, "open");
    // Ranger A: 扎西 from 15 November.
    t.key(Home).key(Enter);
    assert_eq!(t.app.screen_title_key(), "post.title");
    assign(&mut t, "扎西", "2026-11-15");
    assert_eq!(message(&t), "assign.saved", "{}", t.render(100, 30));
    let held = t.store().holders_of_post(a.meta.id).unwrap();
    assert_eq!(held[0].assignment.start_date, d(2026, 11, 15));
    assert_eq!(held[0].assignment.agreement_end, d(2027, 11, 14));
    // Ranger B: 扎西 again is refused; nothing saved.
    t.key(Esc).key(Down).key(Enter);
    assign(&mut t, "扎西", "2026-11-20");
    assert_eq!(message(&t), "assignment.error.person_holds");
    assert_eq!(t.app.screen_title_key(), "assign.title");
    t.key(Esc);
    let b = post_titled(&mut t, "Ranger B");
    assert!(t.store().holders_of_post(b.meta.id).unwrap().is_empty());
    // 卓玛 of the same household: a warning to acknowledge first.
    assign(&mut t, "卓玛", "2026-11-20");
    assert_eq!(message(&t), "assign.acknowledge");
    assert!(
        t.render(100, 30)
            .contains("of the same household already holds"),
        "{}",
        t.render(100, 30)
    );
    t.ctrl('w');
    assert_eq!(message(&t), "assign.saved");
    // End 卓玛's placement, then put 次仁 in.
    t.chars("x");
    assert_eq!(t.app.screen_title_key(), "end.title");
    retype(&mut t, "2026-11-25");
    t.ctrl('s');
    assert_eq!(message(&t), "assignment.error.reason_required");
    t.key(Tab).key(Right).ctrl('s');
    assert_eq!(message(&t), "end.saved");
    assign(&mut t, "次仁", "2026-11-26");
    assert_eq!(message(&t), "assign.saved", "{}", t.render(100, 30));
    let history = t.store().holders_of_post(b.meta.id).unwrap();
    let names: Vec<(&str, &str)> = history
        .iter()
        .map(|h| (h.person.zh.as_str(), h.assignment.end_reason.as_str()))
        .collect();
    assert_eq!(names, [("次仁", ""), ("卓玛", "resigned")]);
    // The post's screen shows both, and h shows the selected holder's posts.
    let screen = t.render(100, 30);
    assert!(
        screen.contains("次仁") && screen.contains("卓玛"),
        "{screen}"
    );
    t.key(Down).chars("h");
    assert!(t.render(100, 30).contains("Posts held by 卓玛"));
}

#[test]
fn a_months_attendance_is_typed_and_its_payroll_prepared_in_exact_fen() {
    let mut t = TestApp::new(Lang::En);
    village(&mut t);
    t.chars("p");
    create_post(&mut t, "1 Ranger");
    create_post(&mut t, "2 Ranger");
    t.key(Home).key(Enter);
    assign(&mut t, "扎西", "2026-01-01");
    t.key(Esc).key(Down).key(Enter);
    assign(&mut t, "次仁", "2026-11-15");
    assert_eq!(message(&t), "assign.saved");
    t.key(Esc).chars("m");
    assert_eq!(t.app.screen_title_key(), "post_attendance.title");
    // It opens on last month (October); November is one key on.
    t.key(F(8));
    // 扎西 15 days; 次仁 (from the 15th: 16 days in the agreement) 20.
    t.chars("15").key(Enter).chars("20");
    // Another month is not opened over unsaved typing.
    t.key(F(8));
    assert_eq!(message(&t), "post_attendance.save_first");
    t.ctrl('s');
    assert_eq!(
        message(&t),
        "post_attendance.saved",
        "{}",
        t.render(100, 30)
    );
    let screen = t.render(100, 30);
    assert!(
        screen.contains("340.91") && screen.contains("363.64"),
        "{screen}"
    );
    // Days above the month's are refused with the month's days.
    t.key(Up)
        .key(Backspace)
        .key(Backspace)
        .chars("31")
        .ctrl('s');
    assert_eq!(message(&t), "post_attendance.error.days");
    t.key(Backspace).key(Backspace).chars("15").ctrl('s');
    // The payroll of the township.
    t.key(Esc).chars("p");
    assert_eq!(t.app.screen_title_key(), "payroll.title");
    t.key(F(8)).ctrl('p');
    assert_eq!(message(&t), "payroll.prepared", "{}", t.render(100, 30));
    let township = t.store().townships().unwrap()[0].meta.id;
    let nov = Month::parse("2026-11").unwrap();
    let lines = t.store().payroll(Some(township), nov).unwrap();
    let fen: Vec<(i64, i64)> = lines
        .iter()
        .map(|l| (l.payment.days_counted, l.payment.amount_fen))
        .collect();
    // 50000 × 15 / 22 = 34090.9 → 34091; 50000 × 16 / 22 = 36363.6 → 36364.
    assert_eq!(fen, [(15, 34_091), (16, 36_364)]);
    // Paid: a reference is needed, then every unpaid entry is marked.
    t.ctrl('y');
    assert_eq!(message(&t), "payroll.reference_required");
    t.chars("SD-2026-11").ctrl('y');
    assert_eq!(message(&t), "payroll.marked");
    let lines = t.store().payroll(Some(township), nov).unwrap();
    assert!(
        lines
            .iter()
            .all(|l| l.payment.paid_on == Some(d(2026, 11, 27))
                && l.payment.paid_ref == "SD-2026-11")
    );
    // Totals by township, then by village.
    t.ctrl('o');
    assert!(
        t.render(100, 30).contains("704.55"),
        "{}",
        t.render(100, 30)
    );
}

#[test]
fn the_posts_settings_are_set_on_their_screen_and_refused_out_of_range() {
    let mut t = TestApp::new(Lang::En);
    t.chars("p").chars("S");
    assert_eq!(t.app.screen_title_key(), "post_settings.title");
    // The oldest age of a new holder: 66 is refused, 65 kept.
    t.key(Down)
        .key(Backspace)
        .key(Backspace)
        .chars("66")
        .ctrl('s');
    assert_eq!(message(&t), "posts.settings.range");
    t.key(Backspace).chars("5").ctrl('s');
    assert_eq!(message(&t), "post_settings.saved");
    let age = t
        .store()
        .post_setting(fieldbook::domain::posts::MAX_NEW_HOLDER_AGE);
    assert_eq!(age.unwrap(), 65);
}

#[test]
fn the_village_check_lists_villages_below_the_standard() {
    let mut t = TestApp::new(Lang::En);
    village(&mut t);
    t.chars("p");
    create_post(&mut t, "Ranger A");
    t.chars("w");
    assert_eq!(t.app.screen_title_key(), "posts.check_title");
    let screen = t.render(100, 30);
    assert!(
        screen.contains("德钦村") && screen.contains("1 shown"),
        "{screen}"
    );
}

fn snapshot(name: &str, code: &str, screen: String) {
    insta::with_settings!({ snapshot_suffix => code, prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, screen);
    });
}

#[test]
fn posts_screens_in_every_language() {
    for (lang, code) in LANGS {
        let mut t = TestApp::with_households(lang, 40);
        t.chars("p");
        snapshot("posts", code, t.render(100, 24));
        t.key(Enter);
        snapshot("post", code, t.render(100, 24));
        t.key(Esc).chars("v");
        snapshot("posts_vacant", code, t.render(100, 24));
        t.key(Enter).chars("a").chars("卓");
        snapshot("assign", code, t.render(100, 24));
        t.key(Esc).key(Esc).chars("w");
        snapshot("village_check", code, t.render(100, 24));
        t.chars("m");
        snapshot("post_attendance", code, t.render(100, 24));
        t.key(Esc).chars("p");
        snapshot("payroll", code, t.render(100, 24));
        t.key(Esc).chars("T");
        snapshot("post_types", code, t.render(100, 24));
        t.key(Esc).chars("n");
        snapshot("post_form", code, t.render(100, 24));
        t.key(Esc).chars("S");
        snapshot("post_settings", code, t.render(100, 24));
    }
}

/// The post titles (`P000`...) on the screen, top to bottom.
fn titles_shown(screen: &str) -> Vec<String> {
    screen
        .lines()
        .filter_map(|l| {
            l.split_whitespace()
                .find(|w| w.len() == 4 && w.starts_with('P') && w[1..].parse::<u32>().is_ok())
                .map(str::to_owned)
        })
        .collect()
}

/// `P{from}` to `P{to}`, both included.
fn titled(from: u32, to: u32) -> Vec<String> {
    (from..=to).map(|n| format!("P{n:03}")).collect()
}

/// Rows the app's store returns while `keys` are handled.
fn rows_read(t: &mut TestApp, keys: impl FnOnce(&mut TestApp)) -> u64 {
    let before = t.store().rows_read();
    keys(t);
    t.store().rows_read() - before
}

#[test]
fn the_posts_list_reads_the_page_on_screen_and_pages_through_every_post() {
    let mut t = TestApp::new(Lang::En);
    let v = village(&mut t);
    let ranger = t
        .store()
        .post_types()
        .unwrap()
        .into_iter()
        .find(|p| p.code == "forest_ranger")
        .unwrap();
    // 120 posts, saved last first: the list is in id order.
    for n in (0..120u32).rev() {
        let id = uuid::Uuid::parse_str(&format!("00000000-0000-7000-8000-{n:012}")).unwrap();
        let mut p = Post {
            meta: RowMeta::with_id(id),
            post_type_id: ranger.meta.id,
            village_id: v.meta.id,
            title: format!("P{n:03}"),
            monthly_subsidy_fen: 50_000,
            required_days: 22,
            opened_on: d(2026, 1, 1),
            ..Post::default()
        };
        t.store().save_post(&mut p).unwrap();
    }
    let p003 = post_titled(&mut t, "P003");
    let person = t.store().search("次仁", 1).unwrap().hits[0]
        .person_id
        .unwrap();
    let mut a = PostAssignment {
        meta: RowMeta::new(),
        post_id: p003.meta.id,
        person_id: person,
        start_date: d(2026, 1, 1),
        agreement_end: d(2026, 12, 31),
        ..PostAssignment::default()
    };
    t.store().assign(&mut a, true).unwrap();

    // 24 lines (the app's size, 80×24): a body of 20, 18 of them posts; a
    // page key moves 16. Drawn 120 wide, so the count is not cut.
    // Opening reads the count, the catalogues for the filters and the 18
    // posts on screen, fewer rows than there are posts.
    let read = rows_read(&mut t, |t| {
        t.chars("p");
    });
    assert!(read < 60, "{read} rows read to open the list");
    let screen = t.render(120, 24);
    assert!(screen.contains("120 shown"), "{screen}");
    assert_eq!(titles_shown(&screen), titled(0, 17), "{screen}");
    t.key(PageDown);
    assert_eq!(titles_shown(&t.render(120, 24)), titled(1, 18));
    let read = rows_read(&mut t, |t| {
        t.key(PageDown);
    });
    assert_eq!(read, 16, "only the rows brought on screen are read");
    let screen = t.render(120, 24);
    assert_eq!(titles_shown(&screen), titled(17, 34), "{screen}");
    assert!(screen.contains("120 shown"), "{screen}");
    t.key(Enter);
    assert!(t.render(120, 24).contains("P032"), "the 33rd post opens");
    t.key(Esc);
    assert_eq!(
        titles_shown(&t.render(120, 24)),
        titled(17, 34),
        "back where it was"
    );
    let read = rows_read(&mut t, |t| {
        t.key(End);
    });
    assert!(read <= 18, "{read} rows read for the end of the list");
    assert_eq!(titles_shown(&t.render(120, 24)), titled(104, 119));
    t.key(Enter);
    assert!(t.render(120, 24).contains("P119"), "the last post opens");
    t.key(Esc).times(20, Up);
    assert_eq!(titles_shown(&t.render(120, 24)), titled(99, 116));
    t.key(Enter);
    assert!(t.render(120, 24).contains("P099"));
    t.key(Esc).key(PageUp);
    assert_eq!(titles_shown(&t.render(120, 24)), titled(83, 100));
    t.key(Home);
    assert_eq!(titles_shown(&t.render(120, 24)), titled(0, 17));
    assert!(t.render(120, 24).contains("次仁"), "P003's holder");

    // The vacancies: P003 is held.
    t.chars("v");
    let screen = t.render(120, 24);
    assert!(screen.contains("119 shown"), "{screen}");
    let mut want = titled(0, 2);
    want.extend(titled(4, 18));
    assert_eq!(titles_shown(&screen), want, "{screen}");
    t.key(End);
    assert_eq!(titles_shown(&t.render(120, 24)), titled(104, 119));
    t.key(Home).key(PageDown);
    let mut want = titled(1, 2);
    want.extend(titled(4, 19));
    assert_eq!(titles_shown(&t.render(120, 24)), want);
}
