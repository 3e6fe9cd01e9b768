#!/usr/bin/env bash
# Build topo and bring up the quickstart lab with its probes.
#   sudo scripts/quickstart.sh [LAB.yaml]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh build
# The user preset: build/topo without the tests (no cmocka needed).
scripts/build.sh user
lab=${1:-topologies/quickstart.yaml}
echo "+ build/topo up $lab"
build/topo up "$lab"
echo
echo "The lab is up. Try: build/topo status $lab; ip netns; build/topo down $lab"
