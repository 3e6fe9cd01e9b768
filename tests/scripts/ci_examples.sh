# The CI examples of scripts/ci-examples/ are YAML their CI reads, build
# topo with what deps.sh installs, run `topo test` into the directory of
# JUnit files they publish, and the command they run is one topo accepts.
set -euo pipefail
TOPO_SRC=${TOPO_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
source "$TOPO_SRC/tests/skip.bash"
need_tool python3
python3 -c 'import yaml' 2>/dev/null || skip_tool python3-yaml

python3 - "$TOPO_SRC/scripts/ci-examples" <<'PY'
import glob, os, re, sys, yaml

def steps_text(doc):
    """Every command line of a workflow, as one text."""
    out = []
    def walk(v):
        if isinstance(v, dict):
            for k, x in v.items():
                if k in ("run", "script"):
                    out.extend(x if isinstance(x, list) else [x])
                else:
                    walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)
    walk(doc)
    return "\n".join(out)

files = sorted(glob.glob(os.path.join(sys.argv[1], "*.yml")))
if len(files) < 2:
    sys.exit(f"FAIL: expected the GitHub and GitLab examples, found {files}")
for f in files:
    doc = yaml.safe_load(open(f))
    text = steps_text(doc)
    for want in ("scripts/deps.sh", "cmake -S", "cmake --build",
                 "topo test labs/*.yaml --junit results"):
        if want not in text:
            sys.exit(f"FAIL: {f} does not run '{want}':\n{text}")
    raw = open(f).read()
    if "results/*.xml" not in raw:
        sys.exit(f"FAIL: {f} does not publish results/*.xml")
    print(f"ok: {os.path.basename(f)}")
PY
# The options the examples give are topo test's.
TOPO=${TOPO:-$TOPO_SRC/build/topo}
[ -x "$TOPO" ] || { echo "FAIL: no topo binary at $TOPO" >&2; exit 1; }
help=$("$TOPO" test --help)
for opt in --junit --capture; do
	grep -qF -- "$opt" <<<"$help" || { echo "FAIL: topo test --help lacks $opt" >&2; exit 1; }
done
echo "ok: topo test takes the examples' options"
