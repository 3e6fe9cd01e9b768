# A dump the kernel marks interrupted (NLM_F_DUMP_INTR: the table changed
# between two of its pages) is read again from the start, not fatal and
# not half-counted: status of a node with a thousand addresses, while
# another address comes and goes, succeeds and lists each address once.
source "$(dirname "$0")/lib.sh"
lab t-dintr
f="$T_DIR/lab.yaml"
cat >"$f" <<'YAML'
name: t-dintr
nodes: { a: {}, b: {} }
links:
  - endpoints: ["a:eth0 10.71.0.1/24", "b:eth0 10.71.0.2/24"]
YAML
run_topo 0 up "$f" --no-probe
# 1000 addresses: a dump of a few pages, so a change can land between two.
for i in $(seq 0 3); do
	for j in $(seq 1 250); do echo "addr add 10.72.$i.$j/32 dev eth0"; done
done >"$T_DIR/batch"
ip -n t-dintr-a -batch "$T_DIR/batch"
# Bursts of 4 changes, then a pause several times longer than a dump (even
# under ASan): a change marks at most the one dump it lands in, so a reader
# retrying NL_DUMP_TRIES (5) times always gets through, while among 150
# runs many meet a burst.
churn() {
	while :; do
		for k in 1 2; do
			ip -n t-dintr-a addr add 10.73.0.1/32 dev eth0
			ip -n t-dintr-a addr del 10.73.0.1/32 dev eth0
		done
		sleep 0.05
	done
}
churn & T_PIDS+=($!)
for k in $(seq 1 150); do
	run_topo 0 status "$f" --json
	nodes=${OUT%%,\"drift\":*}	# the addresses read; drift_changes names each again
	n=$(grep -o '"10\.72\.[0-9]*\.[0-9]*/32"' <<<"$nodes" | sort | uniq | wc -l)
	all=$(grep -o '"10\.72\.[0-9]*\.[0-9]*/32"' <<<"$nodes" | wc -l)
	[ "$n" = 1000 ] && [ "$all" = 1000 ] || fail "run $k: $n distinct of $all addresses, want 1000"
done
pass "status during address churn: every dump complete, each address once"
