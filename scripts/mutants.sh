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
# cargo-mutants writes, default target/mutants-out), ITERATE=1 (try again
# only the mutants the last run in OUT did not catch: after adding tests),
# SUMMARY_ONLY=1 (print the figures of the last run in OUT, run nothing),
# MUTANTS_TARGET (cargo's target directory for the mutants, default
# target/mutants-build).
#
# Prints per file: mutants, caught, missed, unviable, timeouts, and the
# missed ones; a missed mutant listed in MUTANTS.md as equivalent (it
# cannot change what the program does) is counted apart. Exits 1 if any missed
# mutant is not listed there.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v cargo-mutants >/dev/null || cargo install --locked cargo-mutants

# FILE -> "test binaries|filter" and, after a `;`, arguments for the test
# binaries (to skip a slow test that never reaches the file: `--skip name`).
# The filter is a regex and may hold `|` itself.
plan() {
    case "$1" in
    src/domain/rules.rs) echo "domain_rules records_trusted|" ;;
    src/domain/id_number.rs) echo "domain_rules records_trusted|" ;;
    src/domain/phone.rs) echo "lib domain_rules|" ;;
    src/store/households.rs) echo "store records_trusted|one_head|save_roster|save_household|household_by_number|find_by_id_number" ;;
    src/store/visits.rs) echo "store records_trusted|" ;;
    src/forms/household.rs) echo "forms_rules households records_trusted two_clerks|" ;;
    src/forms/mod.rs) echo "forms_rules households records_trusted two_clerks|" ;;
    src/forms/visit.rs) echo "forms_rules households records_trusted two_clerks|" ;;
    # The codebook test (17 s) writes labels and never merges a row.
    src/store/sync.rs) echo "snapshot_merge|Upsert|merge_row|merge_batch|row_exists|missing_parent|unique_holder|duplicate_id_numbers;--skip the_codebook_labels" ;;
    src/snapshot/import.rs) echo "snapshot_merge|in Merge<;--skip the_codebook_labels" ;;
    src/snapshot/files.rs) echo "lib snapshot_merge|neutralise|formula|unneutralise|restore" ;;
    src/store/mod.rs) echo "store lookup|read_only|apply_pragmas|fn guard|writable" ;;
    src/search/keys.rs) echo "lib search|" ;;
    src/store/search.rs) echo "search store|fold|pending" ;;
    # The report's tallies and the figures read from them (the reference
    # test compares every township's counts with whole-table queries).
    src/store/tally.rs) echo "lib reports report_reference store_migrations|" ;;
    src/store/report.rs) echo "reports report_reference|report_data|add_work|first_report_year|fn report\\b|fn add\\b" ;;
    *) echo "|" ;;
    esac
}

# Equivalent mutants are listed in MUTANTS.md, one a line with its reason:
#   - `src/domain/x.rs:12:5: replace a with b in f`: why it changes nothing
equivalents() { sed -n 's/^- `\(src\/[^`]*\)`.*/\1/p' MUTANTS.md 2>/dev/null; }
# A mutant's name without its line and column, which move as the file changes.
strip_pos() { sed -E 's/^([^:]+):[0-9]+:[0-9]+: /\1: /'; }

status=0
for file in "$@"; do
    [ -f "$file" ] || { echo "$file: no such file" >&2; exit 2; }
    entry=$(plan "$file")
    plan_args=
    [[ $entry == *";"* ]] && plan_args=${entry#*;} entry=${entry%%;*}
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
    # The `mutants` profile (Cargo.toml) builds without debug info. The
    # source is copied without target/ (a copied target/ gets new file times,
    # and cargo then rebuilds every dependency); one target directory kept
    # for these runs means the dependencies are built once, ever.
    cmd=(cargo mutants --file "$file" --test-tool=cargo --profile=mutants --copy-target=false
        --timeout "${TIMEOUT:-180}" --output "$out" --no-shuffle --jobs 1 "${args[@]}")
    [ "${ITERATE:-}" = 1 ] && cmd+=(--iterate)
    [ -n "$filter" ] && cmd+=(--re "$filter")
    # shellcheck disable=SC2206 # words on purpose: `--skip name`
    [ -n "$plan_args" ] && cmd+=(-- -- $plan_args)
    if [ "${SUMMARY_ONLY:-}" != 1 ]; then
        echo "== ${cmd[*]}"
        rc=0
        CARGO_TARGET_DIR=${MUTANTS_TARGET:-$PWD/target/mutants-build} nice -n 15 "${cmd[@]}" || rc=$?
        # 0: all caught, 2: some missed, 3: some timed out; anything else is a failure to run.
        case $rc in 0 | 2 | 3) ;; *) echo "$file: cargo mutants failed ($rc)" >&2; exit "$rc" ;; esac
    fi
    dir=$out/mutants.out
    count() { local n; n=$(grep -sc . "$dir/$1.txt" || true); echo "${n:-0}"; }
    caught=$(count caught) missed=$(count missed) unviable=$(count unviable) timeout=$(count timeout)
    total=$((caught + missed + unviable + timeout))
    listed=0 unlisted=()
    if [ "$missed" -gt 0 ]; then
        while IFS= read -r m; do
            if equivalents | strip_pos | grep -qxF "$(echo "$m" | strip_pos)"; then
                listed=$((listed + 1))
            else
                unlisted+=("$m")
            fi
        done <"$dir/missed.txt"
    fi
    # After ITERATE=1, the mutants caught or unviable in the runs before.
    before=$(count previously_caught)
    [ "$before" -gt 0 ] && echo "$file: $before mutants caught or unviable in earlier runs, not tried again"
    echo "$file: $total mutants, $caught caught, $missed missed ($listed listed as equivalent), $unviable unviable, $timeout timeouts"
    for m in "${unlisted[@]}"; do echo "  missed: $m"; done
    [ ${#unlisted[@]} -eq 0 ] || status=1
done
exit $status
