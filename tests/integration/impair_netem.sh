# netem impairments with real traffic, on a kernel that has sch_netem
# (scripts/test.sh runs this on Debian's stock kernel in a QEMU guest):
# a delay shows in the RTT, a loss lands within its binomial bound, a
# changed delay is changed in place, a distribution's table loads, and
# removing impair: restores the default qdisc.
# labels: stock-kernel
source "$(dirname "$0")/lib.sh"
own_netns t-impn-try
ip netns exec t-impn-try tc qdisc add dev lo root netem delay 1ms 2>/dev/null ||
	skip "this kernel has no sch_netem (scripts/test.sh runs this test on Debian's stock kernel)"
lab t-impn

write() {	# LINK_IMPAIR A_IMPAIR
	cat >"$T_DIR/lab.yaml" <<-EOF2
	name: t-impn
	nodes: { a: {}, b: {} }
	links:
	  - endpoints:
	      - { node: a, iface: eth0, addresses: [10.72.0.1/24]${2:+, impair: $2} }
	      - { node: b, iface: eth0, addresses: [10.72.0.2/24] }
	    ${1:+impair: $1}
	EOF2
}
qdisc() { tc -n "t-impn-$1" qdisc show dev eth0 | head -1; }
sent() { tc -s -n "t-impn-$1" qdisc show dev eth0 | awk '/Sent/ { print $2; exit }'; }
# ping_stats COUNT INTERVAL: "received min_rtt_ms" of a -> b
ping_stats() {
	ip netns exec t-impn-a ping -q -n -c "$1" -i "$2" -W 2 10.72.0.2 >"$T_DIR/ping" 2>&1 || true
	awk '/received/ { for (i = 1; i <= NF; i++) if ($(i + 1) ~ /^received/) r = $i }
	     /^rtt|^round-trip/ { split($4, v, "/"); m = v[1] }
	     END { print r + 0, m + 0 }' "$T_DIR/ping"
}

write "{ delay: 20ms }" ""
run_topo 0 up "$T_DIR/lab.yaml" --no-probe
contains "$(qdisc a)" "qdisc netem 7470: root"
contains "$(qdisc b)" "qdisc netem 7470: root"
contains "$(qdisc a)" "delay 20ms"
run_topo 0 plan "$T_DIR/lab.yaml"
contains "$OUT" "No changes"
read -r got min <<<"$(ping_stats 5 0.2)"
echo "delay 20ms each way: $got of 5 replies, min RTT $min ms"
[ "$got" -ge 4 ] || fail "delay 20ms lost replies: $(cat "$T_DIR/ping")"
awk -v m="$min" 'BEGIN { exit !(m >= 40) }' || fail "RTT $min ms is below 2 x 20 ms"
pass "delay 20ms gives RTT >= 40 ms ($min ms)"

# loss 10% on a's egress only: the requests. Binomial(2000, 0.1) has mean
# 200 and deviation 13.4; 4.5 deviations either side fail a correct netem
# about once in 150,000 runs.
write "{ delay: 20ms }" "{ loss: 10% }"
run_topo 2 plan "$T_DIR/lab.yaml"
contains "$OUT" "~ link t-impn-a:eth0 impair delay 20ms limit 35000 -> delay 20ms loss 10% limit 35000"
contains "$OUT" "Plan: 0 to add, 1 to change, 0 to destroy."
run_topo 0 up "$T_DIR/lab.yaml" --no-probe
read -r got min <<<"$(ping_stats 2000 0.002)"
lost=$((2000 - got))
echo "loss 10%: $lost of 2000 lost"
[ "$lost" -ge 140 ] && [ "$lost" -le 260 ] || fail "loss 10% lost $lost of 2000 (bound 140..260): $(cat "$T_DIR/ping")"
pass "loss 10% lost $lost of 2000"

# a changed delay: in place, the handle and the counters stay
s1=$(sent a)
write "{ delay: 30ms }" "{ loss: 10% }"
run_topo 0 up "$T_DIR/lab.yaml" --no-probe
contains "$(qdisc a)" "qdisc netem 7470: root"
contains "$(qdisc a)" "delay 30ms"
s2=$(sent a)
[ "$s2" -ge "$s1" ] && [ "$s1" -gt 0 ] || fail "the netem was made again (sent $s1 -> $s2 bytes)"
pass "delay 20ms -> 30ms in place"

# a distribution: its table from iproute2's files, its own handle
write "{ delay: 30ms, jitter: 5ms, distribution: normal }" ""
run_topo 0 up "$T_DIR/lab.yaml" --no-probe
contains "$(qdisc b)" "qdisc netem 7471: root"
run_topo 0 plan "$T_DIR/lab.yaml"
contains "$OUT" "No changes"
run_topo 0 status t-impn
contains "$OUT" "impair delay 30ms jitter 5ms distribution normal"
pass "distribution normal"

# impair: removed: the default qdisc again
write "" ""
run_topo 0 up "$T_DIR/lab.yaml" --no-probe
contains "$(qdisc a)" "qdisc noqueue 0: root"
contains "$(qdisc b)" "qdisc noqueue 0: root"
read -r got min <<<"$(ping_stats 3 0.2)"
awk -v m="$min" 'BEGIN { exit !(m < 10) }' || fail "RTT $min ms after the delay was removed"
pass "removing impair: restores noqueue"
