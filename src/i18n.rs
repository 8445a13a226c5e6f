//! Every user-facing string, looked up by key in `locales/{zh,bo,en}.toml`.
//!
//! The three files are compiled into the binary so it runs alone. A folder of
//! the same files (beside the database, or given with `--locales DIR`)
//! overrides single keys, so county staff can correct a Tibetan term without a
//! rebuild. Locale files are flat: dotted keys, no `[table]` headers, so a key
//! reads the same in the file, in the code and in a grep.
//!
//! Every Tibetan text in `bo.toml` says at the end of its line how far it can
//! be trusted ([`Review`]): `# reviewed: NAME YYYY-MM-DD` (confirmed by a
//! native speaker), `# sourced: CLDR 47; deepin` (the same as a public human
//! translation) or `# unreviewed`. [`Catalog::review`] reads the level;
//! [`check_tibetan`] checks a text a reviewer proposes.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::str::FromStr;

/// The language mode of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// Chinese (the default: the language of the county's forms).
    #[default]
    Zh,
    /// Tibetan.
    Bo,
    /// Bilingual: each label as Chinese then Tibetan, as on the county's signs.
    ZhBo,
    /// English, for maintainers.
    En,
}

impl Lang {
    pub const ALL: [Lang; 4] = [Lang::Zh, Lang::Bo, Lang::ZhBo, Lang::En];

    /// The code used on the command line and in settings.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::Bo => "bo",
            Lang::ZhBo => "zh+bo",
            Lang::En => "en",
        }
    }

    /// The next mode in the run-time switching cycle: zh -> bo -> zh+bo -> en -> zh.
    pub fn next(self) -> Lang {
        match self {
            Lang::Zh => Lang::Bo,
            Lang::Bo => Lang::ZhBo,
            Lang::ZhBo => Lang::En,
            Lang::En => Lang::Zh,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "zh" => Ok(Lang::Zh),
            "bo" => Ok(Lang::Bo),
            "zh+bo" | "zhbo" | "bi" => Ok(Lang::ZhBo),
            "en" => Ok(Lang::En),
            other => Err(format!(
                "unknown language '{other}': use zh, bo, zh+bo or en"
            )),
        }
    }
}

/// One of the three locale files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locale {
    Zh,
    Bo,
    En,
}

impl Locale {
    pub const ALL: [Locale; 3] = [Locale::Zh, Locale::Bo, Locale::En];

    pub fn file_name(self) -> &'static str {
        match self {
            Locale::Zh => "zh.toml",
            Locale::Bo => "bo.toml",
            Locale::En => "en.toml",
        }
    }

    fn builtin_source(self) -> &'static str {
        match self {
            Locale::Zh => include_str!("../locales/zh.toml"),
            Locale::Bo => include_str!("../locales/bo.toml"),
            Locale::En => include_str!("../locales/en.toml"),
        }
    }
}

/// A locale file that could not be read or parsed.
#[derive(Debug, thiserror::Error)]
pub enum LocaleError {
    #[error("{file}: {message}")]
    Parse { file: String, message: String },
    #[error("{file}: key '{key}' must be a string")]
    NotText { file: String, key: String },
    #[error("{file}: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
}

type Table = BTreeMap<String, String>;

/// How far a Tibetan text can be trusted: the marker at the end of its line
/// in `bo.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Review {
    /// Confirmed by a native speaker (`# reviewed: NAME YYYY-MM-DD`). A text
    /// corrected in an override file without a marker counts as reviewed by
    /// whoever put it there: `by` and `on` are then empty.
    Reviewed { by: String, on: String },
    /// The same as a public human translation (`# sourced: CLDR 47; deepin`).
    Sourced { source: String },
    /// Not confirmed by anyone yet (`# unreviewed`).
    Unreviewed,
}

impl Review {
    /// The level named by a line's comment (the text after `#`), if it is a
    /// well-formed marker.
    pub fn parse(comment: &str) -> Option<Review> {
        let c = comment.trim();
        if c == "unreviewed" {
            return Some(Review::Unreviewed);
        }
        if let Some(source) = c.strip_prefix("sourced:") {
            let source = source.trim();
            return (!source.is_empty()).then(|| Review::Sourced {
                source: source.to_owned(),
            });
        }
        let rest = c.strip_prefix("reviewed:")?.trim();
        let (by, on) = rest.rsplit_once(char::is_whitespace)?;
        let by = by.trim();
        chrono::NaiveDate::parse_from_str(on, "%Y-%m-%d").ok()?;
        (!by.is_empty()).then(|| Review::Reviewed {
            by: by.to_owned(),
            on: on.to_owned(),
        })
    }

    /// The comment that marks a line with this level, `#` included.
    pub fn marker(&self) -> String {
        match self {
            Review::Reviewed { by, on } => format!("# reviewed: {by} {on}"),
            Review::Sourced { source } => format!("# sourced: {source}"),
            Review::Unreviewed => "# unreviewed".to_owned(),
        }
    }

    /// `reviewed`, `sourced` or `unreviewed`.
    pub fn level(&self) -> &'static str {
        match self {
            Review::Reviewed { .. } => "reviewed",
            Review::Sourced { .. } => "sourced",
            Review::Unreviewed => "unreviewed",
        }
    }
}

/// The strings of all three locales.
#[derive(Debug, Clone)]
pub struct Catalog {
    zh: Table,
    bo: Table,
    en: Table,
    /// The review level of each Tibetan text that carries a marker.
    review: BTreeMap<String, Review>,
}

impl Catalog {
    /// The locales compiled into the binary.
    pub fn builtin() -> Catalog {
        let parse = |l: Locale| {
            parse_table(l.file_name(), l.builtin_source())
                .expect("built-in locale files are checked by tests")
        };
        Catalog {
            zh: parse(Locale::Zh),
            bo: parse(Locale::Bo),
            en: parse(Locale::En),
            review: markers(Locale::Bo.builtin_source()),
        }
    }

    /// The built-in locales with any `zh.toml`, `bo.toml`, `en.toml` found in
    /// `dir` laid over them key by key. Missing files are fine; a broken file
    /// is an error naming it.
    pub fn with_overrides(dir: &Path) -> Result<Catalog, LocaleError> {
        let mut cat = Catalog::builtin();
        for l in Locale::ALL {
            let path = dir.join(l.file_name());
            let io = |source| LocaleError::Io {
                file: path.display().to_string(),
                source,
            };
            let bytes = match crate::files::read(&path) {
                Ok(b) => b,
                Err(crate::files::Unreadable::Missing) => continue,
                Err(crate::files::Unreadable::NotRegular(kind)) => {
                    let what = Catalog::builtin().text(Lang::En, kind);
                    return Err(io(std::io::Error::other(format!(
                        "{what}, not a locale file"
                    ))));
                }
                Err(crate::files::Unreadable::Io(e)) => return Err(io(e)),
            };
            let text = String::from_utf8(bytes)
                .map_err(|e| io(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))?;
            let table = parse_table(&path.display().to_string(), &text)?;
            if l == Locale::Bo {
                // A corrected text takes the level its line is marked with.
                // Without a comment it counts as reviewed by whoever corrected
                // it; a comment that is no marker (a typo) trusts nothing.
                let mut comments = comments(&text);
                for k in table.keys() {
                    let level = match comments.remove(k) {
                        Some(c) => Review::parse(&c).unwrap_or(Review::Unreviewed),
                        None => Review::Reviewed {
                            by: String::new(),
                            on: String::new(),
                        },
                    };
                    cat.review.insert(k.clone(), level);
                }
            }
            cat.table_mut(l).extend(table);
        }
        Ok(cat)
    }

    fn table(&self, l: Locale) -> &Table {
        match l {
            Locale::Zh => &self.zh,
            Locale::Bo => &self.bo,
            Locale::En => &self.en,
        }
    }

    fn table_mut(&mut self, l: Locale) -> &mut Table {
        match l {
            Locale::Zh => &mut self.zh,
            Locale::Bo => &mut self.bo,
            Locale::En => &mut self.en,
        }
    }

    /// Every key of one locale, sorted.
    pub fn keys(&self, l: Locale) -> impl Iterator<Item = &str> {
        self.table(l).keys().map(String::as_str)
    }

    /// The text of `key` in one locale, if that locale defines it.
    pub fn get(&self, l: Locale, key: &str) -> Option<&str> {
        self.table(l).get(key).map(String::as_str)
    }

    /// How far the Tibetan text of `key` can be trusted; `None` for a text
    /// without a marker (one with no Tibetan in it, such as `{path}: {detail}`).
    pub fn review(&self, key: &str) -> Option<&Review> {
        self.review.get(key)
    }

    /// Every Tibetan text that carries a level, sorted by key.
    pub fn reviews(&self) -> impl Iterator<Item = (&str, &Review)> {
        self.review
            .iter()
            .filter(|(k, _)| self.bo.contains_key(*k))
            .map(|(k, r)| (k.as_str(), r))
    }

    /// Keys whose Tibetan text awaits review by a native speaker, with that text.
    pub fn unreviewed(&self) -> Vec<(&str, &str)> {
        self.reviews()
            .filter(|(_, r)| **r == Review::Unreviewed)
            .filter_map(|(k, _)| self.get(Locale::Bo, k).map(|t| (k, t)))
            .collect()
    }

    /// One locale's text, falling back to Chinese, then English, then the key
    /// itself (so a missing string is visible, never a crash). An empty text
    /// (a Tibetan text still to be written) falls back the same way.
    fn single<'a>(&'a self, l: Locale, key: &'a str) -> &'a str {
        self.resolve(l, key).1
    }

    /// [`Catalog::single`] with the locale whose text was found: a message
    /// that falls back to Chinese fills its placeholders in Chinese too,
    /// so one sentence never mixes two languages.
    fn resolve<'a>(&'a self, l: Locale, key: &'a str) -> (Locale, &'a str) {
        [l, Locale::Zh, Locale::En]
            .into_iter()
            .filter_map(|l| self.get(l, key).map(|t| (l, t)))
            .find(|(_, t)| !t.is_empty())
            .unwrap_or((l, key))
    }

    /// Whether some locale has a text for `key`.
    pub fn has(&self, key: &str) -> bool {
        Locale::ALL.into_iter().any(|l| self.get(l, key).is_some())
    }

    /// The text of `key` in `lang`. Bilingual mode gives Chinese then Tibetan
    /// separated by a space, or one of them when both are the same.
    pub fn text(&self, lang: Lang, key: &str) -> String {
        match lang {
            Lang::Zh => self.single(Locale::Zh, key).to_owned(),
            Lang::Bo => self.single(Locale::Bo, key).to_owned(),
            Lang::En => self.single(Locale::En, key).to_owned(),
            Lang::ZhBo => {
                let (zh, bo) = self.pair(key);
                join_bilingual(zh, bo)
            }
        }
    }

    /// The Chinese and the Tibetan text of `key`, for layouts that place them
    /// separately (bilingual columns that cannot hold both fall back to one).
    pub fn pair<'a>(&'a self, key: &'a str) -> (&'a str, &'a str) {
        (self.single(Locale::Zh, key), self.single(Locale::Bo, key))
    }

    /// The text of `key` in `lang` with `{name}` placeholders filled from `args`.
    pub fn format(&self, lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
        self.format_keyed(lang, key, args, &[])
    }

    /// [`Catalog::format`] with one placeholder filled by a name held in
    /// Chinese and Tibetan (`name`: placeholder, zh, bo): each half of a
    /// bilingual text gets the name in its own language, so the name is not
    /// shown twice.
    pub fn format_named(
        &self,
        lang: Lang,
        key: &str,
        args: &[(&str, &str)],
        (placeholder, zh, bo): (&str, &str, &str),
    ) -> String {
        let one = |l: Lang| {
            let name = names_text(zh, bo, "", l);
            let mut all = args.to_vec();
            all.push((placeholder, &name));
            self.format(l, key, &all)
        };
        match lang {
            // Without a Tibetan text the sentence is Chinese, holding both names.
            Lang::ZhBo if self.resolve(Locale::Bo, key).0 != Locale::Bo => one(Lang::ZhBo),
            Lang::ZhBo => join_bilingual(&one(Lang::Zh), &one(Lang::Bo)),
            l => one(l),
        }
    }

    /// [`Catalog::format`] where some placeholders are filled with the
    /// text of another key (`keyed`: placeholder, key), in the same
    /// language as the rest: in bilingual mode the Chinese half gets the
    /// Chinese text, the Tibetan half the Tibetan.
    pub fn format_keyed(
        &self,
        lang: Lang,
        key: &str,
        args: &[(&str, &str)],
        keyed: &[(&str, &str)],
    ) -> String {
        let one = |l: Locale| {
            let (l, template) = self.resolve(l, key);
            // A value quoted from data is cut to its start, saying how long
            // it was: a 10 MB cell makes a line of error, not 10 MB.
            let shortened: Vec<(&str, String)> = args
                .iter()
                .filter(|(name, v)| QUOTED.contains(name) && v.chars().count() > QUOTE_MAX)
                .map(|(name, v)| {
                    let start: String = v.chars().take(QUOTE_KEEP).collect();
                    let length = v.chars().count().to_string();
                    let text = fill(
                        self.single(l, "text.excerpt"),
                        &[("start", &start), ("length", &length)],
                    );
                    (*name, text)
                })
                .collect();
            let mut all: Vec<(&str, &str)> = args
                .iter()
                .map(|(name, v)| {
                    let short = shortened.iter().find(|(n, _)| n == name);
                    (*name, short.map_or(*v, |(_, t)| t.as_str()))
                })
                .collect();
            all.extend(keyed.iter().map(|(name, k)| (*name, self.single(l, k))));
            fill(template, &all)
        };
        match lang {
            Lang::Zh => one(Locale::Zh),
            Lang::Bo => one(Locale::Bo),
            Lang::En => one(Locale::En),
            Lang::ZhBo => join_bilingual(&one(Locale::Zh), &one(Locale::Bo)),
        }
    }
}

/// A value whose text lives in the locales (an error, a validation finding):
/// a key and named arguments, shown in any language.
pub trait Localized {
    fn key_args(&self) -> (&'static str, Vec<(&'static str, String)>);

    /// Placeholders filled with the text of another locale key
    /// (placeholder, key), such as what a value was expected to be.
    fn keyed_args(&self) -> Vec<(&'static str, String)> {
        Vec::new()
    }

    /// The text in `lang`, placeholders filled.
    fn message(&self, catalog: &Catalog, lang: Lang) -> String {
        let (key, args) = self.key_args();
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let keyed = self.keyed_args();
        let keyed: Vec<(&str, &str)> = keyed.iter().map(|(k, v)| (*k, v.as_str())).collect();
        catalog.format_keyed(lang, key, &args, &keyed)
    }

    /// The English text (for `Display` on the command line), from the
    /// built-in texts parsed once, not again for every error shown.
    fn english(&self) -> String {
        static BUILTIN: std::sync::OnceLock<Catalog> = std::sync::OnceLock::new();
        self.message(BUILTIN.get_or_init(Catalog::builtin), Lang::En)
    }
}

/// A bilingual line: the Chinese text, then the Tibetan (one of them when
/// both are the same).
pub fn bilingual(zh: &str, bo: &str) -> String {
    join_bilingual(zh, bo)
}

fn join_bilingual(zh: &str, bo: &str) -> String {
    if zh == bo {
        zh.to_owned()
    } else {
        format!("{zh} {bo}")
    }
}

/// Arguments longer than this many characters are quoted by their start.
const QUOTE_MAX: usize = 80;
/// How many characters of such an argument are kept.
const QUOTE_KEEP: usize = 40;
/// The placeholders that quote a value from data or from what was typed
/// (a cell, an input line, a name): cut to their start when long. Others
/// (a path, a message inside a message) are shown whole.
const QUOTED: &[&str] = &[
    "value",
    "input",
    "found",
    "code",
    "id",
    "query",
    "char",
    "number",
    "id_number",
    "household",
    "operator",
    "name",
    "round",
    "reviewer",
    "device",
];

/// Replaces each `{name}` in `template` by its value in `args`; unknown
/// placeholders are left as they are so the gap is visible.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match args.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The `{placeholders}` used in a template, sorted and without duplicates.
pub fn placeholders(template: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                out.push(after[..close].to_owned());
                rest = &after[close + 1..];
            }
            None => break,
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Whether `c` is in the Tibetan block (letters, vowel signs, tsheg, shad,
/// Tibetan digits and marks).
pub fn is_tibetan(c: char) -> bool {
    ('\u{0F00}'..='\u{0FFF}').contains(&c)
}

/// Whether `text` holds any Tibetan letter, so it is a Tibetan text (and not
/// one like `{path}: {detail}` or `EWTS`).
pub fn has_tibetan_letters(text: &str) -> bool {
    text.chars().any(|c| ('\u{0F40}'..='\u{0FBC}').contains(&c))
}

/// What is wrong with a Tibetan text a reviewer proposes; `position` counts
/// characters from 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextFault {
    /// A tab, a line break or another control character.
    ControlChar { position: usize },
    /// A `{` or `}` that opens or closes no placeholder.
    Brace { position: usize },
    /// The placeholders differ from the Chinese text's.
    Placeholders {
        expected: Vec<String>,
        found: Vec<String>,
    },
    /// Latin, Chinese or other script in a Tibetan text, not already in it.
    NotTibetan { position: usize, found: String },
    /// `, . : ; ! ?` between Tibetan words (Tibetan uses the shad).
    Punctuation { position: usize, found: char },
}

impl Localized for TextFault {
    fn key_args(&self) -> (&'static str, Vec<(&'static str, String)>) {
        let list = |p: &[String]| {
            if p.is_empty() {
                "—".to_owned()
            } else {
                p.iter()
                    .map(|n| format!("{{{n}}}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            }
        };
        match self {
            TextFault::ControlChar { position } => (
                "locales.error.control_char",
                vec![("position", position.to_string())],
            ),
            TextFault::Brace { position } => (
                "locales.error.brace",
                vec![("position", position.to_string())],
            ),
            TextFault::Placeholders { expected, found } => (
                "locales.error.placeholders",
                vec![("expected", list(expected)), ("found", list(found))],
            ),
            TextFault::NotTibetan { position, found } => (
                "locales.error.not_tibetan",
                vec![("position", position.to_string()), ("char", found.clone())],
            ),
            TextFault::Punctuation { position, found } => (
                "locales.error.punctuation",
                vec![
                    ("position", position.to_string()),
                    ("char", found.to_string()),
                ],
            ),
        }
    }
}

/// Checks a proposed Tibetan text: no control characters, the placeholders
/// of `reference` (the Chinese text) exactly, and, when `tibetan` (the text
/// being replaced is Tibetan), Tibetan script only: Tibetan letters and
/// punctuation, digits 0-9, spaces and placeholders, plus any other run of
/// characters (a command, a key name, a bracket, a Latin example) that one of
/// the `current` texts already has; no English sentence punctuation between
/// Tibetan words.
pub fn check_tibetan(
    proposed: &str,
    reference: &str,
    current: &[&str],
    tibetan: bool,
) -> Vec<TextFault> {
    let mut faults = Vec::new();
    let chars: Vec<char> = proposed.chars().collect();
    // Placeholder spans, by character index.
    let mut in_placeholder = vec![false; chars.len()];
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '{' => {
                let len = chars[i + 1..]
                    .iter()
                    .position(|c| !(c.is_ascii_alphanumeric() || *c == '_'));
                match len {
                    Some(n) if n > 0 && chars[i + 1 + n] == '}' => {
                        in_placeholder[i..=i + 1 + n].fill(true);
                        i += n + 2;
                        continue;
                    }
                    _ => faults.push(TextFault::Brace { position: i + 1 }),
                }
            }
            '}' => faults.push(TextFault::Brace { position: i + 1 }),
            c if c.is_control() => faults.push(TextFault::ControlChar { position: i + 1 }),
            _ => {}
        }
        i += 1;
    }
    let expected = placeholders(reference);
    let found = placeholders(proposed);
    if expected != found {
        faults.push(TextFault::Placeholders { expected, found });
    }
    if !tibetan {
        return faults;
    }
    let plain = |i: usize| !in_placeholder[i] && !chars[i].is_control();
    let allowed = |c: char| is_tibetan(c) || c.is_ascii_digit() || c == ' ' || c == '{' || c == '}';
    // Sentence punctuation whose neighbours are Tibetan or a placeholder.
    let mut flagged = vec![false; chars.len()];
    for (i, &c) in chars.iter().enumerate() {
        if !plain(i) || !matches!(c, ',' | '.' | ':' | ';' | '!' | '?') {
            continue;
        }
        let digit = |j: Option<usize>| j.is_some_and(|j| chars[j].is_ascii_digit());
        if digit(i.checked_sub(1)) && digit(Some(i + 1).filter(|&j| j < chars.len())) {
            continue;
        }
        let left = chars[..i].iter().rev().find(|c| **c != ' ');
        let right = chars[i + 1..].iter().find(|c| **c != ' ');
        if left.is_none_or(|&l| is_tibetan(l) || l == '}') || right.is_some_and(|&r| is_tibetan(r))
        {
            flagged[i] = true;
            faults.push(TextFault::Punctuation {
                position: i + 1,
                found: c,
            });
        }
    }
    // Runs of other characters must already be in a current text.
    let mut i = 0;
    while i < chars.len() {
        if !plain(i) || allowed(chars[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && plain(i) && !allowed(chars[i]) {
            i += 1;
        }
        let run: String = chars[start..i].iter().collect();
        if !(start..i).any(|j| flagged[j]) && !current.iter().any(|t| t.contains(&run)) {
            faults.push(TextFault::NotTibetan {
                position: start + 1,
                found: run,
            });
        }
    }
    faults
}

/// Reads a flat locale file into its keys and texts; `file` names it in errors.
pub fn parse_table(file: &str, text: &str) -> Result<BTreeMap<String, String>, LocaleError> {
    let value: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| LocaleError::Parse {
            file: file.to_owned(),
            message: e.to_string(),
        })?;
    let mut out = Table::new();
    flatten(file, "", &value, &mut out)?;
    Ok(out)
}

fn flatten(
    file: &str,
    prefix: &str,
    table: &toml::Table,
    out: &mut Table,
) -> Result<(), LocaleError> {
    for (k, v) in table {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            toml::Value::String(s) => {
                out.insert(key, s.clone());
            }
            toml::Value::Table(t) => flatten(file, &key, t, out)?,
            _ => {
                return Err(LocaleError::NotText {
                    file: file.to_owned(),
                    key,
                });
            }
        }
    }
    Ok(())
}

/// One `key = "text" # comment` line of a flat locale file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<'a> {
    /// The key, without quotes.
    pub key: &'a str,
    /// What follows the `#` after the value, if anything.
    pub comment: Option<&'a str>,
}

/// Reads one line of a flat locale file: its key and the comment after its
/// value (a `#` inside the quoted value is part of the text). `None` for
/// blank lines, comment lines and anything else.
pub fn entry(line: &str) -> Option<Entry<'_>> {
    let line = line.trim_start();
    if line.is_empty() || line.starts_with('#') || line.starts_with('[') {
        return None;
    }
    let (key, rest) = line.split_once('=')?;
    let key = key.trim();
    let key = key
        .strip_prefix('"')
        .and_then(|k| k.strip_suffix('"'))
        .unwrap_or(key);
    if key.is_empty() {
        return None;
    }
    let rest = rest.trim_start();
    let after = if let Some(body) = rest.strip_prefix('"') {
        if body.starts_with("\"\"") {
            return Some(Entry { key, comment: None });
        }
        let mut escaped = false;
        let close = body.char_indices().find(|&(_, c)| {
            let end = c == '"' && !escaped;
            escaped = c == '\\' && !escaped;
            end
        })?;
        &body[close.0 + 1..]
    } else if let Some(body) = rest.strip_prefix('\'') {
        &body[body.find('\'')? + 1..]
    } else {
        return Some(Entry { key, comment: None });
    };
    let comment = after.trim().strip_prefix('#').map(str::trim);
    Some(Entry { key, comment })
}

/// The comment after the value of every line of `text` that has one.
fn comments(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .filter_map(entry)
        .filter_map(|e| Some((e.key.to_owned(), e.comment?.to_owned())))
        .collect()
}

/// The review level of every line of `text` that carries a marker.
fn markers(text: &str) -> BTreeMap<String, Review> {
    comments(text)
        .into_iter()
        .filter_map(|(k, c)| Some((k, Review::parse(&c)?)))
        .collect()
}

/// The separator of list items in `lang` (bilingual mode: the Chinese one).
pub fn list_sep(catalog: &Catalog, lang: Lang) -> String {
    match lang {
        Lang::ZhBo => catalog.text(Lang::Zh, "ui.list_sep"),
        l => catalog.text(l, "ui.list_sep"),
    }
}

/// A catalogue's name (a township, village, course, post type) in `lang`:
/// as [`names_text`], but in Tibetan a name not yet written in Tibetan is
/// shown in Chinese with a mark saying so.
pub fn catalogue_text(cat: &Catalog, zh: &str, bo: &str, en: &str, lang: Lang) -> String {
    if lang == Lang::Bo && bo.is_empty() && !zh.is_empty() {
        return format!("{zh} {}", cat.text(Lang::Bo, "ui.not_in_tibetan"));
    }
    names_text(zh, bo, en, lang)
}

/// A name held in Chinese, Tibetan and (perhaps) English, in `lang`,
/// falling back to whichever is filled in.
pub fn names_text(zh: &str, bo: &str, en: &str, lang: Lang) -> String {
    let pick = |first: &str, second: &str, third: &str| {
        [first, second, third]
            .into_iter()
            .find(|s| !s.is_empty())
            .unwrap_or_default()
            .to_owned()
    };
    match lang {
        Lang::Zh => pick(zh, bo, en),
        Lang::Bo => pick(bo, zh, en),
        Lang::En => pick(en, zh, bo),
        Lang::ZhBo => match (zh.is_empty(), bo.is_empty()) {
            (false, false) => format!("{zh} {bo}"),
            _ => pick(zh, bo, en),
        },
    }
}
