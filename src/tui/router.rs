//! The one place that builds screens: a screen asks for a [`Route`] and
//! the app opens it through here, so no screen constructs another.

use super::screen::{Env, Msg, Route, Screen};
use super::screens::{
    drafts::DraftsScreen, form::FormScreen, history::HistoryScreen, home::Home,
    household::HouseholdScreen, register::Register, reports, review::ReviewScreen,
    search::SearchScreen, settings::Settings, training, villages::VillagesScreen, work::WorkScreen,
};
use super::screens::{
    post_month::{PayrollScreen, PostAttendanceScreen, PostSettingsScreen},
    posts::{AssignScreen, EndScreen, PostScreen, PostTypesScreen, PostsScreen},
};

/// The screen of `route`, or the message saying why it cannot open.
pub fn build(route: Route, env: &mut Env<'_>) -> Result<Box<dyn Screen>, Msg> {
    Ok(match route {
        Route::Settings => Box::new(Settings::load(env)),
        Route::Register => Box::new(Register::open(env)),
        Route::Review => Box::new(ReviewScreen::open(env)),
        Route::Villages => Box::new(VillagesScreen::open(env)),
        Route::Drafts => Box::new(DraftsScreen::open(env)),
        Route::Search => Box::new(SearchScreen::open()),
        Route::Household(id) => Box::new(HouseholdScreen::open(id, env)),
        Route::Form(target) => Box::new(FormScreen::open(target, env, None)?),
        Route::Draft(d) => Box::new(FormScreen::open(d.target, env, Some(*d))?),
        Route::History(target) => Box::new(HistoryScreen::open(target, env)),
        Route::Training => Box::new(training::SessionsScreen::open(env)),
        Route::Courses => Box::new(training::CoursesScreen::open(env)),
        Route::Roster(id) => Box::new(training::RosterScreen::open(id, env)?),
        Route::Attendance(id) => Box::new(training::AttendanceScreen::open(id, env)?),
        Route::Needs => Box::new(training::NeedsScreen::open(env)),
        Route::Waiting { course, township } => {
            Box::new(training::WaitingScreen::open(course, township, env))
        }
        Route::Enrol(id) => Box::new(SearchScreen::enrolling(id, env)?),
        Route::Posts => Box::new(PostsScreen::open(env)),
        Route::Post(id) => Box::new(PostScreen::open(id, env)),
        Route::PostTypes => Box::new(PostTypesScreen::open(env)),
        Route::Assign(post) => Box::new(AssignScreen::open(post, env)),
        Route::EndAssignment(id) => Box::new(EndScreen::open(id, env)),
        Route::PostAttendance => Box::new(PostAttendanceScreen::open(env)),
        Route::Payroll => Box::new(PayrollScreen::open(env)),
        Route::PostSettings => Box::new(PostSettingsScreen::open(env)),
        Route::Reports => Box::new(reports::ReportsScreen::open(env)),
        Route::ReportDrill(ask) => Box::new(reports::DrillScreen::open(*ask, env)),
        Route::Lists(township) => Box::new(reports::ListsScreen::open(township, env)),
        Route::VillageLists(id) => Box::new(reports::ListsScreen::of_village(id, env)),
        Route::Work(id) => Box::new(WorkScreen::open(id, env)),
        Route::WorkSearch => Box::new(SearchScreen::for_work()),
        Route::ProjectWorkers(id) => Box::new(SearchScreen::adding_workers(id, env)?),
    })
}

/// The screen the app starts on.
pub fn home() -> Box<dyn Screen> {
    Box::new(Home::default())
}
