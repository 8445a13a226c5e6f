//! `fieldbook check`: integrity, references, and row counts per table.

use std::process::ExitCode;

use crate::cli::Ctx;

pub fn run(ctx: &Ctx) -> ExitCode {
    let report = match ctx.open().and_then(|s| s.check()) {
        Ok(r) => r,
        Err(e) => {
            ctx.report(&e);
            return ExitCode::FAILURE;
        }
    };
    let width = report
        .counts
        .iter()
        .map(|(t, _, _)| t.len())
        .max()
        .unwrap_or(0);
    println!(
        "{:<width$}  {:>10}  {:>10}",
        ctx.t("cli.check.table", &[]),
        ctx.t("cli.check.live", &[]),
        ctx.t("cli.check.deleted", &[])
    );
    for (table, live, deleted) in &report.counts {
        println!("{table:<width$}  {live:>10}  {deleted:>10}");
    }
    println!(
        "{}",
        ctx.t(
            "cli.check.audit",
            &[("n", &report.audit_entries.to_string())]
        )
    );
    for line in &report.integrity {
        println!(
            "{}",
            ctx.t("cli.check.integrity_problem", &[("detail", line)])
        );
    }
    for (table, rowid, parent) in &report.foreign_keys {
        println!(
            "{}",
            ctx.t(
                "cli.check.fk_problem",
                &[
                    ("table", table),
                    ("rowid", &rowid.to_string()),
                    ("parent", parent)
                ]
            )
        );
    }
    if report.is_ok() {
        println!("{}", ctx.t("cli.check.ok", &[]));
        ExitCode::SUCCESS
    } else {
        println!("{}", ctx.t("cli.check.failed", &[]));
        ExitCode::FAILURE
    }
}
