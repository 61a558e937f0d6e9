#!/bin/sh
# The layers stay honest (HACKING, "Layers"): <db.h> only under
# src/store/, curses only under src/ui/, libconfig only under
# src/config/, base includes nothing of ours but base/, and no layer
# includes one above it.
set -u
src=${TOP_SRCDIR:?}/src
bad=0

# only_in PATTERN FOLDER WHAT: PATTERN may appear in includes only there.
only_in() {
	hits=$(grep -rlE "^#[[:space:]]*include[[:space:]]*[<\"]($1)" "$src" |
		grep -v "^$src/$2/" || true)
	if [ -n "$hits" ]; then
		echo "FAIL: $3 outside src/$2/:" $hits >&2
		bad=1
	fi
}
only_in 'db\.h' store '<db.h>'
only_in 'n?curses(w/)?(\.h)?|ncursesw/|form\.h|menu\.h|panel\.h|term\.h' ui 'curses'
only_in 'libconfig\.h' config '<libconfig.h>'

# never FOLDER PATTERN: files in FOLDER include nothing matching PATTERN.
never() {
	[ -d "$src/$1" ] || return 0
	hits=$(grep -rlE "^#[[:space:]]*include[[:space:]]*\"($2)" "$src/$1" || true)
	if [ -n "$hits" ]; then
		echo "FAIL: src/$1 includes $2:" $hits >&2
		bad=1
	fi
}
never base 'config/|store/|cli/|ui/|report/|finance/|supply/|production/|hr/|crm/|masters/'
never config 'store/|cli/|ui/|report/|finance/|supply/|production/|hr/|crm/|masters/'
never store 'config/|cli/|ui/|report/|finance/|supply/|production/|hr/|crm/|masters/'
for d in finance supply production hr crm masters report; do
	never "$d" 'cli/|ui/'
done
never ui 'cli/'

# The check itself must see the files it guards.
[ -f "$src/store/env.c" ] || { echo "FAIL: no sources under $src" >&2; bad=1; }
grep -q '<db.h>' "$src/store/store_int.h" || { echo "FAIL: the check cannot see <db.h>" >&2; bad=1; }
[ "$bad" -eq 0 ] && echo "layers: ok"
exit "$bad"
