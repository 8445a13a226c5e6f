//! The three locale files: the same keys with the same placeholders, no
//! empty text (but a Tibetan one awaiting its translator), a label for every
//! code of every choice list, one review marker on every Tibetan text
//! (`# reviewed: NAME DATE`, `# sourced: SOURCE`, `# unreviewed`), and
//! Tibetan written as Tibetan: the shad, not `, . : ;`; a tsheg and a space
//! before a bracket; the digits 0-9; the county's official name.

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use fieldbook::domain::codes::ALL;
use fieldbook::i18n::{
    Catalog, Lang, Locale, Localized, Review, TextFault, check_tibetan, placeholders,
};
use fieldbook::store::StoreError;

fn locale_file(l: Locale) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("locales")
        .join(l.file_name())
}

fn keys(cat: &Catalog, l: Locale) -> BTreeSet<String> {
    cat.keys(l).map(str::to_owned).collect()
}

#[test]
fn every_locale_defines_the_same_keys() {
    let cat = Catalog::builtin();
    let zh = keys(&cat, Locale::Zh);
    assert!(zh.len() > 50, "the catalogue loaded");
    let mut problems = Vec::new();
    for l in [Locale::Bo, Locale::En] {
        let other = keys(&cat, l);
        for k in zh.difference(&other) {
            problems.push(format!("{} lacks {k}", l.file_name()));
        }
        for k in other.difference(&zh) {
            problems.push(format!("zh.toml lacks {k} (in {})", l.file_name()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_translation_has_the_same_placeholders() {
    let cat = Catalog::builtin();
    let mut problems = Vec::new();
    for key in cat.keys(Locale::Zh) {
        let zh = placeholders(cat.get(Locale::Zh, key).unwrap());
        for l in [Locale::Bo, Locale::En] {
            let text = cat.get(l, key).unwrap_or_default();
            // A Tibetan text awaiting its translator is empty (see below).
            if l == Locale::Bo && text.is_empty() {
                continue;
            }
            let p = placeholders(text);
            if p != zh {
                problems.push(format!("{key}: zh has {zh:?}, {} has {p:?}", l.file_name()));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn no_text_is_empty_but_a_tibetan_one_awaiting_its_translator() {
    // An empty Tibetan text is better than a wrong one: it stays empty,
    // marked unreviewed, and the app shows the Chinese instead.
    let cat = Catalog::builtin();
    let mut empty = Vec::new();
    for l in Locale::ALL {
        for key in cat.keys(l) {
            if cat.get(l, key).unwrap().trim().is_empty()
                && !(l == Locale::Bo && cat.review(key) == Some(&Review::Unreviewed))
            {
                empty.push(format!("{} {key}", l.file_name()));
            }
        }
    }
    assert!(empty.is_empty(), "empty: {empty:?}");
    let (key, _) = *cat
        .unreviewed()
        .iter()
        .find(|(_, t)| t.is_empty())
        .expect("some Tibetan text awaits its translator");
    let zh = cat.get(Locale::Zh, key).unwrap();
    assert_eq!(cat.text(Lang::Bo, key), zh);
    assert_eq!(cat.text(Lang::ZhBo, key), zh);
}

#[test]
fn locale_files_are_flat_dotted_keys_without_table_headers() {
    for l in Locale::ALL {
        let text = std::fs::read_to_string(locale_file(l)).unwrap();
        for (i, line) in text.lines().enumerate() {
            assert!(
                !line.trim_start().starts_with('['),
                "{}:{}: table header {line:?}: use dotted keys",
                l.file_name(),
                i + 1
            );
        }
    }
}

#[test]
fn every_code_of_every_choice_list_has_a_label_in_every_locale() {
    let cat = Catalog::builtin();
    let mut missing = Vec::new();
    for list in ALL {
        assert!(!list.codes.is_empty(), "{}", list.name);
        for code in list.codes {
            let key = list.label_key(code);
            for l in Locale::ALL {
                if cat.get(l, &key).is_none() {
                    missing.push(format!("{} {key}", l.file_name()));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "missing labels:\n{}",
        missing.join("\n")
    );
}

#[test]
fn labels_of_one_list_are_distinct() {
    // Two codes with the same label cannot be told apart on a form.
    let cat = Catalog::builtin();
    for list in ALL {
        for l in Locale::ALL {
            let labels: Vec<&str> = list
                .codes
                .iter()
                .filter_map(|c| cat.get(l, &list.label_key(c)))
                // An empty Tibetan label is not yet written (the form shows
                // the Chinese one), not a label that could be confused.
                .filter(|t| !t.is_empty())
                .collect();
            let distinct: BTreeSet<&&str> = labels.iter().collect();
            assert_eq!(
                distinct.len(),
                labels.len(),
                "{} {}: {labels:?}",
                l.file_name(),
                list.name
            );
        }
    }
}

/// Each keyed line of a locale file with the comment after its value (what
/// follows `" #`), read independently of the catalogue.
fn line_comments(text: &str) -> Vec<(String, Option<String>)> {
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#') && l.contains('='))
        .map(|l| {
            let key = l.split('=').next().unwrap().trim().to_owned();
            let comment = l.rfind("\" #").map(|i| l[i + 3..].trim().to_owned());
            (key, comment)
        })
        .collect()
}

/// The level a well-formed marker names: `reviewed: NAME YYYY-MM-DD`,
/// `sourced: SOURCE` or `unreviewed`.
fn level(comment: &str) -> Option<&'static str> {
    if comment == "unreviewed" {
        return Some("unreviewed");
    }
    if let Some(source) = comment.strip_prefix("sourced: ") {
        return (!source.trim().is_empty()).then_some("sourced");
    }
    let rest = comment.strip_prefix("reviewed: ")?;
    let (name, date) = rest.rsplit_once(' ')?;
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    let d: Vec<&str> = date.split('-').collect();
    let date_ok = d.len() == 3 && d[0].len() == 4 && d[1].len() == 2 && d[2].len() == 2;
    (!name.trim().is_empty() && date_ok && d.iter().all(|p| digits(p))).then_some("reviewed")
}

#[test]
fn every_tibetan_text_carries_exactly_one_review_marker() {
    let cat = Catalog::builtin();
    let bo = std::fs::read_to_string(locale_file(Locale::Bo)).unwrap();
    let mut problems = Vec::new();
    let lines = line_comments(&bo);
    assert_eq!(lines.len(), cat.keys(Locale::Bo).count());
    for (key, comment) in &lines {
        let text = cat.get(Locale::Bo, key).unwrap();
        let tibetan = text.is_empty() || text.chars().any(is_tibetan_letter);
        match (tibetan, comment.as_deref().map(level)) {
            (true, Some(Some(_))) | (false, None) => {}
            (true, _) => problems.push(format!("{key}: no valid marker: {comment:?}")),
            (false, Some(_)) => problems.push(format!("{key}: not Tibetan, marked {comment:?}")),
        }
        if comment.as_deref().is_some_and(|c| c.contains('#')) {
            problems.push(format!("{key}: two markers: {comment:?}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // Markers belong in bo.toml only.
    for l in [Locale::Zh, Locale::En] {
        let text = std::fs::read_to_string(locale_file(l)).unwrap();
        assert!(
            line_comments(&text).iter().all(|(_, c)| c.is_none()),
            "{} marks lines",
            l.file_name()
        );
    }
}

#[test]
fn the_catalog_reads_each_text_at_the_level_its_line_names() {
    let cat = Catalog::builtin();
    let bo = std::fs::read_to_string(locale_file(Locale::Bo)).unwrap();
    let mut counts = std::collections::BTreeMap::new();
    for (key, comment) in line_comments(&bo) {
        let expected = comment.as_deref().and_then(level);
        let got = cat.review(&key).map(Review::level);
        assert_eq!(got, expected, "{key}");
        if let Some(Review::Sourced { source }) = cat.review(&key) {
            assert_eq!(
                comment.as_deref(),
                Some(format!("sourced: {source}").as_str())
            );
        }
        *counts.entry(got.unwrap_or("none")).or_insert(0) += 1;
    }
    // Every level is in use but "reviewed": no native speaker has reviewed
    // anything yet, so no line claims it.
    assert!(counts["sourced"] > 50, "{counts:?}");
    assert!(counts["unreviewed"] > 300, "{counts:?}");
    assert!(!counts.contains_key("reviewed"), "{counts:?}");
    let listed: BTreeSet<&str> = cat.unreviewed().iter().map(|(k, _)| *k).collect();
    assert_eq!(listed.len(), counts["unreviewed"]);
    for (key, text) in cat.unreviewed() {
        assert_eq!(Some(text), cat.get(Locale::Bo, key), "{key}");
    }
    // Glossary terms given without "?" are not awaiting review.
    assert!(!listed.contains("code.sex.m"));
    assert_eq!(cat.get(Locale::Bo, "code.sex.m"), Some("ཕོ"));
    assert_eq!(cat.get(Locale::Bo, "code.sex.f"), Some("མོ"));
}

#[test]
fn sourced_texts_name_the_public_translations_they_match() {
    // The sources of ../shared/data/bo-terms-sourced.csv and bo-cldr.csv, and
    // the project's own glossary (docs: domain.md) for terms it confirms.
    let known = [
        "CLDR 47",
        "Debian installer",
        "MediaWiki",
        "deepin",
        "Samsung",
        "Signal",
        "fieldbook glossary",
    ];
    let cat = Catalog::builtin();
    for (key, review) in cat.reviews() {
        if let Review::Sourced { source } = review {
            for s in source.split("; ") {
                assert!(known.contains(&s), "{key}: unknown source {s:?}");
            }
        }
    }
}

#[test]
fn a_corrected_term_in_an_override_folder_is_no_longer_unreviewed() {
    let cat = Catalog::builtin();
    let (key, _) = *cat.unreviewed().first().expect("something awaits review");
    let (other, _) = *cat.unreviewed().last().unwrap();
    assert_ne!(key, other);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bo.toml"),
        format!("\"{key}\" = \"བཀྲ་ཤིས\"\n\"code.sex.m\" = \"ཕོ་\" # unreviewed\n"),
    )
    .unwrap();
    let over = Catalog::with_overrides(dir.path()).unwrap();
    assert_eq!(over.get(Locale::Bo, key), Some("བཀྲ་ཤིས"));
    let listed: Vec<&str> = over.unreviewed().iter().map(|(k, _)| *k).collect();
    assert!(!listed.contains(&key), "corrected: {key}");
    assert!(listed.contains(&other), "untouched stays listed: {other}");
    assert!(
        listed.contains(&"code.sex.m"),
        "marked again in the override"
    );
}

#[test]
fn review_markers_are_read_in_an_override_folder_too() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bo.toml"),
        "app.name = \"ཞིང་ཐོ\" # reviewed: བཀྲ་ཤིས་ཚེ་རིང 2026-06-01\n\
         home.title = \"གཙོ་ངོས\" # sourced: deepin; MediaWiki\n\
         help.title = \"རོགས་རམ\" # unreviewed\n\
         settings.title = \"སྒྲིག་འགོད\"\n\
         action.back = \"ཕྱིར་ལོག # not a comment\" # reviewd: typo 2026-06-01\n",
    )
    .unwrap();
    let cat = Catalog::with_overrides(dir.path()).unwrap();
    assert_eq!(
        cat.review("app.name"),
        Some(&Review::Reviewed {
            by: "བཀྲ་ཤིས་ཚེ་རིང".into(),
            on: "2026-06-01".into()
        })
    );
    assert_eq!(
        cat.review("home.title"),
        Some(&Review::Sourced {
            source: "deepin; MediaWiki".into()
        })
    );
    assert_eq!(cat.review("help.title"), Some(&Review::Unreviewed));
    // Corrected on site without a marker: reviewed by whoever did it.
    assert_eq!(
        cat.review("settings.title"),
        Some(&Review::Reviewed {
            by: String::new(),
            on: String::new()
        })
    );
    // A `#` inside the text is text; a misspelt marker trusts nothing.
    assert_eq!(
        cat.get(Locale::Bo, "action.back"),
        Some("ཕྱིར་ལོག # not a comment")
    );
    assert_eq!(cat.review("action.back"), Some(&Review::Unreviewed));
    for bad in [
        "reviewed: 2026-06-01",
        "reviewed: x 2026-13-01",
        "sourced:",
        "unreviewed!",
    ] {
        assert_eq!(Review::parse(bad), None, "{bad}");
    }
    let r = Review::Reviewed {
        by: "Tashi Tsering".into(),
        on: "2026-06-01".into(),
    };
    assert_eq!(Review::parse(r.marker().trim_start_matches('#')), Some(r));
}

#[test]
fn every_store_error_has_its_message_in_every_locale() {
    let cat = Catalog::builtin();
    let path = PathBuf::from("/data/county.db");
    let io = || std::io::Error::other("disk full");
    let errors = [
        StoreError::NotSqlite { path: path.clone() },
        StoreError::NewerSchema {
            path: path.clone(),
            found: 9,
            supported: 1,
        },
        StoreError::OlderSchemaReadOnly {
            path: path.clone(),
            found: 0,
            supported: 1,
        },
        StoreError::ReadOnlyFile { path: path.clone() },
        StoreError::ReadOnlyDir {
            path: path.clone(),
            dir: PathBuf::from("/data"),
        },
        StoreError::IsDirectory { path: path.clone() },
        StoreError::NotFound { path: path.clone() },
        StoreError::ReadOnlyMode { path: path.clone() },
        StoreError::Busy { path: path.clone() },
        StoreError::Unfinished { path: path.clone() },
        StoreError::Io {
            path: path.clone(),
            source: io(),
        },
        StoreError::Sqlite {
            path: path.clone(),
            source: rusqlite::Error::InvalidQuery,
        },
        StoreError::Migration {
            path: path.clone(),
            message: "x".to_owned(),
        },
        StoreError::Duplicate {
            path: path.clone(),
            table: "household".to_owned(),
            column: "number".to_owned(),
        },
        StoreError::MissingReference {
            path: path.clone(),
            table: "village".to_owned(),
        },
        StoreError::NoSuchRow {
            path: path.clone(),
            table: "person".to_owned(),
            id: "1".to_owned(),
        },
    ];
    for e in &errors {
        let (key, args) = e.key_args();
        for l in Locale::ALL {
            assert!(cat.get(l, key).is_some(), "{} lacks {key}", l.file_name());
        }
        let given: BTreeSet<&str> = args.iter().map(|(k, _)| *k).collect();
        let used: BTreeSet<String> = placeholders(cat.get(Locale::En, key).unwrap())
            .into_iter()
            .collect();
        for p in &used {
            assert!(given.contains(p.as_str()), "{key}: {{{p}}} is never filled");
        }
        for lang in Lang::ALL {
            let text = e.message(&cat, lang);
            assert!(text.contains("/data/county.db"), "{key} {lang}: {text}");
            assert!(!text.contains('{'), "{key} {lang}: unfilled: {text}");
        }
    }
}

fn is_tibetan_letter(c: char) -> bool {
    ('\u{0F40}'..='\u{0FBC}').contains(&c)
}

/// The Tibetan texts: (key, text) for every text with a Tibetan letter.
fn tibetan_texts(cat: &Catalog) -> Vec<(&str, &str)> {
    cat.keys(Locale::Bo)
        .map(|k| (k, cat.get(Locale::Bo, k).unwrap()))
        .filter(|(_, t)| t.chars().any(is_tibetan_letter))
        .collect()
}

fn is_tibetan(c: char) -> bool {
    ('\u{0F00}'..='\u{0FFF}').contains(&c)
}

/// ASCII sentence punctuation between Tibetan words: the character and its
/// position. Allowed: inside a placeholder, in a number (6,000.50), and in
/// Latin runs: file names, commands, examples (`codebook.csv`, `ref:`,
/// `HH:MM:SS`, `code, township_code`), where neither neighbour is Tibetan.
fn ascii_punctuation(text: &str) -> Vec<(usize, char)> {
    let chars: Vec<char> = text.chars().collect();
    let mut depth = 0;
    let mut found = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        if depth > 0 || !",.:;!?".contains(c) {
            continue;
        }
        let digit = |j: Option<&char>| j.is_some_and(char::is_ascii_digit);
        if i > 0 && digit(chars.get(i - 1)) && digit(chars.get(i + 1)) {
            continue;
        }
        let left = chars[..i].iter().rev().find(|c| **c != ' ');
        let right = chars[i + 1..].iter().find(|c| **c != ' ');
        let tibetan_side = left.is_none_or(|&l| is_tibetan(l) || l == '}')
            || right.is_some_and(|&r| is_tibetan(r));
        if tibetan_side {
            found.push((i + 1, c));
        }
    }
    found
}

#[test]
fn no_ascii_sentence_punctuation_in_tibetan_texts() {
    let cat = Catalog::builtin();
    let mut problems = Vec::new();
    for (key, text) in tibetan_texts(&cat) {
        let found = ascii_punctuation(text);
        if !found.is_empty() {
            problems.push(format!("{key}: {found:?} in {text}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The rule itself: sentences are caught, numbers and Latin runs are not.
    assert_eq!(ascii_punctuation("{path}: ཕྲེང་ {line}"), [(7, ':')]);
    assert_eq!(
        ascii_punctuation("སྒྲིག་གཞི་ {version}, སྒྲིག་ཆས་ {device}."),
        [(21, ','), (41, '.')]
    );
    assert_eq!(ascii_punctuation("མིང (扎西, བཀྲ་ཤིས, zhaxi)").len(), 2);
    assert!(ascii_punctuation("(དཔེར་ན་ 6000 ཡང་ན་ 6,000.50)").is_empty());
    assert!(ascii_punctuation("codebook.csv ནང་གི་ “ref:” (code, township_code དགོས།)").is_empty());
    assert!(ascii_punctuation("YYYY-MM-DDTHH:MM:SS.mmmZ ལྟར་ {x}").is_empty());
}

#[test]
fn brackets_in_tibetan_texts_have_a_tsheg_and_a_space_outside() {
    // `རུས་མིང་ (རྒྱ་ཡིག)`, not `རུས་མིང (` or `མིང་(` or `)དང་`. A sentence
    // ending in ག or ཀ takes no shad and no tsheg (`མི་ཆོག (`).
    let cat = Catalog::builtin();
    let mut problems = Vec::new();
    for (key, text) in tibetan_texts(&cat) {
        let chars: Vec<char> = text.chars().collect();
        for (i, w) in chars.windows(2).enumerate() {
            let glued_open = is_tibetan(w[0]) && w[1] == '(';
            let glued_close = w[0] == ')' && is_tibetan_letter(w[1]);
            let no_tsheg = i + 2 < chars.len()
                && is_tibetan_letter(w[0])
                && !matches!(w[0], 'ག' | 'ཀ')
                && w[1] == ' '
                && chars[i + 2] == '(';
            if glued_open || glued_close || no_tsheg {
                problems.push(format!("{key}: at {}: {text}", i + 1));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn tibetan_texts_write_numbers_in_the_digits_0_to_9() {
    // CLDR's default numbering system for bo is latn (0-9); ༠-༩ is the native
    // alternative. One rule for every text: 0-9.
    let cat = Catalog::builtin();
    for (key, text) in tibetan_texts(&cat) {
        assert!(
            !text.chars().any(|c| ('\u{0F20}'..='\u{0F33}').contains(&c)),
            "{key}: {text}"
        );
    }
}

#[test]
fn the_county_is_named_in_its_official_form() {
    // Chinese state Tibetan-language media and zh.wikipedia write གསེར་རྟ་རྫོང
    // (locales/glossary.csv); English Wikipedia's གསེར་ཐར is not used, only
    // named in the README as the other spelling.
    let cat = Catalog::builtin();
    assert_eq!(cat.get(Locale::Bo, "app.county"), Some("གསེར་རྟ་རྫོང"));
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let readme = readme.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        readme.contains("色达县 / གསེར་རྟ་རྫོང"),
        "README names the county"
    );
    assert!(readme.contains("The county is written གསེར་རྟ་རྫོང"));
    assert_eq!(
        readme.matches("གསེར་ཐར").count(),
        readme.matches("the English Wikipedia has གསེར་ཐར").count(),
        "README writes གསེར་ཐར"
    );
    let bo = std::fs::read_to_string(locale_file(Locale::Bo)).unwrap();
    assert!(!bo.contains("གསེར་ཐར"), "bo.toml writes གསེར་ཐར");
}

#[test]
fn a_proposed_tibetan_text_is_checked_before_it_is_taken() {
    let current = "{path} ལ་ཡིག་འབྲུ་ {n} ཡོད། Enter གནོན། (6,000.50)";
    let check = |text: &str| check_tibetan(text, "{path} 有 {n} 个字", &[current], true);
    // Tibetan, digits, spaces, placeholders, and what the current text has.
    assert_eq!(check("{path} ལ་ཡིག་འབྲུ་ {n} ཡོད། 18 Enter (6,000.50)"), []);
    assert_eq!(
        check("{path} ལ་ {n}"),
        [],
        "placeholders may move; a text may drop Latin"
    );
    assert_eq!(
        check("{path} {n} Settings"),
        [TextFault::NotTibetan {
            position: 12,
            found: "Settings".into()
        }]
    );
    assert_eq!(
        check("{path} 有 {n}"),
        [TextFault::NotTibetan {
            position: 8,
            found: "有".into()
        }]
    );
    assert_eq!(
        check("{path}: ཡིག་འབྲུ་ {n}"),
        [TextFault::Punctuation {
            position: 7,
            found: ':'
        }]
    );
    assert_eq!(
        check("{path} ཡིག\tའབྲུ་ {n}"),
        [TextFault::ControlChar { position: 11 }]
    );
    assert_eq!(
        check("ཡིག་འབྲུ་ {n}"),
        [TextFault::Placeholders {
            expected: vec!["n".into(), "path".into()],
            found: vec!["n".into()]
        }]
    );
    assert!(check("{path} {n} {name").contains(&TextFault::Brace { position: 12 }));
    assert!(check("{path} {n} }").contains(&TextFault::Brace { position: 12 }));
    // A text that is not Tibetan (`{path}: {detail}`) is checked for its
    // placeholders and control characters only.
    assert_eq!(check_tibetan("{path}: {n}", "{path}{n}", &[""], false), []);
    // Every fault has its message in every language, placeholders filled.
    let cat = Catalog::builtin();
    for fault in check("{path} Settings\t: {x} {") {
        for lang in [Lang::Zh, Lang::En] {
            let m = fault.message(&cat, lang);
            let (key, _) = fault.key_args();
            assert!(
                !m.contains("{position}") && !m.contains("{char}"),
                "{key}: {m}"
            );
        }
    }
}

#[test]
fn dates_are_shown_as_numbers_and_no_text_names_a_month_in_words() {
    // YYYY-MM-DD is CLDR 47's short date pattern for bo (y-MM-dd). CLDR's
    // month names (ཟླ་བ་དང་པོ ...) are for a month shown in words: none is.
    for (lang, code) in support::LANGS {
        let screen = support::TestApp::new(lang).render(80, 24);
        assert!(screen.contains("2026-11-27"), "{code}: {screen}");
    }
    let months = [
        "དང་པོ",
        "གཉིས་པ",
        "གསུམ་པ",
        "བཞི་པ",
        "ལྔ་པ",
        "དྲུག་པ",
        "བདུན་པ",
        "བརྒྱད་པ",
        "དགུ་པ",
        "བཅུ་པ",
        "བཅུ་གཅིག་པ",
        "བཅུ་གཉིས་པ",
    ];
    let cat = Catalog::builtin();
    for key in cat.keys(Locale::Bo) {
        let bo = cat.get(Locale::Bo, key).unwrap();
        for m in months {
            assert!(!bo.contains(&format!("ཟླ་བ་{m}")), "{key}: {bo}");
        }
        assert!(!bo.contains("ཟླ་༡"), "{key}: {bo}");
        let zh = cat.get(Locale::Zh, key).unwrap();
        // 一月 or 11月 would name a month; 月份 (month) and 年-月-日 do not.
        let month_word = zh.match_indices('月').any(|(i, _)| {
            zh[..i]
                .chars()
                .next_back()
                .is_some_and(|c| "0123456789一二三四五六七八九十".contains(c))
        });
        assert!(!month_word, "{key}: {zh}");
    }
}

#[test]
fn a_message_without_its_tibetan_text_is_one_language_throughout() {
    // Empty Tibetan text: the sentence falls back to Chinese, and so do
    // the labels placed in it; bilingual mode then shows it once.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("zh.toml"),
        "\"test.msg\" = \"记录{status}，已锁定\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("bo.toml"),
        "\"test.msg\" = \"\" # unreviewed\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("en.toml"),
        "\"test.msg\" = \"It is {status}\"\n",
    )
    .unwrap();
    let cat = Catalog::with_overrides(dir.path()).unwrap();
    let zh_status = cat.text(Lang::Zh, "code.visit_status.approved");
    let bo_status = cat.text(Lang::Bo, "code.visit_status.approved");
    assert_ne!(zh_status, bo_status, "the label has a Tibetan text");
    let keyed = [("status", "code.visit_status.approved")];
    let bo = cat.format_keyed(Lang::Bo, "test.msg", &[], &keyed);
    assert_eq!(bo, format!("记录{zh_status}，已锁定"));
    let both = cat.format_keyed(Lang::ZhBo, "test.msg", &[], &keyed);
    assert_eq!(both, bo, "shown once, not twice");
    // With a Tibetan text, the Tibetan label goes in it.
    std::fs::write(dir.path().join("bo.toml"), "\"test.msg\" = \"{status}\"\n").unwrap();
    let cat = Catalog::with_overrides(dir.path()).unwrap();
    assert_eq!(
        cat.format_keyed(Lang::Bo, "test.msg", &[], &keyed),
        bo_status
    );
}
