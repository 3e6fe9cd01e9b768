# scripts/bench-multihost.sh (and bench.sh --multihost) without running
# it: --help tells what it measures, bad arguments are refused before
# anything is built or made, and bench.sh lists --multihost.
set -uo pipefail
TOPO_SRC=${TOPO_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
fail() { echo "FAIL: $*" >&2; exit 1; }
b=$TOPO_SRC/scripts/bench-multihost.sh
out=$("$b" --help) || fail "--help exits $?"
grep -q "three simulated hosts" <<<"$out" || fail "--help: $out"
grep -q -- "--nodes N" <<<"$out" || fail "--help lacks --nodes: $out"
for args in "--bogus" "--nodes 3" "--nodes x" "--runs 0"; do
	# shellcheck disable=SC2086 # the words are the arguments
	err=$("$b" $args 2>&1 >/dev/null)
	rc=$?
	[ $rc = 2 ] || fail "bench-multihost.sh $args: exit $rc, expected 2 ($err)"
done
"$TOPO_SRC/scripts/bench.sh" --help | grep -q -- "--multihost" || fail "bench.sh --help lacks --multihost"
echo "ok: bench-multihost.sh --help and bad arguments; bench.sh --multihost"
