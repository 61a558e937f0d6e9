#!/bin/sh
# Two clerks (two kontor processes) change the same party: the first
# save wins; the second is told who changed it, may keep editing, and
# (r)eload shows the first clerk's value.
set -eu
. "$TEST_SRCDIR/lib.sh"
. "$TEST_SRCDIR/e2e/tmux.sh"
H=$T/h
demo_home "$H"
me=$(id -un)

scr_start a --home "$H" PA P1020
scr_start b --home "$H" PA P1020
wait_for a "Party  P1020  Smith & Sons, Ltd."
wait_for b "Party  P1020  Smith & Sons, Ltd."
on_screen a "rev 1, "
on_screen b "rev 1, "

tabs a 2
text a "Smith & Sons (first clerk)"
tabs b 2
text b "Smith & Sons (second clerk)"
wait_for a "[changed]"
wait_for b "[changed]"

keys a F2
wait_for a "Saved Party  P1020  Smith & Sons (first clerk)."
on_screen a "rev 2, "

# (k)eep editing: nothing saved, the clerk's text stays.
keys b F2
wait_for b "Not saved: changed by $me at "
# The question's answers are on the key line.
wait_for b "R Reload  K Keep editing"
keys b k
wait_for b "Smith & Sons (second clerk)"
wait_for b "changed by $me"
on_screen b "Smith & Sons (second clerk)"
on_screen b "[changed]"

# (r)eload: the first clerk's value, no longer changed.
keys b F2
wait_for b "Not saved: changed by $me at "
keys b r
wait_for b "Reloaded: the record as saved by $me."
capture b | grep -q '^Name\* *Smith & Sons (first clerk)$' || {
	show_screen b
	fail "reload does not show the first clerk's name"
}
not_on_screen b "second clerk"
not_on_screen b "[changed]"
on_screen b "rev 2, "

# The record: one change, the first clerk's.
expect_status 0 "$KONTOR" --home "$H" history party P1020
[ "$(grep -c changed "$T/out")" -eq 1 ] || fail "one change expected"
expect_text "$T/out" "Smith & Sons, Ltd. -> Smith & Sons (first clerk)"
if grep -q "second clerk" "$T/out"; then
	fail "the second clerk's stale copy was saved"
fi

# After the reload the second clerk can save a change of its own (the
# focus is still on Name: leave it and come back to select it).
keys b BTab Tab
text b "Smith & Sons (second try)"
keys b F2
wait_for b "Saved Party  P1020  Smith & Sons (second try)."
on_screen b "rev 3, "
expect_status 0 "$KONTOR" --home "$H" history party P1020
expect_text "$T/out" "Smith & Sons (first clerk) -> Smith & Sons (second try)"
keys a F3
keys b F3
wait_for a "1 Masters"
wait_for b "1 Masters"
expect_status 0 "$KONTOR" --home "$H" db verify
e2e_done
