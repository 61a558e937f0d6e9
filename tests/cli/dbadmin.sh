#!/bin/sh
# Backup while clerks work, restore, checkpoint, stat, verify.
set -eu
. "$TEST_SRCDIR/lib.sh"
H=$T/env
kontor --home "$H" db init >/dev/null
ktool seed "$H" 500
daemon_start "$H"

# Clerks keep writing while the backup runs.
"$KTOOL" transfer "$H" 4 1 >"$T/w1.out" 2>&1 &
w1=$!
"$KTOOL" transfer "$H" 4 2 >"$T/w2.out" 2>&1 &
w2=$!
sleep 1
expect_status 0 kontor --home "$H" db backup "$T/backup"
expect_text "$T/out" "Backed up"
[ -f "$T/backup/KONTOR-BACKUP" ] || fail "no backup mark"
expect_status 65 kontor --home "$H" db backup "$T/backup"
expect_text "$T/err" "must be empty or absent"
# Verify while they write: checked on a fresh hot backup.
expect_status 0 kontor --home "$H" db verify
wait "$w1" "$w2" || fail "a clerk failed during the backup"

expect_status 0 kontor --home "$H" db stat
expect_text "$T/out" "Daemon        running"
expect_text "$T/out" "acct                              500"
expect_status 0 kontor --home "$H" db checkpoint
[ "$(ktool total "$H")" = "500000.00" ] || fail "total"

# Restore needs the daemon stopped.
expect_status 75 kontor --home "$H" db restore "$T/backup"
expect_text "$T/err" "stop kontor daemon"
daemon_stop "$H"

# Restore into a new home: the backup is whole and balanced.
expect_status 0 kontor --home "$T/copy" db restore "$T/backup"
expect_status 0 kontor --home "$T/copy" db verify
[ "$(ktool total "$T/copy")" = "500000.00" ] || fail "restored total"

# Restore over the live home keeps the old one aside.
ktool set "$H" A0001 1.00
expect_status 0 kontor --home "$H" db restore "$T/backup"
expect_text "$T/out" "pre-restore-"
[ "$(ktool total "$H")" = "500000.00" ] || fail "total after restore"
ls -d "$H"/pre-restore-*/data >/dev/null || fail "old data not kept"

# Not a backup.
mkdir "$T/junk"
expect_status 66 kontor --home "$H" db restore "$T/junk"
expect_text "$T/err" "not a Kontor backup"
echo ok
