#!/bin/sh
# ui.sh - the screen benchmark ('make bench', 'make bench-ui').  Prints
# figures, never passes or fails on time; it fails only when something
# does not work.
#
# It loads BENCH_UI_COUNT parties into a database home with
# tests/bench/bench_ui_load (1000 per transaction, alone, no daemon),
# starts kontor daemon on it, and runs tests/bench/bench_ui, which
# drives the real kontor on a pseudo-terminal (start to the menu; start
# on the party list, PgDn, Enter, F3, Ctrl-G PA) at 80x24 and 132x43
# and prints one table: time to the last byte written, bytes, CPU time,
# the clerk's memory at the menu and on the list (and, with
# BENCH_SUMMARY set, the medians of the first size to the summary).
# The daemon is stopped and a temporary home removed on exit, whatever
# happens.
#
# Environment:
#   BENCH_UI, BENCH_UI_LOAD, KONTOR  the built programs (set by make)
#   BENCH_UI_COUNT     parties (1000000)
#   BENCH_UI_HOME      a home to keep and reuse: loaded when it does not
#                      exist yet, used as it is when it holds the same
#                      count (the file bench-ui.count in it says which),
#                      refused otherwise.  Unset: a temporary home.
#   BENCH_UI_RUNS      runs of each measure, the median is shown (5)
#   BENCH_UI_PAGES     PgDn presses per run (20)
#   BENCH_UI_SIZES     window sizes ("80x24 132x43")
#   BENCH_UI_LOAD_MB   cache of the load (512)
#   BENCH_UI_CACHE_MB  cache of the environment the screens use, through
#                      the kontor.conf of the run (256, Kontor's default)
#   TMPDIR             where the temporary folder goes (/tmp)
#   BENCH_SUMMARY, BENCH_QUICK   as in lib.sh
set -eu
. "$(dirname "$0")/lib.sh"

: "${BENCH_UI:?set BENCH_UI to the bench_ui program}"
: "${BENCH_UI_LOAD:?set BENCH_UI_LOAD to the bench_ui_load program}"
: "${KONTOR:?set KONTOR to the kontor program}"
BENCH_UI_COUNT=${BENCH_UI_COUNT:-1000000}
BENCH_UI_RUNS=${BENCH_UI_RUNS:-5}
BENCH_UI_PAGES=${BENCH_UI_PAGES:-20}
BENCH_UI_SIZES=${BENCH_UI_SIZES:-80x24 132x43}
BENCH_UI_LOAD_MB=${BENCH_UI_LOAD_MB:-512}
BENCH_UI_CACHE_MB=${BENCH_UI_CACHE_MB:-256}

x=
for v in BENCH_UI_COUNT BENCH_UI_RUNS BENCH_UI_PAGES BENCH_UI_LOAD_MB \
	BENCH_UI_CACHE_MB; do
	eval "x=\$$v"
	case $x in
	'' | *[!0-9]*)
		echo "bench: $v must be a whole number, not '$x'" >&2
		exit 64 ;;
	esac
done
if [ "$BENCH_UI_COUNT" -lt 1 ] || [ "$BENCH_UI_COUNT" -gt 9999999 ] ||
   [ "$BENCH_UI_RUNS" -lt 1 ] || [ "$BENCH_UI_CACHE_MB" -lt 1 ]; then
	echo "bench: BENCH_UI_COUNT must be 1..9999999, BENCH_UI_RUNS and BENCH_UI_CACHE_MB >= 1" >&2
	exit 64
fi

tmp=
home=
daemon=
child=

cleanup() {
	status=$?
	trap - EXIT INT TERM
	set +e
	if [ -n "$child" ]; then
		kill "$child" 2>/dev/null
		wait "$child" 2>/dev/null
	fi
	if [ -n "$daemon" ]; then
		if ! "$KONTOR" --home "$home" daemon --stop >/dev/null 2>&1; then
			# It did not stop within a minute: it must not survive us.
			pid=$(cat "$home/daemon.lock" 2>/dev/null)
			case $pid in
			'' | *[!0-9]*) ;;
			*) kill -9 "$pid" 2>/dev/null ;;
			esac
		fi
	fi
	[ -n "$tmp" ] && rm -rf "$tmp"
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say() {
	echo "bench: $*" >&2
}

# run OUT PROG ARGS...: PROG ARGS > OUT, as a child we can stop.
run() {
	out=$1
	shift
	"$@" >"$out" &
	child=$!
	st=0
	wait "$child" || st=$?
	child=
	if [ "$st" -ne 0 ]; then
		say "${1##*/} failed (status $st)"
		exit 1
	fi
}

# get KEY FILE: the value of KEY=value in the result line of FILE.
get() {
	awk -v k="$1" '{
		for (i = 1; i <= NF; i++) {
			n = index($i, "=")
			if (n && substr($i, 1, n - 1) == k) { print substr($i, n + 1); exit }
		}
	}' "$2"
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kontor-bench-ui.XXXXXX")

# Our own kontor.conf: the installed one (or its absence) must not
# decide the cache, and users listed there would lock the creator out.
conf=$tmp/kontor.conf
printf 'database = {\n\tcache_size = "%sM";\n};\n' "$BENCH_UI_CACHE_MB" >"$conf"
KONTOR_CONF=$conf
export KONTOR_CONF
unset KONTOR_HOME

# ------------------------------------------------------------ the data
loaded=
if [ -n "${BENCH_UI_HOME:-}" ]; then
	case $BENCH_UI_HOME in
	/*) home=$BENCH_UI_HOME ;;
	*) home=$(pwd)/$BENCH_UI_HOME ;;
	esac
	if [ -e "$home" ]; then
		have=$(cat "$home/bench-ui.count" 2>/dev/null || true)
		if [ "$have" != "$BENCH_UI_COUNT" ]; then
			say "$home exists but does not hold a finished load of $BENCH_UI_COUNT parties (bench-ui.count: '${have:-none}'); remove it or choose another BENCH_UI_HOME"
			exit 1
		fi
		say "reusing $home ($BENCH_UI_COUNT parties)"
		loaded="$BENCH_UI_COUNT parties, reused from $home"
	fi
else
	home=$tmp/home
fi

if [ -z "$loaded" ]; then
	fs=$(df -PT "${home%/*}" 2>/dev/null | awk 'NR == 2 { print $2 }')
	say "loading $BENCH_UI_COUNT parties into $home (${fs:-?}), 1000 per transaction"
	run "$tmp/load.out" "$BENCH_UI_LOAD" --count "$BENCH_UI_COUNT" \
		--cache-mb "$BENCH_UI_LOAD_MB" "$home"
	echo "$BENCH_UI_COUNT" >"$home/bench-ui.count"
	secs=$(get seconds "$tmp/load.out")
	rate=$(get rate "$tmp/load.out")
	size=$(du -sk "$home/data" | awk '{ printf "%.0f", $1 / 1024 }')
	loaded="$BENCH_UI_COUNT parties loaded in $secs s ($rate rows/s, 1000 per txn, cache $BENCH_UI_LOAD_MB MiB); $size MiB of data files"
fi

# ------------------------------------------------------------ measure
"$KONTOR" --home "$home" daemon >/dev/null
daemon=yes

sizes=
for s in $BENCH_UI_SIZES; do
	sizes="$sizes --size $s"
done
say "screens: $BENCH_UI_RUNS runs at each of $BENCH_UI_SIZES"
# shellcheck disable=SC2086
run "$tmp/ui.out" "$BENCH_UI" --home "$home" --kontor "$KONTOR" \
	--count "$BENCH_UI_COUNT" --runs "$BENCH_UI_RUNS" \
	--pages "$BENCH_UI_PAGES" $sizes \
	--note "$loaded" \
	--note "daemon and screens with a $BENCH_UI_CACHE_MB MiB cache (kontor.conf of the run)" \
	--results "$tmp/ui.results"
cat "$tmp/ui.out"
while read -r name median unit runs; do
	bench_summary ui "$name, $BENCH_UI_COUNT parties" "$median" "$unit" "$runs"
done <"$tmp/ui.results"
