#!/bin/sh
# Each fuzz harness over its seed corpus, once, through the plain driver
# (built with the program's compiler; `make fuzz` runs libFuzzer on
# them): the CSV importer, the record codec, kontor.conf and the forms.
set -eu
. "$TEST_SRCDIR/lib.sh"
dir=$(dirname "$KTOOL")/../fuzz
for name in csv codec conf form; do
	driver=$dir/fuzz_$name
	[ -x "$driver" ] || fail "no $driver: run through make check"
	[ -d "$TEST_SRCDIR/fuzz/corpus/$name" ] || fail "no corpus/$name"
	"$driver" "$TEST_SRCDIR/fuzz/corpus/$name" >"$T/out" 2>"$T/err" || {
		cat "$T/out" >&2
		tail -n 20 "$T/err" >&2
		fail "fuzz_$name failed on its seed corpus (the input is the last named)"
	}
	cat "$T/out"
	expect_text "$T/out" "fuzz_$name: "
done
