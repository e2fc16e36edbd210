/* test_out.c — unit tests for the output helpers (lib/out.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcapkit/out.h"
#include "unit.h"

static char b[256];

static void
fixed(void)
{
	CHECK_EQ_INT(pk_fmt_fixed(b, sizeof b, 12034, 3), 6);
	CHECK_EQ_STR(b, "12.034");
	pk_fmt_fixed(b, sizeof b, -5, 3);
	CHECK_EQ_STR(b, "-0.005");
	pk_fmt_fixed(b, sizeof b, 42, 0);
	CHECK_EQ_STR(b, "42");
	pk_fmt_fixed(b, sizeof b, INT64_MIN, 0);
	CHECK_EQ_STR(b, "-9223372036854775808");
	pk_fmt_double(b, sizeof b, 2.0 / 3.0, 2);
	CHECK_EQ_STR(b, "0.67");
	pk_fmt_double(b, sizeof b, -1.005, 1);
	CHECK_EQ_STR(b, "-1.0");
	pk_fmt_double(b, sizeof b, 1e300, 2);
	CHECK_EQ_STR(b, "0.00");
}

static void
truncation(void)
{
	char s[4];

	CHECK_EQ_INT(pk_fmt_fixed(s, sizeof s, 123456, 0), 6);
	CHECK_EQ_STR(s, "123");
	CHECK_EQ_INT(pk_fmt_fixed(NULL, 0, 123456, 2), 7);
}

static void
human(void)
{
	pk_fmt_human(b, sizeof b, 999, "B");
	CHECK_EQ_STR(b, "999 B");
	pk_fmt_human(b, sizeof b, 1234, "B");
	CHECK_EQ_STR(b, "1.2 kB");
	pk_fmt_human(b, sizeof b, 1250, NULL);
	CHECK_EQ_STR(b, "1.3 k");
	pk_fmt_human(b, sizeof b, 12345, "");
	CHECK_EQ_STR(b, "12 k");
	pk_fmt_human(b, sizeof b, 123456789, "B");
	CHECK_EQ_STR(b, "123 MB");
	pk_fmt_human(b, sizeof b, 999999, "B");
	CHECK_EQ_STR(b, "1.0 MB");
	pk_fmt_human(b, sizeof b, 9999, "B");
	CHECK_EQ_STR(b, "10 kB");
	pk_fmt_human(b, sizeof b, UINT64_MAX, "B");
	CHECK_EQ_STR(b, "18 EB");
}

/* pk_fmt_size: each expectation is what GNU ls -lh prints for a file of
 * that many bytes (truncate -s N f; ls -lh f), K/M/G/T written kB/MB/GB/TB. */
static void
size1024(void)
{
	static const struct { uint64_t v; const char *s; } t[] = {
		{ 0, "0 B" }, { 999, "999 B" }, { 1023, "1023 B" }, { 1024, "1.0 kB" },
		{ 1025, "1.1 kB" }, { 3000, "3.0 kB" }, { 4777, "4.7 kB" },
		{ 10239, "10 kB" }, { 10240, "10 kB" }, { 102400, "100 kB" },
		{ 1048575, "1.0 MB" }, { 1048576, "1.0 MB" }, { 1073741824, "1.0 GB" },
		{ 1099511627776ULL, "1.0 TB" },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		pk_fmt_size(b, sizeof b, t[i].v);
		CHECK_EQ_STR(b, t[i].s);
	}
	pk_fmt_size(b, sizeof b, UINT64_MAX);   /* 16 EiB exactly, rounded up */
	CHECK_EQ_STR(b, "16 EB");
}

static void
rfc3339(void)
{
	/* 1700000000 = 2023-11-14T22:13:20Z (date -u -d @1700000000). */
	pk_fmt_rfc3339(b, sizeof b, 1700000000, 123456789, 9);
	CHECK_EQ_STR(b, "2023-11-14T22:13:20.123456789Z");
	pk_fmt_rfc3339(b, sizeof b, 1700000000, 123456789, 6);
	CHECK_EQ_STR(b, "2023-11-14T22:13:20.123456Z");
	pk_fmt_rfc3339(b, sizeof b, 0, 0, 0);
	CHECK_EQ_STR(b, "1970-01-01T00:00:00Z");
	/* nsec 1e9 carries: 1 s after the epoch. */
	pk_fmt_rfc3339(b, sizeof b, 0, 1000000000u, 3);
	CHECK_EQ_STR(b, "1970-01-01T00:00:01.000Z");
	pk_fmt_rfc3339(b, sizeof b, -1, 0, 0);
	CHECK_EQ_STR(b, "1969-12-31T23:59:59Z");
	/* 2^32-1 = 2106-02-07T06:28:15Z; 2000-02-29 = 951782400 (leap day). */
	pk_fmt_rfc3339(b, sizeof b, 4294967295LL, 0, 0);
	CHECK_EQ_STR(b, "2106-02-07T06:28:15Z");
	pk_fmt_rfc3339(b, sizeof b, 951782400, 0, 0);
	CHECK_EQ_STR(b, "2000-02-29T00:00:00Z");
}

static void
localtime_utc(void)
{
	setenv("TZ", "UTC", 1);
	pk_fmt_localtime(b, sizeof b, 1700000000, 5000, 6);
	CHECK_EQ_STR(b, "2023-11-14 22:13:20.000005");
	pk_fmt_epoch(b, sizeof b, 1700000000, 5000, 6);
	CHECK_EQ_STR(b, "1700000000.000005");
	pk_fmt_epoch(b, sizeof b, -2, 500000000, 3);
	CHECK_EQ_STR(b, "-1.500");
}

static void
fields(void)
{
	pk_fmt_field(b, sizeof b, "plain", ',');
	CHECK_EQ_STR(b, "plain");
	pk_fmt_field(b, sizeof b, "a,b", ',');
	CHECK_EQ_STR(b, "\"a,b\"");
	pk_fmt_field(b, sizeof b, "say \"hi\"", ',');
	CHECK_EQ_STR(b, "\"say \"\"hi\"\"\"");
	pk_fmt_field(b, sizeof b, " pad", ',');
	CHECK_EQ_STR(b, "\" pad\"");
	pk_fmt_field(b, sizeof b, "a\tb\\c\nd", '\t');
	CHECK_EQ_STR(b, "a\\tb\\\\c\\nd");
	pk_fmt_field(b, sizeof b, "a,b", '\t');
	CHECK_EQ_STR(b, "a,b");
}

static void
json_buf(void)
{
	struct pk_json j;

	pk_json_init_buf(&j, b, sizeof b);
	pk_json_object(&j, NULL);
	pk_json_str(&j, "file", "a\"b\\c\n\x01");
	pk_json_u64(&j, "packets", 18446744073709551615ull);
	pk_json_i64(&j, "neg", -3);
	pk_json_fixed(&j, "duration", 1500, 3);
	pk_json_object(&j, "tcp");
	pk_json_u64(&j, "syn", 1);
	pk_json_close(&j);
	pk_json_array(&j, "list");
	pk_json_u64(&j, NULL, 1);
	pk_json_str(&j, NULL, "x");
	pk_json_null(&j, NULL);
	pk_json_close(&j);
	pk_json_bool(&j, "ok", 1);
	pk_json_str(&j, "none", NULL);
	pk_json_close(&j);
	CHECK_EQ_INT(pk_json_end_line(&j), 0);
	CHECK_EQ_STR(b, "{\"file\":\"a\\\"b\\\\c\\n\\u0001\",\"packets\":18446744073709551615,"
	             "\"neg\":-3,\"duration\":1.500,\"tcp\":{\"syn\":1},\"list\":[1,\"x\",null],"
	             "\"ok\":true,\"none\":null}\n");
}

static void
json_utf8(void)
{
	struct pk_json j;

	pk_json_init_buf(&j, b, sizeof b);
	pk_json_object(&j, NULL);
	/* é is valid; a lone 0xff and a truncated 0xe2 0x82 are not. */
	pk_json_str(&j, "s", "\xc3\xa9\xff|\xe2\x82");
	pk_json_close(&j);
	CHECK_EQ_INT(pk_json_end_line(&j), 0);
	CHECK_EQ_STR(b, "{\"s\":\"\xc3\xa9\\ufffd|\\ufffd\\ufffd\"}\n");
}

static void
json_errors(void)
{
	struct pk_json j;
	char small[8];

	pk_json_init_buf(&j, small, sizeof small);
	pk_json_object(&j, NULL);
	pk_json_str(&j, "key", "value");
	pk_json_close(&j);
	CHECK_EQ_INT(pk_json_end_line(&j), -1);
	CHECK_EQ_INT(j.len, 16);   /* {"key":"value"}\n */

	pk_json_init_buf(&j, b, sizeof b);
	pk_json_object(&j, NULL);
	CHECK_EQ_INT(pk_json_end_line(&j), -1);   /* unbalanced */

	pk_json_init_buf(&j, b, sizeof b);
	for (int i = 0; i < PK_JSON_DEPTH + 2; i++)
		pk_json_array(&j, NULL);
	for (int i = 0; i < PK_JSON_DEPTH + 2; i++)
		pk_json_close(&j);
	CHECK_EQ_INT(pk_json_end_line(&j), -1);   /* too deep */
}

static void
json_file(void)
{
	struct pk_json j;
	char *mem = NULL;
	size_t n = 0;
	FILE *fp = open_memstream(&mem, &n);

	CHECK(fp != NULL);
	if (!fp)
		return;
	pk_json_init_file(&j, fp);
	pk_json_object(&j, NULL);
	pk_json_double(&j, "rate", 12.3456, 2);
	pk_json_close(&j);
	CHECK_EQ_INT(pk_json_end_line(&j), 0);
	fclose(fp);
	CHECK_EQ_STR(mem, "{\"rate\":12.35}\n");
	free(mem);
}

static void
table(void)
{
	struct pk_table *t = pk_table_new(3);
	const char *r1[] = { "Packets:", "12", "x" };
	const char *r2[] = { "Bytes é:", "1234", NULL };
	char *mem = NULL;
	size_t n = 0;
	FILE *fp = open_memstream(&mem, &n);

	CHECK(t && fp);
	if (!t || !fp)
		return;
	pk_table_right(t, 1);
	CHECK_EQ_INT(pk_table_add(t, r1), 0);
	CHECK_EQ_INT(pk_table_add(t, r2), 0);
	CHECK_EQ_INT(pk_table_rows(t), 2);
	CHECK_EQ_INT(pk_table_print(t, fp, "  ", " "), 0);
	fclose(fp);
	CHECK_EQ_STR(mem, "  Packets:   12 x\n  Bytes é: 1234\n");
	free(mem);
	pk_table_free(t);
	pk_table_free(NULL);
	CHECK(pk_table_new(0) == NULL);
	CHECK_EQ_INT(pk_utf8_width("\xe2\x96\x81\xe2\x96\x82"), 2);
}

UNIT_MAIN(U(fixed), U(truncation), U(human), U(size1024), U(rfc3339), U(localtime_utc),
          U(fields), U(json_buf), U(json_utf8), U(json_errors), U(json_file), U(table))
