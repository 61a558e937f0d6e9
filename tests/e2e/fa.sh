#!/bin/sh
# Fixed assets on the screens: a depreciation run saved as a draft and
# posted with its action (F10), posted once only; an asset disposed of
# from its form after the disposal date and proceeds are saved; a new
# asset takes its class's terms.
set -eu
. "$TEST_SRCDIR/lib.sh"
. "$TEST_SRCDIR/e2e/tmux.sh"
export KONTOR_TODAY=2026-06-15          # the demo makes fiscal year 2026
H=$T/h
demo_home "$H"

# ---- the run of January 2026 (data/assets.csv, next-month):
#   FA-0001  (8,600,000.00 - 430,000.00) / 240    = 34,041.67
#   FA-0002  (286,000.00 - 14,300.00) / 120        =  2,264.17
#   FA-0003  sum-of-years, year 1 429,400.00 x 8/36 = 95,422.22 / 12 = 7,951.85
#   FA-0004  declining 50%, year 1 98,000.00 x 50% = 49,000.00 / 12 = 4,083.33
#   FA-0005  units: no usage in January              =      0.00
#   FA-0006  declining-cn 3 years, year 1 68,000.00 x 2/3 = 45,333.33 / 12
#                                                    =  3,777.78
#   FA-0007  acquired 2026-01-08: from February
#   total 52,118.80 (5 assets)
scr_start a --home "$H" FD
wait_for a "Depreciation run"
keys a F5
wait_for a "new record"
text a 2026-01
keys a F2
wait_for a "Created Depreciation run"
on_screen a "draft"
keys a F10
wait_for a "Post the depreciation"
keys a 1
wait_for a ": depreciation of 2026-01, 5 assets, 52,118.80"
# The entry's number follows the demo's recurring entries.
je=$(capture a | grep -o 'Posted JE-[0-9]*' | cut -d' ' -f2)
[ -n "$je" ] || { show_screen a; fail "no entry number"; }
has_re a "Entry +$je" || { show_screen a; fail "the run does not show $je"; }
has_re a "Depreciation run +2026-01 +posted" || {
	show_screen a
	fail "the title does not say posted"
}
keys a F10
wait_for a "Post the depreciation"
keys a 1
wait_for a "was posted already ($je); nothing more posted"
expect_status 0 "$KONTOR" --home "$H" history farun 2026-01
expect_text "$T/out" "posted"

# ---- dispose of FA-0007 on 2026-06-20 for 20,000.00: next-month, so
# February to June first, 5 x 396.67 (23,800.00 / 60) = 1,983.35;
# book value 21,816.65, loss 1,816.65.
scr_start b --home "$H" FA FA-0007
wait_for b "会议桌椅"
tabs b 16                                       # disposal date
text b 2026-06-20
keys b Tab
text b 20000
keys b F2
wait_for b "Saved Fixed asset"
keys b F10
wait_for b "Dispose of the asset"
keys b 1
wait_for b ", book value 21,816.65, loss 1,816.65"
on_screen b "Disposed of FA-0007: JE-"
has_re b 'Status +disposed' || { show_screen b; fail "FA-0007 not disposed"; }
has_re b 'Accumulated +1983.35' || { show_screen b; fail "accumulated"; }

# ---- a new asset takes the class's terms when it is saved
scr_start c --home "$H" FA
wait_for c "FA-0001"
keys c F5
wait_for c "new record"
text c FA-0100
keys c Tab
text c "打印机 Printer"
keys c Tab
text c ELEC
keys c Tab
text c D200
tabs c 3                                        # cost
text c 4800
keys c F2
wait_for c "Created Fixed asset"
has_re c 'Method +declining-cn' || { show_screen c; fail "no method from ELEC"; }
has_re c 'Life \(months\) +36' || { show_screen c; fail "no life from ELEC"; }
e2e_done
