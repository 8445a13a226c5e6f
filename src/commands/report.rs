//! `fieldbook report [--year Y] [--township CODE] [--format table|csv|json]
//! [--xlsx FILE]`: the county's figures for a year, for SSH and the county
//! office's spreadsheets, computed by the same code as the reports screen
//! (`store::report`), so the numbers are the screen's. The whole county
//! also gets the townships side by side.
//!
//! `fieldbook lists --village CODE [--xlsx FILE] [--public]`: a village's
//! five lists (`store::lists`), one after the other, or one sheet each.
//!
//! Read-only. A workbook is written beside its name and renamed into
//! place, so a failed run leaves no half-written file. Exit status: 0
//! printed, 1 the database could not be read or the file not written, 2 a
//! year, township or village that is not one.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use super::Ctx;
use crate::store::report::{COMPARE, Figure, Report, Value, counted_on};
use crate::store::{OpenOptions, Store};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

fn open(ctx: &Ctx) -> Option<Store> {
    match Store::open(
        &ctx.db,
        OpenOptions {
            read_only: true,
            create: false,
        },
    ) {
        Ok(s) => Some(s),
        Err(e) => {
            ctx.report(&e);
            None
        }
    }
}

/// A figure's label as the report lays it out: a part indented under its figure.
fn label(ctx: &Ctx, f: &Figure) -> String {
    let text = f.label.text(&ctx.catalog, ctx.lang);
    format!("{}{text}", "  ".repeat(usize::from(f.depth)))
}

/// The title: year, where, and the day posts are counted on.
pub fn title(cat: &crate::i18n::Catalog, lang: crate::i18n::Lang, r: &Report) -> String {
    let place = match &r.township {
        Some(t) => crate::i18n::catalogue_text(cat, &t.name_zh, &t.name_bo, "", lang),
        None => cat.text(lang, "report.whole_county"),
    };
    cat.format(
        lang,
        "report.heading",
        &[
            ("year", &r.year.to_string()),
            ("place", &place),
            ("on", &r.on.to_string()),
        ],
    )
}

pub fn run(
    ctx: &Ctx,
    year: Option<&str>,
    township: Option<&str>,
    format: Format,
    xlsx: Option<&Path>,
) -> ExitCode {
    let today = crate::clock::today();
    let year = match year.map(str::trim) {
        None => chrono::Datelike::year(&today),
        Some(y) => match y.parse::<i32>() {
            Ok(n)
                if (crate::domain::rules::FIRST_EXIT_YEAR..=chrono::Datelike::year(&today))
                    .contains(&n) =>
            {
                n
            }
            _ => {
                err!("fieldbook: {}", ctx.t("report.error.year", &[("year", y)]));
                return ExitCode::from(2);
            }
        },
    };
    let Some(store) = open(ctx) else {
        return ExitCode::FAILURE;
    };
    let township_id = match township {
        None => None,
        Some(code) => match store.township_by_code(code.trim()) {
            Ok(Some(t)) => Some(t.meta.id),
            Ok(None) => {
                err!(
                    "fieldbook: {}",
                    ctx.t("report.error.township", &[("code", code)])
                );
                return ExitCode::from(2);
            }
            Err(e) => {
                ctx.report(&e);
                return ExitCode::FAILURE;
            }
        },
    };
    let report = match store
        .report_data(year, counted_on(year, today))
        .map(|d| d.report(township_id))
    {
        Ok(r) => r,
        Err(e) => {
            ctx.report(&e);
            return ExitCode::FAILURE;
        }
    };
    let figures = report.figures();
    // The county: the townships side by side.
    let compare: Vec<Vec<String>> = if township_id.is_none() {
        report
            .townships
            .iter()
            .map(|(t, c)| {
                let mut row = vec![
                    t.code.clone(),
                    crate::i18n::catalogue_text(&ctx.catalog, &t.name_zh, &t.name_bo, "", ctx.lang),
                ];
                row.extend(COMPARE.iter().map(|m| (m.of)(c).to_string()));
                row
            })
            .collect()
    } else {
        Vec::new()
    };
    let compare_header: Vec<String> = [
        ctx.t("report.col.code", &[]),
        ctx.t("training.col.township", &[]),
    ]
    .into_iter()
    .chain(COMPARE.iter().map(|m| ctx.t(m.key, &[])))
    .collect();
    if let Some(path) = xlsx {
        let mut figure_rows: Vec<Vec<Cell>> =
            vec![vec![Cell::Text(title(&ctx.catalog, ctx.lang, &report))]];
        figure_rows.extend(figures.iter().map(|f| {
            vec![
                Cell::Text(label(ctx, f)),
                match f.value {
                    None => Cell::Text(String::new()),
                    Some(Value::Count(n)) => Cell::Number(n as f64),
                    Some(Value::Yuan(fen)) => Cell::Number(fen as f64 / 100.0),
                    Some(v) => Cell::Text(v.text()),
                },
                Cell::Text(f.id.clone()),
            ]
        }));
        let mut sheets = vec![Sheet {
            name: ctx.t("report.title", &[]),
            header: Vec::new(),
            rows: figure_rows,
        }];
        if !compare.is_empty() {
            sheets.push(Sheet {
                name: ctx.t("report.chart.townships", &[]),
                header: compare_header.clone(),
                rows: compare
                    .iter()
                    .map(|r| {
                        r.iter()
                            .enumerate()
                            .map(|(i, c)| match (i, c.parse::<f64>()) {
                                (2.., Ok(n)) => Cell::Number(n),
                                _ => Cell::Text(c.clone()),
                            })
                            .collect()
                    })
                    .collect(),
            });
        }
        if let Err(e) = write_workbook(path, &sheets) {
            err!(
                "fieldbook: {}",
                ctx.t(
                    "report.error.xlsx",
                    &[("path", &path.display().to_string()), ("detail", &e)]
                )
            );
            return ExitCode::FAILURE;
        }
    }
    let out = match format {
        Format::Table => {
            let rows: Vec<Vec<String>> = figures
                .iter()
                .map(|f| vec![label(ctx, f), f.value.map(Value::text).unwrap_or_default()])
                .collect();
            let mut out = title(&ctx.catalog, ctx.lang, &report);
            out.push('\n');
            out.push_str(&super::lookup::render(
                &[String::new(), String::new()],
                &rows,
            ));
            if !compare.is_empty() {
                out.push('\n');
                out.push_str(&ctx.t("report.chart.townships", &[]));
                out.push('\n');
                out.push_str(&super::lookup::render(&compare_header, &compare));
            }
            // The empty heading row of the figures is not printed.
            out.replacen("\n\n", "\n", 1)
        }
        Format::Csv => {
            let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
            let mut rows: Vec<Vec<String>> =
                vec![vec!["id".into(), "label".into(), "value".into()]];
            rows.extend(figures.iter().filter(|f| f.value.is_some()).map(|f| {
                vec![
                    f.id.clone(),
                    f.label.text(&ctx.catalog, ctx.lang),
                    f.value.map(Value::text).unwrap_or_default(),
                ]
            }));
            for (t, c) in report.townships.iter().filter(|_| township_id.is_none()) {
                for m in COMPARE {
                    rows.push(vec![
                        format!("township.{}.{}", t.code, m.id),
                        format!(
                            "{} {}",
                            crate::i18n::catalogue_text(
                                &ctx.catalog,
                                &t.name_zh,
                                &t.name_bo,
                                "",
                                ctx.lang
                            ),
                            ctx.t(m.key, &[])
                        ),
                        (m.of)(c).to_string(),
                    ]);
                }
            }
            let ok = rows.iter().try_for_each(|l| {
                w.write_record(l.iter().map(|c| crate::text::clean(c).into_owned()))
            });
            match (ok, w.into_inner()) {
                (Ok(()), Ok(bytes)) => String::from_utf8_lossy(&bytes).into_owned(),
                _ => String::new(),
            }
        }
        Format::Json => {
            let figures: Vec<serde_json::Value> = figures
                .iter()
                .filter(|f| f.value.is_some())
                .map(|f| {
                    serde_json::json!({
                        "id": f.id,
                        "label": f.label.text(&ctx.catalog, ctx.lang),
                        "value": f.value.map(Value::text).unwrap_or_default(),
                    })
                })
                .collect();
            let townships: Vec<serde_json::Value> = report
                .townships
                .iter()
                .filter(|_| township_id.is_none())
                .map(|(t, c)| {
                    let mut o = serde_json::Map::new();
                    o.insert("code".into(), t.code.clone().into());
                    for m in COMPARE {
                        o.insert(m.id.into(), (m.of)(c).into());
                    }
                    serde_json::Value::Object(o)
                })
                .collect();
            let v = serde_json::json!({
                "year": report.year,
                "township": report.township.as_ref().map(|t| t.code.clone()),
                "counted_on": report.on.to_string(),
                "figures": figures,
                "townships": townships,
            });
            let mut s = super::lookup::escape_unsafe(&v.to_string());
            s.push('\n');
            s
        }
    };
    print(&out);
    ExitCode::SUCCESS
}

fn print(out: &str) {
    let out = crate::text::clean_lines(out);
    let mut stdout = io::stdout().lock();
    // A closed pipe (`| head`) is the reader's choice, not an error.
    let _ = stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush());
}

pub fn lists(ctx: &Ctx, village: &str, xlsx: Option<&Path>, public: bool) -> ExitCode {
    let Some(store) = open(ctx) else {
        return ExitCode::FAILURE;
    };
    let found = store.village_by_code(village.trim()).and_then(|v| match v {
        Some(v) => store.five_lists(v.meta.id, crate::clock::today()),
        None => Ok(None),
    });
    let lists = match found {
        Ok(Some(l)) => l,
        Ok(None) => {
            err!(
                "fieldbook: {}",
                ctx.t("lists.error.village", &[("code", village)])
            );
            return ExitCode::from(2);
        }
        Err(e) => {
            ctx.report(&e);
            return ExitCode::FAILURE;
        }
    };
    let tables = crate::store::lists::tables(&lists, &ctx.catalog, ctx.lang, public);
    if let Some(path) = xlsx {
        let sheets: Vec<Sheet> = tables
            .iter()
            .map(|t| Sheet {
                name: t.title.clone(),
                header: t.headers.clone(),
                rows: t
                    .rows
                    .iter()
                    .map(|r| r.iter().cloned().map(Cell::Text).collect())
                    .collect(),
            })
            .collect();
        if let Err(e) = write_workbook(path, &sheets) {
            err!(
                "fieldbook: {}",
                ctx.t(
                    "report.error.xlsx",
                    &[("path", &path.display().to_string()), ("detail", &e)]
                )
            );
            return ExitCode::FAILURE;
        }
    }
    let village_name = crate::i18n::catalogue_text(
        &ctx.catalog,
        &lists.village.zh,
        &lists.village.bo,
        "",
        ctx.lang,
    );
    let mut out = String::new();
    for t in &tables {
        out.push_str(&ctx.t(
            "lists.cli_title",
            &[
                ("list", &t.title),
                ("village", &village_name),
                ("code", &lists.village_code),
                ("n", &t.rows.len().to_string()),
            ],
        ));
        out.push('\n');
        out.push_str(&super::lookup::render(&t.headers, &t.rows));
        out.push('\n');
    }
    print(&out);
    ExitCode::SUCCESS
}

/// A workbook cell.
pub enum Cell {
    Text(String),
    Number(f64),
}

/// A sheet: its name, a bold header row (if any), and its rows.
pub struct Sheet {
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// Writes `sheets` as a workbook beside `path`, then renames it into
/// place: readable by its owner only (lists name people).
pub fn write_workbook(path: &Path, sheets: &[Sheet]) -> Result<(), String> {
    use rust_xlsxwriter::{Format as Style, Workbook};
    let e = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let mut wb = Workbook::new();
    let bold = Style::new().set_bold();
    let mut used: Vec<String> = Vec::new();
    for s in sheets {
        let sheet = wb.add_worksheet();
        // Sheet names: at most 31 characters, none of []:*?/\, each once.
        let mut name: String = crate::text::clean(&s.name)
            .chars()
            .filter(|c| !"[]:*?/\\'".contains(*c))
            .take(28)
            .collect();
        if name.trim().is_empty() || used.contains(&name) {
            name = format!("{} {}", name.trim(), used.len() + 1)
                .trim()
                .to_owned();
        }
        used.push(name.clone());
        sheet.set_name(&name).map_err(e)?;
        let mut r = 0u32;
        if !s.header.is_empty() {
            for (c, h) in s.header.iter().enumerate() {
                sheet
                    .write_string_with_format(0, c as u16, crate::text::clean(h).as_ref(), &bold)
                    .map_err(e)?;
            }
            r = 1;
        }
        for row in &s.rows {
            for (c, cell) in row.iter().enumerate() {
                match cell {
                    Cell::Text(t) => sheet
                        .write_string(r, c as u16, crate::text::clean(t).as_ref())
                        .map(|_| ()),
                    Cell::Number(n) => sheet.write_number(r, c as u16, *n).map(|_| ()),
                }
                .map_err(e)?;
            }
            r += 1;
        }
    }
    let tmp = crate::store::temp_beside(path);
    let result = wb
        .save(&tmp)
        .map_err(e)
        .and_then(|()| super::roster::private(&tmp).map_err(|e| e.to_string()))
        .and_then(|()| std::fs::rename(&tmp, path).map_err(|e| e.to_string()));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
