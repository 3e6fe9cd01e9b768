#!/usr/bin/env bash
# Which rate limiter carries what it is told, with and without a delay:
# tbf, netem's own rate, and tbf with a netem child (Mininet's TCLink way).
# iperf3 goodput (TCP payload) over a veth pair, 4 s after 1 s of warm-up.
# Needs sch_netem: run on Debian's stock kernel with
#   scripts/stock-kernel.sh run scripts/bench-impair-rate.sh
# Goodput is about 95.6% of the line rate (1448 payload bytes per 1514-byte
# frame), so 9.56 Mbit/s is a 10 Mbit/s link carrying exactly 10.
set -euo pipefail
A=bench-rate-a B=bench-rate-b
cleanup() {
	[ -n "${SRV:-}" ] && kill "$SRV" 2>/dev/null
	ip netns del $A 2>/dev/null || true
	ip netns del $B 2>/dev/null || true
}
trap cleanup EXIT
ip netns add $A
ip netns add $B
ip -n $A link add eth0 type veth peer name eth0 netns $B
ip -n $A addr add 10.9.0.1/24 dev eth0
ip -n $B addr add 10.9.0.2/24 dev eth0
for n in $A $B; do ip -n $n link set eth0 up; ip -n $n link set lo up; done
ip netns exec $B iperf3 -s >/dev/null 2>&1 &
SRV=$!
sleep 1
goodput() {
	ip netns exec $A iperf3 -c 10.9.0.2 -t 4 -O 1 -J |
		python3 -c 'import json,sys; print("%.2f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e6))'
}
q() { tc -n $A qdisc "$@"; }
printf '%-36s %s\n' "limiter" "goodput Mbit/s"
for rate in 10 100; do
	q replace dev eth0 root tbf rate ${rate}mbit burst $((rate * 500)) limit $((rate * 20000))
	printf '%-36s %s\n' "tbf ${rate}mbit" "$(goodput)"
	q del dev eth0 root
	q add dev eth0 root netem rate ${rate}mbit limit 10000
	printf '%-36s %s\n' "netem rate ${rate}mbit" "$(goodput)"
	q change dev eth0 root netem delay 20ms rate ${rate}mbit limit 10000
	printf '%-36s %s\n' "netem delay 20ms rate ${rate}mbit" "$(goodput)"
	q del dev eth0 root
	q add dev eth0 root handle 1: tbf rate ${rate}mbit burst $((rate * 500)) limit $((rate * 200000))
	q add dev eth0 parent 1:1 handle 10: netem delay 20ms limit 10000
	printf '%-36s %s\n' "tbf ${rate}mbit, netem delay 20ms child" "$(goodput)"
	q del dev eth0 root
done
