#!/bin/sh
# Chinese and Latin names typed through the form and shown in the list:
# every column after Name starts at the same display column on every
# row, whatever the script, also when a name is cut inside a wide
# character.
set -eu
. "$TEST_SRCDIR/lib.sh"
. "$TEST_SRCDIR/e2e/tmux.sh"
H=$T/h

# dwidth: the display width of the line on stdin (GNU wc -L counts a
# CJK character as 2 columns; else python3; else the test is skipped).
if [ "$(printf '北x\n' | wc -L 2>/dev/null)" = 3 ]; then
	dwidth() { wc -L | tr -d ' '; }
elif command -v python3 >/dev/null 2>&1; then
	dwidth() {
		python3 -c 'import sys, unicodedata as u
s = sys.stdin.read().rstrip("\n")
print(sum(2 if u.east_asian_width(c) in "WF" else 0 if u.combining(c) else 1 for c in s))'
	}
else
	echo "SKIP: no way to measure display width (GNU wc -L or python3)"
	exit 77
fi
demo_home "$H"

scr_start a --home "$H" PA
wait_for a "P1001"

# new_party CODE NAME: created through the form (a customer)
new_party() {
	keys a F5
	wait_for a "new record"
	text a "$1"
	tabs a 2
	text a "$2"
	keys a Tab y
	keys a F2
	wait_for a "Created Party  $1  "
}

new_party C001 "上海华东机械有限公司测试"
# the title bar: the name, then "rev 1, LOGIN" flush right
[ "$(line_of a 2 | dwidth)" -eq 79 ] || {
	show_screen a
	fail "form title with a CJK name is not 80 columns wide"
}
on_screen a "Name*        上海华东机械有限公司测试"
new_party C002 "北京测试"
new_party C003 "Latin Test Company Ltd."
# 35 columns: cut after 34 inside the last wide character
new_party C004 "A北京测试北京测试北京测试北京测试北"
# 36 columns: cut exactly at 34
new_party C005 "上海华东机械有限公司苏州分公司北京办"
new_party C006 "Müller Straße Société Générale"

# Editing: Backspace takes a whole wide character.
keys a F5
wait_for a "new record"
text a C007
tabs a 2
text a "北京测试X"
wait_for a "北京测试X"
keys a BSpace BSpace
wait_for a "Name*        北京测"
not_on_screen a "北京测试"
text a "试二"
keys a Tab y F2
wait_for a "Created Party  C007  北京测试二."

keys a F3
wait_for a "/ Search"
wait_for a "C007"
capture a >"$T/list"

# The header: "Cust" starts at display column 48 (Code 12 + 1 + Name 34 + 1).
hdr=$(sed -n 3p "$T/list")
pre=$(printf '%s\n' "$hdr" | sed 's/Cust.*$//')
[ "$(printf '%s\n' "$pre" | dwidth)" -eq 48 ] || {
	cat "$T/list" >&2
	fail "header: Cust does not start at column 48"
}

# Every row: what stands before the Cust value is 47 columns wide
# (the Name column's end), and Status starts at column 71.
rows=0
bad=0
while IFS= read -r line; do
	case $line in
	C0* | P1*) ;;
	*) continue ;;
	esac
	rows=$((rows + 1))
	before=$(printf '%s\n' "$line" | sed -E 's/ (yes|no) +(yes|no)( .*)?$//')
	w=$(printf '%s\n' "$before" | dwidth)
	ws=$(printf '%s\n' "$line" | sed -E 's/ (active|blocked)$//' | dwidth)
	if [ "$w" -ne 47 ] || [ "$ws" -ne 70 ]; then
		echo "misaligned ($w, $ws): $line" >&2
		bad=$((bad + 1))
	fi
done <"$T/list"
[ "$rows" -ge 19 ] || { cat "$T/list" >&2; fail "expected 19 rows, saw $rows"; }
[ "$bad" -eq 0 ] || { cat "$T/list" >&2; fail "$bad rows misaligned"; }

# The names as listed (cut to 34 columns).
grep -q '^C001  *上海华东机械有限公司测试  *yes  no' "$T/list" || fail "C001 row"
grep -q '^C002  *北京测试  *yes  no' "$T/list" || fail "C002 row"
grep -q '^C003  *Latin Test Company Ltd\.  *yes  no' "$T/list" || fail "C003 row"
grep -q '^C004  *A北京测试北京测试北京测试北京测试  *yes' "$T/list" || fail "C004 row"
grep -q '^C005  *上海华东机械有限公司苏州分公司北京 yes' "$T/list" || fail "C005 row"
grep -q '^C006  *Müller Straße Société Générale  *yes' "$T/list" || fail "C006 row"

# Type-ahead and search with CJK text.
keys a /
wait_for a "Search:"
text a "苏州分公司北京"
keys a Enter
n=0
until line_of a 4 | grep -q '^C005 '; do
	n=$((n + 1))
	[ $n -lt 200 ] || { show_screen a; fail "search for CJK text did not find C005"; }
	sleep 0.05
done
keys a Enter
wait_for a "Party  C005  上海华东机械有限公司苏州分公司北京办"

# Stored as typed.
expect_status 0 "$KONTOR" --home "$H" history party C004
expect_text "$T/out" "A北京测试北京测试北京测试北京测试北"
expect_status 0 "$KONTOR" --home "$H" history party C007
expect_text "$T/out" "北京测试二"
e2e_done
