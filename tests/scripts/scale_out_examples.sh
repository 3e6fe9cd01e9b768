# The scale-out examples of scripts/scale-out/ (README: "Scale out"):
# - the Kubernetes DaemonSet: YAML Kubernetes reads (a ConfigMap and a
#   DaemonSet whose selector matches its pods), hostNetwork, privileged,
#   the node's name from the downward API given to `topo up --host`, a
#   preStop `topo down --host`, /run/netns and /run/topo from the node with
#   Bidirectional propagation, the lab file from the ConfigMap, and that lab
#   file valid, its hosts the names --host gets;
# - the Ansible playbook: YAML, each machine's plan/up/down/probe with
#   --host (its syntax check is scale_out_ansible.sh);
# - the ssh loop: with a stand-in ssh and scp, each machine gets the file
#   and runs `topo up FILE --host NAME`, all at once, then the probes; a
#   machine that fails is exit 1 and no probes, a failed probe exit 3.
set -euo pipefail
TOPO_SRC=${TOPO_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
TOPO=${TOPO:-$TOPO_SRC/build/topo}
source "$TOPO_SRC/tests/skip.bash"
need_tool python3
python3 -c 'import yaml' 2>/dev/null || skip_tool python3-yaml
[ -x "$TOPO" ] || { echo "FAIL: no topo binary at $TOPO" >&2; exit 1; }
T_DIR=$(mktemp -d /tmp/topo-scaleout.XXXXXX)
trap 'rm -rf "$T_DIR"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
dir=$TOPO_SRC/scripts/scale-out

python3 - "$dir/kubernetes-daemonset.yaml" "$T_DIR/k8s-lab.yaml" <<'PY'
import sys, yaml

docs = list(yaml.safe_load_all(open(sys.argv[1])))
kinds = {d["kind"]: d for d in docs}
def need(cond, what):
    if not cond:
        sys.exit("FAIL: the DaemonSet example: " + what)
need(set(kinds) == {"ConfigMap", "DaemonSet"}, f"expected a ConfigMap and a DaemonSet, got {list(kinds)}")
cm, ds = kinds["ConfigMap"], kinds["DaemonSet"]
need(cm["apiVersion"] == "v1" and ds["apiVersion"] == "apps/v1", "apiVersions")
need(cm["metadata"]["namespace"] == ds["metadata"]["namespace"], "one namespace")
sel = ds["spec"]["selector"]["matchLabels"]
tmpl = ds["spec"]["template"]
need(all(tmpl["metadata"]["labels"].get(k) == v for k, v in sel.items()), "the selector matches the pods")
pod = tmpl["spec"]
need(pod.get("hostNetwork") is True, "hostNetwork: true")
(c,) = pod["containers"]
need(c["securityContext"].get("privileged") is True, "a privileged container")
env = {e["name"]: e for e in c.get("env", [])}
need(env.get("NODE_NAME", {}).get("valueFrom", {}).get("fieldRef", {}).get("fieldPath") == "spec.nodeName",
     "NODE_NAME from the downward API (spec.nodeName)")
run = " ".join(c.get("command", []) + c.get("args", []))
need("topo up /etc/topo/lab.yaml --host" in run and "$(NODE_NAME)" in run, "topo up --host with the node's name: " + run)
stop = " ".join(c["lifecycle"]["preStop"]["exec"]["command"])
need("topo down /etc/topo/lab.yaml --host" in stop and "NODE_NAME" in stop, "a preStop topo down --host: " + stop)
mounts = {m["mountPath"]: m for m in c["volumeMounts"]}
vols = {v["name"]: v for v in pod["volumes"]}
for path in ("/run/netns", "/run/topo"):
    m = mounts.get(path)
    need(m is not None, f"{path} mounted")
    need(m.get("mountPropagation") == "Bidirectional", f"{path} with Bidirectional propagation")
    need(vols[m["name"]].get("hostPath", {}).get("path") == path, f"{path} from the node (hostPath)")
m = mounts.get("/etc/topo")
need(m is not None and vols[m["name"]].get("configMap", {}).get("name") == cm["metadata"]["name"],
     "the lab file from the ConfigMap at /etc/topo")
need("lab.yaml" in cm["data"], "the ConfigMap holds lab.yaml")
open(sys.argv[2], "w").write(cm["data"]["lab.yaml"])
print("ok: the DaemonSet example")
PY
"$TOPO" validate "$T_DIR/k8s-lab.yaml" >/dev/null || fail "the ConfigMap's lab.yaml does not validate"
grep -q "^hosts:" "$T_DIR/k8s-lab.yaml" || fail "the ConfigMap's lab has no hosts:"
echo "ok: the ConfigMap's lab file validates"

python3 - "$dir/ansible/playbook.yml" <<'PY'
import sys, yaml

plays = yaml.safe_load(open(sys.argv[1]))
cmds = [t["ansible.builtin.command"] for p in plays for t in p["tasks"] if "ansible.builtin.command" in t]
for verb in ("plan", "up", "down", "probe"):
    if not any(c.startswith(f"topo {verb} ") and "--host {{ topo_host }}" in c for c in cmds):
        sys.exit(f"FAIL: the playbook has no topo {verb} --host: {cmds}")
if plays[0]["hosts"] != plays[1]["hosts"]:
    sys.exit("FAIL: the probe play runs on other machines than the up play")
print("ok: the Ansible playbook")
PY

# The ssh loop, with stand-ins that log what they were asked and play topo.
cat >"$T_DIR/ssh" <<'SH'
#!/bin/sh
echo "ssh $*" >>"$LOG"
case "$2" in
*" up "*"--host $FAIL_UP "*) exit 1 ;;
*" probe "*"--host $FAIL_PROBE") exit 3 ;;
esac
exit 0
SH
printf '#!/bin/sh\necho "scp $*" >>"$LOG"\n' >"$T_DIR/scp"
chmod +x "$T_DIR/ssh" "$T_DIR/scp"
ssh_lab() {	# ssh_lab RC ARGS...
	local want=$1 rc=0
	shift
	: >"$T_DIR/log"
	LOG=$T_DIR/log SSH=$T_DIR/ssh SCP=$T_DIR/scp TOPO=${REMOTE_TOPO:-topo} "$dir/ssh-lab.sh" "$@" \
		2>"$T_DIR/err" || rc=$?
	[ "$rc" = "$want" ] || fail "ssh-lab.sh $*: exit $rc, expected $want: $(cat "$T_DIR/err" "$T_DIR/log")"
}
ssh_lab 0 up "$T_DIR/k8s-lab.yaml" a b c
for h in a b c; do
	grep -qxF "scp -q $T_DIR/k8s-lab.yaml $h:topo-lab.yaml" "$T_DIR/log" || fail "no copy to $h: $(cat "$T_DIR/log")"
	grep -qxF "ssh $h topo up topo-lab.yaml --host $h --no-probe -q" "$T_DIR/log" || fail "no up on $h: $(cat "$T_DIR/log")"
	grep -qxF "ssh $h topo probe topo-lab.yaml --host $h" "$T_DIR/log" || fail "no probe on $h: $(cat "$T_DIR/log")"
done
[ "$(grep -n ' probe ' "$T_DIR/log" | head -1 | cut -d: -f1)" -gt "$(grep -n ' up ' "$T_DIR/log" | tail -1 | cut -d: -f1)" ] ||
	fail "probes before every machine was up: $(cat "$T_DIR/log")"
FAIL_PROBE=b ssh_lab 3 up "$T_DIR/k8s-lab.yaml" a b c
FAIL_UP=c ssh_lab 1 up "$T_DIR/k8s-lab.yaml" a b c
grep -q ' probe ' "$T_DIR/log" && fail "probes ran after a machine failed: $(cat "$T_DIR/log")"
REMOTE_TOPO="sudo topo" ssh_lab 0 down "$T_DIR/k8s-lab.yaml" a b
grep -qxF "ssh b sudo topo down topo-lab.yaml --host b" "$T_DIR/log" || fail "no down on b: $(cat "$T_DIR/log")"
ssh_lab 1 sideways "$T_DIR/k8s-lab.yaml" a
echo "ok: the ssh loop"
