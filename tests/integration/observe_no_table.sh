# A lab namespace whose lo never went up has no IPv4 main routing table, and
# the kernel fails a dump filtered on it ("FIB table does not exist"): that
# is an empty table, not a failure of status, plan and up.
source "$(dirname "$0")/lib.sh"
lab t-notbl
cat >"$T_DIR/lab.yaml" <<'YAML'
name: t-notbl
nodes:
  h1: {}
  h2: {}
YAML
# h2 made by hand, marked as the lab's, lo left down: as if its creation
# had stopped between the mark and raising lo.
own_netns t-notbl-h2
ip -n t-notbl-h2 link set lo alias topo:t-notbl:h2
run_topo 2 plan "$T_DIR/lab.yaml"
contains "$OUT" "t-notbl-h2"
run_topo 0 up "$T_DIR/lab.yaml" --no-probe
run_topo 0 status t-notbl
contains "$OUT" "in sync with the file"
pass "a namespace without an IPv4 main table reads as one without routes"
