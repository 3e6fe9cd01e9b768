# Helpers for the multihost*.sh tests: simulated hosts (scripts/simhosts.sh)
# that the test removes at exit, and topo run on one of them. Sourced after
# lib.sh.

need_tool nsenter "runs topo in a simulated host"
need_tool findmnt "makes a simulated host's /run/netns its own"
SIM=$TOPO_SRC/scripts/simhosts.sh

# sim_hosts PREFIX NAME=ADDRESS...: the hosts, destroyed at exit; a skip
# when the kernel has no VXLAN. Sets SIM_PREFIX.
sim_hosts() {
	SIM_PREFIX=$1
	trap 'rc=$?; "$SIM" destroy $SIM_PREFIX >/dev/null 2>&1; (exit $rc); t_cleanup' EXIT
	"$SIM" create "$@" >/dev/null
	local first=${2%%=*} second=${3#*=}
	ip -n "$1-$first" link add vxtest type vxlan id 1 remote "$second" dstport 4789 2>/dev/null ||
		skip "no VXLAN in this kernel (ip link add type vxlan)"
	ip -n "$1-$first" link del vxtest
}

# on HOST EXPECTED_RC ARGS...: topo ARGS on simulated host HOST, its output
# in $OUT and $ERR as run_topo leaves them.
on() {
	local h=$1 want=$2 rc=0
	shift 2
	"$SIM" exec "$SIM_PREFIX" "$h" -- "$TOPO" "$@" >"$T_DIR/out" 2>"$T_DIR/err" || rc=$?
	OUT=$(cat "$T_DIR/out"); ERR=$(cat "$T_DIR/err")
	[ "$rc" = "$want" ] || fail "on $h: topo $*: exit $rc, expected $want"$'\n'"$OUT"$'\n'"$ERR"
}
