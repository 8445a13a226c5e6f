//! `fieldbook wylie TEXT`: prints the Tibetan for Extended Wylie, for staff
//! pasting Tibetan into other programs and for scripts. With no TEXT it
//! converts standard input, line by line. Needs no database.
//!
//! Anything that is not Extended Wylie is reported (what, where, why) and
//! nothing is printed: exit status 1. Never half-Latin output.

use std::io::{self, Read, Write};
use std::process::ExitCode;

use super::Ctx;
use crate::wylie;

/// At most this many places are reported; the rest are counted.
const MAX_REPORTED: usize = 20;

pub fn run(ctx: &Ctx, text: &[String]) -> ExitCode {
    let input = if text.is_empty() {
        let mut s = String::new();
        if let Err(e) = io::stdin().read_to_string(&mut s) {
            err!("fieldbook: {e}");
            return ExitCode::FAILURE;
        }
        s
    } else {
        text.join(" ")
    };
    let conversion = wylie::to_tibetan(&input);
    if !conversion.problems.is_empty() {
        // Positions counted once through the input, not from its start
        // for each problem (a long line of garbage has many).
        let mut chars_before = 0;
        let mut counted_to = 0;
        for p in conversion.problems.iter().take(MAX_REPORTED) {
            chars_before += input[counted_to..p.input.start].chars().count();
            counted_to = p.input.start;
            let position = chars_before + 1;
            let reason = ctx.t(&format!("wylie.reason.{}", p.reason.code()), &[]);
            err!(
                "fieldbook: {}",
                ctx.t(
                    "wylie.error.unconvertible",
                    &[
                        ("found", &p.found),
                        ("position", &position.to_string()),
                        ("input", input.trim_end_matches(['\n', '\r'])),
                        ("reason", &reason),
                    ]
                )
            );
        }
        let more = conversion.problem_count().saturating_sub(MAX_REPORTED);
        if more > 0 {
            err!(
                "fieldbook: {}",
                ctx.t("wylie.error.more", &[("n", &more.to_string())])
            );
        }
        return ExitCode::FAILURE;
    }
    let mut out = conversion.text;
    if !out.ends_with('\n') {
        out.push('\n');
    }
    let mut stdout = io::stdout().lock();
    // A closed pipe is the reader's choice, not an error.
    let _ = stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush());
    ExitCode::SUCCESS
}
