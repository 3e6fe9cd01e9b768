# Impairments that need no netem, with real traffic: `rate` alone is tbf
# and carries what it says (iperf3, +-15%); `loss: 100%` on one endpoint
# is a blackhole that cuts one direction only; a figure changed in the
# file is changed in place; a qdisc set by hand is shown and put back;
# removing `impair:` restores the kernel's default. A kernel without
# sch_netem refuses a netem impairment before changing anything.
source "$(dirname "$0")/lib.sh"
need_tool iperf3
lab t-imp

write() {	# RATE ENDPOINT_IMPAIR
	cat >"$T_DIR/lab.yaml" <<-EOF2
	name: t-imp
	nodes: { h1: {}, h2: {}, h3: {} }
	links:
	  - endpoints: ["h1:eth0 10.71.1.1/24", "h2:eth0 10.71.1.2/24"]
	    ${1:+impair: { rate: $1 \}}
	  - endpoints:
	      - { node: h2, iface: eth1, addresses: [10.71.2.2/24]${2:+, impair: $2} }
	      - { node: h3, iface: eth0, addresses: [10.71.2.3/24] }
	EOF2
}

qdisc() { tc -n "t-imp-$1" qdisc show dev "$2" | head -1; }
sent() { tc -s -n "t-imp-$1" qdisc show dev "$2" | awk '/Sent/ { print $2; exit }'; }

write 10mbit "{ loss: 100% }"
run_topo 0 up "$T_DIR/lab.yaml" --no-probe
contains "$(qdisc h1 eth0)" "qdisc tbf 7474: root" "h1:eth0's qdisc"
contains "$(qdisc h2 eth0)" "qdisc tbf 7474: root" "h2:eth0's qdisc"
contains "$(qdisc h2 eth1)" "qdisc blackhole 7475: root" "h2:eth1's qdisc"
contains "$(qdisc h3 eth0)" "qdisc noqueue 0: root" "h3:eth0's qdisc"
# up measured each impaired link: the rate out of both ends, the cut
contains "$OUT" "impair h1:eth0 - h2:eth0: RTT min"
grep -qE "^impair h1:eth0 - h2:eth0: .*h1 sends [0-9.]+ Mbit/s \(10\), h2 sends [0-9.]+ Mbit/s \(10\): ok$" <<<"$OUT" ||
	fail "the rate was not measured as 10mbit: $OUT"
contains "$OUT" "impair h2:eth1 - h3:eth0: 100 of 100 lost (100..100): ok"
run_topo 0 plan "$T_DIR/lab.yaml"
contains "$OUT" "No changes"
run_topo 0 status t-imp
contains "$OUT" "10.71.1.1/24 impair rate 10mbit"
contains "$OUT" "10.71.2.2/24 impair loss 100% (blackhole)"
run_topo 0 status t-imp --json
python3 -c '
import json, sys
d = json.load(sys.stdin)
imp = {(n["node"], i["name"]): i.get("impair") for n in d["nodes"] for i in n["interfaces"]}
assert imp[("h1", "eth0")]["qdisc"] == "tbf" and imp[("h1", "eth0")]["rate_bps"] == 10000000, imp
assert imp[("h2", "eth1")]["qdisc"] == "blackhole", imp
assert imp[("h3", "eth0")] is None, imp
' <<<"$OUT" || fail "status --json: impairments"
pass "tbf on both ends, a blackhole on one, reconciled"

# save writes each end's impairment, and the saved file makes no change
run_topo 0 save t-imp
contains "$OUT" "iface: eth0, addresses: [10.71.1.1/24], mac:"
contains "$OUT" "impair: { rate: 10mbit, limit: 100 } }"
contains "$OUT" "impair: { loss: 100% } }"
echo "$OUT" >"$T_DIR/saved.yaml"
run_topo 0 plan "$T_DIR/saved.yaml"
contains "$OUT" "No changes"
pass "save keeps the impairments"

# a link that does not do what the file says fails up's check: h2 sends
# nothing back to h1 (a route added by hand), where no loss was declared
ip -n t-imp-h2 route add prohibit 10.71.1.1/32
run_topo 3 up "$T_DIR/lab.yaml" --no-probe
contains "$OUT" "impair h1:eth0 - h2:eth0: 50 of 50 lost (0..1): FAIL: "
contains "$OUT" "FAIL: 50 of 50 echoes lost, outside 0..1"
run_topo 3 up "$T_DIR/lab.yaml" --no-probe --json
python3 -c '
import json, sys
d = json.load(sys.stdin)
i = {c["from"]: c for c in d["impairments"]}
assert not i["h1:eth0"]["ok"] and i["h1:eth0"]["lost"] == 50, i
assert i["h2:eth1"]["ok"] and i["h2:eth1"]["lost_bound"] == [100, 100], i
' <<<"$OUT" || fail "up --json: impairments"
run_topo 0 up "$T_DIR/lab.yaml" --no-probe --no-verify-impair
lacks "$OUT" "impair h1"
ip -n t-imp-h2 route del prohibit 10.71.1.1/32
pass "a link that does not behave as declared fails up (exit 3); --no-verify-impair skips"

# the rate, measured: iperf3 h1 -> h2 for 3 s
ip netns exec t-imp-h2 iperf3 -s -1 -B 10.71.1.2 >/dev/null 2>&1 &
T_PIDS+=($!)
for _ in $(seq 50); do ss -N t-imp-h2 -ltn | grep -q ':5201' && break; sleep 0.1; done
ip netns exec t-imp-h1 iperf3 -c 10.71.1.2 -t 3 -J >"$T_DIR/iperf.json" || fail "iperf3 did not run"
mbit=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e6)' <"$T_DIR/iperf.json")
echo "measured: $mbit Mbit/s through rate: 10mbit"
python3 -c "import sys; sys.exit(0 if 8.5 <= $mbit <= 11.5 else 1)" || fail "rate 10mbit carried $mbit Mbit/s (outside +-15%)"
pass "rate 10mbit carries $mbit Mbit/s"

# one way: h2 -> h3 dropped, h3 -> h2 still arrives. h2's ARP replies are
# cut too, so h3 is given h2's MAC by hand to send anything at all.
mac=$(ip netns exec t-imp-h2 cat /sys/class/net/eth1/address)
ip -n t-imp-h3 neigh replace 10.71.2.2 lladdr "$mac" dev eth0 nud permanent
before=$(ip netns exec t-imp-h2 cat /sys/class/net/eth1/statistics/rx_packets)
h3before=$(ip netns exec t-imp-h3 cat /sys/class/net/eth0/statistics/rx_packets)
ip netns exec t-imp-h3 ping -c 5 -i 0.2 -W 1 10.71.2.2 >/dev/null 2>&1 && fail "h3 got replies through the cut"
after=$(ip netns exec t-imp-h2 cat /sys/class/net/eth1/statistics/rx_packets)
h3after=$(ip netns exec t-imp-h3 cat /sys/class/net/eth0/statistics/rx_packets)
[ $((after - before)) -ge 5 ] || fail "h3 -> h2 did not arrive ($before -> $after packets)"
[ "$h3after" = "$h3before" ] || fail "h2 -> h3 got through the blackhole ($h3before -> $h3after)"
pass "loss: 100% on h2:eth1 drops h2 -> h3 only"

# a figure changed in the file: in place (the qdisc keeps its handle and counters)
s1=$(sent h1 eth0)
[ "$s1" -gt 1000000 ] || fail "tbf on h1:eth0 sent only $s1 bytes"
write 20mbit "{ loss: 100% }"
run_topo 2 plan "$T_DIR/lab.yaml"
contains "$OUT" "~ link t-imp-h1:eth0 impair rate 10mbit limit 151400 bytes -> rate 20mbit limit 151400 bytes"
contains "$OUT" "Plan: 0 to add, 2 to change, 0 to destroy."
run_topo 0 up "$T_DIR/lab.yaml" --no-probe --no-verify-impair
contains "$(qdisc h1 eth0)" "qdisc tbf 7474: root refcnt 3 rate 20Mbit"
s2=$(sent h1 eth0)
[ "$s2" -ge "$s1" ] || fail "the qdisc was made again (sent $s1 -> $s2 bytes), not changed in place"
pass "rate 10mbit -> 20mbit in place"

# set by hand: shown by plan and status, put back by up
tc -n t-imp-h3 qdisc add dev eth0 root tbf rate 1mbit burst 10k latency 10ms
run_topo 2 plan "$T_DIR/lab.yaml"
contains "$OUT" "~ link t-imp-h3:eth0 impair rate 1mbit"
contains "$OUT" "(set by hand: tbf 8"
run_topo 0 status t-imp
contains "$OUT" "(set by hand: tbf 8"
run_topo 0 up "$T_DIR/lab.yaml" --no-probe --no-verify-impair
contains "$(qdisc h3 eth0)" "qdisc noqueue 0: root" "h3:eth0 after up"
pass "a qdisc set by hand is drift, put back by up"

# topo impair: a fault at run time, drift until up
run_topo 0 impair t-imp h2:eth0 --rate 1mbit
contains "$OUT" "h2:eth0 of lab t-imp: impair rate 1mbit"
contains "$(qdisc h2 eth0)" "qdisc tbf 7474: root refcnt 3 rate 1Mbit"
run_topo 0 impair "$T_DIR/lab.yaml" h3:eth0 --loss 100%
contains "$(qdisc h3 eth0)" "qdisc blackhole 7475: root"
run_topo 2 plan "$T_DIR/lab.yaml"
contains "$OUT" "~ link t-imp-h2:eth0 impair rate 1mbit limit 151400 bytes -> rate 20mbit limit 151400 bytes"
contains "$OUT" "~ link t-imp-h3:eth0 impair loss 100% (blackhole) -> none"
run_topo 0 impair t-imp h2:eth0 --clear
contains "$(qdisc h2 eth0)" "qdisc noqueue 0: root"
run_topo 0 up "$T_DIR/lab.yaml" --no-probe --no-verify-impair
contains "$(qdisc h2 eth0)" "qdisc tbf 7474: root refcnt 3 rate 20Mbit"
contains "$(qdisc h3 eth0)" "qdisc noqueue 0: root"
# refusals, each changing nothing
run_topo 1 impair t-imp h2:lo --rate 1mbit
contains "$ERR" "h2:lo is not an interface lab t-imp made (no mark 'topo:t-imp')"
run_topo 1 impair t-imp h9:eth0 --rate 1mbit
contains "$ERR" "lab t-imp has no node h9 on this machine"
run_topo 1 impair t-imp h2:eth7 --rate 1mbit
contains "$ERR" "node h2 of lab t-imp has no interface 'eth7'"
run_topo 1 impair t-imp h2:eth0 --jitter 1ms
contains "$ERR" "--jitter needs --delay"
run_topo 1 impair t-imp h2:eth0 --rate 10
contains "$ERR" "invalid --rate '10'"
run_topo 1 impair t-imp h2:eth0
contains "$ERR" "give the impairment (--delay, --loss, --rate...) or --clear, not neither"
run_topo 1 impair t-imp h2:eth0 --clear --loss 1%
contains "$ERR" "not both"
run_topo 1 impair t-imp-nope h2:eth0 --clear
contains "$ERR" "lab t-imp-nope is not up"
contains "$(qdisc h2 eth0)" "qdisc tbf 7474: root refcnt 3 rate 20Mbit" "h2:eth0 after the refusals"
pass "topo impair: set, cleared, shown as drift, put back by up; refusals"

# impair: taken out of the file: the default comes back
write "" ""
run_topo 2 plan "$T_DIR/lab.yaml"
contains "$OUT" "-> none"
run_topo 0 up "$T_DIR/lab.yaml" --no-probe --no-verify-impair
for e in "h1 eth0" "h2 eth0" "h2 eth1"; do
	contains "$(qdisc $e)" "qdisc noqueue 0: root" "$e after impair was removed"
done
# (h2 may hold a failed ARP entry for h3 from the cut: a few pings, one reply is enough)
ip netns exec t-imp-h2 ping -c 3 -i 0.5 -W 2 10.71.2.3 >"$T_DIR/ping" 2>&1 || fail "h2 -> h3 still cut after the impairment went: $(cat "$T_DIR/ping"; ip -n t-imp-h2 neigh; tc -s -n t-imp-h2 qdisc show dev eth1)"
pass "removing impair: restores noqueue"

# netem: refused up front on a kernel without it
if ip netns exec t-imp-h1 tc qdisc add dev lo root netem delay 1ms 2>/dev/null; then
	ip netns exec t-imp-h1 tc qdisc del dev lo root
	echo "note: this kernel has netem; the refusal is not tested here"
else
	cat >"$T_DIR/netem.yaml" <<-EOF2
	name: t-imp2
	nodes: { a: {}, b: {} }
	links:
	  - endpoints: ["a:eth0", "b:eth0"]
	    impair: { delay: 20ms, loss: 1% }
	EOF2
	lab t-imp2
	run_topo 1 up "$T_DIR/netem.yaml"
	contains "$ERR" "eth0 of node a needs netem (impair: delay 20ms loss 1% limit 35000)"
	contains "$ERR" "has no sch_netem"
	contains "$ERR" "Nothing was changed."
	! grep -q '^t-imp2-' <<<"$(ls /run/netns)" || fail "a refused up made namespaces"
	[ ! -e /run/topo/t-imp2 ] || fail "a refused up left /run/topo/t-imp2"
	pass "no netem: refused before any change"
fi
