//! A power cut in the middle of a visit: the app is killed (SIGKILL, no
//! chance to clean up) while a field is being typed; the next start offers
//! the draft back with what was typed.

#[path = "support/pty.rs"]
mod pty;

use std::process::Command;
use std::time::Duration;

use pty::{Session, TIMEOUT, key, locale};

#[test]
fn a_visit_typed_then_killed_is_offered_back_with_its_values() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let init = Command::new(env!("CARGO_BIN_EXE_fieldbook"))
        .args(["--db", db.to_str().unwrap(), "init"])
        .env("HOME", dir.path())
        .output()
        .unwrap();
    assert!(init.status.success());
    let made = Command::new(env!("CARGO_BIN_EXE_fieldbook"))
        .args([
            "--db",
            db.to_str().unwrap(),
            "--operator",
            "泽仁",
            "demo",
            "--households",
            "3",
        ])
        .env("HOME", dir.path())
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );

    let mut app = Session::builder()
        .dir(dir.path())
        .arg("--lang")
        .arg("en")
        .arg("--operator")
        .arg("泽仁")
        .start();
    app.wait_for_row(0, &[&locale("en", "home.title")], TIMEOUT);
    // The register, the first household, a new visit.
    app.send("h");
    app.wait_for_row(0, &[&locale("en", "register.title")], TIMEOUT);
    app.send(key::ENTER);
    app.wait_for_row(0, &[&locale("en", "household.title")], TIMEOUT);
    app.send("n");
    app.wait_for_row(0, &[&locale("en", "visit.form_title")], TIMEOUT);
    // Surveyors: type a second name; then the follow-up field, mid-word.
    app.send(key::TAB);
    app.send(key::TAB);
    app.send(" 卓玛");
    app.wait_for("卓玛", TIMEOUT);
    app.send(key::TAB);
    app.send(key::RIGHT); // visit type: follow-up
    app.wait_for(&locale("en", "code.visit_type.follow_up"), TIMEOUT);
    // The draft is kept within about a second of the last change.
    std::thread::sleep(Duration::from_millis(1500));

    // Power cut.
    let pid = app.pid();
    let killed = Command::new("kill")
        .args(["-9", &pid.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = app.wait_exit(TIMEOUT);
    assert!(!status.success(), "killed: {status:?}");
    drop(app);

    let mut app = Session::builder()
        .dir(dir.path())
        .arg("--lang")
        .arg("en")
        .start();
    // The drafts screen comes first, naming the visit form.
    app.wait_for_row(0, &[&locale("en", "drafts.title")], TIMEOUT);
    app.wait_for(&locale("en", "drafts.form.visit"), TIMEOUT);
    app.send(key::ENTER);
    app.wait_for_row(0, &[&locale("en", "visit.form_title")], TIMEOUT);
    // Both typed values are back.
    app.wait_for("泽仁 卓玛", TIMEOUT);
    app.wait_for(&locale("en", "code.visit_type.follow_up"), TIMEOUT);
    // Ctrl-C ends the app at once, however much is unsaved.
    app.quit_with(key::CTRL_C);
}

#[test]
fn two_clerks_on_one_household_keep_both_changes() {
    // Two app processes on one database (the county office's machine over
    // SSH): the first saves a phone, the second then saves the household
    // number it changed meanwhile; both changes are kept.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    for args in [vec!["init"], vec!["demo", "--households", "2"]] {
        let made = Command::new(env!("CARGO_BIN_EXE_fieldbook"))
            .arg("--db")
            .arg(&db)
            .args(&args)
            .env("HOME", dir.path())
            .env("USER", "tester")
            .output()
            .unwrap();
        assert!(made.status.success());
    }
    let open_form = |operator: &str| {
        let app = Session::builder()
            .dir(dir.path())
            .arg("--lang")
            .arg("en")
            .arg("--operator")
            .arg(operator)
            .start();
        app.wait_for(&locale("en", "home.title"), TIMEOUT);
        app.send("h");
        app.wait_for(&locale("en", "register.title"), TIMEOUT);
        app.send(key::ENTER);
        app.wait_for(&locale("en", "household.title"), TIMEOUT);
        app.send("e");
        app.wait_for(&locale("en", "household.form_title"), TIMEOUT);
        app
    };
    let mut first = open_form("卓玛");
    let mut second = open_form("泽仁");
    // The first clerk: the phone (third field), saved.
    first.send(key::TAB);
    first.send(key::TAB);
    first.send(key::END);
    for _ in 0..20 {
        first.send(key::BACKSPACE);
    }
    first.send("13912345678");
    first.send(key::CTRL_S);
    first.wait_for(&locale("en", "form.saved"), TIMEOUT);
    // The second clerk: the household number's last digit, saved after.
    second.send(key::END);
    second.send(key::BACKSPACE);
    second.send("7");
    second.send(key::CTRL_S);
    second.wait_for("卓玛", TIMEOUT);
    let conn = rusqlite::Connection::open(&db).unwrap();
    let (number, phone): (String, String) = conn
        .query_row(
            "SELECT number, phone FROM household ORDER BY number LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(phone, "13912345678", "the first clerk's phone kept");
    assert!(
        number.ends_with('7'),
        "the second clerk's number saved: {number}"
    );
    // Both leave cleanly (Ctrl-C: quit now, everything is saved).
    first.quit_with("\x03");
    second.quit_with("\x03");
}
