#!/bin/sh
# Many processes, one environment, with kontor daemon watching.
#
# 8 clerks move random amounts between 1,000 accounts for 20 seconds
# (deadlocks happen and are retried) while a 9th reads snapshots and
# asserts the total never changes, and a 10th is killed with SIGKILL at
# random moments and restarted.  Afterwards the total is exact, kontor db
# verify is clean and every process finished on time.
set -eu
. "$TEST_SRCDIR/lib.sh"

SECONDS_RUN=${MP_SECONDS:-20}
H=$T/env
kontor --home "$H" db init >/dev/null
ktool seed "$H" 1000
[ "$(ktool total "$H")" = "1000000.00" ] || fail "seeded total"
daemon_start "$H"

pids=""
for i in 1 2 3 4 5 6 7 8; do
	"$KTOOL" transfer "$H" "$SECONDS_RUN" "$i" >"$T/worker$i.out" 2>&1 &
	pids="$pids $!"
done
"$KTOOL" audit "$H" "$SECONDS_RUN" 1000000.00 >"$T/audit.out" 2>&1 &
audit_pid=$!

# The victim: a clerk killed with SIGKILL at random moments, restarted.
# (Background jobs run the binary itself, so $! is the process to kill.)
kills=0
end=$(( $(date +%s) + SECONDS_RUN ))
n=100
while [ "$(date +%s)" -lt "$end" ]; do
	"$KTOOL" transfer "$H" 30 "$n" >/dev/null 2>&1 &
	victim=$!
	# 50 to 1,000 ms of work, then SIGKILL wherever it is.
	ms=$(( 50 + $(od -An -N2 -tu2 /dev/urandom) % 950 ))
	sleep "$(printf '0.%03d' "$ms")"
	kill -KILL "$victim" 2>/dev/null || true
	wait "$victim" 2>/dev/null || true
	kills=$((kills + 1))
	n=$((n + 1))
done

# No process may hang: each gets 60 seconds past its end.
deadline=$(( $(date +%s) + 60 ))
for p in $pids $audit_pid; do
	while kill -0 "$p" 2>/dev/null; do
		if [ "$(date +%s)" -ge "$deadline" ]; then
			cat "$T"/worker*.out "$T/audit.out" >&2
			echo "hung: $(tr '\0' ' ' <"/proc/$p/cmdline")" >&2
			grep -c '__db.*(deleted)' "/proc/$p/maps" >&2 || true
			ls -la "$H" "$H/run" >&2
			if command -v gdb >/dev/null 2>&1; then
				gdb -p "$p" -batch -ex bt 2>/dev/null | grep '^#' >&2
			fi
			tail -n 20 "$H/daemon.log" >&2
			kill -KILL $pids $audit_pid 2>/dev/null || true
			fail "process $p hung"
		fi
		sleep 0.2
	done
done
status=0
for p in $pids; do
	wait "$p" || status=1
done
audit_failed=""
wait "$audit_pid" || {
	st=$?
	cat "$T/audit.out" >&2
	audit_failed="the snapshot reader failed (exit status $st)"
}
[ "$status" -eq 0 ] || { cat "$T"/worker*.out >&2; fail "a worker failed"; }

total=0
for i in 1 2 3 4 5 6 7 8; do
	done_i=$(tail -n 1 "$T/worker$i.out" | awk '{print $2}')
	total=$((total + done_i))
done
echo "transfers by 8 clerks: $total; victim killed $kills times"
cat "$T/audit.out"
tail -q -n 1 "$T"/worker*.out
echo "daemon: $(grep -c 'recovering' "$H/daemon.log") recoveries, $(grep -c 'asked' "$H/daemon.log") evictions"
[ "$total" -gt 0 ] || fail "no transfer was made"

# A kill in the last second may still be being recovered: a command that
# is evicted says so and exits 75, and is run again, as a person would.
again() {
	for i in 1 2 3 4 5; do
		set +e
		"$@"
		st=$?
		set -e
		[ "$st" -ne 75 ] && return "$st"
		sleep 1
	done
	return "$st"
}
# The last kills may have left the daemon recovering: let it finish.
for i in $(seq 1 100); do
	kontor --home "$H" daemon --status >/dev/null 2>&1 && break
	sleep 0.2
done
if [ -n "$audit_failed" ]; then
	# Say whether the money is really gone or only a snapshot saw it so.
	echo "total after the run: $(again ktool total "$H")" >&2
	tail -n 40 "$H/daemon.log" >&2
	[ -n "${MP_KEEP:-}" ] && { daemon_stop "$H"; cp -a "$H" "$MP_KEEP"; }
	fail "$audit_failed"
fi
if [ "$(again ktool total "$H")" != "1000000.00" ]; then
	tail -n 30 "$H/daemon.log" >&2
	ps -eo pid,stat,args | grep '[k]tool' >&2
	fail "total after the run: $(ktool total "$H")"
fi
again kontor --home "$H" db verify || {
	if [ -n "${MP_KEEP:-}" ]; then
		daemon_stop "$H"; cp -a "$H" "$MP_KEEP"
	fi
	fail "db verify"
}
daemon_stop "$H"
kontor --home "$H" db verify >/dev/null || fail "db verify without the daemon"
echo "ok"
