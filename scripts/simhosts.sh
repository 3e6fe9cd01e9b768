#!/usr/bin/env bash
# simhosts.sh - simulated hosts on one machine, for tests and benchmarks of
# labs that span several hosts (`hosts:`, `topo up --host`).
#
# Each simulated host is a network namespace whose eth0 is a port of one
# underlay bridge, itself in a namespace of its own (never the real root
# namespace). topo runs "on" a host through `exec`: in the host's network
# namespace and in a mount namespace of its own, where /run/netns and
# /run/topo are the host's private directories. Those directories are
# shared mounts (as iproute2 makes /run/netns), so the namespaces a topo
# run bind-mounts there outlive it and the next run on the same host sees
# them, while no other host (and not the real machine) does.
#
#   simhosts.sh create PREFIX [--mtu M] NAME=ADDRESS... | N
#       hosts PREFIX-NAME with ADDRESS (IPv4 or IPv6, on one underlay
#       subnet: /24 or /64), or N hosts h1..hN at 198.18.0.1..N; the
#       underlay MTU is M (default 1500)
#   simhosts.sh hosts PREFIX      the `hosts:` block of a lab file for them
#   simhosts.sh exec PREFIX NAME -- CMD [ARGS...]
#       run CMD on host NAME (e.g. `topo up lab.yaml --host NAME`)
#   simhosts.sh destroy PREFIX    remove every host, the underlay, and all
#       that runs or is mounted in them (lab namespaces included)
#
# PREFIX keeps callers apart ([a-z0-9-], at most 8 characters, so that
# PREFIX-NAME stays a short namespace name); a test uses its own.
# Needs root, nsenter, unshare and findmnt (util-linux) and ip (iproute2).
set -euo pipefail

STATE_ROOT=/run/topo-simhosts

die() {
	echo "simhosts: $*" >&2
	exit 1
}

usage() {
	sed -n '/^#   simhosts.sh/,/^# PREFIX/p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 1
}

check_prefix() {
	[[ $1 =~ ^[a-z0-9][a-z0-9-]{0,7}$ ]] || die "invalid prefix '$1' ([a-z0-9-], at most 8 characters)"
}

# The namespace inode a file (a /proc/PID/ns/net or a bind mount of one) refers to.
ns_inode() {
	stat -L -c %i "$1" 2>/dev/null || true
}

# Kill every process whose network namespace is the one FILE refers to.
kill_in_ns() {
	local ino p
	ino=$(ns_inode "$1")
	[ -n "$ino" ] || return 0
	for p in /proc/[0-9]*; do
		[ "$(ns_inode "$p/ns/net")" = "$ino" ] && kill -9 "${p#/proc/}" 2>/dev/null
	done
	return 0
}

# A directory that is a shared mount of its own (its own peer group), so that
# bind mounts of it in other mount namespaces propagate mounts back here.
shared_dir() {
	mkdir -p "$1"
	mount --bind "$1" "$1"
	mount --make-private "$1"
	mount --make-shared "$1"
}

cmd_create() {
	local prefix=$1 mtu=1500 i=0 name addr plen spec dir
	shift
	check_prefix "$prefix"
	local -a specs=()
	while [ $# -gt 0 ]; do
		case $1 in
		--mtu) mtu=${2:?--mtu needs a value}; shift 2 ;;
		*=*) specs+=("$1"); shift ;;
		*[!0-9]* | '') die "expected NAME=ADDRESS or a number of hosts, got '$1'" ;;
		*) for ((i = 1; i <= $1; i++)); do specs+=("h$i=198.18.0.$i"); done; shift ;;
		esac
	done
	[ ${#specs[@]} -gt 0 ] || usage
	[ -e "$STATE_ROOT/$prefix" ] && die "hosts of prefix '$prefix' exist: destroy them first"
	mkdir -p "$STATE_ROOT/$prefix" /run/netns /run/topo
	ip netns add "$prefix-ul"
	ip -n "$prefix-ul" link add ul0 type bridge
	ip -n "$prefix-ul" link set ul0 mtu "$mtu" up
	ip -n "$prefix-ul" link set lo up
	i=0
	for spec in "${specs[@]}"; do
		name=${spec%%=*} addr=${spec#*=} i=$((i + 1))
		[[ $name =~ ^[a-z0-9][a-z0-9_-]*$ ]] || die "invalid host name '$name'"
		case $addr in *:*) plen=64 ;; *) plen=24 ;; esac
		ip netns add "$prefix-$name"
		ip -n "$prefix-ul" link add "p$i" mtu "$mtu" type veth peer name eth0 mtu "$mtu" \
			netns "$prefix-$name"
		ip -n "$prefix-ul" link set "p$i" master ul0 up
		ip -n "$prefix-$name" link set lo up
		ip -n "$prefix-$name" addr add "$addr/$plen" dev eth0 $([ $plen = 64 ] && echo nodad)
		ip -n "$prefix-$name" link set eth0 up
		dir=$STATE_ROOT/$prefix/$name
		shared_dir "$dir/netns"
		shared_dir "$dir/topo"
		echo "$name $addr" >>"$STATE_ROOT/$prefix/hosts"
	done
}

cmd_hosts() {
	local prefix=$1 name addr
	check_prefix "$prefix"
	[ -f "$STATE_ROOT/$prefix/hosts" ] || die "no hosts of prefix '$prefix'"
	echo "hosts:"
	while read -r name addr; do
		echo "  $name: { address: \"$addr\" }"
	done <"$STATE_ROOT/$prefix/hosts"
}

# In a mount namespace of its own, /run/netns and /run/topo become the host's:
# the mounts that hold them are made private first, so that covering them is
# not seen outside, while the host's directories stay peers of their
# originals, so that what topo mounts in them is.
cmd_exec() {
	local prefix=$1 name=$2 dir
	check_prefix "$prefix"
	shift 2
	[ "${1:-}" = -- ] && shift
	[ $# -gt 0 ] || usage
	dir=$STATE_ROOT/$prefix/$name
	[ -d "$dir/netns" ] && [ -e "/run/netns/$prefix-$name" ] || die "no host '$name' of prefix '$prefix'"
	exec nsenter --net="/run/netns/$prefix-$name" -- \
		unshare --mount --propagation unchanged -- /bin/sh -c '
		set -e
		dir=$1
		shift
		for p in /run/netns /run/topo; do
			mount --make-private "$(findmnt -n -o TARGET --target "$p")"
		done
		mount --rbind "$dir/netns" /run/netns
		mount --rbind "$dir/topo" /run/topo
		exec "$@"' simhost "$dir" "$@"
}

# Unmount everything under DIR, deepest first.
umount_under() {
	local m
	findmnt -rn -o TARGET | awk -v d="$1/" 'index($0, d) == 1' | sort -r | while read -r m; do
		umount -l "$m" 2>/dev/null || true
	done
}

cmd_destroy() {
	local prefix=$1 name addr dir f
	check_prefix "$prefix"
	if [ -f "$STATE_ROOT/$prefix/hosts" ]; then
		while read -r name addr; do
			dir=$STATE_ROOT/$prefix/$name
			for f in "$dir"/netns/*; do
				[ -e "$f" ] && kill_in_ns "$f"
			done
			[ -e "/run/netns/$prefix-$name" ] && kill_in_ns "/run/netns/$prefix-$name"
			umount_under "$dir"
			umount -l "$dir/netns" "$dir/topo" 2>/dev/null || true
			ip netns del "$prefix-$name" 2>/dev/null || true
		done <"$STATE_ROOT/$prefix/hosts"
	fi
	umount_under "$STATE_ROOT/$prefix"
	ip netns del "$prefix-ul" 2>/dev/null || true
	rm -rf "${STATE_ROOT:?}/$prefix"
	rmdir "$STATE_ROOT" 2>/dev/null || true
}

[ $# -ge 2 ] || usage
cmd=$1
shift
case $cmd in
create) cmd_create "$@" ;;
hosts) cmd_hosts "$@" ;;
exec) [ $# -ge 3 ] || usage; cmd_exec "$@" ;;
destroy) cmd_destroy "$@" ;;
*) usage ;;
esac
