# Every command that `topo --help` lists (so that commands added later are
# covered with no edit here): `topo CMD --help`, `-h` and `topo help CMD`
# exit 0 and print its usage on stdout and nothing on stderr; an unknown
# option exits 1 naming it, and does nothing else.
set -uo pipefail
TOPO_SRC=${TOPO_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
TOPO=${TOPO:-$TOPO_SRC/build/topo}
T_DIR=$(mktemp -d /tmp/topo-help.XXXXXX)
trap 'rm -rf "$T_DIR"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

# run EXPECTED_RC ARGS...: topo's stdout in $OUT, stderr in $ERR
run() {
	local want=$1 rc=0
	shift
	(cd "$T_DIR" && "$TOPO" "$@") >"$T_DIR/out" 2>"$T_DIR/err" </dev/null || rc=$?
	OUT=$(cat "$T_DIR/out")
	ERR=$(cat "$T_DIR/err")
	[ "$rc" = "$want" ] || fail "topo $*: exit $rc, expected $want; stdout: $OUT; stderr: $ERR"
}

run 0 --help
commands=$(sed -n 's/^  topo \([a-z][a-z0-9_-]*\).*/\1/p' <<<"$OUT")
[ "$(wc -l <<<"$commands")" -ge 10 ] || fail "found only these commands in topo --help: $commands"

for c in $commands; do
	for how in "$c --help" "$c -h" "help $c"; do
		run 0 $how
		grep -q "^usage: topo $c" <<<"$OUT" || fail "topo $how prints no usage: $OUT"
		[ -z "$ERR" ] || fail "topo $how wrote to stderr: $ERR"
	done
	run 1 "$c" --no-such-option
	grep -qF -- "'--no-such-option'" <<<"$ERR" || fail "topo $c --no-such-option does not name it: $ERR"
	[ -z "$(ls -A "$T_DIR" | grep -vxE 'out|err')" ] || fail "topo $c --no-such-option made files: $(ls "$T_DIR")"
done
pass "--help, -h, help CMD and an unknown option, for: $(echo $commands)"

run 1 no-such-command
grep -q "unknown command 'no-such-command'" <<<"$ERR" || fail "an unknown command: $ERR"
run 0 --version
grep -qx "topo [0-9][0-9.]*" <<<"$OUT" || fail "--version: $OUT"
pass "an unknown command, --version"
