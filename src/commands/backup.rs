//! `fieldbook backup FILE`: a consistent copy while the app may be running.

use std::path::Path;
use std::process::ExitCode;

use super::Ctx;

pub fn run(ctx: &Ctx, file: &Path) -> ExitCode {
    match ctx.open().and_then(|s| s.backup_to(file)) {
        Ok(()) => {
            out!(
                "{}",
                ctx.t("cli.backup.done", &[("path", &file.display().to_string())])
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            ctx.report(&e);
            ExitCode::FAILURE
        }
    }
}
