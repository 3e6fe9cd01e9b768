# status names drift in full: a route added by hand whose text is longer
# than 64 bytes is shown whole, in the text and in --json.
# labels: stock-kernel
source "$(dirname "$0")/lib.sh"
lab t-sdrift
cat >"$T_DIR/lab.yaml" <<'YAML'
name: t-sdrift
nodes:
  h1: {}
  h2: {}
links:
  - endpoints: ["h1:eth0 10.1.0.1/24, fd00:1::1/64", "h2:eth0 10.1.0.2/24 fd00:1::2/64"]
YAML
run_topo 0 up "$T_DIR/lab.yaml" --no-probe
route="2001:db8:aaaa:bbbb:cccc:dddd:eeee:0/112 via fd00:1::ffff:ffff:ffff:ffff dev eth0 metric 4000000000"
ip -n t-sdrift-h1 -6 route add $route || fail "ip route add $route"
want="t-sdrift-h1: delete route $route"
[ ${#want} -gt 64 ] || fail "the drift line is too short to test the cut"

run_topo 0 status "$T_DIR/lab.yaml"
grep -qxF "drift: $want" <<<"$OUT" || fail "drift line cut: $OUT"
pass "text drift line whole"

run_topo 0 status "$T_DIR/lab.yaml" --json
printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)["drift"]
assert sys.argv[1] in d, d
' "$want" || fail "json drift: $OUT"
pass "json drift whole"

# A name made by hand may hold a quote or a backslash: --json stays JSON.
ip -n t-sdrift-h1 link add 'q"x\' type bridge || skip "no bridge device"
ip -n t-sdrift-h1 link set 'q"x\' up
ip -n t-sdrift-h1 route add 10.99.0.0/24 dev 'q"x\' || fail "route via a quoted device"
run_topo 0 status "$T_DIR/lab.yaml" --json
printf '%s' "$OUT" | python3 -c '
import json, sys
ns = [n for n in json.load(sys.stdin)["nodes"] if n["node"] == "h1"][0]
assert "q\"x\\" in [i["name"] for i in ns["interfaces"]], ns
assert "q\"x\\" in [r.get("dev") for r in ns["routes"]], ns
' || fail "json with a quoted device name: $OUT"
pass "json escapes device names"

run_topo 0 down t-sdrift
