# A sysctl dropped from the file goes back to the value a new namespace
# has: topo records per node which keys it set (/run/topo/LAB/NODE/sysctl)
# and plans them back to a throwaway namespace's value. It used to stay set
# with `plan` saying "No changes".
source "$(dirname "$0")/lib.sh"
lab t-scdrop
key=net.ipv4.conf.all.arp_ignore
cat >"$T_DIR/lab.yaml" <<'YAML'
name: t-scdrop
nodes:
  h1:
    sysctl: { net.ipv4.conf.all.arp_ignore: 2, net.ipv4.conf.eth0.arp_announce: 2 }
  h2: {}
links:
  - endpoints: ["h1:eth0 10.1.0.1/24", "h2:eth0 10.1.0.2/24"]
YAML
# what a new namespace has, read the same way (ip netns exec would too)
own_netns t-scdrop-scratch
def=$(nsexec t-scdrop-scratch sysctl -n $key)
defif=$(nsexec t-scdrop-scratch sysctl -n net.ipv4.conf.default.arp_announce)
[ "$def" != 2 ] && [ "$defif" != 2 ] || skip "this host's new namespaces have the test's values already"

run_topo 0 up "$T_DIR/lab.yaml" --no-probe
[ "$(nsexec t-scdrop-h1 sysctl -n $key)" = 2 ] || fail "$key not set"
run_topo 0 status "$T_DIR/lab.yaml"
contains "$OUT" "sysctl $key = 2" "status"
run_topo 0 status "$T_DIR/lab.yaml" --json
printf '%s' "$OUT" | python3 -c '
import json, sys
n = [n for n in json.load(sys.stdin)["nodes"] if n["node"] == "h1"][0]
assert n["sysctls"]["net.ipv4.conf.all.arp_ignore"] == "2", n["sysctls"]
assert n["sysctls"]["net.ipv4.conf.eth0.arp_announce"] == "2", n["sysctls"]
' || fail "json sysctls: $OUT"
pass "status shows the sysctls"

sed -i 's|sysctl: .*|sysctl: {}|' "$T_DIR/lab.yaml"
run_topo 2 plan "$T_DIR/lab.yaml"
contains "$OUT" "~ sysctl t-scdrop-h1 $key 2 -> $def (no longer in the file)" "plan"
contains "$OUT" "~ sysctl t-scdrop-h1 net.ipv4.conf.eth0.arp_announce 2 -> $defif (no longer in the file)" "plan"
run_topo 0 status "$T_DIR/lab.yaml"
contains "$OUT" "sysctl $key = 2" "status of a recorded key"
pass "plan puts a dropped key back"

run_topo 0 up "$T_DIR/lab.yaml" --no-probe
[ "$(nsexec t-scdrop-h1 sysctl -n $key)" = "$def" ] || fail "$key not put back"
[ "$(nsexec t-scdrop-h1 sysctl -n net.ipv4.conf.eth0.arp_announce)" = "$defif" ] ||
	fail "eth0 arp_announce not put back"
run_topo 0 up "$T_DIR/lab.yaml" --no-probe
contains "$OUT" "No changes" "second up"
[ ! -e /run/topo/t-scdrop/h1/sysctl ] || fail "record left: $(cat /run/topo/t-scdrop/h1/sysctl)"
pass "up puts it back, then nothing to do"

# a value set by hand on a key topo never set is not topo's to put back
nsexec t-scdrop-h2 sysctl -qw $key=2
run_topo 0 up "$T_DIR/lab.yaml" --no-probe
contains "$OUT" "No changes" "up after a hand-made change"
pass "keys topo never set are left alone"

# a node made again starts from the defaults: its old record goes with it
sed -i 's|sysctl: {}|sysctl: { net.ipv4.conf.all.arp_ignore: 2 }|' "$T_DIR/lab.yaml"
run_topo 0 up "$T_DIR/lab.yaml" --no-probe
grep -qx "$key" /run/topo/t-scdrop/h1/sysctl || fail "no record of $key"
ip netns del t-scdrop-h1
for _ in $(seq 200); do	# the kernel frees the veth pair a moment later
	ip -n t-scdrop-h2 link show eth0 >/dev/null 2>&1 || break
	sleep 0.01
done
sed -i 's|sysctl: .*|sysctl: {}|' "$T_DIR/lab.yaml"
run_topo 0 up "$T_DIR/lab.yaml" --no-probe
lacks "$OUT" "sysctl t-scdrop-h1 $key" "up of a node made again"
[ ! -e /run/topo/t-scdrop/h1/sysctl ] || fail "record of a re-made node left"
run_topo 0 status "$T_DIR/lab.yaml"
lacks "$OUT" "sysctl $key" "status of a re-made node"
pass "a node made again forgets what topo set before"

run_topo 0 down t-scdrop
