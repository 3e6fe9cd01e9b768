#!/usr/bin/env bash
# Install what the tests need, build, and run every test: once as built for
# users, once under AddressSanitizer + UndefinedBehaviorSanitizer.
#   sudo scripts/test.sh            # both passes
#   sudo scripts/test.sh --fast     # the plain pass only
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh test
jobs=$(nproc)

run_pass() {
	local dir=$1; shift
	cmake -S . -B "$dir" "$@" >/dev/null
	cmake --build "$dir" -j"$jobs" 2>&1 | { grep -E "warning|error" || true; }
	cmake --build "$dir" -j"$jobs" >/dev/null
	(cd "$dir" && ctest --output-on-failure -j"$jobs")
}

echo "== tests (release build)"
run_pass build -DCMAKE_BUILD_TYPE=RelWithDebInfo
if [ "${1:-}" != --fast ]; then
	echo "== tests under ASan + UBSan"
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		run_pass build-asan -DCMAKE_BUILD_TYPE=Debug -DTOPO_SANITIZE=ON
fi
