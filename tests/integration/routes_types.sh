#!/bin/bash
# Route types on a router in the middle, with real probes from a host on
# one side: an unreachable route answers ICMP host unreachable, a prohibit
# route administratively prohibited (IPv4 and IPv6), a blackhole drops (the
# probe times out), and all three pass as `expect: unreachable`. A throw
# route in main makes the lookup fall through to the `default` table (253),
# which the kernel's own rules consult after main: reachable there, while
# the blackhole around it drops the rest. Then the types change in place.
source "$(dirname "$0")/lib.sh"
L=t-rtypes
lab $L

# write_lab PROBES: the lab with the given probes.
write_lab() {
	cat >"$T_DIR/lab.yaml" <<YAML
name: $L
nodes:
  r1:
    kind: router
    # every ICMP error answered: the kernel's rate limit would turn some into timeouts
    sysctl: { net.ipv4.icmp_ratelimit: 0, net.ipv6.icmp.ratelimit: 0 }
    routes:
      - unreachable 10.70.1.0/24
      - prohibit 10.70.2.0/24
      - blackhole 10.70.3.0/24
      - "unreachable 2001:db8:71::/64"
      - { to: "2001:db8:72::/64", type: prohibit }
      - "unreachable ::/0"
      - blackhole 10.80.0.0/16
      - throw 10.80.4.0/24
      - 10.80.4.0/24 via 10.0.2.2 table default
  h1: { routes: [default via 10.0.1.1, "default via 2001:db8:1::1"] }
  h2:
    addresses: { lo: [10.80.4.1/32, 10.80.5.1/32] }
    routes: [default via 10.0.2.1]
links:
  - endpoints: ["h1:eth0 10.0.1.2/24 2001:db8:1::2/64", "r1:eth1 10.0.1.1/24 2001:db8:1::1/64"]
  - endpoints: ["h2:eth0 10.0.2.2/24", "r1:eth2 10.0.2.1/24"]
probes:
$1
YAML
}

write_lab '  - { from: h1, to: 10.70.1.1, timeout: 500ms }
  - { from: h1, to: 10.70.2.1, timeout: 500ms }
  - { from: h1, to: 10.70.3.1, timeout: 500ms }
  - { from: h1, to: "2001:db8:71::1", timeout: 500ms }
  - { from: h1, to: "2001:db8:72::1", timeout: 500ms }
  - { from: h1, to: 10.80.4.1, timeout: 500ms }
  - { from: h1, to: 10.80.5.1, timeout: 500ms }'
run_topo 3 up "$T_DIR/lab.yaml" --json
printf '%s' "$OUT" >"$T_DIR/up.json"
python3 - "$T_DIR/up.json" <<'PY' || fail "probe reasons: $OUT"
import json, sys
d = json.load(open(sys.argv[1]))
r = d["probes"] if "probes" in d else d
res = {x["address"]: x for x in r["results"]}
def reason(a):
    return res[a]["reason"] or ""
assert "host unreachable" in reason("10.70.1.1"), reason("10.70.1.1")
assert "from 10.0.1.1" in reason("10.70.1.1"), reason("10.70.1.1")
assert "administratively prohibited" in reason("10.70.2.1"), reason("10.70.2.1")
assert "timeout" in reason("10.70.3.1") or "no reply" in reason("10.70.3.1"), reason("10.70.3.1")
assert "no route" in reason("2001:db8:71::1"), reason("2001:db8:71::1")
assert "administratively prohibited" in reason("2001:db8:72::1"), reason("2001:db8:72::1")
assert res["10.80.4.1"]["passed"], res["10.80.4.1"]
assert not res["10.80.5.1"]["passed"], res["10.80.5.1"]
PY
pass "unreachable, prohibit and blackhole fail as they should; throw falls through to table default"

routes=$(ip -n $L-r1 route show table all)
contains "$routes" "unreachable 10.70.1.0/24 proto 116"
contains "$routes" "prohibit 10.70.2.0/24 proto 116"
contains "$routes" "blackhole 10.70.3.0/24 proto 116"
contains "$routes" "throw 10.80.4.0/24 proto 116"
contains "$routes" "10.80.4.0/24 via 10.0.2.2 dev eth2 table default proto 116"
run_topo 0 status $L
contains "$OUT" "route unreachable 10.70.1.0/24 metric 0"
contains "$OUT" "route throw 10.80.4.0/24 metric 0"
contains "$OUT" "route 10.80.4.0/24 via 10.0.2.2 dev eth2 metric 0 table 253"
contains "$OUT" "route prohibit 2001:db8:72::/64 metric 1024"
run_topo 0 plan "$T_DIR/lab.yaml"
pass "the kernel holds the types; status shows them; a second plan is empty"

run_topo 0 save $L
printf '%s\n' "$OUT" >"$T_DIR/saved.yaml"
contains "$OUT" '- "unreachable ::/0"'
contains "$OUT" "- 10.80.4.0/24 via 10.0.2.2 dev eth2 table 253"
run_topo 0 plan "$T_DIR/saved.yaml"
pass "save writes the typed routes and the table back; plan of the saved file is empty"

write_lab '  - { from: h1, to: 10.70.1.1, expect: unreachable, timeout: 500ms }
  - { from: h1, to: 10.70.2.1, expect: unreachable, timeout: 500ms }
  - { from: h1, to: 10.70.3.1, expect: unreachable, timeout: 500ms }
  - { from: h1, to: "2001:db8:71::1", expect: unreachable, timeout: 500ms }
  - { from: h1, to: "2001:db8:72::1", expect: unreachable, timeout: 500ms }
  - { from: h1, to: 10.80.4.1 }
  - { from: h1, to: 10.80.5.1, expect: unreachable, timeout: 500ms }'
run_topo 0 probe "$T_DIR/lab.yaml"
contains "$OUT" "probes: 7 passed, 0 failed"
pass "expect: unreachable passes for each type"

# In place: blackhole -> prohibit is one change, applied, then nothing.
sed -i 's|      - blackhole 10.70.3.0/24|      - prohibit 10.70.3.0/24|' "$T_DIR/lab.yaml"
run_topo 2 plan "$T_DIR/lab.yaml"
contains "$OUT" "~ route $L-r1 prohibit 10.70.3.0/24 (was blackhole)"
contains "$OUT" "Plan: 0 to add, 1 to change, 0 to destroy."
run_topo 0 up "$T_DIR/lab.yaml" --no-probe
contains "$(ip -n $L-r1 route show 10.70.3.0/24)" "prohibit 10.70.3.0/24 proto 116"
run_topo 0 plan "$T_DIR/lab.yaml"
pass "a type changed in place is one change"

# A route dropped from the file goes, in main and in another table.
sed -i '/10.80.4.0\/24 via 10.0.2.2 table default/d; /throw 10.80.4.0\/24/d' "$T_DIR/lab.yaml"
run_topo 2 plan "$T_DIR/lab.yaml"
contains "$OUT" "- route $L-r1 10.80.4.0/24 via 10.0.2.2 dev eth2 table 253"
contains "$OUT" "- route $L-r1 throw 10.80.4.0/24"
run_topo 0 up "$T_DIR/lab.yaml" --no-probe
lacks "$(ip -n $L-r1 route show table all)" "10.80.4.0/24"
pass "routes the file drops are deleted, in any table"

# A route added by hand in another table is drift; --prune removes it.
ip -n $L-r1 route add blackhole 10.90.0.0/24 table 77
run_topo 0 status $L
contains "$OUT" "drift: $L-r1: delete route blackhole 10.90.0.0/24 table 77"
run_topo 0 up "$T_DIR/lab.yaml" --prune --no-probe
lacks "$(ip -n $L-r1 route show table 77)" "10.90.0.0/24"
pass "drift in another table shown and pruned"

run_topo 0 down $L
