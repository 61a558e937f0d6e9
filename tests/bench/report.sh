#!/bin/sh
# report.sh - the report benchmark ('make bench-report', and the last
# step of 'make bench').  Prints figures, never passes or fails on time;
# it fails only when something does not work.
#
# Makes BENCH_REPORT_ROWS parties (awk writes the file, kontor import
# party loads it into a fresh database with kontor daemon running),
# restarts the daemon (a fresh cache, as after a night), then runs
#   kontor report parties --format text    (80 columns, 66 lines a page)
#   kontor report parties --format csv
#   kontor report parties --format pdf     (when PDF output is built in)
# each to /dev/null, and prints rows per second and peak memory: "peak
# RSS" is the high-water mark (VmHWM), which counts the pages of
# Berkeley DB's shared cache the process touched; "peak private" is its
# largest anonymous memory (RssAnon, sampled every 0.1 s): its own heap,
# which must not grow with the rows.  The text renderer's temporary file
# (the pages before "Page N of M" is known) goes to /tmp (tmpfile()).
#
# Environment:
#   KONTOR              the built program (set by 'make bench')
#   BENCH_REPORT_ROWS   parties (1000000)
#   TMPDIR              where the temporary folder goes (/tmp)
set -eu

: "${KONTOR:?set KONTOR to the kontor program}"
BENCH_REPORT_ROWS=${BENCH_REPORT_ROWS:-1000000}
case $BENCH_REPORT_ROWS in
'' | *[!0-9]*)
	echo "bench: BENCH_REPORT_ROWS must be a whole number" >&2
	exit 64 ;;
esac

tmp=
home=
child=

cleanup() {
	status=$?
	trap - EXIT INT TERM
	set +e
	if [ -n "$child" ]; then
		kill "$child" 2>/dev/null
		wait "$child" 2>/dev/null
	fi
	[ -n "$home" ] && "$KONTOR" --home "$home" daemon --stop >/dev/null 2>&1
	[ -n "$tmp" ] && rm -rf "$tmp"
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kontor-bench-report.XXXXXX")

say() {
	echo "bench: $*" >&2
}

# gen N FILE: N parties, customers and suppliers, a tenth of the names
# in Chinese (two columns a character), credit limits up to 99,999.99.
gen() {
	awk -v n="$1" 'BEGIN {
		print "code,name,customer,supplier,prospect,bill_city,bill_country,credit_limit,status"
		for (i = 1; i <= n; i++) {
			if (i % 10 == 0)
				name = sprintf("上海第%d贸易有限公司", i)
			else
				name = sprintf("Party %d Trading Co.", i)
			printf "P%07d,%s,%s,%s,%s,%s,CN,%d.%02d,%s\n", i, name,
				(i % 3 != 0 ? "yes" : "no"),
				(i % 3 == 0 ? "yes" : "no"),
				(i % 7 == 0 ? "yes" : "no"),
				(i % 2 ? "Shanghai" : "苏州"), i % 100000, i % 100,
				(i % 50 == 0 ? "blocked" : "active")
		}
	}' >"$2"
}

# measure CMD...: runs CMD (output to /dev/null, stderr to a file) and
# sets secs, hwm_kb and anon_kb (peaks, sampled every 0.1 s).
measure() {
	t0=$(date +%s.%N)
	"$@" >/dev/null 2>"$tmp/err" &
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
		exit 1
	fi
}

# row STEP ROWS: one line of the table.
row() {
	awk -v step="$1" -v n="$2" -v s="$secs" -v h="$hwm_kb" -v a="$anon_kb" '
	function grp(v,   t, r) {
		t = sprintf("%.0f", v); r = ""
		while (length(t) > 3) { r = "," substr(t, length(t) - 2) r; t = substr(t, 1, length(t) - 3) }
		return t r
	}
	BEGIN {
		printf "  %-12s %11s %9.1f %11s %9.0f MiB %9.1f MiB\n", step, grp(n), s,
			grp(s > 0 ? n / s : 0), h / 1024, a / 1024
	}' >>"$tmp/table"
}

cpus=$(nproc 2>/dev/null || echo '?')
cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null | head -n 1)
fs=$(df -PT "$tmp" 2>/dev/null | awk 'NR == 2 { print $2 }')
: >"$tmp/table"
n=$BENCH_REPORT_ROWS

say "$n parties: generating"
gen "$n" "$tmp/parties.csv"
home=$tmp/home
"$KONTOR" --home "$home" db init >/dev/null
"$KONTOR" --home "$home" daemon >/dev/null
say "$n parties: import"
measure "$KONTOR" --home "$home" import party "$tmp/parties.csv"
row import "$n"
rm -f "$tmp/parties.csv"
"$KONTOR" --home "$home" daemon --stop >/dev/null
"$KONTOR" --home "$home" daemon >/dev/null

# The text report once to a file: its pages, and that it is whole.
say "$n parties: text"
measure "$KONTOR" --home "$home" report parties --output "$tmp/parties.txt"
row "text" "$n"
pages=$(tr -cd '\f' <"$tmp/parties.txt" | wc -c)
pages=$((pages + 1))
tail -n 1 "$tmp/parties.txt" | grep -q "^Total ($n rows)" || {
	say "text: no total line for $n rows"
	exit 1
}
grep -q "Page $pages of $pages\$" "$tmp/parties.txt" || {
	say "text: no 'Page $pages of $pages'"
	exit 1
}
rm -f "$tmp/parties.txt"
say "$n parties: text to /dev/null"
measure "$KONTOR" --home "$home" report parties --format text
row "text" "$n"
say "$n parties: csv"
measure "$KONTOR" --home "$home" report parties --format csv
row "csv" "$n"
# A bad parameter: refused at once, after the check for PDF output.
"$KONTOR" --home "$home" report parties --format pdf --param kind=none \
	>/dev/null 2>"$tmp/pdf.err" || true
if ! grep -q "without PDF" "$tmp/pdf.err"; then
	say "$n parties: pdf"
	measure "$KONTOR" --home "$home" report parties --format pdf
	row "pdf" "$n"
else
	say "pdf: not built in"
fi

echo
echo "Reports: kontor report parties over $n parties ($cpus x ${cpu:-unknown}, $fs)"
echo "  step                rows   seconds      rows/s      peak RSS   peak private"
cat "$tmp/table"
echo "  text: $pages pages of 66 lines (the first text line writes to a file,"
echo "  the second to /dev/null); peak RSS counts the shared Berkeley DB cache"
echo "  the process touched; peak private is its own heap and stacks."
