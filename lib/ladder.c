/* ladder.c — per-flow packet summaries drawn as a terminal sequence diagram.
 *
 * Packets are summarised at read time (32 bytes each) in a per-flow store
 * found through an open-addressing table keyed by the record's uid_hash.
 * Sides are the flow key's lo/hi endpoints; which of them is the
 * originator is decided at draw time from the final record, since roles
 * may flip after the first packets.
 *
 * Marks (TCP, per side, over sequence space including SYN and FIN, RFC 9293
 * §3.4): a segment whose end does not pass the highest end seen so far on
 * that side is a retransmission ("RETX"; like pflows' retx_pkts it cannot
 * tell a resend from a late out-of-order arrival); a segment starting above
 * the highest end seen is out of order ("OOO": bytes before it are missing
 * here, the same rule as ooo_pkts).  Relative numbers count from each
 * side's first sequence number (its SYN's, when the SYN was seen).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "pcapkit/ladder.h"
#include "pcapkit/out.h"

enum { M_RETX = 1, M_OOO = 2 };

struct lpkt {
	int64_t  ns;
	uint32_t seq, ack, len;
	uint16_t win, flags;
	uint8_t  from_lo, mark, proto, itype;
};

struct lflow {
	uint64_t uid;
	uint8_t  lo_addr[16];
	uint16_t lo_port;
	uint32_t base[2], nxt[2];     /* [0] lo side, [1] hi side */
	uint8_t  have_base[2], have_nxt[2];
	struct lpkt *head, *ring;
	uint32_t nhead, caphead, nring, ringpos;
	uint64_t total, el_pkts, el_data, el_retx, el_ooo;
};

struct pk_ladder {
	struct pk_ladder_opts o;
	struct lflow *flows;
	size_t nflows, capflows;
	uint32_t *slot;               /* index + 1, 0 = empty */
	size_t nslot;
};

void
pk_ladder_opts_default(struct pk_ladder_opts *o)
{
	memset(o, 0, sizeof *o);
	o->head = 20;
	o->tail = 20;
	o->gap_ns = PK_NS;
}

struct pk_ladder *
pk_ladder_new(const struct pk_ladder_opts *o)
{
	struct pk_ladder *l = calloc(1, sizeof *l);

	if (!l)
		return NULL;
	if (o)
		l->o = *o;
	else
		pk_ladder_opts_default(&l->o);
	if (!l->o.head)
		l->o.head = 1;
	l->nslot = 1024;
	l->slot = calloc(l->nslot, sizeof *l->slot);
	if (!l->slot) {
		free(l);
		return NULL;
	}
	return l;
}

void
pk_ladder_free(struct pk_ladder *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->nflows; i++) {
		free(l->flows[i].head);
		free(l->flows[i].ring);
	}
	free(l->flows);
	free(l->slot);
	free(l);
}

static size_t
slot_of(uint64_t uid, size_t nslot)
{
	uid ^= uid >> 33;
	uid *= 0xff51afd7ed558ccdULL;
	uid ^= uid >> 33;
	return (size_t)uid & (nslot - 1);
}

static struct lflow *
find(const struct pk_ladder *l, uint64_t uid)
{
	for (size_t i = slot_of(uid, l->nslot);; i = (i + 1) & (l->nslot - 1)) {
		if (!l->slot[i])
			return NULL;
		if (l->flows[l->slot[i] - 1].uid == uid)
			return &l->flows[l->slot[i] - 1];
	}
}

static int
grow_slots(struct pk_ladder *l)
{
	size_t n = l->nslot * 2;
	uint32_t *s = calloc(n, sizeof *s);

	if (!s)
		return -1;
	for (size_t i = 0; i < l->nflows; i++) {
		size_t j = slot_of(l->flows[i].uid, n);

		while (s[j])
			j = (j + 1) & (n - 1);
		s[j] = (uint32_t)(i + 1);
	}
	free(l->slot);
	l->slot = s;
	l->nslot = n;
	return 0;
}

static struct lflow *
insert(struct pk_ladder *l, uint64_t uid)
{
	struct lflow *f;
	size_t i;

	if ((l->nflows + 1) * 2 > l->nslot && grow_slots(l) < 0)
		return NULL;
	if (l->nflows == l->capflows) {
		size_t n = l->capflows ? l->capflows * 2 : 256;
		struct lflow *p = realloc(l->flows, n * sizeof *p);

		if (!p)
			return NULL;
		l->flows = p;
		l->capflows = n;
	}
	f = &l->flows[l->nflows];
	memset(f, 0, sizeof *f);
	f->uid = uid;
	for (i = slot_of(uid, l->nslot); l->slot[i]; i = (i + 1) & (l->nslot - 1))
		;
	l->slot[i] = (uint32_t)(++l->nflows);
	return f;
}

static void
mark_tcp(struct lflow *f, struct lpkt *p, int side)
{
	uint32_t seglen = p->len + !!(p->flags & PK_TH_SYN) + !!(p->flags & PK_TH_FIN);
	uint32_t end = p->seq + seglen;

	if (p->flags & PK_TH_RST)
		return;
	if (!f->have_base[side] || (p->flags & PK_TH_SYN)) {
		if (!f->have_base[side] || (int32_t)(p->seq - f->base[side]) < 0 ||
		    ((p->flags & PK_TH_SYN) && !f->have_nxt[side])) {
			f->base[side] = p->seq;
			f->have_base[side] = 1;
		}
	}
	if (!seglen)
		return;
	if (!f->have_nxt[side]) {
		f->nxt[side] = end;
		f->have_nxt[side] = 1;
		return;
	}
	if ((int32_t)(end - f->nxt[side]) <= 0)
		p->mark = M_RETX;
	else {
		if ((int32_t)(p->seq - f->nxt[side]) > 0)
			p->mark = M_OOO;
		f->nxt[side] = end;
	}
}

static int
store(const struct pk_ladder *l, struct lflow *f, const struct lpkt *p)
{
	if (l->o.full || f->nhead < l->o.head) {
		if (f->nhead == f->caphead) {
			uint32_t n = f->caphead ? f->caphead * 2 : (l->o.full ? 64 : l->o.head);
			struct lpkt *h = realloc(f->head, n * sizeof *h);

			if (!h)
				return -1;
			f->head = h;
			f->caphead = n;
		}
		f->head[f->nhead++] = *p;
		return 0;
	}
	if (!l->o.tail) {
		f->el_pkts++;
		f->el_data += p->len > 0;
		f->el_retx += p->mark == M_RETX;
		f->el_ooo += p->mark == M_OOO;
		return 0;
	}
	if (!f->ring && !(f->ring = malloc(l->o.tail * sizeof *f->ring)))
		return -1;
	if (f->nring == l->o.tail) {
		const struct lpkt *old = &f->ring[f->ringpos];

		f->el_pkts++;
		f->el_data += old->len > 0;
		f->el_retx += old->mark == M_RETX;
		f->el_ooo += old->mark == M_OOO;
		f->ring[f->ringpos] = *p;
		f->ringpos = (f->ringpos + 1) % l->o.tail;
	} else
		f->ring[f->nring++] = *p;
	return 0;
}

int
pk_ladder_add(struct pk_ladder *l, uint64_t uid_hash, const struct pk_layers *L, int64_t ns)
{
	struct pk_flowkey k;
	struct lflow *f;
	struct lpkt p;
	int src_is_lo;

	if (pk_flow_key(L, 0, &k, &src_is_lo) < 0)
		return 0;
	f = find(l, uid_hash);
	if (!f) {
		if (!(f = insert(l, uid_hash)))
			return -1;
		memcpy(f->lo_addr, k.lo_addr, 16);
		f->lo_port = k.lo_port;
	}
	memset(&p, 0, sizeof p);
	p.ns = ns;
	p.from_lo = (uint8_t)(src_is_lo != 0);
	p.proto = L->ip_proto;
	p.len = L->payload_len;
	if (L->have & PK_HAVE_TCP) {
		p.seq = L->tcp_seq;
		p.ack = L->tcp_ack;
		p.win = L->tcp_win;
		p.flags = L->tcp_flags;
		mark_tcp(f, &p, src_is_lo ? 0 : 1);
	} else if (L->have & (PK_HAVE_ICMP | PK_HAVE_ICMP6)) {
		p.itype = L->icmp_type;
		p.win = L->icmp_code;
	}
	f->total++;
	return store(l, f, &p);
}

/* ------------------------------------------------------------- drawing */

struct glyphs {
	const char *life, *gap, *dash, *rarrow, *larrow, *ellipsis, *corner_l, *corner_r;
};
static const struct glyphs uni = { "│", "┆", "─", "▶", "◀", "…", "┌", "┐" };
static const struct glyphs asc = { "|", ":", "-", ">", "<", "...", "+", "+" };

#define C_RED "\033[31m"
#define C_YEL "\033[33m"
#define C_DIM "\033[2m"
#define C_BOLD "\033[1m"
#define C_OFF "\033[0m"

struct draw {
	const struct pk_ladder *l;
	const struct pk_flowrec *r;
	const struct lflow *f;
	const struct glyphs *g;
	FILE *fp;
	int lo_is_orig;
	unsigned width;         /* arrow cells between the lifelines */
	int64_t prev_ns;
	int have_prev;
};

static void
flags_str(char *b, size_t n, uint16_t fl)
{
	size_t k = 0;

	/* tcpdump's letters: S F P R U E W, then '.' for ACK. */
	if (fl & PK_TH_SYN && k < n - 1) b[k++] = 'S';
	if (fl & PK_TH_FIN && k < n - 1) b[k++] = 'F';
	if (fl & PK_TH_PUSH && k < n - 1) b[k++] = 'P';
	if (fl & PK_TH_RST && k < n - 1) b[k++] = 'R';
	if (fl & PK_TH_URG && k < n - 1) b[k++] = 'U';
	if (fl & PK_TH_ECE && k < n - 1) b[k++] = 'E';
	if (fl & PK_TH_CWR && k < n - 1) b[k++] = 'W';
	if (fl & PK_TH_ACK && k < n - 1) b[k++] = '.';
	if (!k && n > 5) {
		memcpy(b, "none", 4);
		k = 4;
	}
	b[k] = 0;
}

/* The arrow's label: "[P.] 1:17 ack 1 win 5888 len 16". */
static void
label(const struct draw *d, const struct lpkt *p, char *b, size_t n)
{
	const struct lflow *f = d->f;
	int side = p->from_lo ? 0 : 1;
	char fl[16];

	if (p->proto == 6) {
		uint32_t rs = f->have_base[side] ? p->seq - f->base[side] : p->seq;
		uint32_t ra = f->have_base[!side] ? p->ack - f->base[!side] : p->ack;
		size_t k;

		flags_str(fl, sizeof fl, p->flags);
		if (p->len)
			k = (size_t)snprintf(b, n, "[%s] %" PRIu32 ":%" PRIu32, fl, rs, rs + p->len);
		else
			k = (size_t)snprintf(b, n, "[%s] %" PRIu32, fl, rs);
		if (k < n && (p->flags & PK_TH_ACK))
			k += (size_t)snprintf(b + k, n - k, " ack %" PRIu32, ra);
		if (k < n && !(p->flags & PK_TH_RST))
			k += (size_t)snprintf(b + k, n - k, " win %u", (unsigned)p->win);
		if (k < n && p->len)
			snprintf(b + k, n - k, " len %" PRIu32, p->len);
	} else if (p->proto == 17)
		snprintf(b, n, "UDP len %" PRIu32, p->len);
	else if (p->proto == 1 || p->proto == 58)
		snprintf(b, n, "ICMP%s type %u code %u", p->proto == 58 ? "6" : "", (unsigned)p->itype,
		         (unsigned)p->win);
	else
		snprintf(b, n, "proto %u len %" PRIu32, (unsigned)p->proto, p->len);
}

static void
put_n(FILE *fp, const char *s, unsigned n)
{
	while (n--)
		fputs(s, fp);
}

static void
reltime(char *b, size_t n, int64_t ns)
{
	pk_fmt_fixed(b, n, ns / 1000, 6);
}

/* A silence line: "             ┆      5.000 s      ┆". */
static void
gap_line(struct draw *d, int64_t ns)
{
	char t[40], txt[64];
	unsigned tl, left;

	pk_fmt_fixed(t, sizeof t, ns / 1000000, 3);
	snprintf(txt, sizeof txt, "%s s without packets", t);
	tl = (unsigned)pk_utf8_width(txt);
	left = tl < d->width ? (d->width - tl) / 2 : 0;
	fprintf(d->fp, "%12s %s", "", d->g->gap);
	put_n(d->fp, " ", left);
	if (d->l->o.color)
		fprintf(d->fp, C_DIM "%s" C_OFF, txt);
	else
		fputs(txt, d->fp);
	put_n(d->fp, " ", d->width > left + tl ? d->width - left - tl : 0);
	fprintf(d->fp, "%s\n", d->g->gap);
}

static void
arrow(struct draw *d, const struct lpkt *p)
{
	char t[40], lab[96];
	int from_orig = (p->from_lo != 0) == (d->lo_is_orig != 0);
	unsigned ll, fill;
	const char *mark = p->mark == M_RETX ? "RETX" : p->mark == M_OOO ? "OOO" : NULL;

	if (d->have_prev && p->ns - d->prev_ns > d->l->o.gap_ns)
		gap_line(d, p->ns - d->prev_ns);
	d->prev_ns = p->ns;
	d->have_prev = 1;
	reltime(t, sizeof t, p->ns - d->r->start_ns);
	label(d, p, lab, sizeof lab);
	ll = (unsigned)strlen(lab) + 2;
	fill = d->width > ll + 3 ? d->width - ll - 3 : 0;
	fprintf(d->fp, "%12s %s", t, d->g->life);
	if (d->l->o.color && mark)
		fputs(p->mark == M_RETX ? C_RED : C_YEL, d->fp);
	if (from_orig) {
		put_n(d->fp, d->g->dash, 2);
		fprintf(d->fp, " %s ", lab);
		put_n(d->fp, d->g->dash, fill);
		fputs(d->g->rarrow, d->fp);
	} else {
		fputs(d->g->larrow, d->fp);
		put_n(d->fp, d->g->dash, fill);
		fprintf(d->fp, " %s ", lab);
		put_n(d->fp, d->g->dash, 2);
	}
	if (d->l->o.color && mark)
		fputs(C_OFF, d->fp);
	fputs(d->g->life, d->fp);
	if (mark) {
		if (d->l->o.color)
			fprintf(d->fp, " %s%s" C_OFF, p->mark == M_RETX ? C_RED C_BOLD : C_YEL C_BOLD, mark);
		else
			fprintf(d->fp, " %s", mark);
	}
	fputc('\n', d->fp);
}

static void
elided_line(struct draw *d)
{
	const struct lflow *f = d->f;
	char txt[160];
	unsigned tl, left;
	int k;

	k = snprintf(txt, sizeof txt, "%s %" PRIu64 " packets (%" PRIu64 " with data", d->g->ellipsis,
	             f->el_pkts, f->el_data);
	if (f->el_retx && k > 0 && (size_t)k < sizeof txt)
		k += snprintf(txt + k, sizeof txt - (size_t)k, ", %" PRIu64 " RETX", f->el_retx);
	if (f->el_ooo && k > 0 && (size_t)k < sizeof txt)
		k += snprintf(txt + k, sizeof txt - (size_t)k, ", %" PRIu64 " OOO", f->el_ooo);
	if (k > 0 && (size_t)k < sizeof txt)
		snprintf(txt + k, sizeof txt - (size_t)k, ") %s", d->g->ellipsis);
	tl = (unsigned)pk_utf8_width(txt);
	left = tl < d->width ? (d->width - tl) / 2 : 0;
	fprintf(d->fp, "%12s %s", "", d->g->gap);
	put_n(d->fp, " ", left);
	fputs(txt, d->fp);
	put_n(d->fp, " ", d->width > left + tl ? d->width - left - tl : 0);
	fprintf(d->fp, "%s\n", d->g->gap);
	/* The silence before the tail is not measured across the cut. */
	d->have_prev = 0;
}

static void
endpoint(char *b, size_t n, const uint8_t a[16], int ver, unsigned port, int proto)
{
	char s[64];

	pk_flow_addr_str(a, s, sizeof s);
	if (proto == 6 || proto == 17)
		snprintf(b, n, ver == 6 ? "[%s]:%u" : "%s:%u", s, port);
	else
		snprintf(b, n, "%s", s);
}

/* The note as text; with --ascii its few non-ASCII signs ("4×", "µs")
 * are spelled in ASCII, so the whole drawing stays 7-bit. */
static void
put_note(FILE *fp, const char *note, int ascii)
{
	for (const char *p = note; *p; p++) {
		if (!ascii || (unsigned char)*p < 0x80)
			putc(*p, fp);
		else if (strncmp(p, "×", 2) == 0) {
			putc('x', fp);
			p++;
		} else if (strncmp(p, "µ", 2) == 0) {
			putc('u', fp);
			p++;
		} else if ((*p & 0xc0) != 0x80)
			putc('?', fp);       /* any other sign, once */
	}
}

int
pk_ladder_draw(const struct pk_ladder *l, const struct pk_flowrec *r, const char *note, FILE *fp)
{
	struct draw d;
	char o[96], p[96], uid[24], lab[96], hdr[40];
	const struct lflow *f = find(l, r->uid_hash);
	unsigned maxlab = 0, ow, pw;

	memset(&d, 0, sizeof d);
	d.l = l;
	d.r = r;
	d.f = f;
	d.fp = fp;
	d.g = l->o.ascii ? &asc : &uni;
	if (f)
		d.lo_is_orig = memcmp(f->lo_addr, r->orig_addr, 16) == 0 && f->lo_port == r->orig_port;
	for (uint32_t i = 0; f && i < f->nhead + f->nring; i++) {
		const struct lpkt *q = i < f->nhead ? &f->head[i] : &f->ring[i - f->nhead];
		unsigned w;

		label(&d, q, lab, sizeof lab);
		w = (unsigned)strlen(lab);
		if (w > maxlab)
			maxlab = w;
	}
	d.width = maxlab + 8 < 40 ? 40 : maxlab + 8;

	endpoint(o, sizeof o, r->orig_addr, r->ip_ver, r->orig_port, r->ip_proto);
	endpoint(p, sizeof p, r->resp_addr, r->ip_ver, r->resp_port, r->ip_proto);
	pk_flow_uid(r, uid);
	fprintf(fp, "%s%s %s -> %s  %s  %s  %s%s\n", l->o.color ? C_BOLD : "",
	        r->ip_proto == 6 ? "tcp" : r->ip_proto == 17 ? "udp" :
	        (r->ip_proto == 1 || r->ip_proto == 58) ? "icmp" : "ip",
	        o, p, pk_connstate_name(r->conn_state), r->history[0] ? r->history : "-", uid,
	        l->o.color ? C_OFF : "");
	/* Endpoint names over their lifelines. */
	ow = (unsigned)strlen(o);
	pw = (unsigned)strlen(p);
	snprintf(hdr, sizeof hdr, "%s", "time (s)");
	fprintf(fp, "%12s %s", hdr, o);
	put_n(fp, " ", d.width + 2 > ow + pw ? d.width + 2 - ow - pw : 1);
	fprintf(fp, "%s\n", p);
	fprintf(fp, "%12s %s", "", d.g->corner_l);
	put_n(fp, " ", d.width);
	fprintf(fp, "%s\n", d.g->corner_r);
	for (uint32_t i = 0; f && i < f->nhead; i++)
		arrow(&d, &f->head[i]);
	if (f && f->el_pkts)
		elided_line(&d);
	for (uint32_t i = 0; f && i < f->nring; i++)
		arrow(&d, &f->ring[(f->ringpos + i) % f->nring]);
	if (note && *note) {
		fprintf(fp, "%12s %s", "note:", l->o.color ? C_BOLD : "");
		put_note(fp, note, l->o.ascii);
		fprintf(fp, "%s\n", l->o.color ? C_OFF : "");
	}
	fputc('\n', fp);
	return ferror(fp) ? -1 : 0;
}
