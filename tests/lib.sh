# tests/lib.sh - shared by the shell tests.  Source it; it gives
#   $T        a fresh temporary folder, removed on exit
#   kontor    the kontor command with the test table "acct" known
#   ktool     the test helper (tests/tool/ktool.c)
#   fail MSG  print MSG and exit 1
#   expect_status N CMD...   run CMD, require exit status N, keep stderr in $T/err
#   daemon_start HOME / every daemon started is stopped on exit
set -u
: "${KTOOL:?run the shell tests through make check}"
unset KONTOR_CONF KONTOR_HOME
export LC_ALL=C.UTF-8 TZ=UTC
T=$(mktemp -d "${TMPDIR:-/tmp}/kontor-test.XXXXXX")
DAEMON_HOMES=""

cleanup() {
	for h in $DAEMON_HOMES; do
		"$KTOOL" kontor --home "$h" daemon --stop >/dev/null 2>&1 || true
	done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

kontor() { "$KTOOL" kontor "$@"; }
ktool() { "$KTOOL" "$@"; }

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# expect_status N CMD... : stdout to $T/out, stderr to $T/err.
expect_status() {
	want=$1
	shift
	set +e
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	set -e
	if [ "$got" -ne "$want" ]; then
		echo "command: $*" >&2
		echo "stdout:" >&2; cat "$T/out" >&2
		echo "stderr:" >&2; cat "$T/err" >&2
		fail "exit status $got, expected $want"
	fi
}

# expect_text FILE TEXT : FILE must contain TEXT (fixed string).
expect_text() {
	grep -qF -- "$2" "$1" || {
		echo "--- $1:" >&2
		cat "$1" >&2
		fail "expected '$2' in $1"
	}
}

daemon_start() {
	kontor --home "$1" daemon >/dev/null || fail "daemon did not start for $1"
	DAEMON_HOMES="$DAEMON_HOMES $1"
}

daemon_stop() {
	kontor --home "$1" daemon --stop >/dev/null || fail "daemon did not stop"
}
