//! A history people can read, driven by keys: fields by their form labels,
//! values as the forms show them (yuan, code labels, local times), the
//! member each entry is about, only what changed, a household's visits'
//! review, entries opened whole, in every language at 80x24.

mod support;

use chrono::{DateTime, FixedOffset, NaiveDate};
use fieldbook::domain::records::{Household, Person, RowMeta, Village, Visit, VisitPerson};
use fieldbook::i18n::Lang;
use ratatui::crossterm::event::KeyCode::{self, *};
use support::{LANGS, TestApp};

/// A household of two labourers, 多吉 (head) and 卓玛 (spouse, no sex
/// recorded), with a draft visit: 多吉 works locally for 35,000 yuan.
struct Fixture {
    t: TestApp,
    household: Household,
    dorje: Person,
    drolma: Person,
    visit: Visit,
}

fn fixture(lang: Lang) -> Fixture {
    let mut t = TestApp::new(lang);
    let s = t.store();
    let township = s.townships().unwrap().remove(0);
    let mut village = Village {
        meta: RowMeta::new(),
        code: format!("{}201", township.code),
        township_id: township.meta.id,
        name_zh: "德钦村".into(),
        name_bo: "བདེ་ཆེན".into(),
        exit_year: None,
    };
    s.save(&mut village).unwrap();
    let mut household = Household {
        meta: RowMeta::new(),
        number: format!("{}000001", village.code),
        village_id: village.meta.id,
        registered_poor: true,
        ..Household::default()
    };
    let person = |zh: &str, bo: &str, sex: &str, born: (i32, u32, u32), relation: &str| Person {
        meta: RowMeta::new(),
        name_zh: zh.into(),
        name_bo: bo.into(),
        sex: sex.into(),
        birth_date: NaiveDate::from_ymd_opt(born.0, born.1, born.2),
        relation: relation.into(),
        is_labourer: true,
        ..Person::default()
    };
    let mut members = vec![
        person("多吉", "རྡོ་རྗེ", "m", (1985, 3, 14), "head"),
        person("卓玛", "སྒྲོལ་མ", "", (1987, 5, 2), "spouse"),
    ];
    s.save_roster(&mut household, &mut members, &[]).unwrap();
    let mut visit = Visit {
        meta: RowMeta::new(),
        household_id: household.meta.id,
        visit_date: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
        round: "2026-start".into(),
        visit_type: "annual".into(),
        surveyors: "扎西".into(),
        status: "draft".into(),
        ..Visit::default()
    };
    let mut answers = [
        VisitPerson {
            meta: RowMeta::new(),
            person_id: members[0].meta.id,
            employment_status: "local_short_term".into(),
            work_place: "色达县".into(),
            annual_income_fen: Some(3_500_000),
            ..VisitPerson::default()
        },
        VisitPerson {
            meta: RowMeta::new(),
            person_id: members[1].meta.id,
            employment_status: "not_employed".into(),
            ..VisitPerson::default()
        },
    ];
    s.save_visit(&mut visit, &mut answers).unwrap();
    let drolma = members.pop().unwrap();
    let dorje = members.pop().unwrap();
    Fixture {
        t,
        household,
        dorje,
        drolma,
        visit,
    }
}

/// From home to the household's screen (the only household).
fn open_household(t: &mut TestApp) {
    t.chars("h").key(Enter);
    assert_eq!(t.app.screen_title_key(), "household.title");
}

/// Types into the focused text field after clearing it.
fn retype(t: &mut TestApp, text: &str) {
    t.key(End).times(40, Backspace).chars(text);
}

/// From the household screen: its visit's form, 多吉's income changed to
/// `yuan` by keys and saved.
fn edit_income(t: &mut TestApp, yuan: &str) {
    t.key(Enter);
    assert_eq!(t.app.screen_title_key(), "visit.form_title");
    // Date, round, surveyors, kind; then 多吉: status, place, income.
    t.times(6, Tab);
    retype(t, yuan);
    t.ctrl('s');
    assert_eq!(
        t.app.message().map(|m| m.key),
        Some("form.saved"),
        "{}",
        t.render(80, 24)
    );
}

/// The line of `screen` holding `needle`.
fn line_with<'a>(screen: &'a str, needle: &str) -> &'a str {
    screen
        .lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?} in\n{screen}"))
}

/// A stored UTC time as China Standard Time shows it, and as UTC.
fn cst_and_utc(at: &str) -> (String, String) {
    let t = DateTime::parse_from_rfc3339(at).unwrap();
    let cst = FixedOffset::east_opt(8 * 3600).unwrap();
    (
        t.with_timezone(&cst).format("%Y-%m-%d %H:%M").to_string(),
        t.naive_utc().format("%Y-%m-%d %H:%M").to_string(),
    )
}

#[test]
fn an_income_edited_by_keys_shows_in_yuan_under_its_form_label_with_the_member() {
    let mut f = fixture(Lang::En);
    let t = &mut f.t;
    open_household(t);
    edit_income(t, "36000");
    let answers = t.store().visit_answers(f.visit.meta.id).unwrap();
    let a = answers
        .iter()
        .find(|a| a.person_id == f.dorje.meta.id)
        .unwrap();
    assert_eq!(a.annual_income_fen, Some(3_600_000));
    // The visit's history, from the form.
    t.ctrl('r');
    assert_eq!(t.app.screen_title_key(), "history.title");
    let screen = t.render(160, 30);
    let newest = screen.lines().nth(1).unwrap();
    assert!(
        newest.contains("changed member's answers 多吉")
            && newest.contains("Annual income (yuan): 35000.00 → 36000.00"),
        "{screen}"
    );
    assert!(!newest.contains("卓玛"), "{screen}");
    for raw in [
        "annual_income_fen",
        "3500000",
        "3600000",
        "local_short_term",
    ] {
        assert!(!screen.contains(raw), "{raw} in\n{screen}");
    }
    // The answers as first saved: codes by their labels.
    let created = line_with(&screen, "created member's answers 多吉");
    assert!(
        created.contains("Employment: Local short-term work")
            && created.contains("Annual income (yuan): 35000.00"),
        "{screen}"
    );
    let created = line_with(&screen, "created member's answers 卓玛");
    assert!(created.contains("Employment: Not employed"), "{screen}");
}

#[test]
fn codes_show_as_their_labels_and_an_empty_code_as_nothing() {
    let mut f = fixture(Lang::En);
    let t = &mut f.t;
    open_household(t);
    // 卓玛's sex, never recorded, chosen in the household form.
    t.chars("e");
    assert_eq!(t.app.screen_title_key(), "household.form_title");
    // Number, village, phone, poor, exit year; 多吉's nine fields; 卓玛's
    // names and ID number.
    t.times(17, Tab).key(Left);
    t.ctrl('s');
    assert_eq!(t.app.message().map(|m| m.key), Some("form.saved"));
    assert_eq!(
        t.store()
            .get::<Person>(f.drolma.meta.id)
            .unwrap()
            .unwrap()
            .sex,
        "f"
    );
    // A course wanted, chosen in the visit form.
    t.key(Esc).key(Enter);
    assert_eq!(t.app.screen_title_key(), "visit.form_title");
    // Date, round, surveyors, kind; 多吉: status, place, income, away, training.
    t.times(8, Tab).key(Enter).key(Char(' ')).key(Enter);
    t.ctrl('s');
    assert_eq!(t.app.message().map(|m| m.key), Some("form.saved"));
    let course = t.store().courses().unwrap().remove(0);
    t.ctrl('r');
    let visit_history = t.render(200, 30);
    let newest = visit_history.lines().nth(1).unwrap();
    assert!(
        newest.contains("多吉")
            && newest.contains(&format!("Training wanted:  → {}", course.name_en)),
        "{visit_history}"
    );
    assert!(
        !visit_history.contains("training_wanted"),
        "{visit_history}"
    );
    // The household's history: the member named, the code by its label.
    t.key(Esc).key(Esc).chars("h");
    let screen = t.render(160, 30);
    let newest = screen.lines().nth(1).unwrap();
    assert!(
        newest.contains("changed member 卓玛") && newest.contains("Sex:  → Female"),
        "{screen}"
    );
    // 卓玛 was made with no sex: her first entry says nothing of it.
    let created = line_with(&screen, "created member 卓玛");
    assert!(!created.contains("Sex"), "{screen}");
    assert!(!screen.contains("code."), "{screen}");
}

#[test]
fn times_are_shown_in_local_time_and_review_times_too() {
    let mut f = fixture(Lang::En);
    let t = &mut f.t;
    open_household(t);
    edit_income(t, "36000");
    let newest = t
        .store()
        .visit_history(f.visit.meta.id)
        .unwrap()
        .pop()
        .unwrap();
    let (cst, utc) = cst_and_utc(&newest.at);
    assert_ne!(cst, utc);
    t.ctrl('r');
    let screen = t.render(160, 30);
    let line = screen.lines().nth(1).unwrap();
    assert!(line.contains(&cst) && !line.contains(&utc), "{screen}");
    // The time a visit was reviewed, as the entry shows it.
    t.key(Esc).key(Esc).chars("s");
    t.store().set_setting("role", "supervisor").unwrap();
    t.chars("a").chars("y"); // approve, confirmed
    let v = t.store().get::<Visit>(f.visit.meta.id).unwrap().unwrap();
    assert_eq!(v.status, "approved");
    let (cst, utc) = cst_and_utc(v.reviewed_at.as_deref().unwrap());
    t.chars("h").key(Enter);
    assert_eq!(t.app.screen_title_key(), "history.detail_title");
    let detail = t.render(80, 24);
    assert!(
        detail.contains(&format!("Reviewed at:  → {cst}")),
        "{detail}"
    );
    assert!(!detail.contains(&utc) && !detail.contains("T0"), "{detail}");
}

#[test]
fn an_unchanged_save_writes_nothing_and_a_change_names_only_its_member() {
    let mut f = fixture(Lang::En);
    let t = &mut f.t;
    open_household(t);
    let audit = t.store().audit_len().unwrap();
    // The household form saved as it is: nothing written.
    t.chars("e").ctrl('s');
    assert_eq!(t.app.message().map(|m| m.key), Some("form.saved"));
    assert_eq!(t.store().audit_len().unwrap(), audit);
    // The visit form too.
    t.key(Esc).key(Enter).ctrl('s');
    assert_eq!(t.app.message().map(|m| m.key), Some("form.saved"));
    assert_eq!(t.store().audit_len().unwrap(), audit);
    // One member's phone changed: one entry, about that member.
    t.key(Esc).chars("e");
    // Number, village, phone, poor, exit year; 多吉's nine; 卓玛's eight.
    t.times(22, Tab);
    t.chars("13912345678").ctrl('s');
    assert_eq!(t.app.message().map(|m| m.key), Some("form.saved"));
    assert_eq!(
        t.store()
            .get::<Person>(f.drolma.meta.id)
            .unwrap()
            .unwrap()
            .phone,
        "13912345678"
    );
    assert_eq!(t.store().audit_len().unwrap(), audit + 1);
    let log = t.store().household_history(f.household.meta.id).unwrap();
    let last = log.last().unwrap();
    assert_eq!(
        (last.table.as_str(), last.row_id.as_str()),
        ("person", f.drolma.meta.id.to_string().as_str())
    );
    t.ctrl('r');
    let screen = t.render(120, 30);
    let newest = screen.lines().nth(1).unwrap();
    assert!(
        newest.contains("changed member 卓玛") && newest.contains("Phone:  → 13912345678"),
        "{screen}"
    );
    assert!(!newest.contains("多吉"), "{screen}");
    // Nothing but the creations and this change.
    let changed = screen.lines().filter(|l| l.contains(" changed ")).count();
    assert_eq!(changed, 1, "{screen}");
}

#[test]
fn the_household_history_holds_its_visits_review_with_the_comment() {
    let mut f = fixture(Lang::En);
    let t = &mut f.t;
    open_household(t);
    t.chars("s"); // submitted
    t.store().set_setting("role", "supervisor").unwrap();
    t.chars("r").chars("收入请核实，请补充务工地点").key(Enter); // returned
    t.store().set_setting("role", "surveyor").unwrap();
    t.chars("s"); // submitted again
    t.store().set_setting("role", "supervisor").unwrap();
    t.chars("a").chars("y"); // approved, confirmed
    assert_eq!(
        t.store()
            .get::<Visit>(f.visit.meta.id)
            .unwrap()
            .unwrap()
            .status,
        "approved"
    );
    t.chars("h");
    assert_eq!(t.app.screen_title_key(), "history.title");
    let screen = t.render(200, 30);
    let rows: Vec<&str> = screen.lines().skip(1).take(4).collect();
    let expect = [
        "Status: Submitted → Approved",
        "Status: Returned → Submitted",
        "Status: Submitted → Returned",
        "Status: Draft → Submitted",
    ];
    for (row, status) in rows.iter().zip(expect) {
        assert!(
            row.contains("changed visit 2026-11-20") && row.contains(status),
            "{status}:\n{screen}"
        );
    }
    assert!(
        rows[2].contains("Review comment:  → 收入请核实，请补充务工地点"),
        "{screen}"
    );
    // The visit's own changes other than review stay in the visit's history.
    assert!(!screen.contains("created visit"), "{screen}");
    // The return, opened whole: who, when, every field.
    t.key(Down).key(Down).key(Enter);
    assert_eq!(t.app.screen_title_key(), "history.detail_title");
    let detail = t.render(80, 24);
    for part in [
        "changed visit 2026-11-20",
        "By: 扎西",
        "Status: Submitted → Returned",
        "Review comment:  → 收入请核实，请补充务工地点",
        "Reviewed by:  → 扎西",
        "Reviewed at:  → ",
    ] {
        assert!(detail.contains(part), "{part}:\n{detail}");
    }
    // Esc: back to the list, the same entry still selected.
    t.key(Esc);
    assert_eq!(t.app.screen_title_key(), "history.title");
    t.key(Enter);
    assert!(t.render(80, 24).contains("Status: Submitted → Returned"));
    t.key(Esc).key(Esc);
    assert_eq!(t.app.screen_title_key(), "household.title");
}

#[test]
fn an_entry_opens_whole_wrapped_to_the_window() {
    let mut f = fixture(Lang::Zh);
    let long = "牧区冬季交通不便，".repeat(12);
    let mut v = f.t.store().get::<Visit>(f.visit.meta.id).unwrap().unwrap();
    v.problems = long.clone();
    f.t.store().save(&mut v).unwrap();
    let t = &mut f.t;
    open_household(t);
    t.key(Enter).ctrl('r');
    // The newest entry, cut in the list, read whole with Enter.
    let list = t.render(80, 24);
    let row = list.lines().nth(1).unwrap();
    assert!(
        row.contains("发现的问题：") && row.trim_end().ends_with('…'),
        "{list}"
    );
    t.key(Enter);
    assert_eq!(t.app.screen_title_key(), "history.detail_title");
    let screen = t.render(80, 24);
    let body: Vec<&str> = screen.lines().skip(1).take(20).collect();
    let joined: String = body.iter().map(|l| l.trim()).collect();
    assert!(
        joined.contains("发现的问题：") && joined.contains(&long),
        "{screen}"
    );
    for l in &body {
        assert!(fieldbook::text::width(l) <= 80, "{l}");
    }
    // Several lines: the text was wrapped, not cut.
    assert!(
        body.iter().filter(|l| l.contains("牧区")).count() >= 3,
        "{screen}"
    );
    assert!(!screen.contains('…'), "{screen}");
    t.key(Esc);
    assert_eq!(t.app.screen_title_key(), "history.title");
}

#[test]
fn the_list_is_selectable_and_pages_through_a_long_history() {
    let mut f = fixture(Lang::En);
    for i in 0..60 {
        let mut h =
            f.t.store()
                .get::<Household>(f.household.meta.id)
                .unwrap()
                .unwrap();
        h.phone = format!("139{i:08}");
        f.t.store().save_household(&mut h, &mut []).unwrap();
    }
    let t = &mut f.t;
    open_household(t);
    t.chars("h");
    let selected_row = |t: &TestApp| {
        // The selected row is the one drawn reversed: find it by style.
        let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(100, 24)).unwrap();
        term.draw(|fr| fr.render_widget(&t.app, fr.area())).unwrap();
        let buf = term.backend().buffer().clone();
        (0..buf.area.height)
            .find(|&y| {
                buf[(2, y)]
                    .modifier
                    .contains(ratatui::style::Modifier::REVERSED)
            })
            .map(|y| {
                (0..buf.area.width)
                    .map(|x| buf[(x, y)].symbol().to_owned())
                    .collect::<String>()
            })
            .unwrap_or_default()
    };
    assert!(
        selected_row(t).contains("13900000059"),
        "{}",
        t.render(100, 24)
    );
    t.chars("j").key(Down);
    assert!(selected_row(t).contains("13900000057"));
    t.chars("k");
    assert!(selected_row(t).contains("13900000058"));
    // Far past the first page, a row at a time.
    t.times(30, Down);
    assert!(
        selected_row(t).contains("13900000028"),
        "{}",
        t.render(100, 24)
    );
    t.key(KeyCode::PageDown);
    let paged = selected_row(t);
    assert!(paged.contains(" → 13900000"), "{paged}");
    t.key(KeyCode::End);
    let oldest = selected_row(t);
    assert!(oldest.contains("created household"), "{oldest}");
    t.key(KeyCode::PageUp).key(KeyCode::Home);
    assert!(selected_row(t).contains("13900000059"));
    // Enter opens the selected one, whatever page it came from.
    t.key(KeyCode::End).key(Enter);
    assert!(t.render(80, 24).contains("created household"));
}

#[test]
fn every_language_shows_the_history_without_raw_keys_within_80_columns() {
    for (lang, code) in LANGS {
        let mut f = fixture(lang);
        let t = &mut f.t;
        open_household(t);
        edit_income(t, "36000");
        t.key(Esc).chars("s");
        t.store().set_setting("role", "supervisor").unwrap();
        t.chars("r").chars("收入请核实").key(Enter);
        // The household's history and the visit's, the list and an entry.
        let mut screens = Vec::new();
        t.chars("h");
        screens.push(t.render(80, 24));
        t.key(Enter);
        screens.push(t.render(80, 24));
        t.key(Esc).key(Esc).key(Enter).ctrl('r');
        screens.push(t.render(80, 24));
        // Newest first: returned, submitted, then the income.
        t.key(Down).key(Down).key(Enter);
        screens.push(t.render(80, 24));
        for screen in &screens {
            for raw in ["code.", "history.", "_fen", "snapshot.", "3500000", "T0"] {
                assert!(!screen.contains(raw), "{code}: {raw} in\n{screen}");
            }
            for line in screen.lines() {
                assert!(fieldbook::text::width(line) <= 80, "{code}: {line}");
            }
        }
        assert!(
            screens[3].contains("35000.00 → 36000.00"),
            "{code}:\n{}",
            screens[3]
        );
        let member = match lang {
            Lang::Bo => "རྡོ་རྗེ",
            Lang::ZhBo => "多吉 རྡོ་རྗེ",
            _ => "多吉",
        };
        assert!(screens[3].contains(member), "{code}:\n{}", screens[3]);
        if lang == Lang::Zh {
            assert!(
                screens[0].contains("状态：已提交 → 已退回"),
                "{}",
                screens[0]
            );
            assert!(screens[3].contains("年收入（元）："), "{}", screens[3]);
        }
    }
}

#[test]
fn text_from_the_database_is_cleaned_before_it_is_drawn() {
    let mut f = fixture(Lang::En);
    // An entry written by hand into the log: escapes in who and in a value.
    let path = f.t.dir.path().join("fieldbook.db");
    let conn = rusqlite::Connection::open(&path).unwrap();
    let before = format!(
        r#"{{"id":"{}","name_zh":"多吉","phone":"","sex":"m"}}"#,
        f.dorje.meta.id
    );
    let after = format!(
        r#"{{"id":"{}","name_zh":"多吉\u001b[2J","phone":"138\u0007","sex":"x\u001b]52;c;"}}"#,
        f.dorje.meta.id
    );
    conn.execute(
        "INSERT INTO audit_log(at, operator, device_id, table_name, row_id, action, before, after)
         VALUES ('2026-11-27T02:00:00.000Z', ?1, 'd', 'person', ?2, 'update', ?3, ?4)",
        (
            "扎\u{1b}[31m西\u{202e}",
            f.dorje.meta.id.to_string(),
            before,
            after,
        ),
    )
    .unwrap();
    drop(conn);
    let t = &mut f.t;
    open_household(t);
    t.chars("h");
    let list = t.render(160, 24);
    t.key(Enter);
    let detail = t.render(80, 24);
    for screen in [&list, &detail] {
        assert!(
            !screen.contains('\u{1b}') && !screen.contains('\u{7}') && !screen.contains('\u{202e}'),
            "{screen:?}"
        );
    }
    assert!(detail.contains("2026-11-27 10:00"), "{detail}");
    assert!(detail.contains("By: 扎[31m西"), "{detail}");
    assert!(detail.contains("Phone:  → 138"), "{detail}");
}
