# The skip rule of tests/skip.bash: a missing tool that scripts/deps.sh
# installs is a skip (77) on a developer's machine and a failure (1) in CI
# (CI=true); a missing kernel feature is a skip (77) everywhere; a present
# tool goes on.
set -uo pipefail
TOPO_SRC=${TOPO_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# expect RC CI_VALUE CODE: run CODE after sourcing the helper, with CI set
# to CI_VALUE ('' = unset), and demand exit status RC.
expect() {
	local want=$1 ci=$2 code=$3 rc=0 out
	if [ -n "$ci" ]; then
		out=$(CI=$ci bash -c "source '$TOPO_SRC/tests/skip.bash'; $code; exit 0" 2>&1) || rc=$?
	else
		out=$(env -u CI bash -c "source '$TOPO_SRC/tests/skip.bash'; $code; exit 0" 2>&1) || rc=$?
	fi
	if [ "$rc" = "$want" ]; then
		echo "ok: CI=${ci:-unset} '$code' -> $rc: $out"
	else
		fail "CI=${ci:-unset} '$code': exit $rc, expected $want; output: $out"
	fi
}

missing=topo-no-such-tool-$$
expect 1  true  "need_tool $missing 'a fake tool'"
expect 77 ''    "need_tool $missing 'a fake tool'"
expect 77 false "need_tool $missing 'a fake tool'"
expect 1  true  "skip_tool python3-jsonschema 'no module'"
expect 77 ''    "skip_tool python3-jsonschema 'no module'"
expect 0  true  "need_tool bash"
expect 77 true  "skip 'no netem in this kernel'"
expect 77 ''    "skip 'no netem in this kernel'"

# The failure says why, on stderr, naming the tool.
out=$(CI=true bash -c "source '$TOPO_SRC/tests/skip.bash'; need_tool $missing" 2>&1 >/dev/null)
grep -q "FAIL: $missing is missing.*CI=true" <<<"$out" || fail "CI failure message: '$out'"

# Every test that skips for a tool uses the helper: no bare 'exit 77' or
# SKIP line outside it.
bare=$(grep -rn --include='*.sh' --include='*.bash' -e 'exit 77' -e 'echo "SKIP' "$TOPO_SRC/tests" |
	grep -v -e '/tests/skip.bash:' -e '/tests/scripts/skip_rule.sh:')
[ -z "$bare" ] || fail "skips that bypass tests/skip.bash:"$'\n'"$bare"

[ "$fails" = 0 ]
