//! The shell's screens in every language mode at 80x24 (insta snapshots, run
//! with CI=true so a changed screen fails), navigation driven by keys, and
//! rendering at every size without a panic.

mod support;

use fieldbook::i18n::{Catalog, Lang};
use fieldbook::text;
use fieldbook::tui::app::Overlay;
use ratatui::crossterm::event::KeyCode;
use support::{LANGS, TestApp};

fn snapshot(name: &str, lang_code: &str, screen: String) {
    insta::with_settings!({ snapshot_suffix => lang_code, prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, screen);
    });
}

#[test]
fn home_screen_in_every_language() {
    for (lang, code) in LANGS {
        let t = TestApp::new(lang);
        snapshot("home", code, t.render(80, 24));
    }
}

#[test]
fn settings_screen_in_every_language() {
    for (lang, code) in LANGS {
        let mut t = TestApp::new(lang);
        t.chars("s");
        snapshot("settings", code, t.render(80, 24));
    }
}

#[test]
fn help_overlay_in_every_language() {
    for (lang, code) in LANGS {
        let mut t = TestApp::new(lang);
        t.chars("?");
        assert_eq!(t.app.overlay(), Some(Overlay::Help { scroll: 0 }));
        snapshot("help_home", code, t.render(80, 24));
    }
}

#[test]
fn quit_confirmation_in_every_language() {
    for (lang, code) in LANGS {
        let mut t = TestApp::new(lang);
        t.chars("s").chars("x").key(KeyCode::Tab).chars("q");
        assert_eq!(t.app.overlay(), Some(Overlay::ConfirmQuit));
        snapshot("confirm_quit", code, t.render(80, 24));
    }
}

#[test]
fn too_small_window_shows_one_line_in_every_language() {
    let cat = Catalog::builtin();
    for (lang, _) in LANGS {
        let t = TestApp::new(lang);
        let screen = t.render(50, 10);
        let first = screen
            .lines()
            .next()
            .unwrap_or_default()
            .trim_end()
            .to_owned();
        let expected = text::truncate(
            &cat.format(lang, "ui.too_small", &[("w", "60"), ("h", "16")]),
            50,
        );
        assert_eq!(first, expected.trim_end());
        assert!(
            screen.lines().skip(1).all(|l| l.trim().is_empty()),
            "only one line: {screen}"
        );
    }
}

#[test]
fn every_row_is_exactly_the_window_width_in_every_language() {
    // Columns drift when a label's width is miscounted: then some row would
    // hold more or fewer cells than the window has.
    for (lang, _) in LANGS {
        for keys in ["", "s", "?", "s?"] {
            let mut t = TestApp::new(lang);
            t.chars(keys);
            let screen = t.render(80, 24);
            for (i, line) in screen.lines().enumerate() {
                assert_eq!(
                    text::width(line),
                    80,
                    "row {i} in {lang:?} after {keys:?}: {line:?}"
                );
            }
        }
    }
}

#[test]
fn f2_cycles_the_four_language_modes_and_remembers_the_choice() {
    let mut t = TestApp::new(Lang::Zh);
    let mut seen = Vec::new();
    for _ in 0..4 {
        t.key(KeyCode::F(2));
        seen.push(t.app.lang);
    }
    assert_eq!(seen, vec![Lang::Bo, Lang::ZhBo, Lang::En, Lang::Zh]);
    t.ctrl('l');
    assert_eq!(t.app.lang, Lang::Bo);
    assert_eq!(t.app.store.setting("lang").unwrap().as_deref(), Some("bo"));
}

#[test]
fn language_switch_relabels_the_screen() {
    let mut t = TestApp::new(Lang::Zh);
    let cat = Catalog::builtin();
    assert!(t.render(80, 24).contains(&cat.text(Lang::Zh, "home.title")));
    t.key(KeyCode::F(2));
    let bo = t.render(80, 24);
    assert!(bo.contains(&cat.text(Lang::Bo, "home.title")), "{bo}");
    assert!(!bo.contains(&cat.text(Lang::Zh, "home.title")), "{bo}");
}

#[test]
fn escape_goes_back_and_q_quits_from_home() {
    let mut t = TestApp::new(Lang::En);
    t.chars("s");
    assert_eq!(t.app.screen_title_key(), "settings.title");
    t.key(KeyCode::Esc);
    assert_eq!(t.app.screen_title_key(), "home.title");
    assert!(!t.app.should_quit());
    t.chars("q");
    assert!(t.app.should_quit());
}

#[test]
fn settings_save_operator_language_and_role() {
    let mut t = TestApp::new(Lang::En);
    t.chars("s");
    // Clear the field, type a name in both scripts.
    for _ in 0..10 {
        t.key(KeyCode::Backspace);
    }
    t.chars("扎西 བཀྲ་ཤིས");
    t.key(KeyCode::Tab).key(KeyCode::Right); // language en -> zh
    t.key(KeyCode::Tab).key(KeyCode::Right); // role surveyor -> supervisor
    t.key(KeyCode::Enter);
    // Changing the role is asked first; n saves nothing at all.
    let screen = t.render(80, 24);
    assert!(
        screen.contains("Change the role to Supervisor?"),
        "{screen}"
    );
    t.chars("n");
    assert_eq!(
        t.app.message().map(|m| m.key),
        Some("settings.role_not_changed")
    );
    assert_eq!(t.app.store.setting("operator").unwrap(), None);
    assert_eq!(t.app.store.role_set_by().unwrap(), None);
    t.key(KeyCode::Enter).chars("y");
    let store = &t.app.store;
    assert_eq!(
        store.setting("operator").unwrap().as_deref(),
        Some("扎西 བཀྲ་ཤིས")
    );
    assert_eq!(store.setting("lang").unwrap().as_deref(), Some("zh"));
    assert_eq!(
        store.setting("role").unwrap().as_deref(),
        Some("supervisor")
    );
    assert_eq!(store.operator(), "扎西 བཀྲ་ཤིས");
    assert_eq!(t.app.lang, Lang::Zh);
    assert!(
        t.render(80, 24)
            .contains(&Catalog::builtin().text(Lang::Zh, "settings.saved"))
    );
    // Who set the role is recorded, and said under it.
    let (who, _) = t.app.store.role_set_by().unwrap().expect("recorded");
    assert_eq!(who, "扎西 བཀྲ་ཤིས");
    assert!(
        t.render(100, 24).contains("由扎西 བཀྲ་ཤིས于"),
        "{}",
        t.render(100, 24)
    );
}

#[test]
fn the_settings_screen_shows_the_language_switched_by_ctrl_l() {
    let mut t = TestApp::new(Lang::En);
    t.chars("s");
    assert!(t.render(80, 24).contains("‹ English ›"));
    t.ctrl('l'); // en -> zh
    assert_eq!(t.app.lang, Lang::Zh);
    let zh = Catalog::builtin().text(Lang::Zh, "lang.zh");
    assert!(
        t.render(80, 24).contains(&format!("‹ {zh} ›")),
        "{}",
        t.render(80, 24)
    );
    // Nothing unsaved: Esc leaves at once.
    t.key(KeyCode::Esc);
    assert_eq!(t.app.screen_title_key(), "home.title");
}

#[test]
fn settings_refuse_an_empty_operator_with_a_message() {
    let mut t = TestApp::new(Lang::En);
    t.chars("s");
    for _ in 0..10 {
        t.key(KeyCode::Backspace);
    }
    t.key(KeyCode::Enter);
    assert_eq!(t.app.store.setting("operator").unwrap(), None);
    let msg = t.app.message().expect("a message");
    assert!(msg.error);
    assert_eq!(msg.key, "settings.error.operator_empty");
}

#[test]
fn letters_type_into_text_fields_instead_of_quitting() {
    let mut t = TestApp::new(Lang::En);
    t.chars("s").times(10, KeyCode::Backspace).chars("q?");
    assert!(!t.app.should_quit());
    assert_eq!(t.app.overlay(), None);
    // They went into the operator field: saved as the operator's name.
    t.key(KeyCode::Enter);
    assert_eq!(
        t.app.store.setting("operator").unwrap().as_deref(),
        Some("q?")
    );
}

#[test]
fn esc_with_unsaved_settings_warns_once_then_discards() {
    let mut t = TestApp::new(Lang::En);
    t.chars("s").chars("x");
    t.key(KeyCode::Esc);
    assert_eq!(t.app.screen_title_key(), "settings.title");
    assert_eq!(t.app.message().map(|m| m.key), Some("msg.unsaved_back"));
    t.key(KeyCode::Esc);
    assert_eq!(t.app.screen_title_key(), "home.title");
}

#[test]
fn quit_with_unsaved_changes_asks_and_n_stays() {
    let mut t = TestApp::new(Lang::En);
    t.chars("s").chars("x").key(KeyCode::Tab).chars("q");
    assert_eq!(t.app.overlay(), Some(Overlay::ConfirmQuit));
    t.chars("n");
    assert_eq!(t.app.overlay(), None);
    assert!(!t.app.should_quit());
    t.chars("q").chars("y");
    assert!(t.app.should_quit());
}

#[test]
fn help_lists_the_keys_of_the_current_screen() {
    let cat = Catalog::builtin();
    let mut t = TestApp::new(Lang::En);
    t.chars("s").key(KeyCode::F(1));
    let screen = t.render(80, 24);
    for key in [
        "action.save",
        "action.next_field",
        "action.cursor_left",
        "action.switch_lang",
    ] {
        assert!(
            screen.contains(&cat.text(Lang::En, key)),
            "{key} missing:\n{screen}"
        );
    }
    // While the operator field is edited, `?` types itself, so help offers F1.
    assert!(screen.contains("F1"), "{screen}");
}

#[test]
fn cursor_lands_after_chinese_and_tibetan_text() {
    let mut t = TestApp::new(Lang::En);
    t.chars("s");
    let area = ratatui::layout::Rect::new(0, 0, 80, 24);
    let start = t.app.cursor(area).expect("cursor in the operator field").x;
    t.chars("扎西"); // 2 characters, 4 cells
    assert_eq!(t.app.cursor(area).unwrap().x, start + 4);
    t.chars("བཀྲ"); // the prefix བ and the stack ཀྲ (3 code points): 2 cells
    assert_eq!(t.app.cursor(area).unwrap().x, start + 6);
    t.key(KeyCode::Left); // over the whole stack ཀྲ
    assert_eq!(t.app.cursor(area).unwrap().x, start + 5);
    t.key(KeyCode::Backspace); // removes བ, the stack stays
    assert_eq!(t.app.cursor(area).unwrap().x, start + 4);
    t.key(KeyCode::Left).key(KeyCode::Backspace); // removes 扎 (2 cells)
    assert_eq!(t.app.cursor(area).unwrap().x, start);
    assert!(t.render(80, 24).contains("西ཀྲ"));
}

/// One state of the app in the bilingual mode and what it must show.
struct State {
    t: TestApp,
    /// A text it keeps showing at every size that fits.
    shows: String,
    /// Whether the title row is in view (help covers it).
    title_row: bool,
}

/// The app in the bilingual mode after `press`; `key` names a text it
/// then shows (the start of its Chinese half, which fits every width).
fn state(key: &str, title_row: bool, press: impl FnOnce(&mut TestApp)) -> State {
    let mut t = TestApp::new(Lang::ZhBo);
    press(&mut t);
    let shows = Catalog::builtin()
        .text(Lang::Zh, key)
        .chars()
        .take(2)
        .collect();
    State {
        t,
        shows,
        title_row,
    }
}

/// Four states: home, settings (a text field focused), help, quitting.
fn states() -> Vec<State> {
    vec![
        state("home.title", true, |_| {}),
        state("settings.title", true, |t| {
            t.chars("s");
        }),
        state("help.title", false, |t| {
            t.chars("?");
        }),
        state("ui.confirm_quit", true, |t| {
            t.chars("sx").key(KeyCode::Tab).chars("q");
            assert_eq!(t.app.overlay(), Some(Overlay::ConfirmQuit));
        }),
    ]
}

/// What the window must show at `w`x`h`: below the minimum, `ask` (the
/// request to enlarge it, cut to the width) and nothing else, no cursor;
/// from the minimum up, rows exactly `w` cells wide, the title row, the
/// state's text, and any cursor inside the window.
fn assert_fits(s: &State, w: u16, h: u16, ask: &str, app_name: &str) {
    let screen = s.t.render(w, h);
    let lines: Vec<&str> = screen.lines().collect();
    assert_eq!(lines.len(), h as usize);
    let area = ratatui::layout::Rect::new(0, 0, w, h);
    if w < 60 || h < 16 {
        assert_eq!(
            lines[0].trim_end(),
            text::truncate(ask, w as usize).trim_end(),
            "{w}x{h}"
        );
        assert!(
            lines[1..].iter().all(|l| l.trim().is_empty()),
            "{w}x{h}: one line only\n{screen}"
        );
        assert_eq!(s.t.app.cursor(area), None, "{w}x{h}");
        return;
    }
    for (i, line) in lines.iter().enumerate() {
        assert_eq!(text::width(line), w as usize, "{w}x{h} row {i}: {line:?}");
    }
    if s.title_row {
        assert!(lines[0].starts_with(app_name), "{w}x{h}: {:?}", lines[0]);
    }
    assert!(
        screen.contains(&s.shows),
        "{w}x{h}: {:?} not shown\n{screen}",
        s.shows
    );
    if let Some(p) = s.t.app.cursor(area) {
        assert!(p.x < w && p.y < h, "{w}x{h}: cursor at {p:?}");
    }
}

#[test]
fn at_every_size_the_window_shows_the_screen_or_asks_to_be_enlarged() {
    let cat = Catalog::builtin();
    let ask = cat.format(Lang::ZhBo, "ui.too_small", &[("w", "60"), ("h", "16")]);
    let app_name = format!(" {}", cat.text(Lang::Zh, "app.name"));
    for s in &states() {
        for w in 1..=250u16 {
            for h in [1u16, 2, 3, 15, 16, 17, 24, 80] {
                assert_fits(s, w, h, &ask, &app_name);
            }
        }
        for h in 1..=80u16 {
            for w in [1u16, 2, 59, 60, 61, 80, 250] {
                assert_fits(s, w, h, &ask, &app_name);
            }
        }
    }
}

#[test]
fn a_resize_storm_leaves_each_frame_as_a_fresh_one_at_that_size() {
    let t = states().swap_remove(1).t;
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    let mut x: u32 = 12345;
    for _ in 0..500 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        let w = ((x >> 8) % 250 + 1) as u16;
        let h = ((x >> 20) % 80 + 1) as u16;
        terminal.backend_mut().resize(w, h);
        terminal.autoresize().unwrap();
        terminal
            .draw(|f| f.render_widget(&t.app, f.area()))
            .unwrap();
        // Nothing of an earlier, larger or smaller frame is left over.
        let drawn = support::buffer_text(terminal.backend().buffer());
        assert_eq!(drawn, t.render(w, h), "{w}x{h}");
    }
}

#[test]
fn wylie_mode_types_tibetan_into_a_text_field() {
    let mut t = TestApp::new(Lang::En);
    t.chars("s");
    for _ in 0..10 {
        t.key(KeyCode::Backspace);
    }
    t.key(KeyCode::F(3));
    assert_eq!(t.app.message().map(|m| m.key), Some("msg.wylie_on"));
    // `bkr` reads བཀར until the vowel makes the stack བཀྲ; a space is a tsheg.
    t.chars("bkra shis");
    assert!(t.render(80, 24).contains("བཀྲ་ཤིས"), "{}", t.render(80, 24));
    // Backspace takes back the last Latin key while the word is composed.
    t.key(KeyCode::Backspace).chars("s");
    t.ctrl('t'); // off again: Latin letters are themselves
    t.chars(" ok");
    t.key(KeyCode::Enter);
    assert_eq!(
        t.app.store.setting("operator").unwrap().as_deref(),
        Some("བཀྲ་ཤིས ok")
    );
}
