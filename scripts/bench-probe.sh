#!/bin/bash
# Benchmark of `topo probe`: all-pairs ICMP over a lab of N hosts on one
# `kind: bridge` switch (N*(N-1) probes, IPv4), next to the same pairs checked
# the Mininet `pingall` way, one `ping -c1 -W1` process per pair, in the same
# run. Prints probes per second of both and their ratio. Not a test: run it
# by hand, as root.
#
#   scripts/bench-probe.sh [N]        (default 100; TOPO=path/to/topo)
#   BENCH_PING_PAIRS=K  check only the first K pairs with ping (default: all)
#   BENCH_LAB=star      hosts around one router, each on its own /24, instead of
#                       one bridge: ARP stays per link, where on a bridge the
#                       first probes flood N*(N-1) ARP broadcasts to N ports
#
# The kernel's neighbour tables are shared by all namespaces and limited by
# net.ipv{4,6}.neigh.default.gc_thresh3 (1024): 100 all-pairs hosts need
# ~9900 entries. The script raises the limits for its run and puts the old
# values back.
set -euo pipefail

N=${1:-100}
KIND=${BENCH_LAB:-bridge}	# bridge: hosts on one switch; star: hosts around one router
case $KIND in bridge|star) ;; *) echo "bench-probe: BENCH_LAB is bridge or star" >&2; exit 1 ;; esac
SRC=$(cd "$(dirname "$0")/.." && pwd)
TOPO=${TOPO:-$SRC/build/topo}
P=prbench
LAB=pr-bench
DIR=$(mktemp -d /tmp/topo-bench-probe.XXXXXX)

[ "$(id -u)" = 0 ] || { echo "bench-probe: needs root" >&2; exit 1; }
[ -x "$TOPO" ] || { echo "bench-probe: no topo binary at $TOPO (set TOPO=)" >&2; exit 1; }
if ! command -v ping >/dev/null; then
	echo "bench-probe: installing iputils-ping for the baseline" >&2
	apt-get update -qq >/dev/null && apt-get install -y -qq iputils-ping >/dev/null
fi

KEYS="net.ipv4.neigh.default.gc_thresh1 net.ipv4.neigh.default.gc_thresh2
      net.ipv4.neigh.default.gc_thresh3 net.ipv6.neigh.default.gc_thresh1
      net.ipv6.neigh.default.gc_thresh2 net.ipv6.neigh.default.gc_thresh3"
declare -A OLD
for k in $KEYS; do OLD[$k]=$(sysctl -n "$k"); done
NEED=$(( N * N * 2 + 1024 ))

cleanup() {
	set +e
	for i in $(seq "$N"); do ip netns del "$P-h$i" 2>/dev/null; done
	ip netns del "$P-sw" 2>/dev/null
	# Put back the old limits, unless someone else changed them meanwhile.
	for k in $KEYS; do
		case $k in *thresh1) want=$(( NEED / 4 )) ;; *thresh2) want=$(( NEED / 2 )) ;; *) want=$NEED ;; esac
		[ "$(sysctl -n "$k")" = "$want" ] && sysctl -qw "$k=${OLD[$k]}"
	done
	rm -rf "$DIR"
}
trap cleanup EXIT
for k in $KEYS; do
	case $k in *thresh1) v=$(( NEED / 4 )) ;; *thresh2) v=$(( NEED / 2 )) ;; *) v=$NEED ;; esac
	[ "${OLD[$k]}" -lt "$v" ] && sysctl -qw "$k=$v"
done

ms() { date +%s%3N; }

# addr I: the address of host I.
addr() {
	if [ "$KIND" = star ]; then echo "10.$(( 100 + $1 / 250 )).$(( $1 % 250 )).2"
	else echo "10.99.$(( $1 / 250 )).$(( $1 % 250 + 1 ))"; fi
}

echo "bench-probe: building $N hosts ($KIND) ..." >&2
t0=$(ms)
ip netns add "$P-sw"
if [ "$KIND" = star ]; then
	ip netns exec "$P-sw" sysctl -qw net.ipv4.ip_forward=1
	printf 'name: %s\nprefix: %s\nnodes:\n  sw: { kind: router }\n' $LAB $P >"$DIR/lab.yaml"
else
	ip -n "$P-sw" link add br0 type bridge
	ip -n "$P-sw" link set br0 up
	printf 'name: %s\nprefix: %s\nnodes:\n  sw: { kind: bridge }\n' $LAB $P >"$DIR/lab.yaml"
fi
{
	for i in $(seq "$N"); do
		if [ "$KIND" = star ]; then
			printf '  h%d: { routes: [default via %s] }\n' "$i" "$(addr "$i" | sed 's/2$/1/')"
		else
			printf '  h%d: {}\n' "$i"
		fi
	done
	printf 'links:\n'
	for i in $(seq "$N"); do
		if [ "$KIND" = star ]; then
			printf '  - endpoints: ["h%d:eth0 %s/24", "sw:p%d %s/24"]\n' \
				"$i" "$(addr "$i")" "$i" "$(addr "$i" | sed 's/2$/1/')"
		else
			printf '  - endpoints: ["h%d:eth0 %s/16", "sw:p%d"]\n' "$i" "$(addr "$i")" "$i"
		fi
	done
	printf 'probes:\n'
	if [ "$KIND" = star ]; then
		# All ordered pairs of hosts ("*" would add the router).
		for a in $(seq "$N"); do for b in $(seq "$N"); do
			[ "$a" = "$b" ] || printf '  - { from: h%d, to: h%d }\n' "$a" "$b"
		done; done
	else
		printf '  - { from: "*", to: "*" }\n'
	fi
} >>"$DIR/lab.yaml"
for i in $(seq "$N"); do
	ns=$P-h$i
	ip netns add "$ns"
	ip link add "pb$$-a" type veth peer name "pb$$-b"
	ip link set "pb$$-a" netns "$ns" name eth0
	ip link set "pb$$-b" netns "$P-sw" name "p$i"
	if [ "$KIND" = star ]; then
		ip -n "$P-sw" addr add "$(addr "$i" | sed 's/2$/1/')/24" dev "p$i"
		ip -n "$P-sw" link set "p$i" up
		ip -n "$ns" addr add "$(addr "$i")/24" dev eth0
	else
		ip -n "$P-sw" link set "p$i" master br0 up
		ip -n "$ns" addr add "$(addr "$i")/16" dev eth0
	fi
	ip -n "$ns" link set eth0 up
	ip -n "$ns" link set lo up
	[ "$KIND" = star ] && ip -n "$ns" route add default via "$(addr "$i" | sed 's/2$/1/')"
done
echo "bench-probe: lab built in $(( $(ms) - t0 )) ms" >&2

pairs=$(( N * (N - 1) ))

# topo: one process, all pairs at once, neighbours not yet resolved (cold).
t0=$(ms)
rc=0
"$TOPO" probe "$DIR/lab.yaml" --json >"$DIR/cold.json" || rc=$?
topo_cold_ms=$(( $(ms) - t0 ))
t0=$(ms)
"$TOPO" probe "$DIR/lab.yaml" --json >"$DIR/warm.json" || rc=$?
topo_warm_ms=$(( $(ms) - t0 ))
read -r n_cold failed_cold loop_cold < <(/usr/bin/python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(len(r["results"]), r["failed"], r["elapsed_s"])' "$DIR/cold.json")
read -r n_warm failed_warm loop_warm < <(/usr/bin/python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(len(r["results"]), r["failed"], r["elapsed_s"])' "$DIR/warm.json")
echo "bench-probe: time in the probe loop itself (after loading and opening sockets): cold ${loop_cold} s, warm ${loop_warm} s" >&2
[ "$n_cold" = "$pairs" ] || echo "bench-probe: warning: $n_cold probes, expected $pairs" >&2

# Baseline: one ping process per pair, as Mininet's pingall does.
limit=${BENCH_PING_PAIRS:-$pairs}
done_pairs=0
ping_failed=0
t0=$(ms)
for a in $(seq "$N"); do
	for b in $(seq "$N"); do
		[ "$a" = "$b" ] && continue
		[ "$done_pairs" -ge "$limit" ] && break 2
		ip netns exec "$P-h$a" ping -q -n -c1 -W1 "$(addr "$b")" \
			>/dev/null 2>&1 || ping_failed=$(( ping_failed + 1 ))
		done_pairs=$(( done_pairs + 1 ))
	done
done
ping_ms=$(( $(ms) - t0 ))

/usr/bin/python3 - "$N" "$n_cold" "$topo_cold_ms" "$failed_cold" "$topo_warm_ms" "$failed_warm" \
	"$done_pairs" "$ping_ms" "$ping_failed" "$KIND" <<'PY'
import sys
n, pairs, cold_ms, cold_f, warm_ms, warm_f, ping_n, ping_ms, ping_f = map(int, sys.argv[1:10])
cold = pairs / (cold_ms / 1000)
warm = pairs / (warm_ms / 1000)
ping = ping_n / (ping_ms / 1000)
print("bench-probe: %d hosts (%s), %d ordered pairs, ICMP over IPv4" % (n, sys.argv[10], pairs))
print("  topo probe (cold neighbours) %8.3f s %10.0f probes/s  %d failed" % (cold_ms / 1000, cold, cold_f))
print("  topo probe (warm neighbours) %8.3f s %10.0f probes/s  %d failed" % (warm_ms / 1000, warm, warm_f))
print("  ping -c1 -W1 per pair        %8.3f s %10.0f probes/s  %d failed (%d pairs)" % (ping_ms / 1000, ping, ping_f, ping_n))
print("  ratio: topo cold is %.0fx, warm %.0fx the probes/s of per-pair ping" % (cold / ping, warm / ping))
PY
exit 0
