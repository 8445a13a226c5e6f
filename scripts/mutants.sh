#!/usr/bin/env bash
# Mutation testing as a habit: break one source file a mutant at a time
# (cargo-mutants) and see whether the tests that exercise it notice.
#
#   scripts/mutants.sh FILE...          e.g. scripts/mutants.sh src/domain/rules.rs
#
# Each FILE is mutated alone and only its own test binaries are run (the
# table below; TESTS="name ..." runs others, `lib` meaning the unit tests).
# A file whose table entry has a filter is mutated only in the functions it
# names (cargo-mutants --re), so a big file costs what its rules are worth.
# About 15 s a mutant on 2 cores: not in CI. Run it under `nice`.
#
# Environment: TESTS (test binaries), FILTER (a --re regex, instead of the
# table's), TIMEOUT (seconds a test run may take, default 180), OUT (where
# cargo-mutants writes, default target/mutants-out).
#
# Prints per file: mutants, caught, missed, unviable, timeouts, and the
# missed ones; a missed mutant listed in mutants/equivalent.txt (it cannot
# change what the program does) is counted apart. Exits 1 if any missed
# mutant is not listed there.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v cargo-mutants >/dev/null || cargo install --locked cargo-mutants

# FILE -> "test binaries|filter"
plan() {
    case "$1" in
    src/domain/rules.rs) echo "domain_rules records_trusted|" ;;
    src/forms/household.rs) echo "households records_trusted two_clerks|" ;;
    src/forms/mod.rs) echo "households records_trusted two_clerks|" ;;
    src/forms/visit.rs) echo "households records_trusted two_clerks|" ;;
    src/store/sync.rs) echo "snapshot_merge|" ;;
    src/snapshot/import.rs) echo "snapshot_merge|merge_one|newer|wins|conflict" ;;
    src/snapshot/files.rs) echo "lib snapshot_merge|neutralise|formula|unneutralise|restore" ;;
    src/store/mod.rs) echo "store lookup|read_only|apply_pragmas|fn guard|writable" ;;
    src/search/keys.rs) echo "lib search|" ;;
    src/store/search.rs) echo "search store|fold|pending" ;;
    *) echo "|" ;;
    esac
}

equivalents=mutants/equivalent.txt
# A mutant's name without its line and column, which move as the file changes.
strip_pos() { sed -E 's/^([^:]+):[0-9]+:[0-9]+: /\1: /'; }

status=0
for file in "$@"; do
    [ -f "$file" ] || { echo "$file: no such file" >&2; exit 2; }
    entry=$(plan "$file")
    tests=${TESTS:-${entry%%|*}}
    filter=${FILTER-${entry#*|}}
    if [ -z "$tests" ]; then
        echo "$file: no test binaries listed in scripts/mutants.sh; set TESTS" >&2
        exit 2
    fi
    # Passed to every cargo command, the build of each mutant as well as
    # the test run, so only these test binaries are built.
    args=()
    for t in $tests; do
        if [ "$t" = lib ]; then args+=(--cargo-arg=--lib); else args+=(--cargo-arg="--test=$t"); fi
    done
    out=${OUT:-target/mutants-out}/$(echo "$file" | tr / _)
    mkdir -p "$out"
    # The `mutants` profile (Cargo.toml) builds without debug info; the
    # copy of target/ saves building the dependencies again.
    cmd=(cargo mutants --file "$file" --test-tool=cargo --profile=mutants --copy-target=true
        --timeout "${TIMEOUT:-180}" --output "$out" --no-shuffle "${args[@]}")
    [ -n "$filter" ] && cmd+=(--re "$filter")
    echo "== ${cmd[*]}"
    rc=0
    nice -n 15 "${cmd[@]}" || rc=$?
    # 0: all caught, 2: some missed, 3: some timed out; anything else is a failure to run.
    case $rc in 0 | 2 | 3) ;; *) echo "$file: cargo mutants failed ($rc)" >&2; exit "$rc" ;; esac
    dir=$out/mutants.out
    count() { local n; n=$(grep -sc . "$dir/$1.txt" || true); echo "${n:-0}"; }
    caught=$(count caught) missed=$(count missed) unviable=$(count unviable) timeout=$(count timeout)
    total=$((caught + missed + unviable + timeout))
    listed=0 unlisted=()
    if [ "$missed" -gt 0 ]; then
        while IFS= read -r m; do
            if [ -f "$equivalents" ] && grep -vE '^(#|\s|$)' "$equivalents" | strip_pos | grep -qxF "$(echo "$m" | strip_pos)"; then
                listed=$((listed + 1))
            else
                unlisted+=("$m")
            fi
        done <"$dir/missed.txt"
    fi
    echo "$file: $total mutants, $caught caught, $missed missed ($listed listed as equivalent), $unviable unviable, $timeout timeouts"
    for m in "${unlisted[@]}"; do echo "  missed: $m"; done
    [ ${#unlisted[@]} -eq 0 ] || status=1
done
exit $status
