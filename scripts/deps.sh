#!/usr/bin/env bash
# Installs the Debian packages topo needs: `deps.sh build` for building and
# running it, `deps.sh test` for the test suite too. Installs only what is
# missing, so it is quick on a machine that has everything.
set -euo pipefail

build=(build-essential cmake pkg-config libyaml-dev libmnl-dev libev-dev iproute2 libnftables-dev)
test=(libcmocka-dev python3 python3-jsonschema python3-yaml clang libclang-rt-dev iputils-ping
      procps util-linux bsdutils socat tcpdump graphviz man-db groff-base iperf3 nftables bird2
      qemu-system-x86 busybox-static kmod xz-utils	# scripts/stock-kernel.sh
      ansible-core)	# tests/scripts/scale_out_ansible.sh

want=("${build[@]}")
[ "${1:-build}" = test ] && want+=("${test[@]}")

missing=()
for p in "${want[@]}"; do
	[[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" == *"ok installed"* ]] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "scripts/deps.sh: missing packages: ${missing[*]}; run as root to install them" >&2
		exit 1
	fi
	echo "installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Debian's stock kernel for the tests that need what this machine's kernel
# may lack (netem...), unpacked into a cache, not installed.
if [ "${1:-build}" = test ] && [ "$(id -u)" = 0 ]; then
	"$(dirname "$0")/stock-kernel.sh" prepare >/dev/null
fi
