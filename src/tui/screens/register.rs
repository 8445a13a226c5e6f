//! The household register: a list of households with virtual scrolling.
//! Only the visible page is read from the database (keyset paging), so it
//! feels the same with 500 or 500,000 households. Filters: township,
//! village, registered-poor flag, not visited this round; sorts: number,
//! head's name, last visit.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use uuid::Uuid;

use crate::domain::records::{Township, Village};
use crate::forms::Target;
use crate::i18n::Lang;
use crate::store::households::{HouseholdQuery, HouseholdRow, HouseholdSort, Page};
use crate::text;
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::screen::{Env, Msg, Outcome, Route, Screen, Ui};
use crate::tui::widgets::list::{Col, Table, col, headings};
use crate::tui::widgets::status_bar::put;

/// Rows above the list: the filter line and the column headings.
/// Rows above the households: the filter line and the headings (two lines
/// of them in bilingual mode when the window is narrow).
fn header_rows(lang: Lang) -> u16 {
    if lang == Lang::ZhBo { 3 } else { 2 }
}

pub struct Register {
    query: HouseholdQuery,
    townships: Vec<Township>,
    villages: Vec<Village>,
    /// The rows on screen, in order.
    rows: Vec<HouseholdRow>,
    /// The index (in the whole filtered list) of the first row on screen.
    top: u64,
    selected: usize,
    total: u64,
    round: String,
}

impl Register {
    pub fn open(env: &mut Env<'_>) -> Register {
        let round = crate::forms::visit::default_round(env.today);
        let mut r = Register {
            query: HouseholdQuery::default(),
            townships: env.or_empty(env.store.townships()),
            villages: Vec::new(),
            rows: Vec::new(),
            top: 0,
            selected: 0,
            total: 0,
            round,
        };
        r.reload(env);
        r
    }

    fn page_size(env: &Env<'_>) -> usize {
        env.body_rows.saturating_sub(header_rows(*env.lang)).max(1) as usize
    }

    /// Re-reads the count and the first page (after a filter or sort change).
    fn reload(&mut self, env: &mut Env<'_>) {
        self.total = env.or_empty(env.store.households_count(&self.query));
        self.top = 0;
        self.selected = 0;
        self.rows = env.or_empty(env.store.households_page(
            &self.query,
            Page::First,
            Self::page_size(env),
        ));
    }

    /// Re-reads the page that starts at the current first row (after an edit).
    fn refresh(&mut self, env: &mut Env<'_>) {
        self.total = env.or_empty(env.store.households_count(&self.query));
        let size = Self::page_size(env);
        let rows = match self.rows.first().map(|r| r.key(self.query.sort)) {
            Some(k) => {
                let mut before =
                    env.or_empty(env.store.households_page(&self.query, Page::Before(&k), 1));
                match before.pop() {
                    Some(prev) => env.store.households_page(
                        &self.query,
                        Page::After(&prev.key(self.query.sort)),
                        size,
                    ),
                    None => env.store.households_page(&self.query, Page::First, size),
                }
            }
            None => env.store.households_page(&self.query, Page::First, size),
        };
        self.rows = env.or_empty(rows);
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
    }

    /// Moves the window down by up to `n` rows; returns how far it moved.
    fn scroll_down(&mut self, n: usize, env: &mut Env<'_>) -> usize {
        let size = Self::page_size(env);
        let Some(last) = self.rows.last().map(|r| r.key(self.query.sort)) else {
            return 0;
        };
        let more = env.or_empty(
            env.store
                .households_page(&self.query, Page::After(&last), n),
        );
        let moved = more.len();
        self.rows.extend(more);
        let drop = self.rows.len().saturating_sub(size);
        self.rows.drain(..drop);
        self.top += drop as u64;
        moved
    }

    fn scroll_up(&mut self, n: usize, env: &mut Env<'_>) -> usize {
        let size = Self::page_size(env);
        let Some(first) = self.rows.first().map(|r| r.key(self.query.sort)) else {
            return 0;
        };
        let more = env.or_empty(
            env.store
                .households_page(&self.query, Page::Before(&first), n),
        );
        let moved = more.len();
        self.top = self.top.saturating_sub(moved as u64);
        let mut rows = more;
        rows.append(&mut self.rows);
        rows.truncate(size);
        self.rows = rows;
        moved
    }

    fn cycle_township(&mut self, env: &mut Env<'_>) {
        let i = self
            .query
            .township_id
            .and_then(|t| self.townships.iter().position(|x| x.meta.id == t));
        self.query.township_id = match i {
            None => self.townships.first().map(|t| t.meta.id),
            Some(i) => self.townships.get(i + 1).map(|t| t.meta.id),
        };
        self.query.village_id = None;
        self.villages = match self.query.township_id {
            Some(t) => env.or_empty(env.store.villages_of(t)),
            None => Vec::new(),
        };
        self.reload(env);
    }

    fn cycle_village(&mut self, env: &mut Env<'_>) -> Outcome {
        if self.query.township_id.is_none() {
            return Outcome::Message(Msg::error("register.choose_township_first"));
        }
        let i = self
            .query
            .village_id
            .and_then(|v| self.villages.iter().position(|x| x.meta.id == v));
        self.query.village_id = match i {
            None => self.villages.first().map(|v| v.meta.id),
            Some(i) => self.villages.get(i + 1).map(|v| v.meta.id),
        };
        self.reload(env);
        Outcome::None
    }

    fn filter_line(&self, ui: &Ui<'_>) -> String {
        let mut parts = Vec::new();
        let township = self
            .query
            .township_id
            .and_then(|t| self.townships.iter().find(|x| x.meta.id == t));
        parts.push(match township {
            Some(t) => crate::i18n::catalogue_text(ui.catalog, &t.name_zh, &t.name_bo, "", ui.lang),
            None => ui.t("register.all_townships"),
        });
        if let Some(v) = self
            .query
            .village_id
            .and_then(|v| self.villages.iter().find(|x| x.meta.id == v))
        {
            parts.push(crate::i18n::catalogue_text(
                ui.catalog, &v.name_zh, &v.name_bo, "", ui.lang,
            ));
        }
        match self.query.registered_poor {
            Some(true) => parts.push(ui.t("register.poor_only")),
            Some(false) => parts.push(ui.t("register.not_poor_only")),
            None => {}
        }
        if let Some(r) = &self.query.not_visited_in {
            parts.push(
                ui.catalog
                    .format(ui.lang, "register.not_visited", &[("round", r)]),
            );
        }
        let sort = match self.query.sort {
            HouseholdSort::Number => "register.sort.number",
            HouseholdSort::HeadName => "register.sort.head",
            HouseholdSort::LastVisit => "register.sort.last_visit",
        };
        parts.push(format!("{} {}", ui.t("register.sort_by"), ui.t(sort)));
        let shown = if self.total == 0 {
            "0".to_owned()
        } else {
            format!("{}-{}", self.top + 1, self.top + self.rows.len() as u64)
        };
        format!(" {}  ·  {shown} / {}", parts.join(" · "), self.total)
    }
}

/// The register's columns: heading, and the fewest cells each may take.
const COLUMNS: [Col; 6] = [
    col("register.col.number", 18),
    col("register.col.head", 8),
    col("register.col.village", 8),
    col("register.col.members", 2),
    col("register.col.poor", 2),
    col("register.col.last_visit", 10),
];
impl Register {
    /// One household's cells, as the columns show them.
    fn cells(&self, r: &HouseholdRow, ui: &Ui<'_>) -> Vec<String> {
        vec![
            r.household.number.clone(),
            r.head_name.clone(),
            crate::i18n::catalogue_text(ui.catalog, &r.village_zh, &r.village_bo, "", ui.lang),
            r.members.to_string(),
            ui.t(if r.household.registered_poor {
                "form.yes"
            } else {
                "form.no"
            }),
            r.last_visit
                .map(|d| d.to_string())
                .unwrap_or_else(|| "—".to_owned()),
        ]
    }
}

impl Screen for Register {
    fn title_key(&self) -> &'static str {
        "register.title"
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::Register, Context::List]
    }

    fn update(&mut self, action: Action, env: &mut Env<'_>) -> Outcome {
        let size = Self::page_size(env);
        match action {
            Action::Down => {
                if self.selected + 1 < self.rows.len() {
                    self.selected += 1;
                } else {
                    self.scroll_down(1, env);
                }
            }
            Action::Up => {
                if self.selected > 0 {
                    self.selected -= 1;
                } else {
                    self.scroll_up(1, env);
                }
            }
            // At the end (or start) of the list a page key moves the selection there.
            Action::PageDown => {
                let moved = self.scroll_down(size, env);
                self.selected = if moved == 0 {
                    self.rows.len().saturating_sub(1)
                } else {
                    self.selected
                };
            }
            Action::PageUp => {
                let moved = self.scroll_up(size, env);
                self.selected = if moved == 0 { 0 } else { self.selected };
            }
            Action::First => self.reload(env),
            Action::Last => {
                self.rows = env.or_empty(env.store.households_page(&self.query, Page::Last, size));
                self.top = self.total.saturating_sub(self.rows.len() as u64);
                self.selected = self.rows.len().saturating_sub(1);
            }
            Action::Open => {
                if let Some(r) = self.rows.get(self.selected) {
                    return Outcome::Open(Route::Household(r.household.meta.id));
                }
            }
            Action::NewRecord => {
                return Outcome::Open(Route::Form(Target::Household {
                    id: Uuid::now_v7(),
                    village: self.query.village_id,
                }));
            }
            Action::FilterTownship => self.cycle_township(env),
            Action::FilterVillage => return self.cycle_village(env),
            Action::FilterPoor => {
                self.query.registered_poor = match self.query.registered_poor {
                    None => Some(true),
                    Some(true) => Some(false),
                    Some(false) => None,
                };
                self.reload(env);
            }
            Action::FilterNotVisited => {
                self.query.not_visited_in = match self.query.not_visited_in {
                    None => Some(self.round.clone()),
                    Some(_) => None,
                };
                self.reload(env);
            }
            Action::CycleSort => {
                self.query.sort = match self.query.sort {
                    HouseholdSort::Number => HouseholdSort::HeadName,
                    HouseholdSort::HeadName => HouseholdSort::LastVisit,
                    HouseholdSort::LastVisit => HouseholdSort::Number,
                };
                self.reload(env);
            }
            Action::Back => return Outcome::Pop,
            _ => {}
        }
        Outcome::None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ui: &Ui<'_>) {
        let w = area.width as usize;
        put(
            buf,
            area.x,
            area.y,
            &self.filter_line(ui),
            w,
            ui.theme.dim(),
        );
        // Headings, then one line per household; the columns share out the
        // window's width by what the page shows, every cell padded to its
        // column's width in display cells, so columns never drift.
        let cells: Vec<Vec<String>> = self.rows.iter().map(|r| self.cells(r, ui)).collect();
        let table = Table::fit(&COLUMNS, ui, w.saturating_sub(1), &cells);
        let top = area.y + 1 + headings(buf, area.x + 1, area.y + 1, &table, w, ui.theme.title());
        if self.rows.is_empty() {
            put(
                buf,
                area.x + 1,
                top,
                &ui.t("register.empty"),
                w.saturating_sub(2),
                ui.theme.dim(),
            );
            return;
        }
        let room = (area.y + area.height).saturating_sub(top) as usize;
        for (i, cells) in cells.into_iter().enumerate().take(room) {
            let y = top + i as u16;
            let style = if i == self.selected {
                ui.theme.selected()
            } else {
                Style::new()
            };
            let line = format!(" {}", table.row(cells));
            put(buf, area.x, y, &text::pad_right(&line, w), w, style);
        }
    }

    fn resume(&mut self, env: &mut Env<'_>) -> Option<Msg> {
        self.refresh(env);
        None
    }
}
