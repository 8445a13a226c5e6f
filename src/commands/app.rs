//! `fieldbook` with no subcommand: open the app on the database.

use std::process::ExitCode;

use crate::cli::Ctx;

pub fn run(ctx: &Ctx) -> ExitCode {
    match ctx.open() {
        Ok(store) => {
            let path = store.path().display().to_string();
            println!("{}", ctx.t("cli.app.opened", &[("path", &path)]));
            ExitCode::SUCCESS
        }
        Err(e) => {
            ctx.report(&e);
            ExitCode::FAILURE
        }
    }
}
