# Every lab in topologies/ comes up under a lab name of its own, passes all
# its probes (the expected-unreachable ones included), converges on a second
# up, and goes down without a trace.
source "$(dirname "$0")/lib.sh"
for src in "$TOPO_SRC"/topologies/*.yaml; do
	base=$(basename "$src" .yaml)
	# its routing daemons and convergence have a test of their own
	[ "$base" = ospf ] && continue	# tests/integration/ospf.sh
	name="tx-${base:0:8}"
	f="$T_DIR/$base.yaml"
	# A name and prefix of our own, so that a user's running example is untouched.
	sed -e "s/^name: .*/name: $name/" -e "s/^prefix: .*/prefix: $name/" "$src" >"$f"
	lab "$name"
	run_topo 0 up "$f"
	contains "$OUT" " 0 failed" "$base probes"
	run_topo 0 up "$f" --no-probe
	contains "$OUT" "No changes" "$base second up"
	run_topo 0 down "$name"
	for ns in $(ip netns list | awk '{print $1}'); do
		case $ns in "$name"-*) fail "$base: $ns left after down" ;; esac
	done
	pass "$base: up, probes, idempotent, down"
done
