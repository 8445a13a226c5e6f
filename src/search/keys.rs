//! The text a person is found by: normalised names in both scripts, and the
//! pinyin of the Chinese name, whole and as initials, in every reading of a
//! character with several.
//!
//! The search index (`src/store/schema_v3.sql`) has one column per kind of
//! key, in [`COLUMNS`] order. Each column holds space-separated tokens made
//! here, and a query is matched as a token prefix, so substring search is
//! matching a prefix of some suffix: `扎西泽仁` is indexed as `扎西泽仁` (the
//! whole name, column `zh`) and `西泽仁 泽仁 仁` (column `zhs`, the suffixes).
//! Tibetan names are cut at syllables, pinyin at syllables too: `泽仁` is
//! found by `zeren`, `zr`, `ren` and `r`, and inside `扎西泽仁` as well.
//!
//! The index holds these tokens as made when each person was indexed, so a
//! change to what this file makes needs a schema step that rebuilds the
//! index ([`KEYS_VERSION`] names the current rules); `fieldbook check`
//! compares the index with what this file makes from the names now.

use pinyin::ToPinyinMulti;

use crate::domain::rules::fold_fullwidth;

/// The version of the rules in this file; a change to what they produce
/// needs a schema step that rebuilds the search index.
pub const KEYS_VERSION: u32 = 1;

/// The index columns, in order.
pub const COLUMNS: [&str; 8] = ["zh", "zhs", "bo", "bos", "py", "pys", "pyi", "pyis"];

/// Column numbers (positions in [`COLUMNS`]).
pub const ZH: usize = 0;
pub const ZH_INNER: usize = 1;
pub const BO: usize = 2;
pub const BO_INNER: usize = 3;
pub const PY: usize = 4;
pub const PY_INNER: usize = 5;
pub const PY_INITIALS: usize = 6;
pub const PY_INITIALS_INNER: usize = 7;

/// Whether a column's source is the Tibetan name (else the Chinese one).
pub fn column_is_tibetan(col: usize) -> bool {
    col == BO || col == BO_INNER
}

/// Longest name part that gets inner (suffix) tokens: longer input is a
/// paste accident, not a name, and would make the index grow quadratically.
const MAX_UNITS: usize = 24;
/// Characters of a name's whole-name token at most: a name is 50 at most,
/// and FTS5 cuts a token at 32 kB, which would leave a longer key (a paste
/// written by another program) out of step with what `check` expects.
/// Names within the limit are indexed as before.
const MAX_KEY_CHARS: usize = 200;
/// Readings combined per Chinese name at most (a name of four characters
/// with three readings each would otherwise give 81).
const MAX_READINGS: usize = 32;

pub const TSHEG: char = '\u{0F0B}';

/// The tokens of all columns for one person.
pub fn person_doc(name_zh: &str, name_bo: &str) -> [String; 8] {
    let [zh, zhs, py, pys, pyi, pyis] = chinese_columns(name_zh);
    let [bo, bos] = tibetan_columns(name_bo);
    [zh, zhs, bo, bos, py, pys, pyi, pyis]
}

/// The text of one column from its source name (the Chinese name for all
/// but the two Tibetan columns).
pub fn column(col: usize, source: &str) -> String {
    match col {
        BO | BO_INNER => {
            let [bo, bos] = tibetan_columns(source);
            if col == BO { bo } else { bos }
        }
        _ => {
            let cols = chinese_columns(source);
            let i = match col {
                ZH => 0,
                ZH_INNER => 1,
                PY => 2,
                PY_INNER => 3,
                PY_INITIALS => 4,
                _ => 5,
            };
            cols.into_iter().nth(i).unwrap_or_default()
        }
    }
}

/// Columns zh, zhs, py, pys, pyi, pyis of a Chinese name.
pub fn chinese_columns(name: &str) -> [String; 6] {
    let key: String = zh_key(name).chars().take(MAX_KEY_CHARS).collect();
    if key.is_empty() {
        return Default::default();
    }
    let chars: Vec<char> = key.chars().take(MAX_UNITS).collect();
    let zhs = join_unique((1..chars.len()).map(|i| chars[i..].iter().collect::<String>()));
    let mut py = Vec::new();
    let mut pys = Vec::new();
    let mut pyi = Vec::new();
    let mut pyis = Vec::new();
    for syllables in readings(&chars) {
        let initials: Vec<&str> = syllables
            .iter()
            .map(|s| s.get(..1).unwrap_or_default())
            .collect();
        py.push(syllables.concat());
        pyi.push(initials.concat());
        for i in 1..syllables.len() {
            pys.push(syllables[i..].concat());
            pyis.push(initials[i..].concat());
        }
    }
    [
        key,
        zhs,
        join_unique(py),
        join_unique(pys),
        join_unique(pyi),
        join_unique(pyis),
    ]
}

/// Columns bo, bos of a Tibetan name: the name, and its syllable suffixes.
pub fn tibetan_columns(name: &str) -> [String; 2] {
    let key: String = bo_key(name).chars().take(MAX_KEY_CHARS).collect();
    if key.is_empty() {
        return Default::default();
    }
    let syllables: Vec<&str> = key.split(TSHEG).take(MAX_UNITS).collect();
    let inner = join_unique((1..syllables.len()).map(|i| syllables[i..].join(&TSHEG.to_string())));
    [key, inner]
}

fn join_unique(tokens: impl IntoIterator<Item = String>) -> String {
    let mut seen: Vec<String> = Vec::new();
    for t in tokens {
        if !t.is_empty() && !seen.contains(&t) {
            seen.push(t);
        }
    }
    seen.join(" ")
}

/// A Chinese name (or query) as matched: full-width forms folded, letters
/// lower case, and only letters and digits kept (no spaces, no `·`).
pub fn zh_key(s: &str) -> String {
    fold_fullwidth(s)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether `c` is a Han character (CJK unified ideographs and extensions,
/// compatibility ideographs).
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{3134F}')
}

/// Whether `c` is in the Tibetan block.
pub fn is_tibetan(c: char) -> bool {
    ('\u{0F00}'..='\u{0FFF}').contains(&c)
}

/// Tibetan characters that belong to a syllable (letters, subjoined letters,
/// vowel signs and marks, digits); anything else separates syllables.
fn is_syllable_char(c: char) -> bool {
    matches!(c,
        '\u{0F00}'
        | '\u{0F18}'..='\u{0F19}'
        | '\u{0F20}'..='\u{0F33}'
        | '\u{0F35}' | '\u{0F37}' | '\u{0F39}'
        | '\u{0F3E}'..='\u{0F6C}'
        | '\u{0F71}'..='\u{0F84}'
        | '\u{0F86}'..='\u{0FBC}'
        | '\u{0FC6}')
}

/// The canonical decomposition of the Tibetan characters that have one
/// (composition-excluded, so NFC keeps them decomposed too), and the
/// compatibility forms of vocalic r and l.
fn decompose(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{0F43}' => "\u{0F42}\u{0FB7}",
        '\u{0F4D}' => "\u{0F4C}\u{0FB7}",
        '\u{0F52}' => "\u{0F51}\u{0FB7}",
        '\u{0F57}' => "\u{0F56}\u{0FB7}",
        '\u{0F5C}' => "\u{0F5B}\u{0FB7}",
        '\u{0F69}' => "\u{0F40}\u{0FB5}",
        '\u{0F73}' => "\u{0F71}\u{0F72}",
        '\u{0F75}' => "\u{0F71}\u{0F74}",
        '\u{0F76}' => "\u{0FB2}\u{0F80}",
        '\u{0F77}' => "\u{0FB2}\u{0F71}\u{0F80}",
        '\u{0F78}' => "\u{0FB3}\u{0F80}",
        '\u{0F79}' => "\u{0FB3}\u{0F71}\u{0F80}",
        '\u{0F81}' => "\u{0F71}\u{0F80}",
        '\u{0F93}' => "\u{0F92}\u{0FB7}",
        '\u{0F9D}' => "\u{0F9C}\u{0FB7}",
        '\u{0FA2}' => "\u{0FA1}\u{0FB7}",
        '\u{0FA7}' => "\u{0FA6}\u{0FB7}",
        '\u{0FAC}' => "\u{0FAB}\u{0FB7}",
        '\u{0FB9}' => "\u{0F90}\u{0FB5}",
        _ => return None,
    })
}

/// Canonical combining class of the Tibetan marks that have one.
fn combining_class(c: char) -> u8 {
    match c {
        '\u{0F71}' => 129,
        '\u{0F72}' | '\u{0F7A}'..='\u{0F7D}' | '\u{0F80}' => 130,
        '\u{0F74}' => 132,
        '\u{0F18}' | '\u{0F19}' | '\u{0F35}' | '\u{0F37}' | '\u{0FC6}' => 220,
        '\u{0F39}' => 216,
        '\u{0F82}' | '\u{0F83}' | '\u{0F86}' | '\u{0F87}' => 230,
        '\u{0F84}' => 9,
        _ => 0,
    }
}

/// A Tibetan name (or query) as matched: decomposed and with its marks in
/// canonical order (so the same name typed with two input methods is one
/// key), syllables joined by one tsheg, separators and anything not Tibetan
/// dropped.
pub fn bo_key(s: &str) -> String {
    let mut chars: Vec<char> = Vec::with_capacity(s.len());
    for c in s.chars() {
        match decompose(c) {
            Some(d) => chars.extend(d.chars()),
            None => chars.push(c),
        }
    }
    // Canonical reordering: a stable sort of each run of marks by class.
    let mut i = 0;
    while i < chars.len() {
        if combining_class(chars[i]) == 0 {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && combining_class(chars[i]) != 0 {
            i += 1;
        }
        chars[start..i].sort_by_key(|&c| combining_class(c));
    }
    let mut out = String::with_capacity(s.len());
    let mut pending_tsheg = false;
    for c in chars {
        if is_syllable_char(c) {
            if pending_tsheg && !out.is_empty() {
                out.push(TSHEG);
            }
            pending_tsheg = false;
            out.push(c);
        } else {
            pending_tsheg = true;
        }
    }
    out
}

/// Pinyin of a typed query: lower-case Latin letters only (`Zhang San`,
/// `zhang-san` and `xi'an` lose their spaces, dashes and apostrophes), `ü`
/// typed as `v` as on every Chinese keyboard.
pub fn pinyin_key(s: &str) -> String {
    fold_fullwidth(s)
        .chars()
        .filter_map(|c| match c {
            'ü' | 'Ü' => Some('v'),
            c if c.is_ascii_alphabetic() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

/// The distinct toneless readings of one character: `ü` as `v` (how it is
/// typed) and as `u` (how it is often written), Latin letters and digits as
/// themselves, nothing for anything else.
fn char_readings(c: char) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |s: String| {
        if !s.is_empty() && !out.contains(&s) {
            out.push(s);
        }
    };
    if let Some(multi) = c.to_pinyin_multi() {
        for p in multi {
            let plain = p.plain();
            if plain.contains('ü') {
                add(plain.replace('ü', "v"));
                add(plain.replace('ü', "u"));
            } else {
                add(plain.to_owned());
            }
        }
    } else if c.is_ascii_alphanumeric() {
        add(c.to_ascii_lowercase().to_string());
    }
    out
}

/// Every combination of readings of the characters (first readings first),
/// at most [`MAX_READINGS`], each as its list of syllables. A run of Latin
/// letters or digits counts as one syllable.
pub fn readings(chars: &[char]) -> Vec<Vec<String>> {
    let mut units: Vec<Vec<String>> = Vec::new();
    let mut latin = String::new();
    for &c in chars {
        if c.is_ascii_alphanumeric() {
            latin.push(c.to_ascii_lowercase());
            continue;
        }
        if !latin.is_empty() {
            units.push(vec![std::mem::take(&mut latin)]);
        }
        let r = char_readings(c);
        if !r.is_empty() {
            units.push(r);
        }
    }
    if !latin.is_empty() {
        units.push(vec![latin]);
    }
    if units.is_empty() {
        return Vec::new();
    }
    let mut combos: Vec<Vec<String>> = vec![Vec::new()];
    for unit in &units {
        let mut next = Vec::with_capacity(combos.len() * unit.len());
        for reading in unit {
            for combo in &combos {
                if next.len() >= MAX_READINGS {
                    break;
                }
                let mut c = combo.clone();
                c.push(reading.clone());
                next.push(c);
            }
        }
        combos = next;
    }
    combos
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chinese_name_gives_suffixes_and_pinyin_in_every_reading() {
        let [zh, zhs, py, pys, pyi, pyis] = chinese_columns("扎西泽仁");
        assert_eq!(zh, "扎西泽仁");
        assert_eq!(zhs, "西泽仁 泽仁 仁");
        assert_eq!(py, "zhaxizeren zaxizeren");
        assert_eq!(pys, "xizeren zeren ren");
        assert_eq!(pyi, "zxzr");
        assert_eq!(pyis, "xzr zr r");
    }

    #[test]
    fn tibetan_is_cut_at_syllables_and_normalised() {
        assert_eq!(
            tibetan_columns("བཀྲ་ཤིས་ཚེ་རིང།"),
            ["བཀྲ་ཤིས་ཚེ་རིང".to_owned(), "ཤིས་ཚེ་རིང ཚེ་རིང རིང".to_owned()]
        );
        // Precomposed GHA and a doubled tsheg read as the decomposed, single form.
        assert_eq!(bo_key("\u{0F43}་་ཀ"), "\u{0F42}\u{0FB7}་ཀ");
        // Marks typed out of canonical order.
        assert_eq!(
            bo_key("\u{0F40}\u{0F72}\u{0F71}"),
            "\u{0F40}\u{0F71}\u{0F72}"
        );
    }

    #[test]
    fn every_column_of_a_doc_is_what_column_gives() {
        let doc = person_doc("单曾", "ཚེ་རིང");
        for (col, text) in doc.iter().enumerate() {
            let source = if column_is_tibetan(col) {
                "ཚེ་རིང"
            } else {
                "单曾"
            };
            assert_eq!(&column(col, source), text, "column {}", COLUMNS[col]);
        }
    }
}
