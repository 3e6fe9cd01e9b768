# `topo generate` labs come up with their probes passing, the probes catch a
# wrong route, and `down` leaves nothing behind.
source "$(dirname "$0")/lib.sh"

check_lab() {	# NAME KIND ARGS...: generate, up (probes must pass), down
	local name=$1; shift
	lab "$name"
	"$TOPO" generate "$@" --name "$name" >"$T_DIR/$name.yaml" || fail "generate $*"
	run_topo 0 up "$T_DIR/$name.yaml"
	contains "$OUT" "0 failed" "probes of $*"
	pass "$* ($name): up, probes pass"
}

gone() {	# NAME: no namespace of the lab is left
	run_topo 0 down "$1"
	! grep -q "^$1-" <<<"$(ls /run/netns 2>/dev/null)" || fail "namespaces of $1 left after down"
	pass "$1: down leaves nothing"
}

check_lab gen-chain chain 6
contains "$(cat "$T_DIR/gen-chain.yaml")" "{ from: n1, to: n6 }"

# A wrong route must show: without n4's route back towards n1, n6 cannot
# reach n1 (nor n1 n6: the replies are lost), so the probes fail.
ip -n gen-chain-n4 route del 10.0.0.0/29
run_topo 3 probe "$T_DIR/gen-chain.yaml"
pass "a missing route fails the probes"
run_topo 0 up "$T_DIR/gen-chain.yaml"
contains "$(ip -n gen-chain-n4 route)" "10.0.0.0/29 via 10.0.0.9"
pass "up puts the route back and the probes pass"
gone gen-chain

check_lab gen-grid grid 3 3
gone gen-grid
check_lab gen-ft fat-tree 4
gone gen-ft
check_lab gen-star star 5
gone gen-star
