//! The command line: global options and subcommands (clap derive), and the
//! context every command gets (database path, language, operator).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::commands::{Ctx, default_db_path};
use crate::i18n::{Catalog, Lang, LocaleError};

/// fieldbook: household visit surveys, training rosters and public-welfare
/// posts for Sêrtar County (色达县 / གསེར་ཐར་རྫོང་).
#[derive(Debug, Parser)]
#[command(name = "fieldbook", version, about, long_about = None)]
pub struct Cli {
    /// Database file [default: the platform data directory, e.g. ~/.local/share/fieldbook/fieldbook.db]
    #[arg(long, global = true, env = "FIELDBOOK_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Language of labels and messages: zh, bo, zh+bo (bilingual) or en
    #[arg(long, global = true, value_name = "LANG")]
    pub lang: Option<Lang>,

    /// Who is making changes (recorded with every change)
    #[arg(long, global = true, value_name = "NAME")]
    pub operator: Option<String>,

    /// Open the database read-only: nothing can be changed
    #[arg(long, global = true)]
    pub read_only: bool,

    /// Folder of locale files (zh.toml, bo.toml, en.toml) overriding the built-in texts
    /// [default: a `locales` folder beside the database, if there is one]
    #[arg(long, global = true, value_name = "DIR")]
    pub locales: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the database, or upgrade it to this version's schema, and print its path
    Init,
    /// The village list (gazetteer)
    Gazetteer {
        #[command(subcommand)]
        action: GazetteerCommand,
    },
    /// Fill the database with deterministic synthetic data (for trying the app, tests and benchmarks)
    Demo {
        /// Number of households to generate
        #[arg(long, value_name = "N")]
        households: u32,
        /// Random seed: the same seed gives the same data
        #[arg(long, value_name = "S", default_value_t = 1)]
        seed: u64,
    },
    /// Check the database (integrity and references) and print row counts; exits 1 on any problem
    Check {
        /// Rebuild the search index from the data first (the repair when check finds it out of step)
        #[arg(long)]
        rebuild_search_index: bool,
    },
    /// Write a consistent copy of the database to FILE (safe while the app is running)
    Backup {
        /// Where to write the copy
        file: PathBuf,
    },
    /// Show the locale files in use; with --unreviewed, the Tibetan terms awaiting review
    Locales {
        /// Write the Tibetan texts not yet confirmed by anyone as a CSV sheet for a reviewer
        #[arg(long)]
        unreviewed: bool,
        /// With --unreviewed: also the texts that match a public translation
        #[arg(long, requires = "unreviewed")]
        sourced: bool,
        /// Take a filled sheet into the locale override folder, marked reviewed by --operator
        #[arg(long, value_name = "FILE", conflicts_with = "unreviewed")]
        apply: Option<PathBuf>,
    },
    /// Write the day's snapshot: a CSV file per table, a codebook and a manifest, for the county office
    Export {
        /// The snapshot's day [default: today, China Standard Time]
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<chrono::NaiveDate>,
        /// Folder that receives DATE/ [default: `exports` beside the database]
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Also write a workbook (.xlsx): a sheet per table, Chinese headers, labels instead of codes
        #[arg(long)]
        xlsx: bool,
    },
    /// Merge snapshots from other laptops into this database, in one transaction
    Import {
        /// Snapshot folders (each holding a manifest.json)
        #[arg(required = true, value_name = "DIR")]
        dirs: Vec<PathBuf>,
    },
    /// Find persons and households by name (Chinese, Tibetan, pinyin, Wylie), ID number, household number or phone; exits 1 when nothing is found
    Lookup {
        /// What to look for; several words are one query (`zhang san`, `bkra shis`)
        #[arg(required = true, value_name = "QUERY")]
        query: Vec<String>,
        /// One JSON object per line instead of a table
        #[arg(long)]
        json: bool,
        /// At most N rows
        #[arg(long, value_name = "N", default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..))]
        limit: u32,
        /// Show ID numbers, birth dates and phones in full instead of 513333********1234, 1985-**-**, 184****7583
        #[arg(long)]
        show_id: bool,
    },
    /// Print the Tibetan script for Extended Wylie (`bkra shis` is བཀྲ་ཤིས); with no TEXT, convert standard input
    Wylie {
        /// The Wylie text; several words are one text
        #[arg(value_name = "TEXT")]
        text: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum GazetteerCommand {
    /// Add or update villages from a CSV file with the columns
    /// code,township_code,name_zh,name_bo,exit_year (all lines checked; nothing written on any error)
    Import {
        /// The CSV file (UTF-8, with or without BOM)
        file: PathBuf,
    },
}

/// The context for a command line; fails on a broken locale override file.
fn context(cli: &Cli) -> Result<Ctx, LocaleError> {
    let db = cli.db.clone().unwrap_or_else(default_db_path);
    let locales = cli.locales.clone().or_else(|| {
        let beside = db.parent().map(|d| d.join("locales"))?;
        beside.is_dir().then_some(beside)
    });
    let catalog = match locales {
        Some(dir) => Catalog::with_overrides(&dir)?,
        None => Catalog::builtin(),
    };
    Ok(Ctx {
        db,
        // The command line speaks English unless told otherwise: county
        // staff paste its errors into messages to maintainers.
        lang: cli.lang.unwrap_or(Lang::En),
        lang_arg: cli.lang,
        catalog,
        operator: cli.operator.clone(),
        read_only: cli.read_only,
    })
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> ExitCode {
    let ctx = match context(&cli) {
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
        Some(Command::Wylie { text }) => crate::commands::wylie::run(&ctx, &text),
    }
}
