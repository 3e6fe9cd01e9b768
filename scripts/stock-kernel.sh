#!/usr/bin/env bash
# Run a command on Debian's stock kernel, in a throw-away QEMU guest.
#
# This project's machines run a kernel without sch_netem, 8021q, bonding,
# dummy or vrf; users run stock distribution kernels, which have them all.
# The guest boots Debian's linux-image-amd64 (unpacked into a cache, never
# installed on the host) with the host's root filesystem as its own, shared
# read-only over 9p under a tmpfs overlay: the same binaries, the same build
# tree, nothing written back. Only the directory of results is shared
# read-write.
#
#   scripts/stock-kernel.sh prepare          fetch and unpack the kernel (deps.sh test does it)
#   scripts/stock-kernel.sh run CMD [ARG...] run CMD as root in the guest, in the
#                                            current directory; exits with CMD's status
#
# Environment: TOPO_STOCK_CACHE (default /var/cache/topo/stock-kernel),
# TOPO_STOCK_TIMEOUT (seconds, default 1800), TOPO_STOCK_MEM (default 1024M).
# KVM is used when /dev/kvm is there and is the kernel's own (kvm_intel or
# kvm_amd), TCG otherwise: the KVM of this project's machines, kvm_pvm,
# runs only kernels built for it, and a stock kernel hangs or dies on it.
# TOPO_STOCK_KVM=0 or 1 forces the choice.
set -euo pipefail

CACHE=${TOPO_STOCK_CACHE:-/var/cache/topo/stock-kernel}
# What the guest's first stage must load itself to reach the root
# filesystem; everything else the stock kernel loads on demand through
# /sbin/modprobe, as on a real machine.
BOOT_MODULES=(virtio_pci 9pnet_virtio 9p overlay)

die() { echo "stock-kernel: $*" >&2; exit 1; }

# What to remove and stop on exit, whatever the way out.
CLEAN=() QEMU_PID=
cleanup() {
	[ -z "$QEMU_PID" ] || kill "$QEMU_PID" 2>/dev/null || true
	[ ${#CLEAN[@]} -eq 0 ] || rm -rf "${CLEAN[@]}"
}
trap cleanup EXIT

kernel_package() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		awk '$1 == "Depends:" && $2 ~ /^linux-image-/ { print $2; exit }'
}

# The bzImage's payload, decompressed: booting the ELF vmlinux directly
# (PVH entry) saves the guest ~4.5 s of decompression under TCG.
extract_vmlinux() {	# BZIMAGE OUT
	local off
	off=$(LC_ALL=C grep -obUaP -m1 '\xfd7zXZ\x00' "$1" | cut -d: -f1 | head -1 || true)
	[ -n "$off" ] || die "no xz payload in $1"
	tail -c +$((off + 1)) "$1" | xz -dc --single-stream >"$2" 2>/dev/null || true
	[ "$(head -c 4 "$2" | od -An -tx1 | tr -d ' ')" = 7f454c46 ] || die "$1: the payload is not an ELF vmlinux"
}

# The first stage: busybox, the boot modules in load order, and an init
# that mounts the host's root read-only under a tmpfs overlay, then hands
# over to this script's guest stage as PID 1 (module auto-loading runs
# /sbin/modprobe in PID 1's root, so PID 1 itself must switch root).
make_initramfs() {	# ROOT VERSION OUT
	local root=$1 ver=$2 dir n=0 m
	dir=$(mktemp -d)
	mkdir -p "$dir/bin" "$dir/m" "$dir/proc" "$dir/sys" "$dir/dev" "$dir/lower" "$dir/upper" "$dir/newroot"
	cp /bin/busybox "$dir/bin/busybox"
	for m in $(modprobe -d "$root" -S "$ver" --show-depends -a "${BOOT_MODULES[@]}" |
		   awk '$1 == "insmod" { print $2 }' | awk '!seen[$0]++'); do
		n=$((n + 1))
		cp "$m" "$dir/m/$(printf %02d $n)-$(basename "$m")"
	done
	cat >"$dir/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t devtmpfs dev /dev
for m in /m/*.ko; do /bin/busybox insmod "$m" || echo "stage 1: insmod $m failed"; done
set -- $(/bin/busybox cat /proc/cmdline)
for a; do case $a in topo.init=*) init=${a#topo.init=} ;; esac; done
/bin/busybox mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144 root /lower &&
/bin/busybox mount -t tmpfs -o size=75% tmpfs /upper &&
/bin/busybox mkdir -p /upper/u /upper/w &&
/bin/busybox mount -t overlay overlay -o lowerdir=/lower,upperdir=/upper/u,workdir=/upper/w /newroot ||
	{ echo "stage 1: no root filesystem"; /bin/busybox poweroff -f; }
/bin/busybox umount /proc /dev
exec /bin/busybox switch_root /newroot /bin/bash "$init" guest
EOF
	chmod +x "$dir/init"
	(cd "$dir" && find . | busybox cpio -o -H newc 2>/dev/null | gzip -1) >"$3"
	rm -rf "$dir"
}

prepare() {
	local pkg ver tmp t
	pkg=$(kernel_package)
	[ -n "$pkg" ] || die "apt knows no linux-image-amd64 (apt-get update?)"
	ver=${pkg#linux-image-}
	[ -s "$CACHE/$ver/initramfs.gz" ] && { echo "$CACHE/$ver"; return 0; }
	for t in qemu-system-x86_64 busybox modprobe depmod xz; do
		command -v $t >/dev/null || die "$t is missing: run scripts/deps.sh test"
	done
	mkdir -p "$CACHE"
	tmp=$(mktemp -d "$CACHE/.prepare.XXXXXX")
	CLEAN+=("$tmp")
	# apt-get download as root into a directory _apt cannot write warns; it still downloads
	(cd "$tmp" && apt-get download -q "$pkg" >/dev/null 2>&1) || die "apt-get download $pkg failed"
	dpkg-deb -x "$tmp"/"$pkg"_*.deb "$tmp/root"
	depmod -b "$tmp/root" "$ver"	# the .deb ships no modules.dep
	mkdir -p "$tmp/out/lib"
	mv "$tmp/root/lib/modules" "$tmp/out/lib/modules"
	extract_vmlinux "$tmp/root/boot/vmlinuz-$ver" "$tmp/out/vmlinux"
	make_initramfs "$tmp/out" "$ver" "$tmp/out/initramfs.gz"
	rm -rf "${CACHE:?}/$ver"
	mv "$tmp/out" "$CACHE/$ver"
	echo "$CACHE/$ver"
}

# PID 1 in the guest, on the overlay root.
guest() {
	local out=/run/stock-out rc
	export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
	mount -t proc proc /proc
	mount -t sysfs sys /sys
	mount -t devtmpfs dev /dev
	mkdir -p /dev/pts /dev/shm && mount -t devpts devpts /dev/pts && mount -t tmpfs tmpfs /dev/shm
	mount -t tmpfs tmpfs /run
	mount -t cgroup2 cgroup2 /sys/fs/cgroup 2>/dev/null || true
	mkdir -p $out
	mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 out $out
	# the stock kernel's modules where its modprobe looks for them
	mkdir -p "/lib/modules/$(uname -r)"
	mount --bind "$(cat $out/modules)" "/lib/modules/$(uname -r)"
	hostname stock-kernel
	ip link set lo up
	rc=0
	bash $out/cmd >$out/log 2>&1 </dev/null || rc=$?
	echo $rc >$out/rc
	sync
	echo o >/proc/sysrq-trigger
	sleep 60
}

run() {
	local out rc accel=tcg kdir
	[ $# -gt 0 ] || die "usage: scripts/stock-kernel.sh run CMD [ARG...]"
	kdir=$(prepare | tail -1)
	out=$(mktemp -d /tmp/stock-kernel.XXXXXX)
	CLEAN+=("$out")
	{
		printf 'cd %q || exit 125\n' "$PWD"
		printf 'export CI=%q TOPO_STOCK_KERNEL=1\n' "${CI:-}"
		printf '%q ' "$@"
		echo
	} >"$out/cmd"
	echo "$kdir/lib/modules/$(basename "$kdir")" >"$out/modules"
	: >"$out/log"
	if [ "${TOPO_STOCK_KVM:-auto}" = 1 ] ||
	   { [ "${TOPO_STOCK_KVM:-auto}" = auto ] && [ -w /dev/kvm ] && [ ! -e /sys/module/kvm_pvm ] &&
	     { [ -e /sys/module/kvm_intel ] || [ -e /sys/module/kvm_amd ]; }; }; then
		accel=kvm
	fi
	echo "stock-kernel: booting $(basename "$kdir") ($accel) for: $*" >&2
	timeout "${TOPO_STOCK_TIMEOUT:-1800}" qemu-system-x86_64 -M pc -accel $accel -cpu max \
		-m "${TOPO_STOCK_MEM:-1024M}" -smp 2 -nodefaults -no-user-config -display none -no-reboot \
		-serial "file:$out/console" \
		-kernel "$kdir/vmlinux" -initrd "$kdir/initramfs.gz" \
		-append "console=ttyS0 panic=-1 quiet topo.init=$(realpath "$0")" \
		-virtfs local,path=/,mount_tag=root,security_model=none,readonly=on,multidevs=remap \
		-virtfs "local,path=$out,mount_tag=out,security_model=none" &
	QEMU_PID=$!
	tail -n +1 -f --pid=$QEMU_PID "$out/log"
	wait $QEMU_PID || true
	QEMU_PID=
	if [ ! -s "$out/rc" ]; then
		echo "stock-kernel: the guest stopped before the command finished; its console:" >&2
		tail -30 "$out/console" >&2
		return 1
	fi
	rc=$(cat "$out/rc")
	return "$rc"
}

case "${1:-}" in
prepare) prepare ;;
run) shift; run "$@" ;;
guest) [ $$ = 1 ] || die "the guest stage runs only as the guest's PID 1"; guest ;;
*) die "usage: scripts/stock-kernel.sh prepare | run CMD [ARG...]" ;;
esac
