#!/usr/bin/env bash
# Checks the test suite's order: every Catch2 test case carries a CTest label ([unit], [property],
# [convergence] or [regression]; a case with none never runs in CI), and each case sits in the
# tests/ folder named by its label. Reads the binary's test list only; runs no test.
# Usage: check_labels.sh LANTIAN_TESTS_BINARY
set -u
bin=$1
labels=(unit property convergence regression)

# Cases whose file sits in another label's folder, to move when their file is next touched (then
# drop the line here). Format: "label|test case name". None today.
known_misplaced=()

status=0
# Catch2 v2: "--list-test-names-only --verbosity high" prints "NAME<TAB>@FILE:LINE" per case.
list() { "$bin" "$1" --list-test-names-only --verbosity high; }

none=""
for l in "${labels[@]}"; do none+="~[$l]"; done
unlabelled=$(list "$none")
if [[ -n $unlabelled ]]; then
    while IFS=$'\t' read -r name where; do
        echo "check_labels: '$name' (${where#@}) has none of [unit] [property] [convergence] [regression], so no CTest label runs it"
    done <<< "$unlabelled"
    status=1
fi

total=$("$bin" --list-test-names-only | grep -c .)
for l in "${labels[@]}"; do
    while IFS=$'\t' read -r name where; do
        [[ -z $name ]] && continue
        folder=$(sed -E 's#.*/tests/([^/]+)/[^/]+:[0-9]+$#\1#' <<< "$where")
        [[ $folder == "$l" ]] && continue
        known=0
        for k in "${known_misplaced[@]}"; do [[ $k == "$l|$name" ]] && known=1; done
        if (( known == 0 )); then
            echo "check_labels: '$name' (${where#@}) is labelled [$l] but lives in tests/$folder/; move it to tests/$l/ or relabel it"
            status=1
        fi
    done <<< "$(list "[$l]")"
done

if (( status == 0 )); then echo "check_labels: all $total test cases carry a label and sit in its folder (${#known_misplaced[@]} known exceptions)"; fi
exit $status
