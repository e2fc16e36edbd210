/* test_expect.c — unit tests for the --expect language (lib/expect.c). */
#include <string.h>

#include "pcapkit/expect.h"
#include "unit.h"

static const struct { const char *name; double v; } fields[] = {
	{ "packets", 10 }, { "tcp.rst", 3 }, { "duration", 1.5 },
	{ "quality.time_backwards", 0 }, { "bytes_wire", 2500000 },
};

static int
lookup(void *ctx, const char *name, double *v)
{
	(void)ctx;
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (strcmp(fields[i].name, name) == 0) {
			*v = fields[i].v;
			return 0;
		}
	return -1;
}

static int
known(const char *name)
{
	double v;
	return lookup(NULL, name, &v) == 0;
}

/* 1 holds, 0 fails, -1 eval error, -2 compile error. */
static int
run(const char *src, char *why, size_t n)
{
	char err[128];
	int col, r;
	struct pk_expect *e = pk_expect_compile(src, NULL, err, sizeof err, &col);

	if (!e)
		return -2;
	r = pk_expect_eval(e, lookup, NULL, why, n);
	pk_expect_free(e);
	return r;
}

static void
holds(void)
{
	char why[128];

	CHECK_EQ_INT(run("packets > 0", why, sizeof why), 1);
	CHECK_EQ_INT(run("packets == 10", why, sizeof why), 1);
	CHECK_EQ_INT(run("packets = 10 and duration < 60", why, sizeof why), 1);
	CHECK_EQ_INT(run("duration < 2s", why, sizeof why), 1);
	CHECK_EQ_INT(run("duration > 1400ms", why, sizeof why), 1);
	CHECK_EQ_INT(run("duration < 1m && duration >= 1.5", why, sizeof why), 1);
	CHECK_EQ_INT(run("bytes_wire >= 2.5M", why, sizeof why), 1);
	CHECK_EQ_INT(run("bytes_wire < 3M and bytes_wire > 2500k - 1", why, sizeof why), 1);
	CHECK_EQ_INT(run("tcp.rst / packets < 0.5", why, sizeof why), 1);
	CHECK_EQ_INT(run("not quality.time_backwards", why, sizeof why), 1);
	CHECK_EQ_INT(run("!(tcp.rst == 0) || packets < 0", why, sizeof why), 1);
	CHECK_EQ_INT(run("-packets < -9", why, sizeof why), 1);
	CHECK_EQ_INT(run("2 * (packets + 1) == 22", why, sizeof why), 1);
	CHECK_EQ_INT(run("packets != 11", why, sizeof why), 1);
	CHECK_EQ_INT(run("1h == 3600 and 1d == 86400 and 1us < 1ms", why, sizeof why), 1);
}

static void
fails_with_values(void)
{
	char why[128];

	CHECK_EQ_INT(run("tcp.rst == 0", why, sizeof why), 0);
	CHECK_EQ_STR(why, "tcp.rst is 3");
	CHECK_EQ_INT(run("tcp.rst == 0 or packets > tcp.rst * 5 or tcp.rst > 9", why, sizeof why), 0);
	CHECK_EQ_STR(why, "tcp.rst is 3, packets is 10");
	CHECK_EQ_INT(run("duration > 60", why, sizeof why), 0);
	CHECK_EQ_STR(why, "duration is 1.5");
	/* division by zero is NaN: never true */
	CHECK_EQ_INT(run("packets / quality.time_backwards > 0", why, sizeof why), 0);
	CHECK_EQ_INT(run("packets / 0 != 1", why, sizeof why), 0);
	CHECK_EQ_INT(run("nosuch > 0", why, sizeof why), -1);
	CHECK_EQ_STR(why, "unknown field 'nosuch'");
}

static void
compile_errors(void)
{
	static const struct { const char *src; const char *msg; int col; } bad[] = {
		{ "", "empty expression", 1 },
		{ "packets >", "unexpected end of expression", 10 },
		{ "packets >> 0", "unexpected '>'", 10 },
		{ "(packets > 0", "unbalanced '('", 1 },
		{ "packets > 0)", "unbalanced ')'", 12 },
		{ "packets > 10x", "unexpected 'x'", 13 },
		{ "packets > 10q5", "unexpected 'q'", 13 },
		{ "1 < packets < 5", "comparisons do not chain; use 'and'", 13 },
		{ "packets > 1.", "unexpected '1.'", 11 },
		{ "packets # 1", "unexpected '#'", 9 },
		{ "tcp.rsts == 0", "unknown field 'tcp.rsts'", 1 },
	};
	char err[128];
	int col;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct pk_expect *e = pk_expect_compile(bad[i].src, known, err, sizeof err, &col);
		CHECK(e == NULL);
		pk_expect_free(e);
		CHECK_EQ_STR(err, bad[i].msg);
		CHECK_EQ_INT(col, bad[i].col);
	}
}

static void
limits(void)
{
	char src[2000], err[128];
	int col;
	struct pk_expect *e;

	memset(src, '(', 1000);
	src[1000] = '\0';
	e = pk_expect_compile(src, NULL, err, sizeof err, &col);
	CHECK(e == NULL);
	CHECK_EQ_STR(err, "expression nested too deeply");
	memset(src, '!', 1000);
	strcpy(src + 1000, "packets");
	e = pk_expect_compile(src, NULL, err, sizeof err, &col);
	CHECK(e == NULL);
	src[0] = '\0';
	for (int i = 0; i < 200; i++)
		strcat(src, "1+");
	strcat(src, "1");
	e = pk_expect_compile(src, NULL, err, sizeof err, &col);
	CHECK(e == NULL);
	CHECK_EQ_STR(err, "expression too long");
	e = pk_expect_compile("packets > 0", known, err, sizeof err, &col);
	CHECK(e != NULL);
	CHECK_EQ_STR(pk_expect_source(e), "packets > 0");
	pk_expect_free(e);
	pk_expect_free(NULL);
}

static void
durations(void)
{
	uint64_t ns = 0;

	CHECK_EQ_INT(pk_parse_duration("1s", &ns), 0);
	CHECK_EQ_INT(ns, 1000000000);
	CHECK_EQ_INT(pk_parse_duration("100ms", &ns), 0);
	CHECK_EQ_INT(ns, 100000000);
	CHECK_EQ_INT(pk_parse_duration("2.5m", &ns), 0);
	CHECK_EQ_INT(ns, 150000000000LL);
	CHECK_EQ_INT(pk_parse_duration("3", &ns), 0);
	CHECK_EQ_INT(ns, 3000000000LL);
	CHECK_EQ_INT(pk_parse_duration("250us", &ns), 0);
	CHECK_EQ_INT(ns, 250000);
	CHECK_EQ_INT(pk_parse_duration("1h", &ns), 0);
	CHECK_EQ_INT(ns, 3600000000000LL);
	CHECK_EQ_INT(pk_parse_duration("0s", &ns), -1);
	CHECK_EQ_INT(pk_parse_duration("0.1ns", &ns), -1);
	CHECK_EQ_INT(pk_parse_duration("1x", &ns), -1);
	CHECK_EQ_INT(pk_parse_duration("-1s", &ns), -1);
	CHECK_EQ_INT(pk_parse_duration("1.s", &ns), -1);
	CHECK_EQ_INT(pk_parse_duration("", &ns), -1);
	CHECK_EQ_INT(pk_parse_duration("99999999999d", &ns), -1);
}

UNIT_MAIN(U(holds), U(fails_with_values), U(compile_errors), U(limits), U(durations))
