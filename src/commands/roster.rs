//! `fieldbook roster SESSION [--format table|csv|json] [--xlsx FILE] [--public]`:
//! a session's roster as counties publish it (number, name, sex, ID number,
//! trade, dates, hours, days attended, result, certificate number). SESSION
//! is the session's code, `COURSE-YEAR-PERIOD` (`cooking-2026-03`).
//! `--public` masks ID numbers for a notice board. Read-only; the workbook
//! is written beside its name and renamed into place, so a failed run
//! leaves no half-written file.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use super::Ctx;
use crate::domain::id_number::mask;
use crate::domain::records::{Course, TrainingSession};
use crate::store::training::RosterRow;
use crate::store::{OpenOptions, Store};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

const HEADERS: [&str; 11] = [
    "roster.col.no",
    "roster.col.name",
    "person.sex",
    "person.id_number",
    "course.trade",
    "session.start_date",
    "session.end_date",
    "session.class_hours",
    "roster.col.days",
    "roster.col.result",
    "roster.col.certificate",
];

/// A trainee's line: what the published roster shows.
fn cells(
    ctx: &Ctx,
    s: &TrainingSession,
    c: &Course,
    r: &RosterRow,
    i: usize,
    public: bool,
) -> Vec<String> {
    let e = &r.enrolment;
    let code = |list: &str, v: &str| {
        if v.is_empty() {
            String::new()
        } else {
            ctx.t(&format!("code.{list}.{v}"), &[])
        }
    };
    // The result as published: the outcome, and the assessment when failed.
    let failed = [&e.theory_result, &e.practical_result]
        .iter()
        .any(|r| r.as_str() == "fail" || r.as_str() == "resit");
    let result = if e.outcome == "completed" && failed {
        code(
            "result",
            if e.practical_result == "pass" {
                &e.theory_result
            } else {
                &e.practical_result
            },
        )
    } else {
        code("enrolment_outcome", &e.outcome)
    };
    vec![
        (i + 1).to_string(),
        crate::i18n::names_text(&r.name_zh, &r.name_bo, "", ctx.lang),
        code("sex", &r.sex),
        if public {
            mask(&r.id_number)
        } else {
            r.id_number.clone()
        },
        c.trade.clone(),
        s.start_date.to_string(),
        s.end_date.to_string(),
        s.class_hours.to_string(),
        format!("{}/{}", e.attendance_days, s.days_held),
        result,
        e.certificate_no.clone(),
    ]
}

pub fn run(
    ctx: &Ctx,
    session: &str,
    format: Format,
    xlsx: Option<&Path>,
    public: bool,
) -> ExitCode {
    let store = match Store::open(
        &ctx.db,
        OpenOptions {
            read_only: true,
            create: false,
        },
    ) {
        Ok(s) => s,
        Err(e) => {
            ctx.report(&e);
            return ExitCode::FAILURE;
        }
    };
    let read = || -> crate::store::Result<Option<(TrainingSession, Course, Vec<RosterRow>)>> {
        let Some(s) = store.session_by_code(session.trim())? else {
            return Ok(None);
        };
        let c = store.get_any::<Course>(s.course_id)?.unwrap_or_default();
        let rows = store.roster(s.meta.id)?;
        Ok(Some((s, c, rows)))
    };
    let (s, c, rows) = match read() {
        Ok(Some(found)) => found,
        Ok(None) => {
            err!(
                "fieldbook: {}",
                ctx.t("roster.error.no_session", &[("code", session)])
            );
            return ExitCode::FAILURE;
        }
        Err(e) => {
            ctx.report(&e);
            return ExitCode::FAILURE;
        }
    };
    let header: Vec<String> = HEADERS.iter().map(|k| ctx.t(k, &[])).collect();
    let lines: Vec<Vec<String>> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| cells(ctx, &s, &c, r, i, public))
        .collect();
    if let Some(path) = xlsx
        && let Err(e) = write_xlsx(path, &s.code, &header, &lines)
    {
        err!(
            "fieldbook: {}",
            ctx.t(
                "roster.error.xlsx",
                &[("path", &path.display().to_string()), ("detail", &e)]
            )
        );
        return ExitCode::FAILURE;
    }
    let out = match format {
        Format::Table => {
            let title = ctx.t(
                "roster.cli_title",
                &[
                    ("code", &s.code),
                    (
                        "course",
                        &crate::i18n::names_text(&c.name_zh, &c.name_bo, &c.name_en, ctx.lang),
                    ),
                    ("provider", &s.provider),
                    ("n", &rows.len().to_string()),
                ],
            );
            crate::text::clean_lines(&format!(
                "{title}\n{}",
                super::lookup::render(&header, &lines)
            ))
            .into_owned()
        }
        Format::Csv => {
            let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
            let ok = std::iter::once(&header).chain(&lines).try_for_each(|l| {
                w.write_record(l.iter().map(|c| crate::text::clean(c).into_owned()))
            });
            match (ok, w.into_inner()) {
                (Ok(()), Ok(bytes)) => String::from_utf8_lossy(&bytes).into_owned(),
                _ => String::new(),
            }
        }
        Format::Json => {
            let mut out = String::new();
            for l in &lines {
                let obj: serde_json::Map<String, serde_json::Value> = HEADERS
                    .iter()
                    .map(|k| k.rsplit('.').next().unwrap_or(k).to_owned())
                    .zip(l.iter().map(|c| serde_json::Value::from(c.as_str())))
                    .collect();
                out.push_str(&super::lookup::escape_unsafe(
                    &serde_json::Value::Object(obj).to_string(),
                ));
                out.push('\n');
            }
            out
        }
    };
    let mut stdout = io::stdout().lock();
    let _closed_pipe_is_the_readers_choice = stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush());
    ExitCode::SUCCESS
}

/// The roster as a workbook, written beside `path` and renamed into place.
fn write_xlsx(
    path: &Path,
    code: &str,
    header: &[String],
    lines: &[Vec<String>],
) -> Result<(), String> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sheet = wb.add_worksheet();
    let name: String = code
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect();
    if !name.is_empty() {
        sheet.set_name(&name).map_err(|e| e.to_string())?;
    }
    for (r, row) in std::iter::once(header)
        .chain(lines.iter().map(Vec::as_slice))
        .enumerate()
    {
        for (c, cell) in row.iter().enumerate() {
            sheet
                .write_string(r as u32, c as u16, crate::text::clean(cell).as_ref())
                .map_err(|e| e.to_string())?;
        }
    }
    let tmp = crate::store::temp_beside(path);
    let result = wb
        .save(&tmp)
        .map_err(|e| e.to_string())
        .and_then(|()| private(&tmp).map_err(|e| e.to_string()))
        .and_then(|()| std::fs::rename(&tmp, path).map_err(|e| e.to_string()));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// A roster names people: readable by its owner only, as snapshots are.
pub(crate) fn private(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}
