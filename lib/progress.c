/* progress.c — format the progress line (bytes, percent, packets, rate, ETA).
 *
 * Only the text lives here; the commands own the clock and the terminal
 * (cmd/cli.c decides when to show it and redraws it in place).
 */
#include <stdio.h>

#include "pcapkit/progress.h"

/* 1023 B, 12.3 KiB, 412 MiB, 1.0 GiB: three significant digits at most. */
static void
human(char *buf, size_t n, double v)
{
	static const char *unit[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
	unsigned u = 0;

	while (v >= 1024 && u < 5) {
		v /= 1024;
		u++;
	}
	if (u == 0 || v >= 100)
		snprintf(buf, n, "%.0f %s", v, unit[u]);
	else
		snprintf(buf, n, "%.1f %s", v, unit[u]);
}

static void
count(char *buf, size_t n, uint64_t v)
{
	if (v < 10000)
		snprintf(buf, n, "%llu", (unsigned long long)v);
	else if (v < 1000000)
		snprintf(buf, n, "%.1fk", (double)v / 1e3);
	else
		snprintf(buf, n, "%.1fM", (double)v / 1e6);
}

size_t
pk_progress_format(char *buf, size_t n, uint64_t done, int64_t total,
                   uint64_t packets, double elapsed)
{
	char a[32], b[32], c[32], r[32];
	int len;
	double rate = elapsed > 0.05 ? (double)done / elapsed : 0;

	if (n == 0)
		return 0;
	human(a, sizeof a, (double)done);
	count(c, sizeof c, packets);
	if (total >= 0) {
		double pct = total > 0 ? 100.0 * (double)done / (double)total : 100.0;

		human(b, sizeof b, (double)total);
		len = snprintf(buf, n, "%s / %s  %3.0f%%  %s pkts", a, b, pct > 100 ? 100 : pct, c);
	} else {
		len = snprintf(buf, n, "%s  %s pkts", a, c);
	}
	if (len < 0 || (size_t)len >= n)
		return len < 0 ? 0 : n - 1;
	if (rate > 0) {
		human(r, sizeof r, rate);
		len += snprintf(buf + len, n - (size_t)len, "  %s/s", r);
		if ((size_t)len < n && total >= 0 && (uint64_t)total > done) {
			double left = (double)((uint64_t)total - done) / rate;
			unsigned long s = (unsigned long)(left + 0.5);

			if (s >= 3600)
				len += snprintf(buf + len, n - (size_t)len, "  ETA %lu:%02lu:%02lu",
				    s / 3600, s / 60 % 60, s % 60);
			else
				len += snprintf(buf + len, n - (size_t)len, "  ETA %lu:%02lu", s / 60, s % 60);
		}
	}
	return (size_t)len < n ? (size_t)len : n - 1;
}
