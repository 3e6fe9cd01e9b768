#!/bin/bash
# --junit never writes through a symbolic link at the end of its path (root
# would overwrite whatever a planted link points at); a plain file is written.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/probe-helpers.bash"

P=prjl
pr_node $P h1
pr_addr $P-h1 lo 10.9.9.1/32
f="$T_DIR/lab.yaml"
cat >"$f" <<YAML
name: pr-junit-link
prefix: $P
nodes:
  h1:
    addresses:
      lo: [10.9.9.1/32]
probes:
  - { from: h1, to: 10.9.9.1 }
YAML

echo "precious" >"$T_DIR/victim"
ln -s "$T_DIR/victim" "$T_DIR/report.xml"
run_topo 1 probe "$f" --junit "$T_DIR/report.xml"
contains "$ERR" "cannot write $T_DIR/report.xml: it is a symbolic link (not followed)"
[ "$(cat "$T_DIR/victim")" = precious ] || fail "the link's target was written"
pass "a symlink at --junit is refused and its target left alone"

rm "$T_DIR/report.xml"
echo "old content that is longer than nothing at all" >"$T_DIR/report.xml"
run_topo 0 probe "$f" --junit "$T_DIR/report.xml"
contains "$(cat "$T_DIR/report.xml")" "<testsuite"
lacks "$(cat "$T_DIR/report.xml")" "old content"
pass "a plain file at --junit is replaced"
