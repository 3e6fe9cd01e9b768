#!/usr/bin/env bash
# Configure and build one preset of CMakePresets.json (release, asan, user)
# in the source tree SRC (default: this repository). The release and asan
# presets make a warning a compile error (CMAKE_COMPILE_WARNING_AS_ERROR),
# so a build that warns fails like one that does not compile: this script
# then prints the build's output and a line saying which build failed, and
# exits 1.
#   scripts/build.sh PRESET [SRC]
set -euo pipefail
preset=${1:?usage: scripts/build.sh PRESET [SRC]}
src=${2:-$(dirname "$0")/..}
cd "$src"
jobs=$(nproc)
log=$(mktemp /tmp/topo-build.XXXXXX)
trap 'rm -f "$log"' EXIT

# The output is kept and shown only on failure: a clean build says nothing.
if ! cmake --preset "$preset" >"$log" 2>&1; then
	cat "$log" >&2
	echo "scripts/build.sh: configuring the '$preset' preset failed (above)" >&2
	exit 1
fi
if ! cmake --build --preset "$preset" -j"$jobs" >"$log" 2>&1; then
	tail -n 200 "$log" >&2
	echo "scripts/build.sh: the '$preset' build failed: an error, or a warning (an error in the release and asan presets), above" >&2
	exit 1
fi
