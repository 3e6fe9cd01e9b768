#!/bin/bash
# Scale benchmark (issue 4): a chain of N nodes (`topo generate chain N`:
# nI:eth1 -- nI+1:eth0, a /30 each, lower addresses via the left neighbour,
# default via the right one, lo and links up) built and torn down by
#   topo        `topo up` from nothing, a second `up` with nothing to do, an
#               `up` after one link is added, `topo probe` (adjacent pairs
#               plus two long probes), `topo down`
#   floor       bench/floor.c: raw rtnetlink, one request at a time (-j 2:
#               namespaces made by 2 threads, "floor-j2"); and "read": the
#               floor of a no-op `up`, the same dumps as topo's read-back of
#               topo's running chain (right after topo's up-noop), answers
#               thrown away
#   ip-batch    the floor's plan as `ip -batch`: one ip for namespaces and
#               veths, then one `ip -n NS -batch` per node (ip's batch mode
#               cannot switch namespace per line)
#   ip-cmd      the same plan, one `ip` process per command
#   mininet     (--mininet) Mininet 2.3 hosts only, no switch, no controller,
#               the same links, addresses, routes and forwarding
# all in one run on this machine, median of RUNS (3) runs per N.
#
# "freed" is the time from the start of the teardown until the kernel has
# taken every namespace up for destruction: namespaces die asynchronously
# (cleanup_net work) after the last reference goes. Just before the
# teardown each namespace gets an nsid in the host namespace (`ip netns set
# NAME auto`; an nsid holds no reference) and we poll `ip netns list-id`
# until the kernel has dropped all of them, which cleanup_net() does as it
# starts on each batch of dying namespaces; the device teardown inside that
# work comes after, so this is a lower bound of "really freed". (The
# net_namespace slab count in /proc/slabinfo would show the end, but SLUB's
# counts lag by seconds and include other users' namespaces.) Not measured
# for Mininet (its namespaces have no names).
#
# Memory: topo's peak RSS ("Maximum resident set size" of /usr/bin/time -v)
# for `up` from nothing and for `probe`; kernel memory per node as the drop
# of MemAvailable and the rise of Slab (/proc/meminfo) across `topo up`,
# divided by N.
#
# Output: a table with ratios on stdout, bench/out/{runs,summary,memory}.csv
# and bench/out/bench.png (gnuplot: seconds against N, log-log).
#
#   scripts/bench.sh [--big] [--mininet] [--runs R] [--sizes "N..."] [--methods "M..."]
#                    [--no-plot] [--append] [--multihost]
#   --append  add to the runs already in bench/out (e.g. a separate
#             `--sizes 5000 --runs 1`) instead of starting over
#   --methods run only these (of topo floor floor-j2 ip-batch ip-cmd mininet)
#   --big     add N = 5000            TOPO=, FLOOR=: binaries to use (default:
#   --mininet add Mininet             built into build-bench/ with CMake)
#   --multihost  then scripts/bench-multihost.sh (RUNS runs): a 900-node grid on
#             one host and across three simulated hosts, side by side
#
# Needs root. Installs what it lacks with apt-get (time, gnuplot-nox,
# mininet). Cleans up everything it made, also on Ctrl-C. Lab names start
# with "bench".
set -euo pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
SIZES="100 1000"
RUNS=3
MININET=0
ONLY=
PLOT=1
APPEND=0
MULTIHOST=0
while [ $# -gt 0 ]; do
	case $1 in
	--big) SIZES="$SIZES 5000" ;;
	--mininet) MININET=1 ;;
	--runs) RUNS=$2; shift ;;
	--sizes) SIZES=$2; shift ;;
	--methods) ONLY=$2; shift ;;
	--no-plot) PLOT=0 ;;
	--append) APPEND=1 ;;
	--multihost) MULTIHOST=1 ;;
	-h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench: unknown argument '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done
for m in $ONLY; do
	case $m in
	topo|floor|floor-j2|ip-batch|ip-cmd) ;;
	mininet) MININET=1 ;;
	*) echo "bench: unknown method '$m' (see --help)" >&2; exit 2 ;;
	esac
done
[ "$(id -u)" = 0 ] || { echo "bench: needs root (network namespaces)" >&2; exit 1; }

# ---- tools ----
APT_UPDATED=0
need() {	# need CHECK-COMMAND PACKAGE
	if ! eval "$1" >/dev/null 2>&1; then
		echo "bench: installing $2" >&2
		if [ $APT_UPDATED = 0 ]; then apt-get update -q >/dev/null; APT_UPDATED=1; fi
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null
	fi
}
need "test -x /usr/bin/time" time
need "command -v ip" iproute2
[ $PLOT = 0 ] || need "command -v gnuplot" gnuplot-nox
[ $MININET = 0 ] || need "/usr/bin/python3 -c 'import mininet.net'" mininet

source "$SRC/scripts/bench-lib.bash"
BUILD=${TOPO_BUILD:-$SRC/build-bench}
if [ -z "${TOPO:-}" ] || [ -z "${FLOOR:-}" ]; then
	bench_build bench topo topo-floor
fi
TOPO=${TOPO:-$BUILD/topo}
FLOOR=${FLOOR:-$BUILD/topo-floor}

OUT=$SRC/bench/out
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/topo-bench.XXXXXX)
LOG=$WORK/log
LABS_NS="bench-floor bench-floor2 bench-ipb bench-ipc"
MN_PID=

# ---- cleanup, also on Ctrl-C ----
cleanup() {
	local rc=$? f
	set +e
	trap '' INT TERM
	if [ -n "$MN_PID" ]; then kill -INT "$MN_PID" 2>/dev/null; wait "$MN_PID" 2>/dev/null; fi
	"$TOPO" down bench-topo >/dev/null 2>&1
	for lab in $LABS_NS; do
		for f in /run/netns/"$lab"-n*; do
			[ -e "$f" ] && ip netns del "${f##*/}" 2>/dev/null
		done
	done
	sysctl_restore
	rm -rf "$WORK"
	exit $rc
}
trap cleanup EXIT
trap 'echo "bench: interrupted, cleaning up" >&2; exit 130' INT TERM

# Mininet raises machine-wide limits as it starts (mininet.util.fixLimits:
# socket buffers, backlog, neighbour tables, ptys) and never lowers them.
if [ $MININET = 1 ]; then
	for key in net.core.wmem_max net.core.rmem_max net.ipv4.tcp_rmem net.ipv4.tcp_wmem \
		net.core.netdev_max_backlog net.ipv4.neigh.default.gc_thresh1 \
		net.ipv4.neigh.default.gc_thresh2 net.ipv4.neigh.default.gc_thresh3 \
		net.ipv4.route.max_size kernel.pty.max fs.file-max; do
		sysctl_keep "$key"
	done
fi

# Chains of 1000+ nodes need more neighbour entries than the machine-wide
# default (gc_thresh3 = 1024, shared by all namespaces); put them back after.
neigh_room "$(tr ' ' '\n' <<<"$SIZES" | sort -n | tail -1)"

# ---- measuring ----
now() { echo "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }'; }

# run CMD...: run quietly (output in the log); on failure show the log and stop.
run() {
	if ! "$@" >>"$LOG" 2>&1; then
		echo "bench: failed: $*" >&2
		tail -n 20 "$LOG" >&2
		exit 1
	fi
}

# timed PHASE CMD...: run CMD, record its wall time for PHASE.
timed() {
	local phase=$1 t0
	shift
	t0=$(now)
	run "$@"
	record "$phase" "$(since "$t0")"
}

record() { echo "$METHOD,$N,$1,$R,$2" >>"$OUT/runs.csv"; }

# The kernel frees a namespace asynchronously, some time after its last
# reference goes. Each namespace gets an nsid in the host namespace just
# before the teardown (an nsid holds no reference); the kernel drops it in
# cleanup_net() when it takes that namespace up for destruction. (The
# net_namespace slab count would show the very end, but SLUB's slabinfo
# counts lag by seconds and include other users' namespaces.)
# mark_nsids LAB: give LAB's namespaces nsids, remember them.
mark_nsids() {
	ls /run/netns | awk -v p="$1-n" 'index($0, p) == 1 { print "netns set " $0 " auto" }' \
		>"$WORK/nsid.batch"
	ip -batch "$WORK/nsid.batch" >>"$LOG" 2>&1 || true
	ip netns list-id | awk -v p="(iproute2 netns name: $1-n" 'index($0, p) { print $2 }' |
		sort >"$WORK/nsids"
}

# freed T0: wait until none of the marked nsids is left.
freed() {
	local t0=$1 deadline=$((SECONDS + 300))
	[ -s "$WORK/nsids" ] || { record freed NaN; return 0; }
	# (no `| grep -q` here: under pipefail an early grep exit fails the pipe)
	while [ -n "$(ip netns list-id | awk '{ print $2 }' | sort | comm -12 - "$WORK/nsids")" ]; do
		if [ $SECONDS -gt $deadline ]; then
			echo "bench: $METHOD N=$N: namespaces not taken up by the kernel after 300 s" >&2
			record freed NaN
			return 0
		fi
		sleep 0.02
	done
	record freed "$(since "$t0")"
}

meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }

# settle: give every method the same start. /run here is ext4 without a
# journal, where a new inode skips every inode of its group deleted in the
# last 60 s (5 min while its inode table block is dirty) whose table block
# is still cached (fs/ext4/ialloc.c, recently_deleted()): right after a
# teardown of 1000 namespaces, each placeholder in /run/netns costs ~0.5 ms
# instead of 15-70 us, a penalty that falls on whichever method runs next.
# Writing back and dropping the clean cache ends it (at the price of a few
# cold reads, the same for all). Then wait (at most 5 s) for the CPUs to go
# idle: the kernel destroys the previous method's namespaces asynchronously.
settle() {
	local b1 i1 b2 i2 k
	sync
	echo 1 >/proc/sys/vm/drop_caches
	for k in $(seq 1 10); do
		read -r b1 i1 < <(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $5 + $6 }' /proc/stat)
		sleep 0.5
		read -r b2 i2 < <(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $5 + $6 }' /proc/stat)
		[ $((20 * (b2 - b1))) -gt $((b2 - b1 + i2 - i1)) ] || break	# under 5% busy
	done
}

# ---- the methods ----
bench_topo() {
	local f=$WORK/chain-$N.yaml f2=$WORK/chain-$N-plus.yaml t0 before avail slab rss
	"$TOPO" generate chain "$N" --name bench-topo >"$f"
	# One more link, a second one between the last two nodes, in the next /30
	# of the plan (so that every node's routes already cover it).
	local off=$((4 * (N - 1)))
	local a b
	a=$(printf '10.%d.%d.%d' $(((off + 1) >> 16 & 255)) $(((off + 1) >> 8 & 255)) $(((off + 1) & 255)))
	b=$(printf '10.%d.%d.%d' $(((off + 2) >> 16 & 255)) $(((off + 2) >> 8 & 255)) $(((off + 2) & 255)))
	awk -v l="  - endpoints: [\"n$((N - 1)):eth9 $a/30\", \"n$N:eth9 $b/30\"]" \
		'/^probes:/ { print l } { print }' "$f" >"$f2"
	settle
	avail=$(meminfo MemAvailable); slab=$(meminfo Slab)
	t0=$(now)
	run /usr/bin/time -v -o "$WORK/time-up" "$TOPO" up "$f" --no-probe -q
	record up "$(since "$t0")"
	rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$WORK/time-up")
	echo "$N,$R,up,$rss,$(((avail - $(meminfo MemAvailable)) / N)),$((($(meminfo Slab) - slab) / N))" \
		>>"$OUT/memory.csv"
	timed up-noop "$TOPO" up "$f" --no-probe -q
	METHOD=floor timed read "$FLOOR" read "$N" --name bench-topo -j 1
	METHOD=floor-j2 timed read "$FLOOR" read "$N" --name bench-topo -j 2
	timed up-add-link "$TOPO" up "$f2" --no-probe -q
	t0=$(now)
	run /usr/bin/time -v -o "$WORK/time-probe" "$TOPO" probe "$f2"
	record probe "$(since "$t0")"
	rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$WORK/time-probe")
	echo "$N,$R,probe,$rss,," >>"$OUT/memory.csv"
	mark_nsids bench-topo
	t0=$(now)
	run "$TOPO" down bench-topo
	record down "$(since "$t0")"
	freed "$t0"
}

bench_floor() {	# LAB THREADS
	local lab=$1 j=$2 t0 before
	settle
	timed up "$FLOOR" up "$N" --name "$lab" -j "$j"
	mark_nsids "$lab"
	t0=$(now)
	run "$FLOOR" down "$N" --name "$lab"
	record down "$(since "$t0")"
	freed "$t0"
}

# The floor's plan split for ip -batch: root.batch, then NS.batch per node.
ip_batch_prepare() {
	local dir=$WORK/ipb-$N
	rm -rf "$dir"; mkdir -p "$dir/ns"
	"$FLOOR" plan "$N" --name bench-ipb >"$dir/plan"
	awk -F'\t' '$1 == "-" { print $2 }' "$dir/plan" >"$dir/root.batch"
	awk -F'\t' '$1 != "-"' "$dir/plan" | sort -s -t$'\t' -k1,1 |
		awk -F'\t' -v d="$dir/ns" '$1 != cur { if (cur != "") close(f); cur = $1; f = d "/" $1 } { print $2 > f }'
	sed -n 's/^-\tnetns add /netns del /p' "$dir/plan" >"$dir/down.batch"
}

ip_batch_up() {
	local dir=$WORK/ipb-$N f
	ip -batch "$dir/root.batch" || return 1
	for f in "$dir"/ns/*; do
		ip -n "${f##*/}" -batch "$f" || return 1
	done
}

bench_ip_batch() {
	local t0 before
	ip_batch_prepare
	settle
	timed up ip_batch_up
	mark_nsids bench-ipb
	t0=$(now)
	run ip -batch "$WORK/ipb-$N/down.batch"
	record down "$(since "$t0")"
	freed "$t0"
}

ip_cmd_up() {
	local ns args
	while IFS=$'\t' read -r ns args; do
		# shellcheck disable=SC2086 # ARGS are ip words
		if [ "$ns" = - ]; then ip $args || return 1; else ip -n "$ns" $args || return 1; fi
	done <"$WORK/ipc-$N.plan"
}

ip_cmd_down() {
	local ns
	sed -n 's/^-\tnetns add //p' "$WORK/ipc-$N.plan" | while read -r ns; do ip netns del "$ns" || exit 1; done
}

bench_ip_cmd() {
	local t0 before
	"$FLOOR" plan "$N" --name bench-ipc >"$WORK/ipc-$N.plan"
	settle
	timed up ip_cmd_up
	mark_nsids bench-ipc
	t0=$(now)
	run ip_cmd_down
	record down "$(since "$t0")"
	freed "$t0"
}

# Mininet: hosts only, the same chain; addresses, routes and forwarding from
# the floor's plan, one shell command per host (Mininet's way).
cat >"$WORK/mn_chain.py" <<'PY'
import sys, time
from mininet.net import Mininet
from mininet.log import setLogLevel

setLogLevel('error')
n, plan = int(sys.argv[1]), sys.argv[2]
cmds = {}
for line in open(plan):
    ns, args = line.rstrip('\n').split('\t', 1)
    if ns == '-':
        if args.startswith('netns exec '):          # forwarding sysctls
            w = args.split(' ', 3)
            cmds.setdefault(w[2], []).append(w[3])
        continue
    if not args.startswith('link set'):             # Mininet brings links up
        cmds.setdefault(ns, []).append('ip ' + args)
t0 = time.time()
net = Mininet(topo=None, build=False, controller=None, autoSetMacs=False)
hosts = [net.addHost('h%d' % i, ip=None) for i in range(1, n + 1)]
for i in range(1, n):
    net.addLink(hosts[i - 1], hosts[i], intfName1='eth1', intfName2='eth0')
try:
    net.build()
    for i, h in enumerate(hosts, 1):
        c = cmds.get('bench-mn-n%d' % i)
        if c:
            out = h.cmd(' && '.join(c) + ' || echo FAILED')
            if 'FAILED' in out:
                sys.exit('mininet: h%d: %s' % (i, out))
    print('up %.3f' % (time.time() - t0), flush=True)
    if n >= 3:
        out = hosts[0].cmd('ping -c1 -W2 10.0.0.6')   # h3:eth0, two hops away
        if ' 0% packet loss' not in out:
            sys.exit('mininet: h1 cannot reach h3: ' + out)
finally:
    print('down_start %.6f' % time.time(), flush=True)
    t1 = time.time()
    net.stop()
    print('down %.3f' % (time.time() - t1), flush=True)
PY

bench_mininet() {
	"$FLOOR" plan "$N" --name bench-mn >"$WORK/mn-$N.plan"
	settle
	/usr/bin/python3 "$WORK/mn_chain.py" "$N" "$WORK/mn-$N.plan" >"$WORK/mn.out" 2>>"$LOG" &
	MN_PID=$!
	if ! wait "$MN_PID"; then
		MN_PID=
		echo "bench: mininet failed" >&2; tail -n 20 "$LOG" >&2; exit 1
	fi
	MN_PID=
	record up "$(awk '$1 == "up" { print $2 }' "$WORK/mn.out")"
	record down "$(awk '$1 == "down" { print $2 }' "$WORK/mn.out")"
	# Mininet's namespaces have no names to hang an nsid on: no "freed".
}

# ---- run ----
METHODS="topo floor floor-j2 ip-batch ip-cmd"
[ $MININET = 0 ] || METHODS="$METHODS mininet"
[ -z "$ONLY" ] || METHODS=$ONLY
if [ $APPEND = 0 ] || [ ! -s "$OUT/runs.csv" ]; then
	echo "method,n,phase,run,seconds" >"$OUT/runs.csv"
	echo "n,run,command,topo_maxrss_kb,kernel_memavail_kb_per_node,slab_kb_per_node" >"$OUT/memory.csv"
fi
echo "bench: $(nproc) CPUs, kernel $(uname -r), sizes $SIZES, $RUNS runs, methods $METHODS" >&2
for N in $SIZES; do
	for R in $(seq 1 "$RUNS"); do
		for METHOD in $METHODS; do
			echo "bench: N=$N run $R: $METHOD" >&2
			case $METHOD in
			topo) bench_topo ;;
			floor) bench_floor bench-floor 1 ;;
			floor-j2) bench_floor bench-floor2 2 ;;
			ip-batch) bench_ip_batch ;;
			ip-cmd) bench_ip_cmd ;;
			mininet) bench_mininet ;;
			esac
		done
	done
done

# ---- report ----
# The table and the plot show every method with figures (also appended ones).
ALL_METHODS=
for m in topo floor floor-j2 ip-batch ip-cmd mininet; do
	! grep -q "^$m," "$OUT/runs.csv" || ALL_METHODS="$ALL_METHODS $m"
done
awk -F, 'NR > 1 { k = $1 "," $2 "," $3; v[k] = v[k] " " $5 }
	END { for (k in v) { n = split(substr(v[k], 2), a, " "); asort_(a, n)
		m = (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2; print k "," m } }
	function asort_(a, n,   i, j, t) { for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t } }' \
	"$OUT/runs.csv" | sort -t, -k2,2n -k1,1 -k3,3 | { echo "method,n,phase,median_s"; cat; } >"$OUT/summary.csv"

awk -F, -v methods="$ALL_METHODS" '
	NR > 1 { m[$1 "," $2 "," $3] = $4; ns[$2] = 1 }
	function g(k) { return (k in m) ? m[k] : "" }
	function f(x) { return x == "" ? "-" : sprintf("%.3f", x) }
	function r(a, b) { return (a == "" || b == "" || b + 0 == 0) ? "-" : sprintf("%.2fx", a / b) }
	function pc(a, b) { return (a == "" || b == "" || b + 0 == 0) ? "-" : sprintf("%.0f%%", 100 * a / b) }
	END {
		nm = split(methods, M, " ")
		printf "\nseconds, median of runs (up: from nothing, no probes; read: the floor reading the running topo chain back; freed: from down until the kernel took up every namespace for destruction)\n"
		printf "%-6s %-9s %9s %9s %9s %9s %9s %9s %9s %9s\n", "N", "method", "up", "up-noop", "up+link", "read", "probe", "down", "freed", "up/floor"
		for (n in ns) order[++k] = n + 0
		for (i = 1; i <= k; i++) for (j = i; j > 1 && order[j - 1] > order[j]; j--) { t = order[j]; order[j] = order[j - 1]; order[j - 1] = t }
		for (i = 1; i <= k; i++) {
			n = order[i]
			for (x = 1; x <= nm; x++) {
				p = M[x] "," n ","
				if (g(p "up") == "") continue
				printf "%-6s %-9s %9s %9s %9s %9s %9s %9s %9s %9s\n", n, M[x], f(g(p "up")), f(g(p "up-noop")),
					f(g(p "up-add-link")), f(g(p "read")), f(g(p "probe")), f(g(p "down")), f(g(p "freed")),
					r(g(p "up"), g("floor," n ",up"))
			}
			printf "%-6s ratios: topo/floor up %s (topo/floor-j2 %s), freed %s; topo up-noop %s, up+link %s of up;", n,
				r(g("topo," n ",up"), g("floor," n ",up")), r(g("topo," n ",up"), g("floor-j2," n ",up")),
				r(g("topo," n ",freed"), g("floor," n ",freed")),
				pc(g("topo," n ",up-noop"), g("topo," n ",up")), pc(g("topo," n ",up-add-link"), g("topo," n ",up"))
			printf " topo up-noop/floor-j2 read %s (floor-j2 read is %s of topo up);",
				r(g("topo," n ",up-noop"), g("floor-j2," n ",read")), pc(g("floor-j2," n ",read"), g("topo," n ",up"))
			for (x = 1; x <= nm; x++)
				if (M[x] != "topo" && M[x] != "floor" && g(M[x] "," n ",up") != "")
					printf " %s/topo up %s;", M[x], r(g(M[x] "," n ",up"), g("topo," n ",up"))
			printf "\n"
		}
	}' "$OUT/summary.csv"

awk -F, 'NR > 1 && $3 == "up" { rss[$1] = rss[$1] " " $4; mem[$1] = mem[$1] " " $5; slab[$1] = slab[$1] " " $6 }
	NR > 1 && $3 == "probe" { prss[$1] = prss[$1] " " $4 }
	END { printf "\nmemory (each run): topo peak RSS kB for up | for probe; kernel kB per node: MemAvailable drop | Slab rise\n"
		for (n in rss) printf "N=%-6s RSS up:%s | probe:%s; per node MemAvailable:%s | Slab:%s\n", n, rss[n], prss[n], mem[n], slab[n] }' \
	"$OUT/memory.csv"

if [ $PLOT = 1 ]; then
	plot=""
	for m in $ALL_METHODS; do
		awk -F, -v m="$m" '$1 == m && $3 == "up" { print $2, $4 }' "$OUT/summary.csv" | sort -n >"$WORK/plot-$m.dat"
		[ -s "$WORK/plot-$m.dat" ] && plot="$plot${plot:+, }'$WORK/plot-$m.dat' using 1:2 with linespoints title '$m'"
	done
	gnuplot <<-GP
		set terminal png size 900,600 noenhanced
		set output '$OUT/bench.png'
		set title 'chain of N nodes from nothing (median of runs, $(nproc) CPUs)'
		set xlabel 'N (nodes)'
		set ylabel 'seconds'
		set logscale xy
		set key top left
		set grid
		plot $plot
	GP
	echo "bench: plot in $OUT/bench.png" >&2
fi
echo "bench: figures in $OUT/runs.csv, summary.csv, memory.csv" >&2
[ $MULTIHOST = 0 ] || TOPO=$TOPO "$SRC/scripts/bench-multihost.sh" --runs "$RUNS"
