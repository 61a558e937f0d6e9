#!/bin/sh
# post.sh - the posting benchmark ('make bench-post', part of 'make
# bench').  Prints figures; fails only when something does not work.
#
# A company with the Chinese chart and fiscal year 2026, its daemon
# running, then:
#   1. durable 3-line sales entries (gl_post: receivable, revenue, VAT;
#      one transaction each, gap-free numbers from one series) by 1 and
#      by 8 clerk processes for BENCH_SECONDS, BENCH_RUNS times each: the
#      median entries per second.  Every entry takes the same counter row
#      and updates the same receivable/VAT balance rows of its month, so
#      this is the hot-row case of DESIGN.md.
#   2. the trial balance's reads (every postable account over 2026) after
#      BENCH_LINES (100000) posted lines, then again after
#      BENCH_LINES_BIG (10000000; loaded 500 entries per transaction:
#      about an hour on a 2-core machine; set it lower to try): it reads
#      the balance table, so it should not grow with the lines.
# Environment: BENCH_POST, KONTOR (set by make), BENCH_SECONDS (5),
# BENCH_RUNS (3), BENCH_LINES, BENCH_LINES_BIG, TMPDIR.
set -eu
: "${BENCH_POST:?set BENCH_POST to the bench_post program}"
: "${KONTOR:?set KONTOR to the kontor program}"
BENCH_SECONDS=${BENCH_SECONDS:-5}
BENCH_RUNS=${BENCH_RUNS:-3}
BENCH_LINES=${BENCH_LINES:-100000}
BENCH_LINES_BIG=${BENCH_LINES_BIG:-10000000}

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
"$KONTOR" --home "$home" daemon >/dev/null

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# rate PROCS: entries/s of PROCS processes posting for BENCH_SECONDS.
rate() {
	procs=$1
	i=0
	while [ "$i" -lt "$procs" ]; do
		"$BENCH_POST" post "$home" "$BENCH_SECONDS" "$i" >"$tmp/p$i.out" &
		i=$((i + 1))
	done
	wait
	cat "$tmp"/p*.out | awk -v s="$BENCH_SECONDS" \
		'{ n += $2; b += $4 } END { printf "%.0f %d\n", n / s, b }' >"$tmp/sum"
	rm -f "$tmp"/p*.out
	cat "$tmp/sum"
}

for procs in 1 8; do
	r=1
	: >"$tmp/rates"
	: >"$tmp/busy"
	while [ "$r" -le "$BENCH_RUNS" ]; do
		set -- $(rate "$procs")
		echo "$1" >>"$tmp/rates"
		echo "$2" >>"$tmp/busy"
		r=$((r + 1))
	done
	eval "rate_$procs=$(median <"$tmp/rates")"
	eval "busy_$procs=$(median <"$tmp/busy")"
done

posted=$("$KONTOR" --home "$home" db stat 2>/dev/null | awk '$1 == "journal" { print $2 }')
: "${posted:=0}"
need=$((BENCH_LINES - posted * 3))
[ "$need" -gt 0 ] && "$BENCH_POST" load "$home" "$need" >/dev/null
tb_small=$("$BENCH_POST" tb "$home")
echo "bench: loading up to $BENCH_LINES_BIG lines (progress every 10 s)" >&2
"$BENCH_POST" load "$home" $((BENCH_LINES_BIG - BENCH_LINES)) >"$tmp/load"
tb_big=$("$BENCH_POST" tb "$home")
"$KONTOR" --home "$home" gl verify >/dev/null || { echo "bench: gl verify failed" >&2; exit 1; }

printf '\nKontor posting benchmark (%s, %s)\n' "$(uname -n)" "$(date +%F)"
printf '  %-46s %12s\n' "measure" "value"
printf '  %-46s %12s\n' "3-line entries/s, 1 clerk (median of $BENCH_RUNS)" "$rate_1"
printf '  %-46s %12s\n' "  gave up busy (median)" "$busy_1"
printf '  %-46s %12s\n' "3-line entries/s, 8 clerks (median of $BENCH_RUNS)" "$rate_8"
printf '  %-46s %12s\n' "  gave up busy (median)" "$busy_8"
printf '  %-46s %12s\n' "trial balance reads at $BENCH_LINES lines" "$(echo "$tb_small" | awk '{ print $5 " ms" }')"
printf '  %-46s %12s\n' "load rate (500 entries/txn)" "$(awk '{ printf "%.0f lines/s", $2 / $5 }' "$tmp/load")"
printf '  %-46s %12s\n' "trial balance reads at $BENCH_LINES_BIG lines" "$(echo "$tb_big" | awk '{ print $5 " ms" }')"
