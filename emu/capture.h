/* SPDX-License-Identifier: MIT */
#ifndef TOPO_CAPTURE_H
#define TOPO_CAPTURE_H

/*
 * Packet capture into pcap files with AF_PACKET sockets made inside a
 * node's namespace: one interface (`topo capture`, which runs the loop
 * itself) or many at once in one background thread (`topo test --capture`,
 * while the probes run). Library code: errors are -errno, nothing printed.
 */

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One interface being captured. */
struct capture_if {
	int sock;		/* the bound packet socket, -1 when none */
	int out;		/* the pcap file, -1 when none */
	int ifindex;
	bool loopback;		/* lo: each packet passes twice, keep it once */
	bool was_down;		/* not up when the socket was bound */
	bool down;		/* ENETDOWN came: the interface went down */
	uint64_t n_pkts;
};

/*
 * capture_if_open - a packet socket inside namespace NS_FD bound to IFNAME,
 * into C (sock, ifindex, loopback, was_down). 0; -ENODEV no such interface;
 * -EPFNOSUPPORT not Ethernet (*ARPHRD says what it is); or -errno of the
 * socket (*STEP: "packet socket" or "bind").
 */
int capture_if_open(struct capture_if *c, int ns_fd, const char *ifname, unsigned *arphrd,
		    const char **step);

/* capture_write_all - all LEN bytes of P into FD. 0 or -errno. */
int capture_write_all(int fd, const uint8_t *p, size_t len);

/* capture_file_header - the pcap file header into FD. 0 or -errno. */
int capture_file_header(int fd);

/*
 * capture_packet - one queued packet of C into C->out, BUF holding
 * PCAP_REC_HDR_LEN + PCAP_SNAPLEN_MAX bytes. 1 written, 0 none queued,
 * -errno (-ENETDOWN: the interface went down).
 */
int capture_packet(struct capture_if *c, uint8_t *buf);

/* capture_if_close - close C's socket and file; -errno of the file's close, or 0. */
int capture_if_close(struct capture_if *c);

/* Many interfaces, captured by one thread. */
struct capture_set {
	struct capture_if *ifs;
	size_t n;
	int epfd, stopfd;
	bool running;
	int err;		/* the first write error, or 0 */
	pthread_t thread;
};

/*
 * capture_set_start - write IFS (N of them, their sock and out set, the file
 * header written) from a new thread until capture_set_stop. The thread takes
 * no signals. 0 or -errno.
 */
int capture_set_start(struct capture_set *s, struct capture_if *ifs, size_t n);

/* capture_set_stop - take what is queued, end the thread, close every
 * socket and file of the set; the first write or close error, or 0. */
int capture_set_stop(struct capture_set *s);

#endif
