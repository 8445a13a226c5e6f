//! `fieldbook init`: create or upgrade the database and print its path.

use std::process::ExitCode;

use super::Ctx;

pub fn run(ctx: &Ctx) -> ExitCode {
    match ctx
        .open_or_create()
        .and_then(|s| Ok((s.schema_version()?, s)))
    {
        Ok((version, store)) => {
            let path = store.path().display().to_string();
            out!("{path}");
            err!(
                "{}",
                ctx.t(
                    "cli.init.done",
                    &[
                        ("version", &version.to_string()),
                        ("device", store.device_id())
                    ]
                )
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            ctx.report(&e);
            ExitCode::FAILURE
        }
    }
}
