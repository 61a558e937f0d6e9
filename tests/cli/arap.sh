#!/bin/sh
# Receivables and payables from the command line: drafts imported and
# posted, the credit warning, receipts, refusals naming the field, the
# reports, the payment proposal and its run, verify, and eight processes
# paying one invoice at once (none may over-allocate it).
set -eu
. "$TEST_SRCDIR/lib.sh"
export KONTOR_TODAY=2026-06-15
k() { "$KONTOR" "$@"; }
H=$T/co

expect_status 0 k --home "$H" db init --chart cn
expect_status 0 k --home "$H" period create 2026
# db init loads the chart, its taxes, the account roles and the number
# series (AP-DN among them); the units come with the demo only
expect_status 0 k --home "$H" history series AP-DN
expect_status 0 k --home "$H" history glrole receivable
expect_status 0 k --home "$H" import unit "$TOP_SRCDIR/data/units.csv" --update
cat >"$T/parties.csv" <<'EOF'
code,name,customer,supplier,payment_terms,credit_limit,status
C1,华东机械,yes,no,NET30,200.00,active
C2,Second customer,yes,no,,0,active
C3,Blocked customer,yes,no,,0,blocked
C4,Instalment customer,yes,no,30-70,0,active
S1,深圳电子,no,yes,NET30,0,active
S2,Second supplier,no,yes,NET60,0,active
EOF
expect_status 0 k --home "$H" import party "$T/parties.csv"
cat >"$T/items.csv" <<'EOF'
code,description,type,uom,list_price,standard_cost,tax_code,status
W1,Widget 部件,stocked,EA,100.0000,60.0000,VAT13,active
EOF
expect_status 0 k --home "$H" import item "$T/items.csv"

# Drafts with their lines in one column: item|account|description|qty|
# price|discount|tax_code, one line a line.
cat >"$T/inv.csv" <<'EOF'
code,kind,party,date,reference,lines
D1,invoice,C1,2026-01-10,PO 4711,"W1|||3|33.3333||VAT13
|6051|Service|1.5|19.99|0.10|VAT6"
D2,invoice,C2,2026-01-20,,"W1|||10|||VAT13"
D3,invoice,C3,2026-01-20,,"W1|||1|||VAT13"
D4,invoice,C2,2026-01-21,,
EOF
expect_status 0 k --home "$H" import arinvoice "$T/inv.csv"
expect_status 0 k --home "$H" ar --help
expect_text "$T/out" "kontor ar post [--strict] CODE..."

# 100.00 + 13.00 + 26.99 + 1.62 = 141.61: under C1's 200.00 limit
expect_status 0 k --home "$H" ar post D1
expect_text "$T/out" "D1 posted as INV-000001, 141.61, entry "
expect_status 0 k --home "$H" ar balance C1
expect_text "$T/out" "Receivable                141.61"
expect_text "$T/out" "Available credit           58.39"
# refused: a blocked customer, an empty draft, twice, unknown
expect_status 65 k --home "$H" ar post D3
expect_text "$T/err" "party C3 is blocked"
expect_status 65 k --home "$H" ar post D4
expect_text "$T/err" "D4 has no lines"
expect_status 65 k --home "$H" ar post D1
expect_text "$T/err" "posted already as INV-000001"
expect_status 66 k --home "$H" ar post NOPE
expect_text "$T/err" "no draft ar with code NOPE"
# numbers stay gap free after the refusals
expect_status 0 k --home "$H" ar post D2
expect_text "$T/out" "D2 posted as INV-000002, 1,130.00"

# Over the limit: a warning (the post goes through), refused --strict.
cat >"$T/inv2.csv" <<'EOF'
code,party,date,lines
D5,C1,2026-01-25,"W1|||1|||VAT13"
D6,C1,2026-01-25,"W1|||1|||VAT13"
EOF
expect_status 0 k --home "$H" import arinvoice "$T/inv2.csv"
expect_status 65 k --home "$H" ar post --strict D5
expect_text "$T/err" "would put C1 at 254.61, over its credit limit of 200.00"
expect_status 0 k --home "$H" ar post D5
expect_text "$T/out" "D5 posted as INV-000003, 113.00"
expect_text "$T/err" "warning: INV-000003 puts the customer's balance at 254.61, over its credit limit of 200.00"

# Receipts: partial, with a write-off, the rest on account.
expect_status 0 k --home "$H" ar receipt C1 100 INV-000001 --date 2026-02-01
expect_text "$T/out" "Posted receipt RCPT-000001, 100.00"
expect_status 0 k --home "$H" ar receipt C1 41.56 INV-000001=41.56/0.05 --date 2026-02-02
expect_status 0 k --home "$H" ar receipt C1 150 INV-000003 --date 2026-02-03 --ref "bank 0203"
expect_status 65 k --home "$H" ar receipt C1 10 INV-000001=10 --date 2026-02-04
expect_text "$T/err" "line 1: item INV-000001 is settled already"
expect_status 65 k --home "$H" ar receipt C1 10 INV-000003=20 --date 2026-02-04
expect_text "$T/err" "the allocations come to 20.00, more than the amount 10.00"
expect_status 0 k --home "$H" ar balance C1
expect_text "$T/out" "Receivable                -37.00"
expect_status 0 k --home "$H" ar verify

# Reports: aging as of two dates, the statement, dunning letters.
expect_status 0 k --home "$H" report ar-aging --format csv --param as_of=2026-02-20
expect_text "$T/out" "party,name,current,days_1_30,days_31_60,days_61_90,over_90,unapplied,total"
expect_text "$T/out" "C1,华东机械,0.00,0.00,0.00,0.00,0.00,-37.00,-37.00"
expect_text "$T/out" "C2,Second customer,0.00,0.00,1130.00,0.00,0.00,0.00,1130.00"
expect_status 0 k --home "$H" report ar-aging --format csv --param as_of=2026-01-31
expect_text "$T/out" "C1,华东机械,254.61,0.00,0.00,0.00,0.00,0.00,254.61"
expect_status 0 k --home "$H" report customer-statement --format csv --param party=C1 --param to=2026-02-28
expect_text "$T/out" "2026-02-02,RCPT-000002,Written off,,,0.05,"
expect_text "$T/out" "Closing balance,,,,-37.00"
expect_status 0 k --home "$H" report customer-statement --param party=C1 --param to=2026-02-28
expect_text "$T/out" "Customer statement"
# every customer's with something to show, a group each
expect_status 0 k --home "$H" report customer-statement --param to=2026-02-28
expect_text "$T/out" "Customer: C1 华东机械"
expect_text "$T/out" "Customer: C2 Second customer"
expect_status 0 k --home "$H" ar dunning --date 2026-03-01
expect_text "$T/out" "Dunning run of 2026-03-01: 1 items raised a level"
expect_status 0 k --home "$H" report dunning --param date=2026-03-01
expect_text "$T/out" "C2 Second customer: Payment reminder"
expect_text "$T/out" "INV-000002"

# Instalments (30-70): 113.00 is 33.90 due at once and 79.10 in 60
# days; a receipt naming the invoice pays them in turn.
cat >"$T/inst.csv" <<'EOF'
code,party,date,lines
D7,C4,2026-03-01,"W1|||1|||VAT13"
EOF
expect_status 0 k --home "$H" import arinvoice "$T/inst.csv"
expect_status 0 k --home "$H" ar post D7
expect_text "$T/out" "D7 posted as INV-000004, 113.00"
expect_status 0 k --home "$H" ar receipt C4 50 INV-000004 --date 2026-03-02
expect_status 0 k --home "$H" report ar-aging --format csv --param as_of=2026-03-02 --param party=C4
expect_text "$T/out" "C4,Instalment customer,63.00,0.00,0.00,0.00,0.00,0.00,63.00"
expect_status 66 k --home "$H" ar receipt C4 50 INV-000009 --date 2026-03-02
expect_text "$T/err" "INV-000009: no open item INV-000009"

# Payables: a supplier invoice, a debit note, the proposal and its run.
cat >"$T/bills.csv" <<'EOF'
code,kind,party,date,reference,applies_to,lines
B1,invoice,S1,2026-01-15,SZ-42,,"|1403|Parts|10|50||VAT13-IN"
B2,invoice,S2,2026-01-20,,,"|6602|Office|1|100||VAT6-IN"
EOF
expect_status 0 k --home "$H" import apinvoice "$T/bills.csv"
expect_status 0 k --home "$H" ap post B1 B2
expect_text "$T/out" "B1 posted as PINV-000001, 565.00"
expect_text "$T/out" "B2 posted as PINV-000002, 106.00"
cat >"$T/dn.csv" <<'EOF'
code,kind,party,date,applies_to,lines
B3,debit-note,S1,2026-01-25,B1,"|1403|Returned|1|50||VAT13-IN"
EOF
expect_status 0 k --home "$H" import apinvoice "$T/dn.csv"
expect_status 0 k --home "$H" ap post B3
expect_text "$T/out" "B3 posted as DN-000001, 56.50"
expect_status 0 k --home "$H" ap balance S1
expect_text "$T/out" "Payable                   508.50"
expect_status 0 k --home "$H" ap proposal --due 2026-02-28 --date 2026-03-02
expect_text "$T/out" "Proposal PROP-000001: 1 items due by 2026-02-28"
expect_status 0 k --home "$H" export approposal
expect_text "$T/out" "PINV-000001"
expect_status 0 k --home "$H" ap pay PROP-000001
expect_text "$T/out" "Paid proposal PROP-000001: 1 payments, 508.50 in all"
expect_status 65 k --home "$H" ap pay PROP-000001
expect_text "$T/err" "paid already"
expect_status 0 k --home "$H" ap proposal --due 2026-02-28
expect_text "$T/out" "Nothing is due by 2026-02-28"
expect_status 0 k --home "$H" ap payment S2 50 PINV-000002 --date 2026-03-05
expect_status 0 k --home "$H" report ap-aging --format csv --param as_of=2026-03-31
expect_text "$T/out" "S2,Second supplier,0.00,56.00,0.00,0.00,0.00,0.00,56.00"
expect_status 0 k --home "$H" ap verify
expect_status 0 k --home "$H" db verify

# A receipt reversed (the cheque bounced): RCPT-000002 paid 41.56 and
# wrote off 0.05 on INV-000001; reversed on 2026-03-20, the customer
# owes those 41.61 again, the statement shows both, and a second
# reversal is refused.
expect_status 0 k --home "$H" ar balance C1
before=$(awk '/^Receivable/ { print $2 }' "$T/out")
expect_status 64 k --home "$H" ar reverse
expect_status 66 k --home "$H" ar reverse RCPT-999999
expect_text "$T/err" "no posted receipt RCPT-999999"
expect_status 65 k --home "$H" ar reverse RCPT-000002 --date 2026-01-31
expect_text "$T/err" "a reversal cannot be earlier"
expect_status 0 k --home "$H" ar reverse RCPT-000002 --date 2026-03-20 --reason "cheque bounced"
expect_text "$T/out" "RCPT-000002 reversed by RCPT-"
rev=$(sed -n 's/.* reversed by \(RCPT-[0-9]*\),.*/\1/p' "$T/out")
expect_status 0 k --home "$H" ar balance C1
after=$(awk '/^Receivable/ { print $2 }' "$T/out")
[ "$(echo "$before $after" | awk '{ printf "%.2f", $2 - $1 }')" = 41.61 ] ||
	fail "the balance went from $before to $after, not up by 41.61"
expect_status 0 k --home "$H" report customer-statement --format csv --param party=C1 --param to=2026-03-31
expect_text "$T/out" "2026-03-20,$rev,Receipt reversed,,41.56,,"
expect_text "$T/out" "2026-03-20,$rev,Write-off reversed,,0.05,,"
expect_status 65 k --home "$H" ar reverse RCPT-000002
expect_text "$T/err" "reversed already by $rev"
expect_status 0 k --home "$H" ar verify
expect_status 0 k --home "$H" gl verify

# Eight processes pay 200.00 each against one invoice of 1,130.00 at
# once: five fit (1,000.00), one more would need 200.00 of the 130.00
# left, so three are refused; nothing is over-allocated.
daemon_start "$H"
i=0
while [ $i -lt 8 ]; do
	( k --home "$H" ar receipt C2 200 INV-000002=200 --date 2026-03-10 \
		>"$T/r$i.out" 2>"$T/r$i.err"; echo $? >"$T/r$i.rc" ) &
	i=$((i + 1))
done
wait
ok=$(cat "$T"/r?.rc | grep -c '^0$' || true)
[ "$ok" -eq 5 ] || { cat "$T"/r?.err >&2; fail "$ok receipts went through, not 5"; }
grep -l "more than the 130.00 open\|more than the" "$T"/r?.err >/dev/null ||
	fail "the refused receipts do not say why"
expect_status 0 k --home "$H" ar balance C2
expect_text "$T/out" "Receivable                130.00"
expect_status 0 k --home "$H" ar verify
daemon_stop "$H"
echo ok
