# status shows what the kernel makes of a link, not only its admin flag:
# a veth whose peer is set down by hand is "up, no carrier" (operstate
# down), and the planner does not count that as a change.
source "$(dirname "$0")/lib.sh"
lab t-soper
cat >"$T_DIR/lab.yaml" <<'YAML'
name: t-soper
nodes:
  h1: {}
  h2: {}
links:
  - endpoints: ["h1:eth0 10.1.0.1/24", "h2:eth0 10.1.0.2/24"]
YAML
run_topo 0 up "$T_DIR/lab.yaml" --no-probe
run_topo 0 status "$T_DIR/lab.yaml" --json
printf '%s' "$OUT" | python3 -c '
import json, sys
for n in json.load(sys.stdin)["nodes"]:
    e = [i for i in n["interfaces"] if i["name"] == "eth0"][0]
    assert e["up"] is True and e["carrier"] is True and e["operstate"] == "up", e
' || fail "json before: $OUT"
pass "a working link: up, carrier, operstate up"

ip -n t-soper-h2 link set eth0 down
run_topo 0 status "$T_DIR/lab.yaml"
grep -E "^  eth0 +veth +up, no carrier" <<<"$OUT" >/dev/null || fail "h1 eth0 text: $OUT"
grep -E "^  eth0 +veth +down " <<<"$OUT" >/dev/null || fail "h2 eth0 text: $OUT"
pass "text: the end whose peer is down has no carrier"

run_topo 0 status "$T_DIR/lab.yaml" --json
printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
ns = {n["node"]: [i for i in n["interfaces"] if i["name"] == "eth0"][0] for n in d["nodes"]}
h1, h2 = ns["h1"], ns["h2"]
assert h1["up"] is True and h1["carrier"] is False and h1["operstate"] == "down", h1
assert h2["up"] is False and h2["operstate"] == "down", h2
# only the admin flag of h2 differs from the file
assert d["pending"] == ["t-soper-h2: set eth0 up"], d["pending"]
' || fail "json after: $OUT"
pass "json: operstate and carrier"

# the missing carrier is the kernel's consequence, not a change to plan
run_topo 2 plan "$T_DIR/lab.yaml"
contains "$OUT" "t-soper-h2:eth0" "plan"
lacks "$OUT" "t-soper-h1:eth0" "plan"
run_topo 0 up "$T_DIR/lab.yaml" --no-probe
run_topo 0 status "$T_DIR/lab.yaml"
lacks "$OUT" "no carrier" "status after up"
pass "only the admin state is planned"

run_topo 0 down t-soper
