#!/bin/sh
# Receivables and payables on the screens: a customer invoice typed in
# its grid (the item gives description and price, the totals follow),
# saved as a draft and posted with F10; a receipt whose write-off does
# not settle its item is refused on post with the line named, then
# mended and posted; a payment proposal reviewed and paid as a run.
# The results are checked through the command line.
set -eu
. "$TEST_SRCDIR/lib.sh"
. "$TEST_SRCDIR/e2e/tmux.sh"
export KONTOR_TODAY=2026-06-15          # the demo makes fiscal year 2026
H=$T/h
demo_home "$H"

# ---- a customer invoice: Draft, Kind, Customer, Date, Terms, Corrects,
# Reference, Text, then the grid: Item, Account, Description, Qty, ...
scr_start a --home "$H" AI
wait_for a "No records yet"
keys a F5
wait_for a "new record"
on_screen a "Status     draft"
tabs a 2
text a P1001
tabs a 4
text a "PO 12"
keys a Tab
text a "First invoice"
keys a Tab
text a FG-1000
tabs a 3
text a 2
tabs a 3
text a VAT13
keys a Tab
keys a F2
wait_for a "Created Customer invoice  AR-D000001"
# 2 x 128,000.00 = 256,000.00, VAT13 33,280.00, total 289,280.00
on_screen a "数控车床"
on_screen a "Total      289280.00"
keys a F10
wait_for a "Post"
keys a Enter
wait_for a "Posted as INV-000001"
on_screen a "Status     posted"
on_screen a "Number     INV-000001"
expect_status 0 "$KONTOR" --home "$H" ar balance P1001
expect_text "$T/out" "Receivable            289,280.00"
# the party screen shows the balance and what is left of the credit
# (P1001's limit is 500,000.00)
scr_start p --home "$H" PA P1001
wait_for p "Receivable 289,280.00  Payable 0.00  Limit 500,000.00  left 210,720.00"
# a posted invoice is not changed
text a x
keys a F2
wait_for a "is posted: it is never changed"
keys a F3
keys a n
wait_for a "INV-000001"

# ---- a receipt: Draft, Customer, Date, Amount, Bank, Reference, then
# the grid: Open item, Applied, Write-off
scr_start b --home "$H" AR
wait_for b "No records yet"
keys b F5
wait_for b "new record"
keys b Tab
text b P1001
tabs b 2
text b 100000
tabs b 3
text b INV-000001
keys b Tab
text b 99999.99
keys b Tab
text b 0.01
keys b Tab
keys b F2
wait_for b "Created Customer receipt  AR-R000001"
on_screen b "289280.00"                 # the item's open amount
keys b F10
wait_for b "Post"
keys b Enter
wait_for b "line 1: a write-off settles the item"
# opened again, the cursor is on the first field (Draft): seven Tabs
# to the line's Applied cell; no write-off, 100,000.00 applied
scr_start b --home "$H" AR AR-R000001
wait_for b "INV-000001"
tabs b 7
text b 100000
keys b Tab
text b 0
keys b F2
wait_for b "Saved Customer receipt"
keys b F10
wait_for b "Post"
keys b Enter
wait_for b "Posted as RCPT-000001"
expect_status 0 "$KONTOR" --home "$H" ar balance P1001
expect_text "$T/out" "Receivable            189,280.00"
expect_status 0 "$KONTOR" --home "$H" ar verify

# ---- payables: a proposal made on the command line, paid on its screen
cat >"$T/bill.csv" <<'EOF'
code,party,date,lines
B1,P1004,2026-05-01,"|1403|Parts|1|1000||VAT13-IN"
EOF
expect_status 0 "$KONTOR" --home "$H" import apinvoice "$T/bill.csv"
expect_status 0 "$KONTOR" --home "$H" ap post B1
expect_status 0 "$KONTOR" --home "$H" ap proposal --due 2026-06-30
expect_text "$T/out" "Proposal PROP-000001: 1 items"
scr_start c --home "$H" PR PROP-000001
wait_for c "PINV-000001"
on_screen c "1130.00"
keys c F10
wait_for c "Pay as a run"
keys c Enter
wait_for c "Paid: 1 payments, 1,130.00 in all."
on_screen c "PAY-000001"
expect_status 0 "$KONTOR" --home "$H" ap balance P1004
expect_text "$T/out" "Payable                     0.00"
expect_status 0 "$KONTOR" --home "$H" ap verify
e2e_done
