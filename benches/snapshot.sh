#!/usr/bin/env bash
# Snapshot benchmark: export and merge import on the 100,000-household demo
# database, against the sqlite3 shell exporting the same tables and columns
# to CSV (.mode csv, .once) in the same run. Not part of `cargo test` or CI:
#
#   bash benches/snapshot.sh              # 100,000 households in /tmp/fieldbook-bench
#   HOUSEHOLDS=20000 RUNS=1 bash benches/snapshot.sh
#
# Prints, for each run, the wall time and peak RSS (/usr/bin/time -v) of
# both exports, their ratio, and the import's rows per second.
set -euo pipefail
cd "$(dirname "$0")/.."

HOUSEHOLDS=${HOUSEHOLDS:-100000}
RUNS=${RUNS:-3}
WORK=${WORK:-/tmp/fieldbook-bench}

need() {
    command -v "$1" >/dev/null 2>&1 || {
        echo "installing $2 ..." >&2
        apt-get install -y "$2" >/dev/null
    }
}
need sqlite3 sqlite3
need python3 python3
[ -x /usr/bin/time ] || apt-get install -y time >/dev/null

cargo build --release --quiet
FB=$PWD/target/release/fieldbook
mkdir -p "$WORK"
DB=$WORK/demo-$HOUSEHOLDS.db
export FIELDBOOK_TODAY=2026-06-01
# Only `init` (or the app) makes a database, and a change needs an operator.
if [ ! -f "$DB" ]; then
    "$FB" --db "$DB" init >/dev/null
    "$FB" --db "$DB" --operator bench demo --households "$HOUSEHOLDS"
fi

# Elapsed seconds and peak RSS (MB) of a command, from GNU time.
measure() {
    local log=$WORK/time.log
    /usr/bin/time -v "$@" >/dev/null 2>"$log"
    local elapsed rss cpu
    elapsed=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log" |
        awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2 / 1024}' "$log")
    cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2f", s}' "$log")
    echo "$elapsed $rss $cpu"
}

# The tables and columns of a snapshot, from a first export's files.
OUT=$WORK/fieldbook-out
rm -rf "$OUT"
"$FB" --db "$DB" export --out "$OUT" >/dev/null
SNAP=$OUT/2026-06-01
SQL=$WORK/sqlite3-export.sql
SQ_OUT=$WORK/sqlite3-out
python3 - "$SNAP" "$SQ_OUT" >"$SQL" <<'PY'
import json, os, sys
snap, out = sys.argv[1], sys.argv[2]
m = json.load(open(os.path.join(snap, "manifest.json")))
print(".headers on")
print(".mode csv")
for f in m["files"]:
    if not f.get("table"):
        continue
    with open(os.path.join(snap, f["file"]), encoding="utf-8-sig") as fh:
        header = fh.readline().strip()
    print(f".once {out}/{f['file']}")
    print(f"SELECT {header.replace(',', ', ')} FROM {f['table']};")
PY
ROWS=$(python3 -c "import json,sys; m=json.load(open(sys.argv[1])); print(sum(f['rows'] for f in m['files'] if f.get('table')))" "$SNAP/manifest.json")
echo "database: $DB ($(du -m "$DB" | cut -f1) MB), $ROWS rows in the snapshot tables"
cat "$DB" >/dev/null # warm the page cache for both

for run in $(seq 1 "$RUNS"); do
    rm -rf "$SQ_OUT" && mkdir -p "$SQ_OUT"
    read -r sq_s sq_rss sq_cpu < <(measure sqlite3 -readonly "$DB" ".read $SQL")
    read -r fb_s fb_rss fb_cpu < <(measure "$FB" --db "$DB" export --out "$OUT")
    IMPORT_DB=$WORK/import.db
    rm -f "$IMPORT_DB" "$IMPORT_DB-wal" "$IMPORT_DB-shm"
    "$FB" --db "$IMPORT_DB" init >/dev/null
    read -r im_s im_rss im_cpu < <(measure "$FB" --db "$IMPORT_DB" --operator bench import "$SNAP")
    python3 - "$run" "$sq_s" "$sq_rss" "$sq_cpu" "$fb_s" "$fb_rss" "$fb_cpu" \
        "$im_s" "$im_rss" "$im_cpu" "$ROWS" <<'PY'
import sys
run, sq, sq_rss, sq_cpu, fb, fb_rss, fb_cpu, im, im_rss, im_cpu, rows = sys.argv[1:]
sq, fb, im, rows = float(sq), float(fb), float(im), int(rows)
print(f"run {run}: sqlite3 export {sq:.2f} s (cpu {sq_cpu} s, {sq_rss} MB) | "
      f"fieldbook export {fb:.2f} s (cpu {fb_cpu} s, {fb_rss} MB), ratio {fb / sq:.2f} | "
      f"import into an empty database {im:.2f} s (cpu {im_cpu} s, {im_rss} MB), "
      f"{rows / im:,.0f} rows/s")
PY
done
