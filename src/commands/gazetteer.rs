//! `fieldbook gazetteer import FILE.csv`: add or update villages from a list.
//!
//! Every line is checked first (township known, code shaped and unique, a
//! name, a sane exit year); any problem is reported with its line and
//! column, and then nothing is written. Otherwise every village is saved in
//! one transaction: new codes are added, known codes updated.

use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;

use super::Ctx;
use crate::domain::records::{RowMeta, Village};
use crate::domain::rules;
use crate::forms::village::check_code;
use crate::i18n::{Lang, Localized};

/// The columns, in any order; all must be present.
pub const COLUMNS: [&str; 5] = ["code", "township_code", "name_zh", "name_bo", "exit_year"];

/// One problem in the file: line, column, message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: u64,
    pub column: String,
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
    let today = crate::clock::today();
    let (villages, errors) = parse(&bytes, &townships, today, ctx);
    if !errors.is_empty() {
        for e in &errors {
            err!(
                "{}",
                ctx.t(
                    "gazetteer.error.line",
                    &[
                        ("file", &name),
                        ("line", &e.line.to_string()),
                        ("column", &e.column),
                        ("message", &e.message)
                    ]
                )
            );
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
pub fn parse(
    bytes: &[u8],
    townships: &HashMap<String, uuid::Uuid>,
    today: chrono::NaiveDate,
    ctx: &Ctx,
) -> (Vec<Village>, Vec<LineError>) {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
    let mut errors = Vec::new();
    let mut out = Vec::new();
    let err = |line: u64, column: &str, message: String| LineError {
        line,
        column: column.to_owned(),
        message,
    };
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => return (out, vec![err(1, "", e.to_string())]),
    };
    let index: HashMap<&str, usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim(), i))
        .collect();
    for c in COLUMNS {
        if !index.contains_key(c) {
            errors.push(err(
                1,
                c,
                ctx.t("gazetteer.error.missing_column", &[("column", c)]),
            ));
        }
    }
    for h in headers.iter() {
        if !COLUMNS.contains(&h.trim()) {
            errors.push(err(
                1,
                h,
                ctx.t("gazetteer.error.unknown_column", &[("column", h)]),
            ));
        }
    }
    if !errors.is_empty() {
        return (out, errors);
    }
    let mut seen: HashMap<String, u64> = HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                errors.push(err(line, "", e.to_string()));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let get = |c: &str| record.get(index[c]).unwrap_or_default().trim().to_owned();
        let problem = |p: crate::domain::Problem| p.message(&ctx.catalog, Lang::En);
        let (code, township_code) = (get("code"), get("township_code"));
        let township = townships.get(&township_code).copied();
        if township.is_none() {
            errors.push(err(
                line,
                "township_code",
                ctx.t(
                    "gazetteer.error.unknown_township",
                    &[("code", &township_code)],
                ),
            ));
        }
        if let Some(p) = check_code(&code, township.map(|_| township_code.as_str())) {
            errors.push(err(line, "code", problem(p)));
        }
        if let Some(first) = seen.insert(code.clone(), line) {
            errors.push(err(
                line,
                "code",
                ctx.t(
                    "gazetteer.error.duplicate_code",
                    &[("code", &code), ("first", &first.to_string())],
                ),
            ));
        }
        let (name_zh, name_bo) = match rules::check_names(&get("name_zh"), &get("name_bo")) {
            Ok(n) => n,
            Err(p) => {
                errors.push(err(line, "name_zh", problem(p)));
                (String::new(), String::new())
            }
        };
        let year = get("exit_year");
        let exit_year = if year.is_empty() {
            None
        } else {
            match year.parse::<i32>() {
                Ok(y) => {
                    if let Some(p) = rules::check_exit_year(y, today) {
                        errors.push(err(line, "exit_year", problem(p)));
                    }
                    Some(i64::from(y))
                }
                Err(_) => {
                    errors.push(err(
                        line,
                        "exit_year",
                        ctx.t("gazetteer.error.year", &[("value", &year)]),
                    ));
                    None
                }
            }
        };
        out.push(Village {
            meta: RowMeta::new(),
            code,
            township_id: township.unwrap_or_default(),
            name_zh,
            name_bo,
            exit_year,
        });
    }
    (out, errors)
}
