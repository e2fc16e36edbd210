/* test_jsonread.c — the JSON reader: values, escapes, exact 64-bit integers, errors. */
#include <string.h>

#include "pcapkit/jsonread.h"
#include "unit.h"

static struct pk_jdoc *
parse(const char *s, char *err, size_t n)
{
	return pk_jdoc_parse(s, strlen(s), err, n);
}

static void
values(void)
{
	char err[128];
	struct pk_jdoc *d = parse(" {\"a\": [1, -2.5e1, true, false, null], \"b\": {\"c\": \"x\"},"
	                          " \"n\": 1714564800000000001, \"m\": -9223372036854775808} ", err, sizeof err);
	const struct pk_jnode *r, *a, *e;
	uint64_t u;
	int64_t i;

	CHECK(d != NULL);
	if (!d)
		return;
	r = pk_jdoc_root(d);
	CHECK(r->type == PK_JOBJ && r->n == 4);
	a = pk_jnode_get(d, r, "a");
	CHECK(a && a->type == PK_JARR && a->n == 5);
	e = pk_jnode_child(d, a);
	CHECK(pk_jnode_u64(e, &u) == 0 && u == 1);
	e = pk_jnode_next(d, e);
	CHECK(e->type == PK_JNUM && e->num == -25.0 && pk_jnode_i64(e, &i) < 0);
	e = pk_jnode_next(d, e);
	CHECK(e->type == PK_JTRUE);
	e = pk_jnode_next(d, pk_jnode_next(d, e));
	CHECK(e->type == PK_JNULL && !pk_jnode_next(d, e));
	CHECK_EQ_STR(pk_jnode_get(d, pk_jnode_get(d, r, "b"), "c")->str, "x");
	/* Beyond double precision, read from the text. */
	CHECK(pk_jnode_u64(pk_jnode_get(d, r, "n"), &u) == 0 && u == 1714564800000000001ULL);
	CHECK(pk_jnode_i64(pk_jnode_get(d, r, "m"), &i) == 0 && i == INT64_MIN);
	CHECK(pk_jnode_get(d, r, "zz") == NULL);
	pk_jdoc_free(d);
}

static void
escapes(void)
{
	char err[128];
	struct pk_jdoc *d = parse("[\"a\\\"b\\\\c\\n\\u00e9\\ud83d\\ude00\\/\"]", err, sizeof err);

	CHECK(d != NULL);
	if (!d)
		return;
	CHECK_EQ_STR(pk_jnode_child(d, pk_jdoc_root(d))->str, "a\"b\\c\n\xc3\xa9\xf0\x9f\x98\x80/");
	pk_jdoc_free(d);
}

static void
errors(void)
{
	static const char *const bad[] = { "", "{", "[1,]", "{\"a\" 1}", "[01]", "[1.]", "tru",
		"\"\\x\"", "\"a", "[1] 2", "{\"a\":1,}", "[\"\\ud800\\u0041\"]", "-", "[1e]" };
	char err[128], deep[200];

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct pk_jdoc *d = parse(bad[i], err, sizeof err);

		CHECK(d == NULL);
		if (d)
			fprintf(stderr, "# accepted: %s\n", bad[i]);
		pk_jdoc_free(d);
	}
	memset(deep, '[', 100);
	deep[100] = 0;
	CHECK(parse(deep, err, sizeof err) == NULL);
	CHECK(strstr(err, "nesting too deep") != NULL);
	CHECK(parse("[1,,2]", err, sizeof err) == NULL);
	CHECK_EQ_STR(err, "unexpected character at byte 3");
}

UNIT_MAIN(U(values), U(escapes), U(errors))
