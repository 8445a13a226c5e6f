//! The one place that builds screens: a screen asks for a [`Route`] and
//! the app opens it through here, so no screen constructs another.

use super::screen::{Env, Msg, Route, Screen};
use super::screens::{
    drafts::DraftsScreen, form::FormScreen, history::HistoryScreen, home::Home,
    household::HouseholdScreen, register::Register, review::ReviewScreen, search::SearchScreen,
    settings::Settings, training, villages::VillagesScreen,
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
    })
}

/// The screen the app starts on.
pub fn home() -> Box<dyn Screen> {
    Box::new(Home::default())
}
