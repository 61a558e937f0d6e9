#!/bin/sh
# PDF reports, checked with poppler's pdfinfo (pages, paper) and
# pdftotext (titles, a Chinese name drawn as text, totals, "Page N of
# M"), pdffonts (a CJK font embedded).
#
# 1. The renderer alone (tests/report/pdf_driver): made-up reports of
#    1, 50, 5000 rows, with and without groups, A4 and Letter, portrait
#    and landscape, bar and line charts; the page count must be what
#    the layout rules of src/report/pdf.c give (pages() below follows
#    them line by line); memory must not grow with rows (VmHWM at 5000
#    and PDF_TEST_ROWS rows, 200,000 unless set).
# 2. kontor report parties, accounts and items --format pdf on the demo
#    company (items is grouped, landscape and has a chart).
#
# Skips (77) without pdfinfo/pdftotext or when PDF output is not built
# in (the driver first checks what begin says then).
set -eu
. "$TEST_SRCDIR/lib.sh"

DRIVER=${KTOOL%/tool/ktool}/report/pdf_driver
BIG=${PDF_TEST_ROWS:-200000}

# With --enable-sanitizers: leaks of the font libraries are not ours
# (report/lsan.supp); GSlice would hide ours.
G_SLICE=always-malloc
LSAN_OPTIONS="suppressions=$TEST_SRCDIR/report/lsan.supp:fast_unwind_on_malloc=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export G_SLICE LSAN_OPTIONS

for tool in pdfinfo pdftotext pdffonts; do
	command -v "$tool" >/dev/null 2>&1 ||
		{ echo "SKIP: $tool not found (Debian: poppler-utils)"; exit 77; }
done
[ -x "$DRIVER" ] || fail "no $DRIVER"
set +e
"$DRIVER" -n 1 "$T/probe.pdf" >"$T/probe.out" 2>&1
st=$?
set -e
if [ "$st" -eq 77 ]; then
	echo "SKIP: $(cat "$T/probe.out")"
	exit 77
fi
[ "$st" -eq 0 ] || { cat "$T/probe.out" >&2; fail "pdf_driver -n 1: status $st"; }

# ------------------------------------------------------------- the rules

# Page heights in points (A4 is 210 x 297 mm).
A4_W=595.27559 A4_H=841.88976 LT_W=612 LT_H=792

# pages HEIGHT CHART < LINES: the pages src/report/pdf.c makes for a
# page of HEIGHT points (the paper's height as it lies), with a chart
# (1) or not (0).  LINES: "G N" a group of N rows (heading, rows,
# subtotal), "R N" N rows outside groups, "T K" the grand total takes K
# lines (a total per currency and the count: the keys + 1; default 1);
# the grand total follows.  A block of total lines stays with the row
# before it when the block fits a page less two lines (keep_max).
pages() {
	awk -v h="$1" -v chart="$2" '
	BEGIN { bottom = h - 36 - 18; open = 0; fresh = 1; page = 0
		held = 0; ingroup = 0; grouped = 0; rows = 0; tl = 1
		kmax = int((bottom + 0.001 - (36 + 52 + 16)) / 12)
		kmax = kmax > 3 ? kmax - 2 : 1 }
	function newpage(head) { page++; open = 1; fresh = 1; y = 36 + 52 + (head ? 16 : 0) }
	function take() { y += 12; fresh = 0 }
	function need(n, cont) {
		if (open && y + n * 12 <= bottom + 0.001) return
		newpage(1)
		if (cont && ingroup) take()       # "GROUP (continued)"
	}
	function flush(extra) {                   # the row held back
		if (!held) return
		held = 0; need(1 + extra, 1); take()
	}
	function row() { flush(0); held = 1; rows++ }
	$1 == "G" {
		flush(0); grouped = 1
		need(fresh ? 2 : 3, 0); if (!fresh) take()
		ingroup = 1; take()
		for (i = 0; i < $2; i++) row()
		flush(1); need(1, 1); take(); ingroup = 0
	}
	$1 == "R" { for (i = 0; i < $2; i++) row() }
	$1 == "T" { tl = $2 }
	END {
		b = tl > kmax ? kmax : tl
		flush(b)
		n = (grouped && !fresh ? 1 : 0) + b; need(n, 0)
		if (grouped && !fresh) take()
		take()
		for (i = 1; i < tl; i++) { need(1, 0); take() }
		if (!open) newpage(1)
		if (chart && rows > 0 && y + 12 + 300 > bottom + 0.001) newpage(0)
		print page
	}'
}

# lines N G: the driver's lines for N rows in groups of G (0: none).
lines() {
	awk -v n="$1" -v g="$2" 'BEGIN {
		if (g == 0) { print "R " n; exit }
		for (i = 0; i < n; i += g) print "G " (n - i < g ? n - i : g)
	}'
}

# money V: V hundredths as the PDF shows them ("-1,234.50").
money() {
	awk -v v="$1" 'BEGIN {
		s = v < 0 ? "-" : ""; if (v < 0) v = -v
		i = int(v / 100); d = v - i * 100
		t = sprintf("%.0f", i); r = ""
		while (length(t) > 3) { r = "," substr(t, length(t) - 2) r; t = substr(t, 1, length(t) - 3) }
		printf "%s%s%s.%02d\n", s, t, r, d
	}'
}

# The driver's grand total of amounts for N rows (see amount_of()).
driver_total() {
	awk -v n="$1" 'BEGIN {
		for (i = 1; i <= n; i++) {
			v = (i * 7919) % 2000000 + 100
			t += (i % 17 == 0) ? -v : v
		}
		printf "%.0f\n", t
	}'
}

# pdf_pages FILE, pdf_size FILE: from pdfinfo.
pdf_pages() { pdfinfo "$1" | awk '/^Pages:/ { print $2 }'; }
pdf_size() { pdfinfo "$1" | sed -n 's/^Page size: *//p'; }

# check_pdf FILE PAGES SIZE: pages, paper, "Page 1 of N", "Page N of N".
check_pdf() {
	got=$(pdf_pages "$1")
	[ "$got" -gt 0 ] || fail "$1: no pages"
	[ "$got" -eq "$2" ] || fail "$1: $got pages, the layout gives $2"
	size=$(pdf_size "$1")
	[ "$size" = "$3" ] || fail "$1: page size '$size', expected '$3'"
	pdftotext "$1" "$1.txt"
	expect_text "$1.txt" "Page 1 of $2"
	expect_text "$1.txt" "Page $2 of $2"
}

A4_LAND="841.89 x 595.276 pts (A4)"
A4_PORT="595.276 x 841.89 pts (A4)"
LT_PORT="612 x 792 pts (letter)"
LT_LAND="792 x 612 pts (letter)"

# ------------------------------------------------------------ the driver

# drive N G HEIGHT SIZE CHART [OPTIONS]: one made-up report, checked.
drive() {
	n=$1 g=$2 h=$3 size=$4 chart=$5
	shift 5
	f=$T/d-$n-$g-$#.pdf
	"$DRIVER" -n "$n" -g "$g" "$@" "$f" || fail "pdf_driver -n $n -g $g $*"
	want=$(lines "$n" "$g" | pages "$h" "$chart")
	check_pdf "$f" "$want" "$size"
	expect_text "$f.txt" "Parties and balances"
	expect_text "$f.txt" "Amount"
	if [ "$g" -gt 0 ]; then
		expect_text "$f.txt" "Grand total ($n rows)"
		expect_text "$f.txt" "Area: Region 1"
	elif [ "$n" -eq 1 ]; then
		expect_text "$f.txt" "Total (1 row)"
	else
		expect_text "$f.txt" "Total ($n rows)"
	fi
	expect_text "$f.txt" "$(money "$(driver_total "$n")")"
	echo "pdf_driver -n $n -g $g $*: $want pages"
}

drive 1 0 "$A4_W" "$A4_LAND" 0
drive 1 0 "$A4_H" "$A4_PORT" 0 -p
drive 50 10 "$A4_W" "$A4_LAND" 1 -c bar
drive 50 0 "$LT_H" "$LT_PORT" 1 -c line -l -p
drive 5000 100 "$A4_W" "$A4_LAND" 0
drive 5000 37 "$LT_W" "$LT_LAND" 1 -c line -l -i
drive 5000 0 "$A4_H" "$A4_PORT" 0 -p

f=$T/d-50-10-2.pdf
# Chinese names come out as text, in an embedded CJK font.
expect_text "$f.txt" "上海华东机械有限公司"
expect_text "$f.txt" "株式会社東京精密"
pdffonts "$f" >"$T/fonts"
expect_text "$T/fonts" "NotoSansCJK"
# Charts: a title; past 64 rows they say they show only the first.
expect_text "$f.txt" "Amount by Code"
expect_text "$T/d-5000-37-4.pdf.txt" "Amount by Code"
expect_text "$T/d-5000-37-4.pdf.txt" "(the chart shows the first 64 rows)"
# A group that goes on over a page break is named again.
expect_text "$T/d-5000-100-0.pdf.txt" "(continued)"

# begin once for both passes (c->pass changing under the renderer).
"$DRIVER" -n 5000 -g 100 -s "$T/once.pdf"
[ "$(pdf_pages "$T/once.pdf")" -eq "$(pdf_pages "$T/d-5000-100-0.pdf")" ] ||
	fail "begin once: a different page count"

# A file that cannot be written is an error, not a short file.
if [ -w /dev/full ]; then
	expect_status 1 "$DRIVER" -n 2000 /dev/full
	expect_text "$T/err" "cannot write the PDF"
fi

# Memory does not grow with rows (not measurable under AddressSanitizer,
# which holds on to freed memory for a while).
if ldd "$DRIVER" 2>/dev/null | grep -q libasan; then
	echo "pdf: memory not compared (AddressSanitizer build)"
else
	set -- $("$DRIVER" -n 5000 -g 100 -t "$T/small.pdf")
	small_kb=${10}
	set -- $("$DRIVER" -n "$BIG" -g 100 -t "$T/big.pdf")
	big_kb=${10} big_s=$4
	echo "pdf: peak memory (VmHWM) 5000 rows $small_kb kB, $BIG rows $big_kb kB ($big_s s)"
	[ "$big_kb" -le $((small_kb + 8192)) ] ||
		fail "memory grows with rows: $small_kb kB at 5000, $big_kb kB at $BIG"
	rm -f "$T/big.pdf"
fi
rm -f "$T"/d-*.pdf.txt

# ----------------------------------------------------- kontor report pdf

if ! "$KONTOR" report list >/dev/null 2>&1; then
	echo "SKIP: kontor report is not there yet"
	exit 77
fi
H=$T/demo
"$KONTOR" demo "$H" </dev/null >"$T/demo.out" 2>&1 ||
	{ cat "$T/demo.out" >&2; fail "kontor demo failed"; }
DAEMON_HOMES="$DAEMON_HOMES $H"
k() { "$KONTOR" --home "$H" "$@"; }

# parties and accounts: portrait A4, no groups; pages from the rows
# (counted by the text report's total line) and the lines of the grand
# total (parties: one a currency, then the count).
for r in parties accounts; do
	k report "$r" >"$T/$r.txt"
	n=$(sed -n 's/.*Total (\([0-9]*\) rows*).*/\1/p' "$T/$r.txt" | head -n 1)
	[ -n "$n" ] || fail "no total line in the text of $r"
	t=$(grep -c '^Total ' "$T/$r.txt")
	k report "$r" --format pdf --output "$T/$r.pdf"
	want=$(printf 'R %s\nT %s\n' "$n" "$t" | pages "$A4_H" 0)
	check_pdf "$T/$r.pdf" "$want" "$A4_PORT"
	expect_text "$T/$r.pdf.txt" "Total ($n rows)"
	echo "kontor report $r --format pdf: $n rows, $want pages"
done
expect_text "$T/parties.pdf.txt" "Parties"
expect_text "$T/parties.pdf.txt" "上海华东机械有限公司"
pdffonts "$T/parties.pdf" >"$T/fonts"
expect_text "$T/fonts" "NotoSansCJK"
# The totals, one a currency: the labels and sums of the text's lines.
[ "$(grep -c '^Total [A-Z][A-Z][A-Z] ' "$T/parties.txt")" -ge 2 ] ||
	fail "parties: not a total per currency in the text"
grep '^Total [A-Z][A-Z][A-Z] ' "$T/parties.txt" | while read -r w cur n unit v; do
	expect_text "$T/parties.pdf.txt" "Total $cur $n $unit"
	expect_text "$T/parties.pdf.txt" "$v"
done
expect_text "$T/accounts.pdf.txt" "Chart of accounts"
expect_text "$T/accounts.pdf.txt" "库存现金"

# items: wide (landscape), grouped by category, a bar chart.
k report items >"$T/items.txt"
sed -n 's/^ *Total .* (\([0-9]*\) rows*).*/G \1/p' "$T/items.txt" >"$T/items.groups"
[ -s "$T/items.groups" ] || fail "no subtotals in the text of items"
n=$(awk '{ s += $2 } END { print s }' "$T/items.groups")
k report items --format pdf --output "$T/items.pdf"
want=$(pages "$A4_W" 1 <"$T/items.groups")
check_pdf "$T/items.pdf" "$want" "$A4_LAND"
expect_text "$T/items.pdf.txt" "Items"
expect_text "$T/items.pdf.txt" "Category: "
expect_text "$T/items.pdf.txt" "Grand total ($n rows)"
expect_text "$T/items.pdf.txt" "Margin by Code"
echo "kontor report items --format pdf: $n rows, $want pages"

# The paper and the orientation from the command line.
k report parties --format pdf --paper letter --landscape --output "$T/p-lt.pdf"
size=$(pdf_size "$T/p-lt.pdf")
[ "$size" = "$LT_LAND" ] || fail "--paper letter --landscape: page size '$size'"
k report items --format pdf --portrait --output "$T/i-port.pdf"
size=$(pdf_size "$T/i-port.pdf")
[ "$size" = "$A4_PORT" ] || fail "--portrait: page size '$size'"
if "$KONTOR" --home "$H" report parties --format pdf --paper a3 \
	--output "$T/x.pdf" 2>"$T/err"; then
	fail "--paper a3 was accepted"
fi
expect_text "$T/err" "unknown paper 'a3'"

echo "pdf: ok"
