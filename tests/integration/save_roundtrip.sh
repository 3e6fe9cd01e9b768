# topo save: a lab changed by hand (an address, a route, a link's MTU, a
# link set down, a sysctl, policy routing rules) is saved; the saved file validates (topo and the
# JSON schema) and, brought up under another name and prefix, gives the
# same `status --json` (names, ifindexes, the ownership flag of routes and
# the drift/pending lists aside: the saved file declares what was drift).
# Then what the format cannot say (one end of a link down) is a comment
# and a warning, and `save FILE` works as `save LAB`.
source "$(dirname "$0")/lib.sh"
lab t-save
lab t-saved
cat >"$T_DIR/lab.yaml" <<'YAML'
name: t-save
prefix: t-sv
nodes:
  h1:
    routes: [default via 10.2.0.1, "default via fd00:2::1"]
  r1:
    kind: router
    addresses:
      lo: [10.255.0.1/32, "fd00:ff::1/128"]
    sysctl: { net.ipv4.conf.all.rp_filter: 0 }
    rules: ["from 10.2.0.0/24 table 100 priority 1000"]
  h2:
    routes: [default via 10.2.1.1]
  h3:
    routes: [default via 10.2.2.1]
links:
  - endpoints: ["h1:eth0 10.2.0.2/24, fd00:2::2/64", "r1:eth1 10.2.0.1/24, fd00:2::1/64"]
  - endpoints: ["h2:eth0 10.2.1.2/24", "r1:eth2 10.2.1.1/24"]
  - endpoints: ["h3:eth0 10.2.2.3/24", "r1:eth3 10.2.2.1/24"]
probes:
  - { from: h1, to: h2 }
  - { from: h1, to: "r1:lo", count: 2, timeout: 500ms }
YAML
run_topo 0 up "$T_DIR/lab.yaml" --no-probe

# By hand: an address, routes (IPv4 and IPv6), a link's MTU (both ends), a
# link down (both ends), a sysctl.
ip -n t-sv-h1 addr add 10.2.0.99/24 dev eth0
ip -n t-sv-h1 -6 addr add fd00:2::99/64 dev eth0 nodad
ip -n t-sv-h1 route add 10.9.0.0/16 via 10.2.0.1 metric 7
ip -n t-sv-h1 -6 route add fd00:9::/48 via fd00:2::1
ip -n t-sv-h2 link set eth0 mtu 1400
ip -n t-sv-r1 link set eth2 mtu 1400
ip -n t-sv-h1 link set eth0 mtu 1450	# one end only: that endpoint's own mtu
ip -n t-sv-h3 link set eth0 down
ip -n t-sv-r1 link set eth3 down
ip netns exec t-sv-r1 sysctl -qw net.ipv4.conf.all.rp_filter=2
ip -n t-sv-r1 rule add iif eth1 fwmark 0x10/0xff lookup 200 pref 300
ip -n t-sv-r1 -6 rule add pref 400 fwmark 7 blackhole

run_topo 0 save t-save -o "$T_DIR/saved.yaml"
saved=$(cat "$T_DIR/saved.yaml")
contains "$saved" "10.2.0.99/24" "saved file"
contains "$saved" "10.9.0.0/16 via 10.2.0.1 dev eth0 metric 7" "saved file"
contains "$saved" "mtu: 1400" "saved file"
contains "$saved" "iface: eth0, addresses: [10.2.0.2/24, 10.2.0.99/24" "saved file"
grep -q "node: h1, iface: eth0, .*mtu: 1450 }" <<<"$saved" || fail "h1:eth0's own mtu: $saved"
contains "$saved" "state: down" "saved file"
contains "$saved" "net.ipv4.conf.all.rp_filter: 2" "saved file"
contains "$saved" "prefix: t-sv" "saved file"
contains "$saved" "- from 10.2.0.0/24 table 100 priority 1000" "saved file"
contains "$saved" "- iif eth1 fwmark 0x10/0xff table 200 priority 300" "saved file"
contains "$saved" "- fwmark 0x7 blackhole priority 400 family ipv6" "saved file"
# the kernel dropped h3's route with its link; the file keeps it for when it is up
grep -A2 -x "  h3:" <<<"$saved" | grep -qx "      - default via 10.2.2.1" || fail "h3's route: $saved"
lacks "$saved" "Left out" "saved file"
[ -z "$ERR" ] || fail "save warned: $ERR"
pass "save writes what was changed by hand"

run_topo 0 validate "$T_DIR/saved.yaml"
if /usr/bin/python3 -c 'import jsonschema, yaml' 2>/dev/null; then
	/usr/bin/python3 "$TOPO_SRC/scripts/schema-check.py" "$T_DIR/saved.yaml" ||
		fail "the schema rejects the saved file"
	pass "the saved file passes the schema"
fi

# The same file under another name and prefix: the text, edited.
run_topo 0 save t-save --name t-saved --prefix t-sd -o "$T_DIR/copy.yaml"
grep -qx "name: t-saved" "$T_DIR/copy.yaml" || fail "--name: $(cat "$T_DIR/copy.yaml")"
grep -qx "prefix: t-sd" "$T_DIR/copy.yaml" || fail "--prefix: $(cat "$T_DIR/copy.yaml")"
run_topo 0 up "$T_DIR/copy.yaml" --no-probe

# status of both, names and kernel-chosen numbers aside
norm() {
	/usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
pre = sys.argv[1] + "-"
for n in d["nodes"]:
    n["namespace"] = n["namespace"].replace(pre, "P-", 1)
    for i in n["interfaces"]:
        i.pop("ifindex")
        if "peer" in i:
            i["peer"]["namespace"] = i["peer"]["namespace"].replace(pre, "P-", 1)
    for r in n["routes"] + n["rules"]:
        r.pop("topo")
        r.pop("proto")	# who made it, as "topo" says
for k in ("lab", "drift", "pending", "drift_changes", "pending_changes"):
    d.pop(k, None)
print(json.dumps(d, indent=1, sort_keys=True))
' "$1"
}
run_topo 0 status t-save --json
norm t-sv <<<"$OUT" >"$T_DIR/a.json"
run_topo 0 status t-saved --json
norm t-sd <<<"$OUT" >"$T_DIR/b.json"
diff -u "$T_DIR/a.json" "$T_DIR/b.json" || fail "status differs after up of the saved file"
run_topo 0 status t-saved
contains "$OUT" "in sync with the file"
pass "status of the saved lab equals the original's"

# The probes of the kept file come along: h1 -> h2 passes in the copy too.
run_topo 0 probe "$T_DIR/copy.yaml"
run_topo 0 down t-saved

# One end down is more than a link's `state` says: a comment and a warning.
ip -n t-sv-r1 link set eth3 up
run_topo 0 save "$T_DIR/lab.yaml"
contains "$OUT" "# Left out (the lab file format cannot say it):"
contains "$OUT" "#   h3:eth0 is down and r1:eth3 up: a link has one state (written: down)"
contains "$ERR" "topo: save: left out: h3:eth0 is down and r1:eth3 up"
pass "save FILE, and what the format cannot say"

# Made by hand: a veth pair inside one node is a link (a loop); a bridge,
# and a veth to a namespace outside the lab, are not links of the lab.
ip -n t-sv-h1 link add veth9 type veth peer name veth9b
own_netns t-save-out
ip -n t-sv-h1 link add veth8 type veth peer name veth8b netns t-save-out
ip -n t-sv-h1 link add br9 type bridge || skip "no bridge device"
run_topo 0 save t-save
contains "$OUT" "- { node: h1, iface: veth9b"
contains "$OUT" "- { node: h1, iface: veth9,"
contains "$OUT" "#   h1: veth veth8, whose other end is not in a node of the lab"
contains "$OUT" "#   h1: interface br9 (bridge), not a link between two nodes of the lab"
contains "$ERR" "topo: save: left out: h1: interface br9 (bridge)"
printf '%s\n' "$OUT" >"$T_DIR/odd.yaml"
run_topo 0 validate "$T_DIR/odd.yaml"
pass "interfaces made by hand: a loop link is saved, the rest said"

# Without the kept file: kinds from the kernel (forwarding, br0), the
# sysctls topo recorded setting, no probes.
mv /run/topo/t-save/lab.yaml "$T_DIR/kept.yaml"
run_topo 0 save t-save
mv "$T_DIR/kept.yaml" /run/topo/t-save/lab.yaml
grep -A1 -x "  r1:" <<<"$OUT" | grep -qx "    kind: router" || fail "no kept file: r1 is no router: $OUT"
lacks "$OUT" "probes:"
contains "$OUT" "net.ipv4.conf.all.rp_filter: 2"   # topo recorded that it set it
pass "save without the kept file"

run_topo 1 save t-nosuchlab
contains "$ERR" "lab t-nosuchlab is not up"
run_topo 0 save --help
contains "$OUT" "usage: topo save FILE|LAB [-o FILE] [--name NAME] [--prefix PREFIX]"
run_topo 1 save t-save --bogus
contains "$ERR" "usage: topo save"
run_topo 1 save t-save -o
contains "$ERR" "-o needs a value"
run_topo 1 save t-save --name Bad
contains "$ERR" "topo: save: invalid name 'Bad'"
[ ! -e "$T_DIR/none.yaml" ] || fail "an error wrote a file"
pass "save's arguments"
run_topo 0 down t-save
