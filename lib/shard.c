/* shard.c — host-pair hash of a packet and "K/N" / "out-%d.pcap" parsing.
 *
 * The key and the hash are specified in include/pcapkit/shard.h so that
 * other engines (Spark, a script) can compute the same shard.  The key is
 * built from pk_flow_key() (the key pflows uses), dropping its ports,
 * protocol and VLAN ids, so that a pflows connection never spans shards.
 * ARP follows RFC 826 (sender/target protocol addresses).
 */
#include <stdio.h>
#include <string.h>

#include "pcapkit/flow.h"
#include "pcapkit/shard.h"

static uint64_t
fnv(uint64_t h, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static uint64_t
pair_hash(uint64_t seed, uint8_t ver, const uint8_t a[16], const uint8_t b[16])
{
	uint8_t s[8];
	uint64_t h = 0xcbf29ce484222325ULL;

	for (int i = 0; i < 8; i++)
		s[i] = (uint8_t)(seed >> (8 * i));
	if (memcmp(a, b, 16) > 0) {
		const uint8_t *t = a;

		a = b;
		b = t;
	}
	h = fnv(h, s, 8);
	h = fnv(h, &ver, 1);
	h = fnv(h, a, 16);
	h = fnv(h, b, 16);
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

static void
map4(uint8_t out[16], const uint8_t *a)
{
	memset(out, 0, 10);
	out[10] = out[11] = 0xff;
	memcpy(out + 12, a, 4);
}

int
pk_shard_hash(const struct pk_layers *L, uint64_t seed, uint64_t *h)
{
	struct pk_flowkey k;

	if (pk_flow_key(L, 0, &k, NULL) == 0) {
		*h = pair_hash(seed, k.ip_ver, k.lo_addr, k.hi_addr);
		return 1;
	}
	if ((L->have & PK_HAVE_ARP) && L->arp_pro == 0x0800 && L->arp_pln == 4 &&
	    L->arp_spa && L->arp_tpa) {
		uint8_t a[16], b[16];

		map4(a, L->arp_spa);
		map4(b, L->arp_tpa);
		*h = pair_hash(seed, 4, a, b);
		return 1;
	}
	return 0;
}

uint32_t
pk_shard_of(const struct pk_layers *L, uint64_t seed, uint32_t n)
{
	uint64_t h;

	if (n <= 1 || !pk_shard_hash(L, seed, &h))
		return 0;
	return (uint32_t)(h % n);
}

uint32_t
pk_shard_of_packet(struct pk_layers *L, int linktype, const uint8_t *pkt, uint32_t caplen,
                   uint32_t len, uint64_t seed, uint32_t n)
{
	if (n <= 1)
		return 0;
	pk_decode(L, linktype, pkt, caplen, len);
	return pk_shard_of(L, seed, n);
}

/* Decimal in [0, max]; advances *p.  -1 when there is no digit or it is too big. */
static int
num(const char **p, uint32_t max, uint32_t *v)
{
	const char *s = *p;
	uint64_t x = 0;

	if (*s < '0' || *s > '9')
		return -1;
	while (*s >= '0' && *s <= '9') {
		x = x * 10 + (uint64_t)(*s++ - '0');
		if (x > max)
			return -1;
	}
	*v = (uint32_t)x;
	*p = s;
	return 0;
}

int
pk_shard_parse(const char *s, uint32_t *k, uint32_t *n, char *err, size_t errlen)
{
	const char *p = s;

	if (num(&p, PK_SHARD_MAX, k) < 0 || *p++ != '/' || num(&p, PK_SHARD_MAX, n) < 0 || *p) {
		snprintf(err, errlen, "'%s' is not K/N (shard K of N, K counted from 0, N at most %u)",
		    s, PK_SHARD_MAX);
		return -1;
	}
	if (*n == 0 || *k >= *n) {
		snprintf(err, errlen, "'%s': shard K must be below N (shards count from 0 to N-1, N >= 1)", s);
		return -1;
	}
	return 0;
}

int
pk_shard_path(const char *pattern, uint32_t k, char *out, size_t outlen, char *err, size_t errlen)
{
	size_t o = 0;
	int seen = 0;

	for (const char *p = pattern; *p; p++) {
		char num[16];
		int w = 0, nd;

		if (*p != '%') {
			if (o + 1 >= outlen)
				goto toolong;
			out[o++] = *p;
			continue;
		}
		p++;
		if (*p == '%') {
			if (o + 1 >= outlen)
				goto toolong;
			out[o++] = '%';
			continue;
		}
		if (*p == '0') {
			p++;
			for (int i = 0; i < 2 && *p >= '0' && *p <= '9'; i++)
				w = w * 10 + (*p++ - '0');
		}
		if (*p != 'd' || seen) {
			snprintf(err, errlen, "bad output pattern '%s': it needs exactly one %%d "
			    "(or %%0Wd) for the shard number; write %%%% for a literal %%", pattern);
			return -1;
		}
		seen = 1;
		nd = snprintf(num, sizeof num, "%0*u", w, (unsigned)k);
		if (nd < 0 || (size_t)nd >= outlen - o)
			goto toolong;
		memcpy(out + o, num, (size_t)nd);
		o += (size_t)nd;
	}
	if (!seen) {
		snprintf(err, errlen, "bad output pattern '%s': it needs exactly one %%d "
		    "(or %%0Wd) for the shard number; write %%%% for a literal %%", pattern);
		return -1;
	}
	out[o] = 0;
	return 0;
toolong:
	snprintf(err, errlen, "output pattern '%s' gives a path longer than %zu bytes", pattern,
	    outlen ? outlen - 1 : 0);
	return -1;
}
