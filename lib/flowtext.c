/* flowtext.c — pflows' table for people: a title row, one line per flow
 * record, and the --explain paragraphs of the findings behind each note. */
#include <stdlib.h>
#include <string.h>

#include "pcapkit/flowtext.h"
#include "pcapkit/out.h"

#define NCOL 11

/* Column titles; the arrow column has none. */
static const char *const head[NCOL] = {
	"start", "duration", "proto", "orig", "", "resp", "state", "history",
	"pkts o/r", "bytes o/r", "note",
};

struct pk_flowtext {
	FILE *fp;
	struct pk_table *tab;   /* aligned: rows kept until the end */
	int started;            /* title row done */
	/* The local date and time of the last start second formatted:
	 * flows start many to a second, and localtime is costly. */
	int64_t tsec;
	size_t tlen;            /* 0: none yet */
	char tbuf[40];
};

struct pk_flowtext *
pk_flowtext_new(FILE *fp, int aligned)
{
	struct pk_flowtext *t = calloc(1, sizeof *t);

	if (!t)
		return NULL;
	t->fp = fp;
	if (aligned) {
		if (!(t->tab = pk_table_new(NCOL))) {
			free(t);
			return NULL;
		}
		pk_table_right(t->tab, 1);   /* duration */
	}
	return t;
}

/* "addr:port", "[v6addr]:port". */
static void
endpoint(char *b, size_t n, const uint8_t a[16], int ver, unsigned port)
{
	char s[64], d[8];
	size_t l = 0, la, ld;

	/* Pieces copied by hand: snprintf cost more than the whole flow table. */
	pk_flow_addr_str(a, s, sizeof s);
	la = strlen(s);
	ld = pk_fmt_fixed(d, sizeof d, port, 0);
	if (n < la + ld + 4) {
		snprintf(b, n, "?");
		return;
	}
	if (ver == 6)
		b[l++] = '[';
	memcpy(b + l, s, la);
	l += la;
	if (ver == 6)
		b[l++] = ']';
	b[l++] = ':';
	memcpy(b + l, d, ld + 1);
}

/* "A/B" for two counters. */
static void
pair(char *b, size_t n, uint64_t x, uint64_t y)
{
	size_t l = pk_fmt_fixed(b, n, (int64_t)x, 0);

	if (l + 2 < n) {
		b[l] = '/';
		pk_fmt_fixed(b + l + 1, n - l - 1, (int64_t)y, 0);
	}
}

/* A row as it comes: the arrow joins the endpoints, fields two spaces apart. */
static void
put_plain(FILE *fp, const char *const *c)
{
	fprintf(fp, "%s  %s  %s  %s -> %s  %s  %s  %s  %s  %s\n", c[0], c[1], c[2], c[3], c[5],
	        c[6], c[7], c[8], c[9], c[10]);
}

static int
title(struct pk_flowtext *t)
{
	t->started = 1;
	if (t->tab)
		return pk_table_add(t->tab, head);
	put_plain(t->fp, head);
	return 0;
}

/* pk_fmt_localtime(B, N, start / 10^9, start % 10^9, 6), the part before
 * the fraction made once per second. */
static void
start_time(struct pk_flowtext *t, char *b, size_t n, int64_t ns)
{
	int64_t sec = ns / PK_NS;
	uint32_t us = (uint32_t)(ns % PK_NS / 1000);

	if (ns >= 0 && (!t->tlen || sec != t->tsec)) {
		t->tlen = pk_fmt_localtime(t->tbuf, sizeof t->tbuf, sec, 0, 0);
		t->tsec = sec;
		/* Only a plain "YYYY-MM-DD HH:MM:SS" takes the fraction after
		 * it (not the UTC fallback, which ends in Z). */
		if (t->tlen != 19)
			t->tlen = 0;
	}
	if (ns < 0 || !t->tlen || n < t->tlen + 8) {
		pk_fmt_localtime(b, n, sec, (uint32_t)(ns % PK_NS), 6);
		return;
	}
	memcpy(b, t->tbuf, t->tlen);
	b += t->tlen;
	*b++ = '.';
	for (int i = 5; i >= 0; i--, us /= 10)
		b[i] = (char)('0' + us % 10);
	b[6] = 0;
}

int
pk_flowtext_row(struct pk_flowtext *t, const struct pk_flowrec *f, const char *note,
                const struct pk_diag *explain)
{
	char start[40], dur[32], o[80], p[80], pk[48], by[48];
	const char *c[NCOL];

	if (!t->started && title(t) < 0)
		return -1;
	start_time(t, start, sizeof start, f->start_ns);
	pk_fmt_fixed(dur, sizeof dur, f->duration_ns / 1000, 6);
	endpoint(o, sizeof o, f->orig_addr, f->ip_ver, f->orig_port);
	endpoint(p, sizeof p, f->resp_addr, f->ip_ver, f->resp_port);
	pair(pk, sizeof pk, f->orig.pkts, f->resp.pkts);
	pair(by, sizeof by, f->orig.bytes, f->resp.bytes);
	c[0] = start;
	c[1] = dur;
	c[2] = f->ip_proto == 6 ? "tcp" : f->ip_proto == 17 ? "udp" :
	       (f->ip_proto == 1 || f->ip_proto == 58) ? "icmp" : "ip";
	c[3] = o;
	c[4] = "->";
	c[5] = p;
	c[6] = pk_connstate_name(f->conn_state);
	c[7] = f->history[0] ? f->history : "-";
	c[8] = pk;
	c[9] = by;
	c[10] = note;
	if (t->tab)
		return pk_table_add(t->tab, c);
	put_plain(t->fp, c);
	for (int i = 0; explain && i < explain->n; i++)
		fprintf(t->fp, "    %s: %s\n      %s\n", pk_finding_name(explain->f[i].kind),
		        explain->f[i].text, explain->f[i].detail);
	return 0;
}

int
pk_flowtext_end(struct pk_flowtext *t)
{
	if (!t->started && title(t) < 0)
		return -1;
	if (t->tab && pk_table_print(t->tab, t->fp, "", "  ") < 0)
		return -1;
	return ferror(t->fp) ? -1 : 0;
}

void
pk_flowtext_free(struct pk_flowtext *t)
{
	if (!t)
		return;
	pk_table_free(t->tab);
	free(t);
}
