//! The command line: global options and subcommands (clap derive), and the
//! context every command gets (database path, language, operator).
//!
//! Its language, for messages and `--help` alike: `--lang`, else the one
//! chosen in the app's settings, else the environment's locale, else
//! Chinese (see [`lang`]). The help texts live in the locales under
//! `cli.help.` (see [`help`]), not here.

pub mod help;
pub mod lang;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{FromArgMatches, Parser, Subcommand};

use crate::commands::{Ctx, default_db_path};
use crate::i18n::{Catalog, Lang, LocaleError};

#[derive(Debug, Parser)]
#[command(name = "fieldbook", version)]
pub struct Cli {
    #[arg(long, global = true, env = "FIELDBOOK_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    #[arg(long, global = true, value_name = "LANG")]
    pub lang: Option<Lang>,

    #[arg(long, global = true, value_name = "NAME")]
    pub operator: Option<String>,

    #[arg(long, global = true)]
    pub read_only: bool,

    #[arg(long, global = true, value_name = "DIR")]
    pub locales: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Init,
    Gazetteer {
        #[command(subcommand)]
        action: GazetteerCommand,
    },
    Demo {
        #[arg(long, value_name = "N")]
        households: u32,
        #[arg(long, value_name = "S", default_value_t = 1)]
        seed: u64,
    },
    Check {
        #[arg(long)]
        rebuild_search_index: bool,
    },
    Backup {
        file: PathBuf,
    },
    Locales {
        #[arg(long)]
        unreviewed: bool,
        #[arg(long, requires = "unreviewed")]
        sourced: bool,
        #[arg(long, value_name = "FILE", conflicts_with = "unreviewed")]
        apply: Option<PathBuf>,
    },
    Export {
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<chrono::NaiveDate>,
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        #[arg(long)]
        xlsx: bool,
    },
    Import {
        #[arg(required = true, value_name = "DIR")]
        dirs: Vec<PathBuf>,
    },
    Lookup {
        #[arg(required = true, value_name = "QUERY")]
        query: Vec<String>,
        #[arg(long)]
        json: bool,
        #[arg(long, value_name = "N", default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..))]
        limit: u32,
        #[arg(long)]
        show_id: bool,
    },
    Roster {
        #[arg(value_name = "SESSION")]
        session: String,
        #[arg(long, value_enum, default_value = "table")]
        format: crate::commands::roster::Format,
        #[arg(long, value_name = "FILE")]
        xlsx: Option<PathBuf>,
        #[arg(long)]
        public: bool,
    },
    Wylie {
        #[arg(value_name = "TEXT")]
        text: Vec<String>,
    },
    Payroll {
        #[arg(long, value_name = "YYYY-MM")]
        month: String,
        #[arg(long, value_name = "CODE")]
        township: Option<String>,
        #[arg(long, value_enum, default_value_t = crate::commands::payroll::Format::Table)]
        format: crate::commands::payroll::Format,
        #[arg(long, value_name = "FILE")]
        xlsx: Option<PathBuf>,
        #[arg(long)]
        public: bool,
    },
    Report {
        #[arg(long, value_name = "YYYY")]
        year: Option<String>,
        #[arg(long, value_name = "CODE")]
        township: Option<String>,
        #[arg(long, value_enum, default_value_t = crate::commands::report::Format::Table)]
        format: crate::commands::report::Format,
        #[arg(long, value_name = "FILE")]
        xlsx: Option<PathBuf>,
    },
    Lists {
        #[arg(long, value_name = "CODE")]
        village: String,
        #[arg(long, value_name = "FILE")]
        xlsx: Option<PathBuf>,
        #[arg(long)]
        public: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum GazetteerCommand {
    Import { file: PathBuf },
}

/// The language and texts already worked out for the help, so that the
/// database and the locale files are read once per run.
struct Known {
    db: PathBuf,
    arg: Option<Lang>,
    lang: Lang,
    locales: Option<PathBuf>,
    /// `None` when an override file is broken: the command reports it.
    catalog: Option<Catalog>,
}

/// The locales: the built-in texts, with the override folder's laid over
/// them (`--locales DIR`, or a `locales` folder beside the database).
fn catalog(locales: Option<&Path>, db: &Path) -> Result<Catalog, LocaleError> {
    let beside = || {
        let dir = db.parent().map(|d| d.join("locales"))?;
        dir.is_dir().then_some(dir)
    };
    match locales.map(Path::to_path_buf).or_else(beside) {
        Some(dir) => Catalog::with_overrides(&dir),
        None => Ok(Catalog::builtin()),
    }
}

/// The context for a command line; fails on a broken locale override file.
fn context(cli: &Cli, known: Option<Known>) -> Result<Ctx, LocaleError> {
    let db = cli.db.clone().unwrap_or_else(default_db_path);
    let known = known.filter(|k| k.db == db && k.arg == cli.lang && k.locales == cli.locales);
    let (lang, catalog) = match known {
        Some(Known {
            lang,
            catalog: Some(catalog),
            ..
        }) => (lang, catalog),
        Some(Known { lang, .. }) => (lang, catalog(cli.locales.as_deref(), &db)?),
        None => (
            lang::resolve(cli.lang, &db),
            catalog(cli.locales.as_deref(), &db)?,
        ),
    };
    Ok(Ctx {
        db,
        lang,
        lang_arg: cli.lang,
        catalog,
        operator: cli.operator.clone(),
        read_only: cli.read_only,
    })
}

/// Parses the program's arguments, with `--help` and its texts in the
/// user's language, and runs them.
pub fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    // The help is written while clap parses, before any command runs: its
    // language and texts are worked out from the arguments as given.
    let early = lang::Early::scan(&args);
    let db = early
        .db
        .clone()
        .or_else(|| {
            std::env::var_os("FIELDBOOK_DB")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        })
        .unwrap_or_else(default_db_path);
    let lang = lang::resolve(early.lang, &db);
    // A broken override file is reported when the command runs; the help
    // falls back to the built-in texts.
    let texts = catalog(early.locales.as_deref(), &db).ok();
    let builtin;
    let help_texts = match &texts {
        Some(t) => t,
        None => {
            builtin = Catalog::builtin();
            &builtin
        }
    };
    let matches = help::command(help_texts, lang).get_matches_from(args);
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let known = Known {
        db,
        arg: early.lang,
        lang,
        locales: early.locales,
        catalog: texts,
    };
    run_with(cli, Some(known))
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> ExitCode {
    run_with(cli, None)
}

fn run_with(cli: Cli, known: Option<Known>) -> ExitCode {
    let ctx = match context(&cli, known) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("fieldbook: {}", crate::text::clean_lines(&e.to_string()));
            return ExitCode::FAILURE;
        }
    };
    match cli.command {
        None => crate::commands::app::run(&ctx),
        Some(Command::Init) => crate::commands::init::run(&ctx),
        Some(Command::Gazetteer {
            action: GazetteerCommand::Import { file },
        }) => crate::commands::gazetteer::import(&ctx, &file),
        Some(Command::Demo { households, seed }) => {
            crate::commands::demo::run(&ctx, households, seed)
        }
        Some(Command::Check {
            rebuild_search_index,
        }) => crate::commands::check::run(&ctx, rebuild_search_index),
        Some(Command::Backup { file }) => crate::commands::backup::run(&ctx, &file),
        Some(Command::Locales {
            unreviewed,
            sourced,
            apply,
        }) => crate::commands::locales::run(
            &ctx,
            unreviewed,
            sourced,
            apply.as_deref(),
            cli.locales.as_deref(),
        ),
        Some(Command::Export { date, out, xlsx }) => {
            crate::commands::export::run(&ctx, date, out, xlsx)
        }
        Some(Command::Import { dirs }) => crate::commands::import::run(&ctx, &dirs),
        Some(Command::Lookup {
            query,
            json,
            limit,
            show_id,
        }) => crate::commands::lookup::run(&ctx, &query.join(" "), json, limit as usize, show_id),
        Some(Command::Roster {
            session,
            format,
            xlsx,
            public,
        }) => crate::commands::roster::run(&ctx, &session, format, xlsx.as_deref(), public),
        Some(Command::Wylie { text }) => crate::commands::wylie::run(&ctx, &text),
        Some(Command::Payroll {
            month,
            township,
            format,
            xlsx,
            public,
        }) => crate::commands::payroll::run(
            &ctx,
            &month,
            township.as_deref(),
            format,
            xlsx.as_deref(),
            public,
        ),
        Some(Command::Report {
            year,
            township,
            format,
            xlsx,
        }) => crate::commands::report::run(
            &ctx,
            year.as_deref(),
            township.as_deref(),
            format,
            xlsx.as_deref(),
        ),
        Some(Command::Lists {
            village,
            xlsx,
            public,
        }) => crate::commands::report::lists(&ctx, &village, xlsx.as_deref(), public),
    }
}
