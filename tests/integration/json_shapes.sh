#!/bin/bash
# docs/json.md cannot drift from the program: each `--json` output's
# example there parses, carries "version": 1, and has exactly the keys
# (at every depth, array elements merged) of the real output of the same
# lab in the same state: a key added to the program without its
# documentation, or documented but gone, fails here.
source "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
[ -x "$PY" ] || skip_tool python3 "reads the JSON back"

# docs/json.md's demo lab (a host behind a router, a bridge with a host on it,
# and a LAN of that host and one more)
f="$T_DIR/lab.yaml"
cat >"$f" <<'YAML'
name: t-jshape
nodes:
  h1:
    routes: [default via 10.0.1.1]
    rules: ["from 10.0.1.2 to 10.0.2.0/24 iif lo oif eth0 fwmark 0x10 table main priority 100"]
  r1: { kind: router }
  sw: { kind: bridge }
  h2: {}
  h3: {}
links:
  - endpoints: ["h1:eth0 10.0.1.2/24", "r1:eth0 10.0.1.1/24"]
  - endpoints: ["r1:eth1 10.0.2.1/24", "sw:p1"]
  - endpoints: [{ node: h2, iface: eth0, addresses: [10.0.2.2/24], mac: "02:00:00:00:02:02" }, "sw:p2"]
lans:
  seg: { members: ["h2:eth1 10.0.3.2/24", "h3:eth0 10.0.3.3/24"] }
probes:
  - { from: h1, to: r1 }
  - { from: h1, to: 10.0.2.2, proto: tcp, port: 8080, timeout: 200ms }
YAML
lab t-jshape
out() { cp "$T_DIR/out" "$T_DIR/$1.json"; }

run_topo 3 up "$f" --json; out up-first
# the state of the examples: the file changes an MTU, someone adds an address by hand
sed -i 's|^  - endpoints: \["h1:eth0.*|&\n    mtu: 9000|' "$f"
nsexec t-jshape-h2 ip addr add 10.9.9.9/32 dev lo
run_topo 2 plan "$f" --json; out plan
run_topo 0 status "$f" --json; out status
run_topo 3 up "$f" --json; out up
run_topo 3 probe "$f" --json; out probe
run_topo 0 list --json; out list

# check_doc DOC: DOC's examples against the outputs kept in $T_DIR
check_doc() {
"$PY" - "$1" "$T_DIR" <<'PY'

import json, re, sys

doc_path, d = sys.argv[1:3]
doc = open(doc_path, encoding="utf-8").read()
examples = {}
for m in re.finditer(r"^## `topo (\w+) --json`\n(.*?)^```json\n(.*?)^```$", doc, re.M | re.S):
    examples[m.group(1)] = json.loads(m.group(3))   # a bad example fails here

def paths(v, p, out):
    """Every key path of V: arrays merge their elements; a map of names (sysctls) is a leaf."""
    if isinstance(v, dict):
        for k, x in v.items():
            out.add(p + "." + k)
            if k != "sysctls":
                paths(x, p + "." + k, out)
    elif isinstance(v, list):
        for x in v:
            paths(x, p + "[]", out)
    return out

real = {c: [json.load(open("%s/%s.json" % (d, c)))] for c in ("plan", "status", "up", "probe", "list")}
real["up"].append(json.load(open(d + "/up-first.json")))
bad = False
for cmd, outs in real.items():
    if cmd not in examples:
        print("docs/json.md has no example of `topo %s --json`" % cmd); bad = True; continue
    ex = examples[cmd]
    for o in outs + [ex]:
        if o.get("version") != 1:
            print("%s: version is %r, not 1" % (cmd, o.get("version"))); bad = True
    have = set()
    for o in outs:
        paths(o, "", have)
    want = paths(ex, "", set())
    for k in sorted(have - want):
        print("%s --json: key %s is not in docs/json.md" % (cmd, k)); bad = True
    for k in sorted(want - have):
        print("%s --json: docs/json.md has key %s, the program does not" % (cmd, k)); bad = True
    # every key a table of the page names, too
    for k in sorted({p.rsplit(".", 1)[-1] for p in have}):
        if "`%s`" % k not in doc:
            print("%s --json: key %s is not explained in docs/json.md" % (cmd, k)); bad = True
extra = set(examples) - set(real)
if extra:
    print("docs/json.md shows commands this test does not run: %s" % sorted(extra)); bad = True
sys.exit(1 if bad else 0)
PY
}
check_doc "$TOPO_SRC/docs/json.md" || fail "docs/json.md and the real output differ"
pass "docs/json.md's examples parse, have version 1 and exactly the real keys"

# and the check itself catches a drifted page: a key renamed in a copy
sed 's/"drift_found"/"drift_count"/' "$TOPO_SRC/docs/json.md" >"$T_DIR/json.md"
grep -q drift_count "$T_DIR/json.md" || fail "the negative check's sed did not apply"
check_doc "$T_DIR/json.md" >"$T_DIR/check.out" && fail "a renamed key in the page went unnoticed"
contains "$(cat "$T_DIR/check.out")" "plan --json: key .drift_found is not in docs/json.md"
contains "$(cat "$T_DIR/check.out")" "plan --json: docs/json.md has key .drift_count, the program does not"
pass "a page that differs from the program fails the check"
