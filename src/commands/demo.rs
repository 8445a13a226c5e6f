//! `fieldbook demo --households N [--seed S]`: deterministic synthetic data.

use std::process::ExitCode;
use std::time::Instant;

use super::Ctx;

pub fn run(ctx: &Ctx, households: u32, seed: u64) -> ExitCode {
    let started = Instant::now();
    let result = ctx
        .open()
        .and_then(|mut store| crate::demo::generate(&mut store, households, seed));
    match result {
        Ok(sum) => {
            let n = |v: u64| v.to_string();
            out!(
                "{}",
                ctx.t(
                    "cli.demo.done",
                    &[
                        ("households", &n(sum.households)),
                        ("persons", &n(sum.persons)),
                        ("villages", &n(sum.villages)),
                        ("visits", &n(sum.visits)),
                        ("sessions", &n(sum.sessions)),
                        ("enrolments", &n(sum.enrolments)),
                        ("posts", &n(sum.posts)),
                        ("assignments", &n(sum.assignments)),
                        (
                            "seconds",
                            &format!("{:.1}", started.elapsed().as_secs_f64())
                        ),
                    ]
                )
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            ctx.report(&e);
            ExitCode::FAILURE
        }
    }
}
