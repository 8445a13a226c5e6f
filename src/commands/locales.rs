//! `fieldbook locales`: the locale files in use and how far their Tibetan
//! texts can be trusted; `--unreviewed [--sourced]` writes the sheet a
//! reviewer fills in.
//!
//! The sheet is CSV, UTF-8 with a byte order mark (so Excel and WPS show the
//! Tibetan), one row per text: key, Chinese, English, current Tibetan,
//! proposed Tibetan, comment, and the text's level (status).

use std::io::Write;
use std::process::ExitCode;

use crate::cli::Ctx;
use crate::i18n::{Catalog, Locale, Review};

/// The sheet's columns, in order.
pub const COLUMNS: [&str; 7] = [
    KEY,
    "Chinese",
    "English",
    "current Tibetan",
    PROPOSED,
    COMMENT,
    "status",
];
pub const KEY: &str = "key";
pub const PROPOSED: &str = "proposed Tibetan";
pub const COMMENT: &str = "comment";

const BOM: &[u8] = crate::snapshot::files::BOM;

pub fn run(ctx: &Ctx, unreviewed: bool, sourced: bool) -> ExitCode {
    if unreviewed {
        let sheet = match sheet(&ctx.catalog, sourced) {
            Ok(s) => s,
            Err(e) => {
                let detail = e.to_string();
                let msg = ctx.t("locales.error.write", &[("file", "-"), ("detail", &detail)]);
                eprintln!("fieldbook: {msg}");
                return ExitCode::FAILURE;
            }
        };
        // A closed pipe (`| head`) is the reader's choice, not an error.
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(&sheet).and_then(|()| out.flush());
        return ExitCode::SUCCESS;
    }
    for l in Locale::ALL {
        let n = ctx.catalog.keys(l).count();
        println!("{}\t{n}", l.file_name());
    }
    let count = |level: &str| {
        ctx.catalog
            .reviews()
            .filter(|(_, r)| r.level() == level)
            .count()
            .to_string()
    };
    println!(
        "{}",
        ctx.t(
            "locales.summary",
            &[
                ("reviewed", &count("reviewed")),
                ("sourced", &count("sourced")),
                ("unreviewed", &count("unreviewed")),
            ],
        )
    );
    ExitCode::SUCCESS
}

/// The reviewer's sheet: the unreviewed texts (and the sourced ones with
/// `sourced`), sorted by key, as CSV with a byte order mark.
pub fn sheet(catalog: &Catalog, sourced: bool) -> Result<Vec<u8>, csv::Error> {
    let mut out = BOM.to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        w.write_record(COLUMNS)?;
        for (key, review) in catalog.reviews() {
            let wanted = match review {
                Review::Unreviewed => true,
                Review::Sourced { .. } => sourced,
                Review::Reviewed { .. } => false,
            };
            if !wanted {
                continue;
            }
            let text = |l| catalog.get(l, key).unwrap_or_default();
            let status = match review {
                Review::Sourced { source } => format!("sourced: {source}"),
                other => other.level().to_owned(),
            };
            w.write_record([
                key,
                text(Locale::Zh),
                text(Locale::En),
                text(Locale::Bo),
                "",
                "",
                &status,
            ])?;
        }
        w.flush()?;
    }
    Ok(out)
}
