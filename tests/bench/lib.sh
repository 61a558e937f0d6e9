# lib.sh - what the benchmarks share: sourced by every script of
# tests/bench after 'set -eu' (run.sh, ui.sh, post.sh and pdf.sh keep
# their own temporary folder and clean-up, and take only the quick sizes,
# bench_whole, bench_median and bench_summary from here).
#
#   bench_whole NAME VALUE  exits 64 unless VALUE is a whole number
#   bench_init NAME         makes $tmp ($TMPDIR/kontor-bench-NAME.XXXXXX)
#                           and sets the traps that, on any exit, stop
#                           the measured command ($child), the daemon of
#                           every home in $homes, and remove $tmp
#   say TEXT...             "bench: TEXT" on standard error
#   measure OUT CMD...      runs CMD, its stdout to OUT (/dev/null: none)
#                           and stderr to $tmp/err, and sets secs,
#                           hwm_kb and anon_kb: wall time, and the peaks
#                           of VmHWM and RssAnon sampled from /proc every
#                           0.1 s; a CMD that fails ends the benchmark
#                           (status 1) saying what it printed
#   row STEP ROWS           appends a line to $tmp/table: step (in
#                           $bench_step_w columns, 8), rows, seconds,
#                           rows/s, peak RSS, peak private
#   bench_rate ROWS         ROWS / secs (of the last measure), whole
#   bench_machine           sets cpus, cpu (model name) and fs (the file
#                           system of $tmp), for the table's title
#   bench_median            the median of the numbers on standard input,
#                           one a line (the lower middle one of an even
#                           count), "-" for none
#   bench_summary SECTION MEASURE MEDIAN UNIT RUNS
#                           appends one line to the file $BENCH_SUMMARY
#                           names (nothing when it is unset or empty):
#                           the five fields separated by tabs.  'make
#                           bench' sets it and tests/bench/table.sh
#                           prints the one table from it (HACKING,
#                           "Reading the benchmark table").
#
# BENCH_QUICK=1 ('make bench-quick') gives every size, run count and
# duration a benchmark has not been given a small default, here in one
# place, so that the whole suite runs in a few minutes: for trying it
# out, not for figures.
#
# "Peak RSS" (VmHWM) counts the pages of Berkeley DB's shared cache and
# regions the process touched; "peak private" (RssAnon) is its own
# heap and stacks, what must not grow with the rows.

if [ "${BENCH_QUICK:-0}" = 1 ]; then
	: "${BENCH_SECONDS:=2}" "${BENCH_RUNS:=3}"
	: "${BENCH_RECORDS:=10000}" "${BENCH_ACCOUNTS:=1000}"
	: "${BENCH_CACHE_MB:=64}"
	: "${BENCH_UI_COUNT:=10000}" "${BENCH_UI_RUNS:=3}"
	: "${BENCH_UI_PAGES:=5}" "${BENCH_UI_SIZES:=80x24}"
	: "${BENCH_UI_LOAD_MB:=64}"
	: "${BENCH_CSV_ROWS:=10000}" "${BENCH_CSV_RUNS:=3}"
	: "${BENCH_PDF_ROWS:=1000}"
	: "${BENCH_REPORT_ROWS:=10000}" "${BENCH_REPORT_RUNS:=3}"
	: "${BENCH_LINES:=3000}" "${BENCH_LINES_BIG:=30000}"
	: "${BENCH_CUSTOMERS:=100}"
	: "${BENCH_START_RUNS:=5}"
fi

tmp=
homes=
child=
bench_step_w=8

bench_whole() {
	case $2 in
	'' | *[!0-9]*)
		echo "bench: $1 must be a whole number" >&2
		exit 64 ;;
	esac
}

bench_cleanup() {
	status=$?
	trap - EXIT INT TERM
	set +e
	if [ -n "$child" ]; then
		kill "$child" 2>/dev/null
		wait "$child" 2>/dev/null
	fi
	for h in $homes; do
		"$KONTOR" --home "$h" daemon --stop >/dev/null 2>&1
	done
	[ -n "$tmp" ] && rm -rf "$tmp"
	exit "$status"
}

bench_init() {
	trap bench_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/kontor-bench-$1.XXXXXX")
	: >"$tmp/table"
}

say() {
	echo "bench: $*" >&2
}

measure() {
	out=$1
	shift
	t0=$(date +%s.%N)
	"$@" >"$out" 2>"$tmp/err" &
	child=$!
	hwm_kb=0
	anon_kb=0
	while kill -0 "$child" 2>/dev/null; do
		s=$(awk '/^VmHWM:/ { h = $2 } /^RssAnon:/ { a = $2 }
			END { print h + 0, a + 0 }' "/proc/$child/status" 2>/dev/null) || s="0 0"
		set -- $s
		[ "${1:-0}" -gt "$hwm_kb" ] && hwm_kb=$1
		[ "${2:-0}" -gt "$anon_kb" ] && anon_kb=$2
		sleep 0.1
	done
	st=0
	wait "$child" || st=$?
	child=
	t1=$(date +%s.%N)
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
	if [ "$st" -ne 0 ]; then
		say "failed (status $st): $(cat "$tmp/err")"
		[ "$out" = /dev/null ] || cat "$out" >&2
		exit 1
	fi
}

row() {
	awk -v step="$1" -v n="$2" -v s="$secs" -v h="$hwm_kb" -v a="$anon_kb" \
	    -v w="$bench_step_w" '
	function grp(v,   t, r) {
		t = sprintf("%.0f", v); r = ""
		while (length(t) > 3) { r = "," substr(t, length(t) - 2) r; t = substr(t, 1, length(t) - 3) }
		return t r
	}
	BEGIN {
		printf "  %-" w "s %11s %9.1f %11s %9.0f MiB %9.1f MiB\n", step, grp(n), s,
			grp(s > 0 ? n / s : 0), h / 1024, a / 1024
	}' >>"$tmp/table"
}

bench_machine() {
	cpus=$(nproc 2>/dev/null || echo '?')
	cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null | head -n 1)
	fs=$(df -PT "$tmp" 2>/dev/null | awk 'NR == 2 { print $2 }')
}

bench_rate() {
	awk -v n="$1" -v s="$secs" 'BEGIN { printf "%.0f\n", (s > 0 ? n / s : 0) }'
}

bench_median() {
	sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "-" }'
}

bench_summary() {
	[ -n "${BENCH_SUMMARY:-}" ] || return 0
	if [ $# -ne 5 ]; then
		echo "bench: bench_summary takes 5 fields, not $#: $*" >&2
		exit 70
	fi
	printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "${3:--}" "$4" "$5" >>"$BENCH_SUMMARY"
}
