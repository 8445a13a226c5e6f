//! What fieldbook reads from the file system: regular files only, and
//! never through a link, so a snapshot folder or a village list cannot make
//! it read a system file, nor hang on a named pipe. (The database given
//! with `--db` may be reached through a link: the store checks it is a
//! regular file and that it is fieldbook's.)

use std::fs::Metadata;
use std::path::Path;

/// The locale key naming what a file system entry is (for messages that
/// refuse anything but a regular file).
pub fn kind(meta: &Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_symlink() {
        return "file.kind.link";
    }
    if t.is_dir() {
        return "file.kind.dir";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "file.kind.fifo";
        }
        if t.is_socket() {
            return "file.kind.socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "file.kind.device";
        }
    }
    if t.is_file() {
        "file.kind.file"
    } else {
        "file.kind.other"
    }
}

/// Why a file was not read.
#[derive(Debug)]
pub enum Unreadable {
    Missing,
    /// Something other than a regular file (the locale key of what it is).
    NotRegular(&'static str),
    Io(std::io::Error),
}

/// Whether `path` is a regular file reached without a link: `Ok(false)`
/// when nothing is there.
pub fn regular(path: &Path) -> Result<bool, Unreadable> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_file() => Ok(true),
        Ok(m) => Err(Unreadable::NotRegular(kind(&m))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(Unreadable::Io(e)),
    }
}

/// The bytes of a regular file (see [`regular`]).
pub fn read(path: &Path) -> Result<Vec<u8>, Unreadable> {
    if !regular(path)? {
        return Err(Unreadable::Missing);
    }
    std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Unreadable::Missing,
        _ => Unreadable::Io(e),
    })
}

/// Opens a regular file for reading (see [`regular`]).
pub fn open(path: &Path) -> Result<std::fs::File, Unreadable> {
    if !regular(path)? {
        return Err(Unreadable::Missing);
    }
    std::fs::File::open(path).map_err(Unreadable::Io)
}
