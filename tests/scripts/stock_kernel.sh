# The stock-kernel runner (scripts/stock-kernel.sh): the guest really runs
# Debian's stock kernel with its modules, the command's exit status comes
# back, and nothing the guest writes reaches the host's filesystem.
set -uo pipefail
TOPO_SRC=${TOPO_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
source "$TOPO_SRC/tests/skip.bash"
[ "$(id -u)" = 0 ] || skip "needs root to boot the guest with the host's root filesystem"
need_tool qemu-system-x86_64 "qemu-system-x86"
need_tool busybox "busybox-static"
cache=${TOPO_STOCK_CACHE:-/var/cache/topo/stock-kernel}
ver=$(ls "$cache" 2>/dev/null | grep -v '^\.' | head -1)
[ -n "$ver" ] || skip_tool "$cache" "Debian's stock kernel, unpacked by scripts/stock-kernel.sh prepare"

fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
probe=$TOPO_SRC/.stock-kernel-probe-$$
rm -f "$probe"
trap 'rm -f "$probe"' EXIT

out=$("$TOPO_SRC/scripts/stock-kernel.sh" run sh -c \
	"uname -r; modprobe sch_netem && echo netem-loaded; ip link add sk0 type dummy && echo dummy-made; echo guest >$probe && cat $probe; exit 7" 2>&1)
rc=$?
echo "$out"
[ $rc = 7 ] || fail "the command's exit status 7 came back as $rc"
grep -qx "$ver" <<<"$out" || fail "the guest did not run the stock kernel $ver"
[ "$(uname -r)" != "$ver" ] || echo "note: the host runs $ver itself"
grep -qx netem-loaded <<<"$out" || fail "sch_netem did not load in the guest"
grep -qx dummy-made <<<"$out" || fail "no dummy interface in the guest (module auto-loading)"
grep -qx guest <<<"$out" || fail "the guest could not write in its overlay"
[ ! -e "$probe" ] || fail "a file the guest wrote reached the host: $probe"
[ $fails = 0 ] && echo "PASS" || exit 1
