//! `fieldbook export [--date YYYY-MM-DD] [--out DIR] [--xlsx]`: the day's
//! snapshot, with a progress bar on the terminal.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::Ctx;
use crate::snapshot::{self, ExportOptions, auto};

pub fn run(ctx: &Ctx, date: Option<NaiveDate>, out: Option<PathBuf>, xlsx: bool) -> ExitCode {
    let mut store = match ctx.open() {
        Ok(s) => s,
        Err(e) => {
            ctx.report(&e);
            return ExitCode::FAILURE;
        }
    };
    let default_dir = auto::export_dir(store.path());
    let opts = ExportOptions {
        out_dir: out.unwrap_or_else(|| default_dir.clone()),
        date: date.unwrap_or_else(crate::clock::today),
        xlsx,
    };
    let bar = progress_bar(ctx, "snapshot.progress.export");
    let result = snapshot::export(&store, &ctx.catalog, &opts, &mut |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    });
    bar.finish_and_clear();
    let exported = match result {
        Ok(x) => x,
        Err(e) => {
            ctx.report(&e);
            return ExitCode::FAILURE;
        }
    };
    // A snapshot in the exports folder counts as the day's: the app's exit
    // then writes none unless something changes.
    if same_dir(&opts.out_dir, &default_dir)
        && let Err(e) = auto::record(&mut store, &exported)
    {
        ctx.report(&e);
        return ExitCode::FAILURE;
    }
    out!(
        "{}",
        ctx.t(
            "cli.export.done",
            &[
                ("path", &exported.dir.display().to_string()),
                ("files", &exported.manifest.files.len().to_string()),
                ("rows", &exported.rows().to_string()),
            ]
        )
    );
    ExitCode::SUCCESS
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// A progress bar on standard error, labelled from the locales; drawn only
/// when standard error is a terminal.
pub(crate) fn progress_bar(ctx: &Ctx, key: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{msg} [{bar:40}] {human_pos}/{human_len} ({eta})")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(ctx.t(key, &[]));
    bar
}
