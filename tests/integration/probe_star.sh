#!/bin/bash
# "*" to "*" on a 10-host lab around a `kind: bridge` switch: every ordered
# pair of distinct hosts, never the bridge, only in the families that the
# source has (h10 has no IPv6), all passing on a lab just made.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/probe-helpers.bash"

P=prs
N=10
pr_node $P sw
ip -n $P-sw link add br0 type bridge
ip -n $P-sw link set br0 up
{
	printf 'name: pr-star\nprefix: %s\nnodes:\n  sw: { kind: bridge }\n' $P
	for i in $(seq $N); do printf '  h%d: {}\n' "$i"; done
	printf 'links:\n'
} >"$T_DIR/lab.yaml"
for i in $(seq $N); do
	pr_node $P h$i
	pr_link $P-h$i eth0 $P-sw p$i
	ip -n $P-sw link set p$i master br0
	if [ "$i" = "$N" ]; then
		pr_addr $P-h$i eth0 10.0.0.$i/24
		printf '  - endpoints: ["h%d:eth0 10.0.0.%d/24", "sw:p%d"]\n' "$i" "$i" "$i"
	else
		pr_addr $P-h$i eth0 10.0.0.$i/24 2001:db8::$i/64
		printf '  - endpoints: ["h%d:eth0 10.0.0.%d/24 2001:db8::%d/64", "sw:p%d"]\n' \
			"$i" "$i" "$i" "$i"
	fi >>"$T_DIR/lab.yaml"
done
printf 'probes:\n  - { from: "*", to: "*" }\n' >>"$T_DIR/lab.yaml"

run_topo 0 probe "$T_DIR/lab.yaml" --json
printf '%s' "$OUT" >"$T_DIR/out.json"
pr_py - "$T_DIR/out.json" $N <<'PY' || fail "json check"
import json, sys
r = json.load(open(sys.argv[1])); n = int(sys.argv[2])
hosts = ["h%d" % i for i in range(1, n + 1)]
want = set()
for a in hosts:
    for b in hosts:
        if a == b:
            continue
        i = int(b[1:])
        want.add((a, b, "10.0.0.%d" % i))
        if a != hosts[-1] and b != hosts[-1]:
            want.add((a, b, "2001:db8::%d" % i))
got = [(x["from"], x["to"], x["address"]) for x in r["results"]]
assert len(got) == len(set(got)) == len(want) == 9 * 8 * 2 + 9 + 9, (len(got), len(want))
assert set(got) == want, sorted(set(got) ^ want)[:10]
assert all(x["passed"] and x["attempts"] == 1 for x in r["results"])
assert r["failed"] == 0 and r["passed"] == len(want)
PY
pass "all pairs of a 10-host lab"
