#!/bin/sh
# Resizing the terminal in the middle of typing: the typed text stays,
# the layout follows the new size, a window below 80x24 is asked to
# be enlarged, and what was typed is saved afterwards.
set -eu
. "$TEST_SRCDIR/lib.sh"
. "$TEST_SRCDIR/e2e/tmux.sh"
H=$T/h
# resize-window came with tmux 2.9
set -- $(tmux -V | sed -n 's/^[^0-9]*\([0-9][0-9]*\)\.\([0-9][0-9]*\).*/\1 \2/p')
if [ $# -eq 2 ] && { [ "$1" -lt 2 ] || { [ "$1" -eq 2 ] && [ "$2" -lt 9 ]; }; }; then
	echo "SKIP: tmux $1.$2 has no resize-window"
	exit 77
fi
demo_home "$H"

# width NAME LINE: display width of a line of the screen (ASCII lines)
width() {
	line_of "$1" "$2" | awk '{ print length($0) }'
}

# layout NAME COLS ROWS: the frame fills the window
layout() {
	wait_for "$1" "F1 Help F2 Save"
	n=0
	while [ "$(tx display -p -t "$1" '#{pane_width}x#{pane_height}')" != "$2x$3" ] ||
	      ! line_of "$1" "$3" | grep -q "F1 Help F2 Save" ||
	      [ "$(width "$1" 1)" -ne $(($2 - 1)) ]; do
		n=$((n + 1))
		if [ $n -ge 200 ]; then
			capture "$1" >/dev/null
			show_screen "$1"
			fail "the screen is not laid out for $2x$3"
		fi
		sleep 0.05
	done
}

scr_start a --home "$H" PA P1005
wait_for a "Party  P1005  广州白云五金制品厂东莞仓"
layout a 80 24
tabs a 2
text a "Resize Te"
wait_for a "Resize Te"
on_screen a "[changed]"

tx resize-window -t a -x 100 -y 30
layout a 100 30
on_screen a "Name*        Resize Te"
on_screen a "[changed]"
# the title bar's right end moved to the new width
line_of a 1 | grep -q ' Kontor | root$' || fail "title bar"

tx resize-window -t a -x 80 -y 24
layout a 80 24
on_screen a "Name*        Resize Te"

# The cursor is where it was: typing goes on after "Te".
text a "st Name"
wait_for a "Name*        Resize Test Name"

# Too small: asked to enlarge; back to 80x24: the form again.
tx resize-window -t a -x 70 -y 20
wait_for a "Enlarge the window"
not_on_screen a "Resize Test Name"
tx resize-window -t a -x 80 -y 24
wait_gone a "Enlarge the window"
layout a 80 24
on_screen a "Name*        Resize Test Name"
on_screen a "[changed]"

# 79 columns is too narrow as well.
tx resize-window -t a -x 79 -y 24
wait_for a "Enlarge the window"
tx resize-window -t a -x 80 -y 24
layout a 80 24

# What was typed through all that is what is saved.
keys a F2
wait_for a "Saved Party  P1005  Resize Test Name."
expect_status 0 "$KONTOR" --home "$H" history party P1005
expect_text "$T/out" "-> Resize Test Name"

# The list and the look-up pop-up follow a resize too.
keys a F3
wait_for a "1 Masters"
keys a 1
wait_for a "Parties"
keys a 1
wait_for a "/ Search"
tx resize-window -t a -x 100 -y 30
wait_for a "P1025"                      # a longer page
line_of a 30 | grep -q "F1 Help Enter Open" || fail "list key bar at 100x30"
tx resize-window -t a -x 80 -y 24
n=0
while line_of a 23 | grep -q P10; do    # the page shrinks again
	n=$((n + 1))
	[ $n -lt 200 ] || fail "the list did not shrink back"
	sleep 0.05
done
n=0
until line_of a 24 | grep -q "F1 Help Enter Open"; do
	n=$((n + 1))
	[ $n -lt 200 ] || { show_screen a; fail "list key bar at 80x24"; }
	sleep 0.05
done
keys a Enter
wait_for a "Party  P1001"
tabs a 11
keys a F4
wait_for a "Choose: Party"
tx resize-window -t a -x 100 -y 30
# the pop-up is laid out again, centred in the 100 columns
n=0
until line_of a 5 | grep -q '^.\{15\}[^ ]Code  *Name'; do
	n=$((n + 1))
	[ $n -lt 200 ] || { show_screen a; fail "pop-up not re-centred at 100x30"; }
	sleep 0.05
done
# and the form behind it follows the new size too
line_of a 30 | grep -q "F1 Help F2 Save" ||
	bug "resize with the look-up pop-up open: the form behind it keeps the 80x24 layout (key bar not on line 30)"
tx resize-window -t a -x 80 -y 24
n=0
until line_of a 5 | grep -q '^.\{5\}[^ ]Code  *Name'; do
	n=$((n + 1))
	[ $n -lt 200 ] || { show_screen a; fail "pop-up not re-centred at 80x24"; }
	sleep 0.05
done
keys a F3
wait_gone a "Choose: Party"
layout a 80 24
keys a F3
wait_for a "/ Search"
e2e_done
