#!/bin/sh
# The link drops in the middle of an edit: SIGHUP, and tmux kill-session
# (what a dropped ssh does to the pty).  Nothing is written, the
# database is sound, and the next time the party list opens it offers
# what was typed.  SIGUSR1 (the daemon evicting a clerk) restarts the
# program in place, back at the menu, and the draft is offered too.
set -eu
. "$TEST_SRCDIR/lib.sh"
. "$TEST_SRCDIR/e2e/tmux.sh"
H=$T/h
demo_home "$H"
me=$(id -un)
DRAFT=$H/drafts/$me/party.draft

history_of() {
	expect_status 0 "$KONTOR" --home "$H" history party "$1"
}

unchanged() {
	history_of "$1"
	if grep -q changed "$T/out"; then
		cat "$T/out" >&2
		fail "$1 was changed"
	fi
	if grep -q "$2" "$T/out"; then
		fail "$1 has the unsaved name '$2'"
	fi
}

# edit NAME CODE TEXT: in session NAME on party CODE's form, type TEXT
# into Name without saving
edit() {
	wait_for "$1" "Party  $2  "
	tabs "$1" 2
	text "$1" "$3"
	wait_for "$1" "Name*        $3"
	on_screen "$1" "[changed]"
}

# offered NAME CODE TEXT: the party list in NAME offers the draft of
# CODE; y opens the form with TEXT in Name
offered() {
	wait_for "$1" "Unsaved changes to Party $2 from "
	wait_for "$1" "Open them?"
	on_screen "$1" "Y Yes  N No"
	keys "$1" y
	wait_for "$1" "Party  $2  "
	if has_re "$1" 'Restore them\?'; then
		bug "the draft of $2 is offered twice: the list asked, then the form asks 'Restore them?'"
		keys "$1" y
		wait_gone "$1" "Restore them?"
	fi
	wait_for "$1" "Name*        $3"
	on_screen "$1" "[changed]"
}

# ---- SIGHUP
scr_start a --home "$H" PA P1010
edit a P1010 "Hangup Name Typed"
pid=$(kpid a)
kill -HUP "$pid"
st=$(wait_exit a)
[ "$st" = 129 ] || fail "after SIGHUP kontor exited $st, expected 129"
kill -0 "$pid" 2>/dev/null && fail "kontor $pid is still there"
[ -f "$DRAFT" ] || fail "no draft in $DRAFT"
expect_text "$DRAFT" "Hangup Name Typed"
expect_status 0 "$KONTOR" --home "$H" db verify
unchanged P1010 "Hangup Name Typed"

scr_start b --home "$H" PA
offered b P1010 "Hangup Name Typed"
keys b F2
wait_for b "Saved Party  P1010  Hangup Name Typed."
[ -f "$DRAFT" ] && fail "the draft is still there after saving"
history_of P1010
expect_text "$T/out" "-> Hangup Name Typed"
keys b F3
wait_for b "/ Search"
not_on_screen b "Unsaved changes"
keys b F3
wait_for b "1 Masters"

# ---- SIGHUP with the look-up pop-up open, and during a question
scr_start e --home "$H" PA P1014
edit e P1014 "Hangup In Popup"
tabs e 9                                        # Head office
keys e F4
wait_for e "Choose: Party"
kill -HUP "$(kpid e)"
st=$(wait_exit e)
[ "$st" = 129 ] || fail "SIGHUP in the pop-up: exit $st, expected 129"
[ -f "$DRAFT" ] && grep -q "Hangup In Popup" "$DRAFT" ||
	fail "SIGHUP in the pop-up: no draft with the typed name"
unchanged P1014 "Hangup In Popup"
rm -f "$DRAFT"
scr_start e --home "$H" PA P1015
edit e P1015 "Hangup In Question"
keys e F3
wait_for e "Save your changes?"
kill -HUP "$(kpid e)"
st=$(wait_exit e)
[ "$st" = 129 ] || fail "SIGHUP in a question: exit $st, expected 129"
[ -f "$DRAFT" ] && grep -q "Hangup In Question" "$DRAFT" ||
	fail "SIGHUP in a question: no draft with the typed name"
unchanged P1015 "Hangup In Question"
rm -f "$DRAFT"

# ---- tmux kill-session: the pty goes away under the program
scr_start c --home "$H" PA P1011
edit c P1011 "Killed Session Name"
pid=$(kpid c)
tx kill-session -t c
n=0
while kill -0 "$pid" 2>/dev/null; do
	n=$((n + 1))
	[ $n -lt 200 ] || fail "kontor $pid did not exit when its pty went away"
	sleep 0.05
done
[ -f "$DRAFT" ] || fail "no draft after kill-session"
expect_text "$DRAFT" "Killed Session Name"
expect_status 0 "$KONTOR" --home "$H" db verify
unchanged P1011 "Killed Session Name"

scr_start c2 --home "$H" PA
offered c2 P1011 "Killed Session Name"
# not wanted after all: leave without saving; the draft goes
keys c2 F3
wait_for c2 "Save your changes?"
keys c2 n
wait_for c2 "/ Search"
[ -f "$DRAFT" ] && fail "the draft is still there after 'n'"
unchanged P1011 "Killed Session Name"
keys c2 F3
wait_for c2 "1 Masters"
keys c2 1
wait_for c2 "Parties"
keys c2 1
wait_for c2 "/ Search"
not_on_screen c2 "Unsaved changes"

# ---- SIGUSR1: start again in place, back at the menu
scr_start d --home "$H"
wait_for d "1 Masters"
keys d C-g
wait_for d "Go to"
text d "PA P1013"
keys d Enter
edit d P1013 "Evicted Name"
pid=$(kpid d)
kill -USR1 "$pid"
# back at the menu in the same process, or (a bug) dead
n=0
until [ -s "$T/status.d" ] || has_re d '1 Masters'; do
	n=$((n + 1))
	[ $n -lt 400 ] || { show_screen d; fail "no menu 20 s after SIGUSR1"; }
	sleep 0.05
done
if [ -s "$T/status.d" ]; then
	capture d >/dev/null
	bug "SIGUSR1 during an edit: kontor died (exit $(cat "$T/status.d")) instead of restarting"
	scr_start d --home "$H"
	wait_for d "1 Masters"
else
	kill -0 "$pid" 2>/dev/null || fail "no kontor in d after SIGUSR1"
fi
not_on_screen d "Evicted Name"
unchanged P1013 "Evicted Name"
if [ -f "$DRAFT" ] && grep -q "Evicted Name" "$DRAFT"; then
	keys d 1
	wait_for d "Parties"
	keys d 1
	offered d P1013 "Evicted Name"
	keys d F2
	wait_for d "Saved Party  P1013  Evicted Name."
	history_of P1013
	expect_text "$T/out" "-> Evicted Name"
	keys d F3
	wait_for d "/ Search"
	keys d F3
	wait_for d "1 Parties"
	keys d F3
	wait_for d "1 Masters"
else
	bug "SIGUSR1 during an edit: no draft with the typed name in $DRAFT"
	rm -f "$DRAFT"
fi
# the restarted program works on: an edit and a save
keys d C-g
wait_for d "Go to"
text d "PA P1013"
keys d Enter
wait_for d "Party  P1013  "
keys d Tab Tab
text d "Evicted Name Again"
keys d F2
wait_for d "Saved Party  P1013  Evicted Name Again."
keys d F3
wait_for d "1 Masters"
keys d F3
wait_for d "Leave Kontor?"
keys d y
st=$(wait_exit d)
[ "$st" = 0 ] || fail "restarted kontor exited $st"
expect_status 0 "$KONTOR" --home "$H" daemon --status
expect_status 0 "$KONTOR" --home "$H" db verify
e2e_done
