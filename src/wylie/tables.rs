//! The correspondences of THL Extended Wylie (EWTS) and Tibetan Unicode.
//!
//! Output is in the form Unicode normalisation gives (NFC and NFD agree for
//! Tibetan): aspirated letters and long vowels decomposed (`gh` is U+0F42
//! U+0FB7, never the precomposed U+0F43), vowel signs in canonical order.

/// Tokens longer than one character, longest first where one is a prefix of
/// another; the tokenizer tries the longest match at each position.
pub const LONG_TOKENS: &[&str] = &[
    "-d+h", "dz+h", "-dh", "-sh", "-th", "D+h", "b+h", "d+h", "dzh", "g+h", "tsh", "~M`", "-I",
    "-d", "-i", "-n", "-t", "//", "Dh", "Sh", "Th", "ai", "au", "bh", "ch", "dh", "dz", "gh", "kh",
    "ng", "ny", "ph", "sh", "th", "ts", "zh", "~M", "~X",
];

/// The longest token.
pub const MAX_TOKEN: usize = 4;

/// A letter as the top (or only) letter of a stack.
pub fn consonant(t: &str) -> Option<&'static str> {
    Some(match t {
        "k" => "\u{0F40}",
        "kh" => "\u{0F41}",
        "g" => "\u{0F42}",
        "gh" | "g+h" => "\u{0F42}\u{0FB7}",
        "ng" => "\u{0F44}",
        "c" => "\u{0F45}",
        "ch" => "\u{0F46}",
        "j" => "\u{0F47}",
        "ny" => "\u{0F49}",
        "T" | "-t" => "\u{0F4A}",
        "Th" | "-th" => "\u{0F4B}",
        "D" | "-d" => "\u{0F4C}",
        "Dh" | "D+h" | "-dh" | "-d+h" => "\u{0F4C}\u{0FB7}",
        "N" | "-n" => "\u{0F4E}",
        "t" => "\u{0F4F}",
        "th" => "\u{0F50}",
        "d" => "\u{0F51}",
        "dh" | "d+h" => "\u{0F51}\u{0FB7}",
        "n" => "\u{0F53}",
        "p" => "\u{0F54}",
        "ph" => "\u{0F55}",
        "b" => "\u{0F56}",
        "bh" | "b+h" => "\u{0F56}\u{0FB7}",
        "m" => "\u{0F58}",
        "ts" => "\u{0F59}",
        "tsh" => "\u{0F5A}",
        "dz" => "\u{0F5B}",
        "dzh" | "dz+h" => "\u{0F5B}\u{0FB7}",
        "w" | "W" => "\u{0F5D}",
        "zh" => "\u{0F5E}",
        "z" => "\u{0F5F}",
        "'" => "\u{0F60}",
        "y" | "Y" => "\u{0F61}",
        "r" => "\u{0F62}",
        "l" => "\u{0F63}",
        "sh" => "\u{0F64}",
        "Sh" | "-sh" => "\u{0F65}",
        "s" => "\u{0F66}",
        "h" => "\u{0F67}",
        "R" => "\u{0F6A}",
        "f" => "\u{0F55}\u{0F39}",
        "v" => "\u{0F56}\u{0F39}",
        _ => return None,
    })
}

/// A letter written below another in a stack.
pub fn subjoined(t: &str) -> Option<&'static str> {
    Some(match t {
        "k" => "\u{0F90}",
        "kh" => "\u{0F91}",
        "g" => "\u{0F92}",
        "gh" | "g+h" => "\u{0F92}\u{0FB7}",
        "ng" => "\u{0F94}",
        "c" => "\u{0F95}",
        "ch" => "\u{0F96}",
        "j" => "\u{0F97}",
        "ny" => "\u{0F99}",
        "T" | "-t" => "\u{0F9A}",
        "Th" | "-th" => "\u{0F9B}",
        "D" | "-d" => "\u{0F9C}",
        "Dh" | "D+h" | "-dh" | "-d+h" => "\u{0F9C}\u{0FB7}",
        "N" | "-n" => "\u{0F9E}",
        "t" => "\u{0F9F}",
        "th" => "\u{0FA0}",
        "d" => "\u{0FA1}",
        "dh" | "d+h" => "\u{0FA1}\u{0FB7}",
        "n" => "\u{0FA3}",
        "p" => "\u{0FA4}",
        "ph" => "\u{0FA5}",
        "b" => "\u{0FA6}",
        "bh" | "b+h" => "\u{0FA6}\u{0FB7}",
        "m" => "\u{0FA8}",
        "ts" => "\u{0FA9}",
        "tsh" => "\u{0FAA}",
        "dz" => "\u{0FAB}",
        "dzh" | "dz+h" => "\u{0FAB}\u{0FB7}",
        "w" => "\u{0FAD}",
        "zh" => "\u{0FAE}",
        "z" => "\u{0FAF}",
        "'" => "\u{0FB0}",
        "y" => "\u{0FB1}",
        "r" => "\u{0FB2}",
        "l" => "\u{0FB3}",
        "sh" => "\u{0FB4}",
        "Sh" | "-sh" => "\u{0FB5}",
        "s" => "\u{0FB6}",
        "h" => "\u{0FB7}",
        "a" => "\u{0FB8}",
        "W" => "\u{0FBA}",
        "Y" => "\u{0FBB}",
        "R" => "\u{0FBC}",
        "f" => "\u{0FA5}\u{0F39}",
        "v" => "\u{0FA6}\u{0F39}",
        _ => return None,
    })
}

/// A vowel. `a` is inherent after a letter and the letter a-chen (U+0F68)
/// on its own; the others are vowel signs (after a-chen when alone).
pub fn vowel(t: &str) -> Option<&'static str> {
    Some(match t {
        "a" => "\u{0F68}",
        "A" => "\u{0F71}",
        "i" => "\u{0F72}",
        "I" => "\u{0F71}\u{0F72}",
        "u" => "\u{0F74}",
        "U" => "\u{0F71}\u{0F74}",
        "e" => "\u{0F7A}",
        "ai" => "\u{0F7B}",
        "o" => "\u{0F7C}",
        "au" => "\u{0F7D}",
        "-i" => "\u{0F80}",
        "-I" => "\u{0F71}\u{0F80}",
        _ => return None,
    })
}

/// A mark after a stack's vowel (anusvara, visarga, halanta ...), and its
/// class: one mark of each class per stack.
pub fn final_mark(t: &str) -> Option<(&'static str, char)> {
    Some(match t {
        "M" => ("\u{0F7E}", 'M'),
        "~M`" => ("\u{0F82}", 'M'),
        "~M" => ("\u{0F83}", 'M'),
        "X" => ("\u{0F37}", 'X'),
        "~X" => ("\u{0F35}", 'X'),
        "H" => ("\u{0F7F}", 'H'),
        "?" => ("\u{0F84}", '?'),
        "^" => ("\u{0F39}", '^'),
        "&" => ("\u{0F85}", '&'),
        _ => return None,
    })
}

/// Punctuation, digits and other signs that stand alone.
pub fn other(t: &str) -> Option<&'static str> {
    Some(match t {
        "0" => "\u{0F20}",
        "1" => "\u{0F21}",
        "2" => "\u{0F22}",
        "3" => "\u{0F23}",
        "4" => "\u{0F24}",
        "5" => "\u{0F25}",
        "6" => "\u{0F26}",
        "7" => "\u{0F27}",
        "8" => "\u{0F28}",
        "9" => "\u{0F29}",
        " " => TSHEG,
        "*" => "\u{0F0C}",
        "/" => SHAD,
        "//" => "\u{0F0E}",
        ";" => "\u{0F0F}",
        "|" => "\u{0F11}",
        "!" => "\u{0F08}",
        ":" => "\u{0F14}",
        "_" => " ",
        "=" => "\u{0F34}",
        "<" => "\u{0F3A}",
        ">" => "\u{0F3B}",
        "(" => "\u{0F3C}",
        ")" => "\u{0F3D}",
        "@" => "\u{0F04}",
        "#" => "\u{0F05}",
        "$" => "\u{0F06}",
        "%" => "\u{0F07}",
        _ => return None,
    })
}

pub const TSHEG: &str = "\u{0F0B}";
pub const SHAD: &str = "\u{0F0D}";

/// Whether `sup` is written above `below` without a `+`: the superscripts
/// ra, la and sa over the letters they take in Tibetan spelling.
pub fn superscript(sup: &str, below: &str) -> bool {
    let takes: &[&str] = match sup {
        "r" => &[
            "k", "g", "ng", "j", "ny", "t", "d", "n", "b", "m", "ts", "dz",
        ],
        "l" => &["k", "g", "ng", "c", "j", "t", "d", "p", "b", "h"],
        "s" => &["k", "g", "ng", "ny", "t", "d", "n", "p", "b", "m", "ts"],
        _ => return false,
    };
    takes.contains(&below)
}

/// The letters subjoined without a `+`: ya, ra, la and wa (wa-zur).
pub fn is_subscript(t: &str) -> bool {
    matches!(t, "y" | "r" | "l" | "w")
}
