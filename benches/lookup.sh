#!/usr/bin/env bash
# `fieldbook lookup` as a process, start to exit, on the 100,000-household
# demo database: the SSH officer's case. Median per query, 30 runs each.
#
#   benches/lookup.sh [DB]      # default: target/bench/demo-100000.db (made if missing)
#
# Uses hyperfine when installed (apt-get install hyperfine), else a loop.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
BIN=target/release/fieldbook
DB=${1:-target/bench/demo-100000.db}
if [ ! -e "$DB" ]; then
    mkdir -p "$(dirname "$DB")"
    "$BIN" --db "$DB.partial" demo --households 100000
    mv "$DB.partial" "$DB"
fi
QUERIES=("扎西泽仁" "zhaxi" "zs" "bkra shis" "བཀྲ་ཤིས་ཚེ་རིང" "513333198503140113" "0113" "5133331002" "13812345678" "nobody-at-all")
if command -v hyperfine >/dev/null; then
    json=$(mktemp)
    for q in "${QUERIES[@]}"; do
        hyperfine -N -i --warmup 3 --runs 30 --style none --export-json "$json" \
            "$BIN --db $DB --read-only lookup --limit 20 '$q'" >/dev/null 2>&1
        median=$(grep -o '"median": *[0-9.e-]*' "$json" | head -1 | sed 's/.*: *//')
        max=$(grep -o '"max": *[0-9.e-]*' "$json" | head -1 | sed 's/.*: *//')
        awk -v q="$q" -v m="$median" -v x="$max" 'BEGIN { printf "%-22s median %6.1f ms  max %6.1f ms\n", q, m * 1000, x * 1000 }'
    done
    rm -f "$json"
else
    for q in "${QUERIES[@]}"; do
        times=()
        for _ in $(seq 30); do
            s=$(date +%s%N)
            "$BIN" --db "$DB" --read-only lookup --limit 20 "$q" >/dev/null 2>&1 || true
            e=$(date +%s%N)
            times+=($(( (e - s) / 1000 )))
        done
        median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 15p)
        echo "$q: median $((median / 1000)).$(( (median % 1000) / 100 )) ms"
    done
fi
