//! `fieldbook locales --unreviewed`: the Tibetan terms awaiting review by a
//! native speaker, one per line (key, then text), for a reviewer's list.

use std::process::ExitCode;

use super::Ctx;

pub fn run(ctx: &Ctx, unreviewed: bool) -> ExitCode {
    if unreviewed {
        for (key, text) in ctx.catalog.unreviewed() {
            println!("{key}\t{text}");
        }
    } else {
        for l in crate::i18n::Locale::ALL {
            let n = ctx.catalog.keys(l).count();
            println!("{}\t{n}", l.file_name());
        }
    }
    ExitCode::SUCCESS
}
