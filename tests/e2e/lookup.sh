#!/bin/sh
# The look-up pop-up (F4) on a reference field: type-ahead on the code,
# Enter fills the field, the saved party names its head office; a code
# typed by hand that does not exist is named in the error.
set -eu
. "$TEST_SRCDIR/lib.sh"
. "$TEST_SRCDIR/e2e/tmux.sh"
H=$T/h
demo_home "$H"

scr_start a --home "$H" PA P1019
wait_for a "Party  P1019  Nordic Tools AB"
tabs a 11                                       # Head office
wait_for a "F4 Look-up"
keys a F4
wait_for a "Choose: Party"
wait_for a "Enter choose"
text a P103
wait_for a " P103  Enter choose"
# the first row of the pop-up is the first code from P103 on
capture a | grep -A1 'Code  *Name' | tail -n 1 | grep -q 'P1030  *广州白云五金制品厂' || {
	show_screen a
	fail "type-ahead P103 did not bring P1030 to the top of the pop-up"
}
keys a Enter
wait_gone a "Choose: Party"
capture a | grep -q 'Head office  *P1030$' || {
	show_screen a
	fail "Enter did not fill Head office with P1030"
}
on_screen a "[changed]"
keys a F2
wait_for a "Saved Party  P1019  Nordic Tools AB."
capture a | grep -q 'Head office  *P1030$' || {
	show_screen a
	fail "Head office is not P1030 after saving"
}

# Esc leaves the pop-up and the field as they were.
keys a F4
wait_for a "Choose: Party"
keys a F3
wait_gone a "Choose: Party"
capture a | grep -q 'Head office  *P1030$' || fail "Esc changed the field"

# What is saved: reopen it in a new process.
scr_start b --home "$H" PA P1019
wait_for b "Party  P1019  Nordic Tools AB"
capture b | grep -q 'Head office  *P1030$' || {
	show_screen b
	fail "reopened P1019 has no head office P1030"
}
keys b F3
wait_for b "1 Masters"
expect_status 0 "$KONTOR" --home "$H" history party P1019
expect_text "$T/out" "changed"
expect_text "$T/out" "parent"
[ "$(grep -c changed "$T/out")" -eq 1 ] || fail "one change expected"

# ---- a code typed by hand that is not there: named in the error
keys a F4
wait_for a "Choose: Party"
keys a F3
wait_gone a "Choose: Party"
text a nope99                                   # codes are upper case
wait_for a "NOPE99"
keys a F2
wait_for a "no party with code NOPE99"
not_on_screen a "Saved"
expect_status 0 "$KONTOR" --home "$H" history party P1019
[ "$(grep -c changed "$T/out")" -eq 1 ] || fail "the bad head office was saved"
# leaving the field says so too
keys a Tab
wait_for a "no party with code NOPE99"
keys a F3
wait_for a "Save your changes?"
keys a n
wait_for a "1 Masters"
expect_status 0 "$KONTOR" --home "$H" db verify
e2e_done
