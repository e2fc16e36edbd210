/* shard.h — which of N shards a packet belongs to (flow-hash splitting).
 *
 * Splitting a capture into N shards so that per-shard pflows and pstats
 * results combine into exactly the single-run answer needs every packet
 * that pflows puts into one connection to land in one shard.  The shard key
 * is therefore the *host pair* of the packet, a coarser key than pflows'
 * 5-tuple:
 *
 *   - IPv4/IPv6 packets (pk_flow_key succeeds): the IP version and the two
 *     addresses of the outer IP header, in increasing byte order (so both
 *     directions agree).  No ports, no protocol, no VLAN ids.  Hence
 *       * every fragment of a datagram (with or without ports) goes with
 *         the datagram's other packets;
 *       * an ICMP error is keyed by its own (outer) addresses, exactly as
 *         pflows keys it: an error sent by an endpoint of the quoted flow
 *         shares that flow's shard, one sent by a router in between lands
 *         with the router <-> host traffic;
 *       * VLAN ids are ignored, so pflows' default VLAN-aware key and the
 *         --zeek (VLAN-blind) key are both finer than the shard key and
 *         both give exact results.
 *   - ARP for IPv4 (protocol 0x0800, 4-byte addresses): the sender and
 *     target protocol addresses, as for IPv4 between those hosts.
 *   - Anything else (no IP layer, an IP header cut before its addresses):
 *     shard 0.
 *
 * The hash, stable across runs, machines and byte orders:
 *
 *     bytes  = seed as 8 bytes little-endian
 *              || version (1 byte: 4 or 6)
 *              || lower address || higher address   (16 bytes each;
 *                 IPv4 as ::ffff:a.b.c.d, compared as unsigned bytes)
 *     h      = FNV-1a 64 over bytes (offset basis 0xcbf29ce484222325,
 *              prime 0x100000001b3)
 *     h     ^= h >> 33; h *= 0xff51afd7ed558ccd; h ^= h >> 33
 *     shard  = h mod N
 *
 * Shards count from 0.  Nothing here allocates or keeps state.
 */
#ifndef PCAPKIT_SHARD_H
#define PCAPKIT_SHARD_H

#include <stddef.h>
#include <stdint.h>
#include "pcapkit/decode.h"

#define PK_SHARD_MAX 1024u   /* most shards one pass writes (open files) */

/*
 * Hash of the shard key of decoded packet L.  Returns 1 with *H set, or 0
 * when the packet has no key (it then belongs to shard 0).
 */
int pk_shard_hash(const struct pk_layers *L, uint64_t seed, uint64_t *h);

/* Shard (0 .. N-1) of the decoded packet L; N >= 1. */
uint32_t pk_shard_of(const struct pk_layers *L, uint64_t seed, uint32_t n);

/* Decode then shard, with a caller-provided scratch L (no allocation). */
uint32_t pk_shard_of_packet(struct pk_layers *L, int linktype, const uint8_t *pkt,
                            uint32_t caplen, uint32_t len, uint64_t seed, uint32_t n);

/*
 * Parse "K/N" (decimal, 0 <= K < N <= PK_SHARD_MAX).  0 ok, -1 with a
 * message in ERR (ERRLEN bytes) saying what is wrong.
 */
int pk_shard_parse(const char *s, uint32_t *k, uint32_t *n, char *err, size_t errlen);

/*
 * Output path of shard K from PATTERN, which must hold exactly one "%d"
 * (optionally "%0Wd", W up to 2 digits); "%%" is a literal percent.
 * 0 ok; -1 with a message in ERR for a bad pattern or a path longer than
 * OUTLEN - 1.
 */
int pk_shard_path(const char *pattern, uint32_t k, char *out, size_t outlen,
                  char *err, size_t errlen);

#endif
