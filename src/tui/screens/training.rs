//! Training: the sessions (期次) filtered by course, township, year and
//! status with enrolled / capacity; a session's roster; a day's attendance,
//! one key per trainee; the course catalogue; the training-needs list and
//! who still waits, enrolled from there into a session.

use chrono::{Duration, NaiveDate};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use uuid::Uuid;

use crate::domain::codes::SESSION_STATUS;
use crate::domain::records::{Course, Township, TrainingSession};
use crate::forms::Target;
use crate::i18n::{catalogue_text, names_text};
use crate::store::training::{NeedRow, RosterRow, SessionFilter, SessionRow, WaitingRow};
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::screen::{Env, Msg, Outcome, Route, Screen, Ui};
use crate::tui::widgets::list::{ListState, col, draw_table};
use crate::tui::widgets::status_bar::put;

/// Rows a list shows below a header line and its headings.
fn page(env: &Env<'_>, header_rows: u16) -> usize {
    env.body_rows.saturating_sub(header_rows + 2).max(1) as usize
}

fn course_name(ui: &Ui<'_>, zh: &str, bo: &str, en: &str) -> String {
    catalogue_text(ui.catalog, zh, bo, en, ui.lang)
}

/// Cycles an optional index over `n` items: none (all), 0, 1, ..., none.
fn cycle(i: Option<usize>, n: usize) -> Option<usize> {
    match i {
        None if n > 0 => Some(0),
        Some(i) if i + 1 < n => Some(i + 1),
        _ => None,
    }
}

pub struct SessionsScreen {
    courses: Vec<Course>,
    townships: Vec<Township>,
    years: Vec<i32>,
    course: Option<usize>,
    township: Option<usize>,
    year: Option<usize>,
    status: Option<usize>,
    total: usize,
    /// The rows on screen, from `list.first`.
    rows: Vec<SessionRow>,
    list: ListState,
    page: usize,
}

impl SessionsScreen {
    pub fn open(env: &mut Env<'_>) -> SessionsScreen {
        let mut s = SessionsScreen {
            courses: env.or_empty(env.store.courses()),
            townships: env.or_empty(env.store.townships()),
            years: env.or_empty(env.store.session_years()),
            course: None,
            township: None,
            year: None,
            status: None,
            total: 0,
            rows: Vec::new(),
            list: ListState::default(),
            page: page(env, 1),
        };
        s.reload(env);
        s
    }

    fn filter(&self) -> SessionFilter {
        SessionFilter {
            course: self.course.map(|i| self.courses[i].meta.id),
            township: self.township.map(|i| self.townships[i].meta.id),
            year: self.year.map(|i| self.years[i]),
            status: self.status.map(|i| SESSION_STATUS.codes[i].to_owned()),
        }
    }

    fn reload(&mut self, env: &mut Env<'_>) {
        self.page = page(env, 1);
        let f = self.filter();
        self.total = env.or_empty(env.store.session_count(&f)) as usize;
        self.list.clamp(self.total);
        self.rows = env.or_empty(env.store.sessions_page(&f, self.list.first, self.page));
    }

    fn selected(&self) -> Option<&SessionRow> {
        self.rows
            .get(self.list.selected.checked_sub(self.list.first)?)
    }
}

impl Screen for SessionsScreen {
    fn title_key(&self) -> &'static str {
        "training.title"
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::Training, Context::List]
    }

    fn update(&mut self, action: Action, env: &mut Env<'_>) -> Outcome {
        if self.list.apply(action, self.total, self.page) {
            self.reload(env);
            return Outcome::None;
        }
        match action {
            Action::FilterCourse => self.course = cycle(self.course, self.courses.len()),
            Action::FilterTownship => self.township = cycle(self.township, self.townships.len()),
            Action::FilterYear => self.year = cycle(self.year, self.years.len()),
            Action::FilterStatus => self.status = cycle(self.status, SESSION_STATUS.codes.len()),
            Action::Open => {
                return match self.selected() {
                    Some(r) => Outcome::Open(Route::Roster(r.session.meta.id)),
                    None => Outcome::None,
                };
            }
            Action::Edit => {
                return match self.selected() {
                    Some(r) => Outcome::Open(Route::Form(Target::Session {
                        id: r.session.meta.id,
                        course: None,
                    })),
                    None => Outcome::None,
                };
            }
            Action::NewRecord => {
                if self.courses.is_empty() {
                    return Outcome::Message(Msg::error("training.no_courses"));
                }
                return Outcome::Open(Route::Form(Target::Session {
                    id: Uuid::now_v7(),
                    course: self.course.map(|i| self.courses[i].meta.id),
                }));
            }
            Action::OpenCourses => return Outcome::Open(Route::Courses),
            Action::OpenNeeds => return Outcome::Open(Route::Needs),
            Action::Back => return Outcome::Pop,
            _ => return Outcome::None,
        }
        self.list = ListState::default();
        self.reload(env);
        Outcome::None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ui: &Ui<'_>) {
        let all = ui.t("training.all");
        let course = self
            .course
            .map(|i| {
                let c = &self.courses[i];
                course_name(ui, &c.name_zh, &c.name_bo, &c.name_en)
            })
            .unwrap_or_else(|| all.clone());
        let township = self
            .township
            .map(|i| {
                catalogue_text(
                    ui.catalog,
                    &self.townships[i].name_zh,
                    &self.townships[i].name_bo,
                    "",
                    ui.lang,
                )
            })
            .unwrap_or_else(|| all.clone());
        let year = self
            .year
            .map(|i| self.years[i].to_string())
            .unwrap_or_else(|| all.clone());
        let status = self
            .status
            .map(|i| ui.code("session_status", SESSION_STATUS.codes[i]))
            .unwrap_or_else(|| all.clone());
        let head = ui.catalog.format(
            ui.lang,
            "training.filters",
            &[
                ("course", &course),
                ("township", &township),
                ("year", &year),
                ("status", &status),
                ("n", &self.total.to_string()),
            ],
        );
        put(
            buf,
            area.x + 1,
            area.y,
            &head,
            area.width.saturating_sub(2) as usize,
            ui.theme.title(),
        );
        let cols = [
            col("training.col.code", 15),
            col("training.col.course", 4),
            col("training.col.township", 4),
            col("training.col.start", 10),
            col("training.col.status", 4),
            col("training.col.enrolled", 5),
        ];
        // Rows above the window are not read: blank cells keep indexes.
        let mut cells: Vec<Vec<String>> = vec![Vec::new(); self.list.first];
        cells.extend(self.rows.iter().map(|r| {
            vec![
                r.session.code.clone(),
                course_name(ui, &r.course_zh, &r.course_bo, &r.course_en),
                catalogue_text(ui.catalog, &r.township_zh, &r.township_bo, "", ui.lang),
                r.session.start_date.to_string(),
                ui.code("session_status", &r.session.status),
                format!("{}/{}", r.enrolled, r.session.capacity),
            ]
        }));
        draw_table(
            area,
            buf,
            ui,
            1,
            &cols,
            &cells,
            &self.list,
            "training.empty",
        );
    }

    fn resume(&mut self, env: &mut Env<'_>) -> Option<Msg> {
        self.courses = env.or_empty(env.store.courses());
        self.years = env.or_empty(env.store.session_years());
        self.course = self.course.filter(|i| *i < self.courses.len());
        self.year = self.year.filter(|i| *i < self.years.len());
        self.reload(env);
        None
    }
}

pub struct CoursesScreen {
    courses: Vec<Course>,
    list: ListState,
}

impl CoursesScreen {
    pub fn open(env: &mut Env<'_>) -> CoursesScreen {
        CoursesScreen {
            courses: env.or_empty(env.store.courses()),
            list: ListState::default(),
        }
    }
}

impl Screen for CoursesScreen {
    fn title_key(&self) -> &'static str {
        "courses.title"
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::Courses, Context::List]
    }

    fn update(&mut self, action: Action, env: &mut Env<'_>) -> Outcome {
        if self.list.apply(action, self.courses.len(), page(env, 0)) {
            return Outcome::None;
        }
        match action {
            Action::Open => match self.courses.get(self.list.selected) {
                Some(c) => Outcome::Open(Route::Form(Target::Course { id: c.meta.id })),
                None => Outcome::None,
            },
            Action::NewRecord => Outcome::Open(Route::Form(Target::Course { id: Uuid::now_v7() })),
            Action::Back => Outcome::Pop,
            _ => Outcome::None,
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ui: &Ui<'_>) {
        let cols = [
            col("course.code", 6),
            col("courses.col.name", 6),
            col("course.category", 4),
            col("course.trade", 4),
            col("course.level", 4),
            col("courses.col.hours", 3),
        ];
        let cells: Vec<Vec<String>> = self
            .courses
            .iter()
            .map(|c| {
                vec![
                    c.code.clone(),
                    course_name(ui, &c.name_zh, &c.name_bo, &c.name_en),
                    ui.code("course_category", &c.category),
                    crate::text::clean(&c.trade).into_owned(),
                    ui.code("course_level", &c.level),
                    c.standard_hours.to_string(),
                ]
            })
            .collect();
        draw_table(area, buf, ui, 0, &cols, &cells, &self.list, "courses.empty");
    }

    fn resume(&mut self, env: &mut Env<'_>) -> Option<Msg> {
        self.courses = env.or_empty(env.store.courses());
        self.list.clamp(self.courses.len());
        None
    }
}

/// A session and its course, as the roster and attendance screens head.
struct Heading {
    session: TrainingSession,
    course: Course,
}

impl Heading {
    fn load(id: Uuid, env: &Env<'_>) -> Result<Heading, Msg> {
        let session = env
            .ok(env.store.get::<TrainingSession>(id))
            .flatten()
            .ok_or_else(|| {
                env.take_error()
                    .unwrap_or_else(|| Msg::error("training.error.no_session"))
            })?;
        let course = env
            .ok(env.store.get_any::<Course>(session.course_id))
            .flatten()
            .unwrap_or_default();
        Ok(Heading { session, course })
    }

    fn line(&self, ui: &Ui<'_>, enrolled: usize) -> String {
        let s = &self.session;
        ui.catalog.format(
            ui.lang,
            "roster.heading",
            &[
                ("code", &s.code),
                (
                    "course",
                    &course_name(
                        ui,
                        &self.course.name_zh,
                        &self.course.name_bo,
                        &self.course.name_en,
                    ),
                ),
                ("start", &s.start_date.to_string()),
                ("end", &s.end_date.to_string()),
                ("enrolled", &enrolled.to_string()),
                ("capacity", &s.capacity.to_string()),
                ("held", &s.days_held.to_string()),
            ],
        )
    }
}

fn trainee_name(ui: &Ui<'_>, r: &RosterRow) -> String {
    names_text(&r.name_zh, &r.name_bo, "", ui.lang)
}

fn is_minor(r: &RosterRow, start: NaiveDate) -> bool {
    r.birth_date.is_some_and(|b| {
        crate::domain::rules::age_on(b, start) <= crate::domain::rules::MINOR_MAX_AGE
    })
}

pub struct RosterScreen {
    head: Heading,
    rows: Vec<RosterRow>,
    list: ListState,
}

impl RosterScreen {
    pub fn open(id: Uuid, env: &mut Env<'_>) -> Result<RosterScreen, Msg> {
        let head = Heading::load(id, env)?;
        let rows = env.or_empty(env.store.roster(id));
        Ok(RosterScreen {
            head,
            rows,
            list: ListState::default(),
        })
    }
}

impl Screen for RosterScreen {
    fn title_key(&self) -> &'static str {
        "roster.title"
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::Roster, Context::List]
    }

    fn update(&mut self, action: Action, env: &mut Env<'_>) -> Outcome {
        if self.list.apply(action, self.rows.len(), page(env, 1)) {
            return Outcome::None;
        }
        let id = self.head.session.meta.id;
        match action {
            Action::Open => match self.rows.get(self.list.selected) {
                Some(r) => Outcome::Open(Route::Form(Target::Enrolment {
                    id: r.enrolment.meta.id,
                })),
                None => Outcome::None,
            },
            Action::Enrol => Outcome::Open(Route::Enrol(id)),
            Action::Attendance => {
                if self.rows.is_empty() {
                    Outcome::Message(Msg::error("roster.empty"))
                } else {
                    Outcome::Open(Route::Attendance(id))
                }
            }
            Action::Edit => Outcome::Open(Route::Form(Target::Session { id, course: None })),
            Action::Back => Outcome::Pop,
            _ => Outcome::None,
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ui: &Ui<'_>) {
        let w = area.width.saturating_sub(2) as usize;
        put(
            buf,
            area.x + 1,
            area.y,
            &self.head.line(ui, self.rows.len()),
            w,
            ui.theme.title(),
        );
        let cols = [
            col("roster.col.no", 2),
            col("roster.col.name", 6),
            col("person.sex", 2),
            col("person.id_number", 18),
            col("roster.col.days", 5),
            col("roster.col.results", 4),
            col("roster.col.outcome", 4),
            col("roster.col.certificate", 4),
        ];
        let start = self.head.session.start_date;
        let held = self.head.session.days_held;
        let minor = ui.t("roster.minor");
        let cells: Vec<Vec<String>> = self
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let e = &r.enrolment;
                let mut name = trainee_name(ui, r);
                if is_minor(r, start) {
                    name = format!("{name} {minor}");
                }
                let results = [&e.theory_result, &e.practical_result]
                    .iter()
                    .map(|c| {
                        let t = ui.code("result", c);
                        if t.is_empty() { "-".to_owned() } else { t }
                    })
                    .collect::<Vec<_>>()
                    .join("/");
                vec![
                    (i + 1).to_string(),
                    name,
                    ui.code("sex", &r.sex),
                    crate::domain::id_number::mask(&r.id_number),
                    format!("{}/{held}", e.attendance_days),
                    results,
                    ui.code("enrolment_outcome", &e.outcome),
                    crate::text::clean(&e.certificate_no).into_owned(),
                ]
            })
            .collect();
        draw_table(area, buf, ui, 1, &cols, &cells, &self.list, "roster.empty");
    }

    fn resume(&mut self, env: &mut Env<'_>) -> Option<Msg> {
        let id = self.head.session.meta.id;
        match Heading::load(id, env) {
            Ok(h) => self.head = h,
            Err(m) => return Some(m),
        }
        self.rows = env.or_empty(env.store.roster(id));
        self.list.clamp(self.rows.len());
        None
    }
}

pub struct AttendanceScreen {
    head: Heading,
    rows: Vec<RosterRow>,
    day: NaiveDate,
    /// Each trainee's mark for the day: present, absent, or not yet marked.
    marks: Vec<Option<bool>>,
    dirty: bool,
    /// Esc was pressed once with marks not saved; a second Esc drops them.
    warned: bool,
    list: ListState,
}

impl AttendanceScreen {
    pub fn open(id: Uuid, env: &mut Env<'_>) -> Result<AttendanceScreen, Msg> {
        let head = Heading::load(id, env)?;
        let rows = env.or_empty(env.store.roster(id));
        let s = &head.session;
        let day = env.today.clamp(s.start_date, s.end_date.max(s.start_date));
        let mut screen = AttendanceScreen {
            head,
            rows,
            day,
            marks: Vec::new(),
            dirty: false,
            warned: false,
            list: ListState::default(),
        };
        screen.load_day(env);
        Ok(screen)
    }

    fn load_day(&mut self, env: &mut Env<'_>) {
        let kept = env.or_empty(env.store.attendance_on(self.head.session.meta.id, self.day));
        self.marks = self
            .rows
            .iter()
            .map(|r| {
                kept.iter()
                    .find(|a| a.enrolment_id == r.enrolment.meta.id)
                    .map(|a| a.present)
            })
            .collect();
        self.dirty = false;
    }

    fn mark(&mut self, present: bool, env: &Env<'_>) {
        if let Some(m) = self.marks.get_mut(self.list.selected) {
            *m = Some(present);
            self.dirty = true;
            self.list.apply(Action::Down, self.rows.len(), page(env, 2));
        }
    }

    fn save(&mut self, env: &mut Env<'_>) -> Outcome {
        let marks: Vec<(Uuid, bool)> = self
            .rows
            .iter()
            .zip(&self.marks)
            .filter_map(|(r, m)| m.map(|p| (r.enrolment.meta.id, p)))
            .collect();
        let id = self.head.session.meta.id;
        match env.store.save_attendance_day(id, self.day, &marks) {
            Ok(()) => {
                self.dirty = false;
                if let Ok(h) = Heading::load(id, env) {
                    self.head = h;
                }
                self.rows = env.or_empty(env.store.roster(id));
                let present = marks.iter().filter(|(_, p)| *p).count();
                Outcome::Message(
                    Msg::info("attendance.saved")
                        .arg("day", self.day)
                        .arg("present", present)
                        .arg("n", self.rows.len()),
                )
            }
            Err(e) => Outcome::Message(Msg::from_error(&e)),
        }
    }
}

impl Screen for AttendanceScreen {
    fn title_key(&self) -> &'static str {
        "attendance.title"
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::Attendance, Context::List]
    }

    fn is_dirty(&self) -> bool {
        self.dirty
    }

    fn update(&mut self, action: Action, env: &mut Env<'_>) -> Outcome {
        if self.list.apply(action, self.rows.len(), page(env, 2)) {
            return Outcome::None;
        }
        match action {
            Action::MarkPresent => self.mark(true, env),
            Action::MarkAbsent => self.mark(false, env),
            Action::NextDay | Action::PrevDay => {
                if self.dirty {
                    return Outcome::Message(Msg::error("attendance.unsaved"));
                }
                let s = &self.head.session;
                let step = if action == Action::NextDay { 1 } else { -1 };
                let day = self.day + Duration::days(step);
                if day < s.start_date || day > s.end_date {
                    return Outcome::Message(
                        Msg::error("training.error.day_outside")
                            .arg("day", day)
                            .arg("start", s.start_date)
                            .arg("end", s.end_date),
                    );
                }
                self.day = day;
                self.load_day(env);
            }
            Action::Save => return self.save(env),
            Action::Back => {
                // A day's marks are not lost to one stray Esc.
                if self.dirty && !self.warned {
                    self.warned = true;
                    return Outcome::Message(Msg::error("msg.unsaved_back"));
                }
                return Outcome::Pop;
            }
            _ => {}
        }
        self.warned = false;
        Outcome::None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ui: &Ui<'_>) {
        let w = area.width.saturating_sub(2) as usize;
        put(
            buf,
            area.x + 1,
            area.y,
            &self.head.line(ui, self.rows.len()),
            w,
            ui.theme.title(),
        );
        let present = self.marks.iter().filter(|m| **m == Some(true)).count();
        let absent = self.marks.iter().filter(|m| **m == Some(false)).count();
        let line = ui.catalog.format(
            ui.lang,
            "attendance.day",
            &[
                ("day", &self.day.to_string()),
                ("present", &present.to_string()),
                ("absent", &absent.to_string()),
                (
                    "unmarked",
                    &(self.marks.len() - present - absent).to_string(),
                ),
            ],
        );
        put(buf, area.x + 1, area.y + 1, &line, w, ui.theme.key());
        let cols = [
            col("roster.col.no", 2),
            col("attendance.col.mark", 2),
            col("roster.col.name", 6),
            col("household.number", 6),
            col("roster.col.days", 5),
        ];
        let (yes, no) = (ui.t("attendance.present"), ui.t("attendance.absent"));
        let held = self.head.session.days_held;
        let cells: Vec<Vec<String>> = self
            .rows
            .iter()
            .zip(&self.marks)
            .enumerate()
            .map(|(i, (r, m))| {
                vec![
                    (i + 1).to_string(),
                    match m {
                        Some(true) => yes.clone(),
                        Some(false) => no.clone(),
                        None => "·".to_owned(),
                    },
                    trainee_name(ui, r),
                    r.household_number.clone(),
                    format!("{}/{held}", r.enrolment.attendance_days),
                ]
            })
            .collect();
        draw_table(area, buf, ui, 2, &cols, &cells, &self.list, "roster.empty");
    }
}

pub struct NeedsScreen {
    rows: Vec<NeedRow>,
    list: ListState,
}

impl NeedsScreen {
    pub fn open(env: &mut Env<'_>) -> NeedsScreen {
        NeedsScreen {
            rows: env.or_empty(env.store.training_needs()),
            list: ListState::default(),
        }
    }
}

impl Screen for NeedsScreen {
    fn title_key(&self) -> &'static str {
        "needs.title"
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::List]
    }

    fn update(&mut self, action: Action, env: &mut Env<'_>) -> Outcome {
        if self.list.apply(action, self.rows.len(), page(env, 0)) {
            return Outcome::None;
        }
        match action {
            Action::Open => match self.rows.get(self.list.selected) {
                Some(r) => Outcome::Open(Route::Waiting {
                    course: r.course_code.clone(),
                    township: r.township_id,
                }),
                None => Outcome::None,
            },
            Action::Back => Outcome::Pop,
            _ => Outcome::None,
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ui: &Ui<'_>) {
        let cols = [
            col("training.col.course", 4),
            col("training.col.township", 4),
            col("needs.col.wanting", 3),
            col("needs.col.enrolled", 3),
            col("needs.col.trained", 3),
            col("needs.col.waiting", 3),
        ];
        let cells: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| {
                vec![
                    course_name(ui, &r.course_zh, &r.course_bo, &r.course_en),
                    catalogue_text(ui.catalog, &r.township_zh, &r.township_bo, "", ui.lang),
                    r.wanting.to_string(),
                    r.enrolled.to_string(),
                    r.trained.to_string(),
                    r.waiting.to_string(),
                ]
            })
            .collect();
        draw_table(area, buf, ui, 0, &cols, &cells, &self.list, "needs.empty");
    }

    fn resume(&mut self, env: &mut Env<'_>) -> Option<Msg> {
        self.rows = env.or_empty(env.store.training_needs());
        self.list.clamp(self.rows.len());
        None
    }
}

pub struct WaitingScreen {
    course: String,
    township: Uuid,
    people: Vec<WaitingRow>,
    /// Sessions of the course not finished, to enrol into.
    sessions: Vec<SessionRow>,
    session: usize,
    list: ListState,
}

impl WaitingScreen {
    pub fn open(course: String, township: Uuid, env: &mut Env<'_>) -> WaitingScreen {
        let mut s = WaitingScreen {
            course,
            township,
            people: Vec::new(),
            sessions: Vec::new(),
            session: 0,
            list: ListState::default(),
        };
        s.reload(env);
        s
    }

    fn reload(&mut self, env: &mut Env<'_>) {
        self.people = env.or_empty(env.store.waiting_for(&self.course, self.township));
        let course = env
            .or_empty(env.store.courses())
            .into_iter()
            .find(|c| c.code == self.course)
            .map(|c| c.meta.id);
        self.sessions = match course {
            Some(c) => env
                .or_empty(env.store.sessions_page(
                    &SessionFilter {
                        course: Some(c),
                        ..SessionFilter::default()
                    },
                    0,
                    200,
                ))
                .into_iter()
                .filter(|r| r.session.status != "finished")
                .collect(),
            None => Vec::new(),
        };
        self.session = self.session.min(self.sessions.len().saturating_sub(1));
        self.list.clamp(self.people.len());
    }
}

impl Screen for WaitingScreen {
    fn title_key(&self) -> &'static str {
        "waiting.title"
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::Needs, Context::List]
    }

    fn update(&mut self, action: Action, env: &mut Env<'_>) -> Outcome {
        if self.list.apply(action, self.people.len(), page(env, 1)) {
            return Outcome::None;
        }
        let n = self.sessions.len().max(1);
        match action {
            Action::ChoiceNext => self.session = (self.session + 1) % n,
            Action::ChoicePrev => self.session = (self.session + n - 1) % n,
            Action::Enrol | Action::Open => {
                let Some(s) = self.sessions.get(self.session) else {
                    return Outcome::Message(Msg::error("waiting.no_session"));
                };
                let Some(p) = self.people.get(self.list.selected) else {
                    return Outcome::None;
                };
                let (code, name) = (s.session.code.clone(), p.name_zh.clone());
                return match env.store.enrol(s.session.meta.id, p.person_id, false) {
                    Ok(_) => {
                        self.reload(env);
                        Outcome::Message(
                            Msg::info("enrol.done").arg("name", name).arg("code", code),
                        )
                    }
                    Err(e) => Outcome::Message(Msg::from_error(&e)),
                };
            }
            Action::Back => return Outcome::Pop,
            _ => {}
        }
        Outcome::None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ui: &Ui<'_>) {
        let w = area.width.saturating_sub(2) as usize;
        let line = match self.sessions.get(self.session) {
            Some(s) => ui.catalog.format(
                ui.lang,
                "waiting.session",
                &[
                    ("code", &s.session.code),
                    ("enrolled", &s.enrolled.to_string()),
                    ("capacity", &s.session.capacity.to_string()),
                    ("i", &(self.session + 1).to_string()),
                    ("n", &self.sessions.len().to_string()),
                ],
            ),
            None => ui.t("waiting.no_session"),
        };
        put(buf, area.x + 1, area.y, &line, w, ui.theme.title());
        let cols = [
            col("roster.col.name", 6),
            col("household.number", 6),
            col("register.col.village", 4),
            col("person.birth_date", 10),
        ];
        let cells: Vec<Vec<String>> = self
            .people
            .iter()
            .map(|p| {
                vec![
                    names_text(&p.name_zh, &p.name_bo, "", ui.lang),
                    p.household_number.clone(),
                    catalogue_text(ui.catalog, &p.village_zh, &p.village_bo, "", ui.lang),
                    p.birth_date.map(|d| d.to_string()).unwrap_or_default(),
                ]
            })
            .collect();
        draw_table(area, buf, ui, 1, &cols, &cells, &self.list, "waiting.empty");
    }
}
