//! File-level pieces: the UTF-8 byte order mark, formula neutralisation,
//! a writer that hashes what it writes, private files and folders, and the
//! atomic replacement of a snapshot folder.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// The UTF-8 byte order mark: Excel and WPS read the file as UTF-8 with it.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Whether a text cell would be taken for a formula (or a control) by a
/// spreadsheet, or starts with the quote that marks a neutralised cell.
pub fn needs_neutralising(text: &[u8]) -> bool {
    matches!(
        text.first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r' | b'\'')
    )
}

/// Writes `text` as a cell value into `out`: with a leading `'` when it
/// starts like a formula (or with a `'` itself, so that removing exactly one
/// leading `'` on import always restores the original).
pub fn neutralise<'a>(text: &'a [u8], out: &'a mut Vec<u8>) -> &'a [u8] {
    if needs_neutralising(text) {
        out.clear();
        out.push(b'\'');
        out.extend_from_slice(text);
        out
    } else {
        text
    }
}

/// Undoes [`neutralise`] on a text cell read back.
pub fn unneutralise(cell: &str) -> &str {
    cell.strip_prefix('\'').unwrap_or(cell)
}

/// A writer that hashes (SHA-256) and counts everything written through it.
pub struct HashWriter<W> {
    inner: W,
    hasher: Sha256,
    bytes: u64,
}

impl<W: Write> HashWriter<W> {
    pub fn new(inner: W) -> HashWriter<W> {
        HashWriter {
            inner,
            hasher: Sha256::new(),
            bytes: 0,
        }
    }

    /// The inner writer, the hex SHA-256 and the byte count.
    pub fn finish(self) -> (W, String, u64) {
        (self.inner, hex(&self.hasher.finalize()), self.bytes)
    }
}

impl<W: Write> Write for HashWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// The hex SHA-256 and the size of a file.
pub fn sha256_of(path: &Path) -> io::Result<(String, u64)> {
    let mut f = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut bytes = 0u64;
    loop {
        let n = match f.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&buf[..n]);
        bytes += n as u64;
    }
    Ok((hex(&hasher.finalize()), bytes))
}

/// Creates a new file readable by its owner only (snapshots hold ID numbers).
pub fn create_private_file(path: &Path) -> io::Result<File> {
    let mut o = fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path)
}

/// Creates a folder only its owner can enter.
pub fn create_private_dir(path: &Path) -> io::Result<()> {
    let mut b = fs::DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(path)
}

/// Flushes a folder's entries (a rename in it) to disk, where the platform can.
pub fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(f) = File::open(dir) {
        let _ = f.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Puts the finished folder `tmp` at `dest`. If `dest` exists the two are
/// swapped in one step where the system can (Linux `renameat2`), so a
/// reader sees the old snapshot or the new one, never neither; the old one
/// is then removed.
pub fn replace_dir(tmp: &Path, dest: &Path) -> io::Result<()> {
    if !dest.exists() {
        match fs::rename(tmp, dest) {
            Ok(()) => return finish(dest, None),
            // Another export made it meanwhile: swap with that one instead.
            Err(_) if dest.exists() => {}
            Err(e) => return Err(e),
        }
    }
    if exchange(tmp, dest)? {
        // `tmp` now holds the previous snapshot.
        return finish(dest, Some(tmp));
    }
    // No atomic swap here: move the old one aside first, so a crash between
    // the two renames leaves it beside the target, never lost.
    let old = aside(dest, "old");
    fs::rename(dest, &old)?;
    if let Err(e) = fs::rename(tmp, dest) {
        let _ = fs::rename(&old, dest);
        return Err(e);
    }
    finish(dest, Some(&old))
}

fn finish(dest: &Path, old: Option<&Path>) -> io::Result<()> {
    if let Some(parent) = dest.parent() {
        sync_dir(parent);
    }
    if let Some(old) = old {
        fs::remove_dir_all(old)?;
    }
    Ok(())
}

/// `.NAME.WHAT-PID-NANOS` beside `dest`: hidden, and unique to this process.
pub fn aside(dest: &Path, what: &str) -> PathBuf {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    dest.with_file_name(format!(".{name}.{what}-{}-{nanos}", std::process::id()))
}

/// Swaps two paths atomically; `Ok(false)` where the system or the file
/// system cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let to_c = |p: &Path| {
        CString::new(p.as_os_str().as_bytes())
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))
    };
    let (ca, cb) = (to_c(a)?, to_c(b)?);
    // SAFETY: both pointers are valid NUL-terminated strings that outlive
    // the call; renameat2 reads them and keeps nothing.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        return Ok(true);
    }
    let e = io::Error::last_os_error();
    match e.raw_os_error() {
        Some(libc::EINVAL) | Some(libc::ENOSYS) | Some(libc::EOPNOTSUPP) => Ok(false),
        _ => Err(e),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<bool> {
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutralising_is_undone_exactly() {
        for s in [
            "=1+2",
            "+86 138",
            "-3",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "'",
            "''",
            "'=x",
            "plain",
            "",
            "扎西",
            "བཀྲ་ཤིས",
        ] {
            let mut buf = Vec::new();
            let cell = neutralise(s.as_bytes(), &mut buf).to_vec();
            let cell = String::from_utf8(cell).unwrap();
            assert!(!matches!(
                cell.chars().next(),
                Some('=' | '+' | '-' | '@' | '\t' | '\r')
            ));
            assert_eq!(unneutralise(&cell), s);
        }
    }

    #[test]
    fn replacing_a_folder_swaps_it_whole() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("2026-06-01");
        for round in 0..3 {
            let tmp = aside(&dest, "tmp");
            fs::create_dir(&tmp).unwrap();
            fs::write(tmp.join("f"), format!("{round}")).unwrap();
            replace_dir(&tmp, &dest).unwrap();
            assert_eq!(
                fs::read_to_string(dest.join("f")).unwrap(),
                round.to_string()
            );
            assert!(!tmp.exists());
        }
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
