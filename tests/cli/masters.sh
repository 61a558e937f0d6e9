#!/bin/sh
# The finance masters from the command line: db init with a chart,
# period create and list, and the mistakes they refuse.
set -eu
. "$TEST_SRCDIR/lib.sh"
export KONTOR_TODAY=2026-06-15
# The real program, with every entity's table (lib.sh's kontor has the
# test table only).
k() { "$KONTOR" "$@"; }

# A bad chart is a usage error naming the choices; nothing is created.
expect_status 64 k --home "$T/bad" db init --chart xx
expect_text "$T/err" 'unknown chart "xx"; the charts are cn and ifrs'
[ ! -e "$T/bad" ] || fail "db init with a bad chart created the home"
expect_status 64 k --home "$T/bad" db init --chart
expect_status 64 k --home "$T/bad" db init extra

# The IFRS chart with its taxes, currencies and terms.
H=$T/ifrs
expect_status 0 k --home "$H" db init --chart ifrs
expect_text "$T/out" "Created the Kontor database in $H"
expect_text "$T/out" "Loaded 6 currency records"
expect_text "$T/out" "chart-ifrs.csv"
expect_text "$T/out" "Loaded 6 tax records"
expect_text "$T/out" "Loaded 8 terms records"
expect_status 0 k --home "$H" history account 4000
expect_text "$T/out" "Revenue from the sale of goods"
expect_status 0 k --home "$H" history tax VAT20
expect_status 66 k --home "$H" history account 6001   # the Chinese chart's

# The default is the Chinese chart.
expect_status 0 k --home "$T/cn" db init
expect_text "$T/out" "chart-cn.csv"
expect_text "$T/out" "Loaded 8 tax records"
expect_status 0 k --home "$T/cn" history account 2221.02
expect_text "$T/out" "应交增值税(销项税额)"
expect_status 0 k --home "$T/cn" db verify

# period create YEAR; again is refused; list shows the months.
expect_status 0 k --home "$H" period create 2026
expect_text "$T/out" "Created fiscal year 2026, 2026-01-01 to 2026-12-31, with 12 open periods"
expect_status 65 k --home "$H" period create 2026
expect_text "$T/err" "fiscal year 2026 exists already"
expect_status 64 k --home "$H" period create 20x6
expect_status 64 k --home "$H" period create
expect_status 0 k --home "$H" period list
expect_text "$T/out" "2026         2026-01-01  2026-12-31  open"
expect_text "$T/out" "  2026-02     2  2026-02-01  2026-02-28  open"
expect_text "$T/out" "  2026-12    12  2026-12-01  2026-12-31  open"
[ "$(grep -c '^  2026-' "$T/out")" -eq 12 ] || fail "not 12 periods"
expect_status 0 k --home "$H" period list 2026
expect_text "$T/out" "2026-07"
expect_status 66 k --home "$H" period list 2027
expect_text "$T/err" "no fiscal year 2027"

# A fiscal year from April (kontor.conf), next to the calendar one.
printf 'company = { fiscal_year_start = 4; };\n' >"$T/april.conf"
expect_status 65 k --config "$T/april.conf" --home "$H" period create 2025
expect_text "$T/err" "overlap fiscal year 2026"
expect_status 0 k --config "$T/april.conf" --home "$H" period create 2027
expect_text "$T/out" "2027-04-01 to 2028-03-31"
expect_status 0 k --home "$H" period list 2027
expect_text "$T/out" "  2028-03    12  2028-03-01  2028-03-31  open"
expect_status 0 k --home "$H" db verify

# While the daemon runs, one-off commands join it.
daemon_start "$H"
expect_status 0 k --home "$H" period create 2029
expect_status 0 k --home "$H" period list 2029
daemon_stop "$H"

# With users listed, creating periods needs period.create.
cat >"$T/users.conf" <<EOF
roles = ( { name = "reader"; permissions = [ "*.read" ]; } );
users = ( { login = "$(id -un)"; roles = [ "reader" ]; } );
EOF
expect_status 77 k --config "$T/users.conf" --home "$H" period create 2031
expect_text "$T/err" "period.create"
expect_status 0 k --config "$T/users.conf" --home "$H" period list 2026
echo ok
