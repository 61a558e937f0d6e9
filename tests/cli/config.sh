#!/bin/sh
# kontor.conf through the command: errors name FILE:LINE and exit 78;
# users and roles decide who may do what.
set -eu
. "$TEST_SRCDIR/lib.sh"
H=$T/env
me=$(id -un)

printf 'company = { name = "Test";\n  currency = "CNY"\n  fiscal_year_start = 13; };\n' >"$T/bad.conf"
expect_status 78 kontor --config "$T/bad.conf" --home "$H" db init
expect_text "$T/err" "$T/bad.conf:3:"
[ ! -e "$H" ] || fail "a bad config created something"

printf 'company = { name = "Test" \n' >"$T/syntax.conf"
expect_status 78 kontor --config "$T/syntax.conf" --home "$H" db init
expect_text "$T/err" "$T/syntax.conf:"

printf 'database = { cache_size = "64M"; colour = "blue"; };\n' >"$T/unknown.conf"
expect_status 78 kontor --config "$T/unknown.conf" --home "$H" db init
expect_text "$T/err" "$T/unknown.conf:1:"
expect_text "$T/err" "colour"

# KONTOR_CONF names a file that must exist.
KONTOR_CONF=$T/missing.conf expect_status 78 kontor --home "$H" db init
expect_text "$T/err" "missing.conf"

# database.home from the config.
cat >"$T/home.conf" <<EOC
database = { home = "$H"; };
company = { name = "配置公司"; };
EOC
expect_status 0 kontor --config "$T/home.conf" db init
expect_text "$T/out" "Company    配置公司"

# A login the config does not know is refused, by name.
cat >"$T/users.conf" <<EOC
users = ( { login = "nobody-else"; roles = [ "admin" ]; } );
roles = ( { name = "admin"; permissions = [ "*" ]; } );
EOC
expect_status 67 kontor --config "$T/users.conf" --home "$H" db verify
expect_text "$T/err" "\"$me\""
# ... before anything is opened: no recovery runs for a stranger.
expect_status 67 kontor --config "$T/users.conf" --home "$T/none" db verify
expect_status 67 kontor --config "$T/users.conf" --home "$T/other" db init
[ ! -e "$T/other/data" ] || fail "an unknown login created a database"

# A role without db.verify may not verify, but may read the audit trail.
cat >"$T/clerk.conf" <<EOC
users = ( { login = "$me"; roles = [ "clerk" ]; } );
roles = ( { name = "clerk"; permissions = [ "*.read", "audit.*", "!db.*" ]; } );
EOC
expect_status 77 kontor --config "$T/clerk.conf" --home "$H" db verify
expect_text "$T/err" "$me may not db.verify"
ktool seed "$H" 1
expect_status 0 kontor --config "$T/clerk.conf" --home "$H" history acct A0001
expect_text "$T/out" "created"

# cache_size and lock_timeout_ms reach DB_CONFIG when the daemon recovers.
cat >"$T/sizes.conf" <<EOC
database = { cache_size = "32M"; lock_timeout_ms = 2000; };
EOC
kontor --home "$T/sized" db init >/dev/null
expect_text "$T/sized/DB_CONFIG" "set_cachesize 0 268435456 1"
kontor --config "$T/sizes.conf" --home "$T/sized" daemon >/dev/null ||
	fail "daemon with sizes.conf"
DAEMON_HOMES="$DAEMON_HOMES $T/sized"
expect_text "$T/sized/DB_CONFIG" "set_cachesize 0 33554432 1"
expect_text "$T/sized/DB_CONFIG" "set_lock_timeout 2000000"
daemon_stop "$T/sized"
echo ok
