/* communityid.h — Community ID v1 flow hashes, and the SHA-1 and base64
 * they are built from.
 *
 * Community ID (https://github.com/corelight/community-id-spec): "1:" +
 * base64(SHA-1(seed(2, big endian) | saddr | daddr | proto | 0 | sport | dport))
 * with the endpoints ordered so the smaller (address, port) comes first;
 * ICMP uses type and counterpart type (or code, for one-way messages, which
 * are not reordered).
 */
#ifndef PCAPKIT_COMMUNITYID_H
#define PCAPKIT_COMMUNITYID_H

#include <stddef.h>
#include <stdint.h>

struct pk_sha1 {
	uint32_t h[5];
	uint64_t len;          /* bytes hashed so far */
	uint8_t  buf[64];
	size_t   nbuf;
};

/* FIPS 180-4 SHA-1. */
void pk_sha1_init(struct pk_sha1 *c);
void pk_sha1_update(struct pk_sha1 *c, const void *data, size_t n);
void pk_sha1_final(struct pk_sha1 *c, uint8_t out[20]);

/* RFC 4648 base64 with padding; OUT needs 4*ceil(n/3)+1 bytes.  Returns the length. */
size_t pk_base64(const uint8_t *in, size_t n, char *out);

/*
 * Community ID v1 of a flow.  SADDR/DADDR are ALEN (4 or 16) bytes; for
 * ICMP/ICMPv6 SPORT/DPORT are the message type and code as sent.  OUT needs
 * 32 bytes ("1:" + 28 + NUL).
 */
void pk_community_id(uint16_t seed, const uint8_t *saddr, const uint8_t *daddr, size_t alen,
                     uint8_t proto, uint16_t sport, uint16_t dport, char out[32]);

#endif
