#!/usr/bin/env bash
# `fieldbook demo --households N` into a new database, then `fieldbook check`
# on it: wall and CPU time and peak RSS of each (GNU time), and the size of
# the database, once per run. Not part of `cargo test` or CI:
#
#   RUNS=3 nice bash benches/demo.sh               # 100,000 households
#   HOUSEHOLDS=20000 RUNS=1 bash benches/demo.sh
#
# The machine is shared: give the range over the runs, not one of them.
set -euo pipefail
cd "$(dirname "$0")/.."

HOUSEHOLDS=${HOUSEHOLDS:-100000}
RUNS=${RUNS:-3}
WORK=${WORK:-/tmp/fieldbook-bench}

[ -x /usr/bin/time ] || apt-get install -y time >/dev/null
cargo build --release --quiet
FB=$PWD/target/release/fieldbook
mkdir -p "$WORK"
DB=$WORK/demo-timed.db

# "wall cpu rss" of a command: seconds, seconds (user + system), MB.
measure() {
    local log=$WORK/time.log
    /usr/bin/time -v "$@" >"$WORK/out.log" 2>"$log" || {
        cat "$WORK/out.log" "$log" >&2
        echo "failed: $*" >&2
        exit 1
    }
    awk -F': ' '
        /Elapsed \(wall clock\)/ { n = split($2, t, ":"); wall = (n == 3) ? t[1] * 3600 + t[2] * 60 + t[3] : t[1] * 60 + t[2] }
        /User time|System time/ { cpu += $2 }
        /Maximum resident set size/ { rss = $2 / 1024 }
        END { printf "%.1f %.1f %.0f\n", wall, cpu, rss }' "$log"
}

echo "fieldbook demo --households $HOUSEHOLDS, then fieldbook check, $RUNS runs ($(nproc) cores)"
for run in $(seq 1 "$RUNS"); do
    rm -f "$DB" "$DB-wal" "$DB-shm"
    # Only `init` (or the app) makes a database, and a change needs an operator.
    "$FB" --db "$DB" init >/dev/null
    read -r d_wall d_cpu d_rss < <(measure "$FB" --db "$DB" --operator bench demo --households "$HOUSEHOLDS")
    [ "$run" = 1 ] && sed 's/^/  /' "$WORK/out.log"
    size=$(du -m "$DB" | cut -f1)
    read -r c_wall c_cpu c_rss < <(measure "$FB" --db "$DB" --read-only check)
    echo "run $run: demo ${d_wall} s (cpu ${d_cpu} s, peak RSS ${d_rss} MB, database ${size} MB) | check ${c_wall} s (cpu ${c_cpu} s, peak RSS ${c_rss} MB)"
done
rm -f "$DB" "$DB-wal" "$DB-shm"
