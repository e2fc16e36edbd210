/* test_filter_parse.c — unit tests for the parser: precedence, inheritance, errors and columns. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcapkit/filter.h"
#include "pcapkit/packet.h"
#include "unit.h"

static char a[65536], b[65536];

/* Do A and B compile to the same program (unoptimized, so structure shows)? */
static int same(const char *x, const char *y)
{
	struct pk_filter_err e;
	struct pk_filter *f = pk_filter_compile_ex(x, PK_LINK_EN10MB, 262144, PK_FILTER_NOOPT, &e);
	struct pk_filter *g = pk_filter_compile_ex(y, PK_LINK_EN10MB, 262144, PK_FILTER_NOOPT, &e);
	int ok = f && g;
	if (ok) {
		pk_filter_dump(f, 1, NULL, a, sizeof a);
		pk_filter_dump(g, 1, NULL, b, sizeof b);
		ok = strcmp(a, b) == 0;
	}
	if (!ok)
		fprintf(stderr, "# '%s' and '%s' differ\n", x, y);
	pk_filter_free(f);
	pk_filter_free(g);
	return ok;
}

static struct pk_filter_err err;
static const char *error_of(const char *x)
{
	struct pk_filter *f = pk_filter_compile(x, PK_LINK_EN10MB, 262144, &err);
	pk_filter_free(f);
	return f ? "" : err.msg;
}

static void precedence(void)
{
	CHECK(same("tcp or udp and port 53", "(tcp or udp) and port 53"));
	CHECK(same("tcp and port 80 or udp and port 53", "((tcp and port 80) or udp) and port 53"));
	CHECK(same("not tcp and udp", "(not tcp) and udp"));
	CHECK(same("!tcp && udp || icmp", "((not tcp) and udp) or icmp"));
	CHECK(same("not ip[0] = 1", "not (ip[0] = 1)"));
	CHECK(same("((tcp))", "tcp"));
}

static void arithmetic(void)
{
	CHECK(same("ip[0] + 2 * 3 = 1", "ip[0] + (2 * 3) = 1"));
	CHECK(same("ip[0] | 2 & 3 = 1", "ip[0] | (2 & 3) = 1"));
	CHECK(same("ip[0] & 2 << 3 = 1", "ip[0] & (2 << 3) = 1"));
	CHECK(same("ip[0] << 2 + 3 = 1", "ip[0] << (2 + 3) = 1"));
	CHECK(same("ip[0] - 2 - 3 = 1", "(ip[0] - 2) - 3 = 1"));
	/* '%' and '^' take everything on their right */
	CHECK(same("ip[9] % 5 * 2 = 0", "ip[9] % (5 * 2) = 0"));
	CHECK(same("2 * 10 % 4 = 0", "2 * (10 % 4) = 0"));
	CHECK(same("ip[0] + ip[1] ^ 3 = 0", "ip[0] + (ip[1] ^ 3) = 0"));
	CHECK(same("ip[0] ^ ip[1] + 3 = 0", "ip[0] ^ (ip[1] + 3) = 0"));
	CHECK(same("ip[0] % ip[1] % 3 = 0", "ip[0] % (ip[1] % 3) = 0"));
	CHECK(same("-4 % 3 = 0", "-(4 % 3) = 0"));
	CHECK_EQ_STR(error_of("1 < 2 < 3"), "can't parse filter expression: syntax error");
}

static void inheritance(void)
{
	CHECK(same("port 80 or 443", "port 80 or port 443"));
	CHECK(same("tcp dst port 80 or 443 or 8080", "tcp dst port 80 or tcp dst port 443 or tcp dst port 8080"));
	CHECK(same("host 10.0.0.1 and not 22", "host 10.0.0.1 and not host 0.0.0.22"));
	CHECK(same("not host 1.2.3.4 or 1.2.3.5", "(not host 1.2.3.4) or host 1.2.3.5"));
	CHECK(same("src 10.0.0.1 or 10.0.0.2", "src host 10.0.0.1 or src host 10.0.0.2"));
	CHECK(same("dst port 80 or src 90", "dst port 80 or src host 0.0.0.90"));
	CHECK(same("host 1.2.3.4 and (1.2.3.5 or 1.2.3.6)", "host 1.2.3.4 and (host 1.2.3.5 or host 1.2.3.6)"));
	CHECK(same("host 1.2.3.4 and (port 80) or 443", "host 1.2.3.4 and (port 80) or host 0.0.1.187"));
	CHECK(same("port 53 and (tcp) or 80", "port 53 and (tcp) or port 80"));
	CHECK_EQ_STR(error_of("(port 80) or 443"), "syntax error in filter expression");
	CHECK_EQ_STR(error_of("tcp or 80"), "syntax error in filter expression");
	CHECK_EQ_STR(error_of("ip[0] = 1 or 2"), "syntax error in filter expression");
	CHECK_EQ_STR(error_of("host 1.2.3.4 and (tcp or 1.2.3.5)"), "syntax error in filter expression");
	CHECK_EQ_STR(error_of("port 80 or 1.2.3.4"), "'port' modifier applied to ip host");
	CHECK_EQ_STR(error_of("host 1.2.3.4 or 1:2:3:4:5:6"), "ethernet address used in non-ether expression");
}

static void values(void)
{
	CHECK(same("host 192.168", "net 192.168.0.0/16"));
	CHECK(same("net 10", "net 10.0.0.0/8"));
	CHECK(same("net 256", "net 1.0.0.0/16"));
	CHECK(same("host 010.0.0.1", "host 10.0.0.1"));   /* dotted parts are decimal */
	CHECK(same("host 0x0a000001", "host 10.0.0.1"));
	CHECK(same("ether host 0102.0304.0506", "ether host 01:02:03:04:05:06"));
	CHECK(same("ether host 1-2-3-4-5-6", "ether host 01:02:03:04:05:06"));
	CHECK(same("ip proto \\tcp", "ip proto 6"));
	CHECK(same("port tcp-syn", "port 2"));
	CHECK(same("portrange 90-80", "portrange 80-90"));
	CHECK(same("src or dst host 1.2.3.4", "host 1.2.3.4"));
	CHECK(same("length > 5", "len > 5"));
	CHECK(same("ip[0] == 4", "ip[0] = 4"));
}

static void columns(void)
{
	CHECK(error_of("tcp udp")[0]);
	CHECK_EQ_INT(err.column, 4);
	CHECK_EQ_INT(err.length, 3);
	error_of("port 99999");
	CHECK_EQ_INT(err.column, 5);
	CHECK_EQ_STR(err.msg, "illegal port number 99999 > 65535");
	error_of("tcp and (");
	CHECK_EQ_INT(err.column, 9);     /* at the end */
	error_of("ip and ip6");
	CHECK_EQ_STR(err.msg, "expression rejects all packets");
	CHECK_EQ_INT(err.column, -1);
}

static void limits(void)
{
	size_t n = 5000;
	char *s = malloc(2 * n + 8);
	memset(s, '(', n);
	strcpy(s + n, "tcp");
	memset(s + n + 3, ')', n);
	s[2 * n + 3] = '\0';
	CHECK(strstr(error_of(s), "nested too deeply") != NULL);
	free(s);
	CHECK(same("", "") && strcmp(error_of("   "), "") == 0);
}

UNIT_MAIN(U(precedence), U(arithmetic), U(inheritance), U(values), U(columns), U(limits))
