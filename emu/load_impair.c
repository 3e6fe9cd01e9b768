// SPDX-License-Identifier: MIT
/*
 * load_impair - `impair:` of a link or an endpoint. The rules that tie one
 * field to another (jitter needs a delay...) are checked here, where both
 * positions are at hand, for a map read on its own.
 */

#include <string.h>

#include "diag.h"
#include "load_value.h"
#include "topology.h"
#include "util.h"

const char *const impair_keys[IK_N] = {
	"delay", "jitter", "distribution", "loss", "loss_correlation", "duplicate",
	"reorder", "gap", "corrupt", "rate", "limit",
};

static const char *const dists[DIST_N] = { "uniform", "normal", "pareto", "paretonormal" };

const struct impair_need impair_needs[IMPAIR_N_NEEDS] = {
	{ IK_JITTER, IK_DELAY }, { IK_DIST, IK_JITTER }, { IK_LOSS_CORR, IK_LOSS },
	{ IK_REORDER, IK_DELAY }, { IK_GAP, IK_REORDER },
};

int impair_dist_parse(const char *s)
{
	int i;

	for (i = 0; i < DIST_N; i++)
		if (!strcmp(s, dists[i]))
			return i;
	return -1;
}

/* netem holds a delay as nanoseconds in a signed 64-bit number; a lab needs far less. */
#define IMPAIR_DELAY_MAX_US 60000000ULL	/* 1m */

static bool impair_duration(struct ytree *c, const struct ynode *y, const char *what, uint64_t *us)
{
	const char *s = ytree_str(c, y);

	if (!s)
		return false;
	if (duration_parse(s, us) < 0) {
		ytree_err(c, y->pos, "invalid %s '%s' (expected a duration such as 250us, 20ms, 1.5s)",
			  what, SHOW(s));
		return false;
	}
	if (*us > IMPAIR_DELAY_MAX_US) {
		ytree_err(c, y->pos, "%s '%s' is too long (the maximum is 1m)", what, SHOW(s));
		return false;
	}
	return true;
}

static bool impair_percent(struct ytree *c, const struct ynode *y, const char *what, double *pct)
{
	const char *s = ytree_str(c, y);

	if (!s)
		return false;
	if (percent_parse(s, pct) < 0) {
		ytree_err(c, y->pos,
			  "invalid %s '%s' (expected a percentage from 0%% to 100%%, e.g. 0.5%%)",
			  what, SHOW(s));
		return false;
	}
	return true;
}

static bool impair_rate(struct ytree *c, const struct ynode *y, uint64_t *bps)
{
	const char *s = ytree_str(c, y);

	if (!s)
		return false;
	/* 8 bit/s is one byte a second, the least a qdisc can be given */
	if (rate_parse(s, bps) < 0 || *bps < 8) {
		ytree_err(c, y->pos,
			  "invalid rate '%s' (expected bits per second with a unit: 800kbit, 10mbit, 1gbit)",
			  SHOW(s));
		return false;
	}
	return true;
}

/* Field K of V (a percentage) into *PCT, marking BIT given. */
static void percent_field(struct ytree *c, const struct ynode *const *v, int k, unsigned bit,
			  struct impair *im, double *pct)
{
	if (v[k] && impair_percent(c, v[k], impair_keys[k], pct))
		im->given |= bit;
}

/* A field that means nothing without another: say which. */
static void needs(struct ytree *c, const struct ynode *const *k, int field, int other,
		  const struct impair *im, unsigned other_bit)
{
	if (k[field] && !(im->given & other_bit) && !k[other])
		ytree_err(c, k[field]->pos, "'%s' needs '%s' in the same impair", impair_keys[field],
			  impair_keys[other]);
}

bool load_impair(struct ytree *c, const struct ynode *y, struct impair *im)
{
	const struct ynode *v[IK_N], *k[IK_N];
	long long num;
	int i;

	memset(im, 0, sizeof(*im));
	im->pos = y->pos;
	if (!ytree_want(c, y, Y_MAP))
		return false;
	ytree_fields(c, y, impair_keys, IK_N, v, k);
	if (v[IK_DELAY] && impair_duration(c, v[IK_DELAY], "delay", &im->delay_us))
		im->given |= IMP_DELAY;
	if (v[IK_JITTER] && impair_duration(c, v[IK_JITTER], "jitter", &im->jitter_us))
		im->given |= IMP_JITTER;
	if (v[IK_DIST] && ytree_str(c, v[IK_DIST])) {
		if ((i = impair_dist_parse(ytree_str(c, v[IK_DIST]))) >= 0) {
			im->dist = (enum impair_dist)i;
			im->given |= IMP_DISTRIBUTION;
		} else {
			ytree_err(c, v[IK_DIST]->pos, "invalid distribution '%s' (expected normal, "
				  "pareto, paretonormal or uniform)", SHOW(ytree_str(c, v[IK_DIST])));
		}
	}
	percent_field(c, v, IK_LOSS, IMP_LOSS, im, &im->loss);
	percent_field(c, v, IK_LOSS_CORR, IMP_LOSS_CORRELATION, im, &im->loss_corr);
	percent_field(c, v, IK_DUPLICATE, IMP_DUPLICATE, im, &im->duplicate);
	percent_field(c, v, IK_REORDER, IMP_REORDER, im, &im->reorder);
	percent_field(c, v, IK_CORRUPT, IMP_CORRUPT, im, &im->corrupt);
	if (v[IK_GAP] && ytree_integer(c, v[IK_GAP], "gap", 1, 1000000, &num)) {
		im->gap = (uint32_t)num;
		im->given |= IMP_GAP;
	}
	if (v[IK_RATE] && impair_rate(c, v[IK_RATE], &im->rate_bps))
		im->given |= IMP_RATE;
	if (v[IK_LIMIT] && ytree_integer(c, v[IK_LIMIT], "limit", 1, 1000000, &num)) {
		im->limit = (uint32_t)num;
		im->given |= IMP_LIMIT;
	}
	/* netem would take these and do nothing with them: refuse instead */
	for (i = 0; i < IMPAIR_N_NEEDS; i++)
		needs(c, k, impair_needs[i].key, impair_needs[i].needs, im,
		      IMPAIR_BIT(impair_needs[i].needs));
	return true;
}

const char *impair_dist_name(enum impair_dist d)
{
	return d < DIST_N ? dists[d] : "?";
}
