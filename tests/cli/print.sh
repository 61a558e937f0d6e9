#!/bin/sh
# Printing through the daemon's spool: kontor print FILE queues a job,
# the daemon runs the print command of kontor.conf on it, and kontor
# print status shows how it ended: printed, or failed with the command's
# own words (status 3 and its stderr), a command that does not exist, a
# command that hangs (killed after KONTOR_PRINT_TIMEOUT_S), and a job
# whose command runs when the daemon stops.
set -eu
. "$TEST_SRCDIR/lib.sh"
H=$T/h
me=$(id -un)
mkdir "$T/printed"

# print.sh ARGS... FILE: notes its arguments, copies FILE.
cat >"$T/print.sh" <<EOF
#!/bin/sh
for a; do last=\$a; done
printf '%s\n' "\$*" >>"$T/args"
cp "\$last" "$T/printed/"
echo "request id is office-7 (1 file(s))"
EOF
cat >"$T/fail.sh" <<'EOF'
#!/bin/sh
echo "printer on fire" >&2
exit 3
EOF
cat >"$T/hang.sh" <<EOF
#!/bin/sh
sleep 600 &
echo \$! >"$T/sleep.pid"
wait
EOF
chmod +x "$T/print.sh" "$T/fail.sh" "$T/hang.sh"

# conf COMMAND [ROLE]: we are a user with the default printer "office".
conf() {
	cat >"$T/k.conf" <<EOF
printing = { command = "$1"; };
users = ( { login = "$me"; roles = [ "${2:-admin}" ]; printer = "office"; } );
roles = ( { name = "admin"; permissions = [ "*" ]; },
	  { name = "clerk"; permissions = [ "party.*" ]; } );
EOF
}
k() { kontor --config "$T/k.conf" --home "$H" "$@"; }

# The daemon reads the print command when it starts.
start() {
	k daemon >/dev/null || fail "daemon did not start"
	DAEMON_HOMES="$DAEMON_HOMES $H"
}
stop() { k daemon --stop >/dev/null || fail "daemon did not stop"; }

# submit ARGS...: kontor print ARGS; sets $id.
submit() {
	expect_status 0 k print "$@"
	id=$(sed -n 's/^Print job \([^ ]*\) queued.*/\1/p' "$T/out")
	[ -n "$id" ] || fail "no job id in: $(cat "$T/out")"
}

# wait_state ID STATE: kontor print status shows STATE within 10 s.
wait_state() {
	i=0
	while [ $i -lt 100 ]; do
		k print status >"$T/status" 2>&1 || true
		grep -q "^$1 .* $2 " "$T/status" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	cat "$T/status" >&2
	fail "job $1 is not $2 after 10 s"
}

conf "$T/print.sh -d%p -t%t"
k db init >/dev/null

# Usage.
expect_status 0 k print --help
expect_text "$T/out" "Usage: kontor print"
expect_status 64 k print
expect_status 64 k print status extra
expect_status 64 k print status --printer x
expect_status 64 k print a b
expect_status 66 k print "$T/no-such-file"
expect_text "$T/err" "$T/no-such-file"
expect_status 0 k print status
expect_text "$T/out" "No print jobs."

# Queued while no daemon runs: it waits, and says so.
printf 'Kontor \344\270\255\346\226\207\nline 2\f\n' >"$T/report.txt"
submit "$T/report.txt" --title "Parties"
expect_text "$T/out" "queued for printer office"
expect_text "$T/err" "the daemon is not running"
first=$id
expect_status 0 k print status
expect_text "$T/out" "queued"

# A command that works: the file arrives byte for byte, %p is the
# user's printer, %t the title; the data file is the last argument.
start
wait_state "$first" printed
cmp "$T/report.txt" "$T/printed/$first.data" || fail "printed bytes differ"
expect_text "$T/args" "-doffice -tParties $H/spool/work/$first.data"
submit "$T/report.txt" --printer lab --title "Second copy"
expect_text "$T/out" "queued for printer lab"
wait_state "$id" printed
expect_text "$T/args" "-dlab -tSecond copy "
expect_text "$H/daemon.log" "print job $id of $me: printed on lab: request id is office-7"
# Standard input.
echo "from a pipe" | k print - --title piped >"$T/out"
id=$(sed -n 's/^Print job \([^ ]*\) queued.*/\1/p' "$T/out")
wait_state "$id" printed
[ "$(cat "$T/printed/$id.data")" = "from a pipe" ] || fail "stdin not printed"
stop

# A command that fails: its status and first lines, to the user.
conf "$T/fail.sh"
start
submit "$T/report.txt" --title "Burning"
wait_state "$id" failed
expect_text "$T/status" "$T/fail.sh exited with status 3: printer on fire"
expect_text "$H/daemon.log" "print job $id of $me failed: $T/fail.sh exited with status 3: printer on fire"
[ -f "$H/spool/failed/$id.seen" ] || fail "print status did not mark the failure seen"
stop

# A command that does not exist.
conf "$T/no-such-command -d%p"
start
submit "$T/report.txt"
wait_state "$id" failed
expect_text "$T/status" "cannot run $T/no-such-command: No such file or directory"
stop

# A command that hangs is killed after the timeout.
# Its children too: the process group goes.
conf "$T/hang.sh"
export KONTOR_PRINT_TIMEOUT_S=1
start
unset KONTOR_PRINT_TIMEOUT_S
submit "$T/report.txt"
wait_state "$id" failed
expect_text "$T/status" "$T/hang.sh timed out after 1 s and was killed"
gone() {
	! kill -0 "$1" 2>/dev/null ||
		ps -o stat= -p "$1" 2>/dev/null | grep -q '^Z'
}
i=0
until gone "$(cat "$T/sleep.pid")"; do
	[ $i -lt 30 ] || fail "the command's child lives on"
	sleep 0.1
	i=$((i + 1))
done
stop

# Stopping the daemon while a command runs: it is killed, the job fails
# as interrupted (it may have printed in part), the stop does not wait.
start
submit "$T/report.txt"
wait_state "$id" printing
t0=$(date +%s)
stop
[ $(($(date +%s) - t0)) -lt 10 ] || fail "the stop waited for the print command"
expect_status 0 k print status
expect_text "$T/out" "interrupted"
[ -z "$(ls "$H/spool/work")" ] || fail "work/ not empty: $(ls "$H/spool/work")"

# Everybody's jobs: print.admin only.
expect_status 0 k print status --all
expect_text "$T/out" "LOGIN"
expect_text "$T/out" "$me"
conf "$T/print.sh" clerk
expect_status 77 k print status --all
expect_text "$T/err" "print.admin"
expect_status 0 k print status

# A broken print command is refused before anything is queued.
conf "lp 'office"
expect_status 78 k print "$T/report.txt"
expect_text "$T/err" "printing.command"
echo ok
