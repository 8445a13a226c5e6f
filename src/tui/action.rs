//! Everything a key can ask for. Keys reach screens only as actions, through
//! the keymap, so bindings are data and tests can drive screens by action.

use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Help,
    Back,
    SwitchLang,
    Quit,
    QuitNow,
    Up,
    Down,
    Open,
    OpenSettings,
    NextField,
    PrevField,
    ChoicePrev,
    ChoiceNext,
    Save,
    ConfirmYes,
    ConfirmNo,
    CursorLeft,
    CursorRight,
    CursorHome,
    CursorEnd,
    DeleteBack,
    DeleteForward,
    /// A printable character typed into a text field (not in the keymap).
    #[serde(skip)]
    Input(char),
}

impl Action {
    /// The snake_case name, as in the keymap; the locale key of its
    /// description is `action.<name>`.
    pub fn name(self) -> &'static str {
        match self {
            Action::Help => "help",
            Action::Back => "back",
            Action::SwitchLang => "switch_lang",
            Action::Quit => "quit",
            Action::QuitNow => "quit_now",
            Action::Up => "up",
            Action::Down => "down",
            Action::Open => "open",
            Action::OpenSettings => "open_settings",
            Action::NextField => "next_field",
            Action::PrevField => "prev_field",
            Action::ChoicePrev => "choice_prev",
            Action::ChoiceNext => "choice_next",
            Action::Save => "save",
            Action::ConfirmYes => "confirm_yes",
            Action::ConfirmNo => "confirm_no",
            Action::CursorLeft => "cursor_left",
            Action::CursorRight => "cursor_right",
            Action::CursorHome => "cursor_home",
            Action::CursorEnd => "cursor_end",
            Action::DeleteBack => "delete_back",
            Action::DeleteForward => "delete_forward",
            Action::Input(_) => "input",
        }
    }

    pub fn description_key(self) -> String {
        format!("action.{}", self.name())
    }
}
