#!/bin/sh
# The fast path (Ctrl-G and a screen code, or the code on the command
# line) and permissions: a user whose role grants only party.read sees
# Parties but not Items, is refused the item list by code, and may not
# delete, change or create parties.
set -eu
. "$TEST_SRCDIR/lib.sh"
. "$TEST_SRCDIR/e2e/tmux.sh"
H=$T/h
demo_home "$H"
me=$(id -un)

# ---- Ctrl-G from the menu, from a form; an unknown code
scr_start a --home "$H"
wait_for a "1 Masters"
keys a C-g
wait_for a "Go to (code, or code and record):"
text a IT
keys a Enter
wait_for a "FG-1000"
on_screen a "Description"
on_screen a "List price"
on_screen a "数控车床 CK6140"
keys a F3
wait_for a "1 Masters"
not_on_screen a "FG-1000"

keys a C-g
wait_for a "Go to"
text a XX
keys a Enter
wait_for a "No screen has the code XX."
on_screen a "1 Masters"

keys a C-g
wait_for a "Go to"
text a "PA P1003"
keys a Enter
wait_for a "Party  P1003  北京中科精密仪器有限公司"
# from inside a form: the item list, and F3 comes back to the form
keys a C-g
wait_for a "Go to"
text a IT
keys a Enter
wait_for a "FG-1000"
keys a F3
wait_for a "Party  P1003  北京中科精密仪器有限公司"
# from a list: a record by code
keys a F3
wait_for a "1 Masters"
keys a C-g
text a IT
keys a Enter
wait_for a "FG-1000"
keys a C-g
wait_for a "Go to"
text a "IT FG-1001"
keys a Enter
wait_for a "数控铣床 XK7132"
on_screen a "FG-1001"
keys a F3
wait_for a "FG-1000"
# a record that is not there
keys a C-g
wait_for a "Go to"
text a "PA NOPE1"
keys a Enter
wait_for a "no party with code NOPE1"
keys a F3
wait_for a "1 Masters"

# The code on the command line.
scr_start b --home "$H" IT
wait_for b "FG-1000"
on_screen b "List price"
scr_start c --home "$H" XX
wait_for c "No screen has the code XX."
on_screen c "1 Masters"

# ---- a user who may only read parties
cat >"$T/viewer.conf" <<EOF
roles = (
	{ name = "viewer"; permissions = [ "party.read" ]; }
);
users = (
	{ login = "$me"; name = "Test Viewer"; roles = [ "viewer" ]; }
);
EOF
scr_start p --config "$T/viewer.conf" --home "$H"
wait_for p "1 Masters"
# kontor.conf(5): a user's name is "the name shown on screens"
line_of p 1 | grep -q "Test Viewer" ||
	bug "the title bar shows the login, not the user's name from kontor.conf ('Test Viewer')"
keys p 1
wait_for p "Parties"
on_screen p "PA"
not_on_screen p "Items"
not_on_screen p "IT"
keys p C-g
wait_for p "Go to"
text p IT
keys p Enter
wait_for p "You may not open Item"
on_screen p "item.read"
not_on_screen p "FG-1000"

keys p C-g
wait_for p "Go to"
text p PA
keys p Enter
wait_for p "P1001"
not_on_screen p "F6 Del"
not_on_screen p "F5 New"
keys p F6
wait_for p "You may not delete"
not_on_screen p "Y Yes  N No"
keys p F5
wait_for p "You may not create"
not_on_screen p "new record"
keys p Down Enter
wait_for p "Party  P1002  "
not_on_screen p "F6 Del"
keys p F6
wait_for p "You may not delete"
not_on_screen p "Y Yes  N No"
# a change typed in is not saved
tabs p 2
text p "Viewer Was Here"
keys p F2
wait_for p "You may not change"
not_on_screen p "Saved"
keys p F9
wait_for p "You may not see histories"
keys p F3
wait_for p "Save your changes?"
keys p n
wait_for p "P1001"
expect_status 0 "$KONTOR" --home "$H" history party P1002
if grep -q "changed" "$T/out"; then
	fail "the viewer changed P1002"
fi
e2e_done
