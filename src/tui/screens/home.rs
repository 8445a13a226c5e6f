//! Home: the work areas, each one key away. Only areas that are built are
//! listed; an area appears here in the same change that builds it.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use crate::tui::action::Action;
use crate::tui::keymap::{Context, display_key};
use crate::tui::screen::{Env, Outcome, Route, Screen, Ui};
use crate::tui::widgets::status_bar::put;

/// A work area on the home screen.
struct Area {
    /// The home-screen action that opens it (its key comes from the keymap).
    action: Action,
    title_key: &'static str,
    about_key: &'static str,
}

const AREAS: &[Area] = &[
    Area {
        action: Action::OpenHouseholds,
        title_key: "register.title",
        about_key: "home.register_about",
    },
    Area {
        action: Action::Search,
        title_key: "search.title",
        about_key: "home.search_about",
    },
    Area {
        action: Action::OpenTraining,
        title_key: "training.title",
        about_key: "home.training_about",
    },
    Area {
        action: Action::OpenReview,
        title_key: "review.title",
        about_key: "home.review_about",
    },
    Area {
        action: Action::OpenPosts,
        title_key: "posts.title",
        about_key: "home.posts_about",
    },
    Area {
        action: Action::OpenWork,
        title_key: "work.title",
        about_key: "home.work_about",
    },
    Area {
        action: Action::OpenReports,
        title_key: "report.title",
        about_key: "home.reports_about",
    },
    Area {
        action: Action::OpenVillages,
        title_key: "villages.title",
        about_key: "home.villages_about",
    },
    Area {
        action: Action::OpenDrafts,
        title_key: "drafts.title",
        about_key: "home.drafts_about",
    },
    Area {
        action: Action::OpenSettings,
        title_key: "settings.title",
        about_key: "home.settings_about",
    },
];

#[derive(Debug, Default)]
pub struct Home {
    selected: usize,
    /// The first steps on a new database, and which are done.
    steps: Steps,
}

/// What a new database needs before households can be registered.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Steps {
    pub operator: bool,
    pub villages: bool,
    pub households: bool,
}

impl Steps {
    pub fn of(env: &Env<'_>) -> Steps {
        use crate::domain::records::{Household, Village};
        Steps {
            operator: !env.store.operator().is_empty(),
            villages: env.ok(env.store.any::<Village>()).unwrap_or(true),
            households: env.ok(env.store.any::<Household>()).unwrap_or(true),
        }
    }

    fn all_done(self) -> bool {
        self.operator && self.villages && self.households
    }

    /// Each step's text and whether it is done, in order.
    fn list(self) -> [(&'static str, bool); 3] {
        [
            ("home.step_operator", self.operator),
            ("home.step_villages", self.villages),
            ("home.step_households", self.households),
        ]
    }
}

impl Home {
    /// The key that opens `a`, as the keymap binds it.
    fn key_of(&self, ui: &Ui<'_>, a: &Area) -> String {
        ui.keymap
            .bindings(Context::Home)
            .iter()
            .chain(ui.keymap.bindings(Context::Global))
            .find(|b| b.action == a.action)
            .map(|b| display_key(&b.keys[0]))
            .unwrap_or_default()
    }

    fn open(&self, action: Action) -> Outcome {
        Outcome::Open(match action {
            Action::OpenSettings => Route::Settings,
            Action::OpenHouseholds => Route::Register,
            Action::OpenReview => Route::Review,
            Action::OpenVillages => Route::Villages,
            Action::OpenTraining => Route::Training,
            Action::OpenPosts => Route::Posts,
            Action::OpenWork => Route::WorkSearch,
            Action::OpenReports => Route::Reports,
            Action::OpenDrafts => Route::Drafts,
            Action::Search => Route::Search,
            _ => return Outcome::None,
        })
    }
}

impl Screen for Home {
    fn title_key(&self) -> &'static str {
        "home.title"
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::Home]
    }

    fn resume(&mut self, env: &mut Env<'_>) -> Option<crate::tui::screen::Msg> {
        self.steps = Steps::of(env);
        None
    }

    fn update(&mut self, action: Action, _env: &mut Env<'_>) -> Outcome {
        match action {
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(AREAS.len() - 1),
            Action::Open => return self.open(AREAS[self.selected].action),
            other if AREAS.iter().any(|a| a.action == other) => return self.open(other),
            _ => {}
        }
        Outcome::None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ui: &Ui<'_>) {
        let w = area.width.saturating_sub(4) as usize;
        let bottom = area.y + area.height;
        let mut y = area.y;
        // A new database: what to do first, each step ticked when done.
        let steps = (!self.steps.all_done()).then_some(self.steps);
        let step_rows = if steps.is_some() { 4 } else { 0 };
        // Two lines an area where there is room, else one, so every area
        // stays visible down to the smallest window.
        let n = AREAS.len() as u16;
        let roomy = area.height >= 3 + 2 * n + step_rows;
        if roomy {
            put(
                buf,
                area.x + 2,
                area.y + 1,
                &ui.t("home.welcome"),
                w,
                Style::new(),
            );
            y += 3;
        }
        // In the smallest window the steps go without their heading, so
        // every area still has its line.
        let heading = area.height >= n + step_rows;
        if let Some(steps) = steps {
            if heading {
                put(
                    buf,
                    area.x + 2,
                    y,
                    &ui.t("home.first_steps"),
                    w,
                    ui.theme.title(),
                );
                y += 1;
            }
            for (i, (key, done)) in steps.list().into_iter().enumerate() {
                let mark = if done { "✓" } else { "·" };
                let line = format!("{mark} {}. {}", i + 1, ui.t(key));
                let style = if done { ui.theme.dim() } else { ui.theme.key() };
                put(buf, area.x + 4, y, &line, w.saturating_sub(2), style);
                y += 1;
            }
        }
        let per = if roomy { 2 } else { 1 };
        // Too short for one area a line: two columns of titles.
        if !roomy && y + n > bottom {
            let half = w / 2;
            let rows = AREAS.len().div_ceil(2);
            for (i, a) in AREAS.iter().enumerate() {
                let (col, row) = (i / rows, (i % rows) as u16);
                if y + row >= bottom {
                    continue;
                }
                let style = if i == self.selected {
                    ui.theme.selected()
                } else {
                    Style::new()
                };
                let title = format!(" [{}] {} ", self.key_of(ui, a), ui.t(a.title_key));
                put(
                    buf,
                    area.x + 2 + (col * half) as u16,
                    y + row,
                    &title,
                    half.saturating_sub(1),
                    style,
                );
            }
            return;
        }
        for (i, a) in AREAS.iter().enumerate() {
            if y >= bottom {
                break;
            }
            let key = self.key_of(ui, a);
            let style = if i == self.selected {
                ui.theme.selected()
            } else {
                Style::new()
            };
            let title = format!(" [{key}] {} ", ui.t(a.title_key));
            let tw = crate::text::width(&title);
            put(buf, area.x + 2, y, &title, w, style);
            if per == 2 && y + 1 < bottom {
                put(
                    buf,
                    area.x + 6,
                    y + 1,
                    &ui.t(a.about_key),
                    w.saturating_sub(4),
                    ui.theme.dim(),
                );
            } else if w > tw + 1 {
                // One line: the description after the title, as room allows.
                put(
                    buf,
                    area.x + 2 + tw as u16 + 1,
                    y,
                    &ui.t(a.about_key),
                    w - tw - 1,
                    ui.theme.dim(),
                );
            }
            y += per;
        }
    }
}
