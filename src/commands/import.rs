//! `fieldbook import DIR...`: merge snapshots from other laptops, in one
//! transaction, and print what happened per table and what needs review.

use std::path::PathBuf;
use std::process::ExitCode;

use super::Ctx;
use crate::commands::export::progress_bar;
use crate::snapshot::{self, ConflictKind, ImportReport};

/// Lines printed of rows skipped only because they depend on a skipped row
/// (all of them are counted), and of possible duplicates.
const SHOWN_DEPENDENTS: usize = 20;
const SHOWN_DUPLICATES: usize = 50;

pub fn run(ctx: &Ctx, dirs: &[PathBuf]) -> ExitCode {
    let mut store = match ctx.open() {
        Ok(s) => s,
        Err(e) => {
            ctx.report(&e);
            return ExitCode::FAILURE;
        }
    };
    let bar = progress_bar(ctx, "snapshot.progress.import");
    let result = snapshot::import(&mut store, dirs, &mut |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    });
    bar.finish_and_clear();
    match result {
        Ok(r) => {
            print_report(ctx, &r);
            ExitCode::SUCCESS
        }
        Err(e) => {
            ctx.report(&e);
            err!("fieldbook: {}", ctx.t("cli.import.nothing_written", &[]));
            ExitCode::FAILURE
        }
    }
}

fn print_report(ctx: &Ctx, r: &ImportReport) {
    out!(
        "{}",
        ctx.t("cli.import.sources", &[("n", &r.sources.len().to_string())])
    );
    for s in &r.sources {
        out!(
            "  {}",
            ctx.t(
                "cli.import.source",
                &[
                    ("dir", &s.dir.display().to_string()),
                    ("device", &s.device_id),
                    ("operator", &s.operator),
                    ("at", &s.exported_at),
                ]
            )
        );
    }
    let width = r
        .tables
        .iter()
        .map(|t| t.table.len())
        .max()
        .unwrap_or(0)
        .max(ctx.t("cli.import.table", &[]).chars().count());
    out!(
        "{:<width$}  {:>10}  {:>10}  {:>10}  {:>10}",
        ctx.t("cli.import.table", &[]),
        ctx.t("cli.import.inserted", &[]),
        ctx.t("cli.import.updated", &[]),
        ctx.t("cli.import.unchanged", &[]),
        ctx.t("cli.import.conflicts", &[]),
    );
    for t in &r.tables {
        out!(
            "{:<width$}  {:>10}  {:>10}  {:>10}  {:>10}",
            t.table,
            t.inserted,
            t.updated,
            t.unchanged,
            t.conflicts
        );
    }
    if !r.over_capacity.is_empty() {
        out!("{}", ctx.t("cli.import.over_capacity_title", &[]));
        for s in &r.over_capacity {
            out!("  {}", over_capacity(ctx, s));
        }
    }
    if !r.conflicts.is_empty() {
        out!("{}", ctx.t("cli.import.conflicts_title", &[]));
        let mut dependents = 0usize;
        for c in &r.conflicts {
            let path = c.path.display().to_string();
            let line = c.line.to_string();
            let text = match &c.kind {
                ConflictKind::Unique {
                    column,
                    value,
                    holder,
                } => ctx.t(
                    "cli.import.conflict_unique",
                    &[
                        ("path", &path),
                        ("line", &line),
                        ("table", &c.table),
                        ("id", &c.id),
                        ("column", column),
                        ("value", value),
                        ("holder", holder.as_deref().unwrap_or("?")),
                    ],
                ),
                ConflictKind::Dependent {
                    column,
                    parent_table,
                    parent_id,
                } => {
                    dependents += 1;
                    if dependents > SHOWN_DEPENDENTS {
                        continue;
                    }
                    ctx.t(
                        "cli.import.conflict_dependent",
                        &[
                            ("path", &path),
                            ("line", &line),
                            ("table", &c.table),
                            ("id", &c.id),
                            ("column", column),
                            ("parent_table", parent_table),
                            ("parent_id", parent_id),
                        ],
                    )
                }
            };
            out!("  {text}");
        }
        if dependents > SHOWN_DEPENDENTS {
            out!(
                "  {}",
                ctx.t(
                    "cli.import.more_dependents",
                    &[("n", &(dependents - SHOWN_DEPENDENTS).to_string())]
                )
            );
        }
    }
    if !r.duplicates.is_empty() {
        out!(
            "{}",
            ctx.t(
                "cli.import.duplicates_title",
                &[("n", &r.duplicates.len().to_string())]
            )
        );
        for d in r.duplicates.iter().take(SHOWN_DUPLICATES) {
            out!(
                "  {}",
                ctx.t("cli.import.duplicate", &[("id_number", &d.id_number)])
            );
            for m in &d.members {
                let name = [m.name_zh.as_str(), m.name_bo.as_str()]
                    .iter()
                    .filter(|n| !n.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" ");
                let text = match &m.source {
                    Some((path, line)) => ctx.t(
                        "cli.import.duplicate_member_from",
                        &[
                            ("id", &m.id),
                            ("name", &name),
                            ("path", &path.display().to_string()),
                            ("line", &line.to_string()),
                        ],
                    ),
                    None => ctx.t(
                        "cli.import.duplicate_member",
                        &[("id", &m.id), ("name", &name)],
                    ),
                };
                out!("    {text}");
            }
        }
        if r.duplicates.len() > SHOWN_DUPLICATES {
            out!(
                "  {}",
                ctx.t(
                    "cli.import.more_duplicates",
                    &[("n", &(r.duplicates.len() - SHOWN_DUPLICATES).to_string())]
                )
            );
        }
    }
    out!("{}", ctx.t("cli.import.done", &[]));
}

/// A session with more trainees than places, as a line: what an import
/// left and `check` finds.
pub(super) fn over_capacity(ctx: &Ctx, s: &crate::store::training::OverCapacity) -> String {
    ctx.t(
        "cli.import.over_capacity",
        &[
            ("code", &s.code),
            ("enrolled", &s.enrolled.to_string()),
            ("capacity", &s.capacity.to_string()),
        ],
    )
}
