#!/bin/sh
# smoke.sh - make check's look at the benchmark table (no benchmark
# runs: a second or so).  lib.sh's bench_summary and bench_median, then
# tests/bench/table.sh on a summary written here as the benchmarks write
# it: every row of the table is there with its median, unit and runs,
# the headings name what the measures ran on, the first of two window
# sizes counts, nothing passes 80 columns, a missing measure shows "-",
# and a bad call is refused.
set -eu
. "$TEST_SRCDIR/lib.sh"
bench=$TEST_SRCDIR/bench

# ------------------------------------------------------------ lib.sh
(
	BENCH_SUMMARY=$T/lib.tsv
	. "$bench/lib.sh"
	bench_summary store "transfers-4@1000 records" 558.5 txn/s 3
	bench_summary post gl-1 "" entries/s 3
	# the lower middle of an even count; "-" for none
	[ "$(printf '5\n1\n10\n3\n' | bench_median)" = 3 ] || fail "median of 1 3 5 10"
	[ "$(printf '7\n2\n9\n' | bench_median)" = 7 ] || fail "median of 2 7 9"
	[ "$(: | bench_median)" = - ] || fail "median of nothing"
)
printf 'store\ttransfers-4@1000 records\t558.5\ttxn/s\t3\npost\tgl-1\t-\tentries/s\t3\n' >"$T/want.tsv"
cmp -s "$T/lib.tsv" "$T/want.tsv" || {
	cat "$T/lib.tsv" >&2
	fail "bench_summary wrote the wrong lines"
}
# Without BENCH_SUMMARY nothing is written; a wrong call is an error.
mkdir "$T/empty"
(
	unset BENCH_SUMMARY
	cd "$T/empty"
	. "$bench/lib.sh"
	bench_summary a b 1 u 1
)
[ -z "$(ls -A "$T/empty")" ] || fail "bench_summary wrote without BENCH_SUMMARY"
expect_status 70 sh -c 'BENCH_SUMMARY=$1/x.tsv; . "$2/lib.sh"; bench_summary a b 1' sh "$T" "$bench"
expect_text "$T/err" "takes 5 fields"
# The quick sizes are defaults only: what is set stays.
q=$(BENCH_QUICK=1 BENCH_RECORDS=77 sh -c 'unset BENCH_UI_COUNT BENCH_RUNS
	. "$1/lib.sh"; echo "$BENCH_RECORDS $BENCH_UI_COUNT $BENCH_RUNS"' sh "$bench")
[ "$q" = "77 10000 3" ] || fail "BENCH_QUICK: got '$q'"

# ------------------------------------------------------------ the table
tab=$(printf '\t')
sed "s/|/$tab/g" >"$T/summary.tsv" <<'EOF'
# a comment line: skipped
store|load@1000000 records|23815|inserts/s|1
store|transfers-1@1000000 records|354|txn/s|5
store|transfers-4@1000000 records|558|txn/s|5
store|transfers-16@1000000 records|459|txn/s|5
store|reads@1000000 records|597926|reads/s|5
store|scan-primary@1000000 records|282201|records/s|5
store|scan-name@1000000 records|261342|records/s|5
ui|start-menu@80x24, 1000000 parties|151.8|ms|5
ui|page@80x24, 1000000 parties|4.2|ms|5
ui|form@80x24, 1000000 parties|1.3|ms|5
ui|menu@80x24, 1000000 parties|19.9|ms|5
ui|list@80x24, 1000000 parties|8.6|ms|5
ui|mem-menu@80x24, 1000000 parties|1788|KiB|5
ui|mem-paged@80x24, 1000000 parties|1816|KiB|5
ui|page@132x43, 1000000 parties|99.9|ms|5
ui|mem-menu@132x43, 1000000 parties|9999|KiB|5
csv|import@1000000 parties|25000|rows/s|3
csv|export@1000000 parties|147000|rows/s|3
report|text@1000000 parties|45000|rows/s|3
report|csv@1000000 parties|78000|rows/s|3
report|pdf@1000000 parties|3000|rows/s|1
post|gl-1|278.0|entries/s|3
post|gl-4|169.5|entries/s|3
post|gl-16|159.5|entries/s|3
post|invoice-1|155.5|invoices/s|3
post|invoice-4|132.0|invoices/s|3
post|invoice-16|58.0|invoices/s|3
post|gl-8|161.0|entries/s|3
post|invoice-8|97.0|invoices/s|3
post|tb@100000 lines|1.5|ms|1
post|glrep@100000 lines|86000|rows/s|1
post|tb-big@10000000 lines|9.7|ms|1
post|glrep-big@10000000 lines|21000|rows/s|1
start|version|12.3|ms|20
start|report@20 parties|41.0|ms|20
EOF
BENCH_POST= KONTOR= TOP_SRCDIR= BENCH_QUICK= \
	sh "$bench/table.sh" "$T/summary.tsv" >"$T/table" 2>"$T/err" ||
	fail "table.sh failed: $(cat "$T/err")"
[ ! -s "$T/err" ] || fail "table.sh said: $(cat "$T/err")"

# row LABEL MEDIAN UNIT RUNS: the table has that row, spaced as it is.
row() {
	printf '  %-47s %11s %-11s %5s\n' "$1" "$2" "$3" "$4" >"$T/row"
	grep -qxF -f "$T/row" "$T/table" || {
		cat "$T/table" >&2
		fail "no row: $(cat "$T/row")"
	}
}
# Medians from 100 up whole and grouped (169.5 -> 170), below one decimal.
row "3-line entries (gl_post), 1 clerk" 278 entries/s 3
row "3-line entries (gl_post), 4 clerks" 170 entries/s 3
row "3-line entries (gl_post), 16 clerks" 160 entries/s 3
row "customer invoices (draft + post), 1 clerk" 156 invoices/s 3
row "customer invoices (draft + post), 4 clerks" 132 invoices/s 3
row "customer invoices (draft + post), 16 clerks" 58.0 invoices/s 3
row "3-line entries (gl_post), 8 clerks" 161 entries/s 3
row "customer invoices (draft + post), 8 clerks" 97.0 invoices/s 3
row "trial balance (balance table reads)" 1.5 ms 1
row "general-ledger report, all accounts" 86,000 rows/s 1
row "trial balance at the bigger ledger" 9.7 ms 1
row "general ledger, one account-month, bigger" 21,000 rows/s 1
expect_text "$T/table" "Ledger (100,000 lines, then 10,000,000 lines)"
row "durable transfers, 1 process" 354 txn/s 5
row "durable transfers, 4 processes" 558 txn/s 5
row "durable transfers, 16 processes" 459 txn/s 5
row "point reads, 1000 a snapshot" 597,926 reads/s 5
row "cursor scan, primary order" 282,201 records/s 5
row "cursor scan, name index" 261,342 records/s 5
# 80x24 came first: its rows, not 132x43's
row "open the menu (F3 from the party list)" 19.9 ms 5
row "open the party list (Ctrl-G PA)" 8.6 ms 5
row "list page (PgDn)" 4.2 ms 5
row "open a party's form (Enter)" 1.3 ms 5
row "report parties, text" 45,000 rows/s 3
row "report parties, CSV" 78,000 rows/s 3
row "report parties, PDF (one run)" 3,000 rows/s 1
row "import parties, CSV (one transaction)" 25,000 rows/s 3
row "export parties, CSV" 147,000 rows/s 3
row "screens: kontor to the menu drawn" 152 ms 5
row "kontor --version (no database)" 12.3 ms 20
row "kontor report parties (20 rows)" 41.0 ms 20
row "at the menu" 1,788 KiB 5
row "on the party list after PgDn" 1,816 KiB 5
expect_text "$T/table" "Store (1,000,000 records)"
expect_text "$T/table" "Screens (80x24, 1,000,000 parties): key to the screen drawn"
expect_text "$T/table" "Reports (1,000,000 parties) and import (1,000,000 parties)"
expect_text "$T/table" "Memory of an idle clerk, RSS less shared (80x24, 1,000,000 parties)"
# the machine
expect_text "$T/table" "  host      $(uname -n)"
expect_text "$T/table" "  cpu       "
expect_text "$T/table" "  memory    "
expect_text "$T/table" "  software  unknown, unknown"
expect_text "$T/table" "figures, not pass/fail"
if grep -q '99.9\|9,999' "$T/table"; then
	fail "the second window size's figures are in the table"
fi
awk 'length($0) > 80 { print "line " NR " has " length($0) " columns: " $0; bad = 1 }
	END { exit bad }' "$T/table" >&2 || fail "the table is wider than 80 columns"
# Rows are 79 columns: 32 of them (the 32 above) and the column heads.
# A row added to table.sh without a check here fails.
n=$(awk 'length($0) == 79' "$T/table" | wc -l)
[ "$n" -eq 33 ] || fail "$n lines of 79 columns, not 32 rows and the heads"

# A part that did not run: its rows say "-"; a quick run says so.
grep -v '^post' "$T/summary.tsv" >"$T/part.tsv"
BENCH_QUICK=1 sh "$bench/table.sh" "$T/part.tsv" >"$T/table" 2>"$T/err" ||
	fail "table.sh failed on a part: $(cat "$T/err")"
row "3-line entries (gl_post), 1 clerk" - "" -
row "customer invoices (draft + post), 16 clerks" - "" -
row "durable transfers, 16 processes" 459 txn/s 5
expect_text "$T/table" "QUICK RUN"

# Usage.
expect_status 64 sh "$bench/table.sh"
expect_status 64 sh "$bench/table.sh" "$T/no-such-file"
echo "ok: the benchmark table"
