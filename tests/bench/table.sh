#!/bin/sh
# table.sh - the one table of 'make bench' (its last step): the machine,
# then the medians the benchmarks wrote to the summary file, a row each,
# in 80 columns.  HACKING, "Reading the benchmark table", says what each
# row measures.
#
#   table.sh SUMMARY
#
# SUMMARY has a line per measure, five fields separated by tabs (lib.sh,
# bench_summary):
#   SECTION  NAME[@CONDITION]  MEDIAN  UNIT  RUNS
# CONDITION says what it ran on ("1000000 parties", "80x24, 10000
# parties"); a heading shows it for its group.  When a name comes more
# than once (ui.sh at two window sizes) the first counts.  A row whose
# measure is missing shows "-": that part did not run.
#
# Environment (all optional; 'make bench' sets them): KONTOR (its
# --version), BENCH_POST (bench_post version: the Berkeley DB version),
# TOP_SRCDIR (git describe), BENCH_QUICK (1: says so in the title),
# TMPDIR (its file system is named).
set -eu

if [ $# -ne 1 ] || [ ! -r "$1" ]; then
	echo "usage: table.sh SUMMARY (a readable summary file)" >&2
	exit 64
fi
summary=$1

# ------------------------------------------------------------ machine
host=$(uname -n 2>/dev/null || echo unknown)
kernel=$(uname -sr 2>/dev/null || echo unknown)
arch=$(uname -m 2>/dev/null || echo unknown)
cpus=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?')
cpu=$(sed -n -e 's/^model name[[:space:]]*:[[:space:]]*//p' \
	-e 's/^Hardware[[:space:]]*:[[:space:]]*//p' \
	-e 's/^cpu model[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null |
	head -n 1)
[ -n "$cpu" ] || cpu=unknown
mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)
[ -n "$mem" ] || mem=unknown
tdir=${TMPDIR:-/tmp}
fs=$(df -PT "$tdir" 2>/dev/null | awk 'NR == 2 { print $2 }')
[ -n "$fs" ] || fs=unknown
kversion=unknown
if [ -n "${KONTOR:-}" ]; then
	kversion=$("$KONTOR" --version 2>/dev/null | head -n 1) || kversion=unknown
fi
if [ -n "${TOP_SRCDIR:-}" ] && command -v git >/dev/null 2>&1; then
	desc=$(git -C "$TOP_SRCDIR" describe --always --dirty 2>/dev/null) || desc=
	[ -z "$desc" ] || kversion="$kversion (git $desc)"
fi
bdb=unknown
if [ -n "${BENCH_POST:-}" ]; then
	bdb=$("$BENCH_POST" version 2>/dev/null | sed 's/:.*//') || bdb=unknown
fi
mode="medians of repeated runs; figures, not pass/fail"
[ "${BENCH_QUICK:-0}" != 1 ] || mode="QUICK RUN: small sizes, for trying out only"

# line TEXT: TEXT cut to 80 columns.
line() {
	printf '%s\n' "$1" | cut -c 1-80
}

echo
line "Kontor benchmarks ($mode)"
line "  host      $host, $kernel, $arch"
line "  cpu       $cpus x $cpu"
line "  memory    $mem; temp dir $tdir ($fs)"
case $fs in
tmpfs | ramfs) line "            note: $fs ignores fsync, durable figures are not durable here" ;;
esac
line "  software  $kversion, $bdb"
line "  date      $(date '+%Y-%m-%d %H:%M %Z')"
echo
printf '  %-47s %11s %-11s %5s\n' measure median unit runs

# ------------------------------------------------------------ the rows
# "= HEADING" (where {SECTION/NAME} is that measure's condition) or
# "SECTION<TAB>NAME<TAB>LABEL".
awk -F '\t' -v sumfile="$summary" '
function grp(v,   t, r, neg) {
	neg = v < 0
	t = sprintf("%.0f", neg ? -v : v); r = ""
	while (length(t) > 3) { r = "," substr(t, length(t) - 2) r; t = substr(t, 1, length(t) - 3) }
	return (neg ? "-" : "") t r
}
# a number as the table shows it: whole and grouped from 100, else one
# decimal; anything else as it is
function shown(v) {
	if (v !~ /^-?[0-9]+(\.[0-9]+)?$/)
		return v
	return (v + 0 >= 100 || v + 0 <= -100) ? grp(v) : sprintf("%.1f", v)
}
# runs of 4 or more digits grouped ("1000000 parties" -> "1,000,000 parties")
function cond_shown(c,   out, m) {
	out = ""
	while (match(c, /[0-9][0-9][0-9][0-9]+/)) {
		out = out substr(c, 1, RSTART - 1) grp(substr(c, RSTART, RLENGTH))
		c = substr(c, RSTART + RLENGTH)
	}
	return out c
}
FILENAME == sumfile {
	if ($0 ~ /^#/ || NF < 5)
		next
	key = $1 SUBSEP $2
	cond = ""
	if ((at = index($2, "@")) > 0) {
		key = $1 SUBSEP substr($2, 1, at - 1)
		cond = substr($2, at + 1)
	}
	if (key in median)
		next
	median[key] = $3
	unit[key] = $4
	runs[key] = $5
	condition[key] = cond
	next
}
/^#/ || /^[[:space:]]*$/ { next }
/^= / {
	h = substr($0, 3)
	while (match(h, /\{[^}]*\}/)) {
		s0 = RSTART
		n0 = RLENGTH
		split(substr(h, s0 + 1, n0 - 2), p, "/")
		k = p[1] SUBSEP p[2]
		c = (k in condition && condition[k] != "") ? cond_shown(condition[k]) : "?"
		h = substr(h, 1, s0 - 1) c substr(h, s0 + n0)
	}
	printf "\n%s\n", substr(h, 1, 80)
	next
}
{
	k = $1 SUBSEP $2
	if (k in median)
		printf "  %-47s %11s %-11s %5s\n", substr($3, 1, 47),
			shown(median[k]), substr(unit[k], 1, 11), runs[k]
	else
		printf "  %-47s %11s %-11s %5s\n", substr($3, 1, 47), "-", "", "-"
}
' "$summary" - <<'EOF'
= Posting, durable: one fsync a commit
post	gl-1	3-line entries (gl_post), 1 clerk
post	gl-4	3-line entries (gl_post), 4 clerks
post	gl-8	3-line entries (gl_post), 8 clerks
post	gl-16	3-line entries (gl_post), 16 clerks
post	invoice-1	customer invoices (draft + post), 1 clerk
post	invoice-4	customer invoices (draft + post), 4 clerks
post	invoice-8	customer invoices (draft + post), 8 clerks
post	invoice-16	customer invoices (draft + post), 16 clerks
= Ledger ({post/tb}, then {post/tb-big})
post	tb	trial balance (balance table reads)
post	glrep	general-ledger report, all accounts
post	tb-big	trial balance at the bigger ledger
post	glrep-big	general ledger, one account-month, bigger
= Store ({store/transfers-1})
store	transfers-1	durable transfers, 1 process
store	transfers-4	durable transfers, 4 processes
store	transfers-16	durable transfers, 16 processes
store	reads	point reads, 1000 a snapshot
store	scan-primary	cursor scan, primary order
store	scan-name	cursor scan, name index
= Screens ({ui/page}): key to the screen drawn
ui	menu	open the menu (F3 from the party list)
ui	list	open the party list (Ctrl-G PA)
ui	page	list page (PgDn)
ui	form	open a party's form (Enter)
= Reports ({report/text}) and import ({csv/import})
report	text	report parties, text
report	csv	report parties, CSV
report	pdf	report parties, PDF (one run)
csv	import	import parties, CSV (one transaction)
csv	export	export parties, CSV
= Start-up: exec until ready
ui	start-menu	screens: kontor to the menu drawn
start	version	kontor --version (no database)
start	report	kontor report parties (20 rows)
= Memory of an idle clerk, RSS less shared ({ui/mem-menu})
ui	mem-menu	at the menu
ui	mem-paged	on the party list after PgDn
EOF
