//! The keymap is data: it parses, every action it binds is described in
//! every locale, and no key is bound twice in one context.

use fieldbook::i18n::{Catalog, Locale};
use fieldbook::tui::keymap::{Context, Keymap, parse_key};

const CONTEXTS: [Context; 6] = [
    Context::Global,
    Context::Home,
    Context::Settings,
    Context::Help,
    Context::Confirm,
    Context::Text,
];

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
