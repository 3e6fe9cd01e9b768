/* SPDX-License-Identifier: MIT */
#ifndef TOPO_VERIFY_H
#define TOPO_VERIFY_H

/*
 * After apply, `up` reads the kernel again and diffs once more: what still
 * differs is either topo's bug or the work of something else that changed
 * the lab meanwhile (an `ip netns del`, another program). Telling the two
 * apart is a pure function of the plan that was applied and the plan of
 * what is left.
 */

#include <stddef.h>

#include "plan.h"

enum verify_cause {
	VERIFY_BUG,		/* topo's own actions should have removed it */
	VERIFY_NS_GONE,		/* a namespace of the lab is gone: topo never deletes one it wants */
	VERIFY_FOLLOWS,		/* follows from a namespace that is gone (its veths' other ends) */
	VERIFY_VANISHED,	/* missing where nothing topo did can have removed it */
};

/*
 * verify_classify - why each action of LEFT (what still differs once
 * APPLIED was carried out in full) is there, into CAUSE (LEFT->n_acts
 * entries). Returns how many are VERIFY_BUG.
 */
size_t verify_classify(const struct plan *applied, const struct plan *left,
		       enum verify_cause *cause);

#endif
