#!/bin/sh
# post.sh - the posting benchmark ('make bench-post', part of 'make
# bench').  Prints figures; fails only when something does not work.
#
# A company with the Chinese chart and fiscal year 2026, BENCH_CUSTOMERS
# customers, its daemon running, then:
#   1. durable 3-line sales entries (gl_post: receivable, revenue, VAT;
#      one transaction each, source ar, gap-free numbers from one series)
#      by 1, 4 and 16 clerk processes for BENCH_SECONDS, BENCH_RUNS times
#      each: the median entries per second.  Every entry takes the same
#      counter row and updates the same receivable/VAT balance rows of
#      its month, so this is the hot-row case of DESIGN.md.
#   2. customer invoices the clerk's way, by 1, 4 and 16 processes, the
#      same way (measured before 1, and checked with kontor ar verify): a draft of 3 lines saved (ent_save), then posted
#      (sl_doc_post): two durable transactions an invoice, the second
#      writing the invoice, its open item, the customer's balance and
#      the journal entry.  The median invoices per second.
#   3. the trial balance's reads (every postable account over 2026) after
#      BENCH_LINES (100000) posted lines, then again after
#      BENCH_LINES_BIG (10000000; loaded 500 entries per transaction:
#      about an hour on a 2-core machine; set it lower to try): it reads
#      the balance table, so it should not grow with the lines.
# Environment: BENCH_POST, KONTOR (set by make), BENCH_SECONDS (5),
# BENCH_RUNS (3), BENCH_CUSTOMERS (1000), BENCH_LINES, BENCH_LINES_BIG,
# TMPDIR; BENCH_SUMMARY and BENCH_QUICK as in lib.sh.
set -eu
. "$(dirname "$0")/lib.sh"
: "${BENCH_POST:?set BENCH_POST to the bench_post program}"
: "${KONTOR:?set KONTOR to the kontor program}"
BENCH_SECONDS=${BENCH_SECONDS:-5}
BENCH_RUNS=${BENCH_RUNS:-3}
BENCH_CUSTOMERS=${BENCH_CUSTOMERS:-1000}
BENCH_LINES=${BENCH_LINES:-100000}
BENCH_LINES_BIG=${BENCH_LINES_BIG:-10000000}
for v in BENCH_SECONDS BENCH_RUNS BENCH_CUSTOMERS BENCH_LINES BENCH_LINES_BIG; do
	eval "bench_whole $v \"\$$v\""
done
[ "$BENCH_CUSTOMERS" -ge 1 ] || { echo "bench: BENCH_CUSTOMERS >= 1" >&2; exit 64; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kontor-bench-post.XXXXXX")
home=$tmp/home
cleanup() {
	status=$?
	trap - EXIT INT TERM
	set +e
	kill $(jobs -p) 2>/dev/null
	"$KONTOR" --home "$home" daemon --stop >/dev/null 2>&1
	rm -rf "$tmp"
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
export KONTOR_TODAY=2026-06-15

"$KONTOR" --home "$home" db init --chart cn >/dev/null
"$KONTOR" --home "$home" period create 2026 >/dev/null
# Room for more than the shipped 999,999 entries in the journal's series
# (the 10M-line load posts 3.3 million).
printf 'code,width\nGL-JE,8\n' >"$tmp/series.csv"
"$KONTOR" --home "$home" import series "$tmp/series.csv" --update >/dev/null
awk -v n="$BENCH_CUSTOMERS" 'BEGIN {
	print "code,name,customer,bill_city,bill_country,status"
	for (i = 1; i <= n; i++)
		printf "C%06d,Customer %d Trading Co.,yes,Shanghai,CN,active\n", i, i
}' >"$tmp/customers.csv"
"$KONTOR" --home "$home" import party "$tmp/customers.csv" >/dev/null
"$KONTOR" --home "$home" daemon >/dev/null

# rate MODE PROCS RUN: what PROCS processes of bench_post MODE (post:
# entries, invoice: invoices) did a second over BENCH_SECONDS, and the
# transactions they gave up busy.
rate() {
	i=0
	pids=
	while [ "$i" -lt "$2" ]; do
		"$BENCH_POST" "$1" "$home" "$BENCH_SECONDS" "$(($3 * 100 + i))" \
			>"$tmp/p$i.out" &
		pids="$pids $!"
		i=$((i + 1))
	done
	for p in $pids; do
		wait "$p" || { echo "bench: bench_post $1 failed" >&2; exit 1; }
	done
	cat "$tmp"/p*.out | awk -v s="$BENCH_SECONDS" \
		'{ n += $2; b += $4 } END { printf "%.1f %d\n", n / s, b }' >"$tmp/sum"
	rm -f "$tmp"/p*.out
	cat "$tmp/sum"
}

# measure MODE: the medians of MODE at 1, 4 and 16 processes.
measure_mode() {
	mode=$1
	for procs in 1 4 8 16; do
		r=1
		: >"$tmp/rates"
		: >"$tmp/busy"
		while [ "$r" -le "$BENCH_RUNS" ]; do
			echo "bench: $mode, $procs process(es), run $r of $BENCH_RUNS" >&2
			set -- $(rate "$mode" "$procs" "$r")
			echo "$1" >>"$tmp/rates"
			echo "$2" >>"$tmp/busy"
			r=$((r + 1))
		done
		eval "rate_${mode}_$procs=$(bench_median <"$tmp/rates")"
		eval "busy_${mode}_$procs=$(bench_median <"$tmp/busy")"
	done
}

# The invoices first: the entries of step 1 put amounts on the
# receivable account that no open item explains (only a test does
# that), so ar verify can check the invoices only before them.
measure_mode invoice
"$KONTOR" --home "$home" ar verify >"$tmp/verify" 2>&1 || { cat "$tmp/verify" >&2; echo "bench: ar verify failed" >&2; exit 1; }
measure_mode post

posted=$("$KONTOR" --home "$home" db stat 2>/dev/null | awk '$1 == "journal" { print $2 }')
: "${posted:=0}"
need=$((BENCH_LINES - posted * 3))
[ "$need" -gt 0 ] && "$BENCH_POST" load "$home" "$need" >/dev/null
tb_small=$("$BENCH_POST" tb "$home")
# glrep WHAT ARGS...: "rows seconds" of the general-ledger report as CSV.
glrep() {
	what=$1
	shift
	t0=$(date +%s%N)
	"$KONTOR" --home "$home" report general-ledger --format csv "$@" >"$tmp/gl.csv"
	t1=$(date +%s%N)
	echo "$(($(wc -l <"$tmp/gl.csv") - 1)) $(((t1 - t0) / 1000000))" >"$tmp/glrep-$what"
}
glrep small --param from=2026-01-01 --param to=2026-12-31
echo "bench: loading up to $BENCH_LINES_BIG lines (progress every 10 s)" >&2
"$BENCH_POST" load "$home" $((BENCH_LINES_BIG - BENCH_LINES)) >"$tmp/load"
tb_big=$("$BENCH_POST" tb "$home")
glrep big --param from=2026-03-01 --param to=2026-03-31 \
	--param from_account=1122 --param to_account=1122
"$KONTOR" --home "$home" gl verify >/dev/null || { echo "bench: gl verify failed" >&2; exit 1; }

printf '\nKontor posting benchmark (%s, %s)\n' "$(uname -n)" "$(date +%F)"
printf '  %-50s %12s\n' "measure (median of $BENCH_RUNS runs of $BENCH_SECONDS s)" "value"
for mode in post invoice; do
	for procs in 1 4 8 16; do
		c=clerks
		[ "$procs" -eq 1 ] && c=clerk
		eval "v=\$rate_${mode}_$procs b=\$busy_${mode}_$procs"
		if [ "$mode" = post ]; then
			printf '  %-50s %12s\n' "3-line entries/s (gl_post), $procs $c" "$v"
		else
			printf '  %-50s %12s\n' "3-line invoices/s (draft + sl_doc_post), $procs $c" "$v"
		fi
		printf '  %-50s %12s\n' "  gave up busy (median)" "$b"
	done
done
printf '  %-50s %12s\n' "trial balance reads at $BENCH_LINES lines" "$(echo "$tb_small" | awk '{ print $5 " ms" }')"
printf '  %-50s %12s\n' "load rate (500 entries/txn)" "$(awk '{ printf "%.0f lines/s", $2 / $5 }' "$tmp/load")"
printf '  %-50s %12s\n' "trial balance reads at $BENCH_LINES_BIG lines" "$(echo "$tb_big" | awk '{ print $5 " ms" }')"
glrate() { awk '{ printf "%.0f", ($2 > 0 ? $1 * 1000 / $2 : 0) }' "$tmp/glrep-$1"; }
printf '  %-50s %12s\n' "general ledger, all accounts, $BENCH_LINES lines" "$(glrate small) rows/s"
printf '  %-50s %12s\n' "general ledger, 1122 for March, $BENCH_LINES_BIG lines" "$(glrate big) rows/s"

for procs in 1 4 8 16; do
	eval "bench_summary post gl-$procs \"\$rate_post_$procs\" entries/s $BENCH_RUNS"
done
for procs in 1 4 8 16; do
	eval "bench_summary post invoice-$procs \"\$rate_invoice_$procs\" invoices/s $BENCH_RUNS"
done
bench_summary post "tb@$BENCH_LINES lines" "$(echo "$tb_small" | awk '{ print $5 }')" ms 1
bench_summary post "tb-big@$BENCH_LINES_BIG lines" "$(echo "$tb_big" | awk '{ print $5 }')" ms 1
bench_summary post "glrep@$BENCH_LINES lines" "$(glrate small)" rows/s 1
bench_summary post "glrep-big@$BENCH_LINES_BIG lines" "$(glrate big)" rows/s 1
