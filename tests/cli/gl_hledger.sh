#!/bin/sh
# kontor export ledger read by hledger: `hledger -f FILE balance` gives
# every account the balance kontor's trial balance gives it, to the
# cent, and its top levels the trial balance's headings.  The accounts
# carry CJK names, parentheses and a colon (the IFRS chart's
# "Inventories: raw materials"); descriptions a ';'.
#
# Skips (77) where hledger is not installed (./quickstart installs it).
set -eu
. "$TEST_SRCDIR/lib.sh"
export KONTOR_TODAY=2026-06-15

if ! command -v hledger >/dev/null 2>&1; then
	echo "SKIP: hledger is not installed (apt-get install hledger)"
	exit 77
fi

k() { "$KONTOR" --home "$H" "$@"; }

# hledger's CSV rows ("ACCOUNT","AMOUNT COMMODITY") as "CODE AMOUNT":
# the code is the first word of the account's last level; zero
# balances (hledger prints 0) are left out.  Names may hold commas.
hl_rows() {
	awk '{
		match($0, /,"[^"]*"$/)
		acct = substr($0, 2, RSTART - 3)
		amt = substr($0, RSTART + 2, RLENGTH - 3)
		sub(/ [A-Z][A-Z][A-Z]$/, "", amt)
		n = split(acct, seg, ":"); split(seg[n], w, " ")
		if (amt != "0") print w[1], amt }'
}

# The trial balance's "CODE BALANCE" lines, sorted, without zero ones.
tb_balances() {
	k report trial-balance --param from="$1" --param to="$2" \
		--param show=postable --format csv |
		awk -F, 'NR > 1 && $NF != "0.00" { print $1, $NF }' | sort
}

run_chart() {
	chart=$1
	H=$T/$chart
	k db init --chart "$chart" >/dev/null
	k period create 2026 >/dev/null
	k import journal "$T/$chart.csv" >"$T/out" 2>"$T/err" ||
		{ cat "$T/err" >&2; fail "$chart: import journal"; }
	k export ledger --output "$T/$chart.journal" >/dev/null
	LC_ALL=C.UTF-8 hledger -f "$T/$chart.journal" check >/dev/null 2>"$T/err" ||
		{ cat "$T/err" >&2; fail "$chart: hledger check"; }
	LC_ALL=C.UTF-8 hledger -f "$T/$chart.journal" balance --flat --no-total \
		-O csv >"$T/hl.csv" 2>"$T/err" ||
		{ cat "$T/err" >&2; fail "$chart: hledger balance"; }
	sed 1d "$T/hl.csv" | hl_rows | sort >"$T/hl.txt"
	tb_balances 2026-01 2026-12 >"$T/tb.txt"
	[ -s "$T/tb.txt" ] || fail "$chart: an empty trial balance"
	diff -u "$T/tb.txt" "$T/hl.txt" >&2 ||
		fail "$chart: hledger's balances differ from the trial balance"
	# The top of the tree: hledger --depth 1 against level=1.
	LC_ALL=C.UTF-8 hledger -f "$T/$chart.journal" balance --flat --depth 1 \
		--no-total -O csv | sed 1d | hl_rows | sort >"$T/hl1.txt"
	k report trial-balance --param from=2026-01 --param to=2026-12 \
		--param level=1 --format csv |
		awk -F, 'NR > 1 && $NF != "0.00" { print $1, $NF }' |
		sort >"$T/tb1.txt"
	diff -u "$T/tb1.txt" "$T/hl1.txt" >&2 ||
		fail "$chart: hledger's top accounts differ from the trial balance's headings"
	echo "$chart: $(wc -l <"$T/tb.txt") accounts agree"
}

# Chinese chart: entries over two months, a foreign line, headings two
# levels down (2221 应交税费), names with parentheses, a red-ink
# correction; USD 2,500.00 at 7.123457 is 17,808.6425, 17,808.64.
cat >"$T/cn.csv" <<'EOF'
entry,date,account,debit,credit,description,currency,rate
1,2026-01-02,1002,1000000.00,,Capital; first tranche,,
1,2026-01-02,4001,,1000000.00,Capital; first tranche,,
2,2026-01-15,1221,226000.00,,销售 Sale,,
2,2026-01-15,6001,,200000.00,销售 Sale,,
2,2026-01-15,2221.02,,26000.00,销售 Sale,,
3,2026-01-20,1403,80000.00,,采购 Materials,,
3,2026-01-20,2221.01,10400.00,,采购 Materials,,
3,2026-01-20,2241,,90400.00,采购 Materials,,
4,2026-02-01,1002,2500.00,,USD fee,USD,7.123457
4,2026-02-01,6051,,17808.64,USD fee,,
5,2026-02-28,6602,1234.56,,Office (rent),,
5,2026-02-28,6603,0.44,,Bank charges,,
5,2026-02-28,1002,,1235.00,Office (rent),,
6,2026-03-31,1221,,-100.00,Red-ink correction,,
6,2026-03-31,6001,-100.00,,Red-ink correction,,
EOF
run_chart cn

# IFRS chart: names with a colon and commas.
cat >"$T/ifrs.csv" <<'EOF'
entry,date,account,debit,credit,description
1,2026-01-02,1010,500000.00,,Share capital
1,2026-01-02,3000,,500000.00,Share capital
2,2026-01-10,1200,12000.00,,Raw materials: steel
2,2026-01-10,2100,,12000.00,Raw materials: steel
3,2026-02-10,1500,45000.00,,"Plant, machine"
3,2026-02-10,1010,,45000.00,"Plant, machine"
4,2026-03-31,5300,750.00,,Depreciation
4,2026-03-31,1510,,750.00,Depreciation
EOF
run_chart ifrs
echo ok
