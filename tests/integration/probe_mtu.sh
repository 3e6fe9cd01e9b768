#!/bin/bash
# Probes that see what a bad path does. h1 - r - h2, r's far side and h2 at
# MTU 1400: a 1472-byte echo with DF (a 1500-byte packet) fails while 1300
# bytes pass, in a black hole (r's "fragmentation needed" dropped by an
# nftables rule in r) with the timeout's reason, and with r's error let
# through first as that error, then as the source's own EMSGSIZE; without
# DF, r fragments and it passes. IPv6 the same with "packet too big" (1452
# bytes make 1500). count/interval send that many packets (an
# nftables counter and r's interface counters), spaced; min_rtt fails a
# faster answer. The report shows size and df.
source "$(dirname "$0")/lib.sh"
need_tool nft "blocks r's ICMP errors"
source "$(dirname "$0")/probe-helpers.bash"

L=pmtu
lab $L
cat >"$T_DIR/lab.yaml" <<'YAML'
name: pmtu
nodes:
  r: { kind: router }
  h1: { routes: [default via 10.0.1.1, "default via 2001:db8:1::1"] }
  h2: { routes: [default via 10.0.2.1, "default via 2001:db8:2::1"] }
links:
  - endpoints: ["h1:eth0 10.0.1.2/24 2001:db8:1::2/64", "r:eth1 10.0.1.1/24 2001:db8:1::1/64"]
  - endpoints: ["r:eth2 10.0.2.1/24 2001:db8:2::1/64", "h2:eth0 10.0.2.2/24 2001:db8:2::2/64"]
    mtu: 1400
YAML
run_topo 0 up "$T_DIR/lab.yaml" --no-probe
nsexec $L-r nft -f - <<'NFT' || skip "nftables: cannot add a table in a namespace"
table ip pmtu {
	counter echoes { }
	chain in { type filter hook input priority 0; icmp type echo-request counter name echoes; }
	chain out { type filter hook output priority 0; icmp type destination-unreachable icmp code frag-needed drop; }
}
table ip6 pmtu {
	chain out { type filter hook output priority 0; icmpv6 type packet-too-big drop; }
}
NFT

probes() {	# probes LINES...: the lab file with these probes
	{ cat "$T_DIR/lab.yaml"; echo "probes:"; printf '  - %s\n' "$@"; } >"$T_DIR/p.yaml"
}
row() { grep -E "$1" <<<"$OUT" || fail "no row matching '$1' in:"$'\n'"$OUT"; }

# The black hole: r drops the 1500-byte packet and its error.
probes "{ from: h1, to: 10.0.2.2, size: 1300, df: true }" \
	"{ from: h1, to: 10.0.2.2, size: 1472, df: true, timeout: 300ms }" \
	"{ from: h1, to: 10.0.2.2, size: 1472, df: true, proto: udp, port: 7, timeout: 300ms }" \
	"{ from: h1, to: 10.0.2.2, size: 1472 }"
run_topo 3 probe "$T_DIR/p.yaml"
contains "$OUT" "probes: 2 passed, 2 failed"
contains "$(row 'icmp size=1300 df ')" " ok "
contains "$(row 'icmp size=1472 df ')" "timeout: no reply to 1500-byte packets sent with DF"
contains "$(row 'udp/7 size=1472 df ')" "timeout: no reply to 1500-byte packets sent with DF"
# Without DF, r fragments it: the echo and its answer cross whole.
contains "$(row 'icmp size=1472 +reachable')" " ok "
pass "black hole: 1472 with DF fails, 1300 passes, 1472 without DF passes"

run_topo 3 probe "$T_DIR/p.yaml" --json
printf '%s' "$OUT" >"$T_DIR/out.json"
pr_py - "$T_DIR/out.json" <<'PY' || fail "json: size and df"
import json, sys
r = json.load(open(sys.argv[1]))["results"]
assert [(x.get("size"), x.get("df")) for x in r] == [(1300, True), (1472, True), (1472, True), (1472, None)], r
assert not r[1]["passed"] and r[1]["sent"] == 1 and r[1]["received"] == 0 and r[1]["loss_pct"] == 100, r[1]
PY
pass "json shows size and df"

# IPv6 (IPV6_DONTFRAG): r's "packet too big" dropped; routers never fragment.
probes "{ from: h1, to: \"2001:db8:2::2\", size: 1300, df: true }" \
	"{ from: h1, to: \"2001:db8:2::2\", size: 1452, df: true, timeout: 300ms }"
run_topo 3 probe "$T_DIR/p.yaml"
contains "$(row 'icmp size=1300 df ')" " ok "
contains "$(row 'icmp size=1452 df ')" "timeout: no reply to 1500-byte packets sent with DF"
pass "IPv6 black hole: 1452 with DF fails, 1300 passes"

# r's error gets through: the reason is r's, with its MTU; h1 learns the
# path MTU, and the next DF packet fails in h1 itself.
nsexec $L-r nft delete chain ip pmtu out
nsexec $L-r nft delete table ip6 pmtu
probes "{ from: h1, to: 10.0.2.2, size: 1472, df: true, timeout: 300ms }"
run_topo 3 probe "$T_DIR/p.yaml"
contains "$OUT" "ICMP fragmentation needed (code 4, mtu 1400) from 10.0.1.1"
run_topo 3 probe "$T_DIR/p.yaml"
contains "$OUT" "Message too long (in h1): a 1500-byte packet with DF is over the MTU of its route"
probes "{ from: h1, to: 10.0.2.2, size: 1472, df: true, proto: udp, port: 7, timeout: 300ms }"
run_topo 3 probe "$T_DIR/p.yaml"
contains "$OUT" "Message too long (in h1): a 1500-byte packet with DF is over the MTU of its route (1400)"
probes "{ from: h1, to: \"2001:db8:2::2\", size: 1452, df: true, timeout: 300ms }"
run_topo 3 probe "$T_DIR/p.yaml"
contains "$OUT" "ICMPv6 packet too big (mtu 1400) from 2001:db8:1::1"
run_topo 3 probe "$T_DIR/p.yaml"
contains "$OUT" "Message too long (in h1): a 1500-byte packet with DF is over the MTU of its route"
pass "fragmentation needed / packet too big, then EMSGSIZE in the source"

# count and interval: 20 echoes, 25 ms apart, each one on r's counters.
rx_before=$(nsexec $L-r cat /sys/class/net/eth1/statistics/rx_packets)
nsexec $L-r nft reset counter ip pmtu echoes >/dev/null
probes "{ from: h1, to: 10.0.1.1, count: 20, interval: 25ms }"
run_topo 0 probe "$T_DIR/p.yaml" --json
printf '%s' "$OUT" >"$T_DIR/out.json"
rx_after=$(nsexec $L-r cat /sys/class/net/eth1/statistics/rx_packets)
echoes=$(nsexec $L-r nft list counter ip pmtu echoes | grep -o 'packets [0-9]*' | cut -d' ' -f2)
[ "$echoes" = 20 ] || fail "r counted $echoes echo requests, expected 20"
rx=$((rx_after - rx_before))
[ "$rx" -ge 20 ] && [ "$rx" -le 23 ] || fail "r:eth1 received $rx packets, expected 20 (and at most an ARP exchange more)"
pr_py - "$T_DIR/out.json" <<'PY' || fail "json: count and spacing"
import json, sys
x = json.load(open(sys.argv[1]))["results"][0]
assert x["sent"] == 20 and x["received"] == 20 and x["loss_pct"] == 0, x
assert x["elapsed_s"] >= 19 * 0.025, x["elapsed_s"]	# the 20th left 475 ms after the first
assert x["rtt_ms"]["min"] <= x["rtt_ms"]["avg"] <= x["rtt_ms"]["max"], x
PY
pass "count 20, interval 25ms: 20 echoes, spaced"

# min_rtt: a veth answers in well under 50 ms.
probes "{ from: h1, to: 10.0.1.1, count: 3, interval: 1ms, min_rtt: 50ms }" \
	"{ from: h1, to: 10.0.1.1, min_rtt: 1us }"
run_topo 3 probe "$T_DIR/p.yaml"
contains "$OUT" "probes: 1 passed, 1 failed"
contains "$OUT" "under min_rtt 50.000 ms"
pass "min_rtt fails a faster answer"
