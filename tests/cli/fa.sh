#!/bin/sh
# Fixed assets from the command line: assets imported from CSV, the
# monthly run (posted once, in order, never into a closed period), a
# disposal with a loss, and the two reports as text and CSV.
set -eu
. "$TEST_SRCDIR/lib.sh"
export KONTOR_TODAY=2026-06-15
k() { "$KONTOR" "$@"; }

H=$T/co
expect_status 0 k --home "$H" db init --chart cn
expect_text "$T/out" "Loaded 5 faclass records"
expect_status 0 k --home "$H" period create 2026
expect_status 0 k --home "$H" import department "$TOP_SRCDIR/data/departments.csv"

# Four assets (worked out in the comments of tests/unit/finance):
#   FA-0001 MACH straight-line 120 months, next-month: 1,000.00 a month
#           from 2026-02, to 5101 for D500
#   FA-0002 FURN straight-line 60 months from 2026-01: 100.00 a month,
#           to 6602 for D200
#   FA-0003 VEH double-declining 5 years (40%), next-month: year 1
#           40,000.00, 3,333.33 a month from 2026-02
#   TRUCK   units: 96,000.00 over 100,000 km (0.96 a km); February
#           3,000 km = 2,880.00, March none
cat >"$T/assets.csv" <<'CSV'
code,name,class,acquired,cost,salvage,life_months,method,department,location,total_units,usage
FA-0001,数控车床 CNC lathe,MACH,2026-01-10,120000.00,,,,D500,车间 A,,
FA-0002,办公桌椅 Desks,FURN,2025-12-20,6000,,,,D200,,,
FA-0003,叉车 Forklift,VEH,2026-01-15,100000,4000,60,declining,D600,,,
TRUCK,货车 Truck,VEH,2026-01-15,100000,4000,,units,D600,,100000,2026-02|3000
CSV
expect_status 0 k --home "$H" import asset "$T/assets.csv"

# Bad rows name the line and the field; nothing is imported.
cat >"$T/bad.csv" <<'CSV'
code,name,class,acquired,cost,salvage
FA-0009,Bad one,MACH,2026-01-10,1000,1000.01
FA-0010,No class,,2026-01-10,1000,0
CSV
expect_status 65 k --home "$H" import asset "$T/bad.csv"
expect_text "$T/err" "bad.csv:2: salvage: salvage must not be more than the cost"
expect_text "$T/err" "bad.csv:3: class: class is required"

# January: FA-0002 only.
expect_status 0 k --home "$H" fa depreciate --period 2026-01
expect_text "$T/out" "Posted JE-000001: depreciation of 2026-01, 1 assets, 100.00"
# February: 1,000.00 + 100.00 + 3,333.33 + 2,880.00 = 7,313.33.
expect_status 0 k --home "$H" fa depreciate --period 2026-02
expect_text "$T/out" "Posted JE-000002: depreciation of 2026-02, 4 assets, 7,313.33"
# Again: nothing more.
expect_status 0 k --home "$H" fa depreciate --period 2026-02
expect_text "$T/out" "The depreciation of 2026-02 was posted already (JE-000002); nothing more posted"
# Out of order, malformed, unknown.
expect_status 65 k --home "$H" fa depreciate --period 2026-04
expect_text "$T/err" "run the depreciation of 2026-03 first: the last run was 2026-02"
expect_status 66 k --home "$H" fa depreciate --period 2025-12
expect_text "$T/err" "no period 2025-12"
expect_status 64 k --home "$H" fa depreciate --period 2026-3
expect_text "$T/err" "not a period: 2026-3"
expect_status 64 k --home "$H" fa depreciate
expect_status 64 k --home "$H" fa depreciate --month 2026-03
expect_status 64 k --home "$H" fa frobnicate

# The schedule of FA-0001 as CSV and as text.
expect_status 0 k --home "$H" report depreciation-schedule --param asset=FA-0001 --format csv
head -3 "$T/out" >"$T/head"
printf '%s\n' "period,depreciation,accumulated,book_value,posted" \
	"2026-02,1000.00,1000.00,119000.00,yes" \
	"2026-03,1000.00,2000.00,118000.00," | cmp -s - "$T/head" ||
	{ cat "$T/head" >&2; fail "schedule CSV"; }
[ "$(wc -l <"$T/out")" -eq 121 ] || fail "not 120 months"
expect_status 0 k --home "$H" report depreciation-schedule --param asset=FA-0003
expect_text "$T/out" "Depreciation schedule"
expect_text "$T/out" "Total Year 1 (12 rows)"
expect_text "$T/out" "40,000.00"
expect_text "$T/out" "96,000.00"
expect_status 64 k --home "$H" report depreciation-schedule --param asset=NOPE
expect_text "$T/err" "parameter asset: no asset with code NOPE"
expect_status 64 k --home "$H" report depreciation-schedule

# Dispose of FA-0002 on 2026-03-10 for 5,000.00: next-month, so March
# first (100.00): accumulated 300.00, book value 5,700.00, loss 700.00.
expect_status 0 k --home "$H" fa dispose FA-0002 --date 2026-03-10 --proceeds 5000
expect_text "$T/out" "Disposed of FA-0002 in JE-000003: depreciation to the disposal 100.00, book value 5,700.00, loss 700.00"
expect_status 65 k --home "$H" fa dispose FA-0002 --date 2026-03-11
expect_text "$T/err" "FA-0002 was disposed of on 2026-03-10"
expect_status 66 k --home "$H" fa dispose NOPE --date 2026-03-11
expect_status 64 k --home "$H" fa dispose FA-0001 --date 2026-02-30
expect_status 64 k --home "$H" fa dispose FA-0001

# March leaves the disposed asset out: 1,000.00 + 3,333.33 = 4,333.33.
expect_status 0 k --home "$H" fa depreciate --period 2026-03
expect_text "$T/out" "Posted JE-000004: depreciation of 2026-03, 2 assets, 4,333.33"

# The register: in service, by class, with totals; CSV raw.
expect_status 0 k --home "$H" report asset-register
expect_text "$T/out" "Fixed asset register"
expect_text "$T/out" "Class: MACH 机器设备"
expect_text "$T/out" "Class: VEH 运输工具"
expect_text "$T/out" "320,000.00"
grep -q "FA-0002" "$T/out" && fail "a disposed asset in the register in service"
expect_status 0 k --home "$H" report asset-register --param status=all --format csv
expect_text "$T/out" "code,name,acquired,method,life_months,department,cost,accumulated,book_value,status"
expect_text "$T/out" "FA-0001,数控车床 CNC lathe,2026-01-10,straight-line,120,D500,120000.00,2000.00,118000.00,active"
expect_text "$T/out" "FA-0002,办公桌椅 Desks,2025-12-20,straight-line,60,D200,6000.00,300.00,5700.00,disposed"
expect_text "$T/out" "FA-0003,叉车 Forklift,2026-01-15,declining,60,D600,100000.00,6666.66,93333.34,active"

# A closed period is refused; nothing is posted.
for p in 2026-01 2026-02 2026-03 2026-04; do
	expect_status 0 k --home "$H" gl close "$p"
done
expect_status 65 k --home "$H" fa depreciate --period 2026-04
expect_text "$T/err" "period 2026-04 is closed"
expect_status 65 k --home "$H" fa dispose FA-0001 --date 2026-04-10
expect_text "$T/err" "period 2026-04 is closed"
expect_status 0 k --home "$H" history farun 2026-03
expect_status 66 k --home "$H" history farun 2026-04

# With users listed, the run needs farun.post.
cat >"$T/users.conf" <<EOF2
roles = ( { name = "reader"; permissions = [ "*.read", "report.*" ]; } );
users = ( { login = "$(id -un)"; roles = [ "reader" ]; } );
EOF2
expect_status 77 k --config "$T/users.conf" --home "$H" fa depreciate --period 2026-05
expect_text "$T/err" "farun.post"
expect_status 77 k --config "$T/users.conf" --home "$H" fa dispose FA-0001 --date 2026-05-01
expect_text "$T/err" "asset.dispose"
expect_status 0 k --home "$H" db verify
echo ok
