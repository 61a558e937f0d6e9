#!/bin/sh
# The finance setup screens: the chart refuses a postable parent on
# save; instalment terms whose shares do not add up to 1 (the grid's
# footer sums them as they are typed) are refused, then saved; a period
# is closed with F10 and the year-end close runs from the year's F10; a
# party shows its currency and terms by code.
set -eu
. "$TEST_SRCDIR/lib.sh"
. "$TEST_SRCDIR/e2e/tmux.sh"
export KONTOR_TODAY=2026-06-15          # the demo makes fiscal year 2026
H=$T/h
demo_home "$H"

# ---- the chart: a parent must be a heading
scr_start a --home "$H" AC 2221.01
wait_for a "应交增值税(进项税额)"
has_re a '^Type\* +liability +Normal side debit' || {
	show_screen a
	fail "2221.01 is not a liability on the debit side"
}
tabs a 6                                        # ... parent
keys a C-a C-k
text a 2221.02
keys a F2
wait_for a "parent 2221.02 is postable; a parent must be a heading (postable no)"
keys a C-a C-k
text a 2221
keys a F2
wait_for a "Saved Account  2221.01"

# ---- instalment terms: the shares add up to exactly 1
scr_start b --home "$H" PT
wait_for b "30-70"
keys b F5
wait_for b "new record"
text b E2E1
keys b Tab C-a C-k                              # kind
text b instalments
keys b Tab
text b "E2E 40/60"
tabs b 2                                        # days, the grid
text b 0.4
keys b Tab
text b 0
keys b Down BTab                                # a second line
text b 0.5
keys b Tab
text b 30
wait_for b "0.900000"                           # the footer's sum
keys b F2
wait_for b "the instalments add up to 0.900000; they must add up to exactly 1"
keys b BTab C-a C-k
text b 0.6
wait_for b "1.000000"
keys b F2
wait_for b "Created Payment terms  E2E1  E2E 40/60."
expect_status 0 "$KONTOR" --home "$H" export terms
expect_text "$T/out" 'E2E1,E2E 40/60,instalments,0,"0.400000|0'
expect_text "$T/out" '0.600000|30"'

# ---- periods: close one; the year stays open while others are
scr_start c --home "$H" PE 2026-01
wait_for c "Status  open"
keys c F10
wait_for c "Close the period"
keys c 1
wait_for c "Period 2026-01 closed"
on_screen c "Status  closed"
# The year-end close from the fiscal year screen: closing entries for
# the demo's recurring expenses (6602), every period closed, next year.
scr_start d --home "$H" FY 2026
wait_for d "2026-12-31"
keys d F10
wait_for d "Year-end close: closing entries, then close"
keys d 1
wait_for d "Fiscal year 2026 closed with 2 closing entries"
on_screen d "Status  closed"
expect_status 0 "$KONTOR" --home "$H" period list 2027
expect_text "$T/out" "2027-12"
expect_status 0 "$KONTOR" --home "$H" gl verify

# ---- a party names its currency and terms by code
scr_start e --home "$H" PA P1016
wait_for e "Müller GmbH"
has_re e 'Currency +EUR' || { show_screen e; fail "P1016's currency"; }
has_re e '^Pay terms +NET30 ' || { show_screen e; fail "P1016's terms"; }
e2e_done
