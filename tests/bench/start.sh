#!/bin/sh
# start.sh - the start-up benchmark ('make bench', 'make bench-start').
# Prints figures, never passes or fails on time; it fails only when
# something does not work.
#
# The one-off commands a script or a cron job runs, timed from fork to
# exit by tests/bench/bench_exec (one unmeasured run first, then
# BENCH_START_RUNS runs; the median):
#   kontor --version                 the program alone: no database
#   kontor report parties (text)     joins the running daemon's
#                                    environment as a clerk, runs a report
#                                    of 20 parties and leaves
# in a fresh home (Chinese chart) with its daemon running and a
# kontor.conf of the run (256 MiB cache, Kontor's default).  The start-up
# of the screens (exec until the menu is drawn) is measured by bench_ui
# (ui.sh), on a pseudo-terminal.
#
# Environment:
#   BENCH_EXEC, KONTOR  the built programs (set by make)
#   BENCH_START_RUNS    measured runs of each command (20)
#   TMPDIR              where the temporary folder goes (/tmp)
#   BENCH_SUMMARY, BENCH_QUICK   as in lib.sh
set -eu
. "$(dirname "$0")/lib.sh"
: "${BENCH_EXEC:?set BENCH_EXEC to the bench_exec program}"
: "${KONTOR:?set KONTOR to the kontor program}"
BENCH_START_RUNS=${BENCH_START_RUNS:-20}
bench_whole BENCH_START_RUNS "$BENCH_START_RUNS"
[ "$BENCH_START_RUNS" -ge 1 ] || { echo "bench: BENCH_START_RUNS >= 1" >&2; exit 64; }
bench_init start

conf=$tmp/kontor.conf
printf 'database = {\n\tcache_size = "256M";\n};\n' >"$conf"
KONTOR_CONF=$conf
export KONTOR_CONF
unset KONTOR_HOME

home=$tmp/home
"$KONTOR" --home "$home" db init --chart cn >/dev/null
awk 'BEGIN {
	print "code,name,customer,bill_city,bill_country,status"
	for (i = 1; i <= 20; i++)
		printf "C%06d,Customer %d Trading Co.,yes,Shanghai,CN,active\n", i, i
}' >"$tmp/parties.csv"
"$KONTOR" --home "$home" import party "$tmp/parties.csv" >/dev/null
"$KONTOR" --home "$home" daemon >/dev/null
homes=$home

# get KEY FILE: the value of KEY=value in the result line of FILE.
get() {
	awk -v k="$1" '{
		for (i = 1; i <= NF; i++) {
			n = index($i, "=")
			if (n && substr($i, 1, n - 1) == k) { print substr($i, n + 1); exit }
		}
	}' "$2"
}

# time_cmd NAME LABEL CMD...: BENCH_START_RUNS runs of CMD; a table row
# and the summary's line "NAME$at".
time_cmd() {
	name=$1 label=$2
	shift 2
	say "start-up: $label, $BENCH_START_RUNS runs"
	"$BENCH_EXEC" "$BENCH_START_RUNS" "$@" >"$tmp/$name.out" ||
		{ say "$label failed"; exit 1; }
	printf '  %-36s %9s %9s %9s %8.0f MiB\n' "$label" \
		"$(get median_ms "$tmp/$name.out")" "$(get min_ms "$tmp/$name.out")" \
		"$(get max_ms "$tmp/$name.out")" \
		"$(get maxrss_kb "$tmp/$name.out" | awk '{ print $1 / 1024 }')" \
		>>"$tmp/table"
	bench_summary start "$name$at" "$(get median_ms "$tmp/$name.out")" ms \
		"$BENCH_START_RUNS"
}

at=
time_cmd version "kontor --version" "$KONTOR" --version
at="@20 parties"
time_cmd report "kontor report parties (20)" \
	"$KONTOR" --home "$home" report parties --format text

bench_machine
echo
echo "Start-up of one-off commands ($cpus x ${cpu:-unknown}, $fs)"
echo "  command                              median ms    min ms    max ms   peak RSS"
cat "$tmp/table"
echo "  (fork to exit, median of $BENCH_START_RUNS runs after one unmeasured run;"
echo "  peak RSS counts the pages of the Berkeley DB regions the process touched.)"
