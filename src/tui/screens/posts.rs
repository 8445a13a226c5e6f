//! Public-welfare posts: the list (by township, village, type, department
//! and funding line; vacancies; the villages below the county's standard),
//! one post with who has held it, the post types, putting a person found
//! by search into a post, and ending a placement. The rules are the
//! store's: these screens say what it refused, in the user's language.

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use uuid::Uuid;

use crate::domain::codes::{DEPARTMENT, END_REASON};
use crate::domain::posts::{self as rules, VILLAGE_STANDARD};
use crate::domain::records::{FundingSource, PostAssignment, PostType, RowMeta, Township, Village};
use crate::domain::rules::format_yuan;
use crate::forms::Target;
use crate::i18n::{Localized, catalogue_text, names_text};
use crate::search::Hit;
use crate::store::households::Page;
use crate::store::posts::{Assigned, AssignmentRow, Names, PostRow, PostsQuery, VillagePosts};
use crate::text;
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::screen::{Env, Msg, Outcome, Route, Screen, Ui};
use crate::tui::widgets::list::{ListState, Table, col, headings, render_rows_or_empty};
use crate::tui::widgets::status_bar::put;
use crate::tui::widgets::text_input::{Edit, TextInput};

/// Names of a catalogue row (a type, a funding line, a place) in `ui`'s language.
pub fn cat(ui: &Ui<'_>, n: &Names) -> String {
    catalogue_text(ui.catalog, &n.zh, &n.bo, &n.en, ui.lang)
}

/// A person's name in `ui`'s language.
pub fn person(ui: &Ui<'_>, n: &Names) -> String {
    names_text(&n.zh, &n.bo, "", ui.lang)
}

/// Cycles an optional choice among `n` items: none, then each in turn.
fn cycle(current: Option<usize>, n: usize) -> Option<usize> {
    match current {
        None if n > 0 => Some(0),
        Some(i) if i + 1 < n => Some(i + 1),
        _ => None,
    }
}

/// How many posts the list can show: the body less the filter line and
/// the headings.
fn window(env: &Env<'_>) -> usize {
    env.body_rows.saturating_sub(2).max(1) as usize
}

/// Draws lines of text from `y`, one each, dimmed or not.
fn lines(area: Rect, buf: &mut Buffer, y: &mut u16, items: &[(String, Style)]) {
    for (line, style) in items {
        if *y >= area.y + area.height {
            return;
        }
        put(
            buf,
            area.x + 1,
            *y,
            line,
            area.width.saturating_sub(2) as usize,
            *style,
        );
        *y += 1;
    }
}

pub struct PostsScreen {
    townships: Vec<Township>,
    township: Option<usize>,
    villages: Vec<Village>,
    village: Option<usize>,
    types: Vec<PostType>,
    post_type: Option<usize>,
    department: Option<usize>,
    funding: Vec<FundingSource>,
    funding_source: Option<usize>,
    vacant: bool,
    /// The villages below the county's standard instead of the posts.
    check: bool,
    standard: i64,
    /// How many posts the filters match.
    total: usize,
    /// The posts on screen (and no others: the county's list is thousands
    /// long), from the `top`th of the filtered list.
    rows: Vec<PostRow>,
    top: usize,
    /// How many rows a window holds.
    window: usize,
    below: Vec<VillagePosts>,
    list: ListState,
}

impl PostsScreen {
    pub fn open(env: &mut Env<'_>) -> PostsScreen {
        let mut s = PostsScreen {
            townships: env.or_empty(env.store.townships()),
            township: None,
            villages: Vec::new(),
            village: None,
            types: env.or_empty(env.store.post_types()),
            post_type: None,
            department: None,
            funding: env.or_empty(env.store.funding_sources()),
            funding_source: None,
            vacant: false,
            check: false,
            standard: env
                .ok(env.store.post_setting(VILLAGE_STANDARD))
                .unwrap_or(VILLAGE_STANDARD.default),
            total: 0,
            rows: Vec::new(),
            top: 0,
            window: window(env),
            below: Vec::new(),
            list: ListState::default(),
        };
        s.reload(env);
        s
    }

    fn query(&self) -> PostsQuery {
        PostsQuery {
            township_id: self.township.map(|i| self.townships[i].meta.id),
            village_id: self.village.map(|i| self.villages[i].meta.id),
            post_type_id: self.post_type.map(|i| self.types[i].meta.id),
            department: self.department.map(|i| DEPARTMENT.codes[i].to_owned()),
            funding_source_id: self.funding_source.map(|i| self.funding[i].meta.id),
            vacant_only: self.vacant,
        }
    }

    /// Re-reads the count and the rows on screen (after a filter changed,
    /// or on coming back from an edit: the rows from the same first post).
    fn reload(&mut self, env: &mut Env<'_>) {
        if self.check {
            let township = self.township.map(|i| self.townships[i].meta.id);
            self.below = env.or_empty(env.store.village_posts(township, Some(self.standard)));
            self.list.clamp(self.below.len());
            return;
        }
        let q = self.query();
        self.total = env.or_empty(env.store.posts_count(&q)) as usize;
        self.list.clamp(self.total);
        self.window = window(env);
        // The posts from the first on screen, read again: it may have
        // changed (or gone) while away.
        let start = self.rows.first().map(PostRow::key);
        self.rows = match start.filter(|_| self.top == self.list.first) {
            Some(k) => {
                let before = env.or_empty(env.store.posts_page(&q, Page::Before(&k), 1));
                let page = match before.last() {
                    Some(prev) => Page::After(&prev.key()),
                    None => Page::First,
                };
                env.or_empty(env.store.posts_page(&q, page, self.window))
            }
            None => Vec::new(),
        };
        if self.rows.is_empty() {
            self.top = 0;
        }
        self.scroll(env);
    }

    /// Reads what the window needs to show the list from `list.first`:
    /// continuing from the rows it holds by their keys where it can, else
    /// from the start or the end of the list, so a move reads at most the
    /// rows it brings on screen (or skips over).
    fn scroll(&mut self, env: &mut Env<'_>) {
        let first = self.list.first.min(self.total);
        let want = self.window.min(self.total - first);
        let q = self.query();
        let (top, len) = (self.top, self.rows.len());
        let read = |page: Page<'_>, n: usize| env.or_empty(env.store.posts_page(&q, page, n));
        if want == 0 {
            self.rows.clear();
        } else if len > 0 && first >= top && first <= top + len {
            // Down: keep what stays on screen, read the rest after it.
            let last = self.rows[len - 1].key();
            self.rows.drain(..first - top);
            let more = want.saturating_sub(self.rows.len());
            if more > 0 {
                self.rows.extend(read(Page::After(&last), more));
            }
            self.rows.truncate(want);
        } else if len > 0 && first < top && first + want >= top {
            // Up: read the rows before the window, keep the rest.
            let k = self.rows[0].key();
            let mut rows = read(Page::Before(&k), top - first);
            rows.append(&mut self.rows);
            rows.truncate(want);
            self.rows = rows;
        } else if first + want == self.total {
            self.rows = read(Page::Last, want);
        } else {
            let mut rows = read(Page::First, first + want);
            self.rows = rows.split_off(first.min(rows.len()));
        }
        self.top = first;
    }

    fn selected(&self) -> Option<&PostRow> {
        (!self.check)
            .then(|| self.rows.get(self.list.selected.checked_sub(self.top)?))
            .flatten()
    }

    fn filters(&self, ui: &Ui<'_>) -> String {
        let all = ui.t("posts.all");
        let named = |n: Option<String>| n.unwrap_or_else(|| all.clone());
        let mut parts = vec![ui.label_value(
            "posts.township",
            &named(self.township.map(|i| {
                let t = &self.townships[i];
                catalogue_text(ui.catalog, &t.name_zh, &t.name_bo, "", ui.lang)
            })),
        )];
        if self.check {
            parts.push(ui.label_value("posts.standard", &self.standard.to_string()));
        } else {
            parts.push(ui.label_value(
                "posts.village",
                &named(self.village.map(|i| {
                    let v = &self.villages[i];
                    catalogue_text(ui.catalog, &v.name_zh, &v.name_bo, "", ui.lang)
                })),
            ));
            parts.push(ui.label_value(
                "posts.type",
                &named(self.post_type.map(|i| {
                    let t = &self.types[i];
                    catalogue_text(ui.catalog, &t.name_zh, &t.name_bo, &t.name_en, ui.lang)
                })),
            ));
            parts.push(
                ui.label_value(
                    "posts.department",
                    &named(
                        self.department
                            .map(|i| ui.code("department", DEPARTMENT.codes[i])),
                    ),
                ),
            );
            parts.push(ui.label_value(
                "posts.funding",
                &named(self.funding_source.map(|i| {
                    let f = &self.funding[i];
                    catalogue_text(ui.catalog, &f.name_zh, &f.name_bo, &f.name_en, ui.lang)
                })),
            ));
            if self.vacant {
                parts.push(ui.t("posts.vacant_only"));
            }
        }
        parts.join("  ")
    }
}

impl Screen for PostsScreen {
    fn title_key(&self) -> &'static str {
        if self.check {
            "posts.check_title"
        } else {
            "posts.title"
        }
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::Posts, Context::List]
    }

    fn update(&mut self, action: Action, env: &mut Env<'_>) -> Outcome {
        let page = env.body_rows.saturating_sub(4).max(1) as usize;
        let len = if self.check {
            self.below.len()
        } else {
            self.total
        };
        if self.list.apply(action, len, page) {
            if !self.check {
                if self.window != window(env) {
                    // The window changed size: read it whole again.
                    self.window = window(env);
                    self.rows.clear();
                }
                self.scroll(env);
            }
            return Outcome::None;
        }
        match action {
            Action::FilterTownship => {
                self.township = cycle(self.township, self.townships.len());
                self.village = None;
                self.villages = match self.township {
                    Some(i) => env.or_empty(env.store.villages_of(self.townships[i].meta.id)),
                    None => Vec::new(),
                };
            }
            Action::FilterVillage => {
                if self.township.is_none() {
                    return Outcome::Message(Msg::info("posts.choose_township"));
                }
                self.village = cycle(self.village, self.villages.len());
            }
            Action::FilterType => self.post_type = cycle(self.post_type, self.types.len()),
            Action::FilterDepartment => {
                self.department = cycle(self.department, DEPARTMENT.codes.len())
            }
            Action::FilterFunding => {
                self.funding_source = cycle(self.funding_source, self.funding.len())
            }
            Action::FilterVacant => self.vacant = !self.vacant,
            Action::VillageCheck => self.check = !self.check,
            Action::Open | Action::History => {
                if let Some(r) = self.selected() {
                    return Outcome::Open(Route::Post(r.post.meta.id));
                }
                if let Some(v) = self
                    .check
                    .then(|| self.below.get(self.list.selected))
                    .flatten()
                {
                    // A village below the standard: its posts.
                    let vid = v.village_id;
                    self.check = false;
                    if let Some(t) = env.ok(env.store.get::<Village>(vid)).flatten() {
                        self.township = self
                            .townships
                            .iter()
                            .position(|x| x.meta.id == t.township_id);
                        self.villages = env.or_empty(env.store.villages_of(t.township_id));
                        self.village = self.villages.iter().position(|x| x.meta.id == vid);
                    }
                }
            }
            Action::NewRecord => {
                let village = self.village.map(|i| self.villages[i].meta.id);
                return Outcome::Open(Route::Form(Target::Post {
                    id: Uuid::now_v7(),
                    village,
                }));
            }
            Action::Edit => {
                if let Some(r) = self.selected() {
                    return Outcome::Open(Route::Form(Target::Post {
                        id: r.post.meta.id,
                        village: None,
                    }));
                }
                return Outcome::None;
            }
            Action::Assign => {
                if let Some(r) = self.selected() {
                    if let Some(h) = &r.holder {
                        return Outcome::Message(
                            Msg::error("posts.already_held").arg("name", h.name.one()),
                        );
                    }
                    return Outcome::Open(Route::Assign(r.post.meta.id));
                }
                return Outcome::None;
            }
            Action::EndAssignment => {
                if let Some(r) = self.selected() {
                    return match &r.holder {
                        Some(h) => Outcome::Open(Route::EndAssignment(h.assignment_id)),
                        None => Outcome::Message(Msg::error("posts.no_holder")),
                    };
                }
                return Outcome::None;
            }
            Action::OpenAttendance => return Outcome::Open(Route::PostAttendance),
            Action::OpenPayroll => return Outcome::Open(Route::Payroll),
            Action::OpenPostTypes => return Outcome::Open(Route::PostTypes),
            Action::OpenSettings => return Outcome::Open(Route::PostSettings),
            Action::Back => return Outcome::Pop,
            _ => return Outcome::None,
        }
        self.list = ListState::default();
        self.rows.clear();
        self.top = 0;
        self.reload(env);
        Outcome::None
    }

    fn resume(&mut self, env: &mut Env<'_>) -> Option<Msg> {
        self.types = env.or_empty(env.store.post_types());
        self.standard = env
            .ok(env.store.post_setting(VILLAGE_STANDARD))
            .unwrap_or(VILLAGE_STANDARD.default);
        self.reload(env);
        None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ui: &Ui<'_>) {
        let w = area.width as usize;
        let count = if self.check {
            self.below.len()
        } else {
            self.total
        };
        let head = format!(
            " {}  {}",
            self.filters(ui),
            ui.catalog
                .format(ui.lang, "posts.count", &[("n", &count.to_string())])
        );
        put(buf, area.x, area.y, &head, w, ui.theme.title());
        // Only the rows that can be on screen are laid out: the county's
        // list is thousands long.
        let shown = self
            .list
            .visible(count, area.height.saturating_sub(2) as usize);
        // The index of the first row laid out (the posts held start at `top`).
        let first = if self.check {
            shown.start
        } else {
            shown.start.max(self.top)
        };
        let (cols, cells, empty): (Vec<_>, Vec<Vec<String>>, &str) = if self.check {
            let cells = self.below[shown.clone()]
                .iter()
                .map(|v| {
                    vec![
                        v.code.clone(),
                        cat(ui, &v.township),
                        cat(ui, &v.village),
                        v.exit_year.map(|y| y.to_string()).unwrap_or_default(),
                        v.posts.to_string(),
                        v.filled.to_string(),
                        (self.standard - v.posts).max(0).to_string(),
                    ]
                })
                .collect();
            (
                vec![
                    col("village.code", 12),
                    col("posts.township", 4),
                    col("posts.village", 4),
                    col("village.exit_year", 4),
                    col("posts.posts", 2),
                    col("posts.filled", 2),
                    col("posts.short", 2),
                ],
                cells,
                "posts.check_empty",
            )
        } else {
            // Only the rows on screen are held: from `top`.
            let held = shown.start.saturating_sub(self.top).min(self.rows.len())
                ..shown.end.saturating_sub(self.top).min(self.rows.len());
            let cells = self.rows[held]
                .iter()
                .map(|r| {
                    vec![
                        cat(ui, &r.village),
                        cat(ui, &r.title()),
                        ui.code("department", &r.department),
                        cat(ui, &r.funding),
                        format_yuan(r.post.monthly_subsidy_fen),
                        r.holder
                            .as_ref()
                            .map(|h| person(ui, &h.name))
                            .unwrap_or_else(|| ui.code("post_status", &r.post.status)),
                        r.holder
                            .as_ref()
                            .map(|h| h.agreement_end.to_string())
                            .unwrap_or_default(),
                    ]
                })
                .collect();
            (
                vec![
                    col("posts.village", 4),
                    col("posts.post", 4),
                    col("posts.department", 4),
                    col("posts.funding", 4),
                    col("posts.subsidy", 6),
                    col("posts.holder", 4),
                    col("posts.agreement_end", 10),
                ],
                cells,
                "posts.empty",
            )
        };
        let table = Table::fit(&cols, ui, w.saturating_sub(1), &cells);
        let n = headings(buf, area.x + 1, area.y + 1, &table, w, ui.theme.dim());
        let rows = Rect {
            y: area.y + 1 + n,
            height: area.height.saturating_sub(1 + n),
            ..area
        };
        render_rows_or_empty(rows, buf, ui, &self.list, count, empty, |i| {
            let row = i
                .checked_sub(first)
                .and_then(|j| cells.get(j))
                .cloned()
                .unwrap_or_default();
            (format!(" {}", table.row(row)), Style::new())
        });
    }
}

/// One post: its details, who has held it, and (with `h` on a holder) the
/// posts that person has held.
pub struct PostScreen {
    id: Uuid,
    row: Option<PostRow>,
    holders: Vec<AssignmentRow>,
    /// The selected holder's own history, when asked for.
    person: Option<Vec<AssignmentRow>>,
    list: ListState,
}

impl PostScreen {
    pub fn open(id: Uuid, env: &mut Env<'_>) -> PostScreen {
        let mut s = PostScreen {
            id,
            row: None,
            holders: Vec::new(),
            person: None,
            list: ListState::default(),
        };
        s.reload(env);
        s
    }

    fn reload(&mut self, env: &mut Env<'_>) {
        self.row = env.ok(env.store.post_row(self.id)).flatten();
        self.holders = env.or_empty(env.store.holders_of_post(self.id));
        self.person = None;
        self.list.clamp(self.holders.len());
    }
}

/// The cells of a history line: person, post, village, start, agreement
/// end, left, reason.
fn history_cells(ui: &Ui<'_>, rows: &[AssignmentRow]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|h| {
            let a = &h.assignment;
            vec![
                person(ui, &h.person),
                cat(ui, &h.post),
                cat(ui, &h.village),
                a.start_date.to_string(),
                a.agreement_end.to_string(),
                a.end_date.map(|d| d.to_string()).unwrap_or_default(),
                ui.code("end_reason", &a.end_reason),
            ]
        })
        .collect()
}

const HISTORY_COLS: [crate::tui::widgets::list::Col; 7] = [
    col("posts.holder", 4),
    col("posts.post", 4),
    col("posts.village", 4),
    col("posts.start", 10),
    col("posts.agreement_end", 10),
    col("posts.left", 10),
    col("posts.reason", 4),
];

impl Screen for PostScreen {
    fn title_key(&self) -> &'static str {
        "post.title"
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::Posts, Context::List]
    }

    fn update(&mut self, action: Action, env: &mut Env<'_>) -> Outcome {
        if self.list.apply(action, self.holders.len(), 8) {
            self.person = None;
            return Outcome::None;
        }
        let Some(row) = &self.row else {
            return if action == Action::Back {
                Outcome::Pop
            } else {
                Outcome::None
            };
        };
        match action {
            Action::Edit => Outcome::Open(Route::Form(Target::Post {
                id: self.id,
                village: None,
            })),
            Action::Assign => match &row.holder {
                Some(h) => {
                    Outcome::Message(Msg::error("posts.already_held").arg("name", h.name.one()))
                }
                None => Outcome::Open(Route::Assign(self.id)),
            },
            Action::EndAssignment => match &row.holder {
                Some(h) => Outcome::Open(Route::EndAssignment(h.assignment_id)),
                None => Outcome::Message(Msg::error("posts.no_holder")),
            },
            Action::History | Action::Open => {
                self.person = match (&self.person, self.holders.get(self.list.selected)) {
                    (None, Some(h)) => {
                        Some(env.or_empty(env.store.posts_of_person(h.assignment.person_id)))
                    }
                    _ => None,
                };
                Outcome::None
            }
            Action::Back => Outcome::Pop,
            _ => Outcome::None,
        }
    }

    fn resume(&mut self, env: &mut Env<'_>) -> Option<Msg> {
        self.reload(env);
        None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ui: &Ui<'_>) {
        let Some(r) = &self.row else {
            put(
                buf,
                area.x + 1,
                area.y,
                &ui.t("post.gone"),
                area.width as usize,
                ui.theme.dim(),
            );
            return;
        };
        let p = &r.post;
        let insurance = if p.insurance_policy.is_empty() {
            String::new()
        } else {
            format!(
                "{} {}–{}",
                p.insurance_policy,
                p.insurance_start.map(|d| d.to_string()).unwrap_or_default(),
                p.insurance_end.map(|d| d.to_string()).unwrap_or_default()
            )
        };
        let dates = match p.closed_on {
            Some(c) => format!("{}–{c}", p.opened_on),
            None => p.opened_on.to_string(),
        };
        let plain = Style::new();
        let mut y = area.y;
        let items = [
            (
                format!(
                    "{}  {}  {}",
                    cat(ui, &r.title()),
                    cat(ui, &r.township),
                    cat(ui, &r.village)
                ),
                ui.theme.title(),
            ),
            (
                format!(
                    "{}  {}  {}",
                    ui.label_value("posts.type", &cat(ui, &r.post_type)),
                    ui.label_value("posts.department", &ui.code("department", &r.department)),
                    ui.label_value("posts.funding", &cat(ui, &r.funding)),
                ),
                plain,
            ),
            (
                format!(
                    "{}  {}  {}",
                    ui.label_value("posts.subsidy", &format_yuan(p.monthly_subsidy_fen)),
                    ui.label_value("post.required_days", &p.required_days.to_string()),
                    ui.label_value("post.status", &ui.code("post_status", &p.status)),
                ),
                plain,
            ),
            (
                format!(
                    "{}  {}",
                    ui.label_value("post.insurance", &insurance),
                    ui.label_value("post.dates", &dates)
                ),
                plain,
            ),
        ];
        lines(area, buf, &mut y, &items);
        y += 1;
        let (title, rows) = match &self.person {
            Some(h) => {
                let name = self
                    .holders
                    .get(self.list.selected)
                    .map(|h| person(ui, &h.person))
                    .unwrap_or_default();
                (
                    ui.catalog
                        .format(ui.lang, "post.person_history", &[("name", &name)]),
                    h.as_slice(),
                )
            }
            None => (ui.t("post.holders"), self.holders.as_slice()),
        };
        lines(area, buf, &mut y, &[(title, ui.theme.title())]);
        let cells = history_cells(ui, rows);
        let w = area.width as usize;
        let table = Table::fit(&HISTORY_COLS, ui, w.saturating_sub(1), &cells);
        if y >= area.y + area.height {
            return;
        }
        let n = headings(buf, area.x + 1, y, &table, w, ui.theme.dim());
        let rest = Rect {
            y: y + n,
            height: (area.y + area.height).saturating_sub(y + n),
            ..area
        };
        let state = if self.person.is_some() {
            ListState {
                selected: usize::MAX,
                first: 0,
            }
        } else {
            self.list
        };
        render_rows_or_empty(rest, buf, ui, &state, cells.len(), "post.no_holders", |i| {
            (format!(" {}", table.row(cells[i].clone())), Style::new())
        });
    }
}

/// The post types: the seeded catalogue and those the county added.
pub struct PostTypesScreen {
    types: Vec<PostType>,
    list: ListState,
}

impl PostTypesScreen {
    pub fn open(env: &mut Env<'_>) -> PostTypesScreen {
        PostTypesScreen {
            types: env.or_empty(env.store.post_types()),
            list: ListState::default(),
        }
    }
}

impl Screen for PostTypesScreen {
    fn title_key(&self) -> &'static str {
        "post_type.title"
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::Posts, Context::List]
    }

    fn update(&mut self, action: Action, env: &mut Env<'_>) -> Outcome {
        if self
            .list
            .apply(action, self.types.len(), env.body_rows as usize)
        {
            return Outcome::None;
        }
        match action {
            Action::Open | Action::Edit => match self.types.get(self.list.selected) {
                Some(t) => Outcome::Open(Route::Form(Target::PostType { id: t.meta.id })),
                None => Outcome::None,
            },
            Action::NewRecord => {
                Outcome::Open(Route::Form(Target::PostType { id: Uuid::now_v7() }))
            }
            Action::Back => Outcome::Pop,
            _ => Outcome::None,
        }
    }

    fn resume(&mut self, env: &mut Env<'_>) -> Option<Msg> {
        self.types = env.or_empty(env.store.post_types());
        self.list.clamp(self.types.len());
        None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ui: &Ui<'_>) {
        let cols = [
            col("post_type.code", 6),
            col("post_type.name", 6),
            col("posts.department", 4),
            col("post_type.monthly_subsidy", 6),
        ];
        let cells: Vec<Vec<String>> = self
            .types
            .iter()
            .map(|t| {
                vec![
                    t.code.clone(),
                    catalogue_text(ui.catalog, &t.name_zh, &t.name_bo, &t.name_en, ui.lang),
                    ui.code("department", &t.department),
                    format_yuan(t.monthly_subsidy_fen),
                ]
            })
            .collect();
        let w = area.width as usize;
        let table = Table::fit(&cols, ui, w.saturating_sub(1), &cells);
        let n = headings(buf, area.x + 1, area.y, &table, w, ui.theme.dim());
        let rows = Rect {
            y: area.y + n,
            height: area.height.saturating_sub(n),
            ..area
        };
        render_rows_or_empty(
            rows,
            buf,
            ui,
            &self.list,
            cells.len(),
            "post_type.empty",
            |i| (format!(" {}", table.row(cells[i].clone())), Style::new()),
        );
    }
}

/// Which field of the placement has the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AssignField {
    Search,
    Start,
    End,
}

/// Putting a person found by search into a post, under an agreement.
pub struct AssignScreen {
    post: Option<PostRow>,
    field: AssignField,
    query: TextInput,
    hits: Vec<Hit>,
    list: ListState,
    start: TextInput,
    end: TextInput,
    /// The agreement's end was typed: a new start leaves it alone.
    end_typed: bool,
    /// Warnings of the last try, to acknowledge.
    warnings: Vec<crate::domain::Problem>,
    history: Vec<AssignmentRow>,
}

impl AssignScreen {
    pub fn open(post: Uuid, env: &mut Env<'_>) -> AssignScreen {
        AssignScreen {
            post: env.ok(env.store.post_row(post)).flatten(),
            field: AssignField::Search,
            query: TextInput::default(),
            hits: Vec::new(),
            list: ListState::default(),
            start: TextInput::new(&env.today.to_string()),
            end: TextInput::new(&rules::default_agreement_end(env.today).to_string()),
            end_typed: false,
            warnings: Vec::new(),
            history: Vec::new(),
        }
    }

    fn input(&mut self) -> &mut TextInput {
        match self.field {
            AssignField::Search => &mut self.query,
            AssignField::Start => &mut self.start,
            AssignField::End => &mut self.end,
        }
    }

    fn chosen(&self) -> Option<&Hit> {
        self.hits.get(self.list.selected)
    }

    fn person_changed(&mut self, env: &Env<'_>) {
        self.warnings.clear();
        self.history = match self.chosen().and_then(|h| h.person_id) {
            Some(id) => env.or_empty(env.store.posts_of_person(id)),
            None => Vec::new(),
        };
    }

    fn save(&mut self, accept: bool, env: &mut Env<'_>) -> Outcome {
        let Some(post) = &self.post else {
            return Outcome::None;
        };
        let Some(person) = self.chosen().and_then(|h| h.person_id) else {
            return Outcome::Message(Msg::error("assign.choose_person"));
        };
        let date = |t: &TextInput| crate::forms::parse_date(t.value().trim());
        let (start, end) = match (date(&self.start), date(&self.end)) {
            (Ok(s), Ok(e)) => (s, e),
            (Err(p), _) | (_, Err(p)) => return Outcome::Message(Msg::from_error(&p)),
        };
        let mut a = PostAssignment {
            meta: RowMeta::new(),
            post_id: post.post.meta.id,
            person_id: person,
            start_date: start,
            agreement_end: end,
            ..PostAssignment::default()
        };
        match env.store.assign(&mut a, accept) {
            Ok(Assigned::Saved) => Outcome::PopWith(Msg::info("assign.saved")),
            Ok(Assigned::Warnings(w)) => {
                self.warnings = w;
                Outcome::Message(Msg::error("assign.acknowledge"))
            }
            Err(e) => Outcome::Message(Msg::from_error(&e)),
        }
    }
}

impl Screen for AssignScreen {
    fn title_key(&self) -> &'static str {
        "assign.title"
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::Text, Context::List, Context::Form]
    }

    fn update(&mut self, action: Action, env: &mut Env<'_>) -> Outcome {
        match action {
            Action::NextField | Action::Open => {
                self.field = match self.field {
                    AssignField::Search => AssignField::Start,
                    AssignField::Start => AssignField::End,
                    AssignField::End => AssignField::Search,
                };
                return Outcome::None;
            }
            Action::PrevField => {
                self.field = match self.field {
                    AssignField::Search => AssignField::End,
                    AssignField::Start => AssignField::Search,
                    AssignField::End => AssignField::Start,
                };
                return Outcome::None;
            }
            Action::Save => return self.save(false, env),
            Action::AcceptWarnings => {
                if self.warnings.is_empty() {
                    return self.save(false, env);
                }
                return self.save(true, env);
            }
            Action::Back => return Outcome::Pop,
            Action::Up | Action::Down | Action::PageUp | Action::PageDown => {
                self.list.apply(action, self.hits.len(), 5);
                self.person_changed(env);
                return Outcome::None;
            }
            _ => {}
        }
        let field = self.field;
        match self.input().apply(action) {
            Edit::Changed => match field {
                AssignField::Search => {
                    self.hits = env
                        .ok(env.store.search(self.query.value(), 5))
                        .map(|r| r.hits)
                        .unwrap_or_default();
                    self.list = ListState::default();
                    self.person_changed(env);
                }
                AssignField::Start => {
                    if !self.end_typed
                        && let Ok(s) = crate::forms::parse_date(self.start.value().trim())
                    {
                        self.end.set(&rules::default_agreement_end(s).to_string());
                    }
                    self.warnings.clear();
                }
                AssignField::End => {
                    self.end_typed = true;
                    self.warnings.clear();
                }
            },
            Edit::Wylie(m) => return Outcome::Message(m),
            Edit::Moved | Edit::NotMine => {}
        }
        Outcome::None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ui: &Ui<'_>) {
        let w = area.width as usize;
        let mut y = area.y;
        if let Some(p) = &self.post {
            let head = format!(
                "{}  {}  {}",
                cat(ui, &p.title()),
                cat(ui, &p.village),
                ui.label_value("posts.subsidy", &format_yuan(p.post.monthly_subsidy_fen))
            );
            lines(area, buf, &mut y, &[(head, ui.theme.title())]);
        }
        let field_line = |y: u16, key: &str, input: &TextInput, focus: bool, buf: &mut Buffer| {
            let label = format!(" {} ", ui.t(key));
            let lw = text::width(&label);
            put(buf, area.x, y, &label, w, ui.theme.key());
            let (shown, _) = input.visible(w.saturating_sub(lw + 1));
            let style = if focus {
                ui.theme.field_focus()
            } else {
                Style::new()
            };
            put(
                buf,
                area.x + lw as u16,
                y,
                &shown,
                w.saturating_sub(lw),
                style,
            );
        };
        field_line(
            y,
            "assign.search",
            &self.query,
            self.field == AssignField::Search,
            buf,
        );
        y += 1;
        if self.hits.is_empty() {
            let key = if self.query.value().trim().is_empty() {
                "assign.search_help"
            } else {
                "search.none"
            };
            lines(area, buf, &mut y, &[(ui.t(key), ui.theme.dim())]);
        }
        for (i, h) in self.hits.iter().enumerate() {
            let line = format!(
                " {}  {}  {}  {}{}",
                names_text(&h.name_zh, &h.name_bo, "", ui.lang),
                h.id_masked,
                h.household_number,
                catalogue_text(ui.catalog, &h.village_zh, &h.village_bo, "", ui.lang),
                h.birth_date
                    .map(|b| format!(
                        "  {}",
                        ui.catalog.format(
                            ui.lang,
                            "assign.age",
                            &[(
                                "age",
                                &crate::domain::rules::age_on(b, ui_today(&self.start)).to_string()
                            )]
                        )
                    ))
                    .unwrap_or_default()
            );
            let style = if i == self.list.selected {
                ui.theme.selected()
            } else {
                Style::new()
            };
            if y < area.y + area.height {
                put(buf, area.x, y, &text::pad_right(&line, w), w, style);
                y += 1;
            }
        }
        y += 1;
        field_line(
            y,
            "assign.start",
            &self.start,
            self.field == AssignField::Start,
            buf,
        );
        y += 1;
        field_line(
            y,
            "assign.end",
            &self.end,
            self.field == AssignField::End,
            buf,
        );
        y += 2;
        let warn: Vec<(String, Style)> = self
            .warnings
            .iter()
            .map(|p| {
                (
                    format!("⚠ {}", p.message(ui.catalog, ui.lang)),
                    ui.theme.error(),
                )
            })
            .collect();
        lines(area, buf, &mut y, &warn);
        if !self.warnings.is_empty() {
            lines(
                area,
                buf,
                &mut y,
                &[(ui.t("assign.accept_hint"), ui.theme.key())],
            );
        }
        if !self.history.is_empty() {
            y += 1;
            lines(
                area,
                buf,
                &mut y,
                &[(ui.t("assign.history"), ui.theme.title())],
            );
            let cells = history_cells(ui, &self.history);
            let table = Table::fit(&HISTORY_COLS, ui, w.saturating_sub(1), &cells);
            let rows: Vec<(String, Style)> = cells
                .into_iter()
                .map(|c| (table.row(c), ui.theme.dim()))
                .collect();
            lines(area, buf, &mut y, &rows);
        }
    }

    fn cursor(&self, area: Rect, ui: &Ui<'_>) -> Option<Position> {
        let (key, input, y) = match self.field {
            AssignField::Search => ("assign.search", &self.query, 1),
            AssignField::Start => (
                "assign.start",
                &self.start,
                3 + self.hits.len().max(1) as u16,
            ),
            AssignField::End => ("assign.end", &self.end, 4 + self.hits.len().max(1) as u16),
        };
        let lw = text::width(&format!(" {} ", ui.t(key)));
        let (_, col) = input.visible((area.width as usize).saturating_sub(lw + 1));
        let y = area.y + y - u16::from(self.post.is_none());
        (y < area.y + area.height).then_some(Position {
            x: area.x + (lw + col) as u16,
            y,
        })
    }
}

/// The agreement's first day as typed (today's date when it is not one),
/// for showing ages on it.
fn ui_today(start: &TextInput) -> NaiveDate {
    crate::forms::parse_date(start.value().trim()).unwrap_or_default()
}

/// The reasons offered for ending a placement (the two kept only for old
/// records are not offered).
fn end_reasons() -> Vec<&'static str> {
    END_REASON
        .codes
        .iter()
        .copied()
        .filter(|c| !matches!(*c, "contract_ended" | "dismissed"))
        .collect()
}

/// Ending a placement: the day the holder left and why.
pub struct EndScreen {
    row: Option<AssignmentRow>,
    date: TextInput,
    reason: Option<usize>,
    /// The reason has the keys (else the date).
    on_reason: bool,
}

impl EndScreen {
    pub fn open(id: Uuid, env: &mut Env<'_>) -> EndScreen {
        let row = env
            .ok(env.store.get::<PostAssignment>(id))
            .flatten()
            .and_then(|a| {
                env.or_empty(env.store.holders_of_post(a.post_id))
                    .into_iter()
                    .find(|r| r.assignment.meta.id == id)
            });
        EndScreen {
            row,
            date: TextInput::new(&env.today.to_string()),
            reason: None,
            on_reason: false,
        }
    }
}

impl Screen for EndScreen {
    fn title_key(&self) -> &'static str {
        "end.title"
    }

    fn contexts(&self) -> Vec<Context> {
        if self.on_reason {
            vec![Context::Form]
        } else {
            vec![Context::Text, Context::Form]
        }
    }

    fn update(&mut self, action: Action, env: &mut Env<'_>) -> Outcome {
        let reasons = end_reasons();
        match action {
            Action::NextField | Action::PrevField => self.on_reason = !self.on_reason,
            Action::ChoiceNext if self.on_reason => {
                self.reason = Some(self.reason.map_or(0, |i| (i + 1) % reasons.len()))
            }
            Action::ChoicePrev if self.on_reason => {
                self.reason = Some(self.reason.map_or(reasons.len() - 1, |i| {
                    (i + reasons.len() - 1) % reasons.len()
                }))
            }
            Action::Save => {
                let Some(row) = &self.row else {
                    return Outcome::None;
                };
                let day = match crate::forms::parse_date(self.date.value().trim()) {
                    Ok(d) => d,
                    Err(p) => return Outcome::Message(Msg::from_error(&p)),
                };
                let reason = self.reason.map(|i| reasons[i]).unwrap_or_default();
                return match env
                    .store
                    .end_assignment(row.assignment.meta.id, day, reason)
                {
                    Ok(_) => Outcome::PopWith(Msg::info("end.saved")),
                    Err(e) => Outcome::Message(Msg::from_error(&e)),
                };
            }
            Action::Back => return Outcome::Pop,
            other if !self.on_reason => {
                if let Edit::Wylie(m) = self.date.apply(other) {
                    return Outcome::Message(m);
                }
            }
            _ => {}
        }
        Outcome::None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ui: &Ui<'_>) {
        let w = area.width as usize;
        let mut y = area.y;
        if let Some(r) = &self.row {
            let head = format!(
                "{}  {}  {}  {}",
                person(ui, &r.person),
                cat(ui, &r.post),
                cat(ui, &r.village),
                ui.label_value(
                    "posts.agreement",
                    &format!("{}–{}", r.assignment.start_date, r.assignment.agreement_end)
                )
            );
            lines(area, buf, &mut y, &[(head, ui.theme.title())]);
        }
        y += 1;
        let label = format!(" {} ", ui.t("end.date"));
        let lw = text::width(&label);
        put(buf, area.x, y, &label, w, ui.theme.key());
        let style = if self.on_reason {
            Style::new()
        } else {
            ui.theme.field_focus()
        };
        let (shown, _) = self.date.visible(w.saturating_sub(lw + 1));
        put(
            buf,
            area.x + lw as u16,
            y,
            &shown,
            w.saturating_sub(lw),
            style,
        );
        y += 1;
        let label = format!(" {} ", ui.t("end.reason"));
        let lw = text::width(&label);
        put(buf, area.x, y, &label, w, ui.theme.key());
        let reason = self
            .reason
            .map(|i| ui.code("end_reason", end_reasons()[i]))
            .unwrap_or_else(|| ui.t("end.choose_reason"));
        let style = if self.on_reason {
            ui.theme.field_focus()
        } else {
            Style::new()
        };
        put(
            buf,
            area.x + lw as u16,
            y,
            &format!("‹ {reason} ›"),
            w.saturating_sub(lw),
            style,
        );
    }

    fn cursor(&self, area: Rect, ui: &Ui<'_>) -> Option<Position> {
        if self.on_reason {
            return None;
        }
        let lw = text::width(&format!(" {} ", ui.t("end.date")));
        let (_, col) = self
            .date
            .visible((area.width as usize).saturating_sub(lw + 1));
        Some(Position {
            x: area.x + (lw + col) as u16,
            y: area.y + 2 - u16::from(self.row.is_none()),
        })
    }
}
