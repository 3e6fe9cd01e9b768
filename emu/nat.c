// SPDX-License-Identifier: MIT
/* `nat:` through libnftables, and the forwarding it needs (nat.h). */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <nftables/libnftables.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "nat.h"
#include "netns.h"
#include "plan.h"
#include "rundir.h"
#include "sysctl.h"
#include "util.h"

#define NAT_RECORD	   "nat.rules"
#define NAT_FORWARD_RECORD "nat.ip_forward"
#define NAT_FORWARD_KEY	   "net.ipv4.ip_forward"

bool nat_spec_has(const char *spec, const char *ifname)
{
	size_t n = strlen(ifname);
	const char *line;

	for (line = spec; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if (!strncmp(line, ifname, n) && line[n] == ' ')
			return true;
	return false;
}

void nat_spec_add(char **spec, const struct st_iface *ifc)
{
	char net[64], *s;
	size_t i;

	for (i = 0; i < ifc->n_addrs; i++) {
		const struct st_addr *a = &ifc->addrs[i];
		struct cidr c = {.family = AF_INET, .plen = a->plen};

		if (a->family != AF_INET)
			continue;
		/* the subnet: the address with its host bits cleared */
		memcpy(c.addr, a->addr, a->plen / 8);
		if (a->plen % 8)
			c.addr[a->plen / 8] =
			    a->addr[a->plen / 8] & (uint8_t)(0xff << (8 - a->plen % 8));
		s = xasprintf("%s%s %s\n", *spec ? *spec : "", ifc->name,
			      cidr_fmt(&c, net, sizeof(net)));
		free(*spec);
		*spec = s;
	}
}

const char *nat_table_name(const char *lab, char *buf, size_t len)
{
	snprintf(buf, len, "topo-%s", lab);
	return buf;
}

/* Each line of SPEC as IFNAME and PREFIX; false at the end. */
static bool spec_next(const char **p, char ifname[ST_IFNAMSIZ], char prefix[64])
{
	const char *nl = strchr(*p, '\n');
	char line[ST_IFNAMSIZ + 64 + 2];
	size_t n;

	if (!nl)
		return false;
	n = (size_t)(nl - *p) < sizeof(line) - 1 ? (size_t)(nl - *p) : sizeof(line) - 1;
	memcpy(line, *p, n);
	line[n] = '\0';
	*p = nl + 1;
	return sscanf(line, "%15s %63s", ifname, prefix) == 2;
}

char *nat_script(const char *lab, const char *spec)
{
	char table[TOPO_NAME_MAX + 8], ifname[ST_IFNAMSIZ], prefix[64], *s, *t;
	const char *p = spec ? spec : "";

	nat_table_name(lab, table, sizeof(table));
	/* "add" then "delete" then "add": the table starts empty whether or
	 * not it was there, and all of it is one transaction. */
	s = xasprintf(
	    "add table ip %s\ndelete table ip %s\nadd table ip %s\n"
	    "add chain ip %s postrouting { type nat hook postrouting priority srcnat; }\n",
	    table, table, table, table);
	while (spec_next(&p, ifname, prefix)) {
		if (!nat_ifname_ok(ifname))
			continue; /* the checker refuses it: nothing of it reaches nft */
		t = xasprintf(
		    "%sadd rule ip %s postrouting ip saddr %s oifname != \"%s\" masquerade\n", s,
		    table, prefix, ifname);
		free(s);
		s = t;
	}
	return s;
}

const char *nat_describe(const char *spec, char *buf, size_t len)
{
	char ifname[ST_IFNAMSIZ], prefix[64];
	const char *p = spec ? spec : "";
	size_t o = 0;

	buf[0] = '\0';
	while (spec_next(&p, ifname, prefix) && o < len)
		o += (size_t)snprintf(buf + o, len - o,
				      "%smasquerade %s leaving by any interface but %s",
				      o ? "; " : "", prefix, ifname);
	return buf;
}

/* FILE of the lab's run directory into a new string, or NULL when there is none. */
static char *record_read(const char *lab, const char *file)
{
	char path[512], buf[8192];
	size_t n;
	FILE *f;

	if (rundir_path(lab, file, path, sizeof(path)) < 0 || !(f = fopen(path, "re")))
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return xstrdup(buf);
}

static int record_write(const char *lab, const char *file, const char *text)
{
	char path[512];
	int ret;

	if ((ret = rundir_path(lab, file, path, sizeof(path))) < 0)
		return ret;
	if (!text)
		return unlink(path) < 0 && errno != ENOENT ? -errno : 0;
	return rundir_replace_write(path, text, strlen(text));
}

/* Run CMDS through libnftables in the thread's namespace; ERR gets nft's words. */
static int nft_run(const char *cmds, char *err, size_t errlen)
{
	struct nft_ctx *nft = nft_ctx_new(NFT_CTX_DEFAULT);
	const char *why;
	int ret;

	if (!nft)
		return -ENOMEM;
	nft_ctx_buffer_output(nft);
	nft_ctx_buffer_error(nft);
	ret = nft_run_cmd_from_buffer(nft, cmds);
	why = nft_ctx_get_error_buffer(nft);
	if (ret && err)
		snprintf(err, errlen, "nft: %s", why && why[0] ? why : "failed");
	nft_ctx_free(nft);
	return ret ? -EINVAL : 0;
}

static bool table_exists(const char *lab)
{
	char table[TOPO_NAME_MAX + 8], *cmd;
	bool ok;

	cmd = xasprintf("list table ip %s", nat_table_name(lab, table, sizeof(table)));
	ok = nft_run(cmd, NULL, 0) == 0;
	free(cmd);
	return ok;
}

static bool record_exists(const char *lab, const char *file)
{
	char path[512];

	return rundir_path(lab, file, path, sizeof(path)) == 0 && access(path, F_OK) == 0;
}

bool nat_recorded(const char *lab)
{
	return record_exists(lab, NAT_RECORD) || record_exists(lab, NAT_FORWARD_RECORD);
}

int nat_observe(const char *lab, struct state *have)
{
	char *fwd;

	/* The record is written before the table is made: no record, no table. */
	have->nat = record_read(lab, NAT_RECORD);
	fwd = record_read(lab, NAT_FORWARD_RECORD);
	if (!have->nat && fwd)
		have->nat = xstrdup(""); /* forwarding to put back */
	free(fwd);
	if (have->nat && have->nat[0] && !table_exists(lab))
		have->nat[0] = '\0';
	return 0;
}

/* Forwarding on for the lab: the value found is recorded first (once). */
static int forward_on(const char *lab)
{
	char was[ST_SYSCTL_VAL_MAX], *rec = record_read(lab, NAT_FORWARD_RECORD);
	int ret;

	if ((ret = sysctl_read(NAT_FORWARD_KEY, was, sizeof(was))) < 0)
		goto out;
	if (!rec && (ret = record_write(lab, NAT_FORWARD_RECORD, was)) < 0)
		goto out;
	if (strtol(was, NULL, 10) != 1)
		ret = sysctl_write(NAT_FORWARD_KEY, "1");
out:
	free(rec);
	return ret;
}

/*
 * Another lab that still has nat keeps forwarding on; it is handed the
 * value this lab found, so the last one puts back what was there first.
 * True when there is one.
 */
static bool forward_hand_over(const char *lab, const char *was)
{
	DIR *d = opendir(RUNDIR_ROOT);
	struct dirent *e;
	bool other = false;
	char *rec;

	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.' || !strcmp(e->d_name, lab) || !name_valid(e->d_name))
			continue;
		if (!(rec = record_read(e->d_name, NAT_FORWARD_RECORD)))
			continue;
		other = true;
		if (strtol(rec, NULL, 10) == 1 && strtol(was, NULL, 10) != 1)
			record_write(e->d_name, NAT_FORWARD_RECORD, was);
		free(rec);
	}
	if (d)
		closedir(d);
	return other;
}

static int forward_off(const char *lab)
{
	char *was = record_read(lab, NAT_FORWARD_RECORD);
	int ret = 0;

	if (!was)
		return 0;
	if (!forward_hand_over(lab, was) && strtol(was, NULL, 10) != 1)
		ret = sysctl_write(NAT_FORWARD_KEY, "0");
	if (!ret)
		ret = record_write(lab, NAT_FORWARD_RECORD, NULL);
	free(was);
	return ret;
}

static int nat_set(const char *lab, const char *spec, char *err, size_t errlen)
{
	char *script;
	int ret;

	if ((ret = record_write(lab, NAT_RECORD, spec)) < 0) {
		snprintf(err, errlen, "record %s: %s", NAT_RECORD, strerror(-ret));
		return ret;
	}
	script = nat_script(lab, spec);
	ret = nft_run(script, err, errlen);
	free(script);
	if (!ret && (ret = forward_on(lab)) < 0)
		snprintf(err, errlen, "%s: %s", NAT_FORWARD_KEY, strerror(-ret));
	return ret;
}

static int nat_del(const char *lab, char *err, size_t errlen)
{
	char table[TOPO_NAME_MAX + 8], *cmd;
	int ret = 0;

	if (table_exists(lab)) {
		cmd = xasprintf("delete table ip %s", nat_table_name(lab, table, sizeof(table)));
		ret = nft_run(cmd, err, errlen);
		free(cmd);
	}
	if (!ret && (ret = forward_off(lab)) < 0)
		snprintf(err, errlen, "put back %s: %s", NAT_FORWARD_KEY, strerror(-ret));
	if (!ret)
		ret = record_write(lab, NAT_RECORD, NULL);
	return ret;
}

int nat_apply(const char *lab, const struct action *a, int root_fd, char *err, size_t errlen)
{
	int saved, ret;

	/* libnftables speaks to the namespace of the thread that calls it */
	if ((ret = netns_enter(root_fd, &saved)) < 0)
		return ret;
	if (a->type == ACT_NAT_SET)
		ret = nat_set(lab, a->nat_spec, err, errlen);
	else
		ret = nat_del(lab, err, errlen);
	netns_leave(saved);
	return ret;
}
