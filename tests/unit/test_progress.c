/* test_progress.c — the progress line's text. */
#include "pcapkit/progress.h"
#include "unit.h"

static void
with_total(void)
{
	char buf[128];

	/* 412 MiB of 1 GiB in 2 s: 206 MiB/s, 612 MiB left -> 2.97 s -> 0:03. */
	pk_progress_format(buf, sizeof buf, 412ull << 20, 1ll << 30, 2900000, 2.0);
	CHECK_EQ_STR(buf, "412 MiB / 1.0 GiB   40%  2.9M pkts  206 MiB/s  ETA 0:03");
}

static void
pipe_no_total(void)
{
	char buf[128];

	pk_progress_format(buf, sizeof buf, 1536, -1, 3, 0.0);
	CHECK_EQ_STR(buf, "1.5 KiB  3 pkts");
	pk_progress_format(buf, sizeof buf, 10ull << 20, -1, 12345678, 1.0);
	CHECK_EQ_STR(buf, "10.0 MiB  12.3M pkts  10.0 MiB/s");
}

static void
hours_and_truncation(void)
{
	char buf[16];
	char big[128];

	pk_progress_format(big, sizeof big, 1ull << 20, 10000ll << 20, 1, 1.0);
	/* 9999 MiB left at 1 MiB/s = 9999 s = 2:46:39. */
	CHECK_EQ_STR(big, "1.0 MiB / 9.8 GiB    0%  1 pkts  1.0 MiB/s  ETA 2:46:39");
	CHECK(pk_progress_format(buf, sizeof buf, 1ull << 20, 10000ll << 20, 1, 1.0) == 15);
	CHECK_EQ_INT(buf[15], 0);
}

UNIT_MAIN(U(with_total), U(pipe_no_total), U(hours_and_truncation))
