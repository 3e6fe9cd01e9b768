# Sourced by every integration test. Each test uses its own lab name, so
# tests can run side by side; the EXIT trap removes everything the test
# made, even when it fails.
set -euo pipefail

TOPO_SRC=${TOPO_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
TOPO=${TOPO:-$TOPO_SRC/build/topo}	# CTest sets it
[ -x "$TOPO" ] || { echo "FAIL: no topo binary at $TOPO" >&2; exit 1; }

# skip REASON (a kernel feature: always a skip); need_tool CMD / skip_tool
# TOOL REASON (a tool deps.sh installs: a failure when CI=true).
source "$TOPO_SRC/tests/skip.bash"
[ "$(id -u)" = 0 ] || skip "needs root for network namespaces"
ip netns list >/dev/null 2>&1 || skip "no network namespace support (ip netns)"

T_DIR=$(mktemp -d /tmp/topo-test.XXXXXX)
T_LABS=()	# labs to take down at exit
T_NETNS=()	# namespaces the test made by hand
T_PIDS=()	# background processes

t_cleanup() {
	local rc=$?
	set +e
	# A background shell function is a subshell: end its children too, or
	# they keep the test's output open and CTest waits for them.
	for p in "${T_PIDS[@]}"; do
		pkill -TERM -P "$p" 2>/dev/null
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	for l in "${T_LABS[@]}"; do "$TOPO" down "$l" >/dev/null 2>&1; done
	for n in "${T_NETNS[@]}"; do ip netns del "$n" 2>/dev/null; done
	rm -rf "$T_DIR"
	exit $rc
}
trap t_cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

# lab NAME: remember a lab for cleanup.
lab() { T_LABS+=("$1"); }
# own_netns NAME: create a namespace by hand, removed at exit.
own_netns() { ip netns add "$1"; T_NETNS+=("$1"); }

# run_topo EXPECTED_RC ARGS...: run topo, keep stdout in $OUT, stderr in $ERR.
run_topo() {
	local want=$1; shift
	local rc=0
	"$TOPO" "$@" >"$T_DIR/out" 2>"$T_DIR/err" || rc=$?
	OUT=$(cat "$T_DIR/out"); ERR=$(cat "$T_DIR/err")
	if [ "$rc" != "$want" ]; then
		echo "--- topo $* exited $rc, expected $want" >&2
		echo "--- stdout:" >&2; echo "$OUT" >&2
		echo "--- stderr:" >&2; echo "$ERR" >&2
		fail "topo $*: exit $rc, expected $want"
	fi
}

# contains HAYSTACK NEEDLE [WHAT]
contains() { grep -qF -- "$2" <<<"$1" || fail "${3:-output} lacks '$2'; got:"$'\n'"$1"; }
lacks() { ! grep -qF -- "$2" <<<"$1" || fail "${3:-output} has '$2'; got:"$'\n'"$1"; }

# nsexec NS CMD...: run a command inside a namespace.
nsexec() { ip netns exec "$@"; }

# ifindex NS IFACE
ifindex() { ip -n "$1" -o link show dev "$2" | cut -d: -f1; }

# netns_exists NAME
netns_exists() { [ -e "/run/netns/$1" ]; }

# wait_catches PID SIG: until PID handles SIG (its SigCgt in /proc) or has
# ended. A signal sent before topo has its handler kills it by the default
# action: on a loaded machine a test aiming a signal at a phase of topo's
# would otherwise hit its start-up and see a silent death.
wait_catches() {
	local bit=$((1 << ($(kill -l "$2") - 1))) st i
	for ((i = 0; i < 2000; i++)); do
		st=$(awk '/^State:/ { s = $2 } /^SigCgt:/ { print s, $2 }' "/proc/$1/status" \
			2>/dev/null) || return 0
		[ -n "$st" ] && [ "${st% *}" != Z ] || return 0
		((16#${st#* } & bit)) && return 0
		sleep 0.005
	done
}

# wait_until CMD...: run CMD until it succeeds, 10 s at most (a process
# started in the background is slow to get going on a loaded machine).
wait_until() {
	local i
	for ((i = 0; i < 200; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.05
	done
	fail "still not true after 10 s: $*"
}
