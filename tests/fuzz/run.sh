#!/bin/sh
# The fuzz harness's seed corpus, once through the plain driver (built
# with the program's compiler; `make fuzz` runs libFuzzer on it).
set -eu
. "$TEST_SRCDIR/lib.sh"
driver=$(dirname "$KTOOL")/../fuzz/fuzz_csv
[ -x "$driver" ] || fail "no $driver: run through make check"
"$driver" "$TEST_SRCDIR/fuzz/corpus/csv" >"$T/out" 2>"$T/err" || {
	cat "$T/out" "$T/err" >&2
	fail "fuzz_csv failed on the seed corpus"
}
cat "$T/out"
expect_text "$T/out" "inputs"
