//! The language of the command line, when `--lang` does not say: the one
//! chosen in the app's settings (stored in the database), else the one the
//! environment's locale names, else the app's own default (Chinese).

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::i18n::Lang;

/// The language a locale name asks for: `zh_CN.UTF-8` is Chinese,
/// `bo_CN` Tibetan, `en_GB.UTF-8` English. `C`, `POSIX` and languages the
/// app has no texts for name none.
pub fn from_locale(locale: &str) -> Option<Lang> {
    let language = locale
        .split(['_', '.', '@', '-'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    match language.as_str() {
        "zh" => Some(Lang::Zh),
        "bo" => Some(Lang::Bo),
        "en" => Some(Lang::En),
        _ => None,
    }
}

/// The language of the environment's locale for messages: the first of
/// `LC_ALL`, `LC_MESSAGES` and `LANG` that is set (not empty) decides, as
/// for every program; `var` reads a variable.
pub fn from_env_with(var: impl Fn(&str) -> Option<OsString>) -> Option<Lang> {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .into_iter()
        .filter_map(var)
        .find(|v| !v.is_empty())
        .and_then(|v| from_locale(&v.to_string_lossy()))
}

/// [`from_env_with`] on this process's environment.
pub fn from_env() -> Option<Lang> {
    from_env_with(|name| std::env::var_os(name))
}

/// The language chosen in the app's settings of the database at `db`, read
/// without writing anything and only from a file marked as fieldbook's
/// (see [`crate::store::peek_setting`]).
pub fn from_database(db: &Path) -> Option<Lang> {
    crate::store::peek_setting(db, "lang")?.parse().ok()
}

/// The command line's language: `--lang`, else the database's setting,
/// else the environment's locale, else the app's default.
pub fn resolve(arg: Option<Lang>, db: &Path) -> Lang {
    arg.or_else(|| from_database(db))
        .or_else(from_env)
        .unwrap_or_default()
}

/// What the command line says before clap reads it (clap needs the help
/// texts, in the right language, before it parses): `--lang`, `--db` and
/// `--locales` wherever they stand, as `--lang zh` or `--lang=zh`. A value
/// clap will refuse is taken as not given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Early {
    pub lang: Option<Lang>,
    pub db: Option<PathBuf>,
    pub locales: Option<PathBuf>,
}

impl Early {
    /// Reads `args` (the program's name first).
    pub fn scan(args: &[OsString]) -> Early {
        let mut early = Early::default();
        let mut it = args.iter().skip(1);
        while let Some(arg) = it.next() {
            let Some(text) = arg.to_str() else {
                continue;
            };
            if text == "--" {
                break;
            }
            for (name, slot) in [("--lang", 0), ("--db", 1), ("--locales", 2)] {
                let value = if text == name {
                    it.next().cloned()
                } else if let Some(v) = text
                    .strip_prefix(name)
                    .and_then(|rest| rest.strip_prefix('='))
                {
                    Some(OsString::from(v))
                } else {
                    continue;
                };
                match (slot, value) {
                    (0, Some(v)) => early.lang = v.to_str().and_then(|v| v.parse().ok()),
                    (1, Some(v)) => early.db = Some(PathBuf::from(v)),
                    (2, Some(v)) => early.locales = Some(PathBuf::from(v)),
                    _ => {}
                }
                break;
            }
        }
        early
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_name_their_language() {
        assert_eq!(from_locale("zh_CN.UTF-8"), Some(Lang::Zh));
        assert_eq!(from_locale("zh_TW"), Some(Lang::Zh));
        assert_eq!(from_locale("bo_CN.UTF-8"), Some(Lang::Bo));
        assert_eq!(from_locale("bo_IN"), Some(Lang::Bo));
        assert_eq!(from_locale("en_US.UTF-8"), Some(Lang::En));
        assert_eq!(from_locale("en"), Some(Lang::En));
        assert_eq!(from_locale("C.UTF-8"), None);
        assert_eq!(from_locale("C"), None);
        assert_eq!(from_locale("POSIX"), None);
        assert_eq!(from_locale("de_DE.UTF-8"), None);
        assert_eq!(from_locale(""), None);
    }

    #[test]
    fn the_first_locale_variable_set_decides() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| OsString::from(v))
            }
        };
        const ALL: &[(&str, &str)] = &[
            ("LC_ALL", "bo_CN.UTF-8"),
            ("LC_MESSAGES", "en_US.UTF-8"),
            ("LANG", "zh_CN.UTF-8"),
        ];
        assert_eq!(
            from_env_with(env(&[("LANG", "zh_CN.UTF-8")])),
            Some(Lang::Zh)
        );
        assert_eq!(from_env_with(env(ALL)), Some(Lang::Bo));
        assert_eq!(
            from_env_with(env(&[
                ("LC_ALL", ""),
                ("LC_MESSAGES", "en_US"),
                ("LANG", "zh_CN")
            ])),
            Some(Lang::En)
        );
        // C decides too: no language, so the app's default.
        assert_eq!(
            from_env_with(env(&[("LC_ALL", "C"), ("LANG", "zh_CN")])),
            None
        );
        assert_eq!(from_env_with(env(&[])), None);
    }

    #[test]
    fn early_options_are_read_wherever_they_stand() {
        let args = |v: &[&str]| v.iter().map(OsString::from).collect::<Vec<_>>();
        let e = Early::scan(&args(&[
            "fieldbook",
            "lookup",
            "x",
            "--lang",
            "bo",
            "--db=/tmp/a.db",
        ]));
        assert_eq!(e.lang, Some(Lang::Bo));
        assert_eq!(e.db, Some(PathBuf::from("/tmp/a.db")));
        let e = Early::scan(&args(&[
            "fieldbook",
            "--lang=zh+bo",
            "--locales",
            "l",
            "--help",
        ]));
        assert_eq!(e.lang, Some(Lang::ZhBo));
        assert_eq!(e.locales, Some(PathBuf::from("l")));
        // A bad value is left to clap; after `--` nothing is an option.
        let e = Early::scan(&args(&[
            "fieldbook",
            "--lang",
            "xx",
            "wylie",
            "--",
            "--lang",
            "en",
        ]));
        assert_eq!(e, Early::default());
        assert_eq!(
            Early::scan(&args(&["fieldbook", "--lang"])),
            Early::default()
        );
    }
}
