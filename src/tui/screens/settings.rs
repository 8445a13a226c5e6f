//! Settings: operator name, language and role, saved in the database so
//! they hold for this installation.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;

use crate::i18n::Lang;
use crate::text;
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::screen::{Env, Msg, Outcome, Screen, Ui, lang_key};
use crate::tui::widgets::status_bar::put;
use crate::tui::widgets::text_input::{Edit, TextInput};

/// Roles: a supervisor may approve or return submitted visits.
pub const ROLES: [&str; 2] = ["surveyor", "supervisor"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Operator,
    Lang,
    Role,
}

const FIELDS: [Field; 3] = [Field::Operator, Field::Lang, Field::Role];

#[derive(Debug)]
pub struct Settings {
    focus: usize,
    operator: TextInput,
    lang: Lang,
    role: usize,
    saved: (String, Lang, usize),
    /// Esc was pressed once with unsaved changes; a second Esc discards them.
    warned: bool,
}

impl Settings {
    pub fn load(env: &Env<'_>) -> Settings {
        let operator = env
            .ok(env.store.setting("operator"))
            .flatten()
            .unwrap_or_default();
        let role = env
            .ok(env.store.setting("role"))
            .flatten()
            .unwrap_or_default();
        let role = ROLES.iter().position(|r| *r == role).unwrap_or(0);
        let lang = *env.lang;
        Settings {
            focus: 0,
            operator: TextInput::new(&operator),
            lang,
            role,
            saved: (operator, lang, role),
            warned: false,
        }
    }

    fn field(&self) -> Field {
        FIELDS[self.focus]
    }

    fn current(&self) -> (String, Lang, usize) {
        (
            self.operator.value().trim().to_owned(),
            self.lang,
            self.role,
        )
    }

    fn cycle(&mut self, forward: bool) {
        match self.field() {
            Field::Lang => {
                let i = Lang::ALL.iter().position(|l| *l == self.lang).unwrap_or(0);
                let n = Lang::ALL.len();
                self.lang = Lang::ALL[if forward {
                    (i + 1) % n
                } else {
                    (i + n - 1) % n
                }];
            }
            Field::Role => self.role = (self.role + 1) % ROLES.len(),
            Field::Operator => {}
        }
    }

    fn save(&mut self, env: &mut Env<'_>) -> Outcome {
        let (operator, lang, role) = self.current();
        if operator.is_empty() {
            self.focus = 0;
            return Outcome::Message(Msg::error("settings.error.operator_empty"));
        }
        if operator.chars().any(char::is_control) || operator.chars().count() > 50 {
            self.focus = 0;
            return Outcome::Message(Msg::error("settings.error.operator_invalid"));
        }
        let result = env
            .store
            .set_setting("operator", &operator)
            .and_then(|()| env.store.set_setting("lang", lang.code()))
            .and_then(|()| env.store.set_setting("role", ROLES[role]));
        match result {
            Ok(()) => {
                *env.lang = lang;
                self.operator.set(&operator);
                self.saved = (operator, lang, role);
                self.warned = false;
                Outcome::Message(Msg::info("settings.saved"))
            }
            Err(e) => Outcome::Message(Msg::from_error(&e)),
        }
    }

    /// Cells for the label column: the widest label, within reason.
    fn label_width(&self, ui: &Ui<'_>) -> usize {
        FIELDS
            .iter()
            .map(|f| text::width(&ui.t(label_key(*f))))
            .max()
            .unwrap_or(0)
            .min(28)
    }
}

fn label_key(f: Field) -> &'static str {
    match f {
        Field::Operator => "settings.operator",
        Field::Lang => "settings.language",
        Field::Role => "settings.role",
    }
}

impl Screen for Settings {
    fn title_key(&self) -> &'static str {
        "settings.title"
    }

    fn contexts(&self) -> Vec<Context> {
        if self.field() == Field::Operator {
            vec![Context::Text, Context::Settings]
        } else {
            vec![Context::Settings]
        }
    }

    fn update(&mut self, action: Action, env: &mut Env<'_>) -> Outcome {
        if action != Action::Back {
            self.warned = false;
        }
        match action {
            Action::NextField => self.focus = (self.focus + 1) % FIELDS.len(),
            Action::PrevField => self.focus = (self.focus + FIELDS.len() - 1) % FIELDS.len(),
            Action::ChoiceNext => self.cycle(true),
            Action::ChoicePrev => self.cycle(false),
            Action::Input(_)
            | Action::CursorLeft
            | Action::CursorRight
            | Action::CursorHome
            | Action::CursorEnd
            | Action::DeleteBack
            | Action::DeleteForward
            | Action::ToggleWylie => {
                if let Edit::Wylie(m) = self.operator.apply(action) {
                    return Outcome::Message(m);
                }
            }
            Action::Save => return self.save(env),
            Action::Back => {
                if self.is_dirty() && !self.warned {
                    self.warned = true;
                    return Outcome::Message(Msg::error("msg.unsaved_back"));
                }
                return Outcome::Pop;
            }
            _ => {}
        }
        Outcome::None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ui: &Ui<'_>) {
        let lw = self.label_width(ui);
        let vx = area.x + 2 + lw as u16 + 2;
        let vw = area.width.saturating_sub(lw as u16 + 6) as usize;
        for (i, f) in FIELDS.iter().enumerate() {
            let y = area.y + 1 + 2 * i as u16;
            if y >= area.y + area.height {
                break;
            }
            let focused = i == self.focus;
            let label_style = if focused {
                ui.theme.title()
            } else {
                Style::new()
            };
            put(
                buf,
                area.x + 2,
                y,
                &ui.fit(label_key(*f), lw),
                lw,
                label_style,
            );
            let value_style = if focused {
                ui.theme.field_focus()
            } else {
                Style::new()
            };
            match f {
                Field::Operator => {
                    let (shown, _) = self.operator.visible(vw.min(32));
                    let shown = text::pad_right(&shown, vw.min(32));
                    put(buf, vx, y, &shown, vw, value_style);
                }
                Field::Lang => {
                    let v = format!("‹ {} ›", ui.t(lang_key(self.lang)));
                    put(
                        buf,
                        vx,
                        y,
                        &v,
                        vw,
                        if focused {
                            ui.theme.selected()
                        } else {
                            value_style
                        },
                    );
                }
                Field::Role => {
                    let v = format!("‹ {} ›", ui.t(&format!("role.{}", ROLES[self.role])));
                    put(
                        buf,
                        vx,
                        y,
                        &v,
                        vw,
                        if focused {
                            ui.theme.selected()
                        } else {
                            value_style
                        },
                    );
                }
            }
        }
        let y = area.y + 1 + 2 * FIELDS.len() as u16;
        if y < area.y + area.height {
            put(
                buf,
                area.x + 2,
                y,
                &ui.t("settings.about"),
                area.width.saturating_sub(4) as usize,
                ui.theme.dim(),
            );
        }
    }

    fn cursor(&self, area: Rect, ui: &Ui<'_>) -> Option<Position> {
        if self.field() != Field::Operator {
            return None;
        }
        let lw = self.label_width(ui);
        let vw = area.width.saturating_sub(lw as u16 + 6) as usize;
        let (_, col) = self.operator.visible(vw.min(32));
        Some(Position {
            x: area.x + 2 + lw as u16 + 2 + col as u16,
            y: area.y + 1,
        })
    }

    fn is_dirty(&self) -> bool {
        self.current() != self.saved
    }
}
