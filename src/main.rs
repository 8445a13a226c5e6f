use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    fieldbook::cli::run(fieldbook::cli::Cli::parse())
}
