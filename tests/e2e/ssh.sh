#!/bin/sh
# Over a real SSH connection: a private sshd on a loopback port (its own
# host key, a client key, LogLevel VERBOSE to $T/ssh/sshd.log) lets the
# clerk log in with ssh -tt inside tmux and run kontor on a demo
# company.  Session A edits a party and its ssh CLIENT is killed
# (SIGKILL) mid-edit: sshd sees the link drop and hangs up the remote
# kontor, which must end on its own, leave the record unchanged, keep
# what was typed as a draft, and leave nothing for anybody to recover
# (no run/ entry, no eviction or recovery in the daemon's log).
# Session B logs in at once, finds the record as it was, takes the
# draft back and saves it: no stale lock, no "changed by" conflict.
#
# The clerk is the Unix user kontor-e2e when it exists and the test
# runs as root (.ci/run creates it; its own group may use the home,
# which is 2770 as README's "Running it for a company" says); else the
# user running the test logs in as itself (root needs
# PermitRootLogin, which the private sshd_config gives).  Skipped (77)
# without sshd or ssh, or when that login is refused.  The binary and
# forms are copied into $T so that the clerk does not need to reach the
# build tree (a clone under /root is closed to other users).
set -eu
. "$TEST_SRCDIR/lib.sh"
. "$TEST_SRCDIR/e2e/tmux.sh"

SSHD=${E2E_SSHD:-/usr/sbin/sshd}
SSH=$(command -v ssh 2>/dev/null || true)
[ -x "$SSHD" ] || { echo "SKIP: no sshd ($SSHD): apt-get install openssh-server"; exit 77; }
[ -n "$SSH" ] || { echo "SKIP: no ssh client: apt-get install openssh-client"; exit 77; }
command -v ssh-keygen >/dev/null 2>&1 || { echo "SKIP: no ssh-keygen"; exit 77; }

me=$(id -un)
if [ "$(id -u)" -eq 0 ] && id kontor-e2e >/dev/null 2>&1; then
	RUSER=kontor-e2e                # the test user .ci/run creates
else
	RUSER=$me                       # a non-root sshd logs in only its own user
fi
RGROUP=$(id -gn "$RUSER")
SD=$T/ssh                               # sshd's and the client's files (ours alone)
K=$T/k                                  # what the clerk runs and reads
H=$T/h                                  # the company
KBIN=$K/kontor
CONF=$K/kontor.conf
DRAFT=$H/drafts/$RUSER/party.draft
SSHD_PID=""

# ---- clean-up: the tmux server (its ssh clients), the remote clerks,
# sshd and its children, then tmux.sh's and lib.sh's clean-up
remote_kontors() {                      # pids of processes running $KBIN
	find /proc -mindepth 2 -maxdepth 2 -name exe -lname "$KBIN" \
		2>/dev/null | cut -d/ -f3
}

descendants() {                         # every process below pid $1
	for f in /proc/[0-9]*/stat; do
		read -r l 2>/dev/null <"$f" || continue
		# pid (comm) state ppid ...: comm may hold blanks and ")"
		set -- ${l##*) }
		echo "${l%% *} $2"
	done | awk -v top="$1" '
		{ pp[$1] = $2 }
		END {
			for (p in pp) {
				q = pp[p]
				while (q != "" && q > 1 && q != top)
					q = pp[q]
				if (q == top)
					print p
			}
		}'
}

ssh_cleanup() {
	tx kill-server >/dev/null 2>&1 || true
	n=0
	while [ -n "$(remote_kontors)" ] && [ $n -lt 100 ]; do
		sleep 0.05
		n=$((n + 1))
	done
	for p in $(remote_kontors); do
		echo "remote kontor $p did not end on hang-up; killed" >&2
		kill -KILL "$p" 2>/dev/null || true
	done
	if [ -n "$SSHD_PID" ]; then
		kids=$(descendants "$SSHD_PID")
		kill -TERM "$SSHD_PID" $kids 2>/dev/null || true
		wait "$SSHD_PID" 2>/dev/null || true
		n=0
		for p in $kids; do
			while [ -d "/proc/$p" ] && [ $n -lt 60 ]; do
				sleep 0.05
				n=$((n + 1))
			done
			kill -KILL "$p" 2>/dev/null || true
		done
	fi
	e2e_cleanup
}
trap ssh_cleanup EXIT

# ---- what the clerk may use: $T is entered (not listed) by others;
# $K is readable and $H writable by the clerk's group.
mkdir -m 0700 "$SD"
mkdir -m 2750 "$K"
mkdir -m 2770 "$H"
if [ "$RUSER" != "$me" ]; then
	chmod 0711 "$T"
	chgrp "$RGROUP" "$K" "$H"
	# Every folder above $T must let the clerk through.
	d=$(dirname "$T")
	while [ "$d" != / ]; do
		case $(stat -c %A "$d") in
		*x | *t) ;;
		*)
			echo "SKIP: $RUSER cannot enter $d (above the test folder $T); set TMPDIR to a folder others may enter"
			exit 77 ;;
		esac
		d=$(dirname "$d")
	done
fi
cp "$KONTOR" "$KBIN"
cp -R "$KONTOR_FORMS" "$K/forms"
chmod -R g+rX,o-rwx "$K"
{
	echo 'roles = ('
	echo '	{ name = "admin"; permissions = [ "*" ]; },'
	echo '	{ name = "clerk"; permissions = [ "party.*", "*.read" ]; }'
	echo ');'
	echo 'users = ('
	echo "	{ login = \"$me\"; name = \"Test Admin\"; roles = [ \"admin\" ]; }"
	[ "$RUSER" = "$me" ] ||
		echo "	, { login = \"$RUSER\"; name = \"SSH Clerk\"; roles = [ \"clerk\" ]; }"
	echo ');'
} >"$CONF"
chmod 0640 "$CONF"

demo_home "$H"                          # the home's setgid bit gives every file its group
NAME0=上海华东机械有限公司                 # P1001 in data/parties.csv

k() { "$KONTOR" --config "$CONF" --home "$H" "$@"; }

# ---- sshd on a free loopback port
ssh-keygen -q -t ed25519 -N '' -C kontor-e2e-host -f "$SD/host_key"
ssh-keygen -q -t ed25519 -N '' -C kontor-e2e-client -f "$SD/client_key"
cp "$SD/client_key.pub" "$K/authorized_keys"   # read by sshd as the clerk
chmod 0640 "$K/authorized_keys"
if [ "$(id -u)" -eq 0 ] && [ ! -d /run/sshd ]; then
	# sshd's privilege separation folder (the service makes it at boot)
	mkdir -p -m 0755 /run/sshd
fi

port_busy() {
	grep -qiE ":$(printf %04X "$1") [0-9A-F]+:0000 0A" \
		/proc/net/tcp /proc/net/tcp6 2>/dev/null
}

tries=0
PORT=""
while [ -z "$PORT" ]; do
	tries=$((tries + 1))
	[ $tries -le 8 ] || fail "sshd did not start on any of 8 ports; see $SD/sshd.log"
	p=$((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000))
	port_busy "$p" && continue
	cat >"$SD/sshd_config" <<EOF
ListenAddress 127.0.0.1
Port $p
HostKey $SD/host_key
PidFile $SD/sshd.pid
AuthorizedKeysFile $K/authorized_keys
AuthenticationMethods publickey
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
UsePAM no
StrictModes no
UseDNS no
PermitUserEnvironment no
X11Forwarding no
AllowTcpForwarding no
PrintMotd no
PrintLastLog no
LogLevel VERBOSE
EOF
	: >"$SD/sshd.log"
	"$SSHD" -D -f "$SD/sshd_config" -E "$SD/sshd.log" </dev/null &
	SSHD_PID=$!
	n=0
	while :; do
		if grep -q "Server listening on 127.0.0.1 port $p" "$SD/sshd.log"; then
			PORT=$p
			break
		fi
		if ! kill -0 "$SSHD_PID" 2>/dev/null; then
			wait "$SSHD_PID" 2>/dev/null || true
			SSHD_PID=""
			if grep -qiE "bind|address already in use" "$SD/sshd.log"; then
				break                   # taken meanwhile: another port
			fi
			echo "SKIP: $SSHD does not start:"
			cat "$SD/sshd.log"
			exit 77
		fi
		n=$((n + 1))
		[ $n -lt 200 ] || { cat "$SD/sshd.log" >&2; fail "sshd not listening after 10 s"; }
		sleep 0.05
	done
done

SSH_OPTS="-F /dev/null -p $PORT -i $SD/client_key -o IdentitiesOnly=yes
	-o IdentityAgent=none -o UserKnownHostsFile=$SD/known_hosts
	-o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=no
	-o BatchMode=yes -o ConnectTimeout=10 -o LogLevel=ERROR"

# remote ARGS...: the command line that runs kontor ARGS on the far side
# with everything it needs named (the login shell passes nothing on)
remote() {
	r="exec env TERM=$(shq "$E2E_TERM") LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC"
	r="$r KONTOR_FORMS=$(shq "$K/forms") $(shq "$KBIN") --config $(shq "$CONF") --home $(shq "$H")"
	for a; do
		r="$r $(shq "$a")"
	done
	printf '%s' "$r"
}

# ssh_start NAME ARGS...: tmux session NAME runs ssh -tt to the clerk's
# kontor ARGS; kpid NAME is the ssh client's pid, wait_exit its status
ssh_start() {
	name=$1
	shift
	cmd=$(remote "$@")
	saved=$KONTOR
	KONTOR=$SSH
	# shellcheck disable=SC2086
	scr_start "$name" $SSH_OPTS -tt "$RUSER@127.0.0.1" "$cmd"
	KONTOR=$saved
}

# ---- may the clerk log in, get a terminal, reach the program and the
# home?  (A non-root sshd cannot always give a terminal: it must chown
# the pty to the group tty, which some machines refuse.)
# shellcheck disable=SC2086
if ! "$SSH" $SSH_OPTS -tt "$RUSER@127.0.0.1" \
	"test -t 0 && test -x $(shq "$KBIN") && test -r $(shq "$CONF") && test -w $(shq "$H") && echo login-ok" \
	</dev/null >"$T/probe" 2>&1 || ! grep -q login-ok "$T/probe"; then
	cat "$T/probe"
	tail -20 "$SD/sshd.log"
	if [ "$RUSER" != "$me" ]; then         # the test user of .ci/run
		fail "kontor-e2e cannot log in over ssh with a terminal, or cannot reach $K and $H (above)"
	fi
	echo "SKIP: $RUSER cannot log in to the test sshd with a terminal (see above); as root, create the user kontor-e2e as .ci/run does, or run the test as root"
	exit 77
fi
echo "logged in as $RUSER over ssh to 127.0.0.1 port $PORT"

# ---- session A: edit, then the ssh client dies
ssh_start a PA P1001
wait_for a "Party  P1001  $NAME0" 15
on_screen a "rev 1, "
tabs a 2
text a "SSH Hangup Name"
wait_for a "Name*        SSH Hangup Name"
on_screen a "[changed]"

rp=$(remote_kontors)
[ -n "$rp" ] || fail "no kontor process runs $KBIN"
[ "$(echo "$rp" | wc -w)" -eq 1 ] || fail "more than one remote kontor: $rp"
[ "$(stat -c %U "/proc/$rp")" = "$RUSER" ] ||
	fail "the remote kontor $rp runs as $(stat -c %U "/proc/$rp"), not $RUSER"
[ -e "$H/run/$rp" ] || fail "the remote kontor $rp is not listed in $H/run"
log0=$(wc -l <"$H/daemon.log")
dpid0=$(k daemon --status 2>&1 | sed -n 's/.*(pid \([0-9]*\)).*/\1/p')

slog0=$(wc -l <"$SD/sshd.log")
cpid=$(kpid a)
kill -KILL "$cpid"
st=$(wait_exit a)
[ "$st" = 137 ] || fail "the ssh client exited $st, expected 137 (SIGKILL)"
n=0
while [ -d "/proc/$rp" ]; do
	n=$((n + 1))
	if [ $n -ge 200 ]; then
		tail -20 "$SD/sshd.log" >&2
		fail "the remote kontor $rp still runs 10 s after its ssh client was killed"
	fi
	sleep 0.05
done
sed "1,${slog0}d" "$SD/sshd.log" | grep -qE "Connection (closed|reset) by" ||
	{ cat "$SD/sshd.log" >&2; fail "sshd did not see the link drop"; }
[ -z "$(remote_kontors)" ] || fail "a remote kontor is left: $(remote_kontors)"

# What a dropped link must leave: the draft, no run/ entry, the record
# as it was, a sound database, and nothing for the daemon to mend.
[ -f "$DRAFT" ] || fail "no draft in $DRAFT after the hang-up"
expect_text "$DRAFT" "SSH Hangup Name"
[ ! -e "$H/run/$rp" ] || fail "a stale $H/run/$rp after the hang-up"
expect_status 0 k history party P1001
if grep -q changed "$T/out" || grep -q "SSH Hangup Name" "$T/out"; then
	cat "$T/out" >&2
	fail "P1001 was changed by the hang-up"
fi
sleep 1.5                                       # a failchk round of the daemon
expect_status 0 k db verify
expect_status 0 k daemon --status
expect_text "$T/out" "(pid $dpid0)"             # the same daemon: not replaced
sed "1,${log0}d" "$H/daemon.log" >"$T/daemon.new"
if grep -iE "evict|recover|asked|killed|failchk|stuck|error" "$T/daemon.new"; then
	fail "the daemon had to mend something after the hang-up (above)"
fi

# ---- session B: at once, the same record, unchanged; the draft back; saved
ssh_start b PA P1001
wait_for b "Party  P1001  $NAME0" 15
wait_for b "Restore them?"
on_screen b "Name*        $NAME0"
on_screen b "rev 1, "
keys b y
wait_for b "Restored your unsaved changes."     # not "the record was changed since"
wait_for b "Name*        SSH Hangup Name"
keys b F2
wait_for b "Saved Party  P1001  SSH Hangup Name."
not_on_screen b "changed by"
on_screen b "rev 2, "
[ ! -f "$DRAFT" ] || fail "the draft is still there after saving"
expect_status 0 k history party P1001
grep -qE "^[0-9-]+ [0-9:]+  $RUSER +changed" "$T/out" || {
	cat "$T/out" >&2
	fail "history of P1001: no change by $RUSER"
}
expect_text "$T/out" "-> SSH Hangup Name"
expect_status 0 k export party
grep -q "^P1001,SSH Hangup Name," "$T/out" || {
	grep "^P1001," "$T/out" >&2
	fail "export party: P1001 is not named 'SSH Hangup Name'"
}

# B leaves the ordinary way: ssh ends with kontor's status
keys b F3
wait_for b "1 Masters"
keys b F3
wait_for b "Leave Kontor?"
keys b y
st=$(wait_exit b)
[ "$st" = 0 ] || fail "session B: ssh exited $st, expected 0"
[ -z "$(remote_kontors)" ] || fail "a remote kontor is left: $(remote_kontors)"
# nothing of the sessions is left under sshd (its session processes
# end with their connections)
n=0
while left=$(descendants "$SSHD_PID") && [ -n "$left" ]; do
	n=$((n + 1))
	if [ $n -ge 25 ]; then
		for p in $left; do
			tr '\000' ' ' <"/proc/$p/cmdline" >&2 2>/dev/null || true
			echo >&2
		done
		fail "processes are left under sshd 5 s after both sessions ended (above)"
	fi
	sleep 0.2
done
expect_status 0 k db verify
e2e_done
