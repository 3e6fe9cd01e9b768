#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Check topo lab files against schemas/topology.schema.json.

usage: schema-check.py [--invalid] FILE...

Without --invalid every FILE must be valid; with it every FILE must be
rejected. Prints one line per file and exits 0 when every file met the
expectation, 1 otherwise, 2 on a usage error. Needs PyYAML and jsonschema
(Debian: python3-yaml, python3-jsonschema); run it with /usr/bin/python3.
"""

import json
import os
import sys

import jsonschema
import yaml

SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "schemas",
                      "topology.schema.json")


def key_text(k):
    """A mapping key as the text topo sees (`1:` is the key "1"). A null or
    non-scalar key becomes text that no pattern of the schema accepts, as
    topo rejects it too."""
    if isinstance(k, str):
        return k
    if isinstance(k, bool):
        return "true" if k else "false"
    if k is None:
        return ""
    if isinstance(k, (list, dict, tuple)):
        return json.dumps(jsonable(k))
    return str(k)


def jsonable(v):
    """The JSON view of a YAML value: text keys only; YAML 1.1 extras
    (dates, binary) as text."""
    if isinstance(v, dict):
        return {key_text(k): jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [jsonable(x) for x in v]
    if v is None or isinstance(v, (str, int, float, bool)):
        return v
    if isinstance(v, (bytes, bytearray)):
        return v.decode("latin-1")
    return str(v)


def errors_of(validator, path):
    """Return the list of reasons why PATH is not a valid lab (empty: valid)."""
    try:
        with open(path, "rb") as f:
            doc = jsonable(yaml.safe_load(f))
    except (yaml.YAMLError, UnicodeDecodeError, ValueError, RecursionError) as e:
        return ["not YAML: " + str(e).replace("\n", " ")]
    out = []
    for e in sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.path))):
        where = "/".join(str(p) for p in e.absolute_path) or "(top)"
        out.append("%s: %s" % (where, e.message))
    return out


def main(argv):
    expect_valid = True
    if argv and argv[0] == "--invalid":
        expect_valid = False
        argv = argv[1:]
    if not argv or argv[0].startswith("-"):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    with open(SCHEMA) as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    bad = 0
    for path in argv:
        errs = errors_of(validator, path)
        if expect_valid and errs:
            bad += 1
            for e in errs:
                print("FAIL %s: %s" % (path, e))
        elif not expect_valid and not errs:
            bad += 1
            print("FAIL %s: accepted by the schema, expected a rejection" % path)
        else:
            print("ok %s%s" % (path, "" if expect_valid else ": " + errs[0][:200]))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
