#!/bin/sh
# pdf.sh - the PDF benchmark ('make bench', or 'make bench-pdf' alone).
# Prints figures, never passes or fails on time; it fails only when
# something does not work.
#
# The renderer alone (tests/report/pdf_driver: no database, both passes
# as report_run makes them): BENCH_PDF_ROWS / 10 and BENCH_PDF_ROWS rows
# of seven columns (codes, Chinese and Latin names cut to their column,
# dates, quantities, amounts, rates) in groups of 100 with subtotals,
# A4 landscape.  For each: seconds, CPU seconds, rows per second (wall),
# peak resident memory (VmHWM, which must not grow with rows), pages
# and file size.
#
# Environment:
#   PDF_DRIVER       the driver (set by 'make bench-pdf')
#   BENCH_PDF_ROWS   rows of the big run (1000000)
#   TMPDIR           where the file goes (/tmp)
#   BENCH_SUMMARY, BENCH_QUICK   as in lib.sh (the summary: the big run)
set -eu
. "$(dirname "$0")/lib.sh"

: "${PDF_DRIVER:?set PDF_DRIVER to tests/report/pdf_driver}"
BENCH_PDF_ROWS=${BENCH_PDF_ROWS:-1000000}
case $BENCH_PDF_ROWS in
'' | *[!0-9]*)
	echo "bench: BENCH_PDF_ROWS must be a whole number" >&2
	exit 64 ;;
esac
[ "$BENCH_PDF_ROWS" -ge 10 ] || { echo "bench: BENCH_PDF_ROWS >= 10" >&2; exit 64; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kontor-bench-pdf.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

set +e
"$PDF_DRIVER" -n 1 "$tmp/probe.pdf" >"$tmp/probe.out" 2>&1
st=$?
set -e
if [ "$st" -eq 77 ]; then
	echo "bench: PDF: $(cat "$tmp/probe.out"); skipped"
	exit 0
fi
[ "$st" -eq 0 ] || { cat "$tmp/probe.out" >&2; exit 1; }

cpus=$(nproc 2>/dev/null || echo '?')
cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null | head -n 1)
: >"$tmp/table"
for n in $((BENCH_PDF_ROWS / 10)) "$BENCH_PDF_ROWS"; do
	echo "bench: PDF of $n rows" >&2
	out=$("$PDF_DRIVER" -n "$n" -g 100 -t "$tmp/r.pdf")
	pages=$(pdfinfo "$tmp/r.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
	bytes=$(wc -c <"$tmp/r.pdf")
	# rows N seconds S cpu_seconds C rows/s R peak_kb K
	echo "$out" | awk -v p="${pages:-?}" -v b="$bytes" '
	function grp(v,   t, r) {
		t = sprintf("%.0f", v); r = ""
		while (length(t) > 3) { r = "," substr(t, length(t) - 2) r; t = substr(t, 1, length(t) - 3) }
		return t r
	}
	{
		printf "  %11s %9.1f %9.1f %9s %9.0f MiB %8s %8.0f MiB\n", grp($2),
			$4, $6, grp($8), $10 / 1024, p == "?" ? p : grp(p), b / 1048576
	}' >>"$tmp/table"
	rm -f "$tmp/r.pdf"
	last=$out
done
bench_summary pdf "render@$BENCH_PDF_ROWS rows" "$(echo "$last" | awk '{ print $8 }')" rows/s 1

echo
echo "PDF rendering, the renderer alone ($cpus x ${cpu:-unknown})"
echo "         rows   seconds  CPU secs    rows/s      peak RSS    pages       file"
cat "$tmp/table"
echo "  (two passes: the first only counts pages; groups of 100 rows with"
echo "  subtotals, A4 landscape, 36 lines a page.  Peak RSS is mostly"
echo "  fontconfig and the CJK font cairo reads for its subsets.)"
