#!/bin/sh
# The kontor command: help, version, usage errors, db init, daemon,
# clerks without a daemon, history.
set -eu
. "$TEST_SRCDIR/lib.sh"
H=$T/env

expect_status 0 kontor --help
expect_text "$T/out" "Usage: kontor"
expect_status 0 kontor --version
expect_text "$T/out" "kontor "
expect_status 64 kontor
expect_status 64 kontor no-such-command
expect_text "$T/err" "unknown command 'no-such-command'"
expect_status 64 kontor db
expect_status 64 kontor db frobnicate
for c in db daemon demo history; do
	expect_status 0 kontor "$c" --help
	expect_text "$T/out" "Usage: kontor $c"
done

# No home anywhere: a clear message, not a crash.
expect_status 64 kontor db stat
expect_text "$T/err" "no database home"

# A folder without a database.
mkdir "$T/empty"
expect_status 66 kontor --home "$T/empty" db verify
expect_text "$T/err" "no Kontor database here"

# Create; a second init refuses; the summary names the creator.
expect_status 0 kontor --home "$H" db init
expect_text "$T/out" "Created the Kontor database in $H"
expect_text "$T/out" "(administrator)"
expect_status 65 kontor --home "$H" db init
expect_text "$T/err" "there is a Kontor database here already"
[ -f "$H/DB_CONFIG" ] && [ -d "$H/data" ] && [ -d "$H/logs" ] ||
	fail "home layout"

# KONTOR_HOME works like --home; relative homes become absolute.
KONTOR_HOME=$H expect_status 0 kontor db stat
expect_text "$T/out" "Environment   $H"
(cd "$T" && expect_status 0 kontor --home env db stat)

# A clerk refuses without the daemon and says how to start it.
expect_status 69 ktool clerk "$H"
expect_text "$T/err" "kontor daemon is not running"
expect_text "$T/err" "kontor --home $H daemon"

# The daemon: start, status, a second start, clerks join, stop.
expect_status 69 kontor --home "$H" daemon --status
daemon_start "$H"
expect_status 0 kontor --home "$H" daemon --status
expect_text "$T/out" "is running"
expect_status 0 kontor --home "$H" daemon
expect_text "$T/out" "already running"
expect_status 0 ktool clerk "$H"
[ -s "$H/daemon.log" ] || fail "no daemon log"
expect_text "$H/daemon.log" "ready: watching $H"

# History through the command: created, changed, with old -> new values.
ktool seed "$H" 3
ktool set "$H" A0002 42.50
ktool set "$H" A0002 43.00
expect_status 0 kontor --home "$H" history acct A0002
expect_text "$T/out" "created"
expect_text "$T/out" "balance              1000.00 -> 42.50"
expect_text "$T/out" "balance              42.50 -> 43.00"
[ "$(grep -c changed "$T/out")" -eq 2 ] || fail "two changes expected"
expect_status 0 kontor --home "$H" history acct '#2'
expect_text "$T/out" "42.50 -> 43.00"
expect_status 66 kontor --home "$H" history acct NOPE
expect_text "$T/err" "acct \"NOPE\" not found"
expect_status 64 kontor --home "$H" history nosuchtable X
expect_text "$T/err" "no table named 'nosuchtable'"

daemon_stop "$H"
expect_status 69 kontor --home "$H" daemon --status
# One-off commands work alone once the daemon is gone.
expect_status 0 kontor --home "$H" db verify
expect_text "$T/out" "verified, no problems"
echo ok
