//! The app end to end, in a real pseudo-terminal: starting, switching
//! language, help, settings, quitting (with and without unsaved changes),
//! restoring the terminal, tiny windows, and idling without CPU.
//!
//! Expected texts come from the locale files, so these tests follow
//! translation fixes. Each test waits for what the screen shows, never for
//! a fixed time (only the idle test sleeps, to measure).

#[path = "support/pty.rs"]
mod pty;

use std::path::Path;
use std::time::Duration;

use fieldbook::tui::app::{MIN_HEIGHT, MIN_WIDTH};
use pty::{Session, TIMEOUT, fill, key, locale};
use rusqlite::{Connection, OpenFlags, OptionalExtension};

/// A saved setting, read straight from the database file.
fn setting(db: &Path, key: &str) -> Option<String> {
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap_or_else(|e| panic!("cannot open {}: {e}", db.display()));
    conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
        r.get(0)
    })
    .optional()
    .expect("read the settings table")
}

/// Waits for the home screen's title row in `lang` (app name and screen title).
fn wait_for_home(app: &Session, lang: &str) {
    app.wait_for_row(
        0,
        &[&locale(lang, "app.name"), &locale(lang, "home.title")],
        TIMEOUT,
    );
}

#[test]
fn starts_switches_language_three_times_opens_help_and_quits() {
    let dir = tempfile::tempdir().unwrap();
    let zh = locale("zh", "home.title");
    let bo = locale("bo", "home.title");
    let en = locale("en", "home.title");

    let mut app = Session::builder().dir(dir.path()).start();
    // A new database starts in Chinese.
    wait_for_home(&app, "zh");

    app.send(key::F2);
    app.wait_until("the Tibetan title row", TIMEOUT, |s| {
        let row = s.row(0);
        row.contains(&locale("bo", "app.name")) && row.contains(&bo) && !row.contains(&zh)
    });

    app.send(key::F2);
    // Bilingual: both titles on the title row.
    app.wait_for_row(0, &[&zh, &bo], TIMEOUT);

    app.send(key::F2);
    app.wait_until("the English title row", TIMEOUT, |s| {
        let row = s.row(0);
        row.contains(&locale("en", "app.name"))
            && row.contains(&en)
            && !row.contains(&zh)
            && !row.contains(&bo)
    });

    // Help for the home screen; any key closes it.
    let help = format!("{} · {en}", locale("en", "help.title"));
    let footer = locale("en", "help.footer");
    app.send("?");
    app.wait_for(&help, TIMEOUT);
    app.wait_for(&footer, TIMEOUT);
    app.send("x");
    app.wait_until("help to close", TIMEOUT, |s| {
        !s.contains(&help) && !s.contains(&footer)
    });
    // Still on the home screen.
    wait_for_home(&app, "en");

    app.send("q");
    let status = app.wait_exit(TIMEOUT);
    assert!(status.success(), "exit status {status:?}\n{}", app.dump());

    // The last language is remembered for the next start.
    assert_eq!(setting(&app.db_path(), "lang").as_deref(), Some("en"));
    let mut again = Session::builder().dir(dir.path()).start();
    wait_for_home(&again, "en");
    again.quit_with("q");
}

#[test]
fn ctrl_l_switches_language_like_f2() {
    let mut app = Session::start();
    wait_for_home(&app, "zh");
    // The whole cycle zh -> bo -> zh+bo -> en -> zh, each remembered.
    app.send(key::CTRL_L);
    wait_for_home(&app, "bo");
    assert_eq!(setting(&app.db_path(), "lang").as_deref(), Some("bo"));
    app.send(key::CTRL_L);
    app.wait_for_row(
        0,
        &[&locale("zh", "home.title"), &locale("bo", "home.title")],
        TIMEOUT,
    );
    assert_eq!(setting(&app.db_path(), "lang").as_deref(), Some("zh+bo"));
    app.send(key::CTRL_L);
    wait_for_home(&app, "en");
    assert_eq!(setting(&app.db_path(), "lang").as_deref(), Some("en"));
    app.send(key::CTRL_L);
    wait_for_home(&app, "zh");
    assert_eq!(setting(&app.db_path(), "lang").as_deref(), Some("zh"));
    app.quit_with("q");
}

#[test]
fn quit_with_unsaved_settings_asks_first() {
    let mut app = Session::start();
    wait_for_home(&app, "zh");
    app.send("s");
    app.wait_for_row(0, &[&locale("zh", "settings.title")], TIMEOUT);

    // In the operator field `q` is a letter, not quit.
    app.send("qiang");
    app.wait_for("qiang", TIMEOUT);
    // On the next field (a choice, not text) `q` quits, but asks first.
    app.send(key::TAB);
    app.send("q");
    let question = locale("zh", "ui.confirm_quit");
    app.wait_for(&question, TIMEOUT);

    // `n` stays, with the edit still there.
    app.send("n");
    app.wait_gone(&question, TIMEOUT);
    app.wait_for("qiang", TIMEOUT);
    app.wait_for_row(0, &[&locale("zh", "settings.title")], TIMEOUT);

    // Esc says no as well.
    app.send("q");
    app.wait_for(&question, TIMEOUT);
    app.esc();
    app.wait_gone(&question, TIMEOUT);
    app.wait_for("qiang", TIMEOUT);

    app.send("q");
    app.wait_for(&question, TIMEOUT);
    app.send("y");
    let status = app.wait_exit(TIMEOUT);
    assert!(status.success(), "exit status {status:?}\n{}", app.dump());
    // Quitting discarded the edit.
    assert_eq!(setting(&app.db_path(), "operator"), None);
}

#[test]
fn settings_are_saved_in_the_database() {
    let mut app = Session::start();
    wait_for_home(&app, "zh");
    app.send("s");
    app.wait_for_row(0, &[&locale("zh", "settings.title")], TIMEOUT);

    let name = "扎西 བཀྲ་ཤིས";
    app.send(name);
    // Typed as is (the space too), with the cursor just after it: 扎西 takes
    // 2×2 cells, the space 1, and བཀྲ་ཤིས 5 (the subjoined ར and the vowel ི
    // sit on the letter before them).
    app.wait_until("the typed name with the cursor after it", TIMEOUT, |s| {
        s.find(name)
            .is_some_and(|(r, c)| s.cursor == (r, c + 10) && !s.cursor_hidden)
    });
    app.send(key::ENTER);
    app.wait_for(&locale("zh", "settings.saved"), TIMEOUT);
    // The status bar (second row from the bottom) names the new operator.
    let operator = format!("{} {name}", locale("zh", "status.operator"));
    app.wait_for_row(22, &[&operator], TIMEOUT);

    assert_eq!(setting(&app.db_path(), "operator").as_deref(), Some(name));
    assert_eq!(setting(&app.db_path(), "lang").as_deref(), Some("zh"));
    assert_eq!(setting(&app.db_path(), "role").as_deref(), Some("surveyor"));
    // Saved: back home and out without being asked.
    app.esc();
    wait_for_home(&app, "zh");
    app.quit_with("q");
}

#[test]
fn ctrl_c_restores_the_terminal() {
    let mut app = Session::start();
    wait_for_home(&app, "zh");
    assert!(
        app.alternate_screen(),
        "the app runs on the alternate screen"
    );
    assert!(
        !app.local_flags().iter().any(|f| f == "ICANON"),
        "the app runs in raw mode: {:?}",
        app.local_flags()
    );

    // Ctrl-C quits at once, even with unsaved text in a field.
    app.send("s");
    app.wait_for_row(0, &[&locale("zh", "settings.title")], TIMEOUT);
    app.send("abc");
    app.wait_for("abc", TIMEOUT);
    app.send(key::CTRL_C);
    let status = app.wait_exit(TIMEOUT);
    assert!(status.success(), "exit status {status:?}\n{}", app.dump());

    let raw = app.raw();
    let find_last = |pat: &[u8]| raw.windows(pat.len()).rposition(|w| w == pat);
    let entered = find_last(b"\x1b[?1049h").expect("the app entered the alternate screen");
    let left = find_last(b"\x1b[?1049l").unwrap_or_else(|| {
        panic!(
            "the app never left the alternate screen; output ends {:?}",
            String::from_utf8_lossy(&raw[raw.len().saturating_sub(200)..])
        )
    });
    assert!(
        left > entered,
        "left the alternate screen before entering it"
    );
    // After leaving, at most control sequences (such as showing the cursor),
    // no text: nothing was printed onto the user's screen.
    let tail = String::from_utf8_lossy(&raw[left..]).into_owned();
    assert!(
        strip_escapes(&tail).trim().is_empty(),
        "output after leaving the alternate screen: {tail:?}"
    );
    assert!(!app.alternate_screen(), "{}", app.dump());
    // Raw mode is off again: line editing and echo are back.
    let flags = app.local_flags();
    for flag in ["ICANON", "ECHO", "ISIG"] {
        assert!(
            flags.iter().any(|f| f == flag),
            "{flag} not restored: {flags:?}"
        );
    }
}

/// `s` without CSI and ESC sequences.
fn strip_escapes(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\x1b' {
            out.push(c);
            continue;
        }
        if chars.next_if_eq(&'[').is_some() {
            // Parameters, then one final byte in @..~.
            for c in chars.by_ref() {
                if ('@'..='~').contains(&c) {
                    break;
                }
            }
        } else {
            chars.next();
        }
    }
    out
}

#[test]
fn tiny_terminal_shows_enlarge_message() {
    let mut app = Session::builder().size(40, 10).start();
    let too_small = fill(
        &locale("zh", "ui.too_small"),
        &[
            ("w", &MIN_WIDTH.to_string()),
            ("h", &MIN_HEIGHT.to_string()),
        ],
    );
    app.wait_for(&too_small, TIMEOUT);
    assert!(
        !app.screen().contains(&locale("zh", "home.title")),
        "{}",
        app.dump()
    );

    app.resize(80, 24);
    wait_for_home(&app, "zh");
    app.wait_gone(&too_small, TIMEOUT);
    app.quit_with("q");
}

/// utime + stime of a process, in clock ticks, and its state letter.
fn cpu_ticks(pid: u32) -> (u64, char) {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("read /proc/pid/stat");
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    let fields: Vec<&str> = stat[stat.rfind(')').expect("stat has a name") + 1..]
        .split_whitespace()
        .collect();
    let state = fields[0].chars().next().expect("a state");
    let utime: u64 = fields[11].parse().expect("utime");
    let stime: u64 = fields[12].parse().expect("stime");
    (utime + stime, state)
}

#[test]
fn idle_app_uses_no_cpu() {
    let mut app = Session::start();
    wait_for_home(&app, "zh");
    // The whole first frame, down to the key hints on the last row.
    app.wait_for_row(23, &[&locale("zh", "action.quit")], TIMEOUT);
    let pid = app.pid();
    let (before, _) = cpu_ticks(pid);
    std::thread::sleep(Duration::from_secs(2));
    let (after, state) = cpu_ticks(pid);
    assert!(
        after - before <= 2,
        "the idle app used {} clock ticks of CPU in 2 s",
        after - before
    );
    assert_eq!(state, 'S', "the idle app sleeps, waiting for input");
    // It was waiting, not stuck: it still answers a key.
    app.send(key::F2);
    wait_for_home(&app, "bo");
    app.quit_with("q");
}

#[test]
fn the_first_start_asks_before_creating_the_database_and_shows_its_path() {
    // No: nothing is made, and the app says how to open another database.
    let mut app = Session::builder()
        .no_database()
        .arg("--lang")
        .arg("zh")
        .start();
    // The question, in the language asked for, naming the path.
    let question = locale("zh", "cli.app.create_confirm");
    assert!(question.contains("新建") && question.contains("[y/N]"));
    app.wait_for("新建", TIMEOUT);
    app.wait_for("t.db", TIMEOUT);
    app.send("n\r");
    let status = app.wait_exit(TIMEOUT);
    assert!(!status.success());
    assert!(!app.db_path().exists(), "nothing created");

    // Yes: the database is made where the question said, and the app opens.
    let dir = tempfile::tempdir().unwrap();
    let mut app = Session::builder().dir(dir.path()).no_database().start();
    app.wait_for("[y/N]", TIMEOUT);
    app.send("y\r");
    wait_for_home(&app, "zh");
    assert!(app.db_path().is_file());
    app.quit_with("q");
}
