#!/bin/sh
# The crash test: 16 clerks post customer invoices and receipts for a
# minute (CRASH_SECONDS) while random ones, and a report running in a
# loop, are killed with SIGKILL at random moments (every 50 to 1,000
# ms) and started again, with kontor daemon watching.  Each clerk
# writes a line to its own ack file once a commit has returned success
# (tests/tool/arcrash.c).  Afterwards, with the daemon running and
# again alone after it stopped: every acknowledged posting is there,
# none is half there, every entry balances, the receivable account
# equals the open items and the aging report, the gap-free series have
# no hole, gl/ar/db verify are clean, and no process hung.
set -eu
. "$TEST_SRCDIR/lib.sh"

SECONDS_RUN=${CRASH_SECONDS:-60}
CLERKS=16
H=$T/co
k() { "$KONTOR" "$@"; }

rand() { od -An -N2 -tu2 /dev/urandom | tr -d ' '; }

# Every process this test starts is ended on exit, whatever happens:
# one left behind would keep CI waiting.
PIDS=""
report_pid=""
stop_all() {
	for p in $PIDS $report_pid; do
		kill -KILL "$p" 2>/dev/null || true
	done
	[ -s "$T/report.pid" ] && kill -KILL "$(cat "$T/report.pid")" 2>/dev/null || true
	return 0
}
trap 'stop_all; cleanup' EXIT
# CRASH_KEEP=DIR: the run's folder is copied there at the end (when it
# failed too), to look at.
fail() {
	echo "FAIL: $*" >&2
	if [ -n "${CRASH_KEEP:-}" ]; then
		stop_all
		rm -rf "$CRASH_KEEP"
		cp -a "$T" "$CRASH_KEEP" && echo "kept in $CRASH_KEEP" >&2
	fi
	exit 1
}

# The company: the Chinese chart (taxes, roles, series), fiscal year
# 2026, eight customers without terms or limits, one item at 100.00.
expect_status 0 k --home "$H" db init --chart cn
expect_status 0 k --home "$H" period create 2026
expect_status 0 k --home "$H" import unit "$TOP_SRCDIR/data/units.csv" --update
{
	echo "code,name,customer,supplier,credit_limit,status"
	for i in 1 2 3 4 5 6 7 8; do
		echo "C0$i,Customer $i 客户,yes,no,0,active"
	done
} >"$T/parties.csv"
expect_status 0 k --home "$H" import party "$T/parties.csv"
cat >"$T/items.csv" <<'EOF'
code,description,type,uom,list_price,standard_cost,tax_code,status
W1,Widget 部件,stocked,EA,100.0000,60.0000,VAT13,active
EOF
expect_status 0 k --home "$H" import item "$T/items.csv"
k --home "$H" daemon >/dev/null || fail "the daemon did not start"
DAEMON_HOMES="$DAEMON_HOMES $H"

start=$(date +%s)
end=$((start + SECONDS_RUN))

# clerk N: started again with the same arguments after each kill; it
# reads its ack file back and goes on appending to it.
clerk() {
	"$KTOOL" arpost "$H" "@$end" "$1" "$T/ack$1" >>"$T/clerk$1.out" 2>&1 &
	eval "pid$1=$!"
}
for i in $(seq 1 $CLERKS); do
	clerk "$i"
done
clerk_pids() {
	PIDS=""
	for i in $(seq 1 $CLERKS); do
		eval "PIDS=\"\$PIDS \$pid$i\""
	done
}
clerk_pids

# The report: the aging and the trial balance in turns, each run in
# the background so that the killer can reach it (its pid in
# report.pid); every exit status goes to report.status.
report_loop() {
	n=0
	while [ "$(date +%s)" -lt "$end" ]; do
		if [ $((n % 2)) -eq 0 ]; then
			"$KONTOR" --home "$H" report ar-aging --format csv \
				--param as_of=2026-12-31 >"$T/report.csv" 2>>"$T/report.err" &
		else
			"$KONTOR" --home "$H" report trial-balance --format csv \
				>"$T/report.csv" 2>>"$T/report.err" &
		fi
		echo $! >"$T/report.pid"
		st=0
		wait $! || st=$?
		echo "$st" >>"$T/report.status"
		n=$((n + 1))
	done
}
report_loop 2>/dev/null &
report_pid=$!

# The killer.  A clerk that ended on its own before its time failed:
# its output says why.
kills=0
clerk_kills=0
report_kills=0
died=""
while [ "$(date +%s)" -lt "$end" ]; do
	ms=$((50 + $(rand) % 950))
	sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
	if [ $(($(rand) % 5)) -eq 0 ]; then
		# (the pid of a report that just ended may be another's soon)
		p=$(cat "$T/report.pid" 2>/dev/null || true)
		[ -n "$p" ] && grep -qF "$H" "/proc/$p/cmdline" 2>/dev/null &&
			kill -KILL "$p" 2>/dev/null &&
			report_kills=$((report_kills + 1)) &&
			echo "$(date +%T.%N) report $p" >>"$T/kills.log"
	else
		i=$(($(rand) % CLERKS + 1))
		eval "p=\$pid$i"
		[ -n "$p" ] || continue
		if kill -KILL "$p" 2>/dev/null; then
			clerk_kills=$((clerk_kills + 1))
			echo "$(date +%T.%N) clerk $i $p" >>"$T/kills.log"
		fi
		# 137: our kill; 0: its time was over
		st=0
		wait "$p" 2>/dev/null || st=$?
		[ "$st" -eq 137 ] || [ "$st" -eq 0 ] || died="$died clerk $i (status $st)"
		# (a pid not ours any more is never signalled or waited for)
		eval "pid$i="
		[ "$(date +%s)" -lt "$end" ] && clerk "$i"
		clerk_pids
	fi
done
kills=$((clerk_kills + report_kills))

# No process may hang: each gets 60 seconds past its end.  (A child
# that ended and was not waited for yet is a zombie: not alive.)
alive() {
	kill -0 "$1" 2>/dev/null &&
		! grep -q '^[0-9]* (.*) Z' "/proc/$1/stat" 2>/dev/null
}
deadline=$(($(date +%s) + 60))
for p in $PIDS $report_pid; do
	while alive "$p"; do
		if [ "$(date +%s)" -ge "$deadline" ]; then
			tail -n 3 "$T"/clerk*.out >&2
			echo "hung: $p $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)" >&2
			if [ "$p" = "$report_pid" ] && [ -s "$T/report.pid" ]; then
				p=$(cat "$T/report.pid")
				echo "the report: $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)" >&2
			fi
			ls -la "$H" "$H/run" >&2
			if command -v gdb >/dev/null 2>&1; then
				gdb -p "$p" -batch -ex bt 2>/dev/null | grep '^#' >&2
			fi
			tail -n 30 "$H/daemon.log" >&2
			stop_all
			fail "process $p hung"
		fi
		sleep 0.2
	done
done
for i in $(seq 1 $CLERKS); do
	eval "p=\$pid$i"
	[ -n "$p" ] || continue
	st=0
	wait "$p" || st=$?
	[ "$st" -eq 0 ] || died="$died clerk $i (status $st)"
done
wait "$report_pid" || true
# Every child is waited for: their pids may be anybody's now.
PIDS=""
report_pid=""
rm -f "$T/report.pid"
elapsed=$(($(date +%s) - start))
if [ -n "$died" ] || grep -q '^ktool' "$T"/clerk*.out; then
	grep -h '^ktool' "$T"/clerk*.out >&2 || true
	tail -n 20 "$H/daemon.log" >&2
	fail "clerks failed:$died"
fi
# A report may be killed (137) or told to leave while the daemon
# recovers (75); nothing else.
bad=$(grep -cv '^\(0\|75\|137\)$' "$T/report.status" || true)
if [ "${bad:-0}" -ne 0 ]; then
	sort "$T/report.status" | uniq -c >&2
	sort "$T/report.err" | uniq -c | sort -rn | head -n 10 >&2
	fail "$bad reports failed"
fi
reports=$(grep -c '^0$' "$T/report.status" || true)

# A kill in the last second may still be being recovered: a command
# that is evicted says so and exits 75, and is run again, as a person
# would.
again() {
	for i in 1 2 3 4 5 6 7 8 9 10; do
		st=0
		"$@" || st=$?
		[ "$st" -ne 75 ] && return "$st"
		sleep 1
	done
	return "$st"
}
for i in $(seq 1 150); do
	k --home "$H" daemon --status >/dev/null 2>&1 && break
	sleep 0.2
done

# cents AMOUNT: "1,234.56" or "-0.50" as an integer of cents
cents() {
	echo "$1" | tr -d , | awk '{ s = 1; v = $1; if (v ~ /^-/) { s = -1; v = substr(v, 2) }
		n = split(v, p, "."); c = p[1] * 100 + (n > 1 ? substr(p[2] "00", 1, 2) : 0)
		printf "%.0f\n", s * c }'
}

# The checks, first with the daemon and the clerks' environment as the
# kills left it, then alone after recovery.
check() {
	again "$KTOOL" archeck "$H" "$T"/ack* >"$T/check.out" || {
		cat "$T/check.out" >&2
		tail -n 20 "$H/daemon.log" >&2
		fail "archeck ($1)"
	}
	summary=$(tail -n 1 "$T/check.out")
	receivable=$(cents "${summary##* }")
	again k --home "$H" report ar-aging --format csv \
		--param as_of=2026-12-31 >"$T/aging.csv" || fail "ar-aging ($1)"
	aging=$(awk -F, 'NR > 1 { print $NF }' "$T/aging.csv" | while read -r v; do
		cents "$v"; done | awk '{ s += $1 } END { printf "%.0f\n", s }')
	[ "$aging" = "$receivable" ] || {
		cat "$T/aging.csv" >&2
		fail "ar-aging totals $aging cents, the receivable account $receivable ($1)"
	}
	again k --home "$H" gl verify >"$T/out" 2>&1 || { cat "$T/out" >&2; fail "gl verify ($1)"; }
	again k --home "$H" ar verify >"$T/out" 2>&1 || { cat "$T/out" >&2; fail "ar verify ($1)"; }
	again k --home "$H" db verify >"$T/out" 2>&1 || { cat "$T/out" >&2; fail "db verify ($1)"; }
}
check "with the daemon"
cat "$T/check.out"
acked=$(sed -n 's/^archeck: acknowledged \([0-9]*\) invoices and \([0-9]*\) receipts.*/\1 + \2/p' \
	"$T/check.out")
[ "$(($acked))" -gt 0 ] || fail "nothing was acknowledged"
recoveries=$(grep -c 'recovering ' "$H/daemon.log" || true)
evictions=$(grep -c 'asked .* processes to leave' "$H/daemon.log" || true)
daemon_stop "$H"
check "alone, after the daemon stopped"
if [ -n "${CRASH_KEEP:-}" ]; then
	rm -rf "$CRASH_KEEP"
	cp -a "$T" "$CRASH_KEEP"
fi
echo "crash: ${elapsed}s, 16 clerks, $kills kills ($clerk_kills clerks, $report_kills reports), $reports reports finished; acknowledged $acked = $(($acked)) postings; daemon: $((recoveries - 1)) recoveries after the first, $evictions evictions"
echo "ok"
