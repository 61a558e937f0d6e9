#!/bin/sh
# demo_scale.sh - kontor demo --scale N DIR: the big company generator.
# Small N (50, 200): the counts it promises, the same company twice for
# the same N (reports and exports byte for byte), db verify clean, a
# trial balance that balances, the receivable control account equal to
# the open items the aging shows, and what it refuses (bad N, a folder
# that holds a database, --quiet alone).  About 15 s.
. "$TEST_SRCDIR/lib.sh"
set -e

K=$KONTOR
# The fiscal year 2026 up to mid-June: invoices from 2026-01-01 on.
export KONTOR_TODAY=2026-06-15

# --- refused arguments: exit 64 (EX_USAGE), the message names --scale
for bad in 0 -5 1000001 abc 12x 1e3 "" " 5" 99999999999999999999; do
	expect_status 64 "$K" demo --scale "$bad" "$T/bad"
	expect_text "$T/err" "--scale"
	expect_text "$T/err" "1,000,000"
	[ ! -e "$T/bad" ] || fail "--scale '$bad' created $T/bad"
done
expect_status 64 "$K" demo --scale=0 "$T/bad"
expect_text "$T/err" "--scale"
expect_status 64 "$K" demo "$T/bad" --scale
expect_text "$T/err" "--scale needs"
expect_status 64 "$K" demo --quiet "$T/bad"
expect_text "$T/err" "--quiet goes with --scale"
expect_status 64 "$K" demo --scale 5
expect_text "$T/err" "give the folder"
expect_status 64 "$K" demo --scale 5 "$T/bad" "$T/bad2"
[ ! -e "$T/bad" ] || fail "a refused command created $T/bad"
expect_status 0 "$K" demo --help
expect_text "$T/out" "--scale N"

# --- N = 50, twice: the progress lines (stderr is no terminal here:
# one line a tenth of the work, the last says how long it took)
expect_status 0 "$K" demo --scale 50 "$T/a"
cp "$T/out" "$T/a.out"
expect_text "$T/err" "invoices 500/500"
expect_text "$T/err" "took"
lines=$(grep -c '^parties ' "$T/err")
[ "$lines" -ge 5 ] && [ "$lines" -le 13 ] ||
	fail "$lines progress lines, expected about one a tenth"
grep -q "$(printf '\r')" "$T/err" && fail "carriage returns without a terminal"
grep -Eq '^  customer invoices +500$' "$T/a.out" || fail "no 500 invoices in the summary"
expect_text "$T/a.out" "open it with: kontor demo $T/a"
# --quiet: no progress at all
expect_status 0 "$K" demo --scale 50 --quiet "$T/b"
[ ! -s "$T/err" ] || { cat "$T/err" >&2; fail "--quiet wrote to stderr"; }

# --- a folder that holds a database is refused (EX_CANTCREAT) and
# left as it was
before=$(ls -l "$T/a/data" | md5sum)
expect_status 73 "$K" demo --scale 50 "$T/a"
expect_text "$T/err" "holds a Kontor database already"
[ "$(ls -l "$T/a/data" | md5sum)" = "$before" ] || fail "$T/a was changed"

# --- the counts promised: 50 customers, 5 suppliers, 50 items, 500
# posted customer invoices, 50 supplier invoices
expect_status 0 "$K" --home "$T/a" db stat
stat_count() { awk -v t="$1" '$1 == t { print $2 }' "$T/out"; }
[ "$(stat_count party)" = 55 ] || fail "parties: $(stat_count party), expected 55"
[ "$(stat_count item)" = 50 ] || fail "items: $(stat_count item), expected 50"
[ "$(stat_count arinv)" = 500 ] || fail "invoices: $(stat_count arinv)"
[ "$(stat_count apinv)" = 50 ] || fail "supplier invoices: $(stat_count apinv)"
rcpt=$(stat_count arrcpt)
[ "$rcpt" -gt 200 ] && [ "$rcpt" -lt 500 ] ||
	fail "$rcpt receipts: most invoices, not all, are paid by mid-June"
grep -Eq "^  receipts +$rcpt\$" "$T/a.out" || fail "the summary's receipts"
expect_status 0 "$K" --home "$T/a" export party
# header + 55 rows; customer and supplier are columns 3 and 4
[ "$(awk -F, 'NR > 1 && $3 == "yes"' "$T/out" | wc -l)" = 50 ] ||
	fail "not 50 customers"
[ "$(awk -F, 'NR > 1 && $4 == "yes"' "$T/out" | wc -l)" = 5 ] ||
	fail "not 5 suppliers"
grep -q '有限公司' "$T/out" || fail "no Chinese company names"
grep -Eq '(GmbH|Ltd\.|Inc\.|S\.A\.|B\.V\.|AG|Oy|SARL)' "$T/out" ||
	fail "no Latin company names"
expect_status 0 "$K" --home "$T/a" export arinvoice
[ "$(grep -c ',posted,' "$T/out")" = 500 ] || fail "not 500 posted invoices"
grep -q ',draft,' "$T/out" && fail "a draft invoice was left"

# --- the books: db verify (gl_verify, arap_verify) clean
expect_status 0 "$K" --home "$T/a" db verify
expect_text "$T/out" "no problems"

# cents: "1234.50" -> 123450, "-0.07" -> -7
cents='function c(s,  neg) { neg = sub(/^-/, "", s); sub(/\./, "", s); return (neg ? -1 : 1) * (s + 0) }'

# The trial balance of the year so far, postable accounts: sum of
# debits = sum of credits, balances add up to 0.
"$K" --home "$T/a" report trial-balance --format csv \
	--param from=2026-01 --param to=2026-06 --param show=postable \
	>"$T/a.tb" || fail "trial balance"
awk -F, "$cents"'
NR > 1 { d += c($(NF-2)); k += c($(NF-1)); b += c($NF); n++ }
END {
	if (n < 10) { print "only " n " accounts"; exit 1 }
	if (d != k) { print "debits " d " != credits " k; exit 1 }
	if (b != 0) { print "balances add up to " b; exit 1 }
	if (d < 100000000) { print "only " d " cents posted"; exit 1 }
}' "$T/a.tb" || fail "the trial balance does not balance"

# The receivable control account (1122) = the open items of the aging
# as of today; and the aging has old items (some never paid).
ar=$(awk -F, "$cents"'$1 == "1122" { print c($NF) }' "$T/a.tb")
"$K" --home "$T/a" report ar-aging --format csv >"$T/a.aging" ||
	fail "ar-aging"
aging=$(awk -F, "$cents"'NR > 1 { t += c($NF) } END { print t }' "$T/a.aging")
[ -n "$ar" ] && [ "$ar" = "$aging" ] ||
	fail "1122 says $ar, the aging's open items $aging"
old=$(awk -F, "$cents"'NR > 1 { t += c($(NF-2)) } END { print t }' "$T/a.aging")
[ "$old" -gt 0 ] || fail "nothing over 90 days in the aging"
"$K" --home "$T/a" report ap-aging --format csv >"$T/a.apaging" ||
	fail "ap-aging"

# --- the same N gives the same company: reports and exports of b (made
# with --quiet, otherwise the same) equal a's byte for byte
"$K" --home "$T/b" report trial-balance --format csv \
	--param from=2026-01 --param to=2026-06 --param show=postable \
	>"$T/b.tb"
"$K" --home "$T/b" report ar-aging --format csv >"$T/b.aging"
"$K" --home "$T/b" report ap-aging --format csv >"$T/b.apaging"
for f in tb aging apaging; do
	cmp "$T/a.$f" "$T/b.$f" || fail "$f differs between two runs of --scale 50"
done
for e in party item arinvoice arreceipt apinvoice; do
	"$K" --home "$T/a" export $e >"$T/a.$e.csv"
	"$K" --home "$T/b" export $e >"$T/b.$e.csv"
	cmp "$T/a.$e.csv" "$T/b.$e.csv" || fail "export $e differs"
done
"$K" --home "$T/a" report journal --format csv --param from=2026-01-01 \
	--param to=2026-06-15 >"$T/a.journal"
"$K" --home "$T/b" report journal --format csv --param from=2026-01-01 \
	--param to=2026-06-15 >"$T/b.journal"
[ "$(wc -l <"$T/a.journal")" -gt 3000 ] || fail "a short journal"
cmp "$T/a.journal" "$T/b.journal" || fail "the journal differs"

# --- N = 200: counts and books again; another N, another company
expect_status 0 "$K" demo --scale 200 --quiet "$T/c"
expect_status 0 "$K" --home "$T/c" db stat
[ "$(stat_count party)" = 220 ] || fail "parties: $(stat_count party), expected 220"
[ "$(stat_count item)" = 200 ] || fail "items: $(stat_count item)"
[ "$(stat_count arinv)" = 2000 ] || fail "invoices: $(stat_count arinv)"
[ "$(stat_count apinv)" = 200 ] || fail "supplier invoices: $(stat_count apinv)"
expect_status 0 "$K" --home "$T/c" db verify
"$K" --home "$T/c" export party >"$T/c.party.csv"
cmp -s "$T/a.party.csv" "$T/c.party.csv" && fail "N=200 made N=50's parties"

# --- kontor demo DIR opens what --scale made (daemon, summary)
DAEMON_HOMES="$DAEMON_HOMES $T/a"
expect_status 0 "$K" demo "$T/a" </dev/null
grep -Eq '^  arinv +500$' "$T/out" || fail "the summary has no 500 invoices"
exit 0
