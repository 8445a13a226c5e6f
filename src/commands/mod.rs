//! One file per subcommand. Each takes the [`Ctx`], does its
//! work through the store, prints in the command line's language, and
//! returns the process exit code.

/// Prints a line on standard output without anything that could control
/// the terminal: names, files and locale overrides can hold escape
/// sequences, and none of them reaches the terminal raw.
macro_rules! out {
    ($($t:tt)*) => {
        println!("{}", $crate::text::clean_lines(&format!($($t)*)))
    };
}

/// [`out!`] on standard error.
macro_rules! err {
    ($($t:tt)*) => {
        eprintln!("{}", $crate::text::clean_lines(&format!($($t)*)))
    };
}

pub mod app;
pub mod backup;
pub mod check;
pub mod demo;
pub mod export;
pub mod gazetteer;
pub mod import;
pub mod init;
pub mod locales;
pub mod lookup;
pub mod payroll;
pub mod report;
pub mod roster;
pub mod wylie;

use std::path::PathBuf;

use crate::i18n::{Catalog, Lang, Localized};
use crate::store::{OpenOptions, Store, StoreError};

/// What every command needs: where the database is, how to talk to the user.
pub struct Ctx {
    pub db: PathBuf,
    /// The language of command-line output: `--lang`, else the app's
    /// setting, else the environment's locale (see `cli::lang`).
    pub lang: Lang,
    /// The language asked for with `--lang`, if any (the app's start language).
    pub lang_arg: Option<Lang>,
    pub catalog: Catalog,
    pub operator: Option<String>,
    pub read_only: bool,
}

impl Ctx {
    /// A message in the command line's language.
    pub fn t(&self, key: &str, args: &[(&str, &str)]) -> String {
        crate::text::clean_lines(&self.catalog.format(self.lang, key, args)).into_owned()
    }

    /// Why a file could not be read, in the command line's language.
    pub fn unreadable(&self, e: crate::files::Unreadable) -> String {
        match e {
            crate::files::Unreadable::Missing => self.t("file.missing", &[]),
            crate::files::Unreadable::NotRegular(kind) => {
                self.t("file.not_regular", &[("kind", &self.t(kind, &[]))])
            }
            crate::files::Unreadable::Io(e) => e.to_string(),
        }
    }

    /// Opens the database with the context's options; the operator from
    /// `--operator` wins over the saved setting, then the login name. A
    /// database that does not exist is an error (see [`Ctx::open_or_create`]).
    pub fn open(&self) -> Result<Store, StoreError> {
        self.open_with(false)
    }

    /// [`Ctx::open`], creating the database if there is none (`init`, and
    /// the app once the user said yes).
    pub fn open_or_create(&self) -> Result<Store, StoreError> {
        self.open_with(true)
    }

    fn open_with(&self, create: bool) -> Result<Store, StoreError> {
        let mut store = Store::open(
            &self.db,
            OpenOptions {
                read_only: self.read_only,
                create: create && !self.read_only,
            },
        )?;
        if let Some(op) = &self.operator {
            store.set_operator(op);
        } else if store.operator().is_empty() {
            let login = std::env::var("USER")
                .or_else(|_| std::env::var("USERNAME"))
                .unwrap_or_default();
            store.set_operator(&login);
        }
        Ok(store)
    }

    /// Prints an error for the command line: English (for the maintainers
    /// it is pasted to), and the command line's language too when that is
    /// another.
    pub fn report(&self, e: &impl Localized) {
        err!("fieldbook: {}", e.message(&self.catalog, Lang::En));
        if self.lang != Lang::En {
            err!("fieldbook: {}", e.message(&self.catalog, self.lang));
        }
    }
}

/// `~/.local/share/fieldbook/fieldbook.db` on Linux, the platform's data
/// directory elsewhere; `./fieldbook.db` if the platform has none.
pub fn default_db_path() -> PathBuf {
    directories::ProjectDirs::from("", "", "fieldbook")
        .map(|d| d.data_dir().join("fieldbook.db"))
        .unwrap_or_else(|| PathBuf::from("fieldbook.db"))
}
