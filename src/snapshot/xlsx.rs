//! The workbook for the county office (`--xlsx`): a sheet per table with
//! Chinese headers, choice labels instead of codes, money in yuan. Written
//! in rust_xlsxwriter's constant-memory mode, row by row as the CSV files
//! are, so memory stays flat however many rows there are.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::SnapshotError;
use super::codebook::{column_key, table_key};
use super::files::sha256_of;
use super::manifest::FileEntry;
use crate::domain::table::{Kind, Table};
use crate::i18n::{Catalog, Locale};
use crate::store::sync::Cell;

/// Excel's rows per sheet; a longer table continues on another sheet.
const MAX_ROWS: u32 = 1_048_576;

pub struct Book<'a> {
    wb: Workbook,
    catalog: &'a Catalog,
    courses: HashMap<String, String>,
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
                Kind::Id | Kind::Ref(_) => 38.0,
                Kind::Timestamp => 25.0,
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

    /// Writes one row of the current table.
    pub fn write_row(&mut self, cells: &[Cell<'_>]) -> Result<(), SnapshotError> {
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
        let e = err(&self.path);
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
