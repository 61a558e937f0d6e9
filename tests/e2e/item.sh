#!/bin/sh
# The item form: a choices field refuses a value not in its list and
# names the allowed ones; the margin follows list price and standard
# cost as they are typed, before the field is left; the saved record
# keeps it.
set -eu
. "$TEST_SRCDIR/lib.sh"
. "$TEST_SRCDIR/e2e/tmux.sh"
H=$T/h
demo_home "$H"

# margin NAME VALUE: the Margin field shows VALUE (waits for it)
margin() {
	n=0
	until has_re "$1" "^Margin +$2( |\$)"; do
		n=$((n + 1))
		if [ $n -ge 200 ]; then
			show_screen "$1"
			fail "Margin is not $2"
		fi
		sleep 0.05
	done
}

scr_start a --home "$H" IT
wait_for a "FG-1000"
keys a F5
wait_for a "new record"
text a e2e-w1                                   # upper case as typed
wait_for a "E2E-W1"
tabs a 2
text a "Test widget 测试件"
keys a Tab

# ---- choices: Type
text a junk
keys a Tab
wait_for a "Type must be one of: stocked, purchased, manufactured, service"
has_re a '^Type +junk' || fail "Type lost the text"
keys a C-a C-k
text a purchased
keys a Tab
wait_gone a "must be one of"

# ---- the margin, as the prices are typed
tabs a 3                                        # category, unit, tax code -> standard cost
text a 60
wait_for a "Standard cost 60"
margin a 0.000000                               # no list price yet
keys a Tab
text a 1
margin a -59.000000
text a 00
margin a 0.400000                               # 100: still in the field
has_re a '^Standard cost 60 +List price +100$' || fail "List price is not 100"
keys a BSpace
margin a -5.000000
text a 0
margin a 0.400000
# Margin is read-only: Tab goes from List price to Lead time.
keys a Tab
text a 7
wait_for a "Lead time     7"
margin a 0.400000

# ---- choices: Lot rule
tabs a 2                                        # safety stock -> lot rule
text a weekly
keys a Tab
wait_for a "Lot rule must be one of: lot-for-lot, fixed, eoq, period"
keys a C-a C-k
text a lot-for-lot
keys a F2
wait_for a "Created Item  E2E-W1  Test widget 测试件."
margin a 0.400000
has_re a '^Standard cost 60.0000 +List price +100.0000$' ||
	fail "prices not shown as saved"
expect_status 0 "$KONTOR" --home "$H" history item E2E-W1
expect_text "$T/out" "type                 purchased"
expect_text "$T/out" "standard_cost        60.0000"
expect_text "$T/out" "list_price           100.0000"
expect_text "$T/out" "margin               0.400000"
expect_text "$T/out" "lead_time            7"

# ---- a change of cost on the saved item: the margin follows, is saved
# from Lot rule back to Standard cost: safety stock, lead time, list
# price, standard cost (Margin is skipped)
keys a BTab BTab BTab BTab
text a 75
if ! has_re a '^Standard cost 75 '; then
	show_screen a
	fail "not on Standard cost"
fi
margin a 0.250000
keys a F2
wait_for a "Saved Item  E2E-W1  Test widget 测试件."
margin a 0.250000
expect_status 0 "$KONTOR" --home "$H" history item E2E-W1
expect_text "$T/out" "margin               0.400000 -> 0.250000"

# The list shows it.
keys a F3
wait_for a "/ Search"
text a E2E
wait_for a "Go to: E2E"
line_of a 4 | grep -q '^E2E-W1 .*Test widget 测试件 .*purchased .*100.0000$' || {
	show_screen a
	fail "the list row of E2E-W1"
}
e2e_done
