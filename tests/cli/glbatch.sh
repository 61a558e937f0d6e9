#!/bin/sh
# The general ledger's batch commands: recurring entries posted once per
# period, reversal, closing periods in order, the year-end close, and the
# balance check, on a real database with the Chinese chart.
set -eu
. "$TEST_SRCDIR/lib.sh"
export KONTOR_TODAY=2026-06-15
k() { "$KONTOR" "$@"; }

H=$T/co
k --home "$H" db init >/dev/null
k --home "$H" period create 2026 >/dev/null
cat >"$T/tpl.csv" <<'CSV'
code,description,day,start,end,status,lines
RENT,办公室租金 rent,31,2026-01-01,2026-03-31,active,"6602|8000.00||||月租|||
1002||8000.00|||||"
SALE,Monthly service,1,2026-01-01,,active,"1221|1130.00|||||||
6001||1000.00||||||
2221.02||130.00||||||"
CSV
expect_status 0 k --home "$H" import jtemplate "$T/tpl.csv"

# Posted once per period, whatever how often it is run.
expect_status 0 k --home "$H" gl recur 2026-01
expect_text "$T/out" "Recurring entries for 2026-01: 2 posted, 0 posted before"
expect_status 0 k --home "$H" gl recur 2026-01
expect_text "$T/out" "2026-01: 0 posted, 2 posted before"
expect_status 0 k --home "$H" gl recur 2026-02
expect_status 0 k --home "$H" gl recur 2026-04
expect_text "$T/out" "2026-04: 1 posted"          # RENT ended in March
expect_status 66 k --home "$H" gl recur 2031-01
expect_text "$T/err" "no period 2031-01"

# JE-000001 and -2 are January's (RENT first: code order), -3/-4 February's.
k --home "$H" export journal >"$T/j.csv"
expect_text "$T/j.csv" "JE-000001,GL-JE,2026-01-31,2026-01,办公室租金 rent,recurring,TPL RENT 2026-01"
expect_text "$T/j.csv" "JE-000005,GL-JE,2026-04-01,2026-04,Monthly service,recurring,TPL SALE 2026-04"

# Reverse: once; a reversal is not reversed; an unknown entry is named.
expect_status 0 k --home "$H" gl reverse JE-000003 --date 2026-04-02
expect_text "$T/out" "Entry JE-000003 reversed by JE-000006"
expect_status 65 k --home "$H" gl reverse JE-000003
expect_text "$T/err" "entry JE-000003 is reversed already by JE-000006"
expect_status 65 k --home "$H" gl reverse JE-000006
expect_text "$T/err" "is a reversal"
expect_status 66 k --home "$H" gl reverse JE-999999
expect_text "$T/err" "no entry JE-999999"
expect_status 64 k --home "$H" gl reverse JE-000001 --date 2026-02-30

# Periods close in order and open again backwards.
expect_status 65 k --home "$H" gl close 2026-02
expect_text "$T/err" "close 2026-01 first: periods close in order"
expect_status 0 k --home "$H" gl close 2026-01
expect_status 0 k --home "$H" gl close 2026-02
expect_status 65 k --home "$H" gl reopen 2026-01
expect_text "$T/err" "open 2026-02 first"
expect_status 65 k --home "$H" gl recur 2026-02
expect_text "$T/err" "period 2026-02 is closed"
expect_status 0 k --home "$H" gl recur 2026-05
expect_status 0 k --home "$H" gl verify
expect_text "$T/out" "agree with the entries"

# Year-end close.  Income 6001: January, February, April, May SALE =
# 4,000.00 credit; expense 6602: January and February RENT less the
# reversal of February's = 8,000.00 debit; so a loss of 4,000.00 goes
# to 4103 and on to 4104 (debit).
expect_status 0 k --home "$H" gl close-year 2026
expect_text "$T/out" "Fiscal year 2026 closed with 2 closing entries"
expect_status 65 k --home "$H" gl close-year 2026
expect_text "$T/err" "fiscal year 2026 is closed already"
expect_status 0 k --home "$H" period list 2027
expect_text "$T/out" "2027-01"
expect_status 0 k --home "$H" gl recur 2027-01
expect_text "$T/out" "1 posted"
expect_status 0 k --home "$H" db verify

k --home "$H" export journal >"$T/j2.csv"
grep -A2 'CLOSE 2026' "$T/j2.csv" >"$T/close.txt"
expect_text "$T/close.txt" "6001|4000.00|0.00|"
expect_text "$T/close.txt" "6602|0.00|8000.00|"
expect_text "$T/close.txt" "4103|4000.00|0.00|"
grep -A1 'RETAIN 2026' "$T/j2.csv" >"$T/retain.txt"
expect_text "$T/retain.txt" "4103|0.00|4000.00|"
expect_text "$T/retain.txt" "4104|4000.00|0.00|"
