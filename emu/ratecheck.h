/* SPDX-License-Identifier: MIT */
#ifndef TOPO_RATECHECK_H
#define TOPO_RATECHECK_H

#include <stdint.h>

/*
 * ratecheck_run - one TCP stream from namespace FROM_FD to a listener on
 * TO_ADDR (FAMILY) made in namespace TO_FD, for DURATION_US after a short
 * warm-up: the payload bits per second that arrived into *BPS. 0 or
 * -errno (-ETIMEDOUT when the connection is not made within 5 s).
 */
int ratecheck_run(int from_fd, int to_fd, int family, const uint8_t *to_addr, uint64_t duration_us,
		  uint64_t *bps);

#endif
