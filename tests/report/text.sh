#!/bin/sh
# kontor report on the demo company: paginated text and CSV compared
# with golden files (page breaks, headers and headings on every page,
# "Page N of M", totals on the last page, group subtotals across a page
# break, the chart of accounts as a tree with CJK names cut to their
# column), parameters, report list, --output, --print, permissions.
#
# KONTOR_GOLDEN_UPDATE=1 writes the golden files instead of comparing;
# read every one of them before committing it.
set -eu
. "$TEST_SRCDIR/lib.sh"
export KONTOR_TODAY=2026-03-15
G=$TEST_SRCDIR/report/golden
H=$T/demo
me=$(id -un)

# The demo company, its daemon stopped on exit.
"$KONTOR" demo "$H" </dev/null >"$T/demo.out" 2>&1 ||
	{ cat "$T/demo.out" >&2; fail "kontor demo failed"; }
DAEMON_HOMES="$DAEMON_HOMES $H"

# 20 lines a page, so that the demo's 40 parties take three pages; a
# user with a display name, so that headers do not name the tester; a
# print command that appends to a file.
cat >"$T/k.conf" <<EOF
company = { name = "示范公司 Demo Co."; };
printing = { length = 20; command = "sh -c 'cat \"\$0\" >>$T/printed'"; };
roles = ( { name = "all"; permissions = [ "*" ]; },
	  { name = "charts"; permissions = [ "report.accounts" ]; } );
users = ( { login = "$me"; name = "Test User"; roles = [ "all" ]; } );
EOF
sed 's/roles = \[ "all" \]/roles = [ "charts" ]/' "$T/k.conf" >"$T/charts.conf"
k() { "$KONTOR" --config "$T/k.conf" --home "$H" "$@"; }

# golden NAME FILE: FILE must equal tests/report/golden/NAME.
golden() {
	if [ -n "${KONTOR_GOLDEN_UPDATE:-}" ]; then
		cp "$2" "$G/$1"
		return 0
	fi
	diff -u "$G/$1" "$2" >&2 || fail "$1 differs from its golden file"
}

# report list: the name and title of each.
expect_status 0 k report list
golden list.txt "$T/out"

# parties: four pages of 20 lines (14 rows a page), the totals on the
# last.  Credit limits are in five currencies: a total for each, never
# one sum of them all, then the number of rows.  The seven lines of
# totals stay with the last row, so page 3 ends after 11 rows and
# P1040 starts page 4.
expect_status 0 k report parties
golden parties.txt "$T/out"
[ "$(tr -cd '\f' <"$T/out" | wc -c)" -eq 3 ] || fail "not 4 pages"
[ "$(grep -c 'Page [1234] of 4$' "$T/out")" -eq 4 ] || fail "page lines"
[ "$(grep -c '^Code     Name' "$T/out")" -eq 4 ] || fail "headings not on every page"
# By hand from data/parties.csv: EUR P1016 75,000 + P1019 40,000 +
# P1023 60,000 + P1039 20,000 (and P1018, P1022, P1033 at 0) = 195,000
# in 7 rows; USD P1017 100,000 + P1032 50,000 + P1034 25,000 + P1038
# 35,000 = 210,000 in 4; JPY P1021 8,000,000; GBP P1020 0; CNY the
# other 27, 11,135,000 (what the old single total added up) - 195,000 -
# 210,000 - 8,000,000 = 2,730,000.
sed -n '/^Total/p' "$T/out" >"$T/totals"
cat >"$T/want" <<EOF
Total CNY (27 rows)                                         2,730,000.00
Total EUR (7 rows)                                            195,000.00
Total GBP (1 row)                                                   0.00
Total JPY (1 row)                                           8,000,000.00
Total USD (4 rows)                                            210,000.00
Total (40 rows)
EOF
diff -u "$T/want" "$T/totals" >&2 || fail "the totals per currency"
sed -n '/^P1040 /,$p' "$T/out" | wc -l | grep -qx 8 ||
	fail "the totals are not on the page of the last row"
[ "$(tail -c 1 "$T/out" | od -An -c | tr -d ' ')" = '\n' ] ||
	fail "the last page ends with a form feed"

# The width is the report's own (80 for parties), as in the viewer,
# whatever kontor.conf's printing.width says; --width asks for more:
# 132 columns, the name column widened to show whole names.
sed 's/length = 20;/length = 20; width = 132;/' "$T/k.conf" >"$T/wide.conf"
kw() { "$KONTOR" --config "$T/wide.conf" --home "$H" "$@"; }
expect_status 0 kw report parties
golden parties.txt "$T/out"
expect_status 0 kw report parties --width printer
cp "$T/out" "$T/wide.txt"
[ "$(sed -n 2p "$T/wide.txt" | wc -m)" -eq 133 ] || fail "--width printer is not 132 wide"
expect_text "$T/wide.txt" "P1002    上海华东机械有限公司苏州分公司 "
expect_text "$T/wide.txt" "P1018    Société Générale d'Équipement SARL "
expect_text "$T/wide.txt" "Total CNY (27 rows)"
expect_status 0 k report parties --width=132
cmp -s "$T/out" "$T/wide.txt" || fail "--width 132 differs from --width printer (132)"
expect_status 0 k report parties --width 80
golden parties.txt "$T/out"
expect_status 64 k report parties --width 100
expect_text "$T/err" "unknown width '100'; give 80, 132 or printer"
expect_status 64 k report parties --width 132 --format csv
expect_text "$T/err" "--width 132 lays out text, not csv"

# The same as CSV: raw values, no totals.
expect_status 0 k report parties --format csv
golden parties.csv "$T/out"
[ "$(wc -l <"$T/out")" -eq 41 ] || fail "CSV is not a header and 40 rows"

# Filters.
expect_status 0 k report parties --param kind=prospect --format csv
[ "$(wc -l <"$T/out")" -eq 5 ] || fail "not 4 prospects"
expect_status 0 k report parties --param status=blocked --param kind=customer
expect_text "$T/out" "Kind customer, Status blocked"
expect_text "$T/out" "Total CNY (1 row)                                             120,000.00"
expect_text "$T/out" "Total (1 row)"

# items: grouped by category; a group runs over a page break.
expect_status 0 k report items
golden items.txt "$T/out"
# Never narrower than the report's own: items stays 132 wide.
expect_status 0 k report items --width 80
golden items.txt "$T/out"
expect_text "$T/out" "Category: Spare parts (continued)"
expect_status 0 k report items --param category=s --format csv
[ "$(cut -d, -f5 "$T/out" | sort -u | tr '\n' '|')" = \
  "Seals|Services|Spare parts|category|" ] || fail "category prefix"

# accounts: the tree, indented two columns a level, with a heading and
# an account of our own three levels down whose long name is cut in
# the middle of a wide character.
cat >"$T/acc.csv" <<EOF
code,name,type,side,postable,parent,currency,status
2221.90,应交增值税及附加税费明细核算科目汇总表,liability,credit,no,2221,,active
2221.90.01,测试明细,liability,credit,yes,2221.90,,blocked
EOF
expect_status 0 k import account "$T/acc.csv"
expect_status 0 k report accounts
golden accounts.txt "$T/out"
expect_status 0 k report accounts --param status=blocked --format csv
golden accounts-blocked.csv "$T/out"

# --output writes the file whole; nothing is left behind.
expect_status 0 k report parties --output "$T/parties.txt"
golden parties.txt "$T/parties.txt"
[ ! -e "$T/parties.txt.tmp" ] || fail "FILE.tmp left behind"

# Bad parameters and options: 64, naming what is wrong.
expect_status 64 k report parties --param kind=friend
expect_text "$T/err" 'parameter kind: "friend" is not one of all, customer, supplier, prospect'
expect_status 64 k report parties --param colour=red
expect_text "$T/err" 'report parties has no parameter "colour"; its parameters are kind, status'
expect_status 64 k report parties --param kind
expect_text "$T/err" "--param needs NAME=VALUE"
expect_status 64 k report parties --format xls
expect_text "$T/err" "unknown format 'xls'"
expect_status 64 k report nosuch
expect_text "$T/err" "no report named 'nosuch'; the reports are parties, items, accounts"
expect_status 64 k report parties --output "$T/x" --print
expect_status 64 k report
[ ! -e "$T/x" ] || fail "a refused report wrote its file"

# --help describes the report.
expect_status 0 k report items --help
expect_text "$T/out" "type       Type: one of all, stocked, purchased, manufactured, service (default all)"
expect_text "$T/out" "Permission: report.items"
expect_text "$T/out" "Laid out for 132 columns."

# Permission report.NAME.
expect_status 77 "$KONTOR" --config "$T/charts.conf" --home "$H" report parties
expect_text "$T/err" "report.parties"
expect_status 0 "$KONTOR" --config "$T/charts.conf" --home "$H" report accounts

# --print: through the spool, printed by the daemon's print command.
kontor --home "$H" daemon --stop >/dev/null
expect_status 0 k daemon
expect_status 0 k report accounts --print
expect_text "$T/out" "queued"
i=0
while [ ! -s "$T/printed" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
sleep 0.2
golden accounts.txt "$T/printed"
echo ok
