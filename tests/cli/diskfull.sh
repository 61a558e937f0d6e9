#!/bin/sh
# Postings on a file system that fills up.  The test mounts a 160 MiB
# tmpfs (named kontor-diskfull), puts a company there with the daemon
# running, leaves about 3 MiB with a filler file, then posts journal
# entries through gl_post (ktool post: one durable transaction each, as
# a clerk) until the disk is full.  Berkeley DB meets a full disk in
# more than one way (HACKING, "Disk full"); the two scenarios show them:
#   big:   the default 256 MiB cache: its shared memory file (HOME/
#          __db.003) grows with the pages it holds, and the first touch
#          of a page the disk cannot give is SIGBUS: the clerk dies inside
#          the library, says why, the daemon evicts everyone and recovers;
#   small: a 1 MiB cache, whose file is whole at once: a log write or a
#          page write fails with ENOSPC, and calls return it or ENOMEM
#          ("unable to allocate space from the buffer cache").
# Either way the clerk reads "no space left on the disk of the database"
# and the home, with status 74.  Then the rest of the disk is filled and
# 'kontor gl recur' posts the rent month after month until the disk
# refuses, with the same message and status; gl verify says so too or
# works.  Afterwards, with the filler files deleted:
#   - every entry whose commit was acknowledged is there with its amount,
#     the failed ones are not (or, when the process died of SIGBUS inside
#     the commit, it may be, whole), no number was lost (JE-000001.. gap
#     free), gl verify and db verify are clean;
#   - the daemon is running: it recovered by itself where it had to;
#   - new postings succeed, numbered on from the last.
# Skipped (77) where the machine does not let us mount a tmpfs.
set -eu
. "$TEST_SRCDIR/lib.sh"
export KONTOR_TODAY=2026-06-15
k() { "$KONTOR" "$@"; }

if [ "$(id -u)" != 0 ]; then
	echo "SKIP: mounting a small tmpfs needs root (uid $(id -u))"
	exit 77
fi
command -v mount >/dev/null && command -v umount >/dev/null ||
	{ echo "SKIP: no mount/umount here"; exit 77; }
MNT=$T/mnt
H=$MNT/none
mkdir "$MNT"
if ! mount -t tmpfs -o size=160m,mode=0700 kontor-diskfull "$MNT" \
	2>"$T/mount.err"; then
	echo "SKIP: cannot mount a tmpfs here (no CAP_SYS_ADMIN, or a" \
	     "container that forbids it): $(cat "$T/mount.err")"
	exit 77
fi

# Whatever happens: the daemon first (its supervisor too, which may be
# between two watchers), then the mount, then lib.sh's cleanup.
disk_cleanup() {
	status=$?
	if [ "$status" -ne 0 ] && [ -f "$H/daemon.log" ]; then
		echo "--- $H/daemon.log:" >&2
		cat "$H/daemon.log" >&2
	fi
	for h in $DAEMON_HOMES; do
		"$KONTOR" --home "$h" daemon --stop >/dev/null 2>&1 || true
	done
	for pid in $(pgrep -f -- "--home $MNT/" 2>/dev/null); do
		kill -9 "$pid" 2>/dev/null || true
	done
	for i in 1 2 3 4 5 6 7 8 9 10; do
		mountpoint -q "$MNT" || break
		umount "$MNT" 2>/dev/null || sleep 0.5
	done
	! mountpoint -q "$MNT" || umount -l "$MNT"
	cleanup
}
trap disk_cleanup EXIT

# The watcher's pid while the daemon is ready, else nothing.
watcher() {
	k --home "$H" daemon --status 2>/dev/null |
		sed -n 's/.*is running for .* (pid \([0-9]*\)).*/\1/p'
}

# settle OLD [SECONDS]: waits until the daemon is ready with the same
# watcher for 2 s in a row (a recovery it started has ended), 30 s at
# most; OLD was the watcher before.  With SECONDS, waits that long at
# most and returns 1 if it is not ready (it may wait for disk space).
settle() {
	prev=""
	for i in $(seq "${2:-30}"); do
		w=$(watcher)
		if [ -n "$w" ] && [ "$w" = "$prev" ]; then
			[ "$w" = "$1" ] || echo "the daemon recovered by itself (watcher $1 -> $w)"
			return 0
		fi
		prev=$w
		sleep 1
	done
	[ -z "${2:-}" ] || return 1
	fail "the daemon did not become ready again by itself"
}

# The space left, in KiB.
avail() { df -Pk "$MNT" | awk 'NR == 2 { print $4 }'; }

# run_again CMD...: runs CMD again while it exits 75 (evicted while the
# daemon recovers: "try again"), 30 s at most; stdout, stderr and the
# status in $T/out, $T/err and $got.
run_again() {
	evicted=""
	for i in $(seq 60); do
		set +e
		"$@" >"$T/out" 2>"$T/err"
		got=$?
		set -e
		[ "$got" -eq 75 ] || return 0
		evicted=yes
		sleep 0.5
	done
}

# expect_nospace CMD...: exit 74 and the message that names the home.
expect_nospace() {
	run_again "$@"
	[ "$got" -eq 74 ] || { cat "$T/err" >&2; fail "$*: exit status $got, expected 74"; }
	expect_text "$T/err" "kontor: "
	expect_text "$T/err" "no space left on the disk of the database"
	expect_text "$T/err" "$H"
}

# ok CMD...: exit 0 (run again while evicted).
ok() {
	run_again "$@"
	[ "$got" -eq 0 ] || { cat "$T/err" >&2; fail "$*: exit status $got"; }
}

# scenario NAME CACHE: one company on the tmpfs, filled up and freed.
scenario() {
	H=$MNT/$1
	echo "--- $1: cache ${2:-256M (default)}"
	if [ -n "$2" ]; then
		echo "database = { cache_size = \"$2\"; };" >"$T/$1.conf"
		export KONTOR_CONF="$T/$1.conf"
	else
		unset KONTOR_CONF
	fi
	k --home "$H" db init --chart cn >/dev/null
	k --home "$H" period create 2026 >/dev/null
	k --home "$H" import jtemplate "$T/tpl.csv" >/dev/null
	# The daemon's log outside the tmpfs: it can say what happened.
	ln -s "$T/$1.daemon.log" "$H/daemon.log"
	k --home "$H" daemon >/dev/null || fail "the daemon did not start"
	DAEMON_HOMES="$DAEMON_HOMES $H"

	# 50 entries while there is room: JE-000001 .. JE-000050.
	expect_status 0 timeout 60 "$KTOOL" post "$H" 50 warm
	grep '^JE-' "$T/out" >"$T/acked"

	# Leave about 3 MiB (with less than 2 a new process is refused).
	free=$(avail)
	[ "$free" -gt 8192 ] || fail "only $free KiB free on the tmpfs"
	dd if=/dev/zero of="$MNT/filler" bs=64k count=$(( (free - 3072) / 64 )) \
		2>/dev/null || true

	# Post until the disk is full: it must end with the clear message.
	w0=$(watcher)
	expect_status 74 timeout 60 "$KTOOL" post "$H" 100000 full
	grep '^JE-' "$T/out" >>"$T/acked" || true
	expect_text "$T/err" "no space left on the disk of the database"
	expect_text "$T/err" "$H"
	n_full=$(grep -c ' full ' "$T/acked" || true)
	[ "$n_full" -gt 0 ] || fail "no posting went through before the disk was full"
	# The call failed (ENOSPC): ktool names the posting, which must not
	# be there.  Or ktool died of SIGBUS inside Berkeley DB: then that
	# posting may have committed without being acknowledged.
	if grep -q '^failed full ' "$T/out"; then
		maybe=""
	else
		expect_text "$T/err" "shared memory files"
		maybe="full $((n_full + 1))"
	fi
	echo "full after $n_full postings: $(cat "$T/err")"

	# What the user sees at the command line: fill what is left, then
	# post the rent month after month with 'kontor gl recur' until the
	# disk refuses (a few may still fit).  A command evicted while the
	# daemon recovers (75, "try again") is run again; the daemon may
	# also wait for space before it can recover.
	settle "$w0" 15 || echo "the daemon waits for space to recover"
	dd if=/dev/zero of="$MNT/filler2" bs=4k 2>/dev/null || true
	: >"$T/rent"
	refused=""
	for m in 06 07 08 09 10 11 12; do
		run_again timeout 60 "$KONTOR" --home "$H" gl recur "2026-$m"
		if [ "$got" -eq 0 ]; then
			expect_text "$T/out" "1 posted"
			echo "TPL RENT 2026-$m" >>"$T/rent"
			continue
		fi
		[ "$got" -eq 74 ] || { cat "$T/err" >&2; fail "gl recur 2026-$m on the full disk: exit status $got"; }
		expect_text "$T/err" "kontor: "
		expect_text "$T/err" "no space left on the disk of the database"
		expect_text "$T/err" "$H"
		refused=$m
		break
	done
	[ -n "$refused" ] || fail "the full disk took every month's rent"
	echo "kontor gl recur 2026-$refused: $(cat "$T/err")"
	# Killed or evicted in the middle, it may have committed, whole.
	rent_maybe=""
	if [ -n "$evicted" ] || grep -q 'shared memory files' "$T/err"; then
		rent_maybe="TPL RENT 2026-$refused"
	fi
	run_again timeout 60 "$KONTOR" --home "$H" gl verify
	if [ "$got" -ne 0 ]; then
		[ "$got" -eq 74 ] || { cat "$T/err" >&2; fail "gl verify on the full disk: exit status $got"; }
		expect_text "$T/err" "no space left on the disk of the database"
		expect_text "$T/err" "$H"
	fi
	echo "kontor gl verify: status $got $(cat "$T/err")"

	# Space again: the daemon runs (recovered by itself if it had to).
	rm -f "$MNT/filler" "$MNT/filler2"
	settle "$w0"
	expect_status 0 k --home "$H" daemon --status

	# Every acknowledged posting is there, with its reference and
	# amount; nothing else was posted (the failed one, the rent).
	ok k --home "$H" export journal
	cp "$T/out" "$T/j.csv"
	grep '^JE-' "$T/j.csv" | cut -d, -f1,7,10 | sort >"$T/all"
	grep -v ',TPL RENT ' "$T/all" >"$T/there" || true
	awk '{ print $1 "," $2 " " $3 "," $4 }' "$T/acked" | sort >"$T/want"
	# The rent: every month acknowledged once, the refused one not (or
	# once, when its command died in the commit).
	grep ',TPL RENT ' "$T/all" | cut -d, -f2 | sort >"$T/rent.there"
	sort "$T/rent" >"$T/rent.want"
	if [ -n "$rent_maybe" ] && grep -qx "$rent_maybe" "$T/rent.there"; then
		echo "$rent_maybe" >>"$T/rent.want"
		sort -o "$T/rent.want" "$T/rent.want"
		echo "committed, not acknowledged: $rent_maybe"
	fi
	cmp -s "$T/rent.want" "$T/rent.there" || { diff "$T/rent.want" "$T/rent.there" >&2;
		fail "the rent entries are not the acknowledged ones"; }
	! grep -q ',TPL RENT .*,[^8]' "$T/all" || fail "a rent entry with another amount"
	n_rent=$(grep -c "TPL RENT 2026-$refused\$" "$T/rent.there" || true)
	comm -23 "$T/want" "$T/there" >"$T/missing"
	[ ! -s "$T/missing" ] || { cat "$T/missing" >&2;
		fail "acknowledged postings missing or changed"; }
	comm -13 "$T/want" "$T/there" >"$T/extra"
	if [ -s "$T/extra" ]; then
		# Only the posting whose clerk died in the commit.
		[ -n "$maybe" ] && [ "$(wc -l <"$T/extra")" -eq 1 ] &&
			grep -q ",$maybe," "$T/extra" ||
			{ cat "$T/extra" >&2; fail "entries there that were not acknowledged"; }
		echo "committed, not acknowledged (ktool died in the commit): $(cat "$T/extra")"
	fi
	n_there=$(wc -l <"$T/all")
	# Gap free: the last number is the count (JE-000001 .. JE-n).
	last=$(cut -d, -f1 "$T/all" | tail -1)
	[ "$last" = "$(printf 'JE-%06d' "$n_there")" ] ||
		fail "last entry $last of $n_there: a number was lost"

	# Nothing half there: the balances agree with the entries, every
	# index and audit row with its record.
	ok k --home "$H" gl verify
	expect_text "$T/out" "agree with the entries"
	ok k --home "$H" db verify
	expect_text "$T/out" "no problems"

	# Work goes on: the next number follows without a gap.
	expect_status 0 timeout 60 "$KTOOL" post "$H" 3 after
	expect_text "$T/out" "$(printf 'JE-%06d' $((n_there + 1))) after 1 1.00"
	ok k --home "$H" gl recur "2026-$refused"
	expect_text "$T/out" "$((1 - n_rent)) posted, $n_rent posted before"
	ok k --home "$H" gl verify
	expect_text "$T/out" "agree with the entries"

	echo "daemon.log:"
	sed 's/^/  /' "$H/daemon.log"
	k --home "$H" daemon --stop >/dev/null || fail "the daemon did not stop"
	rm -rf "$H"
}

cat >"$T/tpl.csv" <<'CSV'
code,description,day,start,end,status,lines
RENT,Office rent,30,2026-01-01,,active,"6602|8000.00||||rent|||
1002||8000.00|||||"
CSV
scenario big ""
scenario small 1M
