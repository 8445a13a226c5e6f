#!/usr/bin/env bash
# `fieldbook lookup` as a process, start to exit, on the 100,000-household
# demo database: the SSH officer's case. Not part of `cargo test` or CI:
#
#   nice bash benches/lookup.sh [DB]   # default: target/bench/demo-100000.db (made if missing)
#   RUNS=30 ...                        # timed runs per query (default 30)
#
# The queries are of every kind a lookup reads. The names are common in the
# demo data; the numbers (ID number, household number, phone) are taken from
# the database, so each finds someone. Before timing, each query is run once
# and must exit as expected: 0 with rows found, or 1 for the one query meant
# to find nothing, which is timed apart and labelled so. The rows each finds
# (at most --limit 20) are printed with its times.
#
# Timed with hyperfine (installed if missing); a run that exits otherwise
# than expected stops the benchmark instead of being timed.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-30}
cargo build --release --quiet
BIN=$PWD/target/release/fieldbook
DB=${1:-target/bench/demo-100000.db}
if [ ! -e "$DB" ]; then
    mkdir -p "$(dirname "$DB")"
    "$BIN" --db "$DB.partial" demo --households 100000
    mv "$DB.partial" "$DB"
fi
command -v hyperfine >/dev/null || apt-get install -y hyperfine >/dev/null

# kind <TAB> query <TAB> expected exit status
QUERIES=$(python3 - "$DB" <<'PY'
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
one = lambda sql: db.execute(sql).fetchone()[0]
# One person with an ID number and a phone of their own, and their household.
id_number, phone, household = db.execute(
    "SELECT p.id_number, p.phone, h.number FROM person p JOIN household h ON h.id = p.household_id"
    " WHERE p.deleted_at IS NULL AND p.id_number <> '' AND p.phone <> '' ORDER BY p.rowid LIMIT 1"
).fetchone()
for kind, query, status in [
    ("Chinese name", "扎西多吉", 0),
    ("pinyin", "zhaxi", 0),
    ("pinyin initials", "zxdj", 0),
    ("Wylie", "bkra shis", 0),
    ("Tibetan", "བཀྲ་ཤིས་རྡོ་རྗེ", 0),
    ("ID number, whole", id_number, 0),
    ("ID number, last 4", id_number[-4:], 0),
    ("household number", household, 0),
    ("phone", phone, 0),
    ("no match", "nobody-at-all", 1),
]:
    print(f"{kind}\t{query}\t{status}")
PY
)

echo "fieldbook lookup --read-only --limit 20, $RUNS runs per query after 3 untimed, $DB"
while IFS=$'\t' read -r kind q status; do
    set +e
    out=$("$BIN" --db "$DB" --read-only lookup --limit 20 "$q" 2>/dev/null)
    got=$?
    set -e
    if [ "$got" != "$status" ]; then
        echo "$kind '$q': exit $got, expected $status: not timed" >&2
        exit 1
    fi
    rows=$(printf '%s\n' "$out" | sed '1d' | grep -c . || true)
    json=$(mktemp)
    # -i only where exit 1 is the expected answer (nothing found).
    ignore=()
    [ "$status" = 0 ] || ignore=(-i)
    hyperfine -N "${ignore[@]}" --warmup 3 --runs "$RUNS" --style none --export-json "$json" \
        "$BIN --db $DB --read-only lookup --limit 20 '$q'" >/dev/null
    python3 - "$json" "$kind" "$q" "$rows" "$status" <<'PY'
import json, sys
path, kind, q, rows, status = sys.argv[1:]
r = json.load(open(path))["results"][0]
note = " (exit 1, as expected)" if status == "1" else ""
print(f"{kind:<18} {q!r:<24} {int(rows):>2} rows{note:<22} median {r['median'] * 1000:5.1f} ms"
      f"  min {r['min'] * 1000:5.1f} ms  max {r['max'] * 1000:5.1f} ms")
PY
    rm -f "$json"
done <<<"$QUERIES"
