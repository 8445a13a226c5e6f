//! `fieldbook check`: integrity, references, row counts per table, and the
//! search index against the names it should hold, the report's tallies
//! against the records; with `--rebuild-search-index`, the index, the
//! training wishes and the tallies are rebuilt first.

use std::process::ExitCode;

use super::Ctx;
use crate::store::search::SearchIndexCheck;

pub fn run(ctx: &Ctx, rebuild_search_index: bool) -> ExitCode {
    let checked = ctx.open().and_then(|mut s| {
        if rebuild_search_index {
            s.rebuild_derived()?;
            out!("{}", ctx.t("cli.check.search_rebuilt", &[]));
        }
        Ok((s.check()?, s.check_search_index()?))
    });
    let (report, search) = match checked {
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
    out!(
        "{:<width$}  {:>10}  {:>10}",
        ctx.t("cli.check.table", &[]),
        ctx.t("cli.check.live", &[]),
        ctx.t("cli.check.deleted", &[])
    );
    for (table, live, deleted) in &report.counts {
        out!("{table:<width$}  {live:>10}  {deleted:>10}");
    }
    out!(
        "{}",
        ctx.t(
            "cli.check.audit",
            &[("n", &report.audit_entries.to_string())]
        )
    );
    for line in &report.integrity {
        out!(
            "{}",
            ctx.t("cli.check.integrity_problem", &[("detail", line)])
        );
    }
    for (table, rowid, parent) in &report.foreign_keys {
        out!(
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
    for (table, n) in &report.tallies {
        let n = n.to_string();
        out!(
            "{}",
            ctx.t("cli.check.tally_stale", &[("table", table), ("n", &n)])
        );
    }
    for (number, heads) in &report.heads {
        let heads = heads.to_string();
        out!(
            "{}",
            ctx.t("cli.check.heads", &[("number", number), ("heads", &heads)])
        );
    }
    for s in &report.over_capacity {
        out!("{}", super::import::over_capacity(ctx, s));
    }
    if !report.tallies.is_empty() {
        out!("{}", ctx.t("cli.check.search_repair", &[]));
    }
    print_search_index(ctx, &search);
    if report.is_ok() && search.is_ok() {
        out!("{}", ctx.t("cli.check.ok", &[]));
        ExitCode::SUCCESS
    } else {
        out!("{}", ctx.t("cli.check.failed", &[]));
        ExitCode::FAILURE
    }
}

fn print_search_index(ctx: &Ctx, search: &SearchIndexCheck) {
    let example = |ids: &[uuid::Uuid]| ids.first().map(|id| id.to_string()).unwrap_or_default();
    if search.is_ok() {
        let persons = search.persons.to_string();
        out!("{}", ctx.t("cli.check.search_ok", &[("persons", &persons)]));
        return;
    }
    for (key, ids) in [
        ("cli.check.search_missing", &search.missing),
        ("cli.check.search_stale", &search.stale),
    ] {
        if !ids.is_empty() {
            let n = ids.len().to_string();
            out!("{}", ctx.t(key, &[("n", &n), ("id", &example(ids))]));
        }
    }
    if search.extra > 0 {
        let n = search.extra.to_string();
        out!("{}", ctx.t("cli.check.search_extra", &[("n", &n)]));
    }
    out!("{}", ctx.t("cli.check.search_repair", &[]));
}
