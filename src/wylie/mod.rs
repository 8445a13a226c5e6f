//! Tibetan typed in Extended Wylie (THL EWTS): `bkra shis bde legs` is
//! བཀྲ་ཤིས་བདེ་ལེགས. One converter for the whole app: search turns a Latin
//! query into Tibetan with it, a text field in Wylie mode shows what is typed
//! through [`Composer`], and `fieldbook wylie` prints it for scripts.
//!
//! The rules are those of EWTS: a syllable is a row of stacks; a stack is an
//! optional superscript (ra, la, sa over the letters they take), a letter,
//! subjoined ya, ra, la, wa, a vowel and final marks; `+` stacks anything,
//! `.` keeps a prefix from stacking (`g.yag` is གཡག, `gyag` is གྱག); after a
//! vowel, letters are suffixes and never stack (`bart` is བརཏ); a space is a
//! tsheg, `/` a shad, digits are Tibetan digits.
//!
//! Field staff type carelessly, so before the rules apply: curly and phone
//! apostrophes (’ ‘ ʼ) are `'`, full-width Latin from a Chinese input method is
//! ASCII, a run of spaces (also trailing) is one tsheg, and capitals that mean
//! nothing in EWTS (B, C, G, L, P, Z ...) are lower case. Capitals that do
//! mean something stay: A I U (long vowels), M H (anusvara, visarga), R Y W
//! (fixed forms), T D N and Sh (retroflex letters), X.
//!
//! Nothing is dropped and nothing is guessed: what cannot be converted is kept
//! as typed in the output (a control character as U+FFFD) and reported in
//! [`Conversion::problems`], so a caller can refuse it or show it marked. A
//! complete conversion holds only Tibetan, spaces, digits and line breaks:
//! an escape (`\uXXXX`, `\c`) or a bracketed `[...]` text that would put
//! anything else in it is reported instead. The converter never panics,
//! and works through a long line a piece at a time, so what it holds
//! besides the input and the output stays small however long the line is.

mod tables;

use std::ops::Range;

use tables::{
    LONG_TOKENS, MAX_TOKEN, consonant, final_mark, is_subscript, other, subjoined, superscript,
    vowel,
};

pub use tables::{SHAD, TSHEG};

/// The result of a conversion: the Tibetan text, and what could not be converted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Conversion {
    /// The Tibetan text. A part that could not be converted stands in it as
    /// typed, at [`Unconvertible::output`].
    pub text: String,
    /// What could not be converted, in input order (the first
    /// [`MAX_PROBLEMS`]). Empty when all was.
    pub problems: Vec<Unconvertible>,
    /// Places that could not be converted beyond the first [`MAX_PROBLEMS`]:
    /// counted, not kept (a long line of garbage has millions).
    pub more_problems: usize,
}

/// At most this many problems are kept, with where and what.
pub const MAX_PROBLEMS: usize = 1000;

impl Conversion {
    /// Whether everything typed was converted.
    pub fn is_complete(&self) -> bool {
        self.problems.is_empty()
    }

    /// How many places could not be converted, kept or only counted.
    pub fn problem_count(&self) -> usize {
        self.problems.len() + self.more_problems
    }

    /// The Tibetan text if everything was converted, else what was not.
    pub fn into_result(self) -> Result<String, Vec<Unconvertible>> {
        if self.problems.is_empty() {
            Ok(self.text)
        } else {
            Err(self.problems)
        }
    }
}

/// A part of the input that is not EWTS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unconvertible {
    /// Byte range of the part in the input.
    pub input: Range<usize>,
    /// Byte range where the part stands, as typed, in [`Conversion::text`].
    pub output: Range<usize>,
    /// The part as typed.
    pub found: String,
    pub reason: Reason,
}

/// Why a part of the input could not be converted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// A letter or sign that EWTS does not have (`q`, `x`, a Chinese character ...).
    Unknown,
    /// A sign that means something only inside a syllable (`+`, `.`, `~`,
    /// `?`, a final mark ...) where there is no syllable for it.
    OutOfPlace,
    /// A `[` (start of text kept as it is) without its closing `]`.
    Unclosed,
    /// A `\u` escape that is not a valid character code.
    BadEscape,
}

impl Reason {
    /// The stable code; its text is the locale key `wylie.reason.<code>`.
    pub fn code(self) -> &'static str {
        match self {
            Reason::Unknown => "unknown",
            Reason::OutOfPlace => "out_of_place",
            Reason::Unclosed => "unclosed",
            Reason::BadEscape => "bad_escape",
        }
    }
}

/// Converts Extended Wylie to Tibetan script. Tibetan characters already in
/// the input pass through unchanged, so a field's mixed content converts too.
pub fn to_tibetan(input: &str) -> Conversion {
    let mut p = Parser {
        input,
        tokens: Vec::new(),
        out: String::with_capacity(input.len() * 3),
        problems: Vec::new(),
        more_problems: 0,
    };
    for piece in pieces(input) {
        let units = normalize(&input[piece.clone()], piece.start);
        p.tokens = tokenize(&units);
        p.run();
    }
    Conversion {
        text: p.out,
        problems: p.problems,
        more_problems: p.more_problems,
    }
}

/// About how many bytes of input are converted at a time.
const PIECE: usize = 4096;
/// A piece is cut here whatever it holds (a line of garbage with no space).
const MAX_PIECE: usize = 64 * 1024;

/// The input cut into pieces that convert alone: each cut (after about
/// [`PIECE`] bytes) falls before a space that starts a run of spaces, not
/// escaped and outside `[...]`, where no syllable and no token spans it.
fn pieces(input: &str) -> Vec<Range<usize>> {
    let b = input.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_bracket = false;
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'[' => in_bracket = true,
            b']' => in_bracket = false,
            _ => {}
        }
        let len = i - start;
        let clean_cut =
            c == b' ' && !in_bracket && len >= PIECE && !matches!(b[i - 1], b' ' | b'\\');
        let forced = len >= MAX_PIECE && input.is_char_boundary(i);
        if clean_cut || forced {
            out.push(start..i);
            start = i;
        }
    }
    out.push(start..b.len());
    out
}

/// What a text field in Wylie mode holds while the user types: the Latin
/// keys since Wylie typing began, shown converted. The field displays
/// [`Composer::preview`] at the cursor and, when the user leaves Wylie mode
/// or the field, inserts [`Composer::finish`]'s text. Backspace removes the
/// last Latin key, so `bkr` + `a` + backspace + `a` behaves as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Composer {
    latin: String,
}

impl Composer {
    pub fn new() -> Composer {
        Composer::default()
    }

    /// A typed key.
    pub fn push(&mut self, c: char) {
        self.latin.push(c);
    }

    /// Backspace: removes and returns the last typed key, `None` when there
    /// is nothing pending (the field then deletes from its own text).
    pub fn pop(&mut self) -> Option<char> {
        self.latin.pop()
    }

    /// The keys typed so far.
    pub fn latin(&self) -> &str {
        &self.latin
    }

    pub fn is_empty(&self) -> bool {
        self.latin.is_empty()
    }

    /// What the pending keys read as now (a syllable still being typed may
    /// change with the next key: `bkr` shows བཀར until `a` makes it བཀྲ).
    pub fn preview(&self) -> Conversion {
        to_tibetan(&self.latin)
    }

    /// The conversion of everything typed, leaving the composer empty.
    pub fn finish(&mut self) -> Conversion {
        let c = to_tibetan(&self.latin);
        self.latin.clear();
        c
    }
}

/// One character after the careless-typing fixes, with the bytes of the
/// input it came from.
#[derive(Debug, Clone)]
struct Unit {
    c: char,
    span: Range<usize>,
}

/// Capitals that carry a meaning in EWTS (S only before h, as in Sh).
const MEANINGFUL_CAPITALS: &str = "AIUMHRYWTDNX";

/// The units of `input`, a piece of the whole that starts at byte `base`.
fn normalize(input: &str, base: usize) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::with_capacity(input.len());
    for (at, c) in input.char_indices() {
        let span = base + at..base + at + c.len_utf8();
        let c = match c {
            // Full-width forms from a Chinese input method left in that mode.
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            // Curly, modifier-letter and prime apostrophes: phones and word
            // processors turn ' into these.
            '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{02B9}' | '\u{02BE}' | '\u{2032}'
            | '\u{00B4}' => '\'',
            // Invisible characters pasted along with text.
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => continue,
            '\n' | '\r' => c,
            c if c.is_whitespace() => ' ',
            c => c,
        };
        units.push(Unit { c, span });
    }
    for i in 0..units.len() {
        let c = units[i].c;
        if !c.is_ascii_uppercase() || MEANINGFUL_CAPITALS.contains(c) {
            continue;
        }
        if c == 'S' && units.get(i + 1).is_some_and(|u| u.c == 'h') {
            continue;
        }
        units[i].c = c.to_ascii_lowercase();
    }
    units
}

#[derive(Debug, Clone)]
struct Token {
    text: String,
    span: Range<usize>,
}

fn tokenize(units: &[Unit]) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(units.len());
    let mut i = 0;
    let text_of = |from: usize, to: usize| units[from..to].iter().map(|u| u.c).collect::<String>();
    let span_of = |from: usize, to: usize| units[from].span.start..units[to - 1].span.end;
    while i < units.len() {
        let c = units[i].c;
        let mut len = 1;
        if c == '\\' {
            // \uXXXX, \UXXXXXXXX, or \ and the one character it keeps as is.
            let hex = |n: usize| {
                units
                    .get(i + 2..i + 2 + n)
                    .is_some_and(|us| us.iter().all(|u| u.c.is_ascii_hexdigit()))
            };
            len = match units.get(i + 1).map(|u| u.c) {
                Some('u') if hex(4) => 6,
                Some('U') if hex(8) => 10,
                Some(_) => 2,
                None => 1,
            };
        } else if c == '\r' && units.get(i + 1).is_some_and(|u| u.c == '\n') {
            len = 2;
        } else {
            // Long tokens are ASCII: the next few units as ASCII bytes,
            // compared without building a string for each length.
            let mut ascii = [0u8; MAX_TOKEN];
            let mut n_ascii = 0;
            while n_ascii < MAX_TOKEN
                && i + n_ascii < units.len()
                && units[i + n_ascii].c.is_ascii()
            {
                ascii[n_ascii] = units[i + n_ascii].c as u8;
                n_ascii += 1;
            }
            for n in (2..=n_ascii).rev() {
                let head = std::str::from_utf8(&ascii[..n]).unwrap_or_default();
                if LONG_TOKENS.contains(&head) {
                    len = n;
                    break;
                }
            }
        }
        tokens.push(Token {
            text: text_of(i, i + len),
            span: span_of(i, i + len),
        });
        i += len;
    }
    tokens
}

struct Parser<'a> {
    input: &'a str,
    tokens: Vec<Token>,
    out: String,
    problems: Vec<Unconvertible>,
    more_problems: usize,
}

/// One stack as converted, and how many tokens it took.
struct Stack {
    text: String,
    used: usize,
    visarga: bool,
}

fn is_letter_or_vowel(t: &str) -> bool {
    consonant(t).is_some() || vowel(t).is_some()
}

/// What a complete conversion may hold besides what the rules make:
/// Tibetan, spaces and digits.
fn is_kept(c: char) -> bool {
    ('\u{0F00}'..='\u{0FFF}').contains(&c) || c == ' ' || c.is_ascii_digit()
}

/// Shads after which a space stays a space rather than becoming a tsheg.
fn ends_with_shad(s: &str) -> bool {
    s.ends_with(['\u{0F0D}', '\u{0F0E}', '\u{0F11}'])
}

impl Parser<'_> {
    fn tok(&self, i: usize) -> Option<&str> {
        self.tokens.get(i).map(|t| t.text.as_str())
    }

    fn run(&mut self) {
        let mut i = 0;
        while i < self.tokens.len() {
            let t = self.tokens[i].text.clone();
            match t.as_str() {
                "[" => match (i + 1..self.tokens.len()).find(|&j| self.tokens[j].text == "]") {
                    Some(j) => {
                        // Text kept as it is, between the brackets: if it
                        // is Tibetan (with spaces and digits).
                        let from = self.tokens[i].span.end;
                        let to = self.tokens[j].span.start;
                        let kept = self.input.get(from..to).unwrap_or_default();
                        if kept.chars().all(is_kept) {
                            self.out.push_str(kept);
                        } else {
                            self.report(
                                self.tokens[i].span.start..self.tokens[j].span.end,
                                Reason::Unknown,
                            );
                        }
                        i = j + 1;
                    }
                    None => {
                        let from = self.tokens[i].span.start;
                        self.report(from..self.input.len(), Reason::Unclosed);
                        i = self.tokens.len();
                    }
                },
                " " => {
                    while self.tok(i) == Some(" ") {
                        i += 1;
                    }
                    if self.out.is_empty() || self.out.ends_with('\n') {
                        // Leading spaces, and spaces starting a line, mean nothing.
                    } else if ends_with_shad(&self.out) {
                        self.out.push(' ');
                    } else {
                        self.out.push_str(TSHEG);
                    }
                }
                "\n" | "\r" | "\r\n" => {
                    self.out.push_str(&t);
                    i += 1;
                }
                // Anusvara and visarga need a stack before them; at the start
                // of a syllable they are a capitalised m or h.
                "M" | "H" => self.tokens[i].text = t.to_ascii_lowercase(),
                _ if is_letter_or_vowel(&t) => i = self.syllable(i),
                _ => {
                    if let Some(o) = other(&t) {
                        self.out.push_str(o);
                    } else if let Some(rest) = t.strip_prefix('\\') {
                        self.escape(i, rest);
                    } else if t.chars().all(|c| ('\u{0F00}'..='\u{0FFF}').contains(&c)) {
                        // Tibetan already: a field's content converts as a whole.
                        self.out.push_str(&t);
                    } else {
                        let special = matches!(t.as_str(), "." | "+" | "-" | "~" | "`" | "]")
                            || final_mark(&t).is_some();
                        let reason = if special {
                            Reason::OutOfPlace
                        } else {
                            Reason::Unknown
                        };
                        self.report(self.tokens[i].span.clone(), reason);
                    }
                    i += 1;
                }
            }
        }
    }

    /// `\uXXXX`, `\UXXXXXXXX`: the character of that code; `\c`: c as it is.
    fn escape(&mut self, i: usize, rest: &str) {
        let code = rest
            .strip_prefix('u')
            .filter(|h| h.len() == 4)
            .or_else(|| rest.strip_prefix('U').filter(|h| h.len() == 8));
        match code {
            Some(hex) => match u32::from_str_radix(hex, 16).ok().and_then(char::from_u32) {
                Some(c) if is_kept(c) => self.out.push(c),
                _ => self.report(self.tokens[i].span.clone(), Reason::BadEscape),
            },
            None if rest.is_empty() => self.report(self.tokens[i].span.clone(), Reason::Unknown),
            // \u or \U not followed by a full code.
            None if rest.starts_with(['u', 'U']) => {
                self.report(self.tokens[i].span.clone(), Reason::BadEscape)
            }
            None => {
                // The character after the backslash, as typed (not
                // case-folded), if it is one a Tibetan text holds.
                let span = self.tokens[i].span.clone();
                let kept = self.input.get(span.clone()).unwrap_or_default();
                let kept = kept.strip_prefix('\\').unwrap_or(kept);
                if kept.chars().all(is_kept) {
                    self.out.push_str(kept);
                } else {
                    self.report(span, Reason::BadEscape);
                }
            }
        }
    }

    /// Keeps the input at `span` as typed in the output and reports it,
    /// joining it to the previous report when the two touch.
    fn report(&mut self, span: Range<usize>, reason: Reason) {
        let found = self.input.get(span.clone()).unwrap_or_default();
        let start = self.out.len();
        // As typed, but never a character that could control a terminal.
        self.out.extend(found.chars().map(|c| {
            if crate::text::is_unsafe_char(c) && c != '\n' && c != '\r' {
                '\u{FFFD}'
            } else {
                c
            }
        }));
        if let Some(last) = self.problems.last_mut()
            && last.input.end == span.start
            && last.output.end == start
            && last.reason == reason
        {
            last.input.end = span.end;
            last.output.end = self.out.len();
            last.found.push_str(found);
            return;
        }
        if self.problems.len() >= MAX_PROBLEMS {
            self.more_problems += 1;
            return;
        }
        self.problems.push(Unconvertible {
            input: span,
            output: start..self.out.len(),
            found: found.to_owned(),
            reason,
        });
    }

    /// A syllable (tsheg-bar): stacks until something else, or a visarga.
    fn syllable(&mut self, mut i: usize) -> usize {
        while self.tok(i).is_some_and(is_letter_or_vowel) {
            let stack = self.stack(i);
            i += stack.used;
            self.out.push_str(&stack.text);
            if stack.visarga || stack.used == 0 {
                break;
            }
        }
        i
    }

    /// Skips `^` (tsa-phru) signs at `i`; whether there was one.
    fn carets(&self, i: &mut usize) -> bool {
        let mut found = false;
        while self.tok(*i) == Some("^") {
            found = true;
            *i += 1;
        }
        found
    }

    /// One stack starting at token `start`.
    fn stack(&self, start: usize) -> Stack {
        let mut i = start;
        let mut out = String::new();
        let mut consonants = 0;
        let mut vowel_found = false;
        let mut plus = false;
        let mut caret = false;

        // A superscript: ra, la or sa over a letter it takes.
        if let (Some(t), Some(t2)) = (self.tok(i), self.tok(i + 1))
            && superscript(t, t2)
            && let Some(c) = consonant(t)
        {
            out.push_str(c);
            consonants += 1;
            i += 1;
            caret |= self.carets(&mut i);
        }
        loop {
            let t = self.tok(i).unwrap_or_default();
            let letter = if out.is_empty() {
                consonant(t)
            } else {
                subjoined(t)
            };
            if let Some(l) = letter {
                out.push_str(l);
                i += 1;
                if t == "a" {
                    vowel_found = true;
                } else {
                    consonants += 1;
                }
                caret |= self.carets(&mut i);
                // Up to two of ya, ra, la, wa below (la only under one letter).
                for _ in 0..2 {
                    let t2 = self.tok(i).unwrap_or_default();
                    if !is_subscript(t2) || (t2 == "l" && consonants > 1) {
                        break;
                    }
                    out.push_str(subjoined(t2).unwrap_or_default());
                    i += 1;
                    consonants += 1;
                    caret |= self.carets(&mut i);
                }
            }
            if caret {
                out.push('\u{0F39}');
                caret = false;
            }
            let t = self.tok(i).unwrap_or_default();
            if let Some(v) = vowel(t) {
                if out.is_empty() {
                    // A vowel with no letter is written on a-chen.
                    out.push('\u{0F68}');
                }
                if t != "a" {
                    out.push_str(v);
                }
                i += 1;
                vowel_found = true;
            }
            // `+` joins the next letter or vowel to this stack.
            let after = self.tok(i + 1).unwrap_or_default();
            if self.tok(i) == Some("+") && (vowel(after).is_some() || subjoined(after).is_some()) {
                i += 1;
                plus = true;
                continue;
            }
            break;
        }
        let mut classes: Vec<char> = Vec::new();
        let mut visarga = false;
        while let Some((mark, class)) = self.tok(i).and_then(final_mark) {
            if classes.contains(&class) {
                break;
            }
            classes.push(class);
            visarga |= class == 'H';
            out.push_str(mark);
            i += 1;
        }
        // `.` keeps this stack from joining the next letter (g.yag).
        if self.tok(i) == Some(".") && self.tok(i + 1).is_some_and(is_letter_or_vowel) {
            i += 1;
        }
        // Letters without a vowel that were stacked only because the next one
        // can go below (b-r in brtan): not a stack after all, unless `+` said so.
        if consonants > 1 && !vowel_found && !plus {
            let first = self.tok(start).unwrap_or_default();
            return Stack {
                text: consonant(first).unwrap_or_default().to_owned(),
                used: 1,
                visarga: false,
            };
        }
        Stack {
            text: out,
            used: i - start,
            visarga,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_keep_their_positions() {
        let c = to_tibetan("ka q ga");
        assert_eq!(c.problems.len(), 1);
        let p = &c.problems[0];
        assert_eq!(p.input, 3..4);
        assert_eq!(&c.text[p.output.clone()], "q");
    }
}
