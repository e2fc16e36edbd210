/* test_shard.c — shard key symmetry, fragments, ICMP, ARP, "K/N" and path patterns. */
#include <string.h>

#include "pcapkit/shard.h"
#include "unit.h"

static const uint8_t A[4] = { 10, 0, 0, 1 }, B[4] = { 10, 0, 0, 2 }, C[4] = { 10, 9, 9, 9 };

static struct pk_layers
ip4(const uint8_t *s, const uint8_t *d, uint32_t have, uint16_t sp, uint16_t dp)
{
	struct pk_layers L;

	memset(&L, 0, sizeof L);
	L.have = PK_HAVE_LINK | PK_HAVE_IPV4 | have;
	L.ip_ver = 4;
	L.ip_src = s;
	L.ip_dst = d;
	L.ip_proto = (have & PK_HAVE_TCP) ? 6 : (have & PK_HAVE_UDP) ? 17 : 1;
	L.sport = sp;
	L.dport = dp;
	return L;
}

static void
symmetric(void)
{
	struct pk_layers x = ip4(A, B, PK_HAVE_TCP, 1234, 80), y = ip4(B, A, PK_HAVE_TCP, 80, 1234);
	uint64_t h1 = 0, h2 = 1;

	CHECK(pk_shard_hash(&x, 7, &h1) == 1);
	CHECK(pk_shard_hash(&y, 7, &h2) == 1);
	CHECK(h1 == h2);
	for (uint32_t n = 1; n <= 9; n++)
		CHECK(pk_shard_of(&x, 7, n) == pk_shard_of(&y, 7, n));
	CHECK(pk_shard_of(&x, 7, 1) == 0);
	/* The seed changes the hash. */
	CHECK(pk_shard_hash(&x, 8, &h2) == 1 && h1 != h2);
}

static void
ports_and_fragments(void)
{
	/* Other ports, a later fragment (no ports), an ICMP message and a VLAN
	 * tag between the same hosts: one host pair, one hash. */
	struct pk_layers x = ip4(A, B, PK_HAVE_TCP, 1234, 80);
	struct pk_layers f = ip4(B, A, PK_HAVE_FRAG, 0, 0);
	struct pk_layers i = ip4(B, A, PK_HAVE_ICMP | PK_HAVE_INNER, 0, 0);
	struct pk_layers v = ip4(A, B, PK_HAVE_UDP | PK_HAVE_VLAN, 5, 6);
	struct pk_layers o = ip4(A, C, PK_HAVE_TCP, 1234, 80);
	uint64_t hx = 0, hf = 1, hi = 2, hv = 3, ho = 4;

	f.frag_off = 1480;
	i.icmp_type = 3;
	v.n_vlan = 1;
	v.vlan_tci[0] = 42;
	CHECK(pk_shard_hash(&x, 0, &hx) && pk_shard_hash(&f, 0, &hf) &&
	      pk_shard_hash(&i, 0, &hi) && pk_shard_hash(&v, 0, &hv) && pk_shard_hash(&o, 0, &ho));
	CHECK(hx == hf && hx == hi && hx == hv);
	CHECK(hx != ho);
}

static void
arp_and_other(void)
{
	struct pk_layers a, x = ip4(A, B, PK_HAVE_UDP, 1, 2);
	uint64_t ha = 0, hx = 1;

	memset(&a, 0, sizeof a);
	a.have = PK_HAVE_LINK | PK_HAVE_ARP;
	a.arp_pro = 0x0800;
	a.arp_pln = 4;
	a.arp_spa = B;
	a.arp_tpa = A;
	CHECK(pk_shard_hash(&a, 3, &ha) == 1);
	CHECK(pk_shard_hash(&x, 3, &hx) == 1);
	CHECK(ha == hx);
	a.have = PK_HAVE_LINK;
	CHECK(pk_shard_hash(&a, 3, &ha) == 0);
	CHECK(pk_shard_of(&a, 3, 5) == 0);
}

static void
parse(void)
{
	uint32_t k, n;
	char err[200];

	CHECK(pk_shard_parse("0/1", &k, &n, err, sizeof err) == 0 && k == 0 && n == 1);
	CHECK(pk_shard_parse("6/7", &k, &n, err, sizeof err) == 0 && k == 6 && n == 7);
	CHECK(pk_shard_parse("7/7", &k, &n, err, sizeof err) < 0);
	CHECK(pk_shard_parse("1/0", &k, &n, err, sizeof err) < 0);
	CHECK(pk_shard_parse("1/", &k, &n, err, sizeof err) < 0);
	CHECK(pk_shard_parse("/2", &k, &n, err, sizeof err) < 0);
	CHECK(pk_shard_parse("1/2x", &k, &n, err, sizeof err) < 0);
	CHECK(pk_shard_parse("-1/2", &k, &n, err, sizeof err) < 0);
	CHECK(pk_shard_parse("1/99999999999999999999", &k, &n, err, sizeof err) < 0);
	CHECK(pk_shard_parse("0/1025", &k, &n, err, sizeof err) < 0);
}

static void
paths(void)
{
	char out[32], err[200];

	CHECK(pk_shard_path("out-%d.pcap", 3, out, sizeof out, err, sizeof err) == 0);
	CHECK_EQ_STR(out, "out-3.pcap");
	CHECK(pk_shard_path("%%x-%03d", 7, out, sizeof out, err, sizeof err) == 0);
	CHECK_EQ_STR(out, "%x-007");
	CHECK(pk_shard_path("out.pcap", 0, out, sizeof out, err, sizeof err) < 0);
	CHECK(pk_shard_path("%d-%d", 0, out, sizeof out, err, sizeof err) < 0);
	CHECK(pk_shard_path("%s", 0, out, sizeof out, err, sizeof err) < 0);
	CHECK(pk_shard_path("%", 0, out, sizeof out, err, sizeof err) < 0);
	CHECK(pk_shard_path("%5d", 0, out, sizeof out, err, sizeof err) < 0);
	CHECK(pk_shard_path("a-very-long-name-that-overflows-%d", 0, out, sizeof out, err, sizeof err) < 0);
	CHECK(pk_shard_path("%d", 0, out, 1, err, sizeof err) < 0);
}

UNIT_MAIN(U(symmetric), U(ports_and_fragments), U(arp_and_other), U(parse), U(paths))
