//! Shared helpers for in-process screen tests: an app on a temporary
//! database, driven by key events and rendered into ratatui's TestBackend.
#![allow(dead_code)]

pub mod labels;

use chrono::NaiveDate;
use fieldbook::i18n::{Catalog, Lang};
use fieldbook::store::{OpenOptions, Store};
use fieldbook::tui::App;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub struct TestApp {
    pub app: App,
    pub dir: tempfile::TempDir,
}

impl TestApp {
    /// An app on a fresh database, in `lang`, with a fixed date, operator and
    /// database label so screens render the same on every machine.
    pub fn new(lang: Lang) -> TestApp {
        Self::with_households(lang, 0)
    }

    /// An app on a database holding `n` demo households (seed 1).
    pub fn with_households(lang: Lang, n: u32) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut store = Store::open(&dir.path().join("fieldbook.db"), OpenOptions::create())
            .expect("open store");
        store.set_operator("扎西");
        if n > 0 {
            fieldbook::demo::generate(&mut store, n, 1).expect("demo data");
        }
        Self::on(store, lang, dir)
    }

    /// An app on an open store (a database reopened within a test).
    pub fn on(mut store: Store, lang: Lang, dir: tempfile::TempDir) -> TestApp {
        if store.operator().is_empty() {
            store.set_operator("扎西");
        }
        Self::exactly_on(store, lang, dir)
    }

    /// An app on a new database as `fieldbook` first opens it: no operator
    /// set, no villages, no households.
    pub fn first_start(lang: Lang) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("fieldbook.db"), OpenOptions::create())
            .expect("open store");
        Self::exactly_on(store, lang, dir)
    }

    /// An app on `store` as it is (its operator as set, or none).
    pub fn exactly_on(store: Store, lang: Lang, dir: tempfile::TempDir) -> TestApp {
        let mut app = App::new(store, Catalog::builtin(), lang);
        app.today = NaiveDate::from_ymd_opt(2026, 11, 27).expect("date");
        app.db_label = "/data/fieldbook.db".to_owned();
        app.theme.color = false;
        TestApp { app, dir }
    }

    /// The store the app works on.
    pub fn store(&mut self) -> &mut Store {
        &mut self.app.store
    }

    pub fn key(&mut self, code: KeyCode) -> &mut Self {
        self.app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
        self
    }

    /// Presses `code` `n` times.
    pub fn times(&mut self, n: usize, code: KeyCode) -> &mut Self {
        for _ in 0..n {
            self.key(code);
        }
        self
    }

    pub fn alt(&mut self, code: KeyCode) -> &mut Self {
        self.app.handle_key(KeyEvent::new(code, KeyModifiers::ALT));
        self
    }

    pub fn ctrl(&mut self, c: char) -> &mut Self {
        self.app
            .handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
        self
    }

    pub fn chars(&mut self, s: &str) -> &mut Self {
        for c in s.chars() {
            self.key(KeyCode::Char(c));
        }
        self
    }

    /// The screen as text, one line per row.
    pub fn render(&self, width: u16, height: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
        terminal
            .draw(|f| {
                let area = f.area();
                f.render_widget(&self.app, area);
                if let Some(p) = self.app.cursor(area) {
                    f.set_cursor_position(p);
                }
            })
            .expect("draw");
        buffer_text(terminal.backend().buffer())
    }
}

/// The buffer's text, row by row, skipping the blank cells that follow a
/// double-width character (so a line reads as the terminal shows it).
pub fn buffer_text(buf: &ratatui::buffer::Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut skip = 0;
        for x in 0..buf.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            skip = fieldbook::text::width(sym).saturating_sub(1);
            out.push_str(sym);
        }
        out.push('\n');
    }
    out
}

pub const LANGS: [(Lang, &str); 4] = [
    (Lang::Zh, "zh"),
    (Lang::Bo, "bo"),
    (Lang::ZhBo, "zh_bo"),
    (Lang::En, "en"),
];

/// Runs `f` on an app over 3 demo households, in English.
pub fn with_app(f: impl FnOnce(&mut TestApp)) {
    let mut t = TestApp::with_households(Lang::En, 3);
    f(&mut t);
}

/// The first household of the register (by its default order).
pub fn first_household(store: &Store) -> fieldbook::domain::records::Household {
    use fieldbook::store::households::{HouseholdQuery, Page};
    store
        .households_page(&HouseholdQuery::default(), Page::First, 1)
        .expect("read the register")
        .remove(0)
        .household
}

/// A draft visit of `h` with one answer, for its first member.
pub fn draft_visit(
    store: &mut Store,
    h: &fieldbook::domain::records::Household,
) -> (
    fieldbook::domain::records::Visit,
    fieldbook::domain::records::VisitPerson,
) {
    use fieldbook::domain::records::{RowMeta, Visit, VisitPerson};
    let person = store.members(h.meta.id).expect("members").remove(0);
    let mut v = Visit {
        meta: RowMeta::new(),
        household_id: h.meta.id,
        visit_date: NaiveDate::from_ymd_opt(2026, 11, 20).expect("a date"),
        round: "2026-start".into(),
        visit_type: "annual".into(),
        status: "draft".into(),
        ..Visit::default()
    };
    let mut answers = [VisitPerson {
        meta: RowMeta::new(),
        person_id: person.meta.id,
        employment_status: "not_employed".into(),
        ..VisitPerson::default()
    }];
    store
        .save_visit(&mut v, &mut answers)
        .expect("save the visit");
    let [a] = answers;
    (v, a)
}

/// A village (code `{township}201`) in the first township and one
/// household in it (`…000001`) of adult labourers named `names`, born
/// 1985-03-10 on (one a day), the first the head and the rest children,
/// each with a valid ID number: the smallest household a rule can be
/// tried on.
pub fn adults_household(
    store: &mut Store,
    names: &[&str],
) -> (
    fieldbook::domain::records::Village,
    fieldbook::domain::records::Household,
    Vec<fieldbook::domain::records::Person>,
) {
    use fieldbook::domain::id_number::check_char;
    use fieldbook::domain::records::{Household, Person, Village};
    let t = store.townships().unwrap().remove(0);
    let mut v = Village {
        code: format!("{}201", t.code),
        township_id: t.meta.id,
        name_zh: "甲村".to_owned(),
        ..Village::default()
    };
    store.save(&mut v).unwrap();
    let mut h = Household {
        number: format!("{}000001", v.code),
        village_id: v.meta.id,
        ..Household::default()
    };
    let mut people: Vec<Person> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let birth = NaiveDate::from_ymd_opt(1985, 3, 10 + i as u32).unwrap();
            let body = format!("513333{}{:03}", birth.format("%Y%m%d"), 11 + i);
            Person {
                household_id: h.meta.id,
                position: i as i64,
                name_zh: (*name).to_owned(),
                id_number: format!("{body}{}", check_char(&body).unwrap()),
                sex: "f".to_owned(),
                birth_date: Some(birth),
                relation: if i == 0 { "head" } else { "child" }.to_owned(),
                is_labourer: true,
                ..Person::default()
            }
        })
        .collect();
    store.save_household(&mut h, &mut people).unwrap();
    (v, h, people)
}
