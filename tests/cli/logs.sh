#!/bin/sh
# Log files: removed once no checkpoint needs them, kept in archive mode,
# copied to archive_dir before removal.
set -eu
. "$TEST_SRCDIR/lib.sh"

nlogs() { ls "$1/logs" | grep -c '^log\.'; }

# Default: kontor db checkpoint removes what is no longer needed.
kontor --home "$T/a" db init >/dev/null
ktool seed "$T/a" 12000
[ "$(nlogs "$T/a")" -ge 2 ] || fail "the seed should span log files"
expect_status 0 kontor --home "$T/a" db checkpoint
[ "$(nlogs "$T/a")" -eq 1 ] || fail "old logs not removed: $(ls "$T/a/logs")"
[ "$(ktool total "$T/a")" = "12000000.00" ] || fail "total after removal"

# Archive mode keeps every log file.
printf 'database = { archive_logs = true; };\n' >"$T/keep.conf"
kontor --config "$T/keep.conf" --home "$T/b" db init >/dev/null
ktool seed "$T/b" 12000
before=$(nlogs "$T/b")
expect_status 0 kontor --config "$T/keep.conf" --home "$T/b" db checkpoint
[ "$(nlogs "$T/b")" -eq "$before" ] || fail "archive mode removed logs"

# archive_dir: copied there, then removed here.
mkdir "$T/arch"
printf 'database = { archive_logs = true; archive_dir = "%s"; };\n' \
	"$T/arch" >"$T/arch.conf"
kontor --config "$T/arch.conf" --home "$T/c" db init >/dev/null
ktool seed "$T/c" 12000
before=$(nlogs "$T/c")
expect_status 0 kontor --config "$T/arch.conf" --home "$T/c" db checkpoint
[ "$(nlogs "$T/c")" -eq 1 ] || fail "archived logs left in place"
[ "$(ls "$T/arch" | grep -c '^log\.')" -eq $((before - 1)) ] ||
	fail "logs not archived: $(ls "$T/arch")"
[ -s "$T/arch/log.0000000001" ] || fail "empty archived log"
echo ok
