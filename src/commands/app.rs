//! `fieldbook` with no subcommand: open the app on the database.

use std::process::ExitCode;

use super::Ctx;
use crate::tui::{self, RunError};

pub fn run(ctx: &Ctx) -> ExitCode {
    // Only here and in `init` is a database created, and here only after
    // asking: a mistyped --db must not quietly start an empty database.
    if !ctx.read_only && std::fs::symlink_metadata(&ctx.db).is_err() {
        match ask_to_create(ctx) {
            Ok(true) => {}
            Ok(false) => {
                err!("fieldbook: {}", ctx.t("cli.app.not_created", &[]));
                return ExitCode::FAILURE;
            }
            Err(code) => return code,
        }
    }
    let mut store = match ctx.open_or_create() {
        Ok(s) => s,
        Err(e) => {
            ctx.report(&e);
            return ExitCode::FAILURE;
        }
    };
    // In the app changes are recorded under the name set in Settings (or
    // --operator), never the laptop's login: the home screen asks for it.
    if ctx.operator.is_none() && store.setting("operator").ok().flatten().is_none() {
        store.set_operator("");
    }
    // The language: --lang, the one chosen in Settings, the locale's.
    let lang = tui::start_lang(&store, ctx.lang_arg, crate::cli::lang::from_env());
    let path = store.path().display().to_string();
    match tui::run(store, ctx.catalog.clone(), lang) {
        Ok(()) => ExitCode::SUCCESS,
        Err(RunError::NotATerminal) => {
            err!(
                "fieldbook: {}",
                ctx.t("cli.app.not_a_terminal", &[("path", &path)])
            );
            ExitCode::FAILURE
        }
        Err(RunError::Io(e)) => {
            err!(
                "fieldbook: {}",
                ctx.t("cli.app.terminal_error", &[("detail", &e.to_string())])
            );
            ExitCode::FAILURE
        }
    }
}

/// Asks on the terminal whether to create the database at the context's
/// path; `Err` with the exit code when there is no terminal to ask on.
fn ask_to_create(ctx: &Ctx) -> Result<bool, ExitCode> {
    use std::io::{BufRead, IsTerminal, Write};
    let path = ctx.db.display().to_string();
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        err!(
            "fieldbook: {}",
            ctx.t("cli.app.no_terminal_to_ask", &[("path", &path)])
        );
        return Err(ExitCode::FAILURE);
    }
    print!("{} ", ctx.t("cli.app.create_confirm", &[("path", &path)]));
    let _ = std::io::stdout().flush();
    let mut answer = String::new();
    if std::io::stdin().lock().read_line(&mut answer).is_err() {
        return Ok(false);
    }
    Ok(is_yes(&answer))
}

/// A yes: y or yes (any case), or 是 / 好.
pub fn is_yes(answer: &str) -> bool {
    matches!(
        answer.trim().to_lowercase().as_str(),
        "y" | "yes" | "是" | "好" | "是的"
    )
}
