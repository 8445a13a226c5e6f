//! `fieldbook payroll --month YYYY-MM [--township CODE] [--format
//! table|csv|json] [--xlsx FILE] [--public]`: the month's payroll as
//! counties post it: number, name, ID number, post, required days, days
//! worked, amount, agreement period; the total. `--public` masks ID
//! numbers for the notice board (公示). Read-only: printing a payroll
//! never writes.
//!
//! Exit status: 0 printed (an empty month prints its header and a zero
//! total), 1 the database could not be read or the file not written, 2 a
//! month or township that is not one.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use super::Ctx;
use crate::domain::id_number::mask;
use crate::domain::posts::Month;
use crate::domain::rules::format_yuan;
use crate::i18n::catalogue_text;
use crate::store::posts::PayrollLine;
use crate::store::{OpenOptions, Store};

/// How the payroll is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

const HEADERS: [&str; 9] = [
    "payroll.col.number",
    "payroll.col.name",
    "payroll.col.id_number",
    "payroll.col.township",
    "payroll.col.post",
    "payroll.col.required_days",
    "payroll.col.days_worked",
    "payroll.col.amount",
    "payroll.col.agreement",
];

pub fn run(
    ctx: &Ctx,
    month: &str,
    township: Option<&str>,
    format: Format,
    xlsx: Option<&Path>,
    public: bool,
) -> ExitCode {
    let Some(m) = Month::parse(month) else {
        err!(
            "fieldbook: {}",
            ctx.t("payroll.error.month", &[("month", month)])
        );
        return ExitCode::from(2);
    };
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
    let township_id = match township {
        None => None,
        Some(code) => match store.townships() {
            Ok(ts) => match ts.into_iter().find(|t| t.code == code.trim()) {
                Some(t) => Some(t.meta.id),
                None => {
                    err!(
                        "fieldbook: {}",
                        ctx.t("payroll.error.township", &[("code", code)])
                    );
                    return ExitCode::from(2);
                }
            },
            Err(e) => {
                ctx.report(&e);
                return ExitCode::FAILURE;
            }
        },
    };
    let lines = match store.payroll(township_id, m) {
        Ok(l) => l,
        Err(e) => {
            ctx.report(&e);
            return ExitCode::FAILURE;
        }
    };
    let header: Vec<String> = HEADERS.iter().map(|k| ctx.t(k, &[])).collect();
    let rows: Vec<Vec<String>> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| cells(ctx, i, l, public))
        .collect();
    let total: i64 = lines.iter().map(|l| l.payment.amount_fen).sum();
    if let Some(path) = xlsx
        && let Err(e) = workbook(path, &header, &rows, total, ctx, m)
    {
        err!(
            "fieldbook: {}",
            ctx.t(
                "payroll.error.xlsx",
                &[("path", &path.display().to_string()), ("error", &e)]
            )
        );
        return ExitCode::FAILURE;
    }
    let out = match format {
        Format::Table => {
            let mut out = ctx.t("payroll.heading", &[("month", &m.to_string())]);
            out.push('\n');
            let mut all = rows.clone();
            let mut sum = vec![String::new(); HEADERS.len()];
            sum[1] = ctx.t("payroll.total", &[]);
            sum[7] = format_yuan(total);
            all.push(sum);
            out.push_str(&super::lookup::render(&header, &all));
            out
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            let _ = w.write_record(&header);
            for r in &rows {
                let _ = w.write_record(r);
            }
            let mut sum = vec![String::new(); HEADERS.len()];
            sum[1] = ctx.t("payroll.total", &[]);
            sum[7] = format_yuan(total);
            let _ = w.write_record(&sum);
            String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
        }
        Format::Json => {
            let mut out = String::new();
            for (i, l) in lines.iter().enumerate() {
                let v = serde_json::json!({
                    "number": i + 1,
                    "name_zh": l.person.zh,
                    "name_bo": l.person.bo,
                    "id_number": if public { mask(&l.id_number) } else { l.id_number.clone() },
                    "township": l.township.zh,
                    "village": l.village.zh,
                    "post": l.post.zh,
                    "month": l.payment.month,
                    "required_days": l.payment.required_days,
                    "days_worked": l.payment.days_worked,
                    "days_counted": l.payment.days_counted,
                    "amount_fen": l.payment.amount_fen,
                    "paid_on": l.payment.paid_on,
                    "agreement_start": l.start,
                    "agreement_end": l.end,
                });
                out.push_str(&v.to_string());
                out.push('\n');
            }
            out
        }
    };
    let out = crate::text::clean_lines(&out).into_owned();
    let mut stdout = io::stdout().lock();
    // A closed pipe (`| head`) is the reader's choice, not an error.
    let _ = stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush());
    ExitCode::SUCCESS
}

fn cells(ctx: &Ctx, i: usize, l: &PayrollLine, public: bool) -> Vec<String> {
    let name = crate::i18n::names_text(&l.person.zh, &l.person.bo, "", ctx.lang);
    vec![
        (i + 1).to_string(),
        name,
        if public {
            mask(&l.id_number)
        } else {
            l.id_number.clone()
        },
        format!(
            "{} {}",
            catalogue_text(&ctx.catalog, &l.township.zh, &l.township.bo, "", ctx.lang),
            catalogue_text(&ctx.catalog, &l.village.zh, &l.village.bo, "", ctx.lang)
        ),
        catalogue_text(&ctx.catalog, &l.post.zh, &l.post.bo, &l.post.en, ctx.lang),
        l.payment.required_days.to_string(),
        l.payment.days_worked.to_string(),
        format_yuan(l.payment.amount_fen),
        format!("{}–{}", l.start, l.end),
    ]
}

/// The same payroll as a workbook: one sheet, amounts as numbers in yuan.
fn workbook(
    path: &Path,
    header: &[String],
    rows: &[Vec<String>],
    total: i64,
    ctx: &Ctx,
    m: Month,
) -> Result<(), String> {
    use rust_xlsxwriter::{Format as Cell, Workbook};
    let mut wb = Workbook::new();
    let bold = Cell::new().set_bold();
    let money = Cell::new().set_num_format("#,##0.00");
    let sheet = wb.add_worksheet();
    let e = |e: rust_xlsxwriter::XlsxError| e.to_string();
    sheet
        .set_name(m.to_string())
        .map_err(e)?
        .write_string_with_format(
            0,
            0,
            ctx.t("payroll.heading", &[("month", &m.to_string())]),
            &bold,
        )
        .map_err(e)?;
    for (c, h) in header.iter().enumerate() {
        sheet
            .write_string_with_format(2, c as u16, h, &bold)
            .map_err(e)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 3;
        for (c, v) in row.iter().enumerate() {
            match c {
                0 | 5 | 6 => {
                    let n: f64 = v.parse().unwrap_or_default();
                    sheet.write_number(r, c as u16, n).map_err(e)?;
                }
                7 => {
                    let n: f64 = v.parse().unwrap_or_default();
                    sheet
                        .write_number_with_format(r, c as u16, n, &money)
                        .map_err(e)?;
                }
                _ => {
                    sheet.write_string(r, c as u16, v).map_err(e)?;
                }
            }
        }
    }
    let r = rows.len() as u32 + 3;
    sheet
        .write_string_with_format(r, 1, ctx.t("payroll.total", &[]), &bold)
        .map_err(e)?;
    sheet
        .write_number_with_format(r, 7, total as f64 / 100.0, &money)
        .map_err(e)?;
    wb.save(path).map_err(e)
}
