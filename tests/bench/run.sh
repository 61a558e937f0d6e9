#!/bin/sh
# run.sh - the storage benchmark ('make bench').  Prints figures, never
# passes or fails on time; it fails only when something does not work.
#
# It creates a database home in a temporary folder, starts kontor daemon
# on it, and runs tests/bench/bench_store (each measurement a separate
# process that joins the daemon's environment as a clerk):
#   1. loads BENCH_RECORDS records (table item) in transactions of 1000
#   2. durable transfers between BENCH_ACCOUNTS accounts (table acct)
#      at 1, 4 and 16 processes; "lock retries" counts the times
#      store_write ran a transfer again after a deadlock or lock conflict,
#      "gave up busy" the transfers it returned as K_EBUSY
#   3. point reads by random id, 1000 per snapshot
#   4. cursor scans of the item table in primary and in name order
# then prints one table.  The daemon is stopped and the folder removed
# on exit, whatever happens.
#
# Environment:
#   BENCH_STORE, KONTOR  the built programs (set by 'make bench')
#   BENCH_SECONDS        seconds per transfer and read run (5)
#   BENCH_RUNS           runs of each measure, the median is shown (3);
#                        the load runs once
#   BENCH_RECORDS        records of the big table (1000000)
#   BENCH_ACCOUNTS       accounts of the transfers (10000)
#   BENCH_CACHE_MB       cache given to 'bench_store create' (512; 0 =
#                        Kontor's default, 256 MiB).  It lasts only until
#                        the daemon starts: the daemon recovers and
#                        rewrites DB_CONFIG from kontor.conf (cache_size,
#                        256 MiB when none is set; $KONTOR_CONF names the
#                        file), so the measurements run with that cache.
#                        The table shows the cache the daemon set.  256
#                        MiB (320 MiB after Berkeley DB's quarter more)
#                        does not hold the 1M records (~350 MB of files):
#                        the load and the scans evict.
#   TMPDIR               where the temporary folder goes (/tmp)
#   BENCH_SUMMARY        a file to append the medians to (lib.sh,
#                        bench_summary), for tests/bench/table.sh
#   BENCH_QUICK=1        small defaults for all of these (lib.sh)
set -eu
. "$(dirname "$0")/lib.sh"

: "${BENCH_STORE:?set BENCH_STORE to the bench_store program}"
: "${KONTOR:?set KONTOR to the kontor program}"
BENCH_SECONDS=${BENCH_SECONDS:-5}
BENCH_RUNS=${BENCH_RUNS:-3}
BENCH_RECORDS=${BENCH_RECORDS:-1000000}
BENCH_ACCOUNTS=${BENCH_ACCOUNTS:-10000}
BENCH_CACHE_MB=${BENCH_CACHE_MB:-512}

for v in BENCH_SECONDS BENCH_RUNS BENCH_RECORDS BENCH_ACCOUNTS BENCH_CACHE_MB; do
	eval "x=\$$v"
	case $x in
	'' | *[!0-9]*)
		echo "bench: $v must be a whole number, not '$x'" >&2
		exit 64 ;;
	esac
done
if [ "$BENCH_RUNS" -lt 1 ] || [ "$BENCH_SECONDS" -lt 1 ] ||
   [ "$BENCH_RECORDS" -lt 1 ] || [ "$BENCH_ACCOUNTS" -lt 2 ]; then
	echo "bench: BENCH_RUNS, BENCH_SECONDS, BENCH_RECORDS must be >= 1, BENCH_ACCOUNTS >= 2" >&2
	exit 64
fi

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
	if [ -n "$home" ] && [ -d "$home" ]; then
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

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kontor-bench.XXXXXX")
home=$tmp/home

say() {
	echo "bench: $*" >&2
}

# run OUT ARGS...: bench_store ARGS > OUT, as a child we can stop.
run() {
	out=$1
	shift
	"$BENCH_STORE" "$@" >"$out" &
	child=$!
	st=0
	wait "$child" || st=$?
	child=
	if [ "$st" -ne 0 ]; then
		say "bench_store $* failed (status $st)"
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

# median_line FILE: the line with the median first column (the lower
# middle one for an even count).
median_line() {
	sort -n -k1,1 "$1" | awk '{ l[NR] = $0 } END { print l[int((NR + 1) / 2)] }'
}

# range FILE: "min..max" of the first column, "" for one run.
range() {
	sort -n -k1,1 "$1" | awk '{ v[NR] = $1 } END {
		if (NR > 1) printf "%.0f..%.0f", v[1], v[NR] }'
}

# ------------------------------------------------------------ machine
arch=$(uname -m)
cpus=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?')
cpu=$(sed -n -e 's/^model name[[:space:]]*:[[:space:]]*//p' \
	-e 's/^Hardware[[:space:]]*:[[:space:]]*//p' \
	-e 's/^cpu model[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null |
	head -n 1)
[ -n "$cpu" ] || cpu=unknown
fs=$(df -PT "$tmp" 2>/dev/null | awk 'NR == 2 { print $2 }')
[ -n "$fs" ] || fs=$(stat -f -c %T "$tmp" 2>/dev/null || echo unknown)
# ------------------------------------------------------------ measure
say "home $home on $fs"
run "$tmp/create.out" create "$home" "$BENCH_CACHE_MB"
"$KONTOR" --home "$home" daemon >/dev/null
# The daemon's recovery rewrote DB_CONFIG: its cache is the one in force.
cache=$(awk '$1 == "set_cachesize" { printf "%d MiB", $2 * 1024 + $3 / 1048576 }' \
	"$home/DB_CONFIG")
[ -n "$cache" ] || cache=unknown
cache="$cache (kontor.conf, set by the daemon)"
say "cache $cache"
run "$tmp/seed.out" seed "$home" "$BENCH_ACCOUNTS"

say "loading $BENCH_RECORDS records, 1000 per transaction"
run "$tmp/load.out" load "$home" "$BENCH_RECORDS"

for procs in 1 4 16; do
	: >"$tmp/xfer$procs"
	r=1
	while [ "$r" -le "$BENCH_RUNS" ]; do
		say "transfers, $procs process(es), run $r of $BENCH_RUNS"
		run "$tmp/x.out" transfer "$home" "$procs" "$BENCH_SECONDS" \
			"$((r * 100 + procs))"
		echo "$(get rate "$tmp/x.out") $(get retries "$tmp/x.out") $(get busy "$tmp/x.out")" \
			>>"$tmp/xfer$procs"
		r=$((r + 1))
	done
done

: >"$tmp/reads"
r=1
while [ "$r" -le "$BENCH_RUNS" ]; do
	say "point reads, run $r of $BENCH_RUNS"
	run "$tmp/r.out" reads "$home" "$BENCH_SECONDS" "$r"
	[ "$(get misses "$tmp/r.out")" = 0 ] || {
		say "point reads missed records: $(cat "$tmp/r.out")"
		exit 1
	}
	get rate "$tmp/r.out" >>"$tmp/reads"
	r=$((r + 1))
done

: >"$tmp/scanp"
: >"$tmp/scann"
: >"$tmp/rss"
r=1
while [ "$r" -le "$BENCH_RUNS" ]; do
	say "scans, run $r of $BENCH_RUNS"
	run "$tmp/s.out" scan "$home"
	for ix in primary name; do
		n=$(get "$ix" "$tmp/s.out")
		if [ "$n" != "$BENCH_RECORDS" ]; then
			say "the $ix scan saw $n records, not $BENCH_RECORDS"
			exit 1
		fi
	done
	echo "$(get primary_rate "$tmp/s.out") $(get primary_seconds "$tmp/s.out")" >>"$tmp/scanp"
	echo "$(get name_rate "$tmp/s.out") $(get name_seconds "$tmp/s.out")" >>"$tmp/scann"
	get maxrss_kb "$tmp/s.out" >>"$tmp/rss"
	r=$((r + 1))
done

# ------------------------------------------------------------ the table
row() {
	if [ -n "$4" ]; then
		printf '  %-44s %10s  %-10s %s\n' "$1" "$2" "$3" "$4"
	else
		printf '  %-44s %10s  %s\n' "$1" "$2" "$3"
	fi
}
num() {
	awk -v v="$1" 'BEGIN { printf "%.0f", v }'
}
runs_note() {
	rg=$(range "$1")
	[ -z "$rg" ] || printf 'runs %s' "$rg"
}
# detail A B...: the non-empty arguments joined by "; ".
detail() {
	d=
	for a in "$@"; do
		[ -z "$a" ] || d=${d:+$d; }$a
	done
	printf '%s' "$d"
}

echo
echo "Kontor storage benchmark (figures, not pass/fail)"
echo "  machine   $arch, $cpus CPUs, $cpu"
echo "  temp dir  ${tmp%/*} ($fs)"
case $fs in
tmpfs | ramfs) echo "            note: $fs ignores fsync, commits are not durable here" ;;
esac
echo "  settings  cache $cache; $BENCH_RECORDS records; $BENCH_ACCOUNTS accounts;"
if [ "$BENCH_RUNS" -eq 1 ]; then
	echo "            ${BENCH_SECONDS} s per transfer/read run; one run each"
else
	echo "            ${BENCH_SECONDS} s per transfer/read run; median of $BENCH_RUNS runs"
fi
echo
row measure median unit detail
row "load $BENCH_RECORDS records, 1000 per txn" \
	"$(num "$(get rate "$tmp/load.out")")" inserts/s \
	"$(get seconds "$tmp/load.out") s, one run, durable commits"
for procs in 1 4 16; do
	set -- $(median_line "$tmp/xfer$procs")
	p=processes
	[ "$procs" -eq 1 ] && p=process
	row "durable transfers, $procs $p" "$(num "$1")" txn/s \
		"$(detail "$2 lock retries, $3 gave up busy" "$(runs_note "$tmp/xfer$procs")")"
done
row "point reads (store_get), 1000 per snapshot" \
	"$(num "$(median_line "$tmp/reads")")" reads/s "$(runs_note "$tmp/reads")"
set -- $(median_line "$tmp/scanp")
row "cursor scan, primary order" "$(num "$1")" records/s \
	"$(detail "$2 s" "$(runs_note "$tmp/scanp")")"
set -- $(median_line "$tmp/scann")
row "cursor scan, name index" "$(num "$1")" records/s \
	"$(detail "$2 s" "$(runs_note "$tmp/scann")")"
rss=$(sort -n "$tmp/rss" | tail -n 1)
row "peak RSS of the scan process" "$(awk -v k="$rss" 'BEGIN { printf "%.0f", k / 1024 }')" MiB \
	"ru_maxrss, largest run; counts the cache pages it mapped"

# ------------------------------------------------------------ summary
# Every measure with the table's size: "NAME@N records".
at="@$BENCH_RECORDS records"
bench_summary store "load$at" "$(num "$(get rate "$tmp/load.out")")" inserts/s 1
for procs in 1 4 16; do
	set -- $(median_line "$tmp/xfer$procs")
	bench_summary store "transfers-$procs$at" "$(num "$1")" txn/s "$BENCH_RUNS"
done
bench_summary store "reads$at" "$(num "$(median_line "$tmp/reads")")" reads/s "$BENCH_RUNS"
set -- $(median_line "$tmp/scanp")
bench_summary store "scan-primary$at" "$(num "$1")" records/s "$BENCH_RUNS"
set -- $(median_line "$tmp/scann")
bench_summary store "scan-name$at" "$(num "$1")" records/s "$BENCH_RUNS"
