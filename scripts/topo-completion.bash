# bash completion for topo; `cmake --install` puts it where bash-completion
# finds it (share/bash-completion/completions/topo). Without
# bash-completion: source it from ~/.bashrc.
#
# Nothing here lists topo's commands or options: they come from topo's
# own help at completion time (`topo --help`, `topo CMD --help`), and so
# do the kinds of the arguments (FILE, LAB, NODE, NODE:IFACE; lowercase
# words such as `chain` or `dot|mermaid|svg` are offered as they are). A
# new command or option needs no edit here. Lab names come from
# `topo list --json` (or, without root, the run directories in /run/topo),
# node and interface names from `topo status LAB --json` (root).

# _topo_help TOPO [CMD] - the help text, into _topo_text
_topo_help()
{
	_topo_text=$("$@" --help 2>/dev/null) || _topo_text=
}

# _topo_commands TOPO - the commands of `topo --help`
_topo_commands()
{
	local line
	_topo_help "$1"
	while IFS= read -r line; do
		[[ $line =~ ^\ +topo\ ([a-z][a-z0-9_-]*) ]] && printf '%s\n' "${BASH_REMATCH[1]}"
	done <<<"$_topo_text"
}

# _topo_parse TOPO CMD - from `topo CMD --help`: _topo_opts (every option),
# _topo_optval[OPT] (the value an option takes: FILE, dot|mermaid|svg...)
# and _topo_pos (the usage without its [options]: FILE|LAB, LAB NODE ...)
_topo_parse()
{
	local usage line spec w ws name val names
	_topo_opts=()
	_topo_optval=()
	_topo_help "$1" "$2"
	usage=${_topo_text%%$'\n'*}
	usage=${usage#usage: topo "$2"}
	local specs=()
	# [-x VALUE] groups of the usage line, and the "  -x, --xx VALUE  text"
	# lines of the options
	while [[ $usage =~ \[(-[^]]*)\] ]]; do
		specs+=("${BASH_REMATCH[1]}")
		usage=${usage/"${BASH_REMATCH[0]}"/}
	done
	if [[ $_topo_text == *$'\n'options:* ]]; then
		while IFS= read -r line; do
			[[ $line =~ ^\ \ +(-[^ ].*) ]] && specs+=("${BASH_REMATCH[1]%%  *}")
		done <<<"${_topo_text#*$'\n'options:}"
	fi
	for spec in "${specs[@]}"; do
		names=() val=
		read -r -a ws <<<"$spec"
		for w in "${ws[@]}"; do
			w=${w%,}
			if [[ $w == -* && $w != - ]]; then
				names+=("$w")
			elif [ -z "$val" ]; then
				val=$w
			fi
		done
		for name in "${names[@]}"; do
			[[ " ${_topo_opts[*]} " == *" $name "* ]] || _topo_opts+=("$name")
			[ -n "$val" ] || continue
			if [ -z "${_topo_optval[$name]:-}" ]; then
				_topo_optval[$name]=$val
			elif [[ "|${_topo_optval[$name]}|" != *"|$val|"* ]]; then
				_topo_optval[$name]+="|$val"
			fi
		done
	done
	read -r -a _topo_pos <<<"$usage"
}

# _topo_labs TOPO - the labs on this machine
_topo_labs()
{
	local json d
	if json=$(timeout 5 "$1" list --json 2>/dev/null); then
		while [[ $json =~ \"lab\":\"([^\"\\]*)\" ]]; do
			printf '%s\n' "${BASH_REMATCH[1]}"
			json=${json#*"${BASH_REMATCH[0]}"}
		done
		return
	fi
	for d in /run/topo/*/lab.yaml; do
		[ -e "$d" ] || continue
		d=${d%/lab.yaml}
		printf '%s\n' "${d##*/}"
	done
}

# _topo_nodes TOPO LAB [NODE] - LAB's nodes; with NODE, its interfaces
_topo_nodes()
{
	local json chunk node re='^([^"\\]*)","kind"'
	# status waits for the lab's lock: not for long while completing
	json=$(timeout 5 "$1" status "$2" --json 2>/dev/null)
	json=${json#*\"nodes\":\[}
	while [[ $json == *'{"node":"'* ]]; do
		json=${json#*'{"node":"'}
		node=${json%%\"*}
		chunk=${json%%'{"node":"'*}
		if [ $# -lt 3 ]; then
			printf '%s\n' "$node"
		elif [ "$node" = "$3" ]; then
			# interfaces are {"name":...,"kind"...}; a veth's peer has a "name" too
			while [[ $chunk == *'{"name":"'* ]]; do
				chunk=${chunk#*'{"name":"'}
				[[ $chunk =~ $re ]] && printf '%s\n' "${BASH_REMATCH[1]}"
			done
		fi
	done
}

# _topo_kind TOPO KIND CUR LAB [any] - candidates for an argument of KIND
# (FILE, DIR, LAB, FILE|LAB, NODE, NODE:IFACE, N, dot|mermaid|svg, ...); a
# FILE is a lab file (*.yaml, *.yml), or with "any" (an option's value,
# an output) any file
_topo_kind()
{
	local k w
	local IFS='|'
	for k in $2; do
		case $k in
		FILE)
			[ "${5:-}" = any ] && { compgen -f -- "$3"; continue; }
			compgen -f -X '!*.yaml' -- "$3"
			compgen -f -X '!*.yml' -- "$3"
			compgen -d -- "$3"
			;;
		DIR) compgen -d -- "$3" ;;
		LAB) _topo_labs "$1" ;;
		NODE) [ -n "$4" ] && _topo_nodes "$1" "$4" ;;
		NODE:IFACE)
			[ -n "$4" ] || continue
			if [[ $3 == *:* ]]; then
				_topo_nodes "$1" "$4" "${3%%:*}" | while IFS= read -r w; do
					printf '%s:%s\n' "${3%%:*}" "$w"
				done
			else
				_topo_nodes "$1" "$4" | while IFS= read -r w; do printf '%s:\n' "$w"; done
			fi
			;;
		-) printf '%s\n' - ;;
		*[A-Z]*) ;;	# a number, a duration, a name: nothing to offer
		*) printf '%s\n' "$k" ;;
		esac
	done
}

_topo()
{
	local topo cur prev words=() cword i w cmd n=0 kind alt alt0 first='' kinds=''
	local IFS=$' \t\n'
	# Words as typed, split at white space only: bash's own COMP_WORDS
	# also splits NODE:IFACE at the colon.
	read -r -a words <<<"${COMP_LINE:0:COMP_POINT}"
	[[ ${COMP_LINE:0:COMP_POINT} == *[[:space:]] || ${#words[@]} -eq 0 ]] && words+=("")
	cword=$((${#words[@]} - 1))
	cur=${words[cword]}
	prev=${words[cword - 1]:-}
	topo=${words[0]/#\~/$HOME}
	command -v "$topo" >/dev/null 2>&1 || topo=topo
	COMPREPLY=()

	if [ "$cword" -eq 1 ]; then
		mapfile -t COMPREPLY < <(compgen -W "$(_topo_commands "$topo") help --help --version" -- "$cur")
		return
	fi
	cmd=${words[1]}
	if [ "$cmd" = help ]; then
		[ "$cword" -eq 2 ] && mapfile -t COMPREPLY < <(compgen -W "$(_topo_commands "$topo")" -- "$cur")
		return
	fi
	local -a _topo_opts _topo_pos
	local -A _topo_optval
	_topo_parse "$topo" "$cmd"
	[ ${#_topo_pos[@]} -gt 0 ] || [ ${#_topo_opts[@]} -gt 0 ] || return

	# Count the arguments before the cursor that are not options or their
	# values; after `--` comes another command (exec).
	for ((i = 2; i < cword; i++)); do
		w=${words[i]}
		if [ "$w" = -- ]; then
			if [ $((i + 1)) -eq "$cword" ]; then
				mapfile -t COMPREPLY < <(compgen -c -- "$cur" | sort -u)
			else
				compopt -o filenames 2>/dev/null
				mapfile -t COMPREPLY < <(compgen -f -- "$cur")
			fi
			return
		elif [[ $w == -?* ]]; then
			[ -n "${_topo_optval[$w]:-}" ] && i=$((i + 1))
		else
			[ $n -eq 0 ] && first=$w	# the lab, or generate's shape
			n=$((n + 1))
		fi
	done

	if [[ $prev == -?* && -n ${_topo_optval[$prev]:-} ]]; then
		kinds=${_topo_optval[$prev]}
		mapfile -t COMPREPLY < <(compgen -W "$(_topo_kind "$topo" "$kinds" "$cur" "$first" any)" -- "$cur")
	elif [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "${_topo_opts[*]}" -- "$cur")
	else
		# The usage's alternatives ("chain N | grid W H"): the words at
		# position n of those that fit what was typed.
		local cands=() pos=("${_topo_pos[@]}" "|")
		alt=()
		for w in "${pos[@]}"; do
			if [ "$w" != "|" ]; then
				alt+=("$w")
				continue
			fi
			kind=${alt[n]:-}
			# FILE... (or FILE…) repeats; [NODE] is an optional NODE
			[[ -z $kind && ${alt[${#alt[@]} - 1]:-} =~ (\.\.\.|…)\]?$ ]] && kind=${alt[${#alt[@]} - 1]}
			kind=${kind#[}
			kind=${kind%]}
			kind=${kind%...}
			kind=${kind%…}
			alt0=${alt[0]:-}
			alt=()
			[ -n "$kind" ] || continue
			[[ $n -gt 0 && $alt0 != *[A-Z]* && $alt0 != "$first" ]] && continue
			[ "$kind" = -- ] && { cands+=(--); continue; }
			kinds+="|$kind"
			mapfile -t -O ${#cands[@]} cands < <(_topo_kind "$topo" "$kind" "$cur" "$first")
		done
		[ ${#cands[@]} -gt 0 ] || cands=("${_topo_opts[@]}")
		mapfile -t COMPREPLY < <(compgen -W "${cands[*]}" -- "$cur")
	fi
	# (what compopt sets must be set here, not in a $(...) subshell)
	[[ "|$kinds|" == *"|FILE|"* || "|$kinds|" == *"|DIR|"* ]] && compopt -o filenames 2>/dev/null
	[[ ${COMPREPLY[0]:-} == *: ]] && compopt -o nospace 2>/dev/null
	# readline replaces only what follows the last colon of the word
	if [[ $cur == *:* && $COMP_WORDBREAKS == *:* ]]; then
		for i in "${!COMPREPLY[@]}"; do
			COMPREPLY[i]=${COMPREPLY[i]#"${cur%:*}":}
		done
	fi
}

complete -F _topo topo
