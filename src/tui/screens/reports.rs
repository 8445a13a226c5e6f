//! Reports: a year's figures for the county or one township, computed from
//! the records by `store::report` (as `fieldbook report` prints them), on
//! five pages: the figures, and bars of trainees by course, posts by type,
//! work by place and channel, and the townships compared. Enter on a figure
//! or a bar opens the rows behind it; from there Enter opens the household,
//! session, post or village. A village's five lists are one key away.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use uuid::Uuid;

use crate::domain::records::{Township, Village};
use crate::i18n::catalogue_text;
use crate::store::report::{
    COMPARE, Drill, DrillKind, DrillList, Figure, Label, Report, ReportData, Target, counted_on,
    years,
};
use crate::text;
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::screen::{Env, Outcome, Route, Screen, Ui};
use crate::tui::widgets::list::{Col, ListState, col, draw_table, render_rows};
use crate::tui::widgets::status_bar::put;

/// The pages of the reports screen, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Figures,
    Courses,
    PostTypes,
    Work,
    Townships,
}

const PAGES: [Page; 5] = [
    Page::Figures,
    Page::Courses,
    Page::PostTypes,
    Page::Work,
    Page::Townships,
];

impl Page {
    fn key(self) -> &'static str {
        match self {
            Page::Figures => "report.chart.figures",
            Page::Courses => "report.chart.courses",
            Page::PostTypes => "report.chart.post_types",
            Page::Work => "report.chart.work",
            Page::Townships => "report.chart.townships",
        }
    }
}

/// One bar of a chart: its label, value, and what Enter on it opens.
struct Bar {
    label: Label,
    value: i64,
    /// `None`: a group's heading (work by place, then by channel).
    open: Option<BarOpen>,
}

enum BarOpen {
    Drill(Drill),
    Township(usize),
}

/// Rows above a page's content: the year and place, the page's title.
const HEADER_ROWS: u16 = 2;

pub struct ReportsScreen {
    years: Vec<i32>,
    year: usize,
    townships: Vec<Township>,
    /// `None`: the whole county.
    township: Option<usize>,
    data: ReportData,
    report: Report,
    figures: Vec<Figure>,
    page: usize,
    metric: usize,
    /// The selection of each page.
    lists: [ListState; 5],
}

impl ReportsScreen {
    pub fn open(env: &mut Env<'_>) -> ReportsScreen {
        let first = env.ok(env.store.first_report_year()).flatten();
        let years = years(first, env.today);
        let mut s = ReportsScreen {
            year: years.len().saturating_sub(1),
            years,
            townships: env.or_empty(env.store.townships()),
            township: None,
            data: ReportData::default(),
            report: Report::default(),
            figures: Vec::new(),
            page: 0,
            metric: 0,
            lists: [ListState::default(); 5],
        };
        s.reload(env);
        s
    }

    fn year(&self) -> i32 {
        self.years.get(self.year).copied().unwrap_or(2026)
    }

    fn township_id(&self) -> Option<Uuid> {
        self.township
            .and_then(|i| self.townships.get(i))
            .map(|t| t.meta.id)
    }

    /// Reads the year's counts again (a year changed, or records did).
    fn reload(&mut self, env: &mut Env<'_>) {
        let year = self.year();
        self.data = env
            .ok(env.store.report_data(year, counted_on(year, env.today)))
            .unwrap_or_default();
        self.scope();
    }

    /// Cuts the report of the place chosen from the year's counts.
    fn scope(&mut self) {
        self.report = self.data.report(self.township_id());
        self.figures = self.report.figures();
        for (i, page) in PAGES.into_iter().enumerate() {
            let len = bars_len(self, page);
            self.lists[i].clamp(len);
        }
    }

    fn page(&self) -> Page {
        PAGES[self.page]
    }

    fn bars(&self, page: Page) -> Vec<Bar> {
        let r = &self.report;
        let drill_bar = |label, value, drill| Bar {
            label,
            value,
            open: Some(BarOpen::Drill(drill)),
        };
        match page {
            Page::Figures => Vec::new(),
            Page::Courses => r
                .by_course()
                .into_iter()
                .map(|(code, n)| {
                    drill_bar(
                        Label::Name(r.name("course", &code)),
                        n,
                        Drill::Trainees {
                            course: Some(code),
                            mode: None,
                            only: crate::store::report::TraineeOnly::All,
                        },
                    )
                })
                .collect(),
            Page::PostTypes => r
                .by_type()
                .into_iter()
                .map(|(code, n)| {
                    drill_bar(
                        Label::Name(r.name("post_type", &code)),
                        n,
                        Drill::Posts {
                            post_type: Some(code),
                            department: None,
                            funding: None,
                            only: crate::store::report::PostOnly::All,
                        },
                    )
                })
                .collect(),
            Page::Work => {
                let mut out = vec![Bar {
                    label: Label::Key("lists.col.place"),
                    value: 0,
                    open: None,
                }];
                out.extend(r.by_place().into_iter().map(|(code, n)| {
                    drill_bar(
                        Label::Code("place_tier", code.clone()),
                        n,
                        Drill::Workers {
                            place: Some(code),
                            channel: None,
                        },
                    )
                }));
                out.push(Bar {
                    label: Label::Key("lists.col.channel"),
                    value: 0,
                    open: None,
                });
                out.extend(r.by_channel().into_iter().map(|(code, n)| {
                    drill_bar(
                        crate::store::report::channel_label(&code),
                        n,
                        Drill::Workers {
                            place: None,
                            channel: Some(code),
                        },
                    )
                }));
                out
            }
            Page::Townships => {
                let m = COMPARE[self.metric % COMPARE.len()];
                r.townships
                    .iter()
                    .enumerate()
                    .map(|(i, (t, c))| Bar {
                        label: Label::Name(crate::store::posts::Names {
                            zh: t.name_zh.clone(),
                            bo: t.name_bo.clone(),
                            en: String::new(),
                        }),
                        value: (m.of)(c),
                        open: Some(BarOpen::Township(i)),
                    })
                    .collect()
            }
        }
    }

    /// What Enter on the selected line opens.
    fn open_selected(&mut self, env: &Env<'_>) -> Outcome {
        let sel = self.lists[self.page].selected;
        let drill = match self.page() {
            Page::Figures => self.figures.get(sel).and_then(|f| {
                f.drill
                    .clone()
                    .map(|d| (d, f.label.clone(), f.value.map(|v| v.text())))
            }),
            page => match self.bars(page).into_iter().nth(sel) {
                Some(Bar {
                    open: Some(BarOpen::Drill(d)),
                    label,
                    value,
                }) => Some((d, label, Some(value.to_string()))),
                Some(Bar {
                    open: Some(BarOpen::Township(i)),
                    ..
                }) => {
                    // A township's bar: its own report.
                    self.township = Some(i);
                    self.page = 0;
                    self.scope();
                    return Outcome::None;
                }
                _ => None,
            },
        };
        match drill {
            Some((drill, label, value)) => Outcome::Open(Route::ReportDrill(Box::new(DrillAsk {
                drill,
                label,
                value: value.unwrap_or_default(),
                year: self.year(),
                township: self.township_id(),
                on: counted_on(self.year(), env.today),
            }))),
            None => Outcome::None,
        }
    }
}

/// How many lines a page selects among.
fn bars_len(s: &ReportsScreen, page: Page) -> usize {
    match page {
        Page::Figures => s.figures.len(),
        p => s.bars(p).len(),
    }
}

/// A drill-down asked for: the figure and where it was counted.
#[derive(Debug, Clone)]
pub struct DrillAsk {
    pub drill: Drill,
    pub label: Label,
    pub value: String,
    pub year: i32,
    pub township: Option<Uuid>,
    pub on: chrono::NaiveDate,
}

impl Screen for ReportsScreen {
    fn title_key(&self) -> &'static str {
        "report.title"
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::Reports, Context::List]
    }

    fn update(&mut self, action: Action, env: &mut Env<'_>) -> Outcome {
        let len = bars_len(self, self.page());
        let rows = env.body_rows.saturating_sub(HEADER_ROWS) as usize;
        if self.lists[self.page].apply(action, len, rows) {
            return Outcome::None;
        }
        match action {
            Action::PrevYear if self.year > 0 => {
                self.year -= 1;
                self.reload(env);
            }
            Action::NextYear if self.year + 1 < self.years.len() => {
                self.year += 1;
                self.reload(env);
            }
            Action::FilterTownship => {
                self.township = match self.township {
                    None if !self.townships.is_empty() => Some(0),
                    Some(i) if i + 1 < self.townships.len() => Some(i + 1),
                    _ => None,
                };
                self.scope();
            }
            Action::NextPage => self.page = (self.page + 1) % PAGES.len(),
            Action::PrevPage => self.page = (self.page + PAGES.len() - 1) % PAGES.len(),
            Action::NextMetric => {
                self.metric = (self.metric + 1) % COMPARE.len();
                if self.page() != Page::Townships {
                    self.page = PAGES.len() - 1;
                }
            }
            Action::Open => return self.open_selected(env),
            Action::OpenLists => return Outcome::Open(Route::Lists(self.township_id())),
            Action::Back => return Outcome::Pop,
            _ => {}
        }
        Outcome::None
    }

    // Coming back from the rows behind a figure does not read the year
    // again: on the county's 100,000 households that takes seconds (see
    // README, Measured). The figures are those of the screen's opening or
    // of the last change of year.

    fn render(&self, area: Rect, buf: &mut Buffer, ui: &Ui<'_>) {
        let w = area.width as usize;
        let place = match self.township.and_then(|i| self.townships.get(i)) {
            Some(t) => catalogue_text(ui.catalog, &t.name_zh, &t.name_bo, "", ui.lang),
            None => ui.t("report.whole_county"),
        };
        let head = format!(
            "‹ {} ›  ·  {}  ·  {}",
            ui.label_value("report.col.year", &self.year().to_string()),
            ui.label_value("training.col.township", &place),
            ui.label_value("report.counted_on", &self.report.on.to_string())
        );
        let head = if text::width(&head) + 2 > w {
            format!(
                "‹ {} › · {place}",
                ui.label_value("report.col.year", &self.year().to_string())
            )
        } else {
            head
        };
        put(
            buf,
            area.x + 1,
            area.y,
            &head,
            w.saturating_sub(2),
            ui.theme.title(),
        );
        let page = self.page();
        let mut title = format!("{} ({}/{})", ui.t(page.key()), self.page + 1, PAGES.len());
        if page == Page::Townships {
            let m = COMPARE[self.metric % COMPARE.len()];
            title = format!("{title} · {}", ui.t(m.key));
        }
        put(
            buf,
            area.x + 1,
            area.y + 1,
            &title,
            w.saturating_sub(2),
            ui.theme.key(),
        );
        let body = Rect {
            y: area.y + HEADER_ROWS,
            height: area.height.saturating_sub(HEADER_ROWS),
            ..area
        };
        let list = &self.lists[self.page];
        match page {
            Page::Figures => {
                let value_w = self
                    .figures
                    .iter()
                    .filter_map(|f| f.value.map(|v| text::width(&v.text())))
                    .max()
                    .unwrap_or(0);
                let label_w = w.saturating_sub(value_w + 4);
                render_rows(body, buf, ui, list, self.figures.len(), |i| {
                    let f = &self.figures[i];
                    let indent = "  ".repeat(usize::from(f.depth) + 1);
                    let label = format!("{indent}{}", f.label.text(ui.catalog, ui.lang));
                    match f.value {
                        None => (text::pad_right(&label, w), ui.theme.title()),
                        Some(v) => (
                            format!(
                                "{}{}",
                                text::pad_right(&label, label_w),
                                text::pad_left(&v.text(), value_w + 2)
                            ),
                            Style::new(),
                        ),
                    }
                });
            }
            page => {
                let bars = self.bars(page);
                if bars.iter().all(|b| b.value == 0) {
                    put(
                        buf,
                        body.x + 1,
                        body.y,
                        &ui.t("report.no_data"),
                        w.saturating_sub(2),
                        ui.theme.dim(),
                    );
                    return;
                }
                draw_bars(body, buf, ui, list, &bars);
            }
        }
    }
}

/// Horizontal bars: each label cut to a third of the width at most, the
/// bar scaled to the largest value, the value after it. Widths are display
/// cells, so Chinese (2 cells) and Tibetan (1 a stack) line up alike.
fn draw_bars(area: Rect, buf: &mut Buffer, ui: &Ui<'_>, list: &ListState, bars: &[Bar]) {
    let w = area.width as usize;
    let labels: Vec<String> = bars
        .iter()
        .map(|b| b.label.text(ui.catalog, ui.lang))
        .collect();
    let label_w = labels
        .iter()
        .zip(bars)
        .filter(|(_, b)| b.open.is_some())
        .map(|(l, _)| text::width(l))
        .max()
        .unwrap_or(0)
        .min(w / 3)
        .max(4);
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let value_w = bars
        .iter()
        .map(|b| b.value.to_string().len())
        .max()
        .unwrap_or(1);
    // " label bar value ": one cell each side and between.
    let bar_w = w.saturating_sub(label_w + value_w + 4).max(1);
    render_rows(area, buf, ui, list, bars.len(), |i| {
        let b = &bars[i];
        if b.open.is_none() {
            return (format!(" {}", labels[i]), ui.theme.title());
        }
        let cells = (b.value as u128 * bar_w as u128 * 8 / max as u128) as usize;
        let mut bar = "█".repeat(cells / 8);
        if !cells.is_multiple_of(8) {
            bar.push(['▏', '▎', '▍', '▌', '▋', '▊', '▉'][cells % 8 - 1]);
        }
        (
            format!(
                " {} {} {}",
                text::pad_right(&labels[i], label_w),
                text::pad_right(&bar, bar_w),
                text::pad_left(&b.value.to_string(), value_w)
            ),
            Style::new(),
        )
    });
}

/// The rows behind a figure.
pub struct DrillScreen {
    ask: DrillAsk,
    list: DrillList,
    state: ListState,
}

/// At most this many rows are read for a drill-down: past it the
/// screen says how many there are and how to narrow them.
const DRILL_LIMIT: usize = 2000;

impl DrillScreen {
    pub fn open(ask: DrillAsk, env: &mut Env<'_>) -> DrillScreen {
        let list = env
            .ok(env
                .store
                .drill(&ask.drill, ask.year, ask.township, ask.on, DRILL_LIMIT))
            .unwrap_or_default();
        DrillScreen {
            ask,
            list,
            state: ListState::default(),
        }
    }

    fn cols(&self) -> [Col; 4] {
        match self.ask.drill.kind() {
            DrillKind::Households => [
                col("household.number", 18),
                col("report.col.head", 4),
                col("household.village", 4),
                col("report.col.last_visit", 10),
            ],
            DrillKind::People => [
                col("household.number", 18),
                col("roster.col.name", 4),
                col("household.village", 4),
                col("report.col.detail", 6),
            ],
            DrillKind::Sessions => [
                col("training.col.code", 10),
                col("training.col.course", 4),
                col("training.col.township", 4),
                col("training.col.start", 10),
            ],
            DrillKind::Posts => [
                col("report.col.code", 12),
                col("lists.col.post_type", 4),
                col("household.village", 4),
                col("report.col.holder", 4),
            ],
            DrillKind::Villages => [
                col("report.col.code", 12),
                col("household.village", 4),
                col("training.col.township", 4),
                col("report.col.posts", 3),
            ],
        }
    }
}

impl Screen for DrillScreen {
    fn title_key(&self) -> &'static str {
        "report.drill.title"
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::List]
    }

    fn update(&mut self, action: Action, env: &mut Env<'_>) -> Outcome {
        let page = env.body_rows.saturating_sub(3).max(1) as usize;
        if self.state.apply(action, self.list.rows.len(), page) {
            return Outcome::None;
        }
        match action {
            Action::Open => match self.list.rows.get(self.state.selected).map(|r| r.target) {
                Some(Target::Household(id)) => Outcome::Open(Route::Household(id)),
                Some(Target::Session(id)) => Outcome::Open(Route::Roster(id)),
                Some(Target::Post(id)) => Outcome::Open(Route::Post(id)),
                Some(Target::Village(id)) => Outcome::Open(Route::VillageLists(id)),
                None => Outcome::None,
            },
            Action::Back => Outcome::Pop,
            _ => Outcome::None,
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ui: &Ui<'_>) {
        let w = area.width as usize;
        let mut head = format!(
            "{}  {}",
            self.ask.label.text(ui.catalog, ui.lang),
            self.ask.value
        );
        if self.list.total as usize > self.list.rows.len() {
            head = format!(
                "{head}  ·  {}",
                ui.catalog.format(
                    ui.lang,
                    "report.showing",
                    &[
                        ("shown", &self.list.rows.len().to_string()),
                        ("total", &self.list.total.to_string()),
                    ],
                )
            );
        }
        put(
            buf,
            area.x + 1,
            area.y,
            &head,
            w.saturating_sub(2),
            ui.theme.title(),
        );
        let cells: Vec<Vec<String>> = self
            .list
            .rows
            .iter()
            .map(|r| {
                // People by their names; courses, post types, villages
                // by the catalogue's (marked where not in Tibetan).
                let name = match self.ask.drill.kind() {
                    DrillKind::Households | DrillKind::People => {
                        crate::i18n::names_text(&r.name.zh, &r.name.bo, "", ui.lang)
                    }
                    _ => catalogue_text(ui.catalog, &r.name.zh, &r.name.bo, &r.name.en, ui.lang),
                };
                vec![
                    r.code.clone(),
                    name,
                    catalogue_text(ui.catalog, &r.place.zh, &r.place.bo, "", ui.lang),
                    r.detail.clone(),
                ]
            })
            .collect();
        draw_table(
            area,
            buf,
            ui,
            1,
            &self.cols(),
            &cells,
            &self.state,
            "report.drill.empty",
        );
    }
}

/// A village's five lists: the village chosen with left and right, the
/// list with Tab.
pub struct ListsScreen {
    villages: Vec<Village>,
    village: usize,
    list: usize,
    state: ListState,
    lists: Option<crate::store::lists::FiveLists>,
}

impl ListsScreen {
    /// The lists of the villages of `township` (all villages: `None`).
    pub fn open(township: Option<Uuid>, env: &mut Env<'_>) -> ListsScreen {
        let villages = match township {
            Some(t) => env.or_empty(env.store.villages_of(t)),
            None => env
                .or_empty(env.store.townships())
                .iter()
                .flat_map(|t| env.or_empty(env.store.villages_of(t.meta.id)))
                .collect(),
        };
        let mut s = ListsScreen {
            villages,
            village: 0,
            list: 0,
            state: ListState::default(),
            lists: None,
        };
        s.reload(env);
        s
    }

    /// The lists of one village.
    pub fn of_village(village: Uuid, env: &mut Env<'_>) -> ListsScreen {
        let township = env
            .ok(env.store.get::<Village>(village))
            .flatten()
            .map(|v| v.township_id);
        let mut s = ListsScreen::open(township, env);
        if let Some(i) = s.villages.iter().position(|v| v.meta.id == village) {
            s.village = i;
            s.reload(env);
        }
        s
    }

    fn reload(&mut self, env: &mut Env<'_>) {
        self.lists = self
            .villages
            .get(self.village)
            .and_then(|v| env.ok(env.store.five_lists(v.meta.id, env.today)).flatten());
        self.state = ListState::default();
    }
}

impl Screen for ListsScreen {
    fn title_key(&self) -> &'static str {
        "lists.title"
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::Lists, Context::List]
    }

    fn update(&mut self, action: Action, env: &mut Env<'_>) -> Outcome {
        let len = self
            .lists
            .as_ref()
            .map(|l| match self.list {
                0 => l.basic.len(),
                1 => l.training.len(),
                2 => l.transfer.len(),
                3 => l.self_employed.len(),
                _ => l.placement.len(),
            })
            .unwrap_or(0);
        let page = env.body_rows.saturating_sub(4).max(1) as usize;
        if self.state.apply(action, len, page) {
            return Outcome::None;
        }
        let n = self.villages.len().max(1);
        match action {
            Action::ChoiceNext => {
                self.village = (self.village + 1) % n;
                self.reload(env);
            }
            Action::ChoicePrev => {
                self.village = (self.village + n - 1) % n;
                self.reload(env);
            }
            Action::NextPage => {
                self.list = (self.list + 1) % 5;
                self.state = ListState::default();
            }
            Action::PrevPage => {
                self.list = (self.list + 4) % 5;
                self.state = ListState::default();
            }
            Action::Back => return Outcome::Pop,
            _ => {}
        }
        Outcome::None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ui: &Ui<'_>) {
        let w = area.width as usize;
        let Some(lists) = &self.lists else {
            put(
                buf,
                area.x + 1,
                area.y,
                &ui.t("lists.no_village"),
                w.saturating_sub(2),
                ui.theme.dim(),
            );
            return;
        };
        let village = catalogue_text(
            ui.catalog,
            &lists.village.zh,
            &lists.village.bo,
            "",
            ui.lang,
        );
        let head = format!(
            "‹ {} › {}  ({}/{})",
            village,
            lists.village_code,
            self.village + 1,
            self.villages.len()
        );
        put(
            buf,
            area.x + 1,
            area.y,
            &head,
            w.saturating_sub(2),
            ui.theme.title(),
        );
        // Laid out for the screen's language each time it is drawn.
        let tables = crate::store::lists::tables(lists, ui.catalog, ui.lang, true);
        let Some(t) = tables.get(self.list) else {
            return;
        };
        let title = format!("{} ({}/5) · {}", t.title, self.list + 1, t.rows.len());
        put(
            buf,
            area.x + 1,
            area.y + 1,
            &title,
            w.saturating_sub(2),
            ui.theme.key(),
        );
        let shown = crate::store::lists::screen_columns(t.id);
        let cols: Vec<Col> = shown
            .iter()
            .filter_map(|&i| t.header_keys.get(i))
            .map(|k| {
                col(
                    k,
                    match *k {
                        // A household number is read whole.
                        "household.number" => 18,
                        _ => 4,
                    },
                )
            })
            .collect();
        let rows: Vec<Vec<String>> = t
            .rows
            .iter()
            .map(|r| shown.iter().filter_map(|&i| r.get(i).cloned()).collect())
            .collect();
        draw_table(area, buf, ui, 2, &cols, &rows, &self.state, "lists.empty");
    }
}
