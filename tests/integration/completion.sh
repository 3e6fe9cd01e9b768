# The bash completion on a running lab: lab names after commands that take
# a LAB, node names after `exec LAB` (and any command whose usage says
# NODE), NODE: then the node's interfaces for NODE:IFACE (capture).
# Driven as bash drives it: COMP_LINE, COMP_POINT, COMP_WORDS, COMP_CWORD,
# then _topo. The static part (commands, options, files) is
# tests/docs/completion.sh.
source "$(dirname "$0")/lib.sh"
lab t-compl
f="$T_DIR/lab.yaml"
printf 'name: t-compl\nprefix: t-cpl\nnodes: { a: {}, b: {} }\nlinks: [{ endpoints: ["a:eth0 10.73.0.1/24", "b:eth7 10.73.0.2/24"] }]\n' >"$f"
run_topo 0 up "$f" --no-probe

# complete WORD... : the words of the line, the last one being completed;
# prints COMPREPLY one per line, sorted
complete_line() {
	bash -c '
		source "$1/scripts/topo-completion.bash" || exit 9
		shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_topo
		[ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}" | sort' bash "$TOPO_SRC" "$TOPO" "$@"
}
# expect "WANT" WORD... : the completions are exactly WANT (one line each)
expect() {
	local want=$1 got
	shift
	got=$(complete_line "$@")
	[ "$got" = "$want" ] || fail "completing '$*': got '$(echo $got)', want '$(echo $want)'"
}

got=$(complete_line status "")
grep -qx t-compl <<<"$got" || fail "status <TAB> lacks the lab t-compl: $got"
got=$(complete_line down t-co)
grep -qx t-compl <<<"$got" || fail "down t-co<TAB> lacks the lab t-compl: $got"
pass "lab names"

expect $'a\nb' exec t-compl ""
expect "b" exec t-compl b
expect "--" exec t-compl a ""
expect $'a:\nb:' capture t-compl ""
# readline replaces what follows the colon: the interface alone
expect $'eth7\nlo' capture t-compl b:
expect "eth0" capture t-compl a:e
expect "" exec t-compl-none ""
pass "node names of a running lab, and NODE:IFACE"

run_topo 0 down t-compl
expect "" exec t-compl ""
pass "a lab that is down has no nodes to offer"
