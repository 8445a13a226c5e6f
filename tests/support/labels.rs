//! Bilingual labels: which Chinese texts of the catalogue are labels with a
//! Tibetan half, and whether one stands alone in a line of a screen. Shared
//! by the live renders (`tests/bilingual.rs`) and the snapshot lint
//! (`tests/snapshot_lint.rs`).

use std::collections::BTreeMap;

use fieldbook::i18n::{Catalog, Locale};

/// Labels whose Chinese and Tibetan texts are both written and differ: each
/// Chinese text with every Tibetan text it has under some key.
pub fn labels(cat: &Catalog) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for k in cat.keys(Locale::Zh) {
        let (Some(zh), Some(bo)) = (cat.get(Locale::Zh, k), cat.get(Locale::Bo, k)) else {
            continue;
        };
        // Labels, not sentences with placeholders or long help.
        let plain = !zh.contains('{') && zh.chars().count() >= 2 && zh.chars().count() <= 12;
        if plain && !bo.is_empty() && zh != bo {
            out.entry(zh.to_owned()).or_default().push(bo.to_owned());
        }
    }
    out
}

pub fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c)
}

/// Whether `zh` stands as a label in the line: not inside a longer Chinese
/// word, and followed by a space, the line's end, a cut or a required mark
/// (not by `：` and a sentence, where it is part of a message).
pub fn stands_alone(line: &str, zh: &str) -> bool {
    line.match_indices(zh).any(|(i, _)| {
        let before = line[..i].chars().next_back();
        let after = line[i + zh.len()..].chars().next();
        !before.is_some_and(is_han) && after.is_none_or(|c| matches!(c, ' ' | '*' | '…'))
    })
}

/// A line crossed by a pop-up's border: what is under the pop-up is hidden.
pub fn under_a_popup(line: &str) -> bool {
    line.contains(['│', '┌', '└'])
}
