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
    /// Subsidised trainings a person may have a year before a supervisor
    /// must accept another.
    Limit,
    /// Months of work that count as transfer employment.
    Transfer,
}

const FIELDS: [Field; 5] = [
    Field::Operator,
    Field::Lang,
    Field::Role,
    Field::Limit,
    Field::Transfer,
];

/// The yearly training limit's range in the settings.
const LIMITS: std::ops::RangeInclusive<i64> = 1..=12;

#[derive(Debug)]
pub struct Settings {
    focus: usize,
    operator: TextInput,
    /// The language chosen here and not yet saved; `None` follows the app's
    /// (so switching it with F2 or Ctrl-L shows here at once).
    lang: Option<Lang>,
    role: usize,
    limit: i64,
    saved: (String, usize),
    saved_limit: i64,
    transfer: i64,
    saved_transfer: i64,
    /// Who last set the role, and when (local time).
    role_set: Option<(String, String)>,
    /// Waiting for "change the role? y/n".
    confirming_role: bool,
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
        use crate::domain::employment::TRANSFER_MONTHS;
        use crate::store::training::{DEFAULT_LIMIT_PER_YEAR, LIMIT_PER_YEAR};
        let limit = env
            .ok(env.store.setting(LIMIT_PER_YEAR))
            .flatten()
            .and_then(|v| v.trim().parse().ok())
            .filter(|n| LIMITS.contains(n))
            .unwrap_or(DEFAULT_LIMIT_PER_YEAR);
        let transfer = env
            .ok(env.store.transfer_months())
            .unwrap_or(TRANSFER_MONTHS.default);
        Settings {
            transfer,
            saved_transfer: transfer,
            limit,
            saved_limit: limit,
            focus: 0,
            operator: TextInput::new(&operator),
            lang: None,
            role,
            saved: (operator, role),
            role_set: role_set(env),
            confirming_role: false,
            warned: false,
        }
    }

    fn field(&self) -> Field {
        FIELDS[self.focus]
    }

    fn current(&self) -> (String, usize) {
        (self.operator.value().trim().to_owned(), self.role)
    }

    fn cycle(&mut self, forward: bool, app_lang: Lang) {
        match self.field() {
            Field::Lang => {
                let now = self.lang.unwrap_or(app_lang);
                let i = Lang::ALL.iter().position(|l| *l == now).unwrap_or(0);
                let n = Lang::ALL.len();
                let next = Lang::ALL[if forward {
                    (i + 1) % n
                } else {
                    (i + n - 1) % n
                }];
                self.lang = (next != app_lang).then_some(next);
            }
            Field::Role => self.role = (self.role + 1) % ROLES.len(),
            Field::Limit => {
                let step = if forward { 1 } else { -1 };
                self.limit = (self.limit + step).clamp(*LIMITS.start(), *LIMITS.end());
            }
            Field::Transfer => {
                use crate::domain::employment::TRANSFER_MONTHS as T;
                let step = if forward { 1 } else { -1 };
                self.transfer = (self.transfer + step).clamp(T.min, T.max);
            }
            Field::Operator => {}
        }
    }

    fn save(&mut self, env: &mut Env<'_>, role_confirmed: bool) -> Outcome {
        let (operator, role) = self.current();
        let lang = self.lang.unwrap_or(*env.lang);
        if operator.is_empty() {
            self.focus = 0;
            return Outcome::Message(Msg::error("settings.error.operator_empty"));
        }
        if operator.chars().any(char::is_control) || operator.chars().count() > 50 {
            self.focus = 0;
            return Outcome::Message(Msg::error("settings.error.operator_invalid"));
        }
        if role != self.saved.1 && !role_confirmed {
            // Who may approve visits: asked, and recorded with the name.
            self.confirming_role = true;
            return Outcome::None;
        }
        let limit = self.limit;
        let limit_changed = limit != self.saved_limit;
        let result = env
            .store
            .set_setting("operator", &operator)
            .and_then(|()| env.store.set_setting("lang", lang.code()))
            .and_then(|()| env.store.set_setting("role", ROLES[role]))
            .and_then(|()| {
                if limit_changed {
                    env.store
                        .set_setting(crate::store::training::LIMIT_PER_YEAR, &limit.to_string())
                } else {
                    Ok(())
                }
            })
            .and_then(|()| {
                if self.transfer != self.saved_transfer {
                    env.store.set_transfer_months(self.transfer)
                } else {
                    Ok(())
                }
            });
        match result {
            Ok(()) => {
                *env.lang = lang;
                self.lang = None;
                self.operator.set(&operator);
                self.saved = (operator, role);
                self.saved_limit = limit;
                self.saved_transfer = self.transfer;
                self.role_set = role_set(env);
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

/// Who last set the role and when, as the screen says it.
fn role_set(env: &Env<'_>) -> Option<(String, String)> {
    env.ok(env.store.role_set_by())
        .flatten()
        .map(|(who, at)| (who, crate::clock::local_time(&at)))
}

fn label_key(f: Field) -> &'static str {
    match f {
        Field::Operator => "settings.operator",
        Field::Lang => "settings.language",
        Field::Role => "settings.role",
        Field::Limit => "settings.training_limit",
        Field::Transfer => "settings.transfer_months",
    }
}

impl Screen for Settings {
    fn title_key(&self) -> &'static str {
        "settings.title"
    }

    fn contexts(&self) -> Vec<Context> {
        if self.confirming_role {
            return vec![Context::Confirm];
        }
        if self.field() == Field::Operator {
            vec![Context::Text, Context::Settings]
        } else {
            vec![Context::Settings]
        }
    }

    fn update(&mut self, action: Action, env: &mut Env<'_>) -> Outcome {
        if self.confirming_role {
            self.confirming_role = false;
            return match action {
                Action::ConfirmYes => self.save(env, true),
                _ => Outcome::Message(Msg::info("settings.role_not_changed")),
            };
        }
        if action != Action::Back {
            self.warned = false;
        }
        match action {
            Action::NextField => self.focus = (self.focus + 1) % FIELDS.len(),
            Action::PrevField => self.focus = (self.focus + FIELDS.len() - 1) % FIELDS.len(),
            Action::ChoiceNext => self.cycle(true, *env.lang),
            Action::ChoicePrev => self.cycle(false, *env.lang),
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
            Action::Save => return self.save(env, false),
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
                    let v = format!("‹ {} ›", ui.t(lang_key(self.lang.unwrap_or(ui.lang))));
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
                Field::Limit | Field::Transfer => {
                    let n = if *f == Field::Limit {
                        self.limit
                    } else {
                        self.transfer
                    };
                    let v = format!("‹ {n} ›");
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
        // Under the role: who set it and when.
        let role_y = area.y + 2 + 2 * 2;
        if let Some((who, when)) = &self.role_set
            && role_y < area.y + area.height
        {
            let line = ui.catalog.format(
                ui.lang,
                "settings.role_set_by",
                &[("who", who), ("when", when)],
            );
            put(buf, vx, role_y, &line, vw, ui.theme.dim());
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
        if self.confirming_role {
            let role = ui.t(&format!("role.{}", ROLES[self.role]));
            let q = ui
                .catalog
                .format(ui.lang, "settings.confirm_role", &[("role", &role)]);
            crate::tui::widgets::help::confirm_text(area, buf, ui, &q);
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
            || self.lang.is_some()
            || self.limit != self.saved_limit
            || self.transfer != self.saved_transfer
    }
}
