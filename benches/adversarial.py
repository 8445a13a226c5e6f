#!/usr/bin/env python3
"""The adversarial runs behind the README's figures, kept so they can be
repeated (not part of `cargo test`: they take minutes).

  python3 benches/adversarial.py [--rounds 40] [--seconds 60] [--households 2000]

1. kill -9 rounds: a merge import of a snapshot into a new database is
   killed at a random moment; after each, `fieldbook check` must pass and
   the database must hold all of the snapshot or none of it.
2. a writer against lookups: one process writes (transactions of 500
   phone updates, back to back) while three loops run `fieldbook
   --read-only lookup`; every lookup must succeed, and its latency (process
   start to exit) is reported as median, 99th percentile and maximum.

Uses the release binary (`cargo build --release` first).
"""

import argparse
import os
import random
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "fieldbook")


def fb(db, *args, check=True, **kw):
    env = dict(os.environ, FIELDBOOK_TODAY="2026-06-01")
    r = subprocess.run([BIN, "--db", db, *args], capture_output=True, text=True, env=env, **kw)
    if check and r.returncode != 0:
        sys.exit(f"fieldbook {' '.join(args)} failed: {r.stderr}")
    return r


def households(db):
    c = sqlite3.connect(db)
    try:
        return c.execute("SELECT count(*) FROM household").fetchone()[0]
    finally:
        c.close()


def kill_rounds(work, rounds, n):
    src = os.path.join(work, "source.db")
    fb(src, "init")
    fb(src, "demo", "--households", str(n))
    fb(src, "export", "--out", os.path.join(work, "out"))
    snap = os.path.join(work, "out", "2026-06-01")
    # How long a whole import takes, to spread the kills over it.
    probe = os.path.join(work, "probe.db")
    fb(probe, "init")
    t0 = time.monotonic()
    fb(probe, "import", snap)
    whole = time.monotonic() - t0
    full = households(probe)
    outcomes = {"none": 0, "all": 0, "partial": 0, "check_failed": 0}
    for i in range(rounds):
        db = os.path.join(work, f"k{i}.db")
        fb(db, "init")
        env = dict(os.environ, FIELDBOOK_TODAY="2026-06-01")
        p = subprocess.Popen([BIN, "--db", db, "import", snap], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, env=env)
        time.sleep(random.uniform(0, whole * 1.2))
        p.send_signal(signal.SIGKILL)
        p.wait()
        if fb(db, "check", check=False).returncode != 0:
            outcomes["check_failed"] += 1
            continue
        h = households(db)
        outcomes["none" if h == 0 else "all" if h == full else "partial"] += 1
        for suffix in ("", "-wal", "-shm", "-journal"):
            try:
                os.remove(db + suffix)
            except FileNotFoundError:
                pass
    return whole, outcomes


def writer_against_lookups(work, seconds, n):
    db = os.path.join(work, "busy.db")
    fb(db, "init")
    fb(db, "demo", "--households", str(n))
    c = sqlite3.connect(db)
    queries = [r[0] for r in c.execute(
        "SELECT name_zh FROM person WHERE name_zh <> '' ORDER BY random() LIMIT 50")]
    queries += [r[0][-4:] for r in c.execute(
        "SELECT id_number FROM person WHERE id_number <> '' ORDER BY random() LIMIT 20")]
    c.close()
    stop = time.monotonic() + seconds
    writes = [0]

    def writer():
        w = sqlite3.connect(db, timeout=10, isolation_level=None)
        w.execute("PRAGMA journal_mode=WAL")
        while time.monotonic() < stop:
            w.execute("BEGIN IMMEDIATE")
            w.execute("UPDATE person SET phone = phone WHERE rowid IN "
                      "(SELECT rowid FROM person ORDER BY random() LIMIT 500)")
            w.execute("COMMIT")
            writes[0] += 1
        w.close()

    times, failures = [], []
    lock = threading.Lock()

    def looker():
        while time.monotonic() < stop:
            q = random.choice(queries)
            t0 = time.monotonic()
            r = fb(db, "--read-only", "lookup", q, check=False)
            dt = time.monotonic() - t0
            with lock:
                if r.returncode == 0:
                    times.append(dt)
                else:
                    failures.append(r.stderr.strip())

    threads = [threading.Thread(target=writer)] + [threading.Thread(target=looker) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return writes[0], times, failures


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=40)
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--households", type=int, default=2000)
    a = ap.parse_args()
    if not os.path.exists(BIN):
        sys.exit("build the release binary first: cargo build --release")
    work = tempfile.mkdtemp(prefix="fieldbook-adversarial-")
    try:
        whole, outcomes = kill_rounds(work, a.rounds, a.households)
        print(f"kill -9 rounds: {a.rounds} imports of {a.households} households "
              f"(a whole import takes {whole:.2f} s) killed at random moments:")
        print(f"  after each, check passed: {a.rounds - outcomes['check_failed']} of {a.rounds}; "
              f"nothing imported: {outcomes['none']}, all imported: {outcomes['all']}, "
              f"part imported: {outcomes['partial']}")
        writes, times, failures = writer_against_lookups(work, a.seconds, a.households)
        times.sort()
        p99 = times[min(len(times) - 1, int(len(times) * 0.99))] if times else float("nan")
        print(f"writer against 3 lookup loops for {a.seconds} s: {writes} write transactions, "
              f"{len(times)} lookups succeeded, {len(failures)} failed")
        if times:
            print(f"  lookup latency (process start to exit): median {statistics.median(times)*1000:.1f} ms, "
                  f"p99 {p99*1000:.1f} ms, max {times[-1]*1000:.1f} ms")
        for f in failures[:5]:
            print(f"  failed: {f}")
        ok = outcomes["check_failed"] == 0 and outcomes["partial"] == 0 and not failures
        sys.exit(0 if ok else 1)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
