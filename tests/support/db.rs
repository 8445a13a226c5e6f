//! What a database holds on disk, to check that something left it alone:
//! the file and its write-ahead log byte for byte, and every row of every
//! table read through a read-only connection (which writes nothing, not
//! even a checkpoint when it closes).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use rusqlite::types::Value;
use rusqlite::{Connection, OpenFlags};

type Rows = Vec<Vec<Value>>;

#[derive(PartialEq)]
pub struct Image {
    /// The database file and its `-wal`, byte for byte (`None`: absent or
    /// empty).
    /// The `-shm` index is left out: a reader may make it, and it holds no data.
    files: Vec<(PathBuf, Option<Vec<u8>>)>,
    /// Every table in the schema with all its rows in rowid order, or why
    /// they could not be read (a hot journal refuses read-only readers).
    tables: Result<Vec<(String, Rows)>, String>,
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

fn tables(path: &Path) -> rusqlite::Result<Vec<(String, Rows)>> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let names: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    names
        .into_iter()
        .map(|name| {
            let mut stmt = conn.prepare(&format!("SELECT * FROM \"{name}\""))?;
            let n = stmt.column_count();
            let rows = stmt
                .query_map([], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect())?
                .collect::<rusqlite::Result<Rows>>()?;
            Ok((name, rows))
        })
        .collect()
}

impl Image {
    pub fn of(path: &Path) -> Image {
        let files = [path.to_path_buf(), with_suffix(path, "-wal")]
            .into_iter()
            .map(|p| {
                // An empty log holds nothing: the same as none.
                let bytes = std::fs::read(&p).ok().filter(|b| !b.is_empty());
                (p, bytes)
            })
            .collect();
        Image {
            files,
            tables: tables(path).map_err(|e| e.to_string()),
        }
    }

    /// Fails naming each file and table that is not as it was in `self`.
    pub fn assert_unchanged(&self, path: &Path, what: &str) {
        let now = Image::of(path);
        let mut changed = Vec::new();
        for ((p, before), (_, after)) in self.files.iter().zip(&now.files) {
            if before != after {
                let len = |b: &Option<Vec<u8>>| b.as_ref().map(|b| format!("{} bytes", b.len()));
                changed.push(format!(
                    "{}: {} before, {} now",
                    p.display(),
                    len(before).unwrap_or("absent".into()),
                    len(after).unwrap_or("absent".into())
                ));
            }
        }
        match (&self.tables, &now.tables) {
            (Ok(before), Ok(after)) => {
                for (name, rows) in before {
                    match after.iter().find(|(n, _)| n == name) {
                        Some((_, now_rows)) if now_rows == rows => {}
                        Some((_, now_rows)) => changed.push(format!(
                            "table {name}: {} rows before, {} now, or other values",
                            rows.len(),
                            now_rows.len()
                        )),
                        None => changed.push(format!("table {name}: gone")),
                    }
                }
                for (name, _) in after {
                    if !before.iter().any(|(n, _)| n == name) {
                        changed.push(format!("table {name}: new"));
                    }
                }
            }
            (Err(before), Err(now)) if before != now => {
                changed.push(format!("tables unreadable: {before} before, {now} now"))
            }
            (Err(before), Ok(_)) => {
                changed.push(format!("tables unreadable before ({before}), readable now"))
            }
            (Ok(_), Err(now)) => {
                changed.push(format!("tables readable before, unreadable now: {now}"))
            }
            (Err(_), Err(_)) => {}
        }
        assert!(
            changed.is_empty(),
            "{what} changed the database:\n{}",
            changed.join("\n")
        );
    }
}
