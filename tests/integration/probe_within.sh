#!/bin/bash
# `within`: a probe is retried until it passes or the window closes. A route
# that appears mid-window (added in the background) lets it pass, and the
# report says after how long; a route that never comes fails it when the
# window closes.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/probe-helpers.bash"

P=prw
pr_triangle $P
ip -n $P-h1 route del default
ip -n $P-h1 -6 route del default

row() { grep -E "$1" <<<"$OUT" || fail "no row matching '$1' in:"$'\n'"$OUT"; }
{
	pr_triangle_yaml pr-within $P
	cat <<'YAML'
probes:
  - { from: h1, to: h2, within: 20s }
  - { from: h1, to: 10.0.2.2, proto: tcp, port: 80, within: 20s }
YAML
} >"$T_DIR/lab.yaml"

# The routes come back 1.5 s into the run.
(sleep 1.5; ip -n $P-h1 route add default via 10.0.1.1;
 ip -n $P-h1 -6 route add default via 2001:db8:1::1) &
T_PIDS+=($!)
start=$(date +%s%N)
run_topo 0 probe "$T_DIR/lab.yaml" --json
took=$(( ($(date +%s%N) - start) / 1000000 ))
printf '%s' "$OUT" >"$T_DIR/out.json"
pr_py - "$T_DIR/out.json" <<'PY' || fail "json check"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["passed"] == 3 and r["failed"] == 0, r
for x in r["results"]:
    # Passed only once the routes were there, after several attempts.
    assert x["passed"] and x["attempts"] > 3 and 1.4 <= x["elapsed_s"] < 10, x
    assert x["detail"].startswith("passed after %.2f s (%d attempts)" % (x["elapsed_s"], x["attempts"])), x
PY
# Done when the last probe passed, not at the end of the window.
[ "$took" -lt 10000 ] || fail "took $took ms: the run waited for the window to close"
pass "passes when the route appears"

# Without the route, it fails when the window closes, saying why.
ip -n $P-h1 route del default
{
	pr_triangle_yaml pr-within $P
	printf 'probes:\n  - { from: h1, to: 10.0.2.2, within: 2s }\n'
} >"$T_DIR/never.yaml"
run_topo 3 probe "$T_DIR/never.yaml"
contains "$(row '10\.0\.2\.2')" "FAIL"
contains "$(row '10\.0\.2\.2')" "Network is unreachable (in h1); still failing after 2."
contains "$OUT" "probes: 0 passed, 1 failed (2."
pass "fails when the window closes"
