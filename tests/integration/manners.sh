#!/bin/bash
# Terminal and program manners of up and probe: a summary per kind of
# change (-v: every change); -q prints nothing on a passing lab, only the
# failed probes on a failing one; --failures; colour only on a terminal
# and never with NO_COLOR or TERM=dumb; the progress line only when
# stderr is a terminal; up --json with the changes made, plan --json.
source "$(dirname "$0")/lib.sh"
need_tool script "a pseudo-terminal for the colour and progress checks (bsdutils)"
PY=/usr/bin/python3
[ -x "$PY" ] || skip_tool python3 "reads the JSON back"

ok="$T_DIR/ok.yaml"
bad="$T_DIR/bad.yaml"
cat >"$ok" <<'YAML'
name: t-manr
nodes:
  h1: {}
  h2: {}
links:
  - endpoints: ["h1:eth0 10.93.0.1/24", "h2:eth0 10.93.0.2/24"]
probes:
  - { from: h1, to: h2 }
  - { from: h2, to: h1 }
YAML
# h1 has no route to 10.93.9.9: that probe fails at once
sed -e 's/t-manr/t-manrf/' "$ok" >"$bad"
echo '  - { from: h1, to: 10.93.9.9 }' >>"$bad"
lab t-manr
lab t-manrf

# on a terminal (a pseudo-terminal from script(1)); stdout and stderr both go to $TTY_OUT
tty_run() {
	TTY_OUT=$(script -qec "$1" /dev/null </dev/null) || true
}

# --- the summary, and -v ---
run_topo 0 up "$ok"
contains "$OUT" "Created 2 namespaces, 1 link, 2 addresses; set 4 sysctls."
contains "$OUT" "Apply complete: 9 changes in"
lacks "$OUT" "create namespace"
contains "$OUT" "probes: 2 passed, 0 failed"
[ -z "$ERR" ] || fail "up wrote to stderr: $ERR"
run_topo 0 down t-manr
run_topo 0 up "$ok" -v
contains "$OUT" "create namespace t-manr-h1"
contains "$OUT" "t-manr-h2: add address 10.93.0.2/24 to eth0"
contains "$OUT" "Created 2 namespaces, 1 link, 2 addresses; set 4 sysctls."
run_topo 1 up "$ok" -q -v
contains "$ERR" "-q and -v"
pass "up prints a count per kind of change; -v every change"

# --- -q ---
run_topo 0 down t-manr
run_topo 0 up "$ok" -q	# from nothing: changes, probes, all silent
[ -z "$OUT$ERR" ] || fail "up -q on a passing lab printed: $OUT$ERR"
run_topo 0 up "$ok" -q	# nothing to do
[ -z "$OUT$ERR" ] || fail "up -q with nothing to do printed: $OUT$ERR"
run_topo 0 probe "$ok" -q
[ -z "$OUT$ERR" ] || fail "probe -q on a passing lab printed: $OUT$ERR"
run_topo 3 up "$bad" -q
[ -z "$ERR" ] || fail "up -q wrote to stderr: $ERR"
[ "$(wc -l <<<"$OUT")" = 2 ] || fail "up -q on a failing lab: not the header and one row: $OUT"
contains "$OUT" "FROM "
grep -qE '^h1 +\(?-?\)? +10\.93\.9\.9 .*FAIL' <<<"$OUT" || fail "no failed row: $OUT"
lacks "$OUT" " ok "
lacks "$OUT" "probes:"
run_topo 3 probe "$bad" -q
[ "$(wc -l <<<"$OUT")" = 2 ] || fail "probe -q on a failing lab: $OUT"
pass "-q: nothing on a passing lab, the failed probe alone on a failing one"

# --- --failures ---
for cmd in up probe; do
	run_topo 3 $cmd "$bad" --failures
	contains "$OUT" "FAIL"
	lacks "$OUT" " ok "
	contains "$OUT" "probes: 2 passed, 1 failed"
done
run_topo 0 probe "$ok" --failures
[ "$OUT" = "$(grep '^probes: 2 passed, 0 failed' <<<"$OUT")" ] || fail "probe --failures, all passed: $OUT"
pass "--failures shows only the failed probes"

# --- colour ---
esc=$'\e['
run_topo 3 probe "$bad"	# piped: none
lacks "$OUT$ERR" "$esc" "piped output"
tty_run "TERM=xterm $TOPO probe $bad"
contains "$TTY_OUT" "${esc}32mok" "probe on a terminal"
contains "$TTY_OUT" "${esc}31mFAIL" "probe on a terminal"
tty_run "TERM=xterm NO_COLOR=1 $TOPO probe $bad"
contains "$TTY_OUT" "FAIL"
lacks "$TTY_OUT" "$esc" "NO_COLOR=1 on a terminal"
tty_run "TERM=dumb $TOPO probe $bad"
contains "$TTY_OUT" "FAIL"
lacks "$TTY_OUT" "$esc" "TERM=dumb"
tty_run "TERM=xterm $TOPO probe $bad | cat"	# stdout a pipe, on a terminal
lacks "$TTY_OUT" "$esc" "stdout piped from a terminal"
pass "colour on a terminal only, never with NO_COLOR or TERM=dumb"

# --- progress: on stderr, only when it is a terminal ---
run_topo 0 down t-manr
run_topo 0 up "$ok"
lacks "$ERR" "applying changes" "piped stderr"
run_topo 0 down t-manr
tty_run "TERM=xterm $TOPO up $ok >/dev/null"
contains "$TTY_OUT" "topo: applying changes: 1/9" "stderr a terminal"
contains "$TTY_OUT" $'\r' "stderr a terminal"
run_topo 0 down t-manr
tty_run "TERM=xterm $TOPO up $ok 2>/dev/null"
contains "$TTY_OUT" "Apply complete"
lacks "$TTY_OUT" "applying changes" "stderr not a terminal"
run_topo 0 down t-manr
tty_run "TERM=xterm $TOPO up $ok -v"
lacks "$TTY_OUT" "applying changes" "-v"
run_topo 0 down t-manr
tty_run "TERM=xterm $TOPO up $ok -q"
[ -z "$TTY_OUT" ] || fail "up -q on a terminal printed: $(cat -v <<<"$TTY_OUT")"
# a probe that waits (no one has 10.93.0.99): the prober's tick reports the others done
slow="$T_DIR/slow.yaml"
cp "$ok" "$slow"
echo '  - { from: h1, to: 10.93.0.99, timeout: 300ms }' >>"$slow"
tty_run "TERM=xterm $TOPO probe $slow >/dev/null"
contains "$TTY_OUT" "topo: probing: 2/3" "probe, stderr a terminal"
run_topo 3 probe "$slow"
lacks "$ERR" "probing" "probe, piped stderr"
pass "progress on stderr only when it is a terminal (not with -v or -q)"

# --- JSON ---
run_topo 0 down t-manr
run_topo 0 up "$ok" --json
contains "$ERR" "Apply complete"
"$PY" -c '
import json, sys
d = json.loads(sys.stdin.read())
assert d["version"] == 1 and d["lab"] == "t-manr" and d["probed"] is True, d
assert d["passed"] == 2 and d["failed"] == 0 and len(d["results"]) == 2, d
ch = d["changes"]
assert len(ch) == 9, ch
keys = {"op", "kind", "node", "namespace", "object", "iface", "peer", "attribute",
        "before", "after", "drift", "text"}
assert all(set(c) == keys for c in ch), ch
assert {"op": "create", "kind": "ns", "node": "h1", "object": "t-manr-h1"}.items() <= ch[0].items(), ch[0]
link = [c for c in ch if c["kind"] == "link"][0]
assert link["peer"] in ("t-manr-h2:eth0", "t-manr-h1:eth0") and link["iface"] == "eth0", link
addr = [c for c in ch if c["kind"] == "addr" and c["node"] == "h2"][0]
assert addr["object"] == "10.93.0.2/24" and addr["text"] == "t-manr-h2: add address 10.93.0.2/24 to eth0", addr
sc = [c for c in ch if c["kind"] == "sysctl"][0]
assert sc["op"] == "change" and sc["object"] == "net.ipv4.ip_forward" and sc["after"] == "0", sc
assert d["drift"] == [], d
' <<<"$OUT" || fail "up --json: $OUT"
# an edit: a change with its before and after; a hand-made address is drift
sed -i 's|^  - endpoints: .*|&\n    mtu: 1400|' "$ok"
nsexec t-manr-h2 ip addr add 10.93.7.7/32 dev lo
run_topo 2 plan "$ok" --json
"$PY" -c '
import json, sys
d = json.loads(sys.stdin.read())
assert d["version"] == 1 and d["add"] == 0 and d["change"] == 2 and d["errors"] == [], d
c = d["changes"][0]
assert (c["op"], c["kind"], c["attribute"], c["before"], c["after"]) == ("change", "link", "mtu", "1500", "1400"), c
assert d["drift"][0]["object"] == "10.93.7.7/32" and d["drift"][0]["drift"] is True, d
' <<<"$OUT" || fail "plan --json: $OUT"
tty_run "TERM=xterm $TOPO plan $ok"	# on a terminal: signs and drift in colour
contains "$TTY_OUT" "${esc}33m~${esc}0m link t-manr-h1:eth0 mtu 1500 -> 1400" "plan on a terminal"
contains "$TTY_OUT" "${esc}33m! drift${esc}0m t-manr-h2: address 10.93.7.7/32 on lo" "plan on a terminal"
run_topo 2 plan "$ok"
lacks "$OUT" "$esc" "plan piped"
run_topo 0 up "$ok" --json --no-probe
"$PY" -c '
import json, sys
d = json.loads(sys.stdin.read())
assert d["probed"] is False and d["results"] == [] and d["passed"] == 0, d
assert [c["attribute"] for c in d["changes"]] == ["mtu", "mtu"], d
assert [c["object"] for c in d["drift"]] == ["10.93.7.7/32"], d
' <<<"$OUT" || fail "up --json --no-probe: $OUT"
run_topo 0 up "$ok" --json -q --prune
"$PY" -c '
import json, sys
d = json.loads(sys.stdin.read())
assert [(c["op"], c["object"], c["drift"]) for c in d["changes"]] == [("delete", "10.93.7.7/32", True)], d
assert d["probed"] is True and d["failed"] == 0, d
' <<<"$OUT" || fail "up --json --prune: $OUT"
[ -z "$ERR" ] || fail "up --json -q wrote to stderr: $ERR"
pass "up --json carries the changes (before and after), the drift and the probes; plan --json"
