//! Employment by keys: from a household to each member's work (Tab moves on),
//! a spell recorded with the form (the county filled in for work in the
//! county, a low monthly income warned about and accepted), a refusal said
//! on the form, a post shown from its assignment, the training a job
//! followed, more workers added to a project by search, home's way in, the
//! transfer-employment setting; and the screens in the four language modes.

mod support;

use chrono::NaiveDate;
use fieldbook::domain::records::*;
use fieldbook::forms::Target;
use fieldbook::i18n::Lang;
use fieldbook::tui::screen::Route;
use ratatui::crossterm::event::KeyCode::*;
use support::{LANGS, TestApp};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn message(t: &TestApp) -> &'static str {
    t.app.message().map(|m| m.key).unwrap_or_default()
}

struct Fixture {
    tashi: Person,
    drolma: Person,
    tsering: Person,
    record: EmploymentRecord,
}

/// One village; 扎西 (working on a road project after a sewing course,
/// with a second spell away) and 卓玛 (a forest ranger) in one household,
/// 次仁 in another.
fn county(t: &mut TestApp) -> Fixture {
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
    let mut people = Vec::new();
    for (n, names) in [
        (
            1,
            vec![
                ("扎西", "བཀྲ་ཤིས", d(1980, 5, 1)),
                ("卓玛", "སྒྲོལ་མ", d(1982, 6, 1)),
            ],
        ),
        (2, vec![("次仁", "ཚེ་རིང", d(1990, 1, 1))]),
    ] {
        let mut h = Household {
            meta: RowMeta::new(),
            number: format!("{}{n:06}", v.code),
            village_id: v.meta.id,
            registered_poor: true,
            ..Household::default()
        };
        let mut members: Vec<Person> = names
            .iter()
            .enumerate()
            .map(|(i, (zh, bo, birth))| Person {
                meta: RowMeta::new(),
                household_id: h.meta.id,
                position: i as i64,
                name_zh: (*zh).into(),
                name_bo: (*bo).into(),
                birth_date: Some(*birth),
                is_labourer: true,
                relation: if i == 0 { "head" } else { "spouse" }.into(),
                ..Person::default()
            })
            .collect();
        store.save_household(&mut h, &mut members).unwrap();
        people.extend(members);
    }
    let (tashi, drolma, tsering) = (people[0].clone(), people[1].clone(), people[2].clone());
    // A sewing course 扎西 completed in March 2026.
    let course = store
        .courses()
        .unwrap()
        .into_iter()
        .find(|c| c.code == "sewing")
        .unwrap();
    let mut s = TrainingSession {
        meta: RowMeta::new(),
        course_id: course.meta.id,
        period: 1,
        mode: "to_villages".into(),
        start_date: d(2026, 3, 2),
        end_date: d(2026, 3, 20),
        capacity: 30,
        target_group: "poor_labourers".into(),
        code: "sewing-2026-01".into(),
        days_held: 15,
        status: "finished".into(),
        ..TrainingSession::default()
    };
    store.save(&mut s).unwrap();
    let mut e = Enrolment {
        meta: RowMeta::new(),
        session_id: s.meta.id,
        person_id: tashi.meta.id,
        outcome: "completed".into(),
        attendance_days: 15,
        ..Enrolment::default()
    };
    store.save(&mut e).unwrap();
    let mut record = EmploymentRecord {
        meta: RowMeta::new(),
        person_id: tashi.meta.id,
        kind: "local_short_term".into(),
        employer: "色达县农村公路建设项目".into(),
        start_month: Some("2026-05".into()),
        end_month: Some("2026-06".into()),
        place_tier: "in_county".into(),
        work_county: "色达县".into(),
        industry: "construction".into(),
        channel: "organised_transfer".into(),
        monthly_income_fen: Some(200_000),
        income_fen: Some(400_000),
        ..EmploymentRecord::default()
    };
    store.save(&mut record).unwrap();
    let mut away = EmploymentRecord {
        meta: RowMeta::new(),
        person_id: tashi.meta.id,
        kind: "out_of_province".into(),
        employer: "广州市东西部协作企业".into(),
        start_month: Some("2026-08".into()),
        place_tier: "out_of_province".into(),
        work_county: "广州市".into(),
        industry: "manufacturing".into(),
        channel: "organised_transfer".into(),
        point_to_point: true,
        monthly_income_fen: Some(450_000),
        transport_subsidy_fen: Some(80_000),
        ..EmploymentRecord::default()
    };
    store.save(&mut away).unwrap();
    // 卓玛 is a forest ranger since January.
    let ranger = store
        .post_types()
        .unwrap()
        .into_iter()
        .find(|t| t.code == "forest_ranger")
        .unwrap();
    let mut post = Post {
        meta: RowMeta::new(),
        post_type_id: ranger.meta.id,
        village_id: v.meta.id,
        monthly_subsidy_fen: 50_000,
        required_days: 22,
        opened_on: d(2026, 1, 1),
        ..Post::default()
    };
    store.save_post(&mut post).unwrap();
    let mut a = PostAssignment {
        meta: RowMeta::new(),
        post_id: post.meta.id,
        person_id: drolma.meta.id,
        start_date: d(2026, 1, 1),
        agreement_end: d(2026, 12, 31),
        ..PostAssignment::default()
    };
    store.save(&mut a).unwrap();
    Fixture {
        tashi,
        drolma,
        tsering,
        record,
    }
}

#[test]
fn from_a_household_each_members_work_with_posts_and_the_training_it_followed() {
    let mut t = TestApp::new(Lang::En);
    let f = county(&mut t);
    t.chars("h").key(Enter);
    assert_eq!(t.app.screen_title_key(), "household.title");
    t.chars("w");
    assert_eq!(t.app.screen_title_key(), "work.title");
    let screen = t.render(120, 24);
    assert!(screen.contains("扎西"), "{screen}");
    assert!(screen.contains("色达县农村公路建设项目"), "{screen}");
    assert!(screen.contains("Outside the province 广州市"), "{screen}");
    // Running since August: four months to November.
    assert!(screen.contains("2026-08– (4)"), "{screen}");
    // The road job (second line) followed the sewing course.
    t.key(Down);
    let screen = t.render(80, 24);
    assert!(screen.contains("Follows the training Sewing"), "{screen}");
    let e = t.store().enrolments_of_person(f.tashi.meta.id).unwrap();
    assert!(e[0].employed_after, "marked by the record, not typed again");
    // Tab: 卓玛, whose post shows from its assignment.
    t.key(Tab);
    let screen = t.render(80, 24);
    assert!(screen.contains("卓玛"), "{screen}");
    assert!(screen.contains("Public-welfare post"), "{screen}");
    assert!(
        t.store()
            .employment_of_person(f.drolma.meta.id)
            .unwrap()
            .is_empty()
    );
    // Enter on the post opens the post.
    t.key(Enter);
    assert_eq!(t.app.screen_title_key(), "post.title");
}

#[test]
fn a_spell_is_recorded_by_form_with_the_county_filled_and_a_low_income_warned() {
    let mut t = TestApp::new(Lang::En);
    let f = county(&mut t);
    t.app.open(Route::Work(f.tsering.meta.id));
    t.chars("n");
    assert_eq!(t.app.screen_title_key(), "employment.form_title");
    t.key(Tab); // working: yes
    t.key(Right).key(Tab); // in the county: the county follows
    t.key(Tab); // county of work
    t.chars("色达县造林合作社").key(Tab);
    t.key(Right).key(Tab); // industry: farming, forestry, herding
    t.times(3, Right).key(Tab); // channel: labour cooperative
    t.key(Tab); // point-to-point
    t.chars("2026-05").key(Tab);
    t.chars("2026-06").key(Tab);
    t.chars("80");
    t.ctrl('s');
    assert_eq!(message(&t), "form.warnings", "{}", t.render(100, 30));
    let screen = t.render(100, 30);
    assert!(screen.contains("100-30,000 yuan"), "{screen}");
    t.chars("y");
    assert_eq!(message(&t), "form.saved", "{}", t.render(100, 30));
    let r = t.store().employment_of_person(f.tsering.meta.id).unwrap();
    assert_eq!(r.len(), 1);
    let r = &r[0];
    assert_eq!(r.kind, "cooperative");
    assert_eq!(r.work_county, "色达县");
    assert_eq!(r.channel, "labour_cooperative");
    assert_eq!(r.industry, "agriculture");
    assert_eq!(r.start_month.as_deref(), Some("2026-05"));
    assert_eq!(r.monthly_income_fen, Some(8_000));
}

#[test]
fn an_overlapping_spell_is_refused_on_the_form_in_the_users_language() {
    let mut t = TestApp::new(Lang::Zh);
    let f = county(&mut t);
    t.app.open(Route::Work(f.tashi.meta.id));
    t.chars("n");
    t.key(Tab).key(Right).key(Tab).key(Tab);
    t.chars("另一个项目").key(Tab).key(Tab);
    t.times(4, Right).key(Tab).key(Tab);
    t.chars("2026-06").key(Tab);
    t.ctrl('s');
    assert_eq!(message(&t), "employment.error.overlap");
    let screen = t.render(100, 30);
    assert!(screen.contains("时间重叠"), "{screen}");
    assert_eq!(
        t.store()
            .employment_of_person(f.tashi.meta.id)
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn more_workers_are_added_to_a_project_by_search_with_the_same_months() {
    let mut t = TestApp::new(Lang::En);
    let f = county(&mut t);
    t.app.open(Route::Work(f.tashi.meta.id));
    // The road project is the second line (the newest first).
    t.key(Down).chars("b");
    assert_eq!(t.app.screen_title_key(), "work.add_workers_title");
    t.chars("次仁").key(Enter);
    assert_eq!(message(&t), "work.worker_added", "{}", t.render(100, 30));
    // 卓玛 holds a post in those months: refused, said why.
    t.chars("卓玛").key(Enter);
    assert_eq!(message(&t), "employment.error.overlap_post");
    let r = t.store().employment_of_person(f.tsering.meta.id).unwrap();
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].employer, f.record.employer);
    assert_eq!(r[0].start_month, f.record.start_month);
    assert_eq!(r[0].end_month, f.record.end_month);
    assert!(
        t.store()
            .employment_of_person(f.drolma.meta.id)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn home_finds_a_persons_work_by_search() {
    let mut t = TestApp::new(Lang::En);
    county(&mut t);
    t.chars("w");
    assert_eq!(t.app.screen_title_key(), "work.search_title");
    t.chars("次仁").key(Enter);
    assert_eq!(t.app.screen_title_key(), "work.title");
    assert!(t.render(80, 24).contains("No work or plans recorded"));
}

#[test]
fn the_transfer_months_are_set_in_settings() {
    let mut t = TestApp::new(Lang::En);
    t.chars("s").chars("扎西");
    t.times(4, Tab).key(Right).key(Right).ctrl('s');
    assert_eq!(message(&t), "settings.saved");
    assert_eq!(t.store().transfer_months().unwrap(), 5);
}

#[test]
fn work_screen_and_form_in_every_language() {
    for (lang, code) in LANGS {
        let mut t = TestApp::new(lang);
        let f = county(&mut t);
        t.app.open(Route::Work(f.tashi.meta.id));
        t.key(Down);
        insta::with_settings!({ snapshot_suffix => code, prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("work", t.render(80, 24));
        });
        t.app.open(Route::Form(Target::Employment {
            id: f.record.meta.id,
            person: f.tashi.meta.id,
        }));
        insta::with_settings!({ snapshot_suffix => code, prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("employment_form", t.render(80, 24));
        });
    }
}
