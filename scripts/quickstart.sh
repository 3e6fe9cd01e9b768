#!/usr/bin/env bash
# Build topo and bring up the quickstart lab with its probes.
#   sudo scripts/quickstart.sh [LAB.yaml]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh build
cmake -S . -B build -DTOPO_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
lab=${1:-topologies/quickstart.yaml}
echo "+ build/topo up $lab"
build/topo up "$lab"
echo
echo "The lab is up. Try: build/topo status $lab; ip netns; build/topo down $lab"
