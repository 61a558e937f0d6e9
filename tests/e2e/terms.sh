#!/bin/sh
# The same create / save / back flow on the terminal types clerks use
# (vt100, linux console, screen, xterm-256color), with function keys and
# with their Esc-digit fallbacks.  Every check is on text, so nothing
# depends on colour; on vt100 (no colour) the selected row is shown in
# reverse video.
set -eu
. "$TEST_SRCDIR/lib.sh"
. "$TEST_SRCDIR/e2e/tmux.sh"
H=$T/h
demo_home "$H"

ran=0
i=0
for term in vt100 linux screen xterm-256color; do
	i=$((i + 1))
	if command -v infocmp >/dev/null 2>&1 &&
	   ! infocmp "$term" >/dev/null 2>&1; then
		echo "no terminfo entry for $term: not tested"
		continue
	fi
	ran=$((ran + 1))
	s=t$i
	E2E_TERM=$term scr_start "$s" --home "$H" PA
	wait_for "$s" "P1001"

	# Function keys: F5 new, F2 save.
	keys "$s" F5
	wait_for "$s" "new record"
	text "$s" "T${i}F"
	tabs "$s" 2
	text "$s" "Function keys on $term"
	keys "$s" Tab y
	keys "$s" F2
	wait_for "$s" "Created Party  T${i}F  Function keys on $term."

	# Esc digits: Esc 5 new, Esc 2 save (a refusal first), Esc 1 help,
	# Esc 0 actions, Esc 3 back.
	esc_key "$s" 5
	wait_for "$s" "new record"
	text "$s" "T${i}E"
	esc_key "$s" 2
	wait_for "$s" "Name is required"
	text "$s" "Esc keys on $term"          # the refusal put us on Name
	wait_for "$s" "Name*        Esc keys on $term"
	keys "$s" Tab y
	esc_key "$s" 2
	wait_for "$s" "Created Party  T${i}E  Esc keys on $term."
	esc_key "$s" 1
	wait_for "$s" "F2  Esc 2   Save"
	esc_key "$s" 3
	wait_gone "$s" "F2  Esc 2   Save"
	esc_key "$s" 0
	wait_for "$s" "Block the party"
	keys "$s" F10
	wait_gone "$s" "Block the party"
	esc_key "$s" 3
	wait_for "$s" "/ Search"

	# Both are in the list (type-ahead), and in the database.
	text "$s" "T${i}"
	wait_for "$s" "Go to: T${i}"
	line_of "$s" 4 | grep -q "^T${i}E .*Esc keys on $term" || {
		show_screen "$s"
		fail "$term: T${i}E not first in the list"
	}
	line_of "$s" 5 | grep -q "^T${i}F .*Function keys on $term" || {
		show_screen "$s"
		fail "$term: T${i}F not second in the list"
	}
	if [ "$term" = vt100 ]; then
		# no colour: the selected row must stand out by reverse video
		tx capture-pane -e -p -t "$s" | sed -n 4p |
			grep -q "$(printf '\033')\\[[0-9;]*7[;m].*T${i}E" || {
			tx capture-pane -e -p -t "$s" | sed -n 4p | od -c | head >&2
			fail "vt100: the selected row is not in reverse video"
		}
	fi
	expect_status 0 "$KONTOR" --home "$H" history party "T${i}F"
	expect_status 0 "$KONTOR" --home "$H" history party "T${i}E"

	# Arrow keys; Esc alone (then a pause) is Back; Esc 3 leaves.
	keys "$s" Down Up
	wait_for "$s" "/ Search"
	keys "$s" Escape
	wait_for "$s" "1 Masters"
	esc_key "$s" 3
	wait_for "$s" "Leave Kontor?"
	keys "$s" y
	st=$(wait_exit "$s")
	[ "$st" = 0 ] || fail "$term: kontor exited $st"
done
[ $ran -gt 0 ] || { echo "SKIP: none of the terminal types is known"; exit 77; }
e2e_done
