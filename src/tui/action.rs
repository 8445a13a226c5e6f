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
    PageUp,
    PageDown,
    First,
    Last,
    OpenHouseholds,
    OpenVillages,
    OpenReview,
    OpenDrafts,
    NewRecord,
    Edit,
    NewVisit,
    History,
    Submit,
    Approve,
    Return,
    Discard,
    FilterTownship,
    FilterVillage,
    FilterPoor,
    FilterNotVisited,
    CycleSort,
    AddRow,
    RemoveRow,
    MoveRowUp,
    MoveRowDown,
    Toggle,
    AcceptWarnings,
    Choose,
    ToggleWylie,
    Search,
    OpenTraining,
    OpenCourses,
    OpenNeeds,
    FilterCourse,
    FilterYear,
    FilterStatus,
    Enrol,
    Attendance,
    MarkPresent,
    MarkAbsent,
    NextDay,
    PrevDay,
    OpenPosts,
    OpenPostTypes,
    FilterType,
    FilterDepartment,
    FilterFunding,
    FilterVacant,
    VillageCheck,
    Assign,
    EndAssignment,
    OpenAttendance,
    OpenPayroll,
    PrevMonth,
    NextMonth,
    PreparePayroll,
    MarkPaid,
    OpenReports,
    OpenLists,
    PrevYear,
    NextYear,
    NextPage,
    PrevPage,
    NextMetric,
    OpenWork,
    AddWorkers,
    /// A printable character typed into a text field (not in the keymap).
    #[serde(skip)]
    Input(char),
}

impl Action {
    /// Whether the action changes records (or starts a new one): on a
    /// database open read-only these are neither offered nor taken.
    pub fn changes(self) -> bool {
        matches!(
            self,
            Action::NewRecord
                | Action::NewVisit
                | Action::Submit
                | Action::Approve
                | Action::Return
                | Action::Discard
                | Action::Save
                | Action::AddRow
                | Action::RemoveRow
                | Action::MoveRowUp
                | Action::MoveRowDown
                | Action::AcceptWarnings
                | Action::Enrol
                | Action::MarkPresent
                | Action::MarkAbsent
                | Action::Assign
                | Action::EndAssignment
                | Action::PreparePayroll
                | Action::MarkPaid
                | Action::AddWorkers
        )
    }

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
            Action::PageUp => "page_up",
            Action::PageDown => "page_down",
            Action::First => "first",
            Action::Last => "last",
            Action::OpenHouseholds => "open_households",
            Action::OpenVillages => "open_villages",
            Action::OpenReview => "open_review",
            Action::OpenDrafts => "open_drafts",
            Action::NewRecord => "new_record",
            Action::Edit => "edit",
            Action::NewVisit => "new_visit",
            Action::History => "history",
            Action::Submit => "submit",
            Action::Approve => "approve",
            Action::Return => "return",
            Action::Discard => "discard",
            Action::FilterTownship => "filter_township",
            Action::FilterVillage => "filter_village",
            Action::FilterPoor => "filter_poor",
            Action::FilterNotVisited => "filter_not_visited",
            Action::CycleSort => "cycle_sort",
            Action::AddRow => "add_row",
            Action::RemoveRow => "remove_row",
            Action::MoveRowUp => "move_row_up",
            Action::MoveRowDown => "move_row_down",
            Action::Toggle => "toggle",
            Action::AcceptWarnings => "accept_warnings",
            Action::Choose => "choose",
            Action::ToggleWylie => "toggle_wylie",
            Action::Search => "search",
            Action::OpenTraining => "open_training",
            Action::OpenCourses => "open_courses",
            Action::OpenNeeds => "open_needs",
            Action::FilterCourse => "filter_course",
            Action::FilterYear => "filter_year",
            Action::FilterStatus => "filter_status",
            Action::Enrol => "enrol",
            Action::Attendance => "attendance",
            Action::MarkPresent => "mark_present",
            Action::MarkAbsent => "mark_absent",
            Action::NextDay => "next_day",
            Action::PrevDay => "prev_day",
            Action::OpenPosts => "open_posts",
            Action::OpenPostTypes => "open_post_types",
            Action::FilterType => "filter_type",
            Action::FilterDepartment => "filter_department",
            Action::FilterFunding => "filter_funding",
            Action::FilterVacant => "filter_vacant",
            Action::VillageCheck => "village_check",
            Action::Assign => "assign",
            Action::EndAssignment => "end_assignment",
            Action::OpenAttendance => "open_attendance",
            Action::OpenPayroll => "open_payroll",
            Action::PrevMonth => "prev_month",
            Action::NextMonth => "next_month",
            Action::PreparePayroll => "prepare_payroll",
            Action::MarkPaid => "mark_paid",
            Action::OpenReports => "open_reports",
            Action::OpenLists => "open_lists",
            Action::PrevYear => "prev_year",
            Action::NextYear => "next_year",
            Action::NextPage => "next_page",
            Action::PrevPage => "prev_page",
            Action::NextMetric => "next_metric",
            Action::OpenWork => "open_work",
            Action::AddWorkers => "add_workers",
            Action::Input(_) => "input",
        }
    }

    pub fn description_key(self) -> String {
        format!("action.{}", self.name())
    }
}
