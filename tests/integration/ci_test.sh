# topo test, the CI command: exit codes, a JUnit file per lab (also when
# `up` fails), status, logs and pcaps next to it on a failure, nothing left
# behind (also on SIGTERM), parallel runs of one file, --keep.
source "$(dirname "$0")/lib.sh"
need_tool tcpdump
need_tool python3

# The labs run under names made up by topo test (t-ci*-xxxxxx): whatever
# is left of them at exit goes, found by name as they have no prefix of
# their own.
ci_sweep() {
	local d ns
	for d in /run/topo/t-ci*-??????; do
		[ -d "$d" ] && "$TOPO" down "$(basename "$d")" >/dev/null 2>&1
	done
	for ns in $(ip netns list | awk '/^t-ci[a-z]*-[a-z0-9]{6}-/ {print $1}'); do
		"$TOPO" down "${ns%-*}" >/dev/null 2>&1
	done
}
trap 'rc=$?; ci_sweep; (exit $rc); t_cleanup' EXIT

# left NAME: namespaces or run directories of lab NAME's runs still here?
left() {
	ip netns list | grep "^$1-" >/dev/null && return 0
	compgen -G "/run/topo/$1-*" >/dev/null
}

# junit FILE TESTS FAILURES: FILE parses as XML, with those counts.
junit() {
	python3 - "$@" <<'PY' || fail "JUnit $1 is not what was expected"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suite = root.find("testsuite")
got = (root.tag, suite.get("tests"), suite.get("failures"),
       len(suite.findall("testcase/failure")))
want = ("testsuites", sys.argv[2], sys.argv[3], int(sys.argv[3]))
if got != want:
    sys.exit(f"{sys.argv[1]}: got {got}, expected {want}")
PY
}

cat >"$T_DIR/pass.yaml" <<'YAML'
name: t-cipass     # runs as t-cipass-xxxxxx
nodes:
  a: {}
  b: {}
links:
  - endpoints: ["a:eth0 10.78.0.1/24", "b:eth0 10.78.0.2/24"]
probes:
  - { from: a, to: b }
YAML
# The second probe fails, slowly: time to put a process log in the lab's
# run directory, as a node's processes have them.
cat >"$T_DIR/fail.yaml" <<'YAML'
name: t-cifail
prefix: "t-cif"      # namespaces t-cif-xxxxxx-NODE
nodes:
  a: {}
  b: {}
links:
  - endpoints: ["a:eth0 10.78.1.1/24", "b:eth0 10.78.1.2/24"]
probes:
  - { from: a, to: b }
  - { from: a, to: 10.78.1.99, timeout: 3s }
YAML
# The kernel refuses the sysctl: `up` fails half-way.
cat >"$T_DIR/upfail.yaml" <<'YAML'
name: t-ciup
nodes:
  a:
    sysctl: { net.ipv4.no_such_key_for_topo: 1 }
  b: {}
links:
  - endpoints: ["a:eth0 10.78.2.1/24", "b:eth0 10.78.2.2/24"]
YAML
sed 's/^name: t-cipass .*/name: t-cislow/; s/to: b }/to: 10.78.0.99, timeout: 30s }/' \
	"$T_DIR/pass.yaml" >"$T_DIR/slow.yaml"
cd "$T_DIR"

# 1. A passing lab: exit 0, a passing JUnit, no failure files, nothing left.
run_topo 0 test pass.yaml --junit res
junit res/t-cipass.xml 1 0
[ ! -e res/t-cipass ] || fail "a passing lab left files: $(ls -R res)"
contains "$OUT" "lab t-cipass is up as t-cipass-" "topo test's output"
contains "$OUT" "1 lab: 1 passed" "topo test's summary"
left t-cipass && fail "t-cipass left something: $(ip netns list; ls /run/topo)"
pass "a passing lab"

# 2. A failing probe: exit 3, the failure in the JUnit, status, the log and
# a pcap of the link that tcpdump reads, with the probes' packets in it.
"$TOPO" test fail.yaml --junit res --capture >out 2>err & T_PIDS+=($!); pid=$!
for i in $(seq 100); do
	run=$(compgen -G "/run/topo/t-cifail-*/lab.yaml" | head -1 || true)
	[ -n "$run" ] && break
	sleep 0.1
done
[ -n "$run" ] || fail "t-cifail never came up: $(cat err)"
run=$(basename "$(dirname "$run")")
mkdir -p "/run/topo/$run/a" && echo "a process said this" >"/run/topo/$run/a/daemon.log"
rc=0; wait $pid || rc=$?
[ $rc = 3 ] || fail "a failing probe: exit $rc, expected 3: $(cat out err)"
junit res/t-cifail.xml 2 1
grep -q 'fail.yaml:10:5: from a to 10.78.1.99' res/t-cifail.xml || fail "the failure: $(cat res/t-cifail.xml)"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["lab"] == sys.argv[2], d["lab"]
assert [n["namespace"] for n in d["nodes"]] == [sys.argv[3] + "-a", sys.argv[3] + "-b"], d["nodes"]
assert d["pending"] == [] and d["drift"] == [], d' \
	res/t-cifail/status.json "$run" "t-cif-${run#t-cifail-}" || fail "status.json: $(cat res/t-cifail/status.json)"
[ "$(cat res/t-cifail/logs/a/daemon.log)" = "a process said this" ] || fail "the log: $(ls -R res)"
dump=$(tcpdump -nn -r res/t-cifail/a-eth0.pcap 2>&1) || fail "tcpdump -r: $dump"
contains "$dump" "IP 10.78.1.1 > 10.78.1.2: ICMP echo request" "the pcap"
contains "$dump" "IP 10.78.1.2 > 10.78.1.1: ICMP echo reply" "the pcap"
contains "$dump" "who-has 10.78.1.99" "the pcap"
left t-cifail && fail "t-cifail left something"
pass "a failing probe: exit 3, JUnit, status, logs, pcap"

# 3. `up` fails: exit 1, and still a JUnit with the kernel's word.
run_topo 1 test upfail.yaml --junit res
junit res/t-ciup.xml 1 1
grep -q "set sysctl net.ipv4.no_such_key_for_topo to 1: No such file or directory" res/t-ciup.xml ||
	fail "the error is not in the JUnit: $(cat res/t-ciup.xml)"
contains "$ERR" "no_such_key_for_topo" "stderr"
left t-ciup && fail "t-ciup left something"
# A file that does not load is a JUnit too, named for the file.
echo "name: [" >broken.yaml
run_topo 1 test broken.yaml pass.yaml --junit res
junit res/broken.xml 1 1
contains "$OUT" "2 labs: 1 passed, 0 failed a probe, 1 error" "topo test's summary"
pass "up fails: exit 1 with a JUnit"

# 4. SIGTERM while probing: torn down, exit 143.
"$TOPO" test slow.yaml --junit res >slow.out 2>slow.err & T_PIDS+=($!); pid=$!
for i in $(seq 100); do
	grep -q "is up as" slow.out 2>/dev/null && break
	sleep 0.1
done
grep -q "is up as" slow.out || fail "t-cislow never came up: $(cat slow.out slow.err)"
left t-cislow || fail "t-cislow is not up"
sleep 0.3
kill -TERM $pid
rc=0; wait $pid || rc=$?
[ $rc = 143 ] || fail "SIGTERM: exit $rc, expected 143: $(cat slow.out slow.err)"
left t-cislow && fail "SIGTERM left t-cislow behind: $(ip netns list; ls /run/topo)"
junit res/t-cislow.xml 1 1
grep -q "interrupted by signal 15" res/t-cislow.xml || fail "JUnit of SIGTERM: $(cat res/t-cislow.xml)"

# A reader of the output that goes away does not stop the teardown.
rc=0; "$TOPO" test pass.yaml --junit piped 2>/dev/null | true || rc=$?
junit piped/t-cipass.xml 1 0
left t-cipass && fail "topo test with its reader gone left t-cipass behind"
pass "SIGTERM: torn down, exit 143; a reader gone: torn down"

# 5. The same file twice at once: both pass.
"$TOPO" test pass.yaml --junit p1 >p1.out 2>&1 & T_PIDS+=($!); p1=$!
"$TOPO" test pass.yaml --junit p2 >p2.out 2>&1 & T_PIDS+=($!); p2=$!
rc1=0; wait $p1 || rc1=$?
rc2=0; wait $p2 || rc2=$?
[ "$rc1$rc2" = 00 ] || fail "parallel runs: exit $rc1 and $rc2: $(cat p1.out p2.out)"
junit p1/t-cipass.xml 1 0
junit p2/t-cipass.xml 1 0
left t-cipass && fail "parallel runs left something"
pass "two runs of one file in parallel"

# 6. --keep: the lab stays, reachable under its run name, which status and
# down agree with.
run_topo 0 test pass.yaml --keep
run=$(sed -n 's/.*is kept up as \(t-cipass-[a-z0-9]*\):.*/\1/p' <<<"$OUT")
[ -n "$run" ] || fail "--keep does not say the run's name: $OUT"
netns_exists "$run-a" || fail "--keep: no namespace $run-a"
grep -q "^name: $run " "/run/topo/$run/lab.yaml" || fail "the kept file: $(cat "/run/topo/$run/lab.yaml")"
run_topo 0 list
contains "$OUT" "$run" "topo list"
run_topo 0 status "$run"
contains "$OUT" "in sync with the file" "status of the kept lab"
run_topo 0 down "$run"
left t-cipass && fail "down $run left something"
pass "--keep"

# 7. Names that leave no room for the run's suffix, and bad arguments.
sed 's/^name: t-cipass .*/name: t-ci-a-name-of-26-chars-xy/' pass.yaml >long.yaml
run_topo 1 test long.yaml
contains "$ERR" "adds a 7-character run suffix (-xxxxxx) and names are at most 32, so it can be at most 25" "stderr"
run_topo 1 test pass.yaml --capture
contains "$ERR" "--capture needs --junit DIR" "stderr"
run_topo 1 test pass.yaml --nope
run_topo 1 test
run_topo 0 test --help
contains "$OUT" "--junit DIR" "test --help"
pass "names too long and bad arguments"
