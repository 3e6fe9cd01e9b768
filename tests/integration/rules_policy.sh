# Policy routing rules with real traffic. Router r1 has two paths to h9:
# through r2 (the main table) and through r3 (table 100). h1's packets
# take the main table, h2's (rule: from its subnet, table 100) the other
# path, as r1's interface counters show; h3's hit a prohibit rule in r1,
# the router in the middle, so h3 hears "administratively prohibited".
# Then a rule's priority changed in the file is one change in `plan`, a
# rule added by hand is drift, and `up --prune` deletes it.
source "$(dirname "$0")/lib.sh"
lab t-rules
f="$T_DIR/lab.yaml"
cat >"$f" <<'YAML'
name: t-rules
nodes:
  h1: { routes: [default via 10.0.1.1] }
  h2: { routes: [default via 10.0.4.1] }
  h3: { routes: [default via 10.0.5.1] }
  r1:
    kind: router
    routes:
      - 10.9.0.0/24 via 10.0.2.2
      - { to: 10.9.0.0/24, via: 10.0.3.2, table: 100 }
    rules:
      - from 10.0.4.0/24 table 100 priority 1000
      - from 10.0.5.0/24 prohibit priority 300
      - { to: "fd00:99::/64", type: unreachable, priority: 900 }
  r2:
    kind: router
    routes: [10.9.0.0/24 via 10.0.6.2, 10.0.0.0/16 via 10.0.2.1]
  r3:
    kind: router
    routes: [10.9.0.0/24 via 10.0.7.2, 10.0.0.0/16 via 10.0.3.1]
  h9:
    addresses: { lo: [10.9.0.1/32] }
    # replies to h2 go back the way h2's packets came
    routes: [default via 10.0.6.1, 10.0.4.0/24 via 10.0.7.1]
links:
  - endpoints: ["h1:eth0 10.0.1.2/24", "r1:eth0 10.0.1.1/24"]
  - endpoints: ["h2:eth0 10.0.4.2/24", "r1:eth3 10.0.4.1/24"]
  - endpoints: ["h3:eth0 10.0.5.2/24", "r1:eth4 10.0.5.1/24"]
  - endpoints: ["r1:eth1 10.0.2.1/24", "r2:eth0 10.0.2.2/24"]
  - endpoints: ["r1:eth2 10.0.3.1/24", "r3:eth0 10.0.3.2/24"]
  - endpoints: ["r2:eth1 10.0.6.1/24", "h9:eth0 10.0.6.2/24"]
  - endpoints: ["r3:eth1 10.0.7.1/24", "h9:eth1 10.0.7.2/24"]
probes:
  - { from: h1, to: 10.9.0.1 }
  - { from: h2, to: 10.9.0.1 }
  - { from: h3, to: 10.9.0.1, expect: unreachable }
YAML

run_topo 0 up "$f" --no-probe
r1=t-rules-r1
rules=$(ip -n $r1 rule show)
contains "$rules" "1000:	from 10.0.4.0/24 lookup 100 proto 116"
contains "$rules" "300:	from 10.0.5.0/24 prohibit proto 116"
contains "$(ip -n $r1 -6 rule show)" "900:	from all to fd00:99::/64 unreachable proto 116"
run_topo 0 plan "$f"
pass "up makes the rules, IPv4 and IPv6, with topo's protocol"

# tx_packets NS DEV: the packets DEV of NS has sent
tx_packets() {
	ip -n "$1" -s -j link show dev "$2" |
		python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["stats64"]["tx"]["packets"])'
}

# paths_of NODE: ping h9 from NODE 20 times; "eth1 N eth2 M": what r1 sent each way
paths_of() {
	local a1 a2
	a1=$(tx_packets $r1 eth1)
	a2=$(tx_packets $r1 eth2)
	ip netns exec "t-rules-$1" ping -q -c 20 -i 0.01 -W 1 10.9.0.1 >/dev/null ||
		fail "$1 cannot ping h9"
	echo "eth1 $(($(tx_packets $r1 eth1) - a1)) eth2 $(($(tx_packets $r1 eth2) - a2))"
}
read -r _ via_r2 _ via_r3 < <(paths_of h1)
[ "$via_r2" -ge 20 ] && [ "$via_r3" -lt 10 ] ||
	fail "h1 should take the main table (eth1): eth1 sent $via_r2, eth2 $via_r3"
read -r _ via_r2 _ via_r3 < <(paths_of h2)
[ "$via_r3" -ge 20 ] && [ "$via_r2" -lt 10 ] ||
	fail "h2 should take table 100 (eth2): eth1 sent $via_r2, eth2 $via_r3"
pass "a source's rule sends it through table 100, the other source through main"

run_topo 0 probe "$f"
contains "$OUT" "unreachable: ICMP administratively prohibited (code 13) from 10.0.5.1"
pass "a prohibit rule in the router answers 'administratively prohibited'"

# A priority changed in place: one change, applied, then nothing to do.
sed -i 's/table 100 priority 1000/table 100 priority 1100/' "$f"
run_topo 2 plan "$f"
contains "$OUT" "Plan: 0 to add, 1 to change, 0 to destroy."
contains "$OUT" "~ rule $r1 from 10.0.4.0/24 table 100 priority 1100 (was from 10.0.4.0/24 table 100 priority 1000)"
[ "$(grep -c '^[-+~] ' <<<"$OUT")" = 2 ] || fail "a changed rule is one delete+add pair: $OUT"
run_topo 0 up "$f" --no-probe
contains "$OUT" "Changed 1 rule."
run_topo 0 plan "$f"
rules=$(ip -n $r1 rule show)
contains "$rules" "1100:	from 10.0.4.0/24 lookup 100 proto 116"
lacks "$rules" "1000:"
read -r _ via_r2 _ via_r3 < <(paths_of h2)
[ "$via_r3" -ge 20 ] || fail "h2 after the change: eth1 sent $via_r2, eth2 $via_r3"
pass "a changed priority is one change, and up applies it"

# A rule added by hand is drift: shown, left alone, deleted by --prune.
# The kernel deletes the first rule that has what a deletion gives: the
# one at topo's rule's priority and table but without its `from` must not
# take topo's rule with it.
ip -n $r1 rule add from 10.0.1.0/24 lookup 100 pref 500
ip -n $r1 rule add lookup 100 pref 1100
run_topo 0 status "$f"
contains "$OUT" "drift: $r1: delete rule from 10.0.1.0/24 table 100 priority 500"
contains "$OUT" "  rule from 10.0.4.0/24 table 100 priority 1100"
run_topo 0 status "$f" --json
python3 -c '
import json, sys
d = json.loads(sys.argv[1])
r1 = [n for n in d["nodes"] if n["node"] == "r1"][0]
seen = [(r["priority"], r.get("from"), r["topo"]) for r in r1["rules"] if r["family"] == "ipv4"]
assert seen == [(300, "10.0.5.0/24", True), (500, "10.0.1.0/24", False),
                (1100, "10.0.4.0/24", True), (1100, None, False)], seen
by = {r["priority"]: r for r in r1["rules"] if r["family"] == "ipv4"}
assert by[500] == {"priority": 500, "family": "ipv4", "from": "10.0.1.0/24", "action": "table",
                   "table": 100, "topo": False, "learned": False, "proto": "unspec",
                   "text": "from 10.0.1.0/24 table 100 priority 500"}, by[500]
assert by[300]["action"] == "prohibit" and "table" not in by[300], by[300]
' "$OUT" || fail "status --json rules: $OUT"
run_topo 0 plan "$f"
contains "$OUT" "! drift $r1: rule from 10.0.1.0/24 table 100 priority 500 (up --prune removes it)"
contains "$OUT" "! drift $r1: rule table 100 priority 1100 (up --prune removes it)"
run_topo 0 up "$f" --no-probe
contains "$(ip -n $r1 rule show)" "500:	from 10.0.1.0/24 lookup 100"
run_topo 0 up "$f" --prune --no-probe
lacks "$(ip -n $r1 rule show)" "500:"
lacks "$(ip -n $r1 rule show)" "from all lookup 100"
contains "$(ip -n $r1 rule show)" "1100:	from 10.0.4.0/24 lookup 100 proto 116"
run_topo 0 plan "$f" --prune
pass "a hand-made rule is drift, and up --prune deletes it"

# A hand-made rule with selectors topo does not describe (ipproto, dport),
# otherwise like topo's rule at 1100 and after it in the kernel's list: a
# deletion built from the selectors topo knows would take topo's rule;
# --prune deletes the hand-made one alone.
ip -n $r1 rule add from 10.0.4.0/24 ipproto tcp dport 80 lookup 100 pref 1100
run_topo 0 plan "$f"
contains "$OUT" "! drift $r1: rule from 10.0.4.0/24 table 100 priority 1100 ..."
run_topo 0 up "$f" --prune --no-probe -v
lacks "$OUT" "add rule"
lacks "$(ip -n $r1 rule show)" "dport 80"
contains "$(ip -n $r1 rule show)" "1100:	from 10.0.4.0/24 lookup 100 proto 116"
run_topo 0 plan "$f" --prune
pass "--prune deletes a hand-made rule with selectors topo does not describe, and only it"

# A rule the file drops goes.
sed -i '/prohibit priority 300/d' "$f"
run_topo 2 plan "$f"
contains "$OUT" "- rule $r1 from 10.0.5.0/24 prohibit priority 300"
run_topo 0 up "$f" --no-probe
lacks "$(ip -n $r1 rule show)" "prohibit"
pass "a rule the file dropped is deleted"

run_topo 0 down t-rules
