# Routes a routing daemon installs (proto bird, zebra...) are learned:
# status shows them as such, `up --prune` leaves them; a route added by
# hand (proto static, boot) is drift and --prune deletes it.
source "$(dirname "$0")/lib.sh"
lab t-rlearn
cat >"$T_DIR/lab.yaml" <<'YAML'
name: t-rlearn
nodes:
  r1: { kind: router }
  r2: { kind: router }
links:
  - endpoints: ["r1:eth0 10.61.0.1/24", "r2:eth0 10.61.0.2/24"]
YAML
run_topo 0 up "$T_DIR/lab.yaml" --no-probe
ns=t-rlearn-r1
ip -n $ns route add 10.62.1.0/24 via 10.61.0.2 proto bird || fail "add a bird route"
ip -n $ns route add 10.62.2.0/24 via 10.61.0.2 proto zebra || fail "add a zebra route"
ip -n $ns route add 10.62.3.0/24 via 10.61.0.2 proto static || fail "add a static route"
ip -n $ns route add 10.62.4.0/24 via 10.61.0.2 || fail "add a route by hand"

run_topo 0 status t-rlearn
contains "$OUT" "route 10.62.1.0/24 via 10.61.0.2 dev eth0 metric 0 (learned: proto bird)"
contains "$OUT" "route 10.62.2.0/24 via 10.61.0.2 dev eth0 metric 0 (learned: proto zebra)"
contains "$OUT" "drift: $ns: delete route 10.62.3.0/24 via 10.61.0.2 dev eth0"
contains "$OUT" "drift: $ns: delete route 10.62.4.0/24 via 10.61.0.2 dev eth0"
lacks "$OUT" "drift: $ns: delete route 10.62.1.0/24"
lacks "$OUT" "drift: $ns: delete route 10.62.2.0/24"
contains "$OUT" "2 drift items"
pass "status: daemon routes learned, hand-made ones drift"

run_topo 0 status t-rlearn --json
printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
r1 = [n for n in d["nodes"] if n["node"] == "r1"][0]
by = {r["to"]: r for r in r1["routes"]}
assert by["10.62.1.0/24"]["learned"] is True and by["10.62.1.0/24"]["proto"] == "bird", by
assert by["10.62.2.0/24"]["learned"] is True and by["10.62.2.0/24"]["proto"] == "zebra", by
assert by["10.62.3.0/24"]["learned"] is False and by["10.62.3.0/24"]["proto"] == "static", by
assert by["10.62.4.0/24"]["learned"] is False and by["10.62.4.0/24"]["proto"] == "boot", by
assert len(d["drift"]) == 2, d["drift"]
' || fail "status --json: $OUT"
pass "status --json: learned and proto"

run_topo 2 plan "$T_DIR/lab.yaml" --prune
lacks "$OUT" "10.62.1.0/24"
lacks "$OUT" "10.62.2.0/24"
contains "$OUT" "10.62.3.0/24"
run_topo 0 up "$T_DIR/lab.yaml" --prune --no-probe
routes=$(ip -n $ns -4 route show)
contains "$routes" "10.62.1.0/24 via 10.61.0.2 dev eth0 proto bird"
contains "$routes" "10.62.2.0/24 via 10.61.0.2 dev eth0 proto zebra"
lacks "$routes" "10.62.3.0/24"
lacks "$routes" "10.62.4.0/24"
run_topo 0 plan "$T_DIR/lab.yaml" --prune
pass "up --prune keeps daemon routes, deletes hand-made ones"

run_topo 0 down t-rlearn
