/* communityid.c — Community ID v1 (corelight/community-id-spec, "The
 * Community ID flow hashing algorithm", version 1). */
#include <string.h>

#include "pcapkit/communityid.h"
#include "pcapkit/flow.h"

void
pk_community_id(uint16_t seed, const uint8_t *saddr, const uint8_t *daddr, size_t alen,
                uint8_t proto, uint16_t sport, uint16_t dport, char out[32])
{
	struct pk_sha1 c;
	uint8_t buf[2 + 16 + 16 + 2 + 4], dig[20];
	size_t n = 0;
	int one_way = 0, swap;

	if (proto == 1 || proto == 58) {
		int cp = pk_icmp_counterpart(proto == 1 ? 4 : 6, sport);

		if (cp >= 0)
			dport = (uint16_t)cp;
		else
			one_way = 1;     /* dport stays the code */
	}
	{
		int cmp = memcmp(saddr, daddr, alen);

		swap = !one_way && (cmp > 0 || (cmp == 0 && sport > dport));
	}
	if (swap) {
		const uint8_t *ta = saddr;
		uint16_t tp = sport;

		saddr = daddr; daddr = ta;
		sport = dport; dport = tp;
	}
	buf[n++] = (uint8_t)(seed >> 8);
	buf[n++] = (uint8_t)seed;
	memcpy(buf + n, saddr, alen); n += alen;
	memcpy(buf + n, daddr, alen); n += alen;
	buf[n++] = proto;
	buf[n++] = 0;
	if (proto == 6 || proto == 17 || proto == 132 || proto == 1 || proto == 58) {
		buf[n++] = (uint8_t)(sport >> 8);
		buf[n++] = (uint8_t)sport;
		buf[n++] = (uint8_t)(dport >> 8);
		buf[n++] = (uint8_t)dport;
	}
	pk_sha1_init(&c);
	pk_sha1_update(&c, buf, n);
	pk_sha1_final(&c, dig);
	out[0] = '1';
	out[1] = ':';
	pk_base64(dig, 20, out + 2);
}
