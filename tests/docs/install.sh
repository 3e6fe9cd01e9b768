# `cmake --install` into a DESTDIR: the program in bin, topo(1) in man1 and
# topo-lab(5) in man5, the bash completion where bash-completion looks for
# it, and under share/doc/topo the README with the docs, the schema and the
# example labs, laid out as in the repository so that the README's links
# work; nothing anywhere else. The installed pieces work: the program
# runs, man reads both pages, the completion loads.
set -uo pipefail
# man renders UTF-8 (what the pages must keep) and stays quiet about the
# locale only in one the machine has: Debian's libc always has C.UTF-8.
export LC_ALL=C.UTF-8 LANG=C.UTF-8
TOPO_SRC=${TOPO_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
TOPO_BUILD=${TOPO_BUILD:-$TOPO_SRC/build}
cd "$TOPO_SRC" || exit 1
source tests/skip.bash
need_tool man "reads the installed pages (Debian: man-db)"
T_DIR=$(mktemp -d /tmp/topo-install.XXXXXX)
trap 'rm -rf "$T_DIR"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

DESTDIR=$T_DIR/root cmake --install "$TOPO_BUILD" --prefix /usr >"$T_DIR/log" 2>&1 ||
	fail "cmake --install: $(cat "$T_DIR/log")"
root=$T_DIR/root
files=$(cd "$root" && find . -type f | sed 's|^\./||' | sort)
for f in usr/bin/topo usr/share/man/man1/topo.1 usr/share/man/man5/topo-lab.5 \
	usr/share/bash-completion/completions/topo usr/share/doc/topo/README.md \
	usr/share/doc/topo/docs/format.md usr/share/doc/topo/docs/topo.1.md \
	usr/share/doc/topo/schemas/topology.schema.json usr/share/doc/topo/topologies/quickstart.yaml; do
	grep -qx "$f" <<<"$files" || fail "not installed: $f; installed:"$'\n'"$files"
done
stray=$(grep -vE '^usr/(bin/topo|share/man/man1/topo\.1|share/man/man5/topo-lab\.5|share/bash-completion/completions/topo|share/doc/topo/.+)$' <<<"$files")
[ -z "$stray" ] || fail "installed where nothing of topo belongs:"$'\n'"$stray"
# nothing of the build or the tests in the docs
! grep -qE '^usr/share/doc/topo/(build|tests|emu|bench)/' <<<"$files" || fail "sources in the docs: $files"
pass "installed: $(wc -l <<<"$files") files, in bin, man1, man5, completions and doc/topo"

grep -qx "topo [0-9.]*" <<<"$("$root/usr/bin/topo" --version)" || fail "the installed topo does not run"
for p in man1/topo.1 man5/topo-lab.5; do
	w=$(MANWIDTH=80 man --warnings -l "$root/usr/share/man/$p" 2>&1 >/dev/null)
	[ -z "$w" ] || fail "man -l $p: $w"
done
grep -q "man5/topo-lab.5" <<<"$(MANPATH=$root/usr/share/man man -w topo-lab)" || fail "man does not find topo-lab(5) in the installed tree"
grep -q _topo <<<"$(bash -c 'source "$1" && complete -p topo' bash "$root/usr/share/bash-completion/completions/topo")" || fail "the installed completion does not load"
pass "the installed program, pages and completion work"

# The README's links into the installed directories point at installed
# files (a link elsewhere in the repository, scripts/ say, is for those
# who have a clone).
doc=$root/usr/share/doc/topo
links=$(grep -oE '\]\((docs|schemas|topologies)/[^)#:]+\)' README.md | sed 's/^](//; s/)$//' | sort -u)
[ -n "$links" ] || fail "found no relative links in README.md"
for l in $links; do
	[ -e "$doc/$l" ] || fail "README.md links to $l, which is not installed in share/doc/topo"
done
pass "README.md's links resolve in share/doc/topo: $(echo $links)"
