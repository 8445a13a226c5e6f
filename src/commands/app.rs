//! `fieldbook` with no subcommand: open the app on the database.

use std::process::ExitCode;

use super::Ctx;
use crate::tui::{self, RunError};

pub fn run(ctx: &Ctx) -> ExitCode {
    let store = match ctx.open() {
        Ok(s) => s,
        Err(e) => {
            ctx.report(&e);
            return ExitCode::FAILURE;
        }
    };
    let lang = tui::start_lang(&store, ctx.lang_arg);
    let path = store.path().display().to_string();
    match tui::run(store, ctx.catalog.clone(), lang) {
        Ok(()) => ExitCode::SUCCESS,
        Err(RunError::NotATerminal) => {
            eprintln!(
                "fieldbook: {}",
                ctx.t("cli.app.not_a_terminal", &[("path", &path)])
            );
            ExitCode::FAILURE
        }
        Err(RunError::Io(e)) => {
            eprintln!(
                "fieldbook: {}",
                ctx.t("cli.app.terminal_error", &[("detail", &e.to_string())])
            );
            ExitCode::FAILURE
        }
    }
}
