//! `manifest.json`: what a snapshot holds, who made it, and each file's row
//! count and SHA-256, written last so a snapshot with a manifest is whole.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::SnapshotError;

pub const MANIFEST: &str = "manifest.json";
pub const FORMAT: &str = "fieldbook-snapshot";
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always `fieldbook-snapshot`.
    pub format: String,
    pub format_version: u32,
    /// The fieldbook version that wrote it.
    pub app_version: String,
    /// The database schema version the rows follow.
    pub schema_version: usize,
    /// The installation that exported it.
    pub device_id: String,
    pub operator: String,
    /// UTC, when the rows were read.
    pub exported_at: String,
    /// The snapshot's day (China Standard Time), the folder's name.
    pub date: String,
    pub files: Vec<FileEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// The file's name in the snapshot folder.
    pub file: String,
    /// The table whose rows it holds (absent for the codebook and the workbook).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    /// Data rows (not counting the header).
    pub rows: u64,
    pub bytes: u64,
    /// Hex SHA-256 of the whole file.
    pub sha256: String,
}

impl Manifest {
    /// Reads and checks the manifest of the snapshot folder `dir`.
    pub fn read(dir: &Path) -> Result<Manifest, SnapshotError> {
        let path = dir.join(MANIFEST);
        let text = match crate::files::read(&path) {
            Ok(t) => t,
            Err(crate::files::Unreadable::Missing) => {
                return Err(SnapshotError::NoManifest {
                    dir: dir.to_path_buf(),
                });
            }
            Err(crate::files::Unreadable::NotRegular(kind)) => {
                return Err(SnapshotError::NotRegular { path, kind });
            }
            Err(crate::files::Unreadable::Io(e)) => return Err(SnapshotError::io(&path, e)),
        };
        let text = text.strip_prefix(super::files::BOM).unwrap_or(&text);
        let m: Manifest = serde_json::from_slice(text).map_err(|e| SnapshotError::BadManifest {
            path: path.clone(),
            detail: e.to_string(),
        })?;
        if m.format != FORMAT || m.format_version != FORMAT_VERSION {
            return Err(SnapshotError::UnknownFormat {
                path,
                found: format!("{} {}", m.format, m.format_version),
            });
        }
        Ok(m)
    }
}
