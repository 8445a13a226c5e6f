//! `fieldbook wylie` on a long line holds about the line and its Tibetan,
//! not a hundred times the line (a 10 MB line once took 1 GB). Alone in
//! its own test binary: it reads the peak memory of its children. The
//! lines are 2 MB here (the debug build converts about 0.3 MB a second);
//! the README gives the release build's figures for 10 MB.

use std::io::Write;
use std::process::{Command, Stdio};

/// The largest peak resident memory of any child this process waited for, in KiB.
fn children_peak_kib() -> i64 {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage writes into the struct given; RUSAGE_CHILDREN is valid.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    assert_eq!(rc, 0);
    usage.ru_maxrss
}

fn convert(line: &str) -> (bool, usize, usize) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fieldbook"))
        .arg("wylie")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = line.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    (out.status.success(), out.stdout.len(), out.stderr.len())
}

#[test]
fn a_long_line_converts_in_memory_near_its_own_size() {
    const MB: usize = 2 * 1024 * 1024;
    let line = "bkra shis bde legs ".repeat(MB / 19) + "\n";
    let (ok, out, _) = convert(&line);
    assert!(ok);
    assert!(out > line.len(), "Tibetan takes more bytes than Wylie");
    // The input (2 MB), the output (about 6 MB) and the program (some 20).
    let peak_mib = children_peak_kib() / 1024;
    assert!(peak_mib < 40, "peak {peak_mib} MiB for a 2 MB line");

    // A line of garbage: a short report, not the line once per problem.
    let garbage = "qqq ".repeat(MB / 4) + "\n";
    let (ok, out, err) = convert(&garbage);
    assert!(!ok);
    assert_eq!(out, 0, "nothing printed");
    assert!(err < 20_000, "{err} bytes of report");
    let peak_mib = children_peak_kib() / 1024;
    assert!(
        peak_mib < 40,
        "peak {peak_mib} MiB for a 2 MB line of garbage"
    );
}
