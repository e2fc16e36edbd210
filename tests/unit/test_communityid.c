/* test_communityid.c — SHA-1 (FIPS 180-2 appendix vectors), base64
 * (RFC 4648 section 10) and Community ID v1 against the spec's published
 * baseline (corelight/community-id-spec baseline/baseline_deflt.json). */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "pcapkit/communityid.h"
#include "unit.h"

static void
hex(const uint8_t *d, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static void
sha1_vectors(void)
{
	struct pk_sha1 c;
	uint8_t d[20];
	char h[41];
	static const char *msg2 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

	pk_sha1_init(&c);
	pk_sha1_update(&c, "abc", 3);
	pk_sha1_final(&c, d);
	hex(d, 20, h);
	CHECK_EQ_STR(h, "a9993e364706816aba3e25717850c26c9cd0d89d");
	pk_sha1_init(&c);
	pk_sha1_update(&c, msg2, strlen(msg2));
	pk_sha1_final(&c, d);
	hex(d, 20, h);
	CHECK_EQ_STR(h, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
	pk_sha1_init(&c);
	for (int i = 0; i < 1000000; i++)
		pk_sha1_update(&c, "a", 1);
	pk_sha1_final(&c, d);
	hex(d, 20, h);
	CHECK_EQ_STR(h, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

static void
base64_vectors(void)
{
	char out[16];
	static const char *in[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
	static const char *want[] = { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy" };

	for (int i = 0; i < 7; i++) {
		pk_base64((const uint8_t *)in[i], strlen(in[i]), out);
		CHECK_EQ_STR(out, want[i]);
	}
}

struct vec { int proto; const char *s, *d; int sp, dp; const char *id; };

static const struct vec vecs[] = {
	{ 58, "fe80::200:86ff:fe05:80da", "fe80::260:97ff:fe07:69ea", 135, 0, "1:dGHyGvjMfljg6Bppwm3bg0LO8TY=" },
	{ 58, "fe80::260:97ff:fe07:69ea", "fe80::200:86ff:fe05:80da", 136, 0, "1:dGHyGvjMfljg6Bppwm3bg0LO8TY=" },
	{ 58, "fe80::260:97ff:fe07:69ea", "fe80::200:86ff:fe05:80da", 135, 0, "1:zavyT/cezQr1fmImYCwYnMXbgck=" },
	{ 58, "fe80::200:86ff:fe05:80da", "fe80::260:97ff:fe07:69ea", 136, 0, "1:zavyT/cezQr1fmImYCwYnMXbgck=" },
	{ 58, "3ffe:501:1800:2345::2", "3ffe:507:0:1:200:86ff:fe05:80da", 3, 0, "1:2ObVBgIn28oZvibYZhZMBgh7WdQ=" },
	{ 58, "3ffe:501:410:0:2c0:dfff:fe47:33e", "3ffe:507:0:1:200:86ff:fe05:80da", 1, 4, "1:hLZd0XGWojozrvxqE0dWB1iM6R0=" },
	{ 58, "3ffe:507:0:1:200:86ff:fe05:80da", "3ffe:501:0:1001::2", 128, 0, "1:+TW+HtLHvV1xnGhV1lv7XoJrqQg=" },
	{ 58, "3ffe:501:0:1001::2", "3ffe:507:0:1:200:86ff:fe05:80da", 129, 0, "1:+TW+HtLHvV1xnGhV1lv7XoJrqQg=" },
	{ 58, "fe80::200:86ff:fe05:80da", "ff02::2", 133, 0, "1:hO+sN4H+MG5MY/8hIrXPqc4ZQz0=" },
	{ 58, "fe80::260:97ff:fe07:69ea", "ff02::1", 134, 0, "1:pkvHqCL88/tg1k4cPigmZXUtL00=" },
	{ 1, "192.168.0.89", "192.168.0.1", 8, 0, "1:X0snYXpgwiv9TZtqg64sgzUn6Dk=" },
	{ 1, "192.168.0.1", "192.168.0.89", 0, 0, "1:X0snYXpgwiv9TZtqg64sgzUn6Dk=" },
	{ 1, "10.0.0.1", "10.0.0.2", 11, 0, "1:YHxtAirCG//0OzkcVAukqKQN9xM=" },
	{ 6, "2001:470:e5bf:dead:4957:2174:e82c:4887", "2607:f8b0:400c:c03::1a", 63943, 25, "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=" },
	{ 6, "2607:f8b0:400c:c03::1a", "2001:470:e5bf:dead:4957:2174:e82c:4887", 25, 63943, "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=" },
	{ 132, "192.168.170.8", "192.168.170.56", 7, 7, "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs=" },
	{ 132, "192.168.170.56", "192.168.170.8", 7, 7, "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs=" },
	{ 6, "128.232.110.120", "66.35.250.204", 34855, 80, "1:LQU9qZlK+B5F3KDmev6m5PMibrg=" },
	{ 6, "66.35.250.204", "128.232.110.120", 80, 34855, "1:LQU9qZlK+B5F3KDmev6m5PMibrg=" },
	{ 17, "192.168.1.52", "8.8.8.8", 54585, 53, "1:d/FP5EW3wiY1vCndhwleRRKHowQ=" },
	{ 17, "8.8.8.8", "192.168.1.52", 53, 54585, "1:d/FP5EW3wiY1vCndhwleRRKHowQ=" },
	{ 46, "10.1.12.1", "10.1.12.2", 0, 0, "1:KHlLkgoJW7ifUTyTSgyVfkFHzKw=" },
	{ 46, "10.1.12.2", "10.1.12.1", 0, 0, "1:KHlLkgoJW7ifUTyTSgyVfkFHzKw=" },
};

static void
spec_baseline(void)
{
	for (size_t i = 0; i < sizeof vecs / sizeof vecs[0]; i++) {
		uint8_t s[16], d[16];
		size_t alen = strchr(vecs[i].s, ':') ? 16 : 4;
		char id[32];

		CHECK(inet_pton(alen == 16 ? AF_INET6 : AF_INET, vecs[i].s, s) == 1);
		CHECK(inet_pton(alen == 16 ? AF_INET6 : AF_INET, vecs[i].d, d) == 1);
		pk_community_id(0, s, d, alen, (uint8_t)vecs[i].proto, (uint16_t)vecs[i].sp,
		                (uint16_t)vecs[i].dp, id);
		CHECK_EQ_STR(id, vecs[i].id);
	}
}

UNIT_MAIN(U(sha1_vectors), U(base64_vectors), U(spec_baseline))
