# docs/format.md documents every key: each property name anywhere in
# schemas/topology.schema.json, and each key of the loader's key tables
# (emu/load.c, emu/load_*.c), must appear in it as `key`. A key added to
# the schema or the loader without its documentation fails here. Each
# must also be a word of the fuzzer's dictionary (tests/fuzz/topo.dict),
# or the fuzzer only reaches the key's code by luck.
set -uo pipefail
TOPO_SRC=${TOPO_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
cd "$TOPO_SRC" || exit 1
source tests/skip.bash
PY=/usr/bin/python3
[ -x "$PY" ] || skip_tool python3 "walks the JSON Schema"

"$PY" - schemas/topology.schema.json emu/load.c docs/format.md tests/fuzz/topo.dict <<'PY'
import json, re, sys

schema_path, load_path, doc_path, dict_path = sys.argv[1:5]
doc = open(doc_path, encoding="utf-8").read()

keys = {}  # key -> where it comes from

def walk(node, path):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "properties" and isinstance(v, dict):
                for name in v:
                    keys.setdefault(name, "schema " + path + "/properties/" + name)
            walk(v, path + "/" + k)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            walk(v, "%s/%d" % (path, i))

walk(json.load(open(schema_path, encoding="utf-8")), "#")
n_schema = len(keys)

# The loader's tables: static const char *const keys[..] = { "a", "b" };
# and node_keys[NK_N] = { ... }.
src = open(load_path, encoding="utf-8").read()
# and the loader's parts in files of their own (emu/load_run.c)
import glob, os
for extra in sorted(glob.glob(os.path.join(os.path.dirname(load_path), "load_*.c"))):
    src += open(extra, encoding="utf-8").read()
for m in re.finditer(r'(?:keys|node_keys)\[[A-Z_]+\]\s*=\s*\{([^}]*)\}', src):
    for name in re.findall(r'"([^"]+)"', m.group(1)):
        keys.setdefault(name, "emu/load.c key table")

if n_schema < 10 or len(keys) < n_schema:
    print("FAIL: found only %d schema keys; is the walk broken?" % n_schema)
    sys.exit(1)
missing = sorted(k for k in keys if "`%s`" % k not in doc)
for k in missing:
    print("FAIL: key '%s' (%s) is not documented in %s as `%s`" % (k, keys[k], doc_path, k))
words = set(re.findall(r'^"(.*)"$', open(dict_path, encoding="utf-8").read(), re.M))
undict = sorted(k for k in keys if k not in words)
for k in undict:
    print("FAIL: key '%s' (%s) is not a word of %s" % (k, keys[k], dict_path))
if missing or undict:
    sys.exit(1)
print("ok: all %d keys (%d from the schema) are in %s and %s" % (len(keys), n_schema, doc_path, dict_path))
PY
