#!/bin/sh
# The general ledger from the command line: kontor import journal (a
# good file; then bad ones, each naming FILE:LINE and posting nothing;
# a file of 3,000 entries), the reports trial-balance, general-ledger,
# journal, balance-sheet, income-statement and cost-centres as text and
# CSV, with their figures checked against sums worked out by hand
# below, and kontor export ledger (tests/cli/gl_hledger.sh has hledger
# read it).
set -eu
. "$TEST_SRCDIR/lib.sh"
export KONTOR_TODAY=2026-03-15

k() { "$KONTOR" --home "$H" "$@"; }

# The number of journal entries, from db stat.
entries() {
	k db stat | awk '$1 == "journal" { print $2 }'
}

# csv_get FILE KEYCOL KEY COL: the value of column COL (a name) in the
# row whose column KEYCOL equals KEY (plain CSV, no quoted commas).
csv_get() {
	awk -F, -v kc="$2" -v key="$3" -v col="$4" '
		NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c[kc] == key { print $c[col]; found = 1; exit }
		END { if (!found) print "MISSING" }' "$1"
}

# expect_csv FILE KEYCOL KEY COL VALUE
expect_csv() {
	got=$(csv_get "$1" "$2" "$3" "$4")
	[ "$got" = "$5" ] || {
		cat "$1" >&2
		fail "$1: $2=$3: $4 is '$got', expected '$5'"
	}
}

H=$T/env
k db init >/dev/null
k period create 2026 >/dev/null
k import department "$TOP_SRCDIR/data/departments.csv" >/dev/null
k import party "$TOP_SRCDIR/data/parties.csv" >/dev/null

# ----------------------------------------------------------- the commands
expect_status 0 k import --list
expect_text "$T/out" "journal        Journal entries, posted"
expect_status 0 k import journal --columns
expect_text "$T/out" "entry                 text"
expect_text "$T/out" "cost_centre           code of department"
expect_status 0 k import --help
expect_text "$T/out" "kontor import journal FILE [--dry-run]"
expect_status 0 k export --help
expect_text "$T/out" "kontor export ledger [--output FILE]"
expect_status 64 k import journal
expect_text "$T/err" "give the file to import"
expect_status 64 k import journal a.csv --update
expect_text "$T/err" "a posted entry is never updated"
expect_status 66 k import journal "$T/missing.csv"
expect_text "$T/err" "missing.csv: No such file or directory"

# ------------------------------------------------------- a good journal
# Seven entries, January to March 2026 (hand-worked figures below).
# E2 and E6 carry parties and cost centres; E7 is in USD at 7.10, so its
# base amount is 1,000.00 x 7.10 = 7,100.00.  E6's second row has a
# description of its own: it becomes that line's memo.
cat >"$T/good.csv" <<'EOF'
entry,date,account,debit,credit,description,party,cost_centre,currency,rate
E1,2026-01-05,1002,"500,000.00",,实收资本 Capital paid in,,,,
E1,2026-01-05,4001,,500000,实收资本 Capital paid in,,,,
E2,2026-01-10,1221,113000.00,,Sale INV-1 to 上海华东机械,P1001,,,
E2,2026-01-10,6001,,100000.00,Sale INV-1 to 上海华东机械,,CC310,,
E2,2026-01-10,2221.02,,13000.00,Sale INV-1 to 上海华东机械,,,,
E3,2026-01-20,1405,50000.00,,Goods from 深圳创新,,,,
E3,2026-01-20,2221.01,6500.00,,Goods from 深圳创新,,,,
E3,2026-01-20,2241,,56500.00,Goods from 深圳创新,P1004,,,
E4,2026-02-05,1002,113000.00,,Receipt for INV-1,,,,
E4,2026-02-05,1221,,113000.00,Receipt for INV-1,P1001,,,
E5,2026-02-10,6401,40000.00,,Cost of goods sold,,,,
E5,2026-02-10,1405,,40000.00,Cost of goods sold,,,,
E6,2026-02-28,6602,8000.00,,February expenses,,D100,,
E6,2026-02-28,6601,2000.00,,"Trade fair, Shanghai",,CC310,,
E6,2026-02-28,1002,,10000.00,February expenses,,,,
E7,2026-03-03,1002,1000.00,,Service fee in USD,,,USD,7.10
E7,2026-03-03,6051,,7100.00,Service fee in USD,,,,
EOF
expect_status 0 k import journal "$T/good.csv" --dry-run
expect_text "$T/out" "nothing posted (--dry-run)"
[ "$(entries)" = 0 ] || fail "--dry-run posted"
expect_status 0 k import journal "$T/good.csv"
expect_text "$T/out" "Posted 7 journal entries (17 rows) from $T/good.csv"
[ "$(entries)" = 7 ] || fail "7 entries expected, db stat says $(entries)"

# ---------------------------------------------------------- trial balance
# January to March, closing balances (debit positive), worked by hand:
#   1002 银行存款   500,000 + 113,000 - 10,000 + 7,100 = 610,100.00
#   1221 其他应收款 113,000 - 113,000                  =       0.00
#   1405 库存商品    50,000 - 40,000                   =  10,000.00
#   2221.01 进项税额                                   =   6,500.00
#   2221.02 销项税额                                   = -13,000.00
#   2241 其他应付款                                    = -56,500.00
#   4001 实收资本                                      = -500,000.00
#   6001 -100,000.00; 6051 -7,100.00; 6401 40,000.00; 6601 2,000.00;
#   6602 8,000.00; the sum of all is 0.
# Debits posted: 500,000 + 113,000 + 56,500 + 113,000 + 40,000 + 10,000
# + 7,100 = 839,600.00, the same as the credits.
expect_status 0 k report trial-balance --param from=2026-01 --param to=2026-03 \
	--param show=postable --format csv
cp "$T/out" "$T/tb.csv"
head -1 "$T/tb.csv" | grep -qx 'account,name,postable,opening,debit,credit,balance' ||
	fail "trial balance CSV header: $(head -1 "$T/tb.csv")"
expect_csv "$T/tb.csv" account 1002 balance 610100.00
expect_csv "$T/tb.csv" account 1002 debit 620100.00
expect_csv "$T/tb.csv" account 1002 credit 10000.00
expect_csv "$T/tb.csv" account 1221 balance 0.00
expect_csv "$T/tb.csv" account 1405 balance 10000.00
expect_csv "$T/tb.csv" account 2221.01 balance 6500.00
expect_csv "$T/tb.csv" account 2221.02 balance -13000.00
expect_csv "$T/tb.csv" account 2241 balance -56500.00
expect_csv "$T/tb.csv" account 4001 balance -500000.00
expect_csv "$T/tb.csv" account 6001 balance -100000.00
expect_csv "$T/tb.csv" account 6051 balance -7100.00
expect_csv "$T/tb.csv" account 6401 balance 40000.00
expect_csv "$T/tb.csv" account 4001 name 实收资本
[ "$(csv_get "$T/tb.csv" account 1001 balance)" = MISSING ] ||
	fail "an account without figures is listed"
# 12 accounts moved; debits = credits = 839,600.00; balances sum to 0.
[ "$(($(wc -l <"$T/tb.csv") - 1))" = 12 ] || fail "12 accounts expected"
awk -F, 'NR > 1 { d += $5 * 100; c += $6 * 100; b += $7 * 100 }
	END { if (d != 83960000 || c != 83960000 || b != 0) {
		print "debits " d / 100 ", credits " c / 100 ", balances " b / 100
		exit 1 } }' "$T/tb.csv" || fail "trial balance sums"

# February alone: 1002 opens at 500,000.00, +113,000 -10,000.
expect_status 0 k report trial-balance --param from=2026-02 --param to=2026-02 \
	--param show=postable --format csv
expect_csv "$T/out" account 1002 opening 500000.00
expect_csv "$T/out" account 1002 debit 113000.00
expect_csv "$T/out" account 1002 credit 10000.00
expect_csv "$T/out" account 1002 balance 603000.00
expect_csv "$T/out" account 4001 opening -500000.00
expect_csv "$T/out" account 4001 debit 0.00

# The tree: headings carry the sums of their accounts (1 资产类: 1002 +
# 1221 + 1405 = 620,100.00; 2221 应交税费: 6,500 - 13,000 = -6,500.00),
# and are not counted again in the total.
expect_status 0 k report trial-balance --param from=2026-01 --param to=2026-03 --format csv
cp "$T/out" "$T/tbtree.csv"
expect_csv "$T/tbtree.csv" account 1 balance 620100.00
expect_csv "$T/tbtree.csv" account 1 postable no
expect_csv "$T/tbtree.csv" account 2221 balance -6500.00
expect_csv "$T/tbtree.csv" account 6 balance -57100.00
expect_status 0 k report trial-balance --param from=2026-01 --param to=2026-03
cp "$T/out" "$T/tb.txt"
expect_text "$T/tb.txt" "Trial balance"
expect_text "$T/tb.txt" "From period 2026-01, To period 2026-03"
grep -Eq '^1 +资产类 +no +0\.00 +783,100\.00 +163,000\.00 +620,100\.00$' "$T/tb.txt" ||
	fail "trial balance: the heading 1 资产类"
grep -Eq '^  1002 +银行存款 +yes ' "$T/tb.txt" || fail "1002 indented one level"
grep -Eq '^    2221\.01 ' "$T/tb.txt" || fail "2221.01 indented two levels"
# The grand total: opening 0, debits 839,600.00 = credits, closing 0.
grep -E '^Total \(.*\)  +0\.00 +839,600\.00 +839,600\.00 +0\.00$' "$T/tb.txt" >/dev/null ||
	{ cat "$T/tb.txt" >&2; fail "trial balance grand total"; }

# level=1: only the top headings, which then stand for their accounts.
expect_status 0 k report trial-balance --param from=2026-01 --param to=2026-03 \
	--param level=1 --format csv
[ "$(cut -d, -f1 "$T/out" | tr '\n' ' ')" = "account 1 2 4 6 " ] ||
	fail "level=1: $(cut -d, -f1 "$T/out" | tr '\n' ' ')"
expect_status 0 k report trial-balance --param from=2026-01 --param to=2026-03 --param level=1
grep -E '^Total .* 839,600\.00 +839,600\.00' "$T/out" >/dev/null ||
	fail "level=1 total"

# Bad parameters.
expect_status 64 k report trial-balance --param from=2026-13
expect_text "$T/err" "parameter from: not a period: 2026-13"
expect_status 64 k report trial-balance --param from=2031-01
expect_text "$T/err" "parameter from: no period 2031-01"
expect_status 64 k report trial-balance --param from=2026-03 --param to=2026-01
expect_text "$T/err" "parameter to: period 2026-01 is before from, 2026-03"
expect_status 64 k report trial-balance --param level=0
expect_text "$T/err" "parameter level: give 1"
expect_status 64 k report trial-balance --param show=postable --param level=2
expect_text "$T/err" "only with show=tree"
expect_status 64 k report trial-balance --param show=all
expect_text "$T/err" 'parameter show: "all" is not one of tree, postable'

# --------------------------------------------------------- general ledger
# 1002 from January to March: 500,000.00, 613,000.00, 603,000.00,
# 610,100.00; the closing row says 610,100.00.
expect_status 0 k report general-ledger --param from=2026-01-01 --param to=2026-03-31 \
	--param from_account=1002 --param to_account=1002 --format csv
cp "$T/out" "$T/gl.csv"
head -1 "$T/gl.csv" | grep -qx 'date,entry,description,party,memo,debit,credit,balance' ||
	fail "general ledger CSV header"
[ "$(cut -d, -f8 "$T/gl.csv" | tr '\n' ' ')" = \
  "balance 0.00 500000.00 613000.00 603000.00 610100.00 610100.00 " ] ||
	{ cat "$T/gl.csv" >&2; fail "1002 running balance"; }
expect_csv "$T/gl.csv" entry JE-000007 debit 7100.00
expect_csv "$T/gl.csv" description "Closing balance" date 2026-03-31
# From the middle of February: the opening adds February's lines before
# the 6th (E4, 113,000.00) to January's closing 500,000.00.
expect_status 0 k report general-ledger --param from=2026-02-06 --param to=2026-03-31 \
	--param from_account=1002 --param to_account=1002 --format csv
expect_csv "$T/out" description "Opening balance" balance 613000.00
[ "$(wc -l <"$T/out")" = 5 ] || fail "E6, E7 and two balance rows expected"
# Every account with figures, as text: one group an account, parties
# and memos on the lines.
expect_status 0 k report general-ledger --param from=2026-01-01 --param to=2026-03-31
cp "$T/out" "$T/gl.txt"
expect_text "$T/gl.txt" "Account: 1002 银行存款"
expect_text "$T/gl.txt" "Account: 6601 销售费用"
expect_text "$T/gl.txt" "Trade fair, Shanghai"
expect_text "$T/gl.txt" "P1001"
expect_status 64 k report general-ledger --param from_account=9999
expect_text "$T/err" "parameter from_account: no account with code 9999"
expect_status 64 k report general-ledger --param from_account=6001 --param to_account=1001
expect_text "$T/err" "to_account: 1001 comes before from_account, 6001"
# period=2026-02 is 2026-02-01 .. 2026-02-28: 1002 opens at 500,000.00.
expect_status 0 k report general-ledger --param period=2026-02 \
	--param from_account=1002 --param to_account=1002 --format csv
expect_csv "$T/out" description "Opening balance" balance 500000.00
expect_csv "$T/out" description "Closing balance" date 2026-02-28
expect_status 64 k report general-ledger --param period=2026-02 --param from=2026-02-01
expect_text "$T/err" "give a period or from and to, not both"
expect_status 64 k report general-ledger --param from=2026-03-01 --param to=2026-02-01
expect_text "$T/err" "parameter to: 2026-02-01 is before from, 2026-03-01"

# ---------------------------------------------------------------- journal
# February: E4, E5, E6 with 2 + 2 + 3 lines; debits 113,000 + 40,000 +
# 10,000 = 163,000.00.
expect_status 0 k report journal --param period=2026-02 --format csv
[ "$(($(wc -l <"$T/out") - 1))" = 7 ] || fail "7 journal lines in February"
awk -F, 'NR > 1 { d += $(NF - 1) * 100; c += $NF * 100 }
	END { exit !(d == 16300000 && c == 16300000) }' "$T/out" ||
	fail "journal February sums"
expect_status 0 k report journal --param from=2026-02-01 --param to=2026-02-28
expect_text "$T/out" "Entry: JE-000006  2026-02-28  February expenses"
expect_text "$T/out" "CC310"

# ------------------------------------------------------------- statements
# 资产负债表 at 2026-03: assets 610,100 + 10,000 = 620,100.00;
# liabilities 56,500 + (13,000 - 6,500) = 63,000.00; equity 500,000 +
# the year's profit 57,100 (below) = 557,100.00; 63,000 + 557,100 =
# 620,100.00.  The year began empty.
expect_status 0 k report balance-sheet --param period=2026-03 --format csv
cp "$T/out" "$T/bs.csv"
expect_csv "$T/bs.csv" line 货币资金 closing 610100.00
expect_csv "$T/bs.csv" line 存货 closing 10000.00
expect_csv "$T/bs.csv" line 资产总计 closing 620100.00
expect_csv "$T/bs.csv" line 应交税费 closing 6500.00
expect_csv "$T/bs.csv" line 负债合计 closing 63000.00
expect_csv "$T/bs.csv" line 未分配利润 closing 57100.00
expect_csv "$T/bs.csv" line "负债和所有者权益（或股东权益）总计" closing 620100.00
expect_csv "$T/bs.csv" line 资产总计 year_start 0.00
expect_status 0 k report balance-sheet --param period=2026-03
expect_text "$T/out" "资产总计"
# 利润表: January to March 营业收入 100,000 + 7,100 = 107,100.00;
# 营业利润 107,100 - 40,000 - 2,000 - 8,000 = 57,100.00 = 净利润.
# March alone: 7,100.00 this period, 57,100.00 for the year.
expect_status 0 k report income-statement --param from=2026-01 --param to=2026-03 --format csv
expect_csv "$T/out" line 一、营业收入 period 107100.00
expect_csv "$T/out" line 减：营业成本 period 40000.00
expect_csv "$T/out" line "四、净利润（净亏损以“-”号填列）" period 57100.00
expect_status 0 k report income-statement --param from=2026-03 --param to=2026-03 --format csv
expect_csv "$T/out" line "四、净利润（净亏损以“-”号填列）" period 7100.00
expect_csv "$T/out" line "四、净利润（净亏损以“-”号填列）" year_to_date 57100.00
expect_status 0 k report income-statement --param from=2026-01 --param to=2026-03
expect_text "$T/out" "二、营业利润"
expect_status 64 k report income-statement --param period=2026-03
expect_text "$T/err" 'report income-statement has no parameter "period"'

# ----------------------------------------------------------- cost centres
# CC310: 6001 credit 100,000.00, 6601 debit 2,000.00; D100: 6602 8,000.
expect_status 0 k report cost-centres --param from=2026-01 --param to=2026-03 --format csv
[ "$(cat "$T/out" | tr '\n' ' ')" = \
  "account,name,debit,credit,net 6001,主营业务收入,0.00,100000.00,-100000.00 6601,销售费用,2000.00,0.00,2000.00 6602,管理费用,8000.00,0.00,8000.00 " ] ||
	{ cat "$T/out" >&2; fail "cost centres"; }
expect_status 0 k report cost-centres --param from=2026-01 --param to=2026-03
expect_text "$T/out" "Cost centre: CC310 华东销售"
expect_text "$T/out" "Cost centre: D100 总经办"
expect_status 0 k report cost-centres --param from=2026-01 --param to=2026-03 \
	--param cost_centre=D100 --format csv
[ "$(wc -l <"$T/out")" = 2 ] || fail "cost_centre=D100"
expect_status 64 k report cost-centres --param cost_centre=NOPE
expect_text "$T/err" "no department with code NOPE"

# ------------------------------------------------------- PDF, if built in
for r in trial-balance general-ledger journal balance-sheet \
	 income-statement cost-centres; do
	set +e
	k report "$r" --format pdf --output "$T/$r.pdf" >"$T/out" 2>"$T/err"
	st=$?
	set -e
	case $st in
	0) head -c 5 "$T/$r.pdf" | grep -q '%PDF-' || fail "$r: not a PDF" ;;
	64) expect_text "$T/err" "PDF" ;;     # built without cairo/pango
	*) cat "$T/err" >&2; fail "$r --format pdf: status $st" ;;
	esac
done

# ------------------------------------------------------- bad journal files
# Each names FILE:LINE and posts nothing: the balances stay as they are.
bad() {
	expect_status 65 k import journal "$T/bad.csv"
	cp "$T/err" "$T/berr"
	expect_text "$T/berr" "$1"
	expect_text "$T/berr" "nothing was posted"
	[ "$(entries)" = 7 ] || fail "a bad file posted"
	expect_status 0 k report trial-balance --param from=2026-01 --param to=2026-03 \
		--param show=postable --format csv
	cmp -s "$T/out" "$T/tb.csv" || fail "a bad file changed the balances"
}

# Unbalanced: named at the entry's first row, with both sums; the good
# entry before it is not posted either.
cat >"$T/bad.csv" <<'EOF'
entry,date,account,debit,credit,description
B1,2026-03-10,1001,10.00,,Good one
B1,2026-03-10,1002,,10.00,Good one
B2,2026-03-11,6602,100.00,,Short
B2,2026-03-11,1001,,99.99,Short
EOF
bad "$T/bad.csv:4: entry: entry B2 does not balance: debits 100.00, credits 99.99"

# An unknown account, on its own line.
cat >"$T/bad.csv" <<'EOF'
entry,date,account,debit,credit,description
B1,2026-03-10,1001,10.00,,Petty cash
B1,2026-03-10,9999,,10.00,Petty cash
EOF
bad "$T/bad.csv:3: account: no account with code 9999"

# The receivables' and payables' control accounts take only what those
# subledgers post: their balance is the sum of the open items.
cat >"$T/bad.csv" <<'EOF'
entry,date,account,debit,credit,description,party
B1,2026-03-10,1122,10.00,,Opening balance,P1001
B1,2026-03-10,4001,,10.00,Opening balance,
EOF
bad "$T/bad.csv:2: entry B1: account 1122 is the receivables control account: post customer invoices, credit notes and receipts under Receivables"

# A bad date, and a date that differs inside an entry.
cat >"$T/bad.csv" <<'EOF'
entry,date,account,debit,credit,description
B1,2026-02-30,1001,10.00,,Petty cash
B1,2026-02-30,1002,,10.00,Petty cash
B2,2026-03-01,1001,10.00,,Petty cash
B2,2026-03-02,1002,,10.00,Petty cash
EOF
bad "$T/bad.csv:2: date: "
expect_text "$T/berr" "$T/bad.csv:3: date: "
expect_text "$T/berr" "$T/bad.csv:5: date: 2026-03-02 differs from the date of entry B2 (2026-03-01, line 4)"

# A heading, both sides on one row, neither, an amount that is not one,
# a party and a cost centre that do not exist.
cat >"$T/bad.csv" <<'EOF'
entry,date,account,debit,credit,description,party,cost_centre
B1,2026-03-10,1,10.00,,x,,
B1,2026-03-10,1002,10.00,10.00,x,,
B1,2026-03-10,1002,,,x,,
B1,2026-03-10,1002,12x,,x,,
B1,2026-03-10,1002,,10.00,x,NOPE,
B1,2026-03-10,1002,,10.00,x,,NOPE
EOF
bad "$T/bad.csv:2: account: account 1 is a heading"
expect_text "$T/berr" "$T/bad.csv:3: debit: a debit and a credit on one row"
expect_text "$T/berr" "$T/bad.csv:4: debit: no debit or credit"
expect_text "$T/berr" "$T/bad.csv:5: debit: "
expect_text "$T/berr" "$T/bad.csv:6: party: no party with code NOPE"
expect_text "$T/berr" "$T/bad.csv:7: cost_centre: no department with code NOPE"

# An entry whose rows are not together; one line only; no description.
cat >"$T/bad.csv" <<'EOF'
entry,date,account,debit,credit,description
B1,2026-03-10,1001,10.00,,x
B2,2026-03-10,1001,10.00,,y
B2,2026-03-10,1002,,10.00,y
B1,2026-03-10,1002,,10.00,x
B3,2026-03-10,1001,10.00,,
B3,2026-03-10,1002,,10.00,
EOF
bad "$T/bad.csv:2: entry: entry B1 has one line"
expect_text "$T/berr" "$T/bad.csv:5: entry: entry B1 comes back after other entries' rows; it began at line 2"
expect_text "$T/berr" "$T/bad.csv:6: description: required on an entry's first row"

# A date outside every period: gl_post refuses, named at the first row.
cat >"$T/bad.csv" <<'EOF'
entry,date,account,debit,credit,description
B1,2031-03-10,1001,10.00,,Far future
B1,2031-03-10,1002,,10.00,Far future
EOF
bad "$T/bad.csv:2: entry B1: "

# Columns: unknown, missing, twice.
printf 'entry,date,account,debit,credit\nB1,2026-03-10,1001,1,\n' >"$T/bad.csv"
bad "$T/bad.csv:1: description: the description column is required"
printf 'entry,date,account,debit,credit,description,colour\n' >"$T/bad.csv"
bad "$T/bad.csv:1: colour: unknown column"

# ---------------------------------------------------- 3,000 entries at once
# Entry i (1..3000) on day (i mod 28) + 1 of January to March: debit 6602
# i.00, credit 1001 (cost centre D200 every third entry).  Sum of
# 1..3000 = 4,501,500.00 to 6602 and from 1001.
awk 'BEGIN {
	print "entry,date,account,debit,credit,description,cost_centre"
	for (i = 1; i <= 3000; i++) {
		d = sprintf("2026-%02d-%02d", i % 3 + 1, i % 28 + 1)
		cc = i % 3 == 0 ? "D200" : ""
		printf "N%d,%s,6602,%d.00,,Bulk %d,%s\n", i, d, i, i, cc
		printf "N%d,%s,1001,,%d.00,Bulk %d,\n", i, d, i, i
	}
}' >"$T/big.csv"
expect_status 0 k import journal "$T/big.csv"
expect_text "$T/out" "Posted 3000 journal entries (6000 rows)"
[ "$(entries)" = 3007 ] || fail "3007 entries expected"
expect_status 0 k report trial-balance --param from=2026-01 --param to=2026-03 \
	--param show=postable --format csv
expect_csv "$T/out" account 1001 balance -4501500.00
expect_csv "$T/out" account 6602 balance 4509500.00
# The same file with one bad row at the very end posts nothing.
sed 's/^N3000,\(.*\),1001,,3000.00,/N3000,\1,1001,,2999.00,/' "$T/big.csv" >"$T/big-bad.csv"
expect_status 65 k import journal "$T/big-bad.csv"
expect_text "$T/err" "$T/big-bad.csv:6000: entry: entry N3000 does not balance: debits 3,000.00, credits 2,999.00"
[ "$(entries)" = 3007 ] || fail "the bad big file posted"

# ----------------------------------------------------------- export ledger
expect_status 0 k export ledger --output "$T/ledger.journal"
expect_text "$T/out" "Exported 3007 journal entries to $T/ledger.journal"
[ ! -e "$T/ledger.journal.tmp" ] || fail "temporary file left"
L=$T/ledger.journal
expect_text "$L" "commodity 1000.00 CNY"
expect_text "$L" "account 1 资产类:1002 银行存款  ; type: A"
expect_text "$L" "account 2 负债类:2221 应交税费:2221.02 应交增值税(销项税额)  ; type: L"
expect_text "$L" "2026-01-10 * (JE-000002) Sale INV-1 to 上海华东机械"
expect_text "$L" "    1 资产类:1221 其他应收款  113000.00 CNY  ; party: P1001"
expect_text "$L" "    6 损益类:6001 主营业务收入  -100000.00 CNY  ; cost_centre: CC310"
expect_text "$L" "    6 损益类:6601 销售费用  2000.00 CNY  ; cost_centre: CC310, memo: Trade fair, Shanghai"
expect_text "$L" "1002 银行存款  7100.00 CNY  ; fx: 1000.00 USD @ 7.100000"
# Standard output gives the same.
expect_status 0 k export ledger
cmp -s "$T/out" "$L" || fail "export ledger to stdout differs from --output"
# Its postings add up to zero, entry by entry and in all.
awk '/^    [^; ]/ && match($0, /  -?[0-9]+\.[0-9][0-9] CNY/) {
		s += substr($0, RSTART + 2, RLENGTH - 6) * 100; n++ }
	END { exit !(n == 6017 && s < 0.5 && s > -0.5) }' "$L" ||
	fail "the exported postings are not 6,017 adding up to 0"

# ------------------------------------------------------- a closed period
# What gl_post refuses is named at the row it concerns, or the entry's
# first row: here the period, closed.
expect_status 0 k gl close 2026-01
cat >"$T/bad.csv" <<'EOF'
entry,date,account,debit,credit,description
B1,2026-02-10,1001,10.00,,Fine
B1,2026-02-10,1002,,10.00,Fine
B2,2026-01-31,1001,10.00,,Late
B2,2026-01-31,1002,,10.00,Late
EOF
expect_status 65 k import journal "$T/bad.csv"
expect_text "$T/err" "$T/bad.csv:4: entry B2: "
expect_text "$T/err" "2026-01"
expect_text "$T/err" "closed"
[ "$(entries)" = 3007 ] || fail "an entry went into a closed period"

# The base currency named in the currency column is no foreign currency;
# a rate with it is refused.
cat >"$T/cny.csv" <<'EOF'
entry,date,account,debit,credit,description,currency,rate
C1,2026-02-10,1001,10.00,,Cash in,CNY,
C1,2026-02-10,1002,,10.00,Cash in,,
EOF
expect_status 0 k import journal "$T/cny.csv"
[ "$(entries)" = 3008 ] || fail "the CNY entry was not posted"
sed 's/CNY,$/CNY,1.5/' "$T/cny.csv" >"$T/bad.csv"
expect_status 65 k import journal "$T/bad.csv"
expect_text "$T/err" "$T/bad.csv:2: rate: a rate needs a currency other than the base currency"
echo ok
