/* test_stats.c — unit tests for the statistics library (lib/stats*.c),
 * on packets written out byte by byte here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcapkit/stats.h"
#include "unit.h"

/* Ethernet + IPv4 (no options) + UDP, 60 bytes; TAG fills the payload. */
static void
udp_packet(uint8_t *p, uint8_t src_last, uint16_t sport, uint16_t dport, uint8_t tag)
{
	static const uint8_t eth[14] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00 };

	memset(p, 0, 60);
	memcpy(p, eth, 14);
	p[14] = 0x45;
	p[16] = 0; p[17] = 46;                 /* total length 20 + 8 + 18 */
	p[22] = 64;                            /* TTL */
	p[23] = 17;                            /* UDP */
	p[26] = 10; p[29] = src_last;          /* 10.0.0.src_last */
	p[30] = 10; p[33] = 2;                 /* 10.0.0.2 */
	p[34] = (uint8_t)(sport >> 8); p[35] = (uint8_t)sport;
	p[36] = (uint8_t)(dport >> 8); p[37] = (uint8_t)dport;
	p[38] = 0; p[39] = 26;                 /* UDP length */
	memset(p + 42, tag, 18);
}

static void
add(struct pk_stats *s, int64_t sec, uint32_t nsec, const uint8_t *p, uint32_t len)
{
	struct pk_pkthdr h;

	memset(&h, 0, sizeof h);
	h.sec = sec;
	h.nsec = nsec;
	h.caplen = h.len = len;
	h.linktype = 1;

	pk_stats_add(s, &h, p);
}

static double
val(const struct pk_stats *s, const char *name)
{
	double v = -1;

	CHECK_EQ_INT(pk_stats_value(s, name, &v), 0);
	return v;
}

static void
summary_and_quality(void)
{
	struct pk_stats_opts o = { .top = 5, .interval_ns = 1000000000 };
	struct pk_stats *s = pk_stats_new(&o);
	uint8_t p[60];

	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_EQ_INT(pk_stats_begin(s, "unit", NULL), 0);
	udp_packet(p, 1, 1000, 53, 'a');
	add(s, 100, 0, p, 60);
	add(s, 100, 0, p, 60);                 /* duplicate, equal time */
	udp_packet(p, 3, 1000, 53, 'b');
	add(s, 99, 500000000, p, 60);          /* 0.5 s back */
	udp_packet(p, 1, 2000, 123, 'c');
	add(s, 102, 250000000, p, 60);
	pk_stats_end(s, NULL, 0);

	CHECK_EQ_INT(val(s, "packets"), 4);
	CHECK_EQ_INT(val(s, "bytes_wire"), 240);
	CHECK_EQ_INT(val(s, "quality.duplicates"), 1);
	CHECK_EQ_INT(val(s, "quality.time_backwards"), 1);
	CHECK(val(s, "quality.time_backwards_max") == 0.5);
	CHECK_EQ_INT(val(s, "quality.equal_time_runs"), 1);
	CHECK_EQ_INT(val(s, "quality.issues"), 2);
	/* earliest 99.5, latest 102.25 */
	CHECK(val(s, "duration") == 2.75);
	CHECK_EQ_INT(val(s, "first_ns"), 99500000000LL);
	CHECK_EQ_INT(val(s, "protocols.udp.packets"), 4);
	CHECK_EQ_INT(val(s, "protocols.ipv4.bytes"), 240);
	CHECK_EQ_INT(val(s, "protocols.tcp.packets"), 0);
	CHECK_EQ_INT(val(s, "tcp.syn"), 0);
	CHECK(pk_stats_value(s, "protocols.udp", &(double){ 0 }) < 0);
	CHECK(pk_stats_value(s, "nosuch", &(double){ 0 }) < 0);
	pk_stats_free(s);
}

static void
field_names(void)
{
	CHECK(pk_stats_field_known("packets"));
	CHECK(pk_stats_field_known("tcp.rst"));
	CHECK(pk_stats_field_known("quality.acked_unseen"));
	CHECK(pk_stats_field_known("protocols.icmp6.bytes"));
	CHECK(!pk_stats_field_known("protocols.icmp7.bytes"));
	CHECK(!pk_stats_field_known("protocols.tcp"));
	CHECK(!pk_stats_field_known("file"));
	CHECK(!pk_stats_field_known(""));
}

static char *
render(struct pk_stats *s, int how)
{
	char *mem = NULL;
	size_t n = 0;
	FILE *fp = open_memstream(&mem, &n);

	if (!fp)
		return NULL;
	if (how == 0)
		CHECK_EQ_INT(pk_stats_json(s, fp), 0);
	else if (how == 1)
		CHECK_EQ_INT(pk_stats_csv(s, fp, ',', 1), 0);
	else
		CHECK_EQ_INT(pk_stats_print(s, fp), 0);
	fclose(fp);
	return mem;
}

static void
outputs(void)
{
	struct pk_stats_opts o = { .top = 2, .interval_ns = 1000000000 };
	struct pk_stats *s = pk_stats_new(&o);
	uint8_t p[60];
	char *t;
	int i;

	if (!s)
		return;
	pk_stats_begin(s, "a \"quoted\" name", NULL);
	for (i = 0; i < 5; i++) {
		udp_packet(p, (uint8_t)(1 + i % 3), 1000, 53, (uint8_t)i);
		add(s, 1714564800 + i / 2, 0, p, 60);
	}
	pk_stats_end(s, NULL, 0);

	t = render(s, 0);
	CHECK(t && strncmp(t, "{\"version\":1,\"file\":\"a \\\"quoted\\\" name\",", 40) == 0);
	CHECK(t && strstr(t, "\"packets\":5,"));
	CHECK(t && strstr(t, "\"series\":{\"interval\":1.000000000,\"start_ns\":1714564800000000000,"
	                      "\"packets\":[2,2,1],\"bytes\":[120,120,60],\"truncated\":false}"));
	/* 10.0.0.2 is the destination of all 5; then 10.0.0.1 (packets 0, 3) */
	CHECK(t && strstr(t, "\"addresses\":[{\"addr\":\"10.0.0.2\",\"packets\":5,\"bytes\":300},"
	                      "{\"addr\":\"10.0.0.1\",\"packets\":2,"));
	CHECK(t && strstr(t, "\"ports\":[{\"proto\":\"udp\",\"port\":53,\"packets\":5,"));
	CHECK(t && strstr(t, "{\"min\":40,\"max\":79,\"packets\":5,\"bytes\":300}"));
	CHECK(t && t[strlen(t) - 1] == '\n' && !strchr(t, '\n')[1]);
	free(t);

	t = render(s, 1);
	CHECK(t && strncmp(t, "file,format,linktypes,snaplen,packets,", 38) == 0);
	CHECK(t && strstr(t, "\n\"a \"\"quoted\"\" name\",unknown,EN10MB,,5,300,300,0,"));
	free(t);

	t = render(s, 2);
	CHECK(t && strstr(t, "Packets:"));
	CHECK(t && strstr(t, "Time series (1 s buckets, 3 buckets)"));
	free(t);
	pk_stats_free(s);
	pk_stats_free(NULL);
}

UNIT_MAIN(U(summary_and_quality), U(field_names), U(outputs))
