#!/bin/bash
# Multi-host benchmark (issue 15): the same lab, a grid of routers of about
# N nodes (`topo generate grid W H`, default 30 x 30 = 900), brought up
#   one       on one simulated host, the lab file as generated;
#   alone     across three simulated hosts a, b, c as `topo place` placed it
#             (`topo up --host H` on each), one host after the other: what
#             each host's part costs on a machine of its own;
#   together  the same three `up --host` at once, as an orchestrator runs
#             them (on this machine they share its CPUs);
# then `topo probe --host H` on each (the grid's probes cross hosts) and
# `down --host H` at once. All in one run, median of RUNS (3) runs, with the
# ratios to `one`: time per host, the slowest host, the number of links
# that cross hosts (each a VXLAN tunnel) as `topo place` reports it.
#
# Simulated hosts (scripts/simhosts.sh): network namespaces on an underlay
# bridge at 198.18.0.0/24 (the benchmarking range, never routed), each
# running topo with a private /run/netns and /run/topo. The "one" host is
# a fourth one, so that both sides pay the same.
#
#   scripts/bench-multihost.sh [--nodes N] [--runs R]
#
# Output: a table on stdout, bench/out/multihost.csv. Needs root. Cleans
# up everything it made, also on Ctrl-C. Lab names start with "bench".
set -euo pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
NODES=900
RUNS=3
while [ $# -gt 0 ]; do
	case $1 in
	--nodes) NODES=$2; shift ;;
	--runs) RUNS=$2; shift ;;
	-h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench-multihost: unknown argument '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done
[[ $NODES =~ ^[0-9]+$ && $NODES -ge 4 && $RUNS =~ ^[1-9][0-9]*$ ]] ||
	{ echo "bench-multihost: --nodes at least 4, --runs at least 1" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "bench-multihost: needs root (network namespaces)" >&2; exit 1; }

source "$SRC/scripts/bench-lib.bash"
BUILD=${TOPO_BUILD:-$SRC/build-bench}
if [ -z "${TOPO:-}" ]; then
	bench_build bench-multihost topo
fi
TOPO=${TOPO:-$BUILD/topo}
SIM=$SRC/scripts/simhosts.sh
P=bmh$(($$ % 10000))
HOSTS="a b c"
OUT=$SRC/bench/out
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/topo-bench-mh.XXXXXX)
LOG=$WORK/log

cleanup() {
	local rc=$?
	set +e
	trap '' INT TERM
	"$SIM" destroy "$P" >/dev/null 2>&1
	sysctl_restore
	rm -rf "$WORK"
	exit $rc
}
trap cleanup EXIT
trap 'echo "bench-multihost: interrupted, cleaning up" >&2; exit 130' INT TERM

# A grid's routers resolve their neighbours in the kernel's neighbour tables.
neigh_room "$NODES"

# ---- the lab, placed ----
W=1
while [ $((W * W)) -lt "$NODES" ]; do W=$((W + 1)); done
H=$(((NODES + W - 1) / W))
N=$((W * H))
"$TOPO" generate grid "$W" "$H" --name bench-mh >"$WORK/one.yaml"
"$TOPO" place "$WORK/one.yaml" --hosts a=198.18.0.1,b=198.18.0.2,c=198.18.0.3 \
	>"$WORK/placed.yaml" 2>"$WORK/place.txt"
CUT=$(sed -n 's/^topo: place: \([0-9]*\) of \([0-9]*\) links.*/\1/p' "$WORK/place.txt")
LINKS=$(sed -n 's/^topo: place: \([0-9]*\) of \([0-9]*\) links.*/\2/p' "$WORK/place.txt")
declare -A PART
for h in $HOSTS; do
	PART[$h]=$(grep -c "^    host: $h\$" "$WORK/placed.yaml" || true)
done
"$SIM" create "$P" a=198.18.0.1 b=198.18.0.2 c=198.18.0.3 one=198.18.0.4 >/dev/null
"$SIM" exec "$P" a -- ip link add vxbench type vxlan id 1 remote 198.18.0.2 dstport 4789 \
	2>/dev/null || { echo "bench-multihost: no VXLAN in this kernel" >&2; exit 1; }
"$SIM" exec "$P" a -- ip link del vxbench

# ---- measuring ----
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }'; }
record() { echo "$1,$N,$R,$2,$3" >>"$WORK/runs.csv"; }	# record PHASE HOST SECONDS

# on HOST PHASE TOPO-ARGS...: topo on a simulated host, timed; quiet, or
# its output and a stop on a failure (a probe failing is exit 3).
on() {
	local h=$1 phase=$2 t0 rc=0
	shift 2
	t0=$EPOCHREALTIME
	"$SIM" exec "$P" "$h" -- "$TOPO" "$@" >>"$LOG.$h" 2>&1 || rc=$?
	if [ $rc != 0 ]; then
		echo "bench-multihost: on $h: topo $*: exit $rc" >&2
		tail -n 20 "$LOG.$h" >&2
		return 1
	fi
	record "$phase" "$h" "$(since "$t0")"
}

# at_once PHASE TOPO-ARGS-BEFORE-HOST...: on every host at once (--host H
# added), and the wall time of all of them as host "all".
at_once() {
	local phase=$1 h t0 pids=() rc=0
	shift
	t0=$EPOCHREALTIME
	for h in $HOSTS; do
		on "$h" "$phase" "$@" --host "$h" &
		pids+=($!)
	done
	for p in "${pids[@]}"; do wait "$p" || rc=1; done
	[ $rc = 0 ] || exit 1
	record "$phase" all "$(since "$t0")"
}

echo "phase,n,run,host,seconds" >"$WORK/runs.csv"
echo "bench-multihost: $(nproc) CPUs, kernel $(uname -r), a $W x $H grid ($N nodes, $LINKS links)," \
	"$CUT across hosts a ${PART[a]}, b ${PART[b]}, c ${PART[c]} nodes; $RUNS runs" >&2
for R in $(seq 1 "$RUNS"); do
	echo "bench-multihost: run $R: one host" >&2
	on one up up "$WORK/one.yaml" --no-probe -q
	on one probe probe "$WORK/one.yaml" -q
	on one down down bench-mh
	echo "bench-multihost: run $R: three hosts, one after the other" >&2
	for h in $HOSTS; do on "$h" up-alone up "$WORK/placed.yaml" --host "$h" --no-probe -q; done
	at_once down down "$WORK/placed.yaml"
	echo "bench-multihost: run $R: three hosts at once" >&2
	at_once up-together up "$WORK/placed.yaml" --no-probe -q
	at_once probe probe "$WORK/placed.yaml" -q
	at_once down down "$WORK/placed.yaml"
done

# ---- report ----
awk -F, 'NR > 1 { k = $1 "," $4; v[k] = v[k] " " $5 }
	END { for (k in v) { n = split(substr(v[k], 2), a, " ")
		for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
		print k "," ((n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2) } }' \
	"$WORK/runs.csv" | sort >"$WORK/median.csv"
{
	echo "nodes,links,cross_host_links,phase,host,nodes_on_host,median_s"
	while IFS=, read -r phase host s; do
		echo "$N,$LINKS,$CUT,$phase,$host,${PART[$host]:-$([ "$host" = one ] && echo "$N")},$s"
	done <"$WORK/median.csv"
} >"$OUT/multihost.csv"
awk -F, -v n="$N" -v cut="$CUT" -v links="$LINKS" -v pa="${PART[a]}" -v pb="${PART[b]}" -v pc="${PART[c]}" '
	{ m[$1 "," $2] = $3 }
	function g(k) { return (k in m) ? m[k] : "" }
	function f(x) { return x == "" ? "-" : sprintf("%.3f", x) }
	function r(a, b) { return (a == "" || b == "" || b + 0 == 0) ? "-" : sprintf("%.2fx", a / b) }
	function mx(p,   h, x, v) { x = ""; split("a b c", h, " "); for (v = 1; v <= 3; v++) if (g(p "," h[v]) != "" && (x == "" || g(p "," h[v]) + 0 > x + 0)) x = g(p "," h[v]); return x }
	END {
		one = g("up,one")
		printf "\n%d nodes, %d links; across 3 hosts: a %d, b %d, c %d nodes, %d links cross hosts (VXLAN)\n", n, links, pa, pb, pc, cut
		printf "seconds, median of runs; ratio: to `up` on one host\n"
		printf "%-22s %8s %8s %8s %8s %8s %8s\n", "", "one", "a", "b", "c", "slowest", "ratio"
		printf "%-22s %8s %8s %8s %8s %8s %8s\n", "up, hosts one by one", f(one), f(g("up-alone,a")), f(g("up-alone,b")), f(g("up-alone,c")), f(mx("up-alone")), r(mx("up-alone"), one)
		printf "%-22s %8s %8s %8s %8s %8s %8s\n", "up, hosts at once", f(one), f(g("up-together,a")), f(g("up-together,b")), f(g("up-together,c")), f(g("up-together,all")), r(g("up-together,all"), one)
		printf "%-22s %8s %8s %8s %8s %8s %8s\n", "probe", f(g("probe,one")), f(g("probe,a")), f(g("probe,b")), f(g("probe,c")), f(g("probe,all")), r(g("probe,all"), g("probe,one"))
		printf "%-22s %8s %8s %8s %8s %8s %8s\n", "down", f(g("down,one")), f(g("down,a")), f(g("down,b")), f(g("down,c")), f(g("down,all")), r(g("down,all"), g("down,one"))
		printf "(slowest: of the hosts one by one, the slowest; at once, the wall time of all three)\n"
	}' "$WORK/median.csv"
echo "bench-multihost: figures in $OUT/multihost.csv" >&2
