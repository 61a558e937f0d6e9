#!/bin/sh
# A journal entry typed in the line grid: the footer shows the running
# difference, an unbalanced entry is refused with both sums, the
# balanced one is posted with the next number from its series, a posted
# entry cannot be changed, and F10 reverses it.
set -eu
. "$TEST_SRCDIR/lib.sh"
. "$TEST_SRCDIR/e2e/tmux.sh"
export KONTOR_TODAY=2026-06-15
H=$T/h
demo_home "$H"                                  # 12 recurring entries: JE-000001..12

scr_start a --home "$H" JE
wait_for a "Journal entry"
keys a F5
wait_for a "new record"
text a 2026-06-10                               # date (the entry's
keys a Tab                                      # number is given later)
text a "E2E 房租 rent"
tabs a 2                                        # series, the grid
text a 6602
keys a Tab
text a 100.00
wait_for a "difference 100.00"
keys a Down BTab                                # a second line
text a 1002
tabs a 2                                        # credit
text a 99.00
wait_for a "difference 1.00"
keys a F2
wait_for a "the entry does not balance: debits 100.00, credits 99.00"
keys a C-a C-k
text a 100.00
wait_for a "difference 0.00"
keys a F2
wait_for a "Created Journal entry"
has_re a '^Entry +JE-000013' || { show_screen a; fail "no number shown"; }
has_re a 'Total +100\.00' || { show_screen a; fail "no total shown"; }

# Posted: a change is refused; leaving without saving keeps it as it was.
scr_start b --home "$H" JE JE-000013
wait_for b "E2E 房租 rent"
keys b C-a C-k                                  # the date
text b 2026-06-11
keys b F2
wait_for b "a posted entry is not changed: reverse it"
keys b F3
wait_for b "Save your changes?"
keys b n
# F10: the reversal, shown on the original.
scr_start c --home "$H" JE JE-000013
wait_for c "2026-06-10"
keys c F10
wait_for c "Reverse the entry"
keys c 1
wait_for c "Entry JE-000013 reversed by JE-000014"
expect_status 0 "$KONTOR" --home "$H" gl verify
expect_status 0 "$KONTOR" --home "$H" export journal
expect_text "$T/out" "JE-000014,GL-JE,2026-06-10,2026-06,Reversal of JE-000013: E2E 房租 rent,reversal,JE-000013"
e2e_done
