//! `--help` in the user's language: the command line's clap command with
//! every text a person reads in it (what each command and option is for,
//! and the headings) taken from the locales. Only clap's own notes
//! (`[default: 20]`, `[env: FIELDBOOK_DB=]`) and its error messages stay
//! as clap writes them.
//!
//! Keys: `cli.help.about` (the program), `cli.help.cmd.PATH.about` (a
//! command: `lookup`, `gazetteer.import`), `cli.help.cmd.PATH.ID` (one of
//! its arguments, by clap id: `lookup.show_id`), `cli.help.arg.ID` (the
//! global options and `--help`, `--version`), and the headings
//! `cli.help.usage`, `cli.help.commands`, `cli.help.arguments`,
//! `cli.help.options`.

use clap::{Arg, Command, CommandFactory};

use super::Cli;
use crate::i18n::{Catalog, Lang};

/// The command line's clap command, every help text in `lang`.
pub fn command(catalog: &Catalog, lang: Lang) -> Command {
    let mut cmd = Cli::command();
    // Built first, so that the options clap adds itself (`--help`,
    // `--version`, the `help` command) and the global options copied into
    // each command are there to be given their texts.
    cmd.build();
    let text = |key: &str| crate::text::clean_lines(&catalog.text(lang, key)).into_owned();
    localize(&mut cmd, &text, &[]);
    cmd
}

/// Every locale key the help uses (for the test that each has its texts).
pub fn keys() -> Vec<String> {
    let mut cmd = Cli::command();
    cmd.build();
    let mut out = Vec::new();
    collect(&cmd, &[], &mut out);
    for heading in HEADINGS {
        out.push(heading.to_owned());
    }
    out.sort();
    out.dedup();
    out
}

const HEADINGS: [&str; 4] = [
    "cli.help.usage",
    "cli.help.commands",
    "cli.help.arguments",
    "cli.help.options",
];

fn collect(cmd: &Command, path: &[String], out: &mut Vec<String>) {
    out.push(about_key(path));
    out.extend(cmd.get_arguments().map(|a| arg_key(path, a)));
    for sub in cmd.get_subcommands() {
        collect(sub, &child(path, sub), out);
    }
}

fn child(path: &[String], sub: &Command) -> Vec<String> {
    let mut p = path.to_vec();
    p.push(sub.get_name().to_owned());
    p
}

/// The path whose texts a command takes: clap's `help` command is the
/// same everywhere, and the copies of the commands under it (for shell
/// completion) read as the commands themselves.
fn key_path(path: &[String]) -> Vec<&str> {
    if path.last().is_some_and(|n| n == "help") {
        return vec!["help"];
    }
    path.iter()
        .map(String::as_str)
        .filter(|n| *n != "help")
        .collect()
}

fn about_key(path: &[String]) -> String {
    let p = key_path(path);
    if p.is_empty() {
        "cli.help.about".to_owned()
    } else {
        format!("cli.help.cmd.{}.about", p.join("."))
    }
}

fn arg_key(path: &[String], arg: &Arg) -> String {
    let id = arg.get_id().as_str();
    let p = key_path(path);
    if p.is_empty() || arg.is_global_set() || id == "help" || id == "version" {
        format!("cli.help.arg.{id}")
    } else {
        format!("cli.help.cmd.{}.{id}", p.join("."))
    }
}

fn localize(cmd: &mut Command, text: &impl Fn(&str) -> String, path: &[String]) {
    let about = text(&about_key(path));
    let template = template(cmd, text);
    let taken = std::mem::take(cmd);
    *cmd = taken
        .about(about)
        .long_about(None)
        .help_template(template)
        .mut_args(|a| {
            let help = text(&arg_key(path, &a));
            a.help(help).long_help(None)
        });
    for sub in cmd.get_subcommands_mut() {
        let p = child(path, sub);
        localize(sub, text, &p);
    }
}

/// clap's own layout, with the headings from the locales (clap would
/// write them in English, each with an ASCII colon).
fn template(cmd: &Command, text: &impl Fn(&str) -> String) -> String {
    let mut out = format!(
        "{{before-help}}{{about-with-newline}}\n{} {{usage}}",
        text("cli.help.usage")
    );
    let mut sections = Vec::new();
    if cmd.get_subcommands().any(|s| !s.is_hide_set()) {
        sections.push(format!("{}\n{{subcommands}}", text("cli.help.commands")));
    }
    let visible = |positional: bool| {
        cmd.get_arguments()
            .any(|a| a.is_positional() == positional && !a.is_hide_set())
    };
    if visible(true) {
        sections.push(format!("{}\n{{positionals}}", text("cli.help.arguments")));
    }
    if visible(false) {
        sections.push(format!("{}\n{{options}}", text("cli.help.options")));
    }
    if !sections.is_empty() {
        out.push_str("\n\n");
        out.push_str(&sections.join("\n\n"));
    }
    out.push_str("{after-help}");
    out
}
