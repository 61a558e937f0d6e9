#!/bin/sh
# report.sh - the report benchmark ('make bench-report', and the last
# step of 'make bench').  Prints figures, never passes or fails on time;
# it fails only when something does not work.
#
# Makes BENCH_REPORT_ROWS parties (awk writes the file, kontor import
# party loads it into a fresh database with kontor daemon running),
# restarts the daemon (a fresh cache, as after a night), then runs
#   kontor report parties --format text    (80 columns, 66 lines a page)
#   kontor report parties --format csv
#   kontor report parties --format pdf     (when PDF output is built in)
# each to /dev/null (the text once more first to a file, to check it),
# text and CSV BENCH_REPORT_RUNS times, PDF once, and prints rows per second and peak memory: "peak
# RSS" is the high-water mark (VmHWM), which counts the pages of
# Berkeley DB's shared cache the process touched; "peak private" is its
# largest anonymous memory (RssAnon, sampled every 0.1 s): its own heap,
# which must not grow with the rows.  The text renderer's temporary file
# (the pages before "Page N of M" is known) goes to /tmp (tmpfile()).
#
# Environment:
#   KONTOR              the built program (set by 'make bench')
#   BENCH_REPORT_ROWS   parties (1000000)
#   BENCH_REPORT_RUNS   runs of the text and CSV reports (3); the summary
#                       has their medians
#   TMPDIR              where the temporary folder goes (/tmp)
#   BENCH_SUMMARY, BENCH_QUICK   as in lib.sh
set -eu

: "${KONTOR:?set KONTOR to the kontor program}"
. "$(dirname "$0")/lib.sh"
BENCH_REPORT_ROWS=${BENCH_REPORT_ROWS:-1000000}
BENCH_REPORT_RUNS=${BENCH_REPORT_RUNS:-3}
bench_whole BENCH_REPORT_ROWS "$BENCH_REPORT_ROWS"
bench_whole BENCH_REPORT_RUNS "$BENCH_REPORT_RUNS"
[ "$BENCH_REPORT_RUNS" -ge 1 ] || { echo "bench: BENCH_REPORT_RUNS >= 1" >&2; exit 64; }
bench_init report
bench_step_w=12

# gen N FILE: N parties, customers and suppliers, a tenth of the names
# in Chinese (two columns a character), credit limits up to 99,999.99.
gen() {
	awk -v n="$1" 'BEGIN {
		print "code,name,customer,supplier,prospect,bill_city,bill_country,credit_limit,status"
		for (i = 1; i <= n; i++) {
			if (i % 10 == 0)
				name = sprintf("上海第%d贸易有限公司", i)
			else
				name = sprintf("Party %d Trading Co.", i)
			printf "P%07d,%s,%s,%s,%s,%s,CN,%d.%02d,%s\n", i, name,
				(i % 3 != 0 ? "yes" : "no"),
				(i % 3 == 0 ? "yes" : "no"),
				(i % 7 == 0 ? "yes" : "no"),
				(i % 2 ? "Shanghai" : "苏州"), i % 100000, i % 100,
				(i % 50 == 0 ? "blocked" : "active")
		}
	}' >"$2"
}

bench_machine
n=$BENCH_REPORT_ROWS

say "$n parties: generating"
gen "$n" "$tmp/parties.csv"
home=$tmp/home
homes=$home
"$KONTOR" --home "$home" db init >/dev/null
"$KONTOR" --home "$home" daemon >/dev/null
say "$n parties: import"
measure /dev/null "$KONTOR" --home "$home" import party "$tmp/parties.csv"
row import "$n"
rm -f "$tmp/parties.csv"
"$KONTOR" --home "$home" daemon --stop >/dev/null
"$KONTOR" --home "$home" daemon >/dev/null

# The text report once to a file: its pages, and that it is whole.
say "$n parties: text"
measure /dev/null "$KONTOR" --home "$home" report parties --output "$tmp/parties.txt"
row "text" "$n"
pages=$(tr -cd '\f' <"$tmp/parties.txt" | wc -c)
pages=$((pages + 1))
tail -n 1 "$tmp/parties.txt" | grep -q "^Total ($n rows)" || {
	say "text: no total line for $n rows"
	exit 1
}
grep -q "Page $pages of $pages\$" "$tmp/parties.txt" || {
	say "text: no 'Page $pages of $pages'"
	exit 1
}
rm -f "$tmp/parties.txt"
for f in text csv; do
	: >"$tmp/$f.rates"
	r=1
	while [ "$r" -le "$BENCH_REPORT_RUNS" ]; do
		say "$n parties: $f to /dev/null, run $r of $BENCH_REPORT_RUNS"
		measure /dev/null "$KONTOR" --home "$home" report parties --format "$f"
		row "$f" "$n"
		bench_rate "$n" >>"$tmp/$f.rates"
		r=$((r + 1))
	done
	bench_summary report "$f@$n parties" "$(bench_median <"$tmp/$f.rates")" rows/s \
		"$BENCH_REPORT_RUNS"
done
# A bad parameter: refused at once, after the check for PDF output.
"$KONTOR" --home "$home" report parties --format pdf --param kind=none \
	>/dev/null 2>"$tmp/pdf.err" || true
if ! grep -q "without PDF" "$tmp/pdf.err"; then
	say "$n parties: pdf"
	measure /dev/null "$KONTOR" --home "$home" report parties --format pdf
	row "pdf" "$n"
	bench_summary report "pdf@$n parties" "$(bench_rate "$n")" rows/s 1
else
	say "pdf: not built in"
fi

echo
echo "Reports: kontor report parties over $n parties ($cpus x ${cpu:-unknown}, $fs)"
echo "  step                rows   seconds      rows/s      peak RSS   peak private"
cat "$tmp/table"
echo "  text: $pages pages of 66 lines (the first text line writes to a file,"
echo "  the others to /dev/null); peak RSS counts the shared Berkeley DB cache"
echo "  the process touched; peak private is its own heap and stacks."
