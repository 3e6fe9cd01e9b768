# Sourced by the tests that may skip (tests/integration/lib.sh, schema,
# fuzz). Two kinds of skip, exit 77 with the reason:
# - skip REASON: something the machine lacks that no package gives (a
#   kernel feature, root, a build option): a skip everywhere.
# - skip_tool TOOL REASON / need_tool CMD [REASON]: a missing tool that
#   `scripts/deps.sh test` installs (socat, python3-jsonschema, clang...).
#   In CI (CI=true), where deps.sh has run, a missing tool means the
#   environment is broken and the test would silently not run: a failure.

skip() { echo "SKIP: $*"; exit 77; }

skip_tool() {
	local tool=$1; shift
	if [ "${CI:-}" = true ]; then
		echo "FAIL: $tool is missing${*:+: $*} (CI=true: scripts/deps.sh test installs it, so this is a failure, not a skip)" >&2
		exit 1
	fi
	echo "SKIP: $tool is missing${*:+: $*} (scripts/deps.sh test installs it)"
	exit 77
}

need_tool() { command -v "$1" >/dev/null 2>&1 || skip_tool "$@"; }
