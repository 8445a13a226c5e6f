//! Bilingual mode whole: every screen, driven by keys, rendered in zh+bo
//! at 80x24 and 200x50. A label that has a Tibetan text shows it beside
//! the Chinese; at 200 columns nothing is cut (no `…`), since there is room.

mod support;

use fieldbook::i18n::{Catalog, Lang};
use ratatui::crossterm::event::KeyCode::*;
use support::labels::{labels, stands_alone, under_a_popup};
use support::{TestApp, draft_visit, first_household};

/// Every screen of the app, reached by keys, as (name, rendered text).
fn tour(lang: Lang, w: u16, h: u16) -> Vec<(&'static str, String)> {
    let mut t = TestApp::with_households(lang, 6);
    let hh = first_household(t.store());
    let (v, _) = draft_visit(t.store(), &hh);
    t.store()
        .set_visit_status(v.meta.id, "submitted", "")
        .unwrap();
    let mut out = Vec::new();
    let mut see = |name: &'static str, t: &TestApp| out.push((name, t.render(w, h)));
    see("home", &t);
    t.chars("?");
    see("help", &t);
    t.key(Esc).chars("s");
    see("settings", &t);
    t.key(Esc).chars("h");
    see("register", &t);
    t.key(Enter);
    see("household", &t);
    t.chars("h");
    see("household history", &t);
    t.key(Enter);
    see("history entry", &t);
    t.key(Esc).key(Esc).key(Enter);
    see("visit (submitted)", &t);
    t.key(Esc).chars("e");
    see("household form", &t);
    t.key(Tab).key(Enter);
    see("village picker", &t);
    t.key(Esc).key(Esc).key(Esc).chars("n");
    see("new visit form", &t);
    t.times(6, Tab);
    see("new visit form, members", &t);
    t.key(Esc).key(Esc).key(Esc).key(Esc).chars("r");
    see("review", &t);
    t.key(Esc).chars("v");
    see("villages", &t);
    t.key(Enter);
    see("village form", &t);
    t.key(Esc).key(Esc).chars("d");
    see("drafts", &t);
    t.key(Esc).chars("/").chars("扎西");
    see("search", &t);
    out
}

#[test]
fn every_label_shows_its_tibetan_half_in_bilingual_mode() {
    let cat = Catalog::builtin();
    let labels = labels(&cat);
    let mut missing = Vec::new();
    for (w, h) in [(80, 24), (200, 50)] {
        for (name, screen) in tour(Lang::ZhBo, w, h) {
            let lines: Vec<&str> = screen.lines().collect();
            for (i, line) in lines.iter().enumerate().filter(|(_, l)| !under_a_popup(l)) {
                // Short of room, the Tibetan half goes on the line below
                // (a heading or a label on two lines).
                let below = lines.get(i + 1).copied().unwrap_or_default();
                for (zh, bos) in &labels {
                    // At 80 columns a text may be cut for room (the next
                    // test holds 200 columns to nothing cut).
                    let cut = w < 200 && line.contains('…');
                    let whole = bos
                        .iter()
                        .any(|bo| line.contains(bo.as_str()) || below.contains(bo.as_str()));
                    if stands_alone(line, zh) && !whole && !cut {
                        missing.push(format!("{w}x{h} {name}: {zh} without {bos:?}: {line:?}"));
                    }
                }
            }
        }
    }
    missing.sort();
    missing.dedup();
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn nothing_is_cut_where_the_window_has_room() {
    let mut cut = Vec::new();
    for lang in [Lang::ZhBo, Lang::Zh, Lang::Bo, Lang::En] {
        for (name, screen) in tour(lang, 200, 50) {
            for line in screen.lines().filter(|l| l.contains('…')) {
                cut.push(format!("{lang:?} {name}: {line:?}"));
            }
        }
    }
    assert!(cut.is_empty(), "{}", cut.join("\n"));
}

#[test]
fn catalogue_names_are_tibetan_in_tibetan_mode_and_marked_where_not_yet_written() {
    use fieldbook::domain::records::Course;
    let mut t = TestApp::with_households(Lang::Bo, 20);
    // People with trainings, found by search: the course as the catalogue
    // names it.
    t.chars("/").chars("扎西");
    let mark = Catalog::builtin().text(Lang::Bo, "ui.not_in_tibetan");
    let before = t.render(120, 40);
    let marked: Vec<&str> = before.lines().filter(|l| l.contains(&mark)).collect();
    assert!(
        !marked.is_empty(),
        "a Chinese-only name is marked:\n{before}"
    );
    // Give every course a Tibetan name: shown, unmarked, without Chinese.
    let courses = t.store().courses().unwrap();
    for mut c in courses.clone() {
        c.name_bo = format!("སྦྱོང་བརྡར་{}", c.code.len());
        t.store().save::<Course>(&mut c).unwrap();
    }
    t.key(Esc).chars("/").chars("扎西");
    let after = t.render(120, 40);
    for c in &courses {
        assert!(
            !after.contains(&c.name_zh),
            "{} still Chinese:\n{after}",
            c.name_zh
        );
    }
    assert!(after.contains("སྦྱོང་བརྡར་"), "{after}");
}
