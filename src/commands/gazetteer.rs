//! `fieldbook gazetteer import FILE.csv`: add or update villages from a list.
//!
//! Every line is checked first (township known, each value by its column's
//! check as the village form makes it, the code its township's and used
//! once); any problem is reported with its line and column, and then
//! nothing is written. Otherwise every village is saved in
//! one transaction: new codes are added, known codes updated.

use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;

use super::Ctx;
use crate::domain::Problem;
use crate::domain::records::{RowMeta, Village};
use crate::domain::table::{Days, Record};
use crate::forms::village::check_code;
use crate::i18n::Localized;

/// The columns, in any order; all must be present.
pub const COLUMNS: [&str; 5] = ["code", "township_code", "name_zh", "name_bo", "exit_year"];

/// One problem in the file: line, column (none when the line as a whole is
/// wrong), message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: u64,
    pub column: Option<String>,
    pub message: String,
}

pub fn import(ctx: &Ctx, file: &Path) -> ExitCode {
    let mut store = match ctx.open() {
        Ok(s) => s,
        Err(e) => {
            ctx.report(&e);
            return ExitCode::FAILURE;
        }
    };
    let name = file.display().to_string();
    let fail = |msg: String| {
        err!("fieldbook: {msg}");
        ExitCode::FAILURE
    };
    let bytes = match crate::files::read(file) {
        Ok(b) => b,
        Err(e) => {
            let detail = ctx.unreadable(e);
            return fail(ctx.t(
                "gazetteer.error.read",
                &[("file", &name), ("detail", &detail)],
            ));
        }
    };
    let townships: HashMap<String, uuid::Uuid> = match store.townships() {
        Ok(t) => t.into_iter().map(|t| (t.code, t.meta.id)).collect(),
        Err(e) => {
            ctx.report(&e);
            return ExitCode::FAILURE;
        }
    };
    let (villages, errors) = parse(&bytes, &townships, crate::clock::days(), ctx);
    if !errors.is_empty() {
        for e in &errors {
            let line = e.line.to_string();
            let text = match &e.column {
                Some(column) => ctx.t(
                    "gazetteer.error.line",
                    &[
                        ("file", &name),
                        ("line", &line),
                        ("column", column),
                        ("message", &e.message),
                    ],
                ),
                None => ctx.t(
                    "gazetteer.error.line_only",
                    &[("file", &name), ("line", &line), ("message", &e.message)],
                ),
            };
            err!("{text}");
        }
        return fail(ctx.t(
            "gazetteer.error.nothing_written",
            &[("n", &errors.len().to_string())],
        ));
    }
    // A known code is the same village: it keeps its id so references hold,
    // and is left alone (no audit entry) when nothing in the list changed it.
    let mut known = HashMap::new();
    for v in &villages {
        match store.village_by_code(&v.code) {
            Ok(Some(old)) => {
                known.insert(v.code.clone(), old);
            }
            Ok(None) => {}
            Err(e) => {
                ctx.report(&e);
                return ExitCode::FAILURE;
            }
        }
    }
    let result = store.write(|w| {
        let (mut added, mut updated, mut unchanged) = (0u64, 0u64, 0u64);
        for mut v in villages {
            match known.get(&v.code) {
                Some(old) => {
                    let same = !old.meta.is_deleted()
                        && (old.township_id, &old.name_zh, &old.name_bo, old.exit_year)
                            == (v.township_id, &v.name_zh, &v.name_bo, v.exit_year);
                    if same {
                        unchanged += 1;
                        continue;
                    }
                    v.meta = RowMeta::with_id(old.meta.id);
                    updated += 1;
                }
                None => added += 1,
            }
            w.save(&mut v)?;
        }
        Ok((added, updated, unchanged))
    });
    match result {
        Ok((added, updated, unchanged)) => {
            out!(
                "{}",
                ctx.t(
                    "gazetteer.done",
                    &[
                        ("added", &added.to_string()),
                        ("updated", &updated.to_string()),
                        ("unchanged", &unchanged.to_string())
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

/// Reads and checks every line; returns the villages, or every problem found.
///
/// Each value passes its column's check (the same as the village form's and
/// a snapshot import's), the code also its township's prefix. Line numbers
/// count every line of the file (blank lines, CRLF line ends, line breaks
/// inside quoted values); the column named is the one whose value is wrong.
pub fn parse(
    bytes: &[u8],
    townships: &HashMap<String, uuid::Uuid>,
    days: Days,
    ctx: &Ctx,
) -> (Vec<Village>, Vec<LineError>) {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
    let mut errors = Vec::new();
    let mut out = Vec::new();
    let err = |line: u64, column: Option<&str>, message: String| LineError {
        line,
        column: column.map(str::to_owned),
        message,
    };
    // The line where the record read from byte `from` on starts: past the
    // line ends and blank lines before it (the reader's own positions lag
    // a byte behind CRLF line ends), counted forward from the last one asked.
    let mut counted = (0usize, 1u64);
    let mut line_at = |from: usize| {
        let start = bytes[from.min(bytes.len())..]
            .iter()
            .position(|b| *b != b'\r' && *b != b'\n')
            .map_or(bytes.len(), |i| from + i);
        let (done, line) = counted;
        let start = start.max(done);
        let more = bytes[done..start].iter().filter(|b| **b == b'\n').count() as u64;
        counted = (start, line + more);
        line + more
    };
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => return (out, vec![err(1, None, csv_message(&e, ctx))]),
    };
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        let h = h.trim();
        if !COLUMNS.contains(&h) {
            errors.push(err(
                1,
                Some(h),
                ctx.t("gazetteer.error.unknown_column", &[("column", h)]),
            ));
        } else if index.insert(h, i).is_some() {
            errors.push(err(
                1,
                Some(h),
                ctx.t("gazetteer.error.repeated_column", &[("column", h)]),
            ));
        }
    }
    for c in COLUMNS {
        if !index.contains_key(c) {
            errors.push(err(
                1,
                Some(c),
                ctx.t("gazetteer.error.missing_column", &[("column", c)]),
            ));
        }
    }
    if !errors.is_empty() {
        return (out, errors);
    }
    let problem = |p: &Problem| p.message(&ctx.catalog, ctx.lang);
    let column = |name: &str| *Village::TABLE.column(name).expect("declared column");
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut record = csv::StringRecord::new();
    loop {
        let from = reader.position().byte() as usize;
        let line = match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => line_at(from),
            Err(e) => {
                errors.push(err(line_at(from), None, csv_message(&e, ctx)));
                continue;
            }
        };
        let get = |c: &str| record.get(index[c]).unwrap_or_default().trim().to_owned();
        let mut bad = |c: &str, p: Problem| {
            errors.push(err(line, Some(p.field.unwrap_or(c)), problem(&p)));
        };
        let (code, township_code) = (get("code"), get("township_code"));
        let township = townships.get(&township_code).copied();
        if township.is_none() {
            let p = Problem::error("gazetteer.error.unknown_township").arg("code", &township_code);
            bad("township_code", p);
        }
        // Each value as its column takes it, then what ties them together.
        let mut code_ok = true;
        for name in ["code", "name_zh", "name_bo", "exit_year"] {
            if let Err(p) = column(name).check(&get(name), days) {
                code_ok &= name != "code";
                bad(name, p);
            }
        }
        if code_ok && let Some(p) = check_code(&code, township.map(|_| township_code.as_str())) {
            bad("code", p);
        }
        if let Some(rule) = Village::TABLE.row_rule
            && let Some(p) = rule(&|c: &str| get(c))
        {
            bad("name_zh", p);
        }
        if let Some(first) = seen.insert(code.clone(), line) {
            let p = Problem::error("gazetteer.error.duplicate_code")
                .arg("code", &code)
                .arg("first", first);
            bad("code", p);
        }
        out.push(Village {
            meta: RowMeta::new(),
            code,
            township_id: township.unwrap_or_default(),
            name_zh: get("name_zh"),
            name_bo: get("name_bo"),
            exit_year: get("exit_year").parse().ok(),
        });
    }
    (out, errors)
}

/// What the CSV reader found wrong, in the user's language.
fn csv_message(e: &csv::Error, ctx: &Ctx) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => ctx.t(
            "gazetteer.error.field_count",
            &[
                ("found", &len.to_string()),
                ("expected", &expected_len.to_string()),
            ],
        ),
        csv::ErrorKind::Utf8 { .. } => ctx.t("gazetteer.error.utf8", &[]),
        _ => e.to_string(),
    }
}
