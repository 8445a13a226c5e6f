//! `fieldbook locales`: the locale files in use and how far their Tibetan
//! texts can be trusted; `--unreviewed [--sourced]` writes the sheet a
//! reviewer fills in; `--apply FILE` takes a filled sheet back into the locale
//! override folder.
//!
//! The sheet is CSV, UTF-8 with a byte order mark (so Excel and WPS show the
//! Tibetan), one row per text: key, Chinese, English, current Tibetan,
//! proposed Tibetan, comment, and the text's level (status). A row whose
//! proposed Tibetan is empty is left alone; a proposal equal to the current
//! text confirms it. Every row is checked before anything is written: the
//! key exists, the placeholders are kept, the text is Tibetan script, no
//! control characters. On any fault nothing is written and every fault is
//! reported with its file, line and column. Otherwise `bo.toml` in the
//! override folder gets each text marked `# reviewed: NAME DATE`, NAME being
//! `--operator` (the reviewer who vouches for the sheet) and DATE today; the
//! file is written beside itself and renamed into place.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::Ctx;
use crate::i18n::{Catalog, Locale, Localized, Review, check_tibetan, entry, has_tibetan_letters};

/// The sheet's columns, in order. `--apply` needs [`KEY`] and [`PROPOSED`],
/// reads [`COMMENT`] if present and ignores the rest.
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

pub fn run(
    ctx: &Ctx,
    unreviewed: bool,
    sourced: bool,
    apply: Option<&Path>,
    locales_dir: Option<&Path>,
) -> ExitCode {
    if let Some(file) = apply {
        let dir = locales_dir
            .map(Path::to_path_buf)
            .unwrap_or_else(|| beside_database(&ctx.db));
        return apply_sheet(ctx, file, &dir);
    }
    if unreviewed {
        let sheet = match sheet(&ctx.catalog, sourced) {
            Ok(s) => s,
            Err(e) => {
                let detail = e.to_string();
                let msg = ctx.t("locales.error.write", &[("file", "-"), ("detail", &detail)]);
                err!("fieldbook: {msg}");
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
        out!("{}\t{n}", l.file_name());
    }
    let count = |level: &str| {
        ctx.catalog
            .reviews()
            .filter(|(_, r)| r.level() == level)
            .count()
            .to_string()
    };
    out!(
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

/// The override folder used when `--locales` is not given: `locales` beside
/// the database.
fn beside_database(db: &Path) -> PathBuf {
    db.parent()
        .map(|d| d.join("locales"))
        .unwrap_or_else(|| PathBuf::from("locales"))
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

/// One text the sheet proposes, checked.
struct Proposal {
    key: String,
    text: String,
    comment: String,
}

/// A fault of the sheet: its line, the column (1-based; `None` for the line
/// as a whole) and the message in the user's language.
struct Fault {
    line: u64,
    column: Option<usize>,
    message: String,
}

fn apply_sheet(ctx: &Ctx, file: &Path, dir: &Path) -> ExitCode {
    let name = file.display().to_string();
    let fail = |msg: String| {
        err!("fieldbook: {msg}");
        ExitCode::FAILURE
    };
    let reviewer = ctx.operator.as_deref().map(str::trim).unwrap_or_default();
    if reviewer.is_empty() {
        return fail(ctx.t("locales.error.no_reviewer", &[]));
    }
    if reviewer.chars().any(char::is_control) || reviewer.chars().count() > 50 {
        return fail(ctx.t("settings.error.operator_invalid", &[]));
    }
    let bytes = match crate::files::read(file) {
        Ok(b) => b,
        Err(e) => {
            let detail = ctx.unreadable(e);
            return fail(ctx.t(
                "locales.error.read",
                &[("file", &name), ("detail", &detail)],
            ));
        }
    };
    let (proposals, faults) = read_sheet(ctx, &bytes);
    if !faults.is_empty() {
        for f in &faults {
            let line = f.line.to_string();
            let msg = match f.column {
                Some(c) => ctx.t(
                    "locales.error.line",
                    &[
                        ("file", &name),
                        ("line", &line),
                        ("column", &c.to_string()),
                        ("message", &f.message),
                    ],
                ),
                None => ctx.t(
                    "locales.error.at_line",
                    &[("file", &name), ("line", &line), ("message", &f.message)],
                ),
            };
            err!("{msg}");
        }
        return fail(ctx.t(
            "locales.error.nothing_written",
            &[("n", &faults.len().to_string())],
        ));
    }
    if proposals.is_empty() {
        out!("{}", ctx.t("locales.nothing_to_apply", &[("file", &name)]));
        return ExitCode::SUCCESS;
    }
    let today = crate::clock::today().format("%Y-%m-%d").to_string();
    let review = Review::Reviewed {
        by: reviewer.to_owned(),
        on: today.clone(),
    };
    let target = dir.join(Locale::Bo.file_name());
    let target_name = target.display().to_string();
    if let Err(e) = write_override(&target, &proposals, &review) {
        return fail(ctx.t(
            "locales.error.write",
            &[("file", &target_name), ("detail", &e)],
        ));
    }
    out!(
        "{}",
        ctx.t(
            "locales.applied",
            &[
                ("n", &proposals.len().to_string()),
                ("file", &target_name),
                ("reviewer", reviewer),
                ("date", &today),
            ],
        )
    );
    ExitCode::SUCCESS
}

/// Reads and checks every row; returns the proposals, or every fault found.
fn read_sheet(ctx: &Ctx, bytes: &[u8]) -> (Vec<Proposal>, Vec<Fault>) {
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let builtin = Catalog::builtin();
    let mut faults = Vec::new();
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let header = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            let line = e.position().map_or(1, |p| p.line());
            let message = ctx.t("locales.error.csv", &[("detail", &e.to_string())]);
            faults.push(Fault {
                line,
                column: None,
                message,
            });
            return (Vec::new(), faults);
        }
    };
    let find = |name: &str| {
        header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let (key_col, text_col, comment_col) = (find(KEY), find(PROPOSED), find(COMMENT));
    for (col, name) in [(key_col, KEY), (text_col, PROPOSED)] {
        if col.is_none() {
            let message = ctx.t("locales.error.missing_column", &[("column", name)]);
            faults.push(Fault {
                line: 1,
                column: None,
                message,
            });
        }
    }
    let (Some(key_col), Some(text_col)) = (key_col, text_col) else {
        return (Vec::new(), faults);
    };
    let mut proposals = Vec::new();
    let mut seen: BTreeMap<String, u64> = BTreeMap::new();
    for record in rdr.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                let message = ctx.t("locales.error.csv", &[("detail", &e.to_string())]);
                faults.push(Fault {
                    line,
                    column: None,
                    message,
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let key = record.get(key_col).unwrap_or_default().trim();
        let text = record.get(text_col).unwrap_or_default().trim();
        if text.is_empty() {
            continue;
        }
        let mut fault = |column: usize, message: String| {
            faults.push(Fault {
                line,
                column: Some(column + 1),
                message,
            })
        };
        let Some(reference) = builtin.get(Locale::Zh, key) else {
            fault(key_col, ctx.t("locales.error.unknown_key", &[("key", key)]));
            continue;
        };
        if let Some(first) = seen.get(key) {
            let first = first.to_string();
            fault(
                key_col,
                ctx.t(
                    "locales.error.duplicate_key",
                    &[("key", key), ("first", &first)],
                ),
            );
            continue;
        }
        seen.insert(key.to_owned(), line);
        let built = builtin.get(Locale::Bo, key).unwrap_or_default();
        let current = ctx.catalog.get(Locale::Bo, key).unwrap_or_default();
        // Tibetan is expected unless the text replaced is not Tibetan at all
        // (`{path}: {detail}`, `EWTS`, the language names).
        let tibetan = built.is_empty() || has_tibetan_letters(built);
        // What may stay in Latin: what the Tibetan text has, and the Latin
        // of the Chinese (commands, file and column names), which is what a
        // text still to be translated (empty) may keep.
        let latin = latin_only(reference);
        let found = check_tibetan(text, reference, &[built, current, &latin], tibetan);
        for f in &found {
            fault(text_col, f.message(&ctx.catalog, ctx.lang));
        }
        if found.is_empty() {
            let comment = comment_col.and_then(|c| record.get(c)).unwrap_or_default();
            proposals.push(Proposal {
                key: key.to_owned(),
                text: text.to_owned(),
                comment: comment.split_whitespace().collect::<Vec<_>>().join(" "),
            });
        }
    }
    (proposals, faults)
}

/// `text` with its Chinese (and full-width) characters blanked out.
fn latin_only(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{2E80}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{FF00}'..='\u{FFEF}' => ' ',
            c => c,
        })
        .collect()
}

/// A TOML basic string holding `text` (which has no control characters).
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        if matches!(c, '"' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// The comment line written above an applied text with the reviewer's comment.
const NOTE: &str = "# note: ";

/// Lays the proposals into the override file `target` (keeping every other
/// line of it), checks the result reads back as those texts, and replaces
/// the file in one step: written beside it, synced, renamed over it.
fn write_override(target: &Path, proposals: &[Proposal], review: &Review) -> Result<(), String> {
    let name = target.display().to_string();
    let old = match std::fs::read_to_string(target) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e.to_string()),
    };
    let marker = review.marker();
    let line_of = |p: &Proposal| {
        let mut s = String::new();
        if !p.comment.is_empty() {
            s.push_str(NOTE);
            s.push_str(&p.comment);
            s.push('\n');
        }
        s.push_str(&format!("{} = {} {marker}\n", p.key, quoted(&p.text)));
        s
    };
    let by_key: BTreeMap<&str, &Proposal> = proposals.iter().map(|p| (p.key.as_str(), p)).collect();
    let mut done = std::collections::BTreeSet::new();
    let mut lines: Vec<String> = Vec::new();
    for line in old.lines() {
        match entry(line).and_then(|e| by_key.get(e.key)) {
            Some(p) => {
                // The note of an earlier review of this text goes with it.
                if lines.last().is_some_and(|l| l.starts_with(NOTE)) {
                    lines.pop();
                }
                lines.push(line_of(p).trim_end().to_owned());
                done.insert(p.key.as_str());
            }
            None => lines.push(line.to_owned()),
        }
    }
    let mut text = lines.join("\n");
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    for p in proposals.iter().filter(|p| !done.contains(p.key.as_str())) {
        text.push_str(&line_of(p));
    }
    let table = crate::i18n::parse_table(&name, &text).map_err(|e| e.to_string())?;
    for p in proposals {
        if table.get(&p.key) != Some(&p.text) {
            return Err(format!("{}: {}", p.key, p.text));
        }
    }
    let dir = target.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        Locale::Bo.file_name(),
        std::process::id()
    ));
    let written = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(text.as_bytes()).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&tmp, target));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e.to_string());
    }
    // The rename itself survives a power cut once the folder is synced.
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}
