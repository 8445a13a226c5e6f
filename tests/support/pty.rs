//! Drives the real `fieldbook` binary in a pseudo-terminal, as a user would.
//!
//! A [`Session`] spawns the app in a pty (80×24 unless told otherwise) with
//! a private temporary HOME and database, a pinned date and
//! `TERM=xterm-256color`. A reader thread feeds everything the app writes
//! into a `vt100` terminal emulator, and keeps the raw bytes too. Tests type
//! with [`Session::send`] (raw bytes; see [`key`] for special keys), and
//! synchronise only by waiting for what the screen shows
//! ([`Session::wait_for`]), never by sleeping. The child is killed when the
//! session is dropped, so a failing test never leaves a process behind.
//!
//! Include it with `#[path = "support/pty.rs"] mod pty;`.

// Each test file uses a different part of the harness.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};
use tempfile::TempDir;

/// How long to wait for the screen (or an exit) before failing: generous,
/// as the tests may run on a busy two-core machine.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// How often the screen is looked at while waiting.
const POLL: Duration = Duration::from_millis(20);

/// "Today" for every run, so dates on screen are reproducible.
pub const TODAY: &str = "2026-11-27";

/// The bytes a terminal (xterm) sends for special keys.
pub mod key {
    pub const ENTER: &str = "\r";
    pub const TAB: &str = "\t";
    pub const BACKTAB: &str = "\x1b[Z";
    pub const BACKSPACE: &str = "\x7f";
    /// Send it with [`super::Session::esc`], not `send`: see there.
    pub const ESC: &str = "\x1b";
    pub const UP: &str = "\x1b[A";
    pub const DOWN: &str = "\x1b[B";
    pub const RIGHT: &str = "\x1b[C";
    pub const LEFT: &str = "\x1b[D";
    pub const HOME: &str = "\x1b[H";
    pub const END: &str = "\x1b[F";
    pub const DELETE: &str = "\x1b[3~";
    pub const PAGE_UP: &str = "\x1b[5~";
    pub const PAGE_DOWN: &str = "\x1b[6~";
    pub const F1: &str = "\x1bOP";
    pub const F2: &str = "\x1bOQ";
    pub const F3: &str = "\x1bOR";
    pub const F4: &str = "\x1bOS";
    pub const F5: &str = "\x1b[15~";
    pub const F6: &str = "\x1b[17~";
    pub const F7: &str = "\x1b[18~";
    pub const F8: &str = "\x1b[19~";
    pub const F9: &str = "\x1b[20~";
    pub const F10: &str = "\x1b[21~";
    pub const F11: &str = "\x1b[23~";
    pub const F12: &str = "\x1b[24~";
    pub const CTRL_A: &str = "\x01";
    pub const CTRL_C: &str = "\x03";
    pub const CTRL_E: &str = "\x05";
    pub const CTRL_L: &str = "\x0c";
    pub const CTRL_S: &str = "\x13";

    /// Ctrl + a letter (`ctrl('s')` is "\x13").
    pub fn ctrl(letter: char) -> String {
        let c = letter.to_ascii_lowercase();
        assert!(
            c.is_ascii_lowercase(),
            "ctrl() takes a letter, not {letter:?}"
        );
        char::from(c as u8 - b'a' + 1).to_string()
    }
}

/// The text of a locale key as the app's own locale file has it
/// (`locale("zh", "home.title")` is "主页"), so tests follow translation fixes.
pub fn locale(lang: &str, key: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("locales")
        .join(format!("{lang}.toml"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let table: toml::Table = toml::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not valid TOML: {e}", path.display()));
    let mut parts = key.split('.');
    let mut value = table.get(parts.next().unwrap_or_default());
    for part in parts {
        value = value.and_then(|v| v.get(part));
    }
    value
        .and_then(|v| v.as_str())
        .unwrap_or_else(|| panic!("{} has no text for {key}", path.display()))
        .to_owned()
}

/// A locale text with its `{name}` placeholders filled in.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    args.iter()
        .fold(template.to_owned(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}

/// How to start the app. [`Session::start`] is the common case.
#[derive(Debug, Clone)]
pub struct Launch {
    cols: u16,
    rows: u16,
    dir: Option<PathBuf>,
    args: Vec<String>,
    env: Vec<(String, String)>,
    /// Make the database with `init` before starting, if there is none.
    init: bool,
}

impl Default for Launch {
    fn default() -> Launch {
        Launch {
            cols: 80,
            rows: 24,
            dir: None,
            args: Vec::new(),
            env: Vec::new(),
            init: true,
        }
    }
}

impl Launch {
    /// The terminal size (default 80×24).
    pub fn size(mut self, cols: u16, rows: u16) -> Launch {
        self.cols = cols;
        self.rows = rows;
        self
    }

    /// Use this folder as HOME and for the database `t.db` (default: a new
    /// temporary folder owned by the session). Lets a test start the app
    /// again on the same database.
    pub fn dir(mut self, dir: &Path) -> Launch {
        self.dir = Some(dir.to_owned());
        self
    }

    /// Start without a database, so the app asks whether to create one.
    pub fn no_database(mut self) -> Launch {
        self.init = false;
        self
    }

    /// An extra command-line argument, after `--db <dir>/t.db`.
    pub fn arg(mut self, arg: &str) -> Launch {
        self.args.push(arg.to_owned());
        self
    }

    /// An extra environment variable (the environment is otherwise cleared).
    pub fn env(mut self, name: &str, value: &str) -> Launch {
        self.env.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn start(self) -> Session {
        Session::launch(self)
    }
}

/// Answers the queries a real terminal answers, so an app that asks (for
/// the cursor position, or what the terminal is, as crossterm does before
/// enabling some features) gets a reply instead of waiting for a timeout.
#[derive(Default)]
struct Replies(Vec<u8>);

impl vt100::Callbacks for Replies {
    fn unhandled_csi(
        &mut self,
        screen: &mut vt100::Screen,
        i1: Option<u8>,
        _i2: Option<u8>,
        params: &[&[u16]],
        c: char,
    ) {
        let first = params.first().and_then(|p| p.first()).copied();
        match (i1, c, first) {
            // Device status report: where is the cursor (1-based)?
            (None, 'n', Some(6)) => {
                let (row, col) = screen.cursor_position();
                let answer = format!("\x1b[{};{}R", row + 1, col + 1);
                self.0.extend_from_slice(answer.as_bytes());
            }
            // Primary device attributes: a VT220-class terminal.
            (None, 'c', None | Some(0)) => self.0.extend_from_slice(b"\x1b[?62;22c"),
            _ => {}
        }
    }
}

/// What the reader thread shares with the test.
struct Output {
    parser: vt100::Parser<Replies>,
    /// Every byte the app wrote, in order.
    raw: Vec<u8>,
    /// The app's side of the terminal is closed (it exited).
    eof: bool,
}

/// The app running in a pseudo-terminal.
pub struct Session {
    output: Arc<Mutex<Output>>,
    master: Box<dyn MasterPty + Send>,
    /// Shared with the reader thread, which answers the app's queries.
    writer: Arc<Mutex<Box<dyn Write + Send>>>,
    child: Box<dyn Child + Send + Sync>,
    reader: Option<JoinHandle<()>>,
    status: Option<ExitStatus>,
    dir: PathBuf,
    /// Held so the temporary folder lives as long as the session.
    _temp: Option<TempDir>,
}

impl Session {
    /// The app on a fresh database in an 80×24 terminal.
    pub fn start() -> Session {
        Launch::default().start()
    }

    pub fn builder() -> Launch {
        Launch::default()
    }

    fn launch(launch: Launch) -> Session {
        let (temp, dir) = match launch.dir {
            Some(dir) => (None, dir),
            None => {
                let temp = tempfile::tempdir().expect("temporary folder");
                let dir = temp.path().to_owned();
                (Some(temp), dir)
            }
        };
        let size = PtySize {
            rows: launch.rows,
            cols: launch.cols,
            pixel_width: 0,
            pixel_height: 0,
        };
        let pair = native_pty_system().openpty(size).expect("open a pty");

        let db = dir.join("t.db");
        if launch.init && !db.exists() {
            // The app asks before it creates a database; tests that are
            // not about that question start on one made by `init`.
            let made = std::process::Command::new(env!("CARGO_BIN_EXE_fieldbook"))
                .arg("--db")
                .arg(&db)
                .arg("init")
                .env_clear()
                .env("HOME", &dir)
                .output()
                .expect("run fieldbook init");
            assert!(made.status.success(), "init: {made:?}");
        }
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_fieldbook"));
        cmd.arg("--db");
        cmd.arg(&db);
        cmd.args(&launch.args);
        cmd.cwd(&dir);
        // Nothing from the test runner's environment (FIELDBOOK_DB, NO_COLOR,
        // the real HOME) may reach the app.
        cmd.env_clear();
        cmd.env("HOME", &dir);
        cmd.env("XDG_DATA_HOME", dir.join(".local/share"));
        cmd.env("XDG_CONFIG_HOME", dir.join(".config"));
        cmd.env("USER", "tester");
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        cmd.env("FIELDBOOK_TODAY", TODAY);
        for (name, value) in &launch.env {
            cmd.env(name, value);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn fieldbook");
        // Only the child may hold the terminal's other side, so that reading
        // ends when the child exits.
        drop(pair.slave);

        let rows = NonZeroU16::new(launch.rows).expect("rows > 0");
        let cols = NonZeroU16::new(launch.cols).expect("cols > 0");
        let output = Arc::new(Mutex::new(Output {
            parser: vt100::Parser::new_with_callbacks(rows, cols, 0, Replies::default()),
            raw: Vec::new(),
            eof: false,
        }));
        let writer = Arc::new(Mutex::new(pair.master.take_writer().expect("pty writer")));
        let mut source = pair.master.try_clone_reader().expect("pty reader");
        let sink = Arc::clone(&output);
        let answer = Arc::clone(&writer);
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match source.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => {
                        let replies = {
                            let mut out = sink.lock().unwrap_or_else(|e| e.into_inner());
                            out.parser.process(&buf[..n]);
                            out.raw.extend_from_slice(&buf[..n]);
                            std::mem::take(&mut out.parser.callbacks_mut().0)
                        };
                        if !replies.is_empty() {
                            let mut w = answer.lock().unwrap_or_else(|e| e.into_inner());
                            let _ = w.write_all(&replies).and_then(|()| w.flush());
                        }
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    // EIO once the child has closed the terminal.
                    Err(_) => break,
                }
            }
            sink.lock().unwrap_or_else(|e| e.into_inner()).eof = true;
        });
        Session {
            output,
            master: pair.master,
            writer,
            child,
            reader: Some(reader),
            status: None,
            dir,
            _temp: temp,
        }
    }

    fn output(&self) -> MutexGuard<'_, Output> {
        self.output.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The folder used as HOME, holding the database.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The database file the app was started on.
    pub fn db_path(&self) -> PathBuf {
        self.dir.join("t.db")
    }

    /// The app's process id.
    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("the child has a pid")
    }

    /// Types raw bytes, as the terminal would send them for keys.
    pub fn send(&self, keys: &str) {
        let sent = {
            let mut w = self.writer.lock().unwrap_or_else(|e| e.into_inner());
            w.write_all(keys.as_bytes()).and_then(|()| w.flush())
        };
        if let Err(e) = sent {
            panic!("cannot send {keys:?} to the app: {e}\n{}", self.dump());
        }
    }

    /// Presses Esc. A lone ESC byte is only a key if nothing follows it in
    /// the same read (else it starts an escape sequence or means Alt), so
    /// it is sent alone and followed by a short pause. Wait for its effect
    /// on the screen before relying on it.
    pub fn esc(&self) {
        self.send(key::ESC);
        std::thread::sleep(Duration::from_millis(150));
    }

    /// What the screen shows now.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot::of(self.output().parser.screen())
    }

    /// The text on the screen, rows separated by newlines.
    pub fn screen(&self) -> String {
        self.snapshot().contents()
    }

    /// The text of one screen row (0 is the top).
    pub fn row(&self, row: u16) -> String {
        self.snapshot().row(row)
    }

    /// Where the terminal cursor is: (row, column).
    pub fn cursor(&self) -> (u16, u16) {
        self.snapshot().cursor
    }

    /// Whether the app has the alternate screen switched on.
    pub fn alternate_screen(&self) -> bool {
        self.snapshot().alternate_screen
    }

    /// Every byte the app has written so far.
    pub fn raw(&self) -> Vec<u8> {
        self.output().raw.clone()
    }

    /// Whether the app's side of the terminal is closed (it has exited).
    pub fn ended(&self) -> bool {
        self.output().eof
    }

    /// Waits until the screen shows `text`; fails with the screen after `timeout`.
    pub fn wait_for(&self, text: &str, timeout: Duration) -> Snapshot {
        self.wait_until(&format!("{text:?} on the screen"), timeout, |s| {
            s.contains(text)
        })
    }

    /// Waits until the screen no longer shows `text`.
    pub fn wait_gone(&self, text: &str, timeout: Duration) -> Snapshot {
        self.wait_until(&format!("{text:?} to leave the screen"), timeout, |s| {
            !s.contains(text)
        })
    }

    /// Waits until row `row` contains every one of `texts`.
    pub fn wait_for_row(&self, row: u16, texts: &[&str], timeout: Duration) -> Snapshot {
        self.wait_until(&format!("row {row} to show {texts:?}"), timeout, |s| {
            let line = s.row(row);
            texts.iter().all(|t| line.contains(t))
        })
    }

    /// Waits until `ready` holds for the screen, looking every 20 ms, and
    /// returns the screen that satisfied it. Fails with `what` and the
    /// screen after `timeout`, or at once if the app exits first.
    ///
    /// The app draws a frame in several writes, so a screen may be half
    /// old, half new: to check that something is gone, make its absence part
    /// of `ready` rather than asserting it after waiting for something else.
    pub fn wait_until(
        &self,
        what: &str,
        timeout: Duration,
        mut ready: impl FnMut(&Snapshot) -> bool,
    ) -> Snapshot {
        let start = Instant::now();
        loop {
            let (shot, eof) = {
                let out = self.output();
                (Snapshot::of(out.parser.screen()), out.eof)
            };
            if ready(&shot) {
                return shot;
            }
            if eof {
                panic!(
                    "the app exited while the test waited for {what}\n{}",
                    shot.dump()
                );
            }
            if start.elapsed() > timeout {
                panic!(
                    "timed out after {timeout:.1?} waiting for {what}\n{}",
                    shot.dump()
                );
            }
            std::thread::sleep(POLL);
        }
    }

    /// Resizes the terminal, as a user dragging the window would: the app
    /// gets SIGWINCH.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        {
            let mut out = self.output();
            out.parser.screen_mut().set_size(
                NonZeroU16::new(rows).expect("rows > 0"),
                NonZeroU16::new(cols).expect("cols > 0"),
            );
        }
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize the pty");
    }

    /// The local flags of the terminal's mode (ICANON, ECHO, ISIG…), by
    /// name: shows whether raw mode is on.
    pub fn local_flags(&self) -> Vec<String> {
        let termios = self.master.get_termios().expect("terminal mode");
        format!("{:?}", termios.local_flags)
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// Waits for the app to exit and for all its output to be read; fails
    /// with the screen after `timeout`.
    pub fn wait_exit(&mut self, timeout: Duration) -> ExitStatus {
        let start = Instant::now();
        let status = loop {
            match self.child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if start.elapsed() > timeout => {
                    panic!("the app did not exit within {timeout:.1?}\n{}", self.dump());
                }
                Ok(None) => std::thread::sleep(POLL),
                Err(e) => panic!("cannot wait for the app: {e}"),
            }
        };
        self.status = Some(status.clone());
        while !self.output().eof {
            if start.elapsed() > timeout {
                panic!(
                    "the app exited but its terminal output did not end\n{}",
                    self.dump()
                );
            }
            std::thread::sleep(POLL);
        }
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
        status
    }

    /// Sends `keys`, which must make the app quit, and checks that it exits
    /// with success.
    pub fn quit_with(&mut self, keys: &str) {
        self.send(keys);
        let status = self.wait_exit(TIMEOUT);
        assert!(status.success(), "exit status {status:?}\n{}", self.dump());
    }

    /// The screen framed with row numbers, for failure messages.
    pub fn dump(&self) -> String {
        self.snapshot().dump()
    }

    fn kill(&mut self) {
        if self.status.is_some() || matches!(self.child.try_wait(), Ok(Some(_))) {
            return;
        }
        // SIGHUP, as when a terminal window is closed.
        let _ = self.child.kill();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(2) {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(POLL);
        }
        // Still there: no more asking.
        let _ = std::process::Command::new("kill")
            .args(["-KILL", &self.pid().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

impl Drop for Session {
    /// A session must end with the app's exit checked ([`Session::wait_exit`],
    /// [`Session::quit_with`]): one left running is killed, and the test
    /// fails, since how the app would have ended was never seen.
    fn drop(&mut self) {
        let exited = self.status.is_some();
        self.kill();
        if !exited && !std::thread::panicking() {
            panic!("the test ended with the app still running: its exit was never checked");
        }
    }
}

/// The screen at one moment: text by row and cell, and the cursor.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// Each row's cells as (column, text, cells wide); blank cells are left out.
    cells: Vec<Vec<(u16, String, u16)>>,
    cols: u16,
    /// (row, column).
    pub cursor: (u16, u16),
    pub cursor_hidden: bool,
    pub alternate_screen: bool,
}

impl Snapshot {
    fn of(screen: &vt100::Screen) -> Snapshot {
        let (rows, cols) = screen.size();
        let cells = (0..rows.get())
            .map(|r| {
                (0..cols.get())
                    .filter_map(|c| {
                        let cell = screen.cell(r, c)?;
                        (cell.has_contents() && !cell.is_wide_continuation())
                            .then(|| (c, cell.contents().to_owned(), 1 + u16::from(cell.is_wide())))
                    })
                    .collect()
            })
            .collect();
        Snapshot {
            cells,
            cols: cols.get(),
            cursor: screen.cursor_position(),
            cursor_hidden: screen.hide_cursor(),
            alternate_screen: screen.alternate_screen(),
        }
    }

    /// A row's text, and the column at which each of its bytes is drawn.
    fn line(&self, row: u16) -> (String, Vec<u16>) {
        let mut text = String::new();
        let mut cols = Vec::new();
        let mut next = 0;
        for (col, s, width) in self.cells.get(usize::from(row)).into_iter().flatten() {
            for c in next..*col {
                text.push(' ');
                cols.push(c);
            }
            text.push_str(s);
            cols.extend(std::iter::repeat_n(*col, s.len()));
            next = col + width;
        }
        (text, cols)
    }

    pub fn rows(&self) -> Vec<String> {
        (0..self.cells.len() as u16).map(|r| self.row(r)).collect()
    }

    /// The text of one row (0 is the top), without trailing blanks.
    pub fn row(&self, row: u16) -> String {
        self.line(row).0.trim_end().to_owned()
    }

    /// All rows, separated by newlines.
    pub fn contents(&self) -> String {
        self.rows().join("\n")
    }

    /// Whether some row contains `text`.
    pub fn contains(&self, text: &str) -> bool {
        self.rows().iter().any(|r| r.contains(text))
    }

    /// Where `text` first appears: (row, column of its first cell).
    pub fn find(&self, text: &str) -> Option<(u16, u16)> {
        (0..self.cells.len() as u16).find_map(|r| {
            let (line, cols) = self.line(r);
            line.find(text).map(|i| (r, cols[i]))
        })
    }

    /// The screen framed, with row numbers, for failure messages.
    pub fn dump(&self) -> String {
        let bar = "─".repeat(usize::from(self.cols));
        let mut s = format!(
            "screen (cursor at {:?}{}{}):\n   ┌{bar}┐\n",
            self.cursor,
            if self.cursor_hidden { ", hidden" } else { "" },
            if self.alternate_screen {
                ", alternate screen"
            } else {
                ""
            }
        );
        for (i, r) in self.rows().iter().enumerate() {
            s += &format!("{i:>2} │{r}\n");
        }
        s + &format!("   └{bar}┘")
    }
}
