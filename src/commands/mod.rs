//! One file per subcommand. Each takes the [`crate::cli::Ctx`], does its
//! work through the store, prints in the command line's language, and
//! returns the process exit code.

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
pub mod wylie;
