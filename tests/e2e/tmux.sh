# tests/e2e/tmux.sh - drives the screens through a private tmux server.
# Source it after tests/lib.sh.  It gives
#   demo_home DIR           kontor demo DIR: 40 parties, 40 items, the
#                           daemon running (stopped on exit)
#   scr_start NAME ARGS...  a new 80x24 session NAME running "$KONTOR" ARGS
#                           (TERM=$E2E_TERM, default screen; E2E_ENV adds
#                           more VAR=value words to the environment); an
#                           old session of that name is killed first
#   keys NAME KEY...        tmux key names: Tab Enter F2 Escape C-g BTab ...
#   text NAME TEXT          literal text (UTF-8, CJK included)
#   capture NAME            the screen as text, also kept in $T/screen
#   wait_for NAME TEXT [S]  polls the screen until it shows TEXT (S seconds,
#                           default 10); fails with the screen shown
#   wait_gone NAME TEXT [S] until the screen no longer shows TEXT
#   on_screen / not_on_screen NAME TEXT   asserts on the screen right now
#   line_of NAME N          line N (1-based) of the screen
#   msg_line NAME           the message line (the line above the key bar)
#   kpid NAME               the pid of the kontor process in NAME
#   wait_exit NAME [S]      until kontor in NAME has exited; prints its
#                           status (not after kill-session: the shell
#                           that writes it is hung up too)
#   tabs NAME N             N times Tab
#   esc_key NAME D          Esc then digit D (= F-key D, 0 = F10)
#   bug MSG                 a check that fails because of a known program
#                           bug: noted, the test goes on, and e2e_done
#                           (the test's last line) then fails it
#   has_re NAME ERE         true when a line of the screen matches ERE
# A trap kills the tmux server (and with it every kontor it started) on
# exit, then runs lib.sh's cleanup.  No tmux: the test is skipped (77).
if ! command -v tmux >/dev/null 2>&1; then
	echo "SKIP: tmux is not installed"
	exit 77
fi
unset TMUX TMUX_PANE
E2E_SOCK=kontor-e2e-$$
E2E_TERM=${E2E_TERM:-screen}
E2E_ENV=${E2E_ENV:-}

tx() { tmux -L "$E2E_SOCK" -f /dev/null "$@"; }

e2e_cleanup() {
	# Killing the server hangs up every kontor it runs; wait for them
	# (theirs are the pids in $T/pid.* whose status was not written)
	# so that nothing outlives the test.
	tx kill-server >/dev/null 2>&1 || true
	for f in "$T"/pid.*; do
		[ -s "$f" ] && [ ! -s "$T/status.${f##*/pid.}" ] || continue
		p=$(cat "$f")
		n=0
		while ours "$p" && [ $n -lt 100 ]; do
			sleep 0.05
			n=$((n + 1))
		done
		if ours "$p"; then
			echo "kontor $p did not end on hang-up; killed" >&2
			kill -KILL "$p" 2>/dev/null || true
		fi
	done
	cleanup
}

# ours PID: PID is alive and runs on this test's folder
ours() {
	[ -r "/proc/$1/cmdline" ] &&
		tr '\000' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF -- "$T"
}
trap e2e_cleanup EXIT

# shq WORD: WORD quoted for sh.
shq() {
	printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

scr_start() {
	name=$1
	shift
	tx kill-session -t "=$name" >/dev/null 2>&1 || true   # a name reused
	rm -f "$T/pid.$name" "$T/status.$name"
	# sh writes its pid (kontor's: exec keeps it) and the shell tmux
	# runs writes kontor's exit status (tmux's own pane_dead_status is
	# not always set).
	cmd="sh -c 'echo \$\$ >\"\$0\"; exec \"\$@\"' $(shq "$T/pid.$name") env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=$(shq "$E2E_TERM") KONTOR_FORMS=$(shq "$KONTOR_FORMS") $E2E_ENV $(shq "$KONTOR")"
	for a in "$@"; do
		cmd="$cmd $(shq "$a")"
	done
	cmd="$cmd; echo \$? >$(shq "$T/status.$name")"
	# remain-on-exit keeps a pane whose kontor ended: it can be read.
	if tx has-session 2>/dev/null; then
		tx new-session -d -s "$name" -x 80 -y 24 "$cmd"
	else
		tx new-session -d -s "$name" -x 80 -y 24 "$cmd" \; \
			set-option -g remain-on-exit on
	fi
}

bug() {
	echo "FAIL: $*" >&2
	[ -f "$T/screen" ] && show_screen "the last capture"
	echo "$*" >>"$T/bugs"
}

e2e_done() {
	if [ -s "$T/bugs" ]; then
		echo "$(wc -l <"$T/bugs") check(s) failed:" >&2
		cat "$T/bugs" >&2
		exit 1
	fi
	exit 0
}

keys() {
	name=$1
	shift
	tx send-keys -t "$name" "$@"
}

text() {
	tx send-keys -t "$1" -l -- "$2"
}

tabs() {
	set -- "$1" "$2"
	n=$2
	while [ "$n" -gt 0 ]; do
		set -- "$@" Tab
		n=$((n - 1))
	done
	name=$1
	shift 2
	tx send-keys -t "$name" "$@"
}

esc_key() {
	tx send-keys -t "$1" Escape "$2"
}

capture() {
	tx capture-pane -p -t "$1" >"$T/screen" 2>/dev/null || : >"$T/screen"
	cat "$T/screen"
}

show_screen() {
	echo "--- screen of $1:" >&2
	cat "$T/screen" >&2
	echo "---" >&2
}

wait_for() {
	n=0
	lim=$((${3:-10} * 20))
	while :; do
		capture "$1" >/dev/null
		grep -qF -- "$2" "$T/screen" && return 0
		n=$((n + 1))
		[ $n -ge $lim ] && break
		sleep 0.05
	done
	show_screen "$1"
	fail "waited ${3:-10} s for '$2' on $1"
}

wait_gone() {
	n=0
	lim=$((${3:-10} * 20))
	while :; do
		capture "$1" >/dev/null
		grep -qF -- "$2" "$T/screen" || return 0
		n=$((n + 1))
		[ $n -ge $lim ] && break
		sleep 0.05
	done
	show_screen "$1"
	fail "waited ${3:-10} s for '$2' to leave $1"
}

on_screen() {
	capture "$1" >/dev/null
	grep -qF -- "$2" "$T/screen" || {
		show_screen "$1"
		fail "expected '$2' on $1"
	}
}

not_on_screen() {
	capture "$1" >/dev/null
	if grep -qF -- "$2" "$T/screen"; then
		show_screen "$1"
		fail "did not expect '$2' on $1"
	fi
}

has_re() {
	capture "$1" | grep -qE -- "$2"
}

line_of() {
	capture "$1" | sed -n "${2}p"
}

msg_line() {
	h=$(tx display -p -t "$1" '#{pane_height}')
	line_of "$1" $((h - 1))
}

kpid() {
	n=0
	until [ -s "$T/pid.$1" ]; do
		n=$((n + 1))
		[ $n -lt 200 ] || fail "no pid for $1"
		sleep 0.05
	done
	cat "$T/pid.$1"
}

wait_exit() {
	n=0
	lim=$((${2:-10} * 20))
	until [ -s "$T/status.$1" ]; do
		n=$((n + 1))
		if [ $n -ge $lim ]; then
			capture "$1" >/dev/null
			show_screen "$1"
			fail "kontor in $1 did not exit"
		fi
		sleep 0.05
	done
	cat "$T/status.$1"
}

# demo_home DIR: a demo company in DIR (40 parties, 40 items), its
# daemon running and stopped at exit.
demo_home() {
	"$KONTOR" demo "$1" </dev/null >"$T/demo.out" 2>&1 || {
		cat "$T/demo.out" >&2
		fail "kontor demo $1"
	}
	DAEMON_HOMES="$DAEMON_HOMES $1"
}
