//! The keymap is data: it parses, every action it binds is described in
//! every locale, and no key is bound twice in one context.

#[path = "support/mod.rs"]
mod mod_support;

use fieldbook::i18n::{Catalog, Locale};
use fieldbook::tui::keymap::{Context, Keymap, parse_key};

const CONTEXTS: [Context; 27] = Context::ALL;

#[test]
fn default_keymap_parses_and_every_context_has_bindings() {
    let km = Keymap::default_keymap();
    for ctx in CONTEXTS {
        assert!(!km.bindings(ctx).is_empty(), "{ctx:?} has no bindings");
    }
}

#[test]
fn every_bound_action_has_a_description_in_every_locale() {
    let km = Keymap::default_keymap();
    let cat = Catalog::builtin();
    for ctx in CONTEXTS {
        for b in km.bindings(ctx) {
            let key = b.action.description_key();
            for l in Locale::ALL {
                assert!(
                    cat.get(l, &key).is_some(),
                    "{key} missing in {}",
                    l.file_name()
                );
            }
        }
    }
}

#[test]
fn no_key_is_bound_twice_in_one_context() {
    let km = Keymap::default_keymap();
    for ctx in CONTEXTS {
        let mut seen = Vec::new();
        for b in km.bindings(ctx) {
            for k in &b.keys {
                let parsed = parse_key(k).expect("key parses");
                assert!(!seen.contains(&parsed), "{k} bound twice in {ctx:?}");
                seen.push(parsed);
            }
        }
    }
}

#[test]
fn unknown_key_names_are_refused() {
    let err =
        Keymap::parse("[[global]]\nkeys = [\"ctrl-banana\"]\naction = \"help\"\n").unwrap_err();
    assert!(err.contains("ctrl-banana"), "{err}");
    assert!(Keymap::parse("[[global]]\nkeys = [\"f13\"]\naction = \"help\"\n").is_err());
    assert!(Keymap::parse("[[global]]\nkeys = [\"x\"]\naction = \"no_such_action\"\n").is_err());
}

#[test]
fn a_section_naming_no_context_is_refused_when_the_keymap_is_loaded() {
    let err = Keymap::parse("[[regster]]\nkeys = [\"x\"]\naction = \"help\"\n").unwrap_err();
    assert!(err.contains("regster"), "{err}");
    for ctx in Context::ALL {
        let text = format!("[[{}]]\nkeys = [\"x\"]\naction = \"help\"\n", ctx.name());
        assert!(Keymap::parse(&text).is_ok(), "{ctx:?}");
        assert_eq!(Context::from_name(ctx.name()), Some(ctx));
    }
}

#[test]
fn every_context_is_in_force_on_some_screen() {
    // Each context's bindings reach the user: some screen or overlay puts
    // it in force (the keymap test above checks each has bindings).
    use fieldbook::tui::app::Overlay;
    use ratatui::crossterm::event::KeyCode::*;
    mod_support::with_app(|t| {
        let h = mod_support::first_household(t.store());
        let (v, _) = mod_support::draft_visit(t.store(), &h);
        t.store()
            .set_visit_status(v.meta.id, "submitted", "")
            .unwrap();
        let mut seen: Vec<Context> = vec![Context::Global];
        let mut look = |t: &mod_support::TestApp| seen.extend(t.app.contexts());
        look(t); // home
        t.chars("?");
        assert!(matches!(t.app.overlay(), Some(Overlay::Help { .. })));
        look(t);
        t.key(Esc).chars("s");
        look(t); // settings: text and settings
        t.chars("x").key(Tab).chars("q");
        assert_eq!(t.app.overlay(), Some(Overlay::ConfirmQuit));
        look(t); // the quit confirmation
        t.key(Esc).key(Esc).key(Esc).key(Esc).chars("h");
        look(t); // register, list
        t.key(Enter);
        look(t); // household
        t.chars("h");
        look(t); // its history (a list)
        t.key(Enter);
        assert_eq!(t.app.screen_title_key(), "history.detail_title");
        look(t); // one entry shown whole
        t.key(Esc).key(Esc);
        t.key(Enter);
        assert_eq!(t.app.screen_title_key(), "visit.form_title");
        look(t); // its newest visit, submitted: shown, not changed
        t.key(Esc);
        t.chars("e");
        look(t); // form (a text field)
        t.key(Tab);
        t.key(Enter);
        look(t); // picker
        t.key(Esc).key(Esc).key(Esc).key(Esc).key(Esc).chars("r");
        look(t); // review
        t.key(Esc).chars("v");
        look(t); // villages
        t.key(Esc).chars("d");
        look(t); // drafts
        t.key(Esc).chars("t");
        assert_eq!(t.app.screen_title_key(), "training.title");
        look(t); // sessions
        t.chars("K");
        assert_eq!(t.app.screen_title_key(), "courses.title");
        look(t); // courses
        t.key(Esc).chars("w");
        assert_eq!(t.app.screen_title_key(), "needs.title");
        t.key(Enter);
        assert_eq!(t.app.screen_title_key(), "waiting.title");
        look(t); // who waits
        t.key(Esc).key(Esc).key(Enter);
        assert_eq!(t.app.screen_title_key(), "roster.title");
        look(t); // a roster
        t.chars("p");
        assert_eq!(t.app.screen_title_key(), "attendance.title");
        look(t); // a day's attendance
        t.key(Esc).chars("a");
        assert_eq!(t.app.screen_title_key(), "enrol.title");
        look(t); // search that enrols
        t.key(Esc).key(Esc).key(Esc).chars("p");
        assert_eq!(t.app.screen_title_key(), "posts.title");
        look(t); // public-welfare posts
        t.chars("m");
        assert_eq!(t.app.screen_title_key(), "post_attendance.title");
        look(t); // a month's attendance
        t.key(Esc).key(Esc).chars("h").key(Enter).chars("w");
        assert_eq!(t.app.screen_title_key(), "work.title");
        look(t); // a person's work
        t.key(Esc).key(Esc).key(Esc).chars("f");
        assert_eq!(t.app.screen_title_key(), "report.title");
        look(t); // reports
        t.chars("l");
        assert_eq!(t.app.screen_title_key(), "lists.title");
        look(t); // a village's five lists
        for ctx in Context::ALL {
            assert!(seen.contains(&ctx), "{ctx:?} is in force on no screen");
        }
    });
}

#[test]
fn help_and_search_open_from_a_text_field_without_function_keys() {
    use fieldbook::tui::app::Overlay;
    use ratatui::crossterm::event::KeyCode::*;
    mod_support::with_app(|t| {
        t.chars("h").chars("n");
        assert_eq!(t.app.screen_title_key(), "household.form_title");
        // In a text field '?' and '/' are typed...
        t.chars("?/");
        assert!(t.app.overlay().is_none());
        assert!(t.render(80, 24).contains("?/"));
        // ...and Ctrl-G / Ctrl-F reach help and search, and the footer says so.
        assert!(t.render(80, 24).contains("Ctrl-g Help"));
        t.ctrl('g');
        assert!(matches!(t.app.overlay(), Some(Overlay::Help { .. })));
        t.key(Esc).ctrl('f');
        assert_eq!(t.app.screen_title_key(), "search.title");
    });
}
