//! A month of posts. The attendance sheet: a village's holders for a
//! month, one line each, days worked typed straight in (digits, Enter or ↓
//! to the next line, Ctrl-S saves the sheet whole), with the subsidy each
//! line will earn and the day the sheet is due. The payroll: a township's
//! entries for a month, prepared from the attendance, then marked paid;
//! and the totals by village, township, post type, department, funding
//! line and year.

use chrono::Datelike;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use uuid::Uuid;

use super::posts::{cat, person};
use crate::domain::codes::PAYMENT_CHANNEL;
use crate::domain::posts::{ATTENDANCE_DUE_DAY, Month};
use crate::domain::records::{Township, Village};
use crate::domain::rules::format_yuan;
use crate::i18n::catalogue_text;
use crate::store::posts::{PayrollLine, SheetLine, TotalsBy, TotalsLine};
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::screen::{Env, Msg, Outcome, Screen, Ui};
use crate::tui::widgets::list::{ListState, Table, col, headings, render_rows_or_empty};
use crate::tui::widgets::status_bar::put;
use crate::tui::widgets::text_input::TextInput;

/// The month before today's: the one whose attendance is being typed.
fn last_month(env: &Env<'_>) -> Month {
    Month::of(env.today).prev()
}

fn month_keys(action: Action, month: &mut Month) -> bool {
    match action {
        Action::PrevMonth => *month = month.prev(),
        Action::NextMonth => *month = month.next(),
        _ => return false,
    }
    true
}

fn township_name(ui: &Ui<'_>, t: Option<&Township>) -> String {
    t.map(|t| {
        format!(
            "{} {}",
            catalogue_text(ui.catalog, &t.name_zh, &t.name_bo, "", ui.lang),
            t.code
        )
    })
    .unwrap_or_default()
}

pub struct PostAttendanceScreen {
    townships: Vec<Township>,
    township: usize,
    villages: Vec<Village>,
    village: usize,
    month: Month,
    due_day: u32,
    lines: Vec<SheetLine>,
    /// The days typed on each line (as text), `None` where untouched.
    typed: Vec<Option<String>>,
    list: ListState,
}

impl PostAttendanceScreen {
    pub fn open(env: &mut Env<'_>) -> PostAttendanceScreen {
        let mut s = PostAttendanceScreen {
            townships: env.or_empty(env.store.townships()),
            township: 0,
            villages: Vec::new(),
            village: 0,
            month: last_month(env),
            due_day: env
                .ok(env.store.post_setting(ATTENDANCE_DUE_DAY))
                .unwrap_or(ATTENDANCE_DUE_DAY.default) as u32,
            lines: Vec::new(),
            typed: Vec::new(),
            list: ListState::default(),
        };
        // Start on the first township that has villages with posts.
        let with_posts = env.or_empty(env.store.village_posts(None, None));
        if let Some(v) = with_posts.iter().find(|v| v.posts > 0)
            && let Some(village) = env.ok(env.store.get::<Village>(v.village_id)).flatten()
        {
            s.township = s
                .townships
                .iter()
                .position(|t| t.meta.id == village.township_id)
                .unwrap_or(0);
        }
        s.load_villages(env);
        if let Some(v) = with_posts.iter().find(|v| v.posts > 0) {
            s.village = s
                .villages
                .iter()
                .position(|x| x.meta.id == v.village_id)
                .unwrap_or(0);
        }
        s.reload(env);
        s
    }

    fn load_villages(&mut self, env: &mut Env<'_>) {
        self.villages = match self.townships.get(self.township) {
            Some(t) => env.or_empty(env.store.villages_of(t.meta.id)),
            None => Vec::new(),
        };
        self.village = 0;
    }

    fn reload(&mut self, env: &mut Env<'_>) {
        self.lines = match self.villages.get(self.village) {
            Some(v) => env.or_empty(env.store.attendance_sheet(v.meta.id, self.month)),
            None => Vec::new(),
        };
        self.typed = vec![None; self.lines.len()];
        self.list.clamp(self.lines.len());
    }

    fn is_dirty_line(&self, i: usize) -> bool {
        self.typed[i].is_some()
    }

    /// The days of line `i` as they stand (typed, else saved).
    fn days_text(&self, i: usize) -> String {
        match &self.typed[i] {
            Some(t) => t.clone(),
            None => self.lines[i]
                .attendance
                .as_ref()
                .map(|a| a.days_worked.to_string())
                .unwrap_or_default(),
        }
    }

    fn save(&mut self, env: &mut Env<'_>) -> Outcome {
        let mut days = Vec::new();
        for (i, line) in self.lines.iter().enumerate() {
            let Some(t) = &self.typed[i] else { continue };
            let t = t.trim();
            let value = if t.is_empty() {
                None
            } else {
                match t.parse::<i64>() {
                    Ok(n) => Some(n),
                    Err(_) => {
                        self.list.selected = i;
                        return Outcome::Message(
                            Msg::error("post_attendance.error.not_a_number").arg("value", t),
                        );
                    }
                }
            };
            days.push((line.assignment.meta.id, value));
        }
        if days.is_empty() {
            return Outcome::Message(Msg::info("post_attendance.nothing_to_save"));
        }
        match env.store.save_attendance(self.month, &days) {
            Ok(n) => {
                self.reload(env);
                Outcome::Message(Msg::info("post_attendance.saved").arg("n", n))
            }
            Err(e) => Outcome::Message(Msg::from_error(&e)),
        }
    }
}

impl Screen for PostAttendanceScreen {
    fn title_key(&self) -> &'static str {
        "post_attendance.title"
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::PostMonth, Context::Text, Context::List]
    }

    fn is_dirty(&self) -> bool {
        self.typed.iter().any(Option::is_some)
    }

    fn update(&mut self, action: Action, env: &mut Env<'_>) -> Outcome {
        let n = self.lines.len();
        if self
            .list
            .apply(action, n, env.body_rows.saturating_sub(4).max(1) as usize)
        {
            return Outcome::None;
        }
        let moved = match action {
            Action::Save => {
                if env.store.is_read_only() {
                    return Outcome::Message(Msg::error("post_attendance.read_only"));
                }
                return self.save(env);
            }
            Action::Input(c) if c.is_ascii_digit() => {
                if env.store.is_read_only() {
                    return Outcome::Message(Msg::error("post_attendance.read_only"));
                }
                if let Some(line) = self.lines.get(self.list.selected) {
                    if line.paid_on.is_some() {
                        return Outcome::Message(Msg::error("post_attendance.paid_line"));
                    }
                    let i = self.list.selected;
                    let mut t = self.typed[i].take().unwrap_or_default();
                    if t.len() < 2 {
                        t.push(c);
                    }
                    self.typed[i] = Some(t);
                }
                return Outcome::None;
            }
            Action::Input(_) => return Outcome::Message(Msg::error("post_attendance.digits_only")),
            Action::DeleteBack | Action::DeleteForward => {
                if let Some(i) = (self.list.selected < n).then_some(self.list.selected) {
                    let mut t = self.days_text(i);
                    t.pop();
                    self.typed[i] = Some(t);
                }
                return Outcome::None;
            }
            Action::Back => return Outcome::Pop,
            other => other,
        };
        if self.is_dirty() && !matches!(moved, Action::Help | Action::SwitchLang) {
            let changes_sheet = matches!(
                moved,
                Action::ChoicePrev
                    | Action::ChoiceNext
                    | Action::FilterTownship
                    | Action::PrevMonth
                    | Action::NextMonth
            );
            if changes_sheet {
                return Outcome::Message(Msg::error("post_attendance.save_first"));
            }
        }
        match moved {
            Action::ChoiceNext | Action::ChoicePrev => {
                let m = self.villages.len().max(1);
                self.village = if moved == Action::ChoiceNext {
                    (self.village + 1) % m
                } else {
                    (self.village + m - 1) % m
                };
            }
            Action::FilterTownship => {
                self.township = (self.township + 1) % self.townships.len().max(1);
                self.load_villages(env);
            }
            a if month_keys(a, &mut self.month) => {}
            _ => return Outcome::None,
        }
        self.list = ListState::default();
        self.reload(env);
        Outcome::None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ui: &Ui<'_>) {
        let w = area.width as usize;
        let village = self
            .villages
            .get(self.village)
            .map(|v| catalogue_text(ui.catalog, &v.name_zh, &v.name_bo, "", ui.lang))
            .unwrap_or_default();
        let due = self.month.next().day(self.due_day);
        let entered = (0..self.lines.len())
            .filter(|&i| !self.days_text(i).is_empty())
            .count();
        let head = format!(
            " {}  ‹ {village} › ({}/{})  {}  {}",
            township_name(ui, self.townships.get(self.township)),
            self.village + 1,
            self.villages.len(),
            ui.label_value("post_attendance.month", &self.month.to_string()),
            ui.catalog.format(
                ui.lang,
                "post_attendance.due",
                &[
                    ("date", &due.to_string()),
                    ("n", &entered.to_string()),
                    ("total", &self.lines.len().to_string()),
                ]
            ),
        );
        put(buf, area.x, area.y, &head, w, ui.theme.title());
        let cols = [
            col("posts.holder", 4),
            col("posts.post", 4),
            col("post_attendance.required", 2),
            col("post_attendance.in_agreement", 2),
            col("post_attendance.days", 2),
            col("post_attendance.subsidy", 6),
            col("post_attendance.paid", 4),
        ];
        let cells: Vec<Vec<String>> = self
            .lines
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let days = self.days_text(i);
                let subsidy = days
                    .parse::<i64>()
                    .ok()
                    .filter(|d| (0..=self.month.days()).contains(d))
                    .map(|d| format_yuan(l.subsidy(d).amount_fen))
                    .unwrap_or_default();
                let mark = if self.is_dirty_line(i) { "*" } else { "" };
                vec![
                    person(ui, &l.person),
                    cat(ui, &l.post),
                    l.required_days.to_string(),
                    l.agreement_days.to_string(),
                    format!("{days}{mark}"),
                    subsidy,
                    l.paid_on.map(|d| d.to_string()).unwrap_or_default(),
                ]
            })
            .collect();
        let table = Table::fit(&cols, ui, w.saturating_sub(1), &cells);
        let n = headings(buf, area.x + 1, area.y + 1, &table, w, ui.theme.dim());
        let rows = Rect {
            y: area.y + 1 + n,
            height: area.height.saturating_sub(1 + n),
            ..area
        };
        render_rows_or_empty(
            rows,
            buf,
            ui,
            &self.list,
            cells.len(),
            "post_attendance.empty",
            |i| (format!(" {}", table.row(cells[i].clone())), Style::new()),
        );
    }
}

pub struct PayrollScreen {
    townships: Vec<Township>,
    township: usize,
    month: Month,
    lines: Vec<PayrollLine>,
    missing: u64,
    /// Totals instead of the lines: grouped by which.
    totals: Option<usize>,
    total_lines: Vec<TotalsLine>,
    channel: usize,
    reference: TextInput,
    list: ListState,
}

impl PayrollScreen {
    pub fn open(env: &mut Env<'_>) -> PayrollScreen {
        let mut s = PayrollScreen {
            townships: env.or_empty(env.store.townships()),
            township: 0,
            month: last_month(env),
            lines: Vec::new(),
            missing: 0,
            totals: None,
            total_lines: Vec::new(),
            channel: 0,
            reference: TextInput::default(),
            list: ListState::default(),
        };
        s.reload(env);
        s
    }

    fn township_id(&self) -> Option<Uuid> {
        self.townships.get(self.township).map(|t| t.meta.id)
    }

    fn reload(&mut self, env: &mut Env<'_>) {
        if let Some(by) = self.totals {
            self.total_lines = env.or_empty(
                env.store
                    .post_totals(TotalsBy::ALL[by], Some(self.month.year())),
            );
            self.list.clamp(self.total_lines.len());
            return;
        }
        let Some(t) = self.township_id() else { return };
        self.lines = env.or_empty(env.store.payroll(Some(t), self.month));
        self.missing = env
            .ok(env.store.missing_attendance(t, self.month))
            .unwrap_or(0);
        self.list.clamp(self.lines.len());
    }
}

const TOTALS_KEYS: [&str; 6] = [
    "payroll.by_township",
    "payroll.by_village",
    "payroll.by_post_type",
    "payroll.by_department",
    "payroll.by_funding",
    "payroll.by_year",
];

impl Screen for PayrollScreen {
    fn title_key(&self) -> &'static str {
        "payroll.title"
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::PostMonth, Context::Text, Context::List]
    }

    fn update(&mut self, action: Action, env: &mut Env<'_>) -> Outcome {
        let len = if self.totals.is_some() {
            self.total_lines.len()
        } else {
            self.lines.len()
        };
        if self
            .list
            .apply(action, len, env.body_rows.saturating_sub(6).max(1) as usize)
        {
            return Outcome::None;
        }
        match action {
            Action::ChoiceNext | Action::ChoicePrev | Action::FilterTownship => {
                let m = self.townships.len().max(1);
                self.township = if action == Action::ChoicePrev {
                    (self.township + m - 1) % m
                } else {
                    (self.township + 1) % m
                };
            }
            Action::CycleSort => {
                self.totals = match self.totals {
                    None => Some(0),
                    Some(i) if i + 1 < TotalsBy::ALL.len() => Some(i + 1),
                    Some(_) => None,
                };
            }
            Action::Toggle => {
                self.channel = (self.channel + 1) % PAYMENT_CHANNEL.codes.len();
                return Outcome::None;
            }
            Action::PreparePayroll => {
                let Some(t) = self.township_id() else {
                    return Outcome::None;
                };
                let out = match env.store.prepare_payroll(t, self.month) {
                    Ok(p) => Msg::info("payroll.prepared")
                        .arg("created", p.created)
                        .arg("updated", p.updated)
                        .arg("paid", p.paid)
                        .arg("missing", p.missing)
                        .arg("total", format_yuan(p.total_fen)),
                    Err(e) => Msg::from_error(&e),
                };
                self.reload(env);
                return Outcome::Message(out);
            }
            Action::MarkPaid => {
                let Some(t) = self.township_id() else {
                    return Outcome::None;
                };
                if self.reference.value().trim().is_empty() {
                    return Outcome::Message(Msg::error("payroll.reference_required"));
                }
                let via = PAYMENT_CHANNEL.codes[self.channel];
                let out = match env.store.mark_paid(
                    t,
                    self.month,
                    None,
                    env.today,
                    via,
                    self.reference.value(),
                ) {
                    Ok(n) => Msg::info("payroll.marked").arg("n", n),
                    Err(e) => Msg::from_error(&e),
                };
                self.reload(env);
                return Outcome::Message(out);
            }
            Action::Back => return Outcome::Pop,
            a if month_keys(a, &mut self.month) => {}
            other => {
                if let crate::tui::widgets::text_input::Edit::Wylie(m) = self.reference.apply(other)
                {
                    return Outcome::Message(m);
                }
                return Outcome::None;
            }
        }
        self.list = ListState::default();
        self.reload(env);
        Outcome::None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ui: &Ui<'_>) {
        let w = area.width as usize;
        let mut head = format!(
            " {}  ",
            ui.label_value("post_attendance.month", &self.month.to_string())
        );
        if let Some(by) = self.totals {
            head.push_str(&ui.catalog.format(
                ui.lang,
                "payroll.totals_of",
                &[
                    ("year", &self.month.first.year().to_string()),
                    ("by", &ui.t(TOTALS_KEYS[by])),
                ],
            ));
        } else {
            head.push_str(&format!(
                "‹ {} ›",
                township_name(ui, self.townships.get(self.township))
            ));
        }
        put(buf, area.x, area.y, &head, w, ui.theme.title());
        let (cols, cells, foot): (Vec<_>, Vec<Vec<String>>, String) = match self.totals {
            Some(by) => {
                let cells = self
                    .total_lines
                    .iter()
                    .map(|t| {
                        let name = match TotalsBy::ALL[by] {
                            TotalsBy::Department => ui.code("department", &t.key),
                            TotalsBy::Year => t.key.clone(),
                            _ => cat(ui, &t.names),
                        };
                        vec![
                            name,
                            t.posts.to_string(),
                            t.persons.to_string(),
                            format_yuan(t.amount_fen),
                            format_yuan(t.paid_fen),
                        ]
                    })
                    .collect();
                let sum: i64 = self.total_lines.iter().map(|t| t.amount_fen).sum();
                (
                    vec![
                        col(TOTALS_KEYS[by], 4),
                        col("posts.posts", 2),
                        col("payroll.persons", 2),
                        col("payroll.amount", 6),
                        col("payroll.paid_amount", 6),
                    ],
                    cells,
                    ui.label_value("payroll.total", &format_yuan(sum)),
                )
            }
            None => {
                let cells = self
                    .lines
                    .iter()
                    .enumerate()
                    .map(|(i, l)| {
                        vec![
                            (i + 1).to_string(),
                            person(ui, &l.person),
                            cat(ui, &l.village),
                            cat(ui, &l.post),
                            l.payment.required_days.to_string(),
                            l.payment.days_worked.to_string(),
                            format_yuan(l.payment.amount_fen),
                            l.payment.paid_on.map(|d| d.to_string()).unwrap_or_default(),
                        ]
                    })
                    .collect();
                let sum: i64 = self.lines.iter().map(|l| l.payment.amount_fen).sum();
                let unpaid = self
                    .lines
                    .iter()
                    .filter(|l| l.payment.paid_on.is_none())
                    .count();
                let foot = format!(
                    "{}  {}",
                    ui.label_value("payroll.total", &format_yuan(sum)),
                    ui.catalog.format(
                        ui.lang,
                        "payroll.status",
                        &[
                            ("unpaid", &unpaid.to_string()),
                            ("missing", &self.missing.to_string())
                        ]
                    )
                );
                (
                    vec![
                        col("payroll.number", 2),
                        col("posts.holder", 4),
                        col("posts.village", 4),
                        col("posts.post", 4),
                        col("post_attendance.required", 2),
                        col("post_attendance.days", 2),
                        col("payroll.amount", 6),
                        col("payroll.paid_on", 10),
                    ],
                    cells,
                    foot,
                )
            }
        };
        let table = Table::fit(&cols, ui, w.saturating_sub(1), &cells);
        let n = headings(buf, area.x + 1, area.y + 1, &table, w, ui.theme.dim());
        let rows = Rect {
            y: area.y + 1 + n,
            height: area.height.saturating_sub(3 + n),
            ..area
        };
        render_rows_or_empty(
            rows,
            buf,
            ui,
            &self.list,
            cells.len(),
            "payroll.empty",
            |i| (format!(" {}", table.row(cells[i].clone())), Style::new()),
        );
        let bottom = area.y + area.height;
        if area.height >= 4 {
            put(
                buf,
                area.x + 1,
                bottom - 2,
                &foot,
                w.saturating_sub(2),
                ui.theme.title(),
            );
            let pay = format!(
                "{}  {} {}",
                ui.label_value(
                    "payroll.channel",
                    &ui.code("payment_channel", PAYMENT_CHANNEL.codes[self.channel])
                ),
                ui.t("payroll.reference"),
                self.reference.value()
            );
            put(
                buf,
                area.x + 1,
                bottom - 1,
                &pay,
                w.saturating_sub(2),
                Style::new(),
            );
        }
    }
}

/// The settings of the posts area: required days, the oldest new holder,
/// the attendance's due day, the village standard. Each typed as digits
/// and saved with Ctrl-S (recorded in the audit log with who set it).
pub struct PostSettingsScreen {
    values: Vec<String>,
    list: ListState,
}

const SETTING_KEYS: [&str; 4] = [
    "post_settings.required_days",
    "post_settings.max_new_holder_age",
    "post_settings.attendance_due_day",
    "post_settings.village_standard",
];

impl PostSettingsScreen {
    pub fn open(env: &mut Env<'_>) -> PostSettingsScreen {
        let values = crate::domain::posts::SETTINGS
            .iter()
            .map(|s| {
                env.ok(env.store.post_setting(*s))
                    .unwrap_or(s.default)
                    .to_string()
            })
            .collect();
        PostSettingsScreen {
            values,
            list: ListState::default(),
        }
    }
}

impl Screen for PostSettingsScreen {
    fn title_key(&self) -> &'static str {
        "post_settings.title"
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::PostMonth, Context::Text, Context::List]
    }

    fn update(&mut self, action: Action, env: &mut Env<'_>) -> Outcome {
        if self.list.apply(action, self.values.len(), 4) {
            return Outcome::None;
        }
        let i = self.list.selected;
        match action {
            // Three digits at most: the largest setting is 100.
            Action::Input(c) if c.is_ascii_digit() && self.values[i].len() < 3 => {
                self.values[i].push(c);
            }
            Action::Input(c) if c.is_ascii_digit() => {}
            Action::Input(_) => return Outcome::Message(Msg::error("post_attendance.digits_only")),
            Action::DeleteBack | Action::DeleteForward => {
                self.values[i].pop();
            }
            Action::Save => {
                for (i, s) in crate::domain::posts::SETTINGS.iter().enumerate() {
                    let v = self.values[i].parse::<i64>().unwrap_or(-1);
                    if let Err(e) = env.store.set_post_setting(*s, v) {
                        self.list.selected = i;
                        return Outcome::Message(Msg::from_error(&e));
                    }
                }
                return Outcome::PopWith(Msg::info("post_settings.saved"));
            }
            Action::Back => return Outcome::Pop,
            _ => {}
        }
        Outcome::None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ui: &Ui<'_>) {
        let cols = [
            col("post_settings.setting", 10),
            col("post_settings.value", 4),
            col("post_settings.range", 6),
        ];
        let cells: Vec<Vec<String>> = crate::domain::posts::SETTINGS
            .iter()
            .zip(SETTING_KEYS)
            .zip(&self.values)
            .map(|((s, key), v)| vec![ui.t(key), v.clone(), format!("{}–{}", s.min, s.max)])
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
