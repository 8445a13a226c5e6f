//! fieldbook: field data entry for Sêrtar County's employment programmes.
//!
//! The library holds everything; the binary (`src/main.rs`) only parses the
//! command line and hands off. Layers, from the bottom:
//! - [`domain`]: plain types and rules (ID numbers, phones, dates, money). No SQL, no terminal.
//! - [`store`]: the SQLite database. The only module that writes SQL.
//! - [`i18n`]: every user-facing string, from `locales/`.
//! - [`cli`] and [`commands`]: the command line.

pub mod cli;
pub mod clock;
pub mod commands;
pub mod demo;
pub mod domain;
pub mod files;
pub mod forms;
pub mod i18n;
pub mod search;
pub mod snapshot;
pub mod store;
pub mod text;
pub mod tui;
pub mod wylie;
