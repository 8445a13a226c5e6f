//! Key bindings as data: the default keymap (`keymap.toml`) compiled in,
//! looked up by context. The help overlay and status-bar hints read the same
//! table, so what is documented is what is bound.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;

use super::action::Action;

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    Global,
    Home,
    Settings,
    Help,
    Confirm,
    /// Editing a text field.
    Text,
    Register,
    Household,
    Form,
    /// A record shown that cannot change.
    View,
    Picker,
    Villages,
    Review,
    Drafts,
    List,
    /// One history entry shown whole.
    HistoryEntry,
    Training,
    Courses,
    Roster,
    Attendance,
    Needs,
    Enrol,
    /// Public-welfare posts: the list, a post, the post types.
    Posts,
    /// A month of posts: attendance, payroll.
    PostMonth,
    /// Reports: a year's figures and charts.
    Reports,
    /// A village's five lists.
    Lists,
    /// A person's work.
    Work,
}

impl Context {
    /// Every context, each named once in the keymap file.
    pub const ALL: [Context; 27] = [
        Context::Global,
        Context::Home,
        Context::Settings,
        Context::Help,
        Context::Confirm,
        Context::Text,
        Context::Register,
        Context::Household,
        Context::Form,
        Context::View,
        Context::Picker,
        Context::Villages,
        Context::Review,
        Context::Drafts,
        Context::List,
        Context::HistoryEntry,
        Context::Training,
        Context::Courses,
        Context::Roster,
        Context::Attendance,
        Context::Needs,
        Context::Enrol,
        Context::Posts,
        Context::PostMonth,
        Context::Reports,
        Context::Lists,
        Context::Work,
    ];

    /// The context a keymap section names, if it exists.
    pub fn from_name(name: &str) -> Option<Context> {
        Context::ALL.into_iter().find(|c| c.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::Home => "home",
            Context::Settings => "settings",
            Context::Help => "help",
            Context::Confirm => "confirm",
            Context::Text => "text",
            Context::Register => "register",
            Context::Household => "household",
            Context::Form => "form",
            Context::View => "view",
            Context::Picker => "picker",
            Context::Villages => "villages",
            Context::Review => "review",
            Context::Drafts => "drafts",
            Context::List => "list",
            Context::HistoryEntry => "history_entry",
            Context::Training => "training",
            Context::Courses => "courses",
            Context::Roster => "roster",
            Context::Attendance => "attendance",
            Context::Needs => "needs",
            Context::Enrol => "enrol",
            Context::Posts => "posts",
            Context::PostMonth => "post_month",
            Context::Reports => "reports",
            Context::Lists => "lists",
            Context::Work => "work",
        }
    }
}

/// One binding: the keys (as written in the keymap) and what they do.
#[derive(Debug, Clone, Deserialize)]
pub struct Binding {
    pub keys: Vec<String>,
    pub action: Action,
    #[serde(default)]
    pub hint: bool,
}

#[derive(Debug, Clone)]
pub struct Keymap {
    contexts: Vec<(String, Vec<Binding>)>,
}

impl Keymap {
    /// The built-in keymap.
    pub fn default_keymap() -> Keymap {
        Keymap::parse(include_str!("keymap.toml")).expect("the built-in keymap is checked by tests")
    }

    pub fn parse(text: &str) -> Result<Keymap, String> {
        let raw: std::collections::BTreeMap<String, Vec<Binding>> =
            toml::from_str(text).map_err(|e| e.to_string())?;
        // A section no screen uses would be dead bindings shown nowhere.
        if let Some(unknown) = raw.keys().find(|name| Context::from_name(name).is_none()) {
            return Err(format!("unknown context '{unknown}'"));
        }
        for bindings in raw.values() {
            for b in bindings {
                for k in &b.keys {
                    parse_key(k).ok_or_else(|| format!("unknown key name '{k}'"))?;
                }
            }
        }
        Ok(Keymap {
            contexts: raw.into_iter().collect(),
        })
    }

    /// The bindings of one context, in file order.
    pub fn bindings(&self, ctx: Context) -> &[Binding] {
        self.contexts
            .iter()
            .find(|(n, _)| n == ctx.name())
            .map(|(_, b)| b.as_slice())
            .unwrap_or(&[])
    }

    /// The action for `key`, trying `contexts` in order, then the global
    /// bindings. While text is edited, printable keys type themselves unless
    /// the text context itself binds them.
    pub fn lookup(&self, contexts: &[Context], key: KeyEvent) -> Option<Action> {
        let editing = contexts.contains(&Context::Text);
        let wanted = Some(normalise(key));
        for ctx in contexts.iter().copied().chain([Context::Global]) {
            if editing && ctx != Context::Text && is_printable(key) {
                continue;
            }
            if let Some(b) = self
                .bindings(ctx)
                .iter()
                .find(|b| b.keys.iter().any(|k| parse_key(k) == wanted))
            {
                return Some(b.action);
            }
        }
        match key.code {
            KeyCode::Char(c) if editing && is_printable(key) => Some(Action::Input(c)),
            _ => None,
        }
    }
}

/// The keys of a binding that work in `contexts`: while text is edited,
/// printable keys type themselves, so other contexts' printable keys are left out.
pub fn usable_keys<'a>(b: &'a Binding, ctx: Context, contexts: &[Context]) -> Vec<&'a str> {
    let editing = contexts.contains(&Context::Text);
    b.keys
        .iter()
        .map(String::as_str)
        .filter(|k| !(editing && ctx != Context::Text && k.chars().count() == 1))
        .collect()
}

fn is_printable(key: KeyEvent) -> bool {
    matches!(key.code, KeyCode::Char(_))
        && !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
}

/// Shift is part of the character itself ('?' not shift-'/'), so it is dropped.
fn normalise(key: KeyEvent) -> (KeyCode, KeyModifiers) {
    let mods = key.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT);
    let code = match key.code {
        KeyCode::Char(c) if mods.contains(KeyModifiers::CONTROL) => {
            KeyCode::Char(c.to_ascii_lowercase())
        }
        other => other,
    };
    (code, mods)
}

/// Parses a key name such as `q`, `ctrl-s`, `f2`, `pagedown`.
pub fn parse_key(name: &str) -> Option<(KeyCode, KeyModifiers)> {
    let mut mods = KeyModifiers::NONE;
    let mut rest = name;
    loop {
        if let Some(r) = rest.strip_prefix("ctrl-") {
            mods |= KeyModifiers::CONTROL;
            rest = r;
        } else if let Some(r) = rest.strip_prefix("alt-") {
            mods |= KeyModifiers::ALT;
            rest = r;
        } else {
            break;
        }
    }
    let code = match rest {
        "enter" => KeyCode::Enter,
        "esc" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "backtab" => KeyCode::BackTab,
        "backspace" => KeyCode::Backspace,
        "delete" => KeyCode::Delete,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "pageup" => KeyCode::PageUp,
        "pagedown" => KeyCode::PageDown,
        f if f.starts_with('f') && f.len() > 1 => {
            KeyCode::F(f[1..].parse().ok().filter(|n| (1..=12).contains(n))?)
        }
        c => {
            let mut chars = c.chars();
            let ch = chars.next()?;
            if chars.next().is_some() {
                return None;
            }
            KeyCode::Char(ch)
        }
    };
    Some((code, mods))
}

/// How a key name is shown in help and hints (`Ctrl-S`, `F2`, `Enter`, `?`).
pub fn display_key(name: &str) -> String {
    name.split('-')
        .map(|part| {
            if part.chars().count() == 1 {
                if part == " " {
                    "Space".to_owned()
                } else {
                    part.to_owned()
                }
            } else if let Some(short) = match part {
                // As the keys are labelled on most keyboards.
                "pageup" => Some("PgUp"),
                "pagedown" => Some("PgDn"),
                "backtab" => Some("Shift-Tab"),
                "backspace" => Some("Backspace"),
                _ => None,
            } {
                short.to_owned()
            } else {
                let mut c = part.chars();
                c.next()
                    .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                    .unwrap_or_default()
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}
