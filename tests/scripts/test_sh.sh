# scripts/test.sh stops at a failed build, with exit 1 and a message saying
# so, before any test runs: for a compile error and for a warning (the
# presets make warnings errors). And a clean build does run the tests.
# Cheap: test.sh runs on a scratch copy of scripts/ and CMakePresets.json
# around a one-file project (deps.sh replaced by a stub), not on topo.
set -uo pipefail
TOPO_SRC=${TOPO_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
T=$(mktemp -d /tmp/topo-testsh.XXXXXX)
trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# scratch CASE SOURCE: a tree whose one test leaves $T/CASE.ran when run.
scratch() {
	local d=$T/$1
	mkdir -p "$d/scripts"
	cp "$TOPO_SRC"/scripts/test.sh "$TOPO_SRC"/scripts/build.sh "$d/scripts/"
	cp "$TOPO_SRC/CMakePresets.json" "$d/"
	printf '#!/bin/sh\nexit 0\n' >"$d/scripts/deps.sh"; chmod +x "$d/scripts/deps.sh"
	cat >"$d/CMakeLists.txt" <<-CMAKE
	cmake_minimum_required(VERSION 3.24)
	project(scratch C)
	add_compile_options(-Wall -Wextra)
	add_executable(scratch scratch.c)
	enable_testing()
	add_test(NAME ran COMMAND touch $T/$1.ran)
	CMAKE
	printf '%s\n' "$2" >"$d/scratch.c"
}

# run CASE: scripts/test.sh --fast in the scratch tree; sets RC and OUT.
run() {
	RC=0
	OUT=$(cd "$T/$1" && bash scripts/test.sh --fast 2>&1) || RC=$?
}

scratch clean 'int main(void) { return 0; }'
scratch error 'int main(void) { return undeclared_name; }'
scratch warning 'int main(void) { int unused; return 0; }'

run clean
if [ "$RC" = 0 ] && [ -e "$T/clean.ran" ]; then
	echo "ok: a clean build runs the tests"
else
	fail "clean tree: exit $RC, tests ran: $([ -e "$T/clean.ran" ] && echo yes || echo no); output:"; echo "$OUT"
fi

for c in error warning; do
	run $c
	if [ "$RC" != 0 ] && [ ! -e "$T/$c.ran" ] &&
	   grep -q "scripts/build.sh: the 'release' build failed" <<<"$OUT" &&
	   grep -q "scratch.c" <<<"$OUT"; then
		echo "ok: a build with a compile $c stops test.sh (exit $RC), no test run"
	else
		fail "compile $c: exit $RC, tests ran: $([ -e "$T/$c.ran" ] && echo yes || echo no); output:"; echo "$OUT"
	fi
done

[ "$fails" = 0 ]
