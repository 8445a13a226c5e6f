//! The workbook for the county office (`--xlsx`), for people to read: a
//! sheet per table with Chinese headers, choice labels instead of codes,
//! money in yuan, references as what they name (a household number, a
//! person's or a village's names: see `Table::label`) instead of UUIDs,
//! and times in local time (`2026-06-01 16:30:00`) instead of UTC. The CSV
//! files keep UUIDs and UTC for machines.
//!
//! Written in rust_xlsxwriter's constant-memory mode, row by row as the CSV
//! files are, so memory stays flat however many rows there are. A
//! reference is read from the database when met, by id, and kept in a
//! small cache (rows that name the same household come together).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::SnapshotError;
use super::codebook::{column_key, table_key};
use super::files::sha256_of;
use super::manifest::FileEntry;
use crate::domain::table::{Kind, Table};
use crate::i18n::{Catalog, Locale};
use crate::store::sync::{Cell, Reader};

/// Excel's rows per sheet; a longer table continues on another sheet.
const MAX_ROWS: u32 = 1_048_576;

/// References read and kept at most, over all tables, before the cache
/// starts again (a few MB).
const LABELS_KEPT: usize = 20_000;

/// How deep a reference is read through references (a subsidy payment's
/// assignment's post's village); the declarations go three deep.
const LABEL_DEPTH: u8 = 4;

/// Between the parts of a label (`扎西 བཀྲ་ཤིས / 生态护林员 / 德钦村`).
const LABEL_SEPARATOR: &str = " / ";

/// How a time is shown: local time, to the second.
pub const LOCAL_TIME: &str = "%Y-%m-%d %H:%M:%S";

pub struct Book<'a> {
    wb: Workbook,
    catalog: &'a Catalog,
    courses: HashMap<String, String>,
    /// References already read: table, id, label.
    labels: HashMap<&'static str, HashMap<String, String>>,
    labels_kept: usize,
    header: Format,
    money: Format,
    /// Sheet names used so far (Excel needs them unique).
    names: Vec<String>,
    sheet: Option<Sheet>,
    rows: u64,
    path: PathBuf,
}

struct Sheet {
    ws: Worksheet,
    name: String,
    headers: Vec<String>,
    kinds: Vec<Kind>,
    widths: Vec<f64>,
    row: u32,
    part: u32,
}

fn err(path: &Path) -> impl Fn(XlsxError) -> SnapshotError + '_ {
    move |e| SnapshotError::Xlsx {
        path: path.to_path_buf(),
        detail: e.to_string(),
    }
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(label: &str) -> String {
    label
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(31)
        .collect::<String>()
        .trim_matches('\'')
        .to_owned()
}

impl<'a> Book<'a> {
    /// A workbook to be saved at `path`; its sheets' temporary files go in `tmp_dir`.
    pub fn new(
        path: PathBuf,
        tmp_dir: &Path,
        catalog: &'a Catalog,
        courses: &[(String, String, String, String)],
    ) -> Result<Book<'a>, SnapshotError> {
        let mut wb = Workbook::new();
        wb.set_tempdir(tmp_dir).map_err(err(&path))?;
        Ok(Book {
            wb,
            catalog,
            courses: courses
                .iter()
                .map(|(code, zh, _, _)| (code.clone(), zh.clone()))
                .collect(),
            labels: HashMap::new(),
            labels_kept: 0,
            header: Format::new().set_bold(),
            money: Format::new().set_num_format("#,##0.00"),
            names: Vec::new(),
            sheet: None,
            rows: 0,
            path,
        })
    }

    fn zh(&self, key: &str, fallback: &str) -> String {
        self.catalog
            .get(Locale::Zh, key)
            .unwrap_or(fallback)
            .to_owned()
    }

    /// Starts the sheet of a table.
    pub fn begin_table(&mut self, table: &Table) -> Result<(), SnapshotError> {
        self.end_table();
        let name = sheet_name(&self.zh(&table_key(table.name), table.name));
        let headers = table
            .all_columns()
            .map(|c| {
                let label = self.zh(&column_key(c.name), c.name);
                if c.kind == Kind::Fen {
                    self.catalog.format(
                        crate::i18n::Lang::Zh,
                        "snapshot.xlsx.yuan",
                        &[("label", &label)],
                    )
                } else {
                    label
                }
            })
            .collect();
        let widths = table
            .all_columns()
            .map(|c| match c.kind {
                Kind::Id => 38.0,
                Kind::Ref(_) => 30.0,
                Kind::Timestamp => 20.0,
                Kind::Date | Kind::Month | Kind::Year | Kind::Flag => 12.0,
                _ => 16.0,
            })
            .collect();
        let sheet = self.new_sheet(
            name,
            headers,
            table.all_columns().map(|c| c.kind).collect(),
            widths,
            1,
        )?;
        self.sheet = Some(sheet);
        Ok(())
    }

    fn new_sheet(
        &mut self,
        base: String,
        headers: Vec<String>,
        kinds: Vec<Kind>,
        widths: Vec<f64>,
        part: u32,
    ) -> Result<Sheet, SnapshotError> {
        let e = err(&self.path);
        let mut name = if part > 1 {
            sheet_name(&format!("{base} ({part})"))
        } else {
            base.clone()
        };
        let mut n = 1;
        while name.is_empty() || self.names.contains(&name) {
            n += 1;
            name = sheet_name(&format!("{base} {n}"));
        }
        self.names.push(name.clone());
        let mut ws = self.wb.new_worksheet_with_constant_memory().map_err(&e)?;
        ws.set_name(&name).map_err(&e)?;
        for (i, w) in widths.iter().enumerate() {
            ws.set_column_width(i as u16, *w).map_err(&e)?;
        }
        for (i, h) in headers.iter().enumerate() {
            ws.write_string_with_format(0, i as u16, h, &self.header)
                .map_err(&e)?;
        }
        ws.set_freeze_panes(1, 0).map_err(&e)?;
        Ok(Sheet {
            ws,
            name: base,
            headers,
            kinds,
            widths,
            row: 1,
            part,
        })
    }

    fn end_table(&mut self) {
        if let Some(s) = self.sheet.take() {
            self.wb.push_worksheet(s.ws);
        }
    }

    fn label(&self, list_key: impl Fn(&str) -> String, code: &str) -> String {
        self.catalog
            .get(Locale::Zh, &list_key(code))
            .unwrap_or(code)
            .to_owned()
    }

    /// How the row `id` of `table` reads to a person: its label columns
    /// (see `Table::label`), names together (Chinese, then Tibetan where
    /// there is one), a reference among them read the same way. The id
    /// itself where the row cannot be found or says nothing.
    fn reference(
        &mut self,
        r: &Reader<'_>,
        table: &'static Table,
        id: &str,
        depth: u8,
    ) -> Result<String, SnapshotError> {
        if let Some(label) = self.labels.get(table.name).and_then(|m| m.get(id)) {
            return Ok(label.clone());
        }
        let values = match r.texts_by_id(table, table.label, id)? {
            Some(v) if depth < LABEL_DEPTH => v,
            _ => return Ok(id.to_owned()),
        };
        let mut parts: Vec<String> = Vec::new();
        let mut names: Vec<String> = Vec::new();
        for (name, value) in table.label.iter().zip(values) {
            let kind = table.column(name).map_or(Kind::Text, |c| c.kind);
            if kind == Kind::Name {
                names.push(value);
                continue;
            }
            parts.push(
                names
                    .drain(..)
                    .filter(|n| !n.is_empty())
                    .collect::<Vec<_>>()
                    .join(" "),
            );
            parts.push(match kind {
                Kind::Ref(target) if !value.is_empty() => {
                    match crate::domain::records::table(target) {
                        Some(t) => self.reference(r, t, &value, depth + 1)?,
                        None => value,
                    }
                }
                Kind::Code(list) if !value.is_empty() => self.label(|c| list.label_key(c), &value),
                _ => value,
            });
        }
        parts.push(
            names
                .into_iter()
                .filter(|n| !n.is_empty())
                .collect::<Vec<_>>()
                .join(" "),
        );
        parts.retain(|p| !p.is_empty());
        let label = if parts.is_empty() {
            id.to_owned()
        } else {
            parts.join(LABEL_SEPARATOR)
        };
        if self.labels_kept >= LABELS_KEPT {
            self.labels.clear();
            self.labels_kept = 0;
        }
        self.labels
            .entry(table.name)
            .or_default()
            .insert(id.to_owned(), label.clone());
        self.labels_kept += 1;
        Ok(label)
    }

    /// Writes one row of the current table; `r` reads what its references name.
    pub fn write_row(&mut self, r: &Reader<'_>, cells: &[Cell<'_>]) -> Result<(), SnapshotError> {
        let Some(mut sheet) = self.sheet.take() else {
            return Ok(());
        };
        if sheet.row >= MAX_ROWS {
            self.wb.push_worksheet(sheet.ws);
            sheet = self.new_sheet(
                sheet.name,
                sheet.headers,
                sheet.kinds,
                sheet.widths,
                sheet.part + 1,
            )?;
        }
        let path = self.path.clone();
        let e = err(&path);
        let row = sheet.row;
        for (i, cell) in cells.iter().enumerate() {
            let col = i as u16;
            let kind = sheet.kinds.get(i).cloned().unwrap_or(Kind::Text);
            match (*cell, &kind) {
                (Cell::Null, _) => {}
                (Cell::Int(n), Kind::Fen) => {
                    sheet
                        .ws
                        .write_number_with_format(row, col, n as f64 / 100.0, &self.money)
                        .map_err(&e)?;
                }
                (Cell::Int(n), Kind::Flag) => {
                    let key = if n != 0 {
                        "snapshot.flag.yes"
                    } else {
                        "snapshot.flag.no"
                    };
                    let text = self.zh(key, &n.to_string());
                    sheet.ws.write_string(row, col, text).map_err(&e)?;
                }
                (Cell::Int(n), _) => {
                    sheet.ws.write_number(row, col, n as f64).map_err(&e)?;
                }
                (Cell::Real(x), _) => {
                    sheet.ws.write_number(row, col, x).map_err(&e)?;
                }
                (Cell::Text(t), _) => {
                    let text = String::from_utf8_lossy(t);
                    let shown = match &kind {
                        Kind::Ref(target) if !text.is_empty() => {
                            match crate::domain::records::table(target) {
                                Some(table) => self.reference(r, table, &text, 0)?,
                                None => text.into_owned(),
                            }
                        }
                        Kind::Timestamp => local_time(&text).unwrap_or_else(|| text.into_owned()),
                        Kind::Code(list) if !text.is_empty() => {
                            self.label(|c| list.label_key(c), &text)
                        }
                        Kind::Codes(list) => text
                            .split_whitespace()
                            .map(|c| self.label(|c| list.label_key(c), c))
                            .collect::<Vec<_>>()
                            .join("、"),
                        Kind::CodesOf(_) => text
                            .split_whitespace()
                            .map(|c| self.courses.get(c).cloned().unwrap_or_else(|| c.to_owned()))
                            .collect::<Vec<_>>()
                            .join("、"),
                        _ => text.into_owned(),
                    };
                    if !shown.is_empty() {
                        sheet.ws.write_string(row, col, shown).map_err(&e)?;
                    }
                }
            }
        }
        sheet.row += 1;
        self.rows += 1;
        self.sheet = Some(sheet);
        Ok(())
    }

    /// Saves the workbook and describes it for the manifest.
    pub fn save(mut self) -> Result<FileEntry, SnapshotError> {
        self.end_table();
        let path = self.path.clone();
        self.wb.save(&path).map_err(err(&path))?;
        drop(self.wb);
        #[cfg(unix)]
        {
            // Like the CSV files: it holds ID numbers.
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
                .map_err(|e| SnapshotError::io(&path, e))?;
        }
        let (sha256, bytes) = sha256_of(&path).map_err(|e| SnapshotError::io(&path, e))?;
        Ok(FileEntry {
            file: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            table: None,
            rows: self.rows,
            bytes,
            sha256,
        })
    }
}

/// A stored UTC time (`2026-06-01T08:30:00.000Z`) in this computer's local
/// time zone (`TZ`, else the system's), as [`LOCAL_TIME`].
pub fn local_time(stored: &str) -> Option<String> {
    let t = chrono::DateTime::parse_from_rfc3339(stored).ok()?;
    Some(
        t.with_timezone(&chrono::Local)
            .format(LOCAL_TIME)
            .to_string(),
    )
}
