# md2man.awk - a Markdown page of docs/ as a man page (roff, man macros).
#
# The reference pages stay Markdown in docs/ (one source, readable in the
# repository); the build turns them into man pages with this script, which
# needs only a POSIX awk (mawk, which Debian's minbase has, will do):
#
#   LC_ALL=C awk -v name=topo-lab -v section=5 -v desc="the lab file format" \
#       -v source="topo 0.1.0" -v manual="File Formats" -v see="topo(1)" \
#       -f md2man.awk IN.md >OUT
#
# It knows the Markdown that docs/ uses, nothing more: headings (the first
# `#` is the page's title and is dropped; `##` a section, `###` a
# subsection), paragraphs, `- ` and `1. ` list items with indented
# continuation lines, fenced code blocks, pipe tables, `code`, **bold**,
# *emphasis*, [links](...) (the text stays) and a line ending in two spaces
# (a line break); <!-- comment --> lines are left out. A table becomes a
# list tagged by its first column; the other columns follow as
# "header: cell" (a two-column table: the cell alone). Text before the
# first `##` is the DESCRIPTION; SEE, if given, is the SEE ALSO. Every byte
# beyond ASCII (UTF-8) becomes groff's \[uXXXX], so no input character
# makes groff warn.

BEGIN {
	for (i = 128; i < 256; i++)
		ord[sprintf("%c", i)] = i
	printf ".TH \"%s\" \"%s\" \"\" \"%s\" \"%s\"\n", toupper(name), section, source, manual
	# no hyphenation (an option cut at a line's end cannot be copied), ragged right
	print ".nh"
	print ".ad l"
	print ".SH NAME"
	print name " \\- " utf(esc(desc))
	# "", para, list, gap (a blank line inside a list), table, code, comment
	mode = ""
	titled = 0
	sections = 0
}

# esc - S with roff's special characters made plain: \ and - (so that
# options stay ASCII minus signs when copied from the page)
function esc(s) {
	gsub(/\\/, "\\e", s)
	gsub(/-/, "\\-", s)
	return s
}

# utf - S with every UTF-8 sequence as \[uXXXX]
function utf(s,    out, i, c, b, n, cp, k) {
	if (s !~ /[\200-\377]/)
		return s
	out = ""
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (!(c in ord)) {
			out = out c
			continue
		}
		b = ord[c]
		if (b >= 240) { n = 3; cp = b - 240 }
		else if (b >= 224) { n = 2; cp = b - 224 }
		else if (b >= 192) { n = 1; cp = b - 192 }
		else { out = out "\\[u00" sprintf("%02X", b) "]"; continue }
		for (k = 1; k <= n; k++)
			cp = cp * 64 + ord[substr(s, i + k, 1)] - 128
		i += n
		out = out sprintf("\\[u%04X]", cp)
	}
	return out
}

# emph - **bold** and *emphasis* in S (already escaped text, no code)
function emph(s,    out, t) {
	out = ""
	while (match(s, /\*\*[^*]+\*\*/)) {
		out = out substr(s, 1, RSTART - 1) "\\fB" substr(s, RSTART + 2, RLENGTH - 4) "\\fR"
		s = substr(s, RSTART + RLENGTH)
	}
	s = out s
	out = ""
	while (match(s, /\*[A-Za-z\\][^* ]*([^*]*[^* ])?\*/)) {
		out = out substr(s, 1, RSTART - 1) "\\fI" substr(s, RSTART + 1, RLENGTH - 2) "\\fR"
		s = substr(s, RSTART + RLENGTH)
	}
	return out s
}

# inline - one line of Markdown text as roff text
function inline(s,    out, n, i, part, p, lt) {
	# [text](target): the text alone
	out = ""
	while (match(s, /\[[^]\[]*\]\([^)( ]*\)/)) {
		p = substr(s, RSTART, RLENGTH)
		lt = index(p, "](")
		out = out substr(s, 1, RSTART - 1) substr(p, 2, lt - 2)
		s = substr(s, RSTART + RLENGTH)
	}
	s = out s
	# `code` in bold, the rest with its emphasis; a code span may go on
	# over the next line of its paragraph (incode)
	n = split(s, part, "`")
	out = ""
	for (i = 1; i <= n; i++) {
		if ((i + incode) % 2)
			out = out emph(esc(part[i]))
		else
			out = out "\\fB" esc(part[i]) "\\fR"
	}
	incode = (incode + n - 1) % 2
	return utf(out)
}

# text - print a line of running text (never a control line)
function text(s) {
	sub(/^[ \t]+/, "", s)
	brk = s ~ /  $/
	sub(/[ \t]+$/, "", s)
	if (s == "")
		return
	s = inline(s)
	if (s ~ /^[.']/)
		s = "\\&" s
	print s
	if (brk)
		print ".br"
}

function section_start() {
	if (!sections++)
		print ".SH DESCRIPTION"
}

# cells - split a table row into C[1..n], trimmed; returns n
function cells(line, c,    n, i) {
	gsub(/\\\|/, "\001", line)
	sub(/^[ \t]*\|/, "", line)
	sub(/\|[ \t]*$/, "", line)
	n = split(line, c, "|")
	for (i = 1; i <= n; i++) {
		gsub(/\001/, "|", c[i])
		sub(/^[ \t]+/, "", c[i])
		sub(/[ \t]+$/, "", c[i])
	}
	return n
}

function table_row(line,    c, n, i) {
	n = cells(line, c)
	print ".TP"
	incode = 0
	text(c[1])
	for (i = 2; i <= n; i++) {
		incode = 0
		if (c[i] == "")
			continue
		if (ncols == 2)
			text(c[i])
		else {
			print "\\fI" inline(head[i]) "\\fR: " inline(c[i])
			if (i < n)
				print ".br"
		}
	}
}

# <!-- comments -->: notes for the Markdown's readers, not the page's
mode == "comment" {
	if ($0 ~ /-->/)
		mode = ""
	next
}

/^<!--/ {
	if ($0 !~ /-->/)
		mode = "comment"
	next
}

# code blocks: verbatim, indented
mode == "code" {
	if ($0 ~ /^[ \t]*```/) {
		print ".fi"
		print ".RE"
		mode = ""
		next
	}
	line = $0
	gsub(/\\/, "\\e", line)
	gsub(/-/, "\\-", line)
	line = utf(line)
	if (line ~ /^[.']/)
		line = "\\&" line
	print (line == "" ? ".sp" : line)
	next
}

/^[ \t]*```/ {
	incode = 0
	section_start()
	print ".PP"
	print ".RS 4"
	print ".nf"
	mode = "code"
	next
}

/^#+ / {
	incode = 0
	level = index($0, " ") - 1
	h = substr($0, level + 2)
	mode = ""
	if (level == 1 && !titled++)
		next
	if (level <= 2) {
		sections++
		print ".SH"
	} else if (level == 3) {
		section_start()
		print ".SS"
	} else {
		section_start()
		print ".PP"
		print "\\fB" inline(h) "\\fR"
		print ".br"
		next
	}
	text(h)
	next
}

/^[ \t]*$/ {
	incode = 0
	mode = (mode == "list" || mode == "gap") ? "gap" : ""
	next
}

/^[ \t]*\|/ {
	if (mode != "table") {
		section_start()
		ncols = cells($0, head)
		mode = "table"
		print ".PP"	# ends a list or paragraph before it
		next
	}
	if ($0 ~ /^[ \t]*\|[ \t:|-]+$/)
		next
	table_row($0)
	next
}

/^[ \t]*[-*] / || /^[ \t]*[0-9]+\. / {
	incode = 0
	section_start()
	line = $0
	sub(/^[ \t]+/, "", line)
	if (line ~ /^[-*]/) {
		print ".IP \\(bu 2"
		line = substr(line, 3)
	} else {
		tag = substr(line, 1, index(line, " ") - 1)
		print ".IP " tag " 4"
		line = substr(line, length(tag) + 2)
	}
	mode = "list"
	text(line)
	next
}

{
	section_start()
	if (mode == "gap" && $0 ~ /^[ \t]/)
		print ".IP"	# another paragraph of the same list item
	else if (mode == "gap" || mode == "" || mode == "table")
		print ".PP"
	if (mode != "list")
		mode = (mode == "gap" && $0 ~ /^[ \t]/) ? "list" : "para"
	text($0)
}

END {
	if (mode == "code") {
		print ".fi"
		print ".RE"
	}
	if (see != "") {
		print ".SH SEE ALSO"
		text(see)
	}
}
