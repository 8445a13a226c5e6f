//! `fieldbook lookup QUERY [--json] [--limit N] [--show-id]`: a one-shot
//! search for a county officer over SSH ("is this person already in a
//! post?"). A plain table aligned by display width (Chinese 2 cells, a
//! Tibetan stack 1) or one JSON object per line; no terminal UI, no colour.
//! Unless `--show-id`, what would name a person beyond doubt is masked in
//! every format: the ID number, the birth date (year only) and phones. The
//! table shows no birth date or phone at all.
//! The database is opened read-only: a lookup never writes, never waits for
//! a writer, and sees only committed data.
//!
//! Exit status: 0 when something was found, 1 when nothing was (or the
//! database could not be read), 2 when the query has nothing to search for.

use std::io::{self, Write};
use std::process::ExitCode;

use super::Ctx;
use crate::domain::id_number::mask_birth_date;
use crate::domain::phone::mask_phone;
use crate::i18n::Lang;
use crate::search::{Hit, Names, Query};
use crate::store::{OpenOptions, Store};
use crate::text;

pub fn run(ctx: &Ctx, query: &str, json: bool, limit: usize, show_id: bool) -> ExitCode {
    let q = Query::parse(query);
    if q.is_empty() {
        err!(
            "fieldbook: {}",
            ctx.t("lookup.error.nothing_to_search", &[("query", query)])
        );
        return ExitCode::from(2);
    }
    let results = match Store::open(
        &ctx.db,
        OpenOptions {
            read_only: true,
            create: false,
        },
    )
    .and_then(|s| s.search_query(&q, limit))
    {
        Ok(r) => r,
        Err(e) => {
            ctx.report(&e);
            return ExitCode::FAILURE;
        }
    };
    if results.hits.is_empty() {
        err!("{}", ctx.t("lookup.none", &[("query", query)]));
        return ExitCode::FAILURE;
    }
    let out = if json {
        json_lines(&results.hits, show_id)
    } else {
        crate::text::clean_lines(&table(ctx, &results.hits, show_id)).into_owned()
    };
    // A closed pipe (`| head`) is the reader's choice, not an error.
    let mut stdout = io::stdout().lock();
    if stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
        .is_err()
    {
        return ExitCode::SUCCESS;
    }
    if results.more {
        err!(
            "{}",
            ctx.t(
                "lookup.more",
                &[("shown", &results.hits.len().to_string()), ("query", query)]
            )
        );
    }
    ExitCode::SUCCESS
}

/// The row's cells, in the order of [`HEADERS`].
fn cells(hit: &Hit, cat: &crate::i18n::Catalog, lang: Lang, show_id: bool) -> Vec<String> {
    let list = |names: &[Names]| {
        names
            .iter()
            .map(|n| n.show(cat, lang))
            .collect::<Vec<_>>()
            .join(&crate::i18n::list_sep(cat, lang))
    };
    let village = Names {
        zh: hit.village_zh.clone(),
        bo: hit.village_bo.clone(),
        en: String::new(),
    };
    vec![
        hit.name_zh.clone(),
        hit.name_bo.clone(),
        if show_id {
            hit.id_number.clone()
        } else {
            hit.id_masked.clone()
        },
        hit.household_number.clone(),
        village.show(cat, lang),
        list(&hit.posts),
        list(&hit.trainings),
        hit.last_visit.map(|d| d.to_string()).unwrap_or_default(),
    ]
}

const HEADERS: [&str; 8] = [
    "lookup.col.name_zh",
    "lookup.col.name_bo",
    "lookup.col.id_number",
    "lookup.col.household",
    "lookup.col.village",
    "lookup.col.post",
    "lookup.col.trainings",
    "lookup.col.last_visit",
];

/// The aligned table: columns two cells apart, each as wide as its widest
/// cell (counted in terminal cells, not characters), nothing cut.
pub fn table(ctx: &Ctx, hits: &[Hit], show_id: bool) -> String {
    let header: Vec<String> = HEADERS.iter().map(|k| ctx.t(k, &[])).collect();
    let rows: Vec<Vec<String>> = hits
        .iter()
        .map(|h| cells(h, &ctx.catalog, ctx.lang, show_id))
        .collect();
    render(&header, &rows)
}

/// Lays out `header` and `rows` as aligned columns.
pub fn render(header: &[String], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| text::width(h)).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(text::width(cell));
        }
    }
    let mut out = String::new();
    for row in std::iter::once(header).chain(rows.iter().map(Vec::as_slice)) {
        let mut line = String::new();
        for (i, (cell, w)) in row.iter().zip(&widths).enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            line.push_str(cell);
            line.push_str(&" ".repeat(w.saturating_sub(text::width(cell))));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// One JSON object per hit and line, the ID number masked unless asked,
/// and with it the birth date and the phones: the birth date is the
/// number's hidden middle, and a phone names the person as surely.
fn json_lines(hits: &[Hit], show_id: bool) -> String {
    let mut out = String::new();
    for hit in hits {
        let mut value = serde_json::to_value(hit).unwrap_or_default();
        if let Some(obj) = value.as_object_mut() {
            if !show_id {
                obj.insert("id_number".into(), hit.id_masked.clone().into());
                obj.insert(
                    "birth_date".into(),
                    hit.birth_date.map(mask_birth_date).into(),
                );
                obj.insert("phone".into(), mask_phone(&hit.phone).into());
                obj.insert(
                    "household_phone".into(),
                    mask_phone(&hit.household_phone).into(),
                );
            }
            obj.remove("id_masked");
        }
        out.push_str(&escape_unsafe(&value.to_string()));
        out.push('\n');
    }
    out
}

/// JSON with every character that could control a terminal written as a
/// `\uXXXX` escape (serde_json escapes only those below U+0020): a script
/// reading it gets the same text, a terminal showing it gets no control.
pub(crate) fn escape_unsafe(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if crate::text::is_unsafe_char(c) {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{u:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}
