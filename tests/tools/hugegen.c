/* hugegen.c — write a large pcap stream to standard output, fast.
 *
 * Usage: hugegen PACKETS
 *
 * For tests/huge.bats: PACKETS records of 65535 bytes (caplen = len), each
 * an Ethernet/IPv4/UDP datagram 10.0.0.1:1000 -> 10.0.0.2:2000 with 65493
 * bytes of UDP payload, except every 1000th (i % 1000 == 999), which goes
 * back 10.0.0.2:2000 -> 10.0.0.1:1000; times start at
 * 2024-05-01T12:00:00Z and advance 1 ms per packet.  The two packets are
 * built once; each record is a 16-byte header of its own plus a pointer to
 * one of the two bodies, written with writev() in batches, so the generator
 * costs next to nothing beside the tools it feeds.  A write error (a closed
 * pipe included) ends it with status 1 and no message.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "../../testdata/pktbuild.h"

#define T0     1714564800
#define CAPLEN 65535u
#define BATCH  256           /* records per writev: 512 iovecs */

static struct pb pkt[2];
static uint8_t hdr[BATCH][16];
static struct iovec iov[2 * BATCH];

static void
put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);       /* native order, as the pcap magic says */
}

/* writev all of IOV[0..N), resuming after short writes. */
static int
write_all(struct iovec *v, int n)
{
	while (n > 0) {
		ssize_t w = writev(1, v, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		while (n > 0 && (size_t)w >= v->iov_len) {
			w -= (ssize_t)v->iov_len;
			v++;
			n--;
		}
		if (n > 0) {
			v->iov_base = (char *)v->iov_base + w;
			v->iov_len -= (size_t)w;
		}
	}
	return 0;
}

int
main(int argc, char **argv)
{
	uint8_t fh[24];
	char *end;
	unsigned long long npk, i;

	if (argc != 2 || (npk = strtoull(argv[1], &end, 10), *end)) {
		fprintf(stderr, "usage: hugegen PACKETS\n");
		return 2;
	}
	for (int k = 0; k < 2; k++) {
		struct pb *b = &pkt[k];

		pb_begin(b, PK_LINK_EN10MB);
		pb_eth_addr(b, k ? "02:00:00:00:00:02" : "02:00:00:00:00:01",
		            k ? "02:00:00:00:00:01" : "02:00:00:00:00:02");
		pb_ipv4(b, &(struct pb_ip4){ .src = k ? "10.0.0.2" : "10.0.0.1",
		                             .dst = k ? "10.0.0.1" : "10.0.0.2", .id = (uint16_t)k });
		pb_udp(b, k ? 2000 : 1000, k ? 1000 : 2000);
		pb_fill(b, CAPLEN - 14 - 20 - 8, (uint8_t)(0x41 + k));
		pb_finish(b);
		if (b->len != CAPLEN)
			return 2;
	}
	put32(fh, 0xa1b2c3d4);
	fh[4] = 2; fh[5] = 0; fh[6] = 4; fh[7] = 0;      /* version 2.4, native order */
	if (fh[0] == 0xa1) {                              /* big-endian host */
		fh[4] = 0; fh[5] = 2; fh[6] = 0; fh[7] = 4;
	}
	memset(fh + 8, 0, 8);
	put32(fh + 16, 262144);
	put32(fh + 20, PK_LINK_EN10MB);
	if (write(1, fh, sizeof fh) != (ssize_t)sizeof fh)
		return 1;
	for (i = 0; i < npk; ) {
		int n = 0;

		for (; n < BATCH && i < npk; n++, i++) {
			uint64_t us = i * 1000;

			put32(hdr[n], (uint32_t)(T0 + us / 1000000));
			put32(hdr[n] + 4, (uint32_t)(us % 1000000));
			put32(hdr[n] + 8, CAPLEN);
			put32(hdr[n] + 12, CAPLEN);
			iov[2 * n].iov_base = hdr[n];
			iov[2 * n].iov_len = 16;
			iov[2 * n + 1].iov_base = pkt[i % 1000 == 999].d;
			iov[2 * n + 1].iov_len = CAPLEN;
		}
		if (write_all(iov, 2 * n) < 0)
			return 1;
	}
	return 0;
}
