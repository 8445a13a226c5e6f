//! Every user-facing string, looked up by key in `locales/{zh,bo,en}.toml`.
//!
//! The three files are compiled into the binary so it runs alone. A folder of
//! the same files (beside the database, or given with `--locales DIR`)
//! overrides single keys, so county staff can correct a Tibetan term without a
//! rebuild. Locale files are flat: dotted keys, no `[table]` headers, so a key
//! reads the same in the file, in the code and in a grep.
//!
//! A Tibetan term that a native speaker has not yet confirmed carries the
//! comment `# unreviewed` on its line in `bo.toml`; [`Catalog::unreviewed`]
//! lists them.

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

/// The strings of all three locales.
#[derive(Debug, Clone)]
pub struct Catalog {
    zh: Table,
    bo: Table,
    en: Table,
    unreviewed: Vec<String>,
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
            unreviewed: unreviewed_keys(Locale::Bo.builtin_source()),
        }
    }

    /// The built-in locales with any `zh.toml`, `bo.toml`, `en.toml` found in
    /// `dir` laid over them key by key. Missing files are fine; a broken file
    /// is an error naming it.
    pub fn with_overrides(dir: &Path) -> Result<Catalog, LocaleError> {
        let mut cat = Catalog::builtin();
        for l in Locale::ALL {
            let path = dir.join(l.file_name());
            let text = match std::fs::read_to_string(&path) {
                Ok(t) => t,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => {
                    return Err(LocaleError::Io {
                        file: path.display().to_string(),
                        source: e,
                    });
                }
            };
            let table = parse_table(&path.display().to_string(), &text)?;
            if l == Locale::Bo {
                // A corrected term is reviewed unless the override marks it again.
                let marked = unreviewed_keys(&text);
                cat.unreviewed
                    .retain(|k| !table.contains_key(k) || marked.contains(k));
                for k in marked {
                    if !cat.unreviewed.contains(&k) {
                        cat.unreviewed.push(k);
                    }
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

    /// Keys whose Tibetan text awaits review by a native speaker, with that text.
    pub fn unreviewed(&self) -> Vec<(&str, &str)> {
        let mut out: Vec<(&str, &str)> = self
            .unreviewed
            .iter()
            .filter_map(|k| {
                self.bo
                    .get_key_value(k)
                    .map(|(k, v)| (k.as_str(), v.as_str()))
            })
            .collect();
        out.sort();
        out
    }

    /// One locale's text, falling back to Chinese, then English, then the key
    /// itself (so a missing string is visible, never a crash).
    fn single<'a>(&'a self, l: Locale, key: &'a str) -> &'a str {
        self.get(l, key)
            .or_else(|| self.get(Locale::Zh, key))
            .or_else(|| self.get(Locale::En, key))
            .unwrap_or(key)
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
            let mut all: Vec<(&str, &str)> = args.to_vec();
            all.extend(keyed.iter().map(|(name, k)| (*name, self.single(l, k))));
            fill(self.single(l, key), &all)
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

    /// The English text (for `Display` on the command line).
    fn english(&self) -> String {
        self.message(&Catalog::builtin(), Lang::En)
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

fn parse_table(file: &str, text: &str) -> Result<Table, LocaleError> {
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

/// Keys on lines that end with the `# unreviewed` marker.
fn unreviewed_keys(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| l.trim_end().ends_with("# unreviewed"))
        .filter_map(|l| {
            l.split_once('=')
                .map(|(k, _)| k.trim().trim_matches('"').to_owned())
        })
        .collect()
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
