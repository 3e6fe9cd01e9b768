// SPDX-License-Identifier: MIT
/*
 * Probe reports: a table for people, JSON for programs, JUnit XML for CI.
 * Pure formatting of a finished run; nothing here touches the network.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "json.h"
#include "probe.h"
#include "term.h"
#include "util.h"

size_t probe_run_failed(const struct probe_run *r)
{
	size_t i, n = 0;

	for (i = 0; i < r->n; i++)
		n += !r->res[i].passed;
	return n;
}

static const char *proto_name(enum probe_proto p)
{
	return p == PROBE_TCP ? "tcp" : p == PROBE_UDP ? "udp" : "icmp";
}

static const struct probe_spec *spec_of(const struct probe_run *r, const struct probe_result *res)
{
	return &r->t->probes[res->tg.spec];
}

/* "h2", "h2:eth0" or "-" for a bare address. */
static const char *to_label(const struct probe_target *tg, char *buf, size_t len)
{
	if (tg->to_iface)
		snprintf(buf, len, "%s:%s", tg->to_node, tg->to_iface);
	else
		snprintf(buf, len, "%s", tg->to_node ? tg->to_node : "-");
	return buf;
}

static const char *addr_label(const struct probe_target *tg, char *buf, size_t len)
{
	if (tg->family == AF_UNSPEC)
		return snprintf(buf, len, "-"), buf;
	return ip_fmt(tg->family, tg->addr, buf, len);
}

const char *probe_target_name(const struct probe_target *tg, char *buf, size_t len)
{
	char to[TOPO_NAME_MAX + TOPO_IFNAME_MAX + 2], a[INET6_ADDRSTRLEN];

	if (tg->to_node)
		snprintf(buf, len, "%s %s", to_label(tg, to, sizeof(to)),
			 addr_label(tg, a, sizeof(a)));
	else
		snprintf(buf, len, "%s", addr_label(tg, a, sizeof(a)));
	return buf;
}

static const char *proto_label(const struct probe_spec *sp, char *buf, size_t len)
{
	if (sp->proto == PROBE_ICMP)
		snprintf(buf, len, "icmp");
	else
		snprintf(buf, len, "%s/%u", proto_name(sp->proto), sp->port);
	return buf;
}

/* The words after the verdict: why it failed, and what else a reader should know. */
static const char *detail(const struct probe_run *r, const struct probe_result *res, char *buf,
			  size_t len)
{
	const struct probe_spec *sp = spec_of(r, res);
	size_t o = 0;

#define ADD(...)                                                                  \
	do {                                                                       \
		if (o < len)                                                       \
			o += (size_t)snprintf(buf + o, len - o, "%s", o ? "; " : ""); \
		if (o < len)                                                       \
			o += (size_t)snprintf(buf + o, len - o, __VA_ARGS__);      \
	} while (0)
	buf[0] = '\0';
	if (!res->passed && res->reason[0])
		ADD("%s", res->reason);
	else if (res->passed && !res->reached && res->reason[0])
		ADD("unreachable: %s", res->reason);	/* as expected: say how */
	if (sp->within_us) {
		if (res->passed)
			ADD("passed after %.2f s (%u attempt%s)", res->elapsed_us / 1e6,
			    res->attempts, res->attempts == 1 ? "" : "s");
		else
			ADD("still failing after %.2f s (%u attempt%s)", res->elapsed_us / 1e6,
			    res->attempts, res->attempts == 1 ? "" : "s");
	}
	if (res->server == PROBE_SERVER_TOPO)
		ADD("topo listened on %s/%u in %s", proto_name(sp->proto), sp->port,
		    res->server_node);
	else if (res->server == PROBE_SERVER_USER)
		ADD("the lab's own server on %s/%u in %s", proto_name(sp->proto), sp->port,
		    res->server_node);
#undef ADD
	return buf;
}

static void rtt_label(const struct probe_result *res, char *buf, size_t len)
{
	if (!res->received)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.3f/%.3f/%.3f", res->rtt_min_us / 1000.0,
			 res->rtt_avg_us / 1000.0, res->rtt_max_us / 1000.0);
}

enum { C_FROM, C_TO, C_ADDR, C_PROTO, C_EXPECT, C_RESULT, C_RTT, C_LOSS, C_WHY, N_COLS };

static void row_cells(const struct probe_run *r, const struct probe_result *res,
		      char cells[N_COLS][256])
{
	const struct probe_spec *sp = spec_of(r, res);

	snprintf(cells[C_FROM], 256, "%s", res->tg.from);
	to_label(&res->tg, cells[C_TO], 256);
	/* A bare address: name the node that has it, in parentheses. */
	if (!res->tg.to_node && res->tg.family != AF_UNSPEC) {
		const struct node *owner = probe_addr_owner(r->t, res->tg.family, res->tg.addr);

		if (owner)
			snprintf(cells[C_TO], 256, "(%s)", owner->name);
	}
	addr_label(&res->tg, cells[C_ADDR], 256);
	proto_label(sp, cells[C_PROTO], 256);
	snprintf(cells[C_EXPECT], 256, "%s", sp->expect_reachable ? "reachable" : "unreachable");
	snprintf(cells[C_RESULT], 256, "%s", res->passed ? "ok" : "FAIL");
	rtt_label(res, cells[C_RTT], 256);
	if (res->sent)
		snprintf(cells[C_LOSS], 256, "%g%%", res->loss);
	else
		snprintf(cells[C_LOSS], 256, "-");
	detail(r, res, cells[C_WHY], 256);
}

static void print_row(FILE *out, char cells[N_COLS][256], const size_t w[N_COLS], bool passed,
		      bool colour)
{
	size_t c;

	for (c = 0; c < C_WHY; c++) {
		if (c == C_RESULT)	/* the padding inside the colour: escapes have no width */
			fprintf(out, "%s%-*s%s  ",
				term_sgr(colour, passed ? TERM_GREEN : TERM_RED), (int)w[c],
				cells[c], term_sgr(colour, TERM_RESET));
		else
			fprintf(out, "%-*s  ", (int)w[c], cells[c]);
	}
	fprintf(out, "%s\n", cells[C_WHY]);
}

void probe_report_rows(const struct probe_run *r, FILE *out, unsigned flags)
{
	static const char *head[N_COLS] = { "FROM", "TO", "ADDRESS", "PROTO", "EXPECT",
					    "RESULT", "RTT ms min/avg/max", "LOSS", "" };
	bool only_failed = flags & (PROBE_TABLE_FAILURES | PROBE_TABLE_QUIET);
	bool colour = flags & PROBE_TABLE_COLOUR;
	char cells[N_COLS][256];
	size_t w[N_COLS], i, c, failed = probe_run_failed(r), shown = 0;

	/* Columns as wide as the rows shown need, no wider. */
	for (c = 0; c < N_COLS; c++)
		w[c] = strlen(head[c]);
	for (i = 0; i < r->n; i++) {
		if (only_failed && r->res[i].passed)
			continue;
		shown++;
		row_cells(r, &r->res[i], cells);
		for (c = 0; c < N_COLS; c++)
			if (strlen(cells[c]) > w[c])
				w[c] = strlen(cells[c]);
	}
	if (shown) {
		for (c = 0; c < C_WHY; c++)
			fprintf(out, "%-*s%s", (int)w[c], head[c], c + 1 < C_WHY ? "  " : "\n");
		for (i = 0; i < r->n; i++) {
			if (only_failed && r->res[i].passed)
				continue;
			row_cells(r, &r->res[i], cells);
			print_row(out, cells, w, r->res[i].passed, colour);
		}
	}
	if (flags & PROBE_TABLE_QUIET)
		return;
	colour = colour && failed;	/* "0 failed" stays plain */
	fprintf(out, "probes: %zu passed, %s%zu failed%s (%.2f s)\n", r->n - failed,
		term_sgr(colour, TERM_RED), failed, term_sgr(colour, TERM_RESET),
		r->elapsed_us / 1e6);
}

void probe_report_table(const struct probe_run *r, FILE *out)
{
	probe_report_rows(r, out, 0);
}

void probe_report(const struct probe_run *r, const struct probe_opts *o, FILE *out)
{
	if (!o) {
		probe_report_table(r, out);
		return;
	}
	/* a progress line on the same terminal goes before the report starts */
	if (o->progress)
		o->progress(r->n, r->n, "probing:", o->progress_arg);
	if (o->json)
		probe_report_json_with(r, out, o->json_members, o->json_arg);
	else
		probe_report_rows(r, out,
				  (o->failures_only ? PROBE_TABLE_FAILURES : 0) |
					  (o->quiet ? PROBE_TABLE_QUIET : 0) |
					  (o->colour ? PROBE_TABLE_COLOUR : 0));
}

/* ---- JSON ---- */

void probe_report_json(const struct probe_run *r, FILE *out)
{
	probe_report_json_with(r, out, NULL, NULL);
}

void probe_report_json_with(const struct probe_run *r, FILE *out,
			    void (*members)(FILE *out, void *arg), void *arg)
{
	size_t i, failed = probe_run_failed(r);
	char buf[256];

	fprintf(out, "{\"version\":%d,\"lab\":", TOPO_JSON_VERSION);
	json_str(out, r->t->name);
	if (members)
		members(out, arg);
	fprintf(out, ",\"passed\":%zu,\"failed\":%zu,\"elapsed_s\":%.6f,\"results\":[",
		r->n - failed, failed, r->elapsed_us / 1e6);
	for (i = 0; i < r->n; i++) {
		const struct probe_result *res = &r->res[i];
		const struct probe_spec *sp = spec_of(r, res);

		fputs(i ? ",\n{" : "\n{", out);
		fputs("\"from\":", out);
		json_str(out, res->tg.from);
		fputs(",\"to\":", out);
		json_str(out, res->tg.to_node ? to_label(&res->tg, buf, sizeof(buf)) : sp->to);
		fputs(",\"address\":", out);
		if (res->tg.family == AF_UNSPEC)
			fputs("null", out);
		else
			json_str(out, ip_fmt(res->tg.family, res->tg.addr, buf, sizeof(buf)));
		fprintf(out, ",\"family\":%s",
			res->tg.family == AF_INET ? "4" : res->tg.family == AF_INET6 ? "6" : "null");
		fprintf(out, ",\"proto\":\"%s\"", proto_name(sp->proto));
		if (sp->proto == PROBE_ICMP)
			fputs(",\"port\":null", out);
		else
			fprintf(out, ",\"port\":%u", sp->port);
		fprintf(out, ",\"expect\":\"%s\",\"passed\":%s,\"reached\":%s",
			sp->expect_reachable ? "reachable" : "unreachable",
			res->passed ? "true" : "false", res->reached ? "true" : "false");
		fputs(",\"reason\":", out);
		json_str_or_null(out, res->reason);
		fprintf(out, ",\"sent\":%u,\"received\":%u,\"loss_pct\":%g", res->sent,
			res->received, res->loss);
		if (res->received)
			fprintf(out, ",\"rtt_ms\":{\"min\":%.3f,\"avg\":%.3f,\"max\":%.3f}",
				res->rtt_min_us / 1000.0, res->rtt_avg_us / 1000.0,
				res->rtt_max_us / 1000.0);
		else
			fputs(",\"rtt_ms\":null", out);
		fprintf(out, ",\"attempts\":%u,\"elapsed_s\":%.6f", res->attempts,
			res->elapsed_us / 1e6);
		fprintf(out, ",\"server\":%s",
			res->server == PROBE_SERVER_TOPO ? "\"topo\"" :
			res->server == PROBE_SERVER_USER ? "\"user\"" : "null");
		fputs(",\"detail\":", out);
		json_str_or_null(out, detail(r, res, buf, sizeof(buf)));
		fprintf(out, ",\"line\":%d,\"col\":%d}", sp->pos.line, sp->pos.col);
	}
	fputs("]}\n", out);
}

/* ---- JUnit ---- */

static void xml_str(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		unsigned char ch = (unsigned char)*s;

		switch (ch) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&apos;", out); break;
		default:
			/* XML 1.0 allows no other control characters. */
			if (ch >= 0x20 || ch == '\n' || ch == '\t')
				fputc(ch, out);
		}
	}
}

void probe_report_junit(const struct probe_run *r, FILE *out)
{
	size_t i, failed = probe_run_failed(r);
	char name[256], buf[256], proto[32];

	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(out, "<testsuites tests=\"%zu\" failures=\"%zu\" time=\"%.6f\">\n", r->n, failed,
		r->elapsed_us / 1e6);
	fputs("  <testsuite name=\"", out);
	xml_str(out, r->t->name);
	fprintf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"0\" time=\"%.6f\">\n",
		r->n, failed, r->elapsed_us / 1e6);
	for (i = 0; i < r->n; i++) {
		const struct probe_result *res = &r->res[i];
		const struct probe_spec *sp = spec_of(r, res);

		snprintf(buf, sizeof(buf), "%s -> %s %s", res->tg.from,
			 probe_target_name(&res->tg, name, sizeof(name)),
			 proto_label(sp, proto, sizeof(proto)));
		fputs("    <testcase classname=\"", out);
		xml_str(out, r->t->name);
		fputs(".probes\" name=\"", out);
		xml_str(out, buf);
		fprintf(out, "\" time=\"%.6f\"", res->elapsed_us / 1e6);
		if (res->passed) {
			fputs("/>\n", out);
			continue;
		}
		fputs(">\n      <failure type=\"probe\" message=\"", out);
		xml_str(out, res->reason);
		fputs("\">", out);
		snprintf(buf, sizeof(buf), "%s:%d:%d: from %s to ", r->t->file ? r->t->file : "",
			 sp->pos.line, sp->pos.col, res->tg.from);
		xml_str(out, buf);
		xml_str(out, name);
		fprintf(out, " (%s), expected %s: ", proto,
			sp->expect_reachable ? "reachable" : "unreachable");
		xml_str(out, detail(r, res, buf, sizeof(buf)));
		fputs("</failure>\n    </testcase>\n", out);
	}
	fputs("  </testsuite>\n</testsuites>\n", out);
}

int probe_report_junit_file(const struct probe_run *r, const char *path, char *err,
			    size_t errlen)
{
	/* Never through a symlink at the end of PATH: a planted one would have root overwrite
	 * whatever it points at. */
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644), e;
	FILE *f;

	if (fd < 0) {
		e = errno;
		snprintf(err, errlen, "cannot write %s: %s", path,
			 e == ELOOP ? "it is a symbolic link (not followed)" : strerror(e));
		return -e;
	}
	f = fdopen(fd, "w");
	if (!f) {
		e = errno;
		close(fd);
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(e));
		return -e;
	}
	probe_report_junit(r, f);
	if (fclose(f) != 0) {
		e = errno;
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(e));
		return -e;
	}
	return 0;
}

void probe_report_junit_error(const char *lab, const char *file, const char *test,
			      const char *text, FILE *out)
{
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(out, "<testsuites tests=\"1\" failures=\"1\" errors=\"0\">\n");
	fputs("  <testsuite name=\"", out);
	xml_str(out, lab);
	fputs("\" tests=\"1\" failures=\"1\" errors=\"0\" skipped=\"0\">\n", out);
	fputs("    <testcase classname=\"", out);
	xml_str(out, lab);
	fputs("\" name=\"", out);
	xml_str(out, test);
	fputs("\">\n      <failure type=\"", out);
	xml_str(out, test);
	fputs("\" message=\"", out);
	xml_str(out, file);
	fputs(": ", out);
	xml_str(out, test);
	fputs(" failed\">", out);
	xml_str(out, text);
	fputs("</failure>\n    </testcase>\n  </testsuite>\n</testsuites>\n", out);
}
