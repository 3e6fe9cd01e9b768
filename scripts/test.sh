#!/usr/bin/env bash
# Install what the tests need, build, and run every test: once as built for
# users, the tests labelled stock-kernel again on Debian's stock kernel in a
# QEMU guest (scripts/stock-kernel.sh), and all once more under
# AddressSanitizer + UndefinedBehaviorSanitizer. Both builds are presets of
# CMakePresets.json (release, asan) in which a warning is an error; a
# failed build stops this script with exit 1.
#   sudo scripts/test.sh            # all three passes
#   sudo scripts/test.sh --fast     # the plain pass only
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh test
jobs=$(nproc)

run_pass() {	# PRESET
	scripts/build.sh "$1"
	ctest --preset "$1" -j"$jobs"
}

echo "== tests (release build)"
run_pass release
if [ "${1:-}" != --fast ]; then
	echo "== tests on Debian's stock kernel (QEMU guest)"
	scripts/stock-kernel.sh run ctest --preset release -L stock-kernel --output-on-failure
	echo "== tests under ASan + UBSan"
	run_pass asan
fi
