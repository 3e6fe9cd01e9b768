# Names the kernel hands back (interfaces, veth peers, the node and lab
# names of a namespace's mark) can hold escape sequences: text output shows
# them as \xNN, never raw; --json keeps them as JSON escapes.
source "$(dirname "$0")/lib.sh"
lab t-cliesc
f="$T_DIR/lab.yaml"
printf 'name: t-cliesc\nnodes: { h1: {}, h2: {} }\nlinks: [{ endpoints: ["h1:eth0 10.72.0.1/24", "h2:eth0 10.72.0.2/24"] }]\n' >"$f"
run_topo 0 up "$f" --no-probe

# The kernel refuses '/', ':' and white space in a name, not control bytes.
ip -n t-cliesc-h1 link add $'e\e[31m' type veth peer name $'p\e[0m' ||
	skip "the kernel refuses an interface name with an escape byte"
# A namespace marked as a node of the lab, and one marked as another lab.
own_netns t-cliesc-zz
ip -n t-cliesc-zz link set lo alias $'topo:t-cliesc:n\e[1m'
ip -n t-cliesc-zz link set lo up
own_netns t-cliesc-zy
ip -n t-cliesc-zy link set lo alias $'topo:t-cli\e[1m:x'
ip -n t-cliesc-zy link set lo up

# no_escape WHAT: neither $OUT nor $ERR holds a raw ESC byte.
no_escape() {
	! grep -q $'\e' <<<"$OUT$ERR" || fail "$1 prints a raw ESC: $(cat -v <<<"$OUT$ERR")"
}

run_topo 0 status "$f"
no_escape "status FILE"
contains "$OUT" 'e\x1b[31m'
contains "$OUT" '<-> t-cliesc-h1:p\x1b[0m'
contains "$OUT" 'node n\x1b[1m (netns t-cliesc-zz)'
contains "$OUT" 'drift: t-cliesc-h1: delete link e\x1b[31m'
run_topo 0 status t-cliesc
no_escape "status LAB"
run_topo 2 plan "$f"
no_escape "plan"
contains "$OUT" '! drift t-cliesc-h1: interface e\x1b[31m'
run_topo 0 list
no_escape "list"
contains "$OUT" 't-cli\x1b[1m'
pass "text output shows control bytes as \\xNN"

run_topo 0 status "$f" --json
python3 -c '
import json, sys
d = json.load(sys.stdin)
h1 = [n for n in d["nodes"] if n["node"] == "h1"][0]
assert "e\x1b[31m" in [i["name"] for i in h1["interfaces"]], h1
' <<<"$OUT" || fail "status --json: $OUT"
pass "--json keeps the names, as JSON escapes"

# up without --prune only reports the drift
run_topo 0 up "$f" --no-probe
no_escape "up"
contains "$ERR" 'topo: drift: t-cliesc-h1: delete link e\x1b[31m'
pass "up's drift lines"
# up --prune deletes it: the line of each change made is escaped too
run_topo 0 up "$f" --no-probe --prune -v
no_escape "up --prune"
contains "$OUT" 't-cliesc-h1: delete link p\x1b[0m'
pass "up --prune's change lines"
run_topo 0 down t-cliesc
