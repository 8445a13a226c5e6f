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
        action: Action::OpenReview,
        title_key: "review.title",
        about_key: "home.review_about",
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
}

impl Home {
    fn open(&self, action: Action) -> Outcome {
        Outcome::Open(match action {
            Action::OpenSettings => Route::Settings,
            Action::OpenHouseholds => Route::Register,
            Action::OpenReview => Route::Review,
            Action::OpenVillages => Route::Villages,
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
        put(
            buf,
            area.x + 2,
            area.y + 1,
            &ui.t("home.welcome"),
            w,
            Style::new(),
        );
        for (i, a) in AREAS.iter().enumerate() {
            let y = area.y + 3 + 2 * i as u16;
            if y + 1 >= area.y + area.height {
                break;
            }
            let key = ui
                .keymap
                .bindings(Context::Home)
                .iter()
                .chain(ui.keymap.bindings(Context::Global))
                .find(|b| b.action == a.action)
                .map(|b| display_key(&b.keys[0]))
                .unwrap_or_default();
            let style = if i == self.selected {
                ui.theme.selected()
            } else {
                Style::new()
            };
            let line = format!(" [{key}] {} ", ui.t(a.title_key));
            put(buf, area.x + 2, y, &line, w, style);
            put(
                buf,
                area.x + 6,
                y + 1,
                &ui.t(a.about_key),
                w.saturating_sub(4),
                ui.theme.dim(),
            );
        }
    }
}
