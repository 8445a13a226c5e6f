//! The Tibetan glossary (`locales/glossary.csv`) and the locale texts agree:
//! one term per meaning, one meaning per term.
//!
//! A row names a concept, its Tibetan term (`|` between accepted forms, the
//! first the main one), its Chinese and English terms, Tibetan variants that
//! must not be used, whether the Tibetan term is exclusive to the concept,
//! the term's source (public translations, or "unconfirmed") and a note.
//!
//! A text mentions a concept when its Chinese holds one of the concept's
//! Chinese terms (not as part of a longer term of another concept: 表单 the
//! form is not 表 the table) and, where the row gives English terms, its
//! English holds one too (表 in 制表符, a tab, is no table). Then its
//! Tibetan must hold the glossary's term and none of the rejected variants.
//! The other way round, a text whose Tibetan holds an exclusive term (not as
//! part of a longer one: རེའུ་མིག in རེའུ་མིག་བཟོ་རྟགས) must mention its
//! concept. Tibetan terms match whole syllables, with a case ending (འི ར ས
//! འམ འང འོ) allowed after them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use fieldbook::i18n::{Catalog, Locale};

const HEADER: [&str; 8] = [
    "concept",
    "bo",
    "zh",
    "en",
    "rejected",
    "exclusive",
    "source",
    "note",
];

#[derive(Debug, Clone)]
struct Concept {
    name: String,
    bo: Vec<String>,
    zh: Vec<String>,
    en: Vec<String>,
    rejected: Vec<String>,
    exclusive: bool,
    source: String,
}

fn alternatives(s: &str) -> Vec<String> {
    s.split('|')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(str::to_owned)
        .collect()
}

fn read_glossary() -> Vec<Concept> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales/glossary.csv");
    let mut rdr = csv::Reader::from_path(&path).unwrap();
    let header: Vec<String> = rdr.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(header, HEADER, "{}", path.display());
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            let exclusive = match &r[5] {
                "yes" => true,
                "no" => false,
                other => panic!("{}: exclusive must be yes or no, not {other:?}", &r[0]),
            };
            Concept {
                name: r[0].to_owned(),
                bo: alternatives(&r[1]),
                zh: alternatives(&r[2]),
                en: alternatives(&r[3]),
                rejected: alternatives(&r[4]),
                exclusive,
                source: r[6].to_owned(),
            }
        })
        .collect()
}

fn is_tibetan_letter(c: char) -> bool {
    ('\u{0F40}'..='\u{0FBC}').contains(&c)
}

/// Case endings that may follow a term in the same syllable.
const ENDINGS: [&str; 6] = ["འི", "ར", "ས", "འམ", "འང", "འོ"];

/// Whether the last syllable of `term` is open (ends in a vowel sign, a
/// subjoined letter or a lone consonant), so a case ending may join it.
fn open_syllable(term: &str) -> bool {
    let last = term.rsplit('་').next().unwrap_or(term);
    let mut chars = last.chars();
    match (chars.next_back(), chars.next_back()) {
        (Some(c), _) if ('\u{0F71}'..='\u{0FBC}').contains(&c) => true,
        (Some(c), None) => is_tibetan_letter(c),
        _ => false,
    }
}

/// Byte spans where `term` stands as whole syllables in `text`.
fn tibetan_spans(text: &str, term: &str) -> Vec<(usize, usize)> {
    let letter_at = |i: usize| text[i..].chars().next().is_some_and(is_tibetan_letter);
    let letter_before = |i: usize| text[..i].chars().next_back().is_some_and(is_tibetan_letter);
    text.match_indices(term)
        .map(|(i, _)| (i, i + term.len()))
        .filter(|&(start, end)| {
            !letter_before(start)
                && (!letter_at(end)
                    || open_syllable(term)
                        && ENDINGS
                            .iter()
                            .any(|e| text[end..].starts_with(e) && !letter_at(end + e.len())))
        })
        .collect()
}

fn chinese_spans(text: &str, term: &str) -> Vec<(usize, usize)> {
    text.match_indices(term)
        .map(|(i, _)| (i, i + term.len()))
        .collect()
}

/// Whether `text` holds one of `terms` at the start of a word, in any case.
fn english_has(text: &str, terms: &[String]) -> bool {
    let text = text.to_lowercase();
    terms.iter().any(|t| {
        text.match_indices(&t.to_lowercase()).any(|(i, _)| {
            !text[..i]
                .chars()
                .next_back()
                .is_some_and(char::is_alphabetic)
        })
    })
}

/// The concepts whose terms (`field` picks them) occur in `text`, except
/// where the occurrence lies inside a longer occurrence of another concept.
fn occurring<'g>(
    text: &str,
    glossary: &'g [Concept],
    field: fn(&Concept) -> &[String],
    spans: fn(&str, &str) -> Vec<(usize, usize)>,
) -> BTreeSet<&'g str> {
    let all: Vec<((usize, usize), &str)> = glossary
        .iter()
        .flat_map(|c| {
            field(c).iter().flat_map(move |t| {
                spans(text, t)
                    .into_iter()
                    .map(move |s| (s, c.name.as_str()))
            })
        })
        .collect();
    all.iter()
        .filter(|((s, e), c)| {
            !all.iter()
                .any(|((s2, e2), c2)| c2 != c && s2 <= s && e <= e2 && (e2 - s2) > (e - s))
        })
        .map(|(_, c)| *c)
        .collect()
}

/// Texts by key, as (Chinese, English, Tibetan).
type Texts = BTreeMap<String, (String, String, String)>;

fn builtin_texts() -> Texts {
    let cat = Catalog::builtin();
    cat.keys(Locale::Zh)
        .map(|k| {
            let t = |l| cat.get(l, k).unwrap_or_default().to_owned();
            (k.to_owned(), (t(Locale::Zh), t(Locale::En), t(Locale::Bo)))
        })
        .collect()
}

/// The concepts each text mentions (by its Chinese and English).
fn mentioned<'g>(zh: &str, en: &str, glossary: &'g [Concept]) -> BTreeSet<&'g str> {
    let by_zh = occurring(zh, glossary, |c| &c.zh, chinese_spans);
    glossary
        .iter()
        .filter(|c| by_zh.contains(c.name.as_str()) && (c.en.is_empty() || english_has(en, &c.en)))
        .map(|c| c.name.as_str())
        .collect()
}

/// Texts whose Tibetan lacks the glossary's term for a concept they mention,
/// or uses a rejected variant.
fn wrong_terms(texts: &Texts, glossary: &[Concept]) -> Vec<String> {
    let mut problems = Vec::new();
    for (key, (zh, en, bo)) in texts {
        // An empty Tibetan text awaits its translator.
        if bo.is_empty() {
            continue;
        }
        for name in mentioned(zh, en, glossary) {
            let c = glossary.iter().find(|c| c.name == name).unwrap();
            if !c.bo.iter().any(|t| !tibetan_spans(bo, t).is_empty()) {
                problems.push(format!("{key}: {name}: “{}” without {}: {bo}", zh, c.bo[0]));
            }
            for r in &c.rejected {
                if !tibetan_spans(bo, r).is_empty() {
                    problems.push(format!("{key}: {name}: rejected {r}: {bo}"));
                }
            }
        }
    }
    problems
}

/// Texts whose Tibetan holds an exclusive term for a concept their Chinese
/// and English do not mention.
fn terms_out_of_place(texts: &Texts, glossary: &[Concept]) -> Vec<String> {
    let mut problems = Vec::new();
    for (key, (zh, en, bo)) in texts {
        let meant = mentioned(zh, en, glossary);
        for name in occurring(bo, glossary, |c| &c.bo, tibetan_spans) {
            let c = glossary.iter().find(|c| c.name == name).unwrap();
            if c.exclusive && !meant.contains(name) {
                problems.push(format!(
                    "{key}: {} ({name}) where the text says “{zh}” / “{en}”: {bo}",
                    c.bo[0]
                ));
            }
        }
    }
    problems
}

#[test]
fn the_glossary_is_well_formed_and_every_row_is_used() {
    let glossary = read_glossary();
    assert!(glossary.len() > 50);
    let mut names = BTreeSet::new();
    let texts = builtin_texts();
    for c in &glossary {
        assert!(names.insert(&c.name), "{} twice", c.name);
        assert!(!c.bo.is_empty() && !c.zh.is_empty(), "{}", c.name);
        assert!(
            !c.source.trim().is_empty(),
            "{}: a source, or unconfirmed",
            c.name
        );
        for r in &c.rejected {
            assert!(
                !c.bo.contains(r),
                "{}: {r} both accepted and rejected",
                c.name
            );
        }
        assert!(
            texts
                .values()
                .any(|(zh, en, _)| mentioned(zh, en, &glossary).contains(c.name.as_str())),
            "{}: no text mentions it",
            c.name
        );
    }
}

#[test]
fn where_a_text_names_a_glossary_concept_its_tibetan_uses_the_glossary_term() {
    let problems = wrong_terms(&builtin_texts(), &read_glossary());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn an_exclusive_glossary_term_keeps_one_meaning() {
    let problems = terms_out_of_place(&builtin_texts(), &read_glossary());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_glossary_check_catches_the_old_mixed_terms() {
    // What locales/bo.toml had before issue 14, one text per fault.
    let glossary = read_glossary();
    let texts: Texts = [
        // ID number, short form, which was also the certificate number
        (
            "household.warning.duplicate_id",
            "该身份证号已登记为 {name}（户 {household}）。",
            "This ID number is already recorded for {name}, household {household}.",
            "ལག་ཁྱེར་ཨང་གྲངས་འདི་ {name} (དུད་ཚང་ {household}) ལ་ཐོ་འགོད་བྱས་ཟིན།",
        ),
        (
            "snapshot.col.certificate_no",
            "证书编号",
            "Certificate number",
            "ལག་ཁྱེར་ཨང་གྲངས",
        ),
        // approved written as checked
        (
            "code.visit_status.approved",
            "已审核",
            "Approved",
            "ཞིབ་བཤེར་ཟིན",
        ),
        // a form called a table
        (
            "home.drafts_about",
            "上次未保存的表单",
            "Unsaved forms kept from an earlier session",
            "སྔོན་ཆད་ཉར་ཚགས་མ་བྱས་པའི་རེའུ་མིག",
        ),
        // quit as the sources do not write it
        ("action.quit", "退出", "Quit", "ཕྱིར་ཐོན"),
        // the county's other spelling
        ("app.county", "色达县", "Sêrtar County", "གསེར་ཐར་རྫོང་"),
    ]
    .into_iter()
    .map(|(k, zh, en, bo)| (k.to_owned(), (zh.to_owned(), en.to_owned(), bo.to_owned())))
    .collect();
    let wrong = wrong_terms(&texts, &glossary).join("\n");
    let misplaced = terms_out_of_place(&texts, &glossary).join("\n");
    for key in [
        "household.warning.duplicate_id",
        "snapshot.col.certificate_no",
        "code.visit_status.approved",
        "home.drafts_about",
        "action.quit",
        "app.county",
    ] {
        assert!(wrong.contains(key), "not caught: {key}\n{wrong}");
    }
    // ཞིབ་བཤེར means check, རེའུ་མིག table, ལག་ཁྱེར a certificate it is not.
    for key in ["code.visit_status.approved", "home.drafts_about"] {
        assert!(misplaced.contains(key), "not caught: {key}\n{misplaced}");
    }
    // Whole syllables only, with case endings; a longer term hides a shorter.
    assert_eq!(tibetan_spans("གྲོང་སྡེའི་ཨང་རྟགས", "གྲོང་སྡེ").len(), 1);
    assert_eq!(tibetan_spans("ཤངས་", "ཤང").len(), 0);
    assert_eq!(tibetan_spans("ལས་ཀ་བའི་", "ལས་ཀ་བ").len(), 1);
    assert_eq!(tibetan_spans("བསུབས་ཟིན", "སུབ").len(), 0);
    let tab = occurring("རེའུ་མིག་བཟོ་རྟགས", &glossary, |c| &c.bo, tibetan_spans);
    assert!(
        tab.contains("tab_character") && !tab.contains("table"),
        "{tab:?}"
    );
}

fn concept<'g>(glossary: &'g [Concept], name: &str) -> &'g Concept {
    glossary
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no glossary row {name}"))
}

#[test]
fn the_terms_the_readme_names_are_the_glossarys_and_the_apps() {
    let glossary = read_glossary();
    for (name, bo, zh) in [
        ("id_number", "ཐོབ་ཐང་ལག་ཁྱེར་ཨང་གྲངས", "身份证号"),
        ("certificate_number", "དཔང་ཡིག་ཨང་གྲངས", "证书编号"),
        ("check", "ཞིབ་བཤེར", "核对"),
        ("review", "བསྐྱར་ཞིབ", "审核"),
        ("approve", "ཆོག་མཆན", "已审核"),
        ("audit", "རྩིས་ཞིབ", "审计"),
        ("table", "རེའུ་མིག", "表"),
        ("form", "འགེངས་ཤོག", "表单"),
    ] {
        let c = concept(&glossary, name);
        assert_eq!(c.bo[0], bo, "{name}");
        assert!(c.zh.iter().any(|z| z == zh), "{name}");
    }
    let cat = Catalog::builtin();
    assert_eq!(
        cat.get(Locale::Bo, "code.visit_status.approved"),
        Some("ཆོག་མཆན་ཟིན")
    );
    assert!(
        cat.get(Locale::Bo, "cli.check.audit")
            .unwrap()
            .starts_with("རྩིས་ཞིབ་ཟིན་ཐོ")
    );
}

#[test]
fn where_public_translations_differ_the_glossary_says_what_was_taken_and_why() {
    let glossary = read_glossary();
    // Taken: the term two or more public translations use, with them named.
    for (name, bo) in [
        ("quit", "ཕྱིར་འབུད"),
        ("language", "སྐད་རིགས"),
        ("export", "ཕྱི་འདྲེན"),
        ("install", "སྒྲིག་འཇུག"),
        ("undo", "ཕྱིར་བཤོལ"),
        ("path", "འགྲོ་ལམ"),
        ("sort", "སྟར་སྒྲིག"),
    ] {
        let c = concept(&glossary, name);
        assert_eq!(c.bo[0], bo, "{name}");
        assert_ne!(c.source, "unconfirmed", "{name}");
        // The old term is rejected where it can be told apart: the old
        // 'install' was plain འཇུག, which is also input (ནང་འཇུག).
        assert!(
            name == "install" || !c.rejected.is_empty(),
            "{name}: the app's old term is rejected"
        );
    }
    // Kept: the app's term, where one source differs or sources disagree,
    // with the reason in the note.
    let csv =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("locales/glossary.csv"))
            .unwrap();
    for name in [
        "person.name",
        "phone.mobile",
        "yuan",
        "line_break",
        "computer",
        "comment",
        "previous",
        "first",
        "lower_case",
        "column",
        "create",
        "change",
    ] {
        concept(&glossary, name);
        let line = csv
            .lines()
            .find(|l| l.starts_with(&format!("{name},")))
            .unwrap();
        assert!(
            line.contains("Kept") || line.contains("kept"),
            "{name}: say why the app's term was kept: {line}"
        );
    }
}
