# What topo says reads right: counts in the singular and plural, a status
# line that is true when there is drift, one clear note per down link.
source "$(dirname "$0")/lib.sh"
lab t-climsg
lab t-climsg1
f="$T_DIR/lab.yaml"
cat >"$f" <<'YAML'
name: t-climsg
nodes:
  h1: {}
  h2: { routes: [10.73.9.0/24 via 10.73.0.1] }
links:
  - endpoints: ["h1:eth0 10.73.0.1/24", "h2:eth0 10.73.0.2/24"]
    state: down
probes:
  - { from: h2, to: 10.73.0.1 }
YAML
printf 'name: t-climsg1\nnodes: { a: {} }\n' >"$T_DIR/one.yaml"

run_topo 0 validate "$f"
contains "$OUT" "lab t-climsg is valid: 2 nodes, 1 link, 1 probe"
run_topo 0 validate "$T_DIR/one.yaml"
contains "$OUT" "lab t-climsg1 is valid: 1 node, 0 links, 0 probes"
pass "validate counts"

run_topo 0 up "$f" --no-probe
contains "$ERR" "topo: note: h2: eth0 is down (state: down), so route 10.73.9.0/24 via 10.73.0.1 is left out until the link is up"
contains "$OUT" "Apply complete: "
run_topo 0 status "$f"
contains "$OUT" "lab t-climsg: 2 nodes"
contains "$OUT" "in sync with the file"
pass "the note for a down link"

# One change missing: one change pending, one applied.
ip -n t-climsg-h1 addr del 10.73.0.1/24 dev eth0
run_topo 0 status "$f"
contains "$OUT" "pending: 1 change to match the file (\`topo plan\` shows it)"
run_topo 2 plan "$f"
contains "$OUT" "Plan: 1 to add, 0 to change, 0 to destroy."
run_topo 0 up "$f" --no-probe
contains "$OUT" "Apply complete: 1 change in"
pass "one change"

# Drift: everything the file says is there, and more.
ip -n t-climsg-h1 addr add 10.73.5.5/32 dev lo
run_topo 0 status "$f"
contains "$OUT" "drift: t-climsg-h1: delete address 10.73.5.5/32 from lo"
contains "$OUT" "everything in the file is in place; 1 drift item is not in the file (\`topo up --prune\` deletes it)"
lacks "$OUT" "in sync"
run_topo 0 plan "$f"
contains "$OUT" "No changes. 1 drift item left alone."
ip -n t-climsg-h2 addr add 10.73.5.6/32 dev lo
ip -n t-climsg-h1 addr del 10.73.0.1/24 dev eth0
run_topo 0 status "$f"
contains "$OUT" "pending: 1 change to match the file (\`topo plan\` shows it); 2 drift items are not in the file (\`topo up --prune\` deletes them)"
run_topo 2 plan "$f" --prune
contains "$OUT" "Plan: 1 to add, 0 to change, 2 to destroy. 2 of the deletions are drift."
run_topo 0 up "$f" --no-probe --prune
contains "$OUT" "Apply complete: 3 changes in"
run_topo 0 status "$f"
contains "$OUT" "in sync with the file"
pass "drift is not 'in sync'"

run_topo 0 up "$T_DIR/one.yaml" --no-probe
run_topo 0 status t-climsg1
contains "$OUT" "lab t-climsg1: 1 node"
run_topo 0 list
grep -qE '^t-climsg1 +1 node$' <<<"$OUT" || fail "list: $OUT"
grep -qE '^t-climsg +2 nodes$' <<<"$OUT" || fail "list: $OUT"
run_topo 0 down t-climsg1
contains "$OUT" "Lab t-climsg1 is down: 1 namespace deleted."
run_topo 0 down t-climsg
pass "one node, one namespace"
