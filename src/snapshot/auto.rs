//! The automatic snapshot: when the app exits, the day's snapshot is written
//! to the `exports` folder beside the database if anything changed since
//! the last one, and snapshots older than `snapshot_keep_days` (a setting,
//! 30 by default) are removed, the newest always kept.
//!
//! "Changed" is told by the audit log's newest sequence number, stored in
//! the settings (local to this installation) with each snapshot written to
//! the exports folder.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{Days, NaiveDate};

use super::{ExportOptions, Exported, SnapshotError, export};
use crate::i18n::Catalog;
use crate::store::Store;

/// Setting: how many days of snapshots the exports folder keeps.
pub const KEEP_DAYS_SETTING: &str = "snapshot_keep_days";
pub const DEFAULT_KEEP_DAYS: u32 = 30;
/// Settings: the change mark and folder of the last snapshot written there.
const MARK_SETTING: &str = "snapshot_last_mark";
const DIR_SETTING: &str = "snapshot_last_dir";

/// The exports folder of a database: `exports` beside it.
pub fn export_dir(db: &Path) -> PathBuf {
    match db.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.join("exports"),
        _ => PathBuf::from("exports"),
    }
}

/// Days of snapshots to keep (at least 1).
pub fn keep_days(store: &Store) -> u32 {
    store
        .setting(KEEP_DAYS_SETTING)
        .ok()
        .flatten()
        .and_then(|v| v.trim().parse::<u32>().ok())
        .unwrap_or(DEFAULT_KEEP_DAYS)
        .max(1)
}

/// Whether the exit-time snapshot should be written: the database is
/// writable, has been changed at all, and changed since the last snapshot
/// (or that snapshot is gone).
pub fn due(store: &Store) -> Result<bool, SnapshotError> {
    if store.is_read_only() {
        return Ok(false);
    }
    let mark = store.change_mark()?;
    if mark == 0 {
        return Ok(false);
    }
    let last: Option<i64> = store.setting(MARK_SETTING)?.and_then(|v| v.parse().ok());
    let dir_exists = store
        .setting(DIR_SETTING)?
        .is_some_and(|d| Path::new(&d).join(super::MANIFEST).is_file());
    Ok(last != Some(mark) || !dir_exists)
}

/// Remembers a snapshot written to the exports folder (so the next exit
/// knows whether anything changed since), and applies the retention.
pub fn record(store: &mut Store, exported: &Exported) -> Result<(), SnapshotError> {
    if store.is_read_only() {
        return Ok(());
    }
    store.set_setting(MARK_SETTING, &exported.mark.to_string())?;
    store.set_setting(DIR_SETTING, &exported.dir.display().to_string())?;
    if let Some(out) = exported.dir.parent() {
        prune(out, crate::clock::today(), keep_days(store))?;
    }
    Ok(())
}

/// Writes the day's snapshot if [`due`]; `None` when there was nothing to do.
pub fn on_exit(
    store: &mut Store,
    catalog: &Catalog,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Option<PathBuf>, SnapshotError> {
    if !due(store)? {
        return Ok(None);
    }
    let opts = ExportOptions {
        out_dir: export_dir(store.path()),
        date: crate::clock::today(),
        xlsx: false,
    };
    let exported = export(store, catalog, &opts, progress)?;
    record(store, &exported)?;
    Ok(Some(exported.dir))
}

/// Removes the dated snapshot folders of `out` older than `keep_days` days
/// before `today`, never the newest one. Returns what it removed.
pub fn prune(out: &Path, today: NaiveDate, keep_days: u32) -> Result<Vec<PathBuf>, SnapshotError> {
    let oldest_kept = today
        .checked_sub_days(Days::new(u64::from(keep_days.max(1)) - 1))
        .unwrap_or(NaiveDate::MIN);
    let mut dated: Vec<(NaiveDate, PathBuf)> = fs::read_dir(out)
        .map_err(|e| SnapshotError::io(out, e))?
        .flatten()
        .filter(|e| e.path().is_dir())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let date = NaiveDate::parse_from_str(&name, "%Y-%m-%d").ok()?;
            (name.len() == 10).then_some((date, e.path()))
        })
        .collect();
    dated.sort();
    let newest = dated.last().map(|(d, _)| *d);
    let mut removed = Vec::new();
    for (date, path) in dated {
        if date < oldest_kept && Some(date) != newest {
            fs::remove_dir_all(&path).map_err(|e| SnapshotError::io(&path, e))?;
            removed.push(path);
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prune_keeps_the_last_days_and_always_the_newest() {
        let dir = tempfile::tempdir().unwrap();
        for d in [
            "2026-05-01",
            "2026-05-30",
            "2026-05-31",
            "2026-06-01",
            "notes",
        ] {
            fs::create_dir(dir.path().join(d)).unwrap();
        }
        let today = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let removed = prune(dir.path(), today, 2).unwrap();
        assert_eq!(removed.len(), 2);
        assert!(dir.path().join("2026-05-31").exists());
        assert!(dir.path().join("2026-06-01").exists());
        assert!(dir.path().join("notes").exists());
        // Only old snapshots left: the newest stays whatever its age.
        fs::remove_dir(dir.path().join("2026-06-01")).unwrap();
        let later = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
        prune(dir.path(), later, 30).unwrap();
        assert!(dir.path().join("2026-05-31").exists());
    }
}
