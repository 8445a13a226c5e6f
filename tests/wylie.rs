//! Extended Wylie (THL EWTS) to Tibetan: every rule class with the exact
//! Unicode expected, the careless typing field staff do, what must be
//! reported instead of converted, and that no input makes it panic.

use fieldbook::wylie::{Composer, Reason, to_tibetan};
use proptest::prelude::*;

/// Converts `wylie`, which must convert completely.
fn tib(wylie: &str) -> String {
    let c = to_tibetan(wylie);
    assert!(
        c.problems.is_empty(),
        "{wylie:?} should convert, reported {:?}",
        c.problems
    );
    c.text
}

/// Code points of `s`, for readable failures.
fn cps(s: &str) -> Vec<String> {
    s.chars().map(|c| format!("{:04X}", c as u32)).collect()
}

fn check(cases: &[(&str, &str)]) {
    for (wylie, expected) in cases {
        let got = tib(wylie);
        assert_eq!(
            cps(&got),
            cps(expected),
            "{wylie:?} gave {got} instead of {expected}"
        );
    }
}

#[test]
fn the_thirty_letters_and_a_chen() {
    check(&[
        ("ka", "\u{0F40}"),
        ("kha", "\u{0F41}"),
        ("ga", "\u{0F42}"),
        ("nga", "\u{0F44}"),
        ("ca", "\u{0F45}"),
        ("cha", "\u{0F46}"),
        ("ja", "\u{0F47}"),
        ("nya", "\u{0F49}"),
        ("ta", "\u{0F4F}"),
        ("tha", "\u{0F50}"),
        ("da", "\u{0F51}"),
        ("na", "\u{0F53}"),
        ("pa", "\u{0F54}"),
        ("pha", "\u{0F55}"),
        ("ba", "\u{0F56}"),
        ("ma", "\u{0F58}"),
        ("tsa", "\u{0F59}"),
        ("tsha", "\u{0F5A}"),
        ("dza", "\u{0F5B}"),
        ("wa", "\u{0F5D}"),
        ("zha", "\u{0F5E}"),
        ("za", "\u{0F5F}"),
        ("'a", "\u{0F60}"),
        ("ya", "\u{0F61}"),
        ("ra", "\u{0F62}"),
        ("la", "\u{0F63}"),
        ("sha", "\u{0F64}"),
        ("sa", "\u{0F66}"),
        ("ha", "\u{0F67}"),
        ("a", "\u{0F68}"),
    ]);
}

#[test]
fn vowels_short_and_long_on_a_letter_and_alone() {
    check(&[
        ("ki", "\u{0F40}\u{0F72}"),
        ("ku", "\u{0F40}\u{0F74}"),
        ("ke", "\u{0F40}\u{0F7A}"),
        ("ko", "\u{0F40}\u{0F7C}"),
        ("kai", "\u{0F40}\u{0F7B}"),
        ("kau", "\u{0F40}\u{0F7D}"),
        ("kA", "\u{0F40}\u{0F71}"),
        ("kI", "\u{0F40}\u{0F71}\u{0F72}"),
        ("kU", "\u{0F40}\u{0F71}\u{0F74}"),
        ("k-i", "\u{0F40}\u{0F80}"),
        ("k-I", "\u{0F40}\u{0F71}\u{0F80}"),
        // A vowel with no letter sits on a-chen.
        ("i", "\u{0F68}\u{0F72}"),
        ("u", "\u{0F68}\u{0F74}"),
        ("e", "\u{0F68}\u{0F7A}"),
        ("o", "\u{0F68}\u{0F7C}"),
        ("A", "\u{0F68}\u{0F71}"),
        ("I", "\u{0F68}\u{0F71}\u{0F72}"),
        ("U", "\u{0F68}\u{0F71}\u{0F74}"),
        // a-chung carries a vowel after a vowel: ba'i, not bai.
        ("ba'i", "\u{0F56}\u{0F60}\u{0F72}"),
        ("bai", "\u{0F56}\u{0F7B}"),
    ]);
}

#[test]
fn prefixes_stand_before_the_root_letter() {
    check(&[
        ("dga'", "\u{0F51}\u{0F42}\u{0F60}"),
        ("bka'", "\u{0F56}\u{0F40}\u{0F60}"),
        ("mkha'", "\u{0F58}\u{0F41}\u{0F60}"),
        ("'gro", "\u{0F60}\u{0F42}\u{0FB2}\u{0F7C}"),
        ("gnas", "\u{0F42}\u{0F53}\u{0F66}"),
        ("dbang", "\u{0F51}\u{0F56}\u{0F44}"),
        ("mngon", "\u{0F58}\u{0F44}\u{0F7C}\u{0F53}"),
        ("bsod", "\u{0F56}\u{0F66}\u{0F7C}\u{0F51}"),
    ]);
}

#[test]
fn superscripts_ra_la_sa_stack_over_their_letters() {
    check(&[
        ("rka", "\u{0F62}\u{0F90}"),
        ("rnga", "\u{0F62}\u{0F94}"),
        ("rdo", "\u{0F62}\u{0FA1}\u{0F7C}"),
        ("rje", "\u{0F62}\u{0F97}\u{0F7A}"),
        ("rtsa", "\u{0F62}\u{0FA9}"),
        ("lha", "\u{0F63}\u{0FB7}"),
        ("lta", "\u{0F63}\u{0F9F}"),
        ("ska", "\u{0F66}\u{0F90}"),
        ("sna", "\u{0F66}\u{0FA3}"),
        ("sngags", "\u{0F66}\u{0F94}\u{0F42}\u{0F66}"),
        // sa does not go over la: s with la below.
        ("sla", "\u{0F66}\u{0FB3}"),
    ]);
}

#[test]
fn subjoined_ya_ra_la_wa() {
    check(&[
        ("kya", "\u{0F40}\u{0FB1}"),
        ("kra", "\u{0F40}\u{0FB2}"),
        ("kla", "\u{0F40}\u{0FB3}"),
        ("zla", "\u{0F5F}\u{0FB3}"),
        ("rlung", "\u{0F62}\u{0FB3}\u{0F74}\u{0F44}"),
        ("dwa", "\u{0F51}\u{0FAD}"),
        ("grwa", "\u{0F42}\u{0FB2}\u{0FAD}"),
        ("phywa", "\u{0F55}\u{0FB1}\u{0FAD}"),
        // superscript, root and subscript in one stack
        ("rgya", "\u{0F62}\u{0F92}\u{0FB1}"),
        ("skra", "\u{0F66}\u{0F90}\u{0FB2}"),
        ("spyod", "\u{0F66}\u{0FA4}\u{0FB1}\u{0F7C}\u{0F51}"),
    ]);
}

#[test]
fn whole_syllables_with_prefix_superscript_subscript_and_suffixes() {
    check(&[
        (
            "bsgrubs",
            "\u{0F56}\u{0F66}\u{0F92}\u{0FB2}\u{0F74}\u{0F56}\u{0F66}",
        ),
        ("brgyad", "\u{0F56}\u{0F62}\u{0F92}\u{0FB1}\u{0F51}"),
        ("bskyed", "\u{0F56}\u{0F66}\u{0F90}\u{0FB1}\u{0F7A}\u{0F51}"),
        ("brtan", "\u{0F56}\u{0F62}\u{0F9F}\u{0F53}"),
        ("'phags", "\u{0F60}\u{0F55}\u{0F42}\u{0F66}"),
        ("dngos", "\u{0F51}\u{0F44}\u{0F7C}\u{0F66}"),
        ("mkhyen", "\u{0F58}\u{0F41}\u{0FB1}\u{0F7A}\u{0F53}"),
    ]);
}

#[test]
fn suffixes_after_a_vowel_never_stack() {
    // r could stand over t, but after the vowel both are suffixes.
    check(&[
        ("bart", "\u{0F56}\u{0F62}\u{0F4F}"),
        ("kart", "\u{0F40}\u{0F62}\u{0F4F}"),
        ("gsal", "\u{0F42}\u{0F66}\u{0F63}"),
        ("lags", "\u{0F63}\u{0F42}\u{0F66}"),
    ]);
}

#[test]
fn a_dot_keeps_a_prefix_from_stacking() {
    check(&[
        ("g.yag", "\u{0F42}\u{0F61}\u{0F42}"),
        ("gyag", "\u{0F42}\u{0FB1}\u{0F42}"),
        ("g.yang", "\u{0F42}\u{0F61}\u{0F44}"),
        ("d.wa", "\u{0F51}\u{0F5D}"),
    ]);
}

#[test]
fn plus_stacks_any_letters() {
    check(&[
        ("pad+ma", "\u{0F54}\u{0F51}\u{0FA8}"),
        ("k+Sha", "\u{0F40}\u{0FB5}"),
        ("k+ya", "\u{0F40}\u{0FB1}"),
        ("n+d+ra", "\u{0F53}\u{0FA1}\u{0FB2}"),
        ("k+Ya", "\u{0F40}\u{0FBB}"),
        ("k+Wa", "\u{0F40}\u{0FBA}"),
        ("k+Ra", "\u{0F40}\u{0FBC}"),
    ]);
}

#[test]
fn sanskrit_letters_and_fixed_forms() {
    check(&[
        ("Ta", "\u{0F4A}"),
        ("Tha", "\u{0F4B}"),
        ("Da", "\u{0F4C}"),
        ("Dha", "\u{0F4C}\u{0FB7}"),
        ("Na", "\u{0F4E}"),
        ("Sha", "\u{0F65}"),
        ("gha", "\u{0F42}\u{0FB7}"),
        ("dha", "\u{0F51}\u{0FB7}"),
        ("bha", "\u{0F56}\u{0FB7}"),
        ("dzha", "\u{0F5B}\u{0FB7}"),
        ("g+ha", "\u{0F42}\u{0FB7}"),
        ("fa", "\u{0F55}\u{0F39}"),
        ("va", "\u{0F56}\u{0F39}"),
        ("Ra", "\u{0F6A}"),
        ("pha^", "\u{0F55}\u{0F39}"),
    ]);
}

#[test]
fn final_marks() {
    check(&[
        ("oM", "\u{0F68}\u{0F7C}\u{0F7E}"),
        ("hUM", "\u{0F67}\u{0F71}\u{0F74}\u{0F7E}"),
        ("aH", "\u{0F68}\u{0F7F}"),
        ("ka~M`", "\u{0F40}\u{0F82}"),
        ("ka~M", "\u{0F40}\u{0F83}"),
        ("kaX", "\u{0F40}\u{0F37}"),
        ("ka~X", "\u{0F40}\u{0F35}"),
        ("k?", "\u{0F40}\u{0F84}"),
    ]);
}

#[test]
fn spaces_are_tshegs_and_punctuation_and_digits_are_tibetan() {
    check(&[
        ("ka kha", "\u{0F40}\u{0F0B}\u{0F41}"),
        ("ka/", "\u{0F40}\u{0F0D}"),
        ("ka//", "\u{0F40}\u{0F0E}"),
        ("ka|", "\u{0F40}\u{0F11}"),
        ("ka;", "\u{0F40}\u{0F0F}"),
        ("ka:", "\u{0F40}\u{0F14}"),
        ("ka*kha", "\u{0F40}\u{0F0C}\u{0F41}"),
        ("ka_kha", "\u{0F40} \u{0F41}"),
        ("!", "\u{0F08}"),
        ("=", "\u{0F34}"),
        ("<>()", "\u{0F3A}\u{0F3B}\u{0F3C}\u{0F3D}"),
        ("@#$%", "\u{0F04}\u{0F05}\u{0F06}\u{0F07}"),
        (
            "0123456789",
            "\u{0F20}\u{0F21}\u{0F22}\u{0F23}\u{0F24}\u{0F25}\u{0F26}\u{0F27}\u{0F28}\u{0F29}",
        ),
        ("2026", "\u{0F22}\u{0F20}\u{0F22}\u{0F26}"),
        // After a shad, a space stays a space.
        ("ka/ kha", "\u{0F40}\u{0F0D} \u{0F41}"),
        // \u escapes and [text kept as it is], when they are Tibetan
        ("\\u0f40", "\u{0F40}"),
        ("ka [ཀ 3] kha", "\u{0F40}\u{0F0B}ཀ 3\u{0F0B}\u{0F41}"),
    ]);
}

#[test]
fn names_from_the_county_convert_as_written() {
    check(&[
        ("bkra shis", "བཀྲ་ཤིས"),
        ("bkra shis bde legs", "བཀྲ་ཤིས་བདེ་ལེགས"),
        ("bkra shis tshe ring", "བཀྲ་ཤིས་ཚེ་རིང"),
        ("rdo rje", "རྡོ་རྗེ"),
        ("bsod nams", "བསོད་ནམས"),
        ("skal bzang", "སྐལ་བཟང"),
        ("dkon mchog", "དཀོན་མཆོག"),
        ("blo bzang", "བློ་བཟང"),
        ("sangs rgyas", "སངས་རྒྱས"),
        ("bstan 'dzin", "བསྟན་འཛིན"),
        ("sgrol ma", "སྒྲོལ་མ"),
        ("lha mo", "ལྷ་མོ"),
        ("chos skyid", "ཆོས་སྐྱིད"),
        ("dbyangs can", "དབྱངས་ཅན"),
        ("mtsho mo", "མཚོ་མོ"),
        ("zla ba", "ཟླ་བ"),
        ("gser thar rdzong ", "གསེར་ཐར་རྫོང་"),
        ("dkar mdzes", "དཀར་མཛེས"),
        ("grong sde", "གྲོང་སྡེ"),
    ]);
}

#[test]
fn careless_typing_is_read_as_meant() {
    let cases = [
        // Curly, reversed and modifier-letter apostrophes mean '.
        ("ba’i", "བའི"),
        ("ba‘i", "བའི"),
        ("baʼi", "བའི"),
        ("bstan ’dzin", "བསྟན་འཛིན"),
        // Repeated, trailing and leading spaces: one tsheg, none at the start.
        ("bkra   shis", "བཀྲ་ཤིས"),
        ("bkra shis  ", "བཀྲ་ཤིས་"),
        ("  bkra shis", "བཀྲ་ཤིས"),
        ("bkra\tshis", "བཀྲ་ཤིས"),
        // Capitals with no meaning in EWTS are lower case.
        ("Bkra shis", "བཀྲ་ཤིས"),
        ("Gyag", "གྱག"),
        ("Ldan", "ལྡན"),
        ("Pad+ma", "པདྨ"),
        ("Zla Ba", "ཟླ་བ"),
        ("Ci", "ཅི"),
        ("Lha Mo", "ལྷ་མོ"),
        ("Sa", "ས"),
        ("Om", "ཨོམ"),
        // M and H cannot mark a stack that is not there: m and h.
        ("Mi", "མི"),
        ("Ha", "ཧ"),
        // Full-width Latin from a Chinese input method.
        ("ｂｋｒａ　ｓｈｉｓ", "བཀྲ་ཤིས"),
    ];
    check(&cases);
}

#[test]
fn capitals_with_a_meaning_keep_it() {
    check(&[
        ("Sha", "\u{0F65}"),
        ("Ta", "\u{0F4A}"),
        ("kA", "\u{0F40}\u{0F71}"),
    ]);
}

#[test]
fn what_is_not_ewts_is_reported_not_turned_into_latin() {
    let c = to_tibetan("bkra qshis");
    assert_eq!(c.problems.len(), 1);
    let p = &c.problems[0];
    assert_eq!(p.found, "q");
    assert_eq!(p.input, 5..6);
    assert_eq!(p.reason, Reason::Unknown);
    assert_eq!(
        &c.text[p.output.clone()],
        "q",
        "kept as typed, where it was"
    );
    assert!(c.text.starts_with("བཀྲ་"));
    assert!(!c.is_complete());
    assert!(c.clone().into_result().is_err());

    for (input, found, reason) in [
        ("xi", "x", Reason::Unknown),
        ("kaq", "q", Reason::Unknown),
        ("ka qq", "qq", Reason::Unknown),
        ("张三", "张三", Reason::Unknown),
        ("ka+", "+", Reason::OutOfPlace),
        ("ka.", ".", Reason::OutOfPlace),
        ("+ka", "+", Reason::OutOfPlace),
        ("~", "~", Reason::OutOfPlace),
        ("ka ?", "?", Reason::OutOfPlace),
        ("ka [note", "[note", Reason::Unclosed),
        ("\\uzz", "\\u", Reason::BadEscape),
        ("\\ud800", "\\ud800", Reason::BadEscape),
        // Escapes and kept text that would put anything but Tibetan,
        // spaces and digits in the output.
        ("ka \\x", "\\x", Reason::BadEscape),
        ("\\uffff", "\\uffff", Reason::BadEscape),
        ("\\u0007", "\\u0007", Reason::BadEscape),
        ("\\u001b", "\\u001b", Reason::BadEscape),
        ("ka [p. 3] kha", "[p. 3]", Reason::Unknown),
        ("ka [\u{1b}[2J]", "[\u{1b}[2J]", Reason::Unknown),
        ("ka \u{7}", "\u{7}", Reason::Unknown),
    ] {
        let c = to_tibetan(input);
        let got: Vec<(&str, Reason)> = c
            .problems
            .iter()
            .map(|p| (p.found.as_str(), p.reason))
            .collect();
        assert!(
            got.contains(&(found, reason)),
            "{input:?}: expected {found:?} {reason:?}, got {got:?}"
        );
    }
}

#[test]
fn tibetan_already_in_the_text_passes_through() {
    check(&[("བཀྲ་shis", "བཀྲ་ཤིས"), ("བཀྲ་ཤིས", "བཀྲ་ཤིས")]);
}

#[test]
fn the_composer_shows_what_is_typed_so_far() {
    let mut c = Composer::new();
    for k in "bkr".chars() {
        c.push(k);
    }
    // An unfinished syllable reads as typed so far ...
    assert_eq!(c.preview().text, "བཀར");
    c.push('a');
    // ... and changes with the next key.
    assert_eq!(c.preview().text, "བཀྲ");
    c.push(' ');
    assert_eq!(c.preview().text, "བཀྲ་");
    c.push(' ');
    assert_eq!(c.preview().text, "བཀྲ་", "a second space adds nothing");
    for k in "shis".chars() {
        c.push(k);
    }
    assert_eq!(c.pop(), Some('s'));
    assert_eq!(c.preview().text, "བཀྲ་ཤི");
    c.push('s');
    assert_eq!(c.latin(), "bkra  shis");
    let done = c.finish();
    assert_eq!(done.text, "བཀྲ་ཤིས");
    assert!(c.is_empty());
    assert_eq!(c.pop(), None);
}

/// How a reported part stands in the output: as typed, a character that
/// could control a terminal as U+FFFD.
fn shown(found: &str) -> String {
    found
        .chars()
        .map(|c| {
            if fieldbook::text::is_unsafe_char(c) && c != '\n' && c != '\r' {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

/// A complete conversion holds Tibetan, spaces, digits and line breaks only.
fn only_tibetan_when_complete(text: &str, complete: bool) -> bool {
    !complete
        || text.chars().all(|c| {
            ('\u{0F00}'..='\u{0FFF}').contains(&c)
                || matches!(c, ' ' | '\n' | '\r')
                || c.is_ascii_digit()
        })
}

/// Output positions of every ASCII letter in `text`.
fn latin_letters(text: &str) -> Vec<usize> {
    text.char_indices()
        .filter(|(_, c)| c.is_ascii_alphabetic())
        .map(|(i, _)| i)
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_ascii_never_panics_and_latin_only_survives_when_reported(s in "[ -~\\t\\n]{0,40}") {
        let c = to_tibetan(&s);
        for p in &c.problems {
            prop_assert!(s.is_char_boundary(p.input.start) && s.is_char_boundary(p.input.end));
            prop_assert_eq!(&s[p.input.clone()], p.found.as_str());
            let want = shown(&p.found);
            prop_assert_eq!(&c.text[p.output.clone()], want.as_str());
        }
        // Latin letters in the output come only from reports: never from
        // a silent fallback, an escape or kept text.
        for at in latin_letters(&c.text) {
            prop_assert!(
                c.problems.iter().any(|p| p.output.contains(&at)),
                "{:?} -> {:?}: unreported Latin at {}", s, c.text, at
            );
        }
        prop_assert!(only_tibetan_when_complete(&c.text, c.problems.is_empty()), "{:?} -> {:?}", s, c.text);
    }

    #[test]
    fn arbitrary_unicode_never_panics(s in "\\PC{0,30}") {
        let c = to_tibetan(&s);
        for p in &c.problems {
            let want = shown(&p.found);
            prop_assert_eq!(&c.text[p.output.clone()], want.as_str());
        }
        prop_assert!(only_tibetan_when_complete(&c.text, c.problems.is_empty()), "{:?} -> {:?}", s, c.text);
    }

    #[test]
    fn any_characters_at_all_never_reach_the_output_unreported(s in "(?s).{0,30}") {
        let c = to_tibetan(&s);
        prop_assert!(only_tibetan_when_complete(&c.text, c.problems.is_empty()), "{:?} -> {:?}", s, c.text);
        prop_assert!(!c.text.chars().any(|ch| ch != '\n' && ch != '\r' && fieldbook::text::is_unsafe_char(ch)));
    }

    #[test]
    fn ewts_letters_and_spaces_always_convert(s in "[kgcjtdnpbmwzyrlsh'aeiou ]{0,30}") {
        let c = to_tibetan(&s);
        prop_assert!(c.problems.is_empty(), "{:?}: {:?}", s, c.problems);
        prop_assert!(latin_letters(&c.text).is_empty());
    }
}

#[test]
fn a_long_line_converts_as_its_parts_do() {
    // Worked through a piece at a time, a long line gives exactly what its
    // syllables give one by one, with problems at their true places.
    let words = [
        "bkra shis ",
        "bde legs ",
        "g.yag ",
        "bsgrubs ",
        "rgya mtsho ",
    ];
    let mut input = String::new();
    let mut expected = String::new();
    for i in 0..20_000 {
        let w = words[i % words.len()];
        input.push_str(w);
        expected.push_str(&tib(w));
    }
    input.push_str("kaq");
    let c = to_tibetan(&input);
    assert_eq!(c.problems.len(), 1);
    let p = &c.problems[0];
    assert_eq!(&input[p.input.clone()], "q");
    assert_eq!(p.input.start, input.len() - 1);
    assert!(c.text.starts_with(&expected), "the pieces join as one text");
}
