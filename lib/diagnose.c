/* diagnose.c — plain-words findings about a flow, from its counted facts only.
 *
 * Every rule below reads counters and times that the flow table counted
 * (struct pk_flowrec); none guesses beyond them.  Rules, in order (the
 * order is the importance order of the note):
 *
 *  TCP
 *  1 no_answer     SYNs seen, no SYN-ACK, 0 packets from the responder:
 *                  "no answer to N SYNs over X s".
 *  2 refused       SYNs, no SYN-ACK, the responder sent a RST:
 *                  "connection refused (RST to SYN)".
 *  3 hs_incomplete SYN and SYN-ACK seen, no ACK after them, no payload:
 *                  "handshake incomplete: SYN sent N×, SYN-ACK sent M×, final
 *                  ACK never seen", plus "SYN retried after SYN-ACK" when a
 *                  SYN came after the first SYN-ACK (the SYN-ACKs are on the
 *                  wire here, yet the originator acts as if none arrived).
 *  4 unsolicited   SYN-ACK seen, no SYN: "unsolicited SYN-ACK (no SYN seen)",
 *                  "answered by RST" when the other side sent a RST.
 *  5 reset         the first FIN/RST was a RST (rules 1-4 not matched):
 *                  "reset by originator after X s of data" (X from the first
 *                  payload to the RST) or "... X s after the handshake; no data".
 *  6 one_sided     0 packets from one side while the other sends ACKs (an ACK
 *                  answers something the capture does not hold).
 *  7 midstream     no SYN and no SYN-ACK: "capture started mid-connection".
 *  8 missed        missed_bytes > 0: bytes acknowledged but never captured.
 *  9 retx          retransmitted data bytes of a side as a share of its
 *                  payload: "retransmissions: P % of responder's data"
 *                  ("retransmitted or reordered" when that side also sent
 *                  segments above a gap: a late segment counts the same).
 * 10 zero_win      a side advertised a zero window: "zero window from
 *                  originator for X s" (until the next non-zero window).
 * 11 idle_close    handshake done, no payload, then FIN: "responder closed an
 *                  idle connection X s after the handshake; no data exchanged".
 * 12 close         FIN story with sizes (Zeek's seq-based bytes): "normal: A
 *                  request, B response, closed by responder FIN then
 *                  originator FIN"; "normal:" only when no rule above flagged
 *                  a problem; "half closed by ..." when one side never sent FIN.
 * 13 open          still open at the end of the capture (not after 1-4).
 * 14 idle_end      never closed, ended by the inactivity timeout.
 * 17 bad_csum      packets with a bad checksum.
 * 18 ended         none of the above: sizes and why the record ended
 *                  (reuse of the 5-tuple, eviction, ...).
 *  UDP, ICMP, other IP
 * 15 no_reply      0 packets from the responder.
 * 16 exchange      both sides sent: "A request, B response (P/Q packets)".
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pcapkit/diagnose.h"
#include "pcapkit/out.h"

static const char *const kind_names[] = {
	"no_answer", "refused", "hs_incomplete", "unsolicited", "reset", "one_sided",
	"midstream", "missed", "retx", "zero_win", "idle_close", "close", "open",
	"idle_end", "no_reply", "exchange", "bad_csum", "ended",
};

const char *
pk_finding_name(enum pk_finding_kind k)
{
	if ((unsigned)k < sizeof kind_names / sizeof kind_names[0])
		return kind_names[k];
	return "?";
}

/*
 * vsnprintf for the conversions the finding texts use (%s, %d, %u, %lu,
 * %llu, %lld and %%, no flags or widths): the same bytes, at a tenth of the
 * cost, since every flow's note is made of these.  Anything else goes to
 * vsnprintf itself.
 */
static void
text_fmt(char *out, size_t cap, const char *fmt, va_list ap)
{
	size_t n = 0;
	const char *f;
	va_list aq;

	va_copy(aq, ap);
	for (f = fmt; *f; f++) {
		char num[24], *q = num + sizeof num - 1;
		const char *str = num;
		unsigned long long v = 0;
		int neg = 0, lng = 0;

		if (*f != '%') {
			if (n + 1 < cap)
				out[n] = *f;
			n++;
			continue;
		}
		for (f++; *f == 'l' && lng < 2; f++)
			lng++;
		if (*f == '%')
			str = "%";
		else if (*f == 's' && !lng)
			str = va_arg(aq, const char *);
		else if (*f == 'u' || *f == 'd') {
			if (*f == 'u')
				v = lng == 2 ? va_arg(aq, unsigned long long) :
				    lng == 1 ? va_arg(aq, unsigned long) : va_arg(aq, unsigned);
			else {
				long long x = lng == 2 ? va_arg(aq, long long) :
				              lng == 1 ? va_arg(aq, long) : va_arg(aq, int);

				neg = x < 0;
				v = neg ? 0 - (unsigned long long)x : (unsigned long long)x;
			}
			*q = 0;
			do
				*--q = (char)('0' + v % 10);
			while ((v /= 10) != 0);
			if (neg)
				*--q = '-';
			str = q;
		} else {
			va_end(aq);
			vsnprintf(out, cap, fmt, ap);
			return;
		}
		for (; *str; str++) {
			if (n + 1 < cap)
				out[n] = *str;
			n++;
		}
	}
	if (cap)
		out[n < cap ? n : cap - 1] = 0;
	va_end(aq);
}

static struct pk_finding *
add(struct pk_diag *d, enum pk_finding_kind k, int problem, const char *fmt, ...)
{
	struct pk_finding *f;
	va_list ap;

	if (d->n >= PK_DIAG_MAX)
		return NULL;
	f = &d->f[d->n++];
	f->kind = k;
	f->problem = problem;
	f->detail[0] = 0;
	va_start(ap, fmt);
	text_fmt(f->text, sizeof f->text, fmt, ap);
	va_end(ap);
	return f;
}

static void
detail_(struct pk_finding *f, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	if (!f)
		return;
	n = strlen(f->detail);
	if (n >= sizeof f->detail - 1)
		return;
	va_start(ap, fmt);
	text_fmt(f->detail + n, sizeof f->detail - n, fmt, ap);
	va_end(ap);
}

/* Detail lines are for --explain only: without it (d->brief) their
 * arguments, mostly formatted packet times, are not even evaluated. */
#define detail(f, ...) do { \
	struct pk_finding *f_ = (f); \
	if (f_ && !d->brief) \
		detail_(f_, __VA_ARGS__); \
} while (0)

/* A time span for a note, rounded, with its unit: "5.0 s" from a second
 * on, "12 ms" below it, "250 µs" below a millisecond ("0.0 s" says
 * nothing to a person reading about a 3 ms connection). */
static const char *
span(char *b, size_t n, int64_t ns)
{
	size_t k;

	if (ns < 0)
		ns = 0;
	if (ns >= 999500000) {
		pk_fmt_fixed(b, n, (ns + 50000000) / 100000000, 1);
		k = strlen(b);
		snprintf(b + k, n - k, " s");
	} else if (ns >= 999500)
		snprintf(b, n, "%lld ms", (long long)((ns + 500000) / 1000000));
	else
		snprintf(b, n, "%lld µs", (long long)((ns + 500) / 1000));
	return b;
}

/* Time of day with µs and the offset from the flow start: "15:48:21.639984 (+21.000 s)". */
static const char *
at(char *b, size_t n, const struct pk_flowrec *r, int64_t t)
{
	char full[48], rel[32];
	const char *sp;

	pk_fmt_localtime(full, sizeof full, t / PK_NS, (uint32_t)(t % PK_NS), 6);
	sp = strchr(full, ' ');
	pk_fmt_fixed(rel, sizeof rel, (t - r->start_ns) / 1000000, 3);
	snprintf(b, n, "%s (+%s s)", sp ? sp + 1 : full, rel);
	return b;
}

static const char *
size_str(char *b, size_t n, uint64_t v)
{
	pk_fmt_size(b, n, v);
	return b;
}

static const char *
side(int orig)
{
	return orig ? "originator" : "responder";
}

static int
hist_has(const struct pk_flowrec *r, const char *set)
{
	return strpbrk(r->history, set) != NULL;
}

static void
tcp_rules(const struct pk_flowrec *r, struct pk_diag *d)
{
	const struct pk_flowdir *O = &r->orig, *R = &r->resp;
	uint32_t syn = r->syn_pkts, sa = r->synack_pkts;
	int hs = r->hs_ack_ns != 0, early = 0, problems;
	int no_data = O->payload == 0 && R->payload == 0;
	struct pk_finding *f;
	char a[96], b[96], c[96];

	/* 1-4: the handshake. */
	if (syn && !sa && R->pkts == 0) {
		const char *then = O->rst ? ", then the originator reset" :
		                   O->fin ? ", then the originator sent FIN" : "";

		if (syn == 1)
			f = add(d, PK_FD_NO_ANSWER, 1, "no answer to the SYN%s", then);
		else
			f = add(d, PK_FD_NO_ANSWER, 1, "no answer to %" PRIu32 " SYNs over %s%s",
			        syn, span(c, sizeof c, r->syn_last_ns - r->syn_first_ns), then);
		detail(f, "%" PRIu32 " SYN(s) from the originator, first at %s", syn,
		       at(a, sizeof a, r, r->syn_first_ns));
		if (syn > 1)
			detail(f, ", last at %s", at(b, sizeof b, r, r->syn_last_ns));
		detail(f, "; 0 packets from the responder");
		early = 1;
	} else if (syn && !sa && R->rst) {
		f = add(d, PK_FD_REFUSED, 1, syn > 1 ? "connection refused (RST to SYN) after %" PRIu32 " SYNs"
		                                     : "connection refused (RST to SYN)", syn);
		detail(f, "%" PRIu32 " SYN(s) from the originator (first at %s), %" PRIu32
		       " RST(s) from the responder, no SYN-ACK", syn, at(a, sizeof a, r, r->syn_first_ns), R->rst);
		if (r->close_ns)
			detail(f, "; first RST at %s", at(b, sizeof b, r, r->close_ns));
		early = 1;
	} else if (syn && sa && !hs && no_data) {
		int retried = r->syn_last_ns > r->synack_first_ns;

		if (syn == 1 && sa == 1)
			f = add(d, PK_FD_HS_INCOMPLETE, 1, "handshake incomplete: SYN and SYN-ACK seen,"
			        " final ACK never seen");
		else
			f = add(d, PK_FD_HS_INCOMPLETE, 1,
			        "handshake incomplete: SYN sent %" PRIu32 "×, SYN-ACK sent %" PRIu32
			        "×, final ACK never seen%s", syn, sa, retried ? "; SYN retried after SYN-ACK" : "");
		{
			char s1[96], s2[96], s3[96], s4[96];

			detail(f, "SYNs: %" PRIu32 " from %s to %s; SYN-ACKs: %" PRIu32
			       " from %s to %s; no ACK after them", syn,
			       at(s1, sizeof s1, r, r->syn_first_ns), at(s2, sizeof s2, r, r->syn_last_ns),
			       sa, at(s3, sizeof s3, r, r->synack_first_ns),
			       at(s4, sizeof s4, r, r->synack_last_ns));
		}
		if (retried)
			detail(f, "; the SYN-ACKs are in this capture, yet the originator sent SYNs"
			       " after the first of them, as if none reached it");
		if (O->rst || R->rst)
			detail(f, "; RSTs: %" PRIu32 " from the originator, %" PRIu32 " from the responder",
			       O->rst, R->rst);
		early = 1;
	} else if (!syn && sa) {
		/* The SYN-ACK's sender is the side whose SYN-flag packets exist. */
		int sa_from_orig = O->syn > 0;
		const struct pk_flowdir *other = sa_from_orig ? R : O;

		if (other->rst)
			f = add(d, PK_FD_UNSOLICITED, 1, "unsolicited SYN-ACK (no SYN seen) answered by RST");
		else
			f = add(d, PK_FD_UNSOLICITED, 1, "unsolicited SYN-ACK (no SYN seen)");
		detail(f, "%" PRIu32 " SYN-ACK(s) from the %s, first at %s, and no SYN in the capture",
		       sa, side(sa_from_orig), at(a, sizeof a, r, r->synack_first_ns));
		if (other->rst)
			detail(f, "; %" PRIu32 " RST(s) from the %s", other->rst, side(!sa_from_orig));
		early = 1;
	}

	/* 5: reset. */
	if (!early && (r->closer == PK_CLOSE_ORIG_RST || r->closer == PK_CLOSE_RESP_RST)) {
		int by_orig = r->closer == PK_CLOSE_ORIG_RST;
		int64_t first = 0;

		if (O->data_first_ns)
			first = O->data_first_ns;
		if (R->data_first_ns && (!first || R->data_first_ns < first))
			first = R->data_first_ns;
		if (first)
			f = add(d, PK_FD_RESET, 1, "reset by %s after %s of data", side(by_orig),
			        span(c, sizeof c, r->close_ns - first));
		else if (hs)
			f = add(d, PK_FD_RESET, 1, "reset by %s %s after the handshake; no data",
			        side(by_orig), span(c, sizeof c, r->close_ns - r->hs_ack_ns));
		else
			f = add(d, PK_FD_RESET, 1, "reset by %s; no data", side(by_orig));
		detail(f, "first RST at %s from the %s", at(a, sizeof a, r, r->close_ns), side(by_orig));
		if (first)
			detail(f, "; first payload at %s", at(b, sizeof b, r, first));
		detail(f, "; payload %" PRIu64 " B from the originator, %" PRIu64 " B from the responder",
		       O->payload, R->payload);
	}

	/* 6: one side missing. */
	if (!early && R->pkts == 0 && O->pkts && hist_has(r, "AD")) {
		f = add(d, PK_FD_ONE_SIDED, 1, "one-sided capture: responder's packets missing");
		detail(f, "%" PRIu64 " packets from the originator, 0 from the responder, yet the"
		       " originator sends ACKs (history %s)", O->pkts, r->history);
	} else if (!early && O->pkts == 0 && R->pkts && hist_has(r, "ad")) {
		f = add(d, PK_FD_ONE_SIDED, 1, "one-sided capture: originator's packets missing");
		detail(f, "%" PRIu64 " packets from the responder, 0 from the originator, yet the"
		       " responder sends ACKs (history %s)", R->pkts, r->history);
	}

	/* 7: midstream. */
	if (!syn && !sa) {
		f = add(d, PK_FD_MIDSTREAM, 1, "capture started mid-connection");
		detail(f, "no SYN or SYN-ACK; first packet at %s", at(a, sizeof a, r, r->start_ns));
	}

	/* 8-10: capture loss, retransmissions, zero windows. */
	if (r->missed_bytes) {
		f = add(d, PK_FD_MISSED, 1, "%s acknowledged but not captured",
		        size_str(c, sizeof c, r->missed_bytes));
		detail(f, "missed_bytes %" PRIu64 " (Zeek's count of acknowledged bytes absent"
		       " from the capture)", r->missed_bytes);
	}
	for (int i = 0; i < 2; i++) {
		const struct pk_flowdir *x = i ? R : O;

		if (x->retx_bytes && x->payload) {
			uint64_t pct = (x->retx_bytes * 100 + x->payload / 2) / x->payload;

			/* A segment filling a hole late is counted too: say so when
			 * the same side also sent segments above a gap. */
			f = add(d, PK_FD_RETX, 1, "%s: %" PRIu64 " %% of %s's data",
			        x->ooo_pkts ? "retransmitted or reordered" : "retransmissions",
			        pct, i ? "responder" : "originator");
			detail(f, "%" PRIu64 " of %" PRIu64 " payload bytes from the %s were sent again"
			       " (%" PRIu64 " packets); %" PRIu32 " segments arrived above a gap",
			       x->retx_bytes, x->payload, side(!i), x->retx_pkts, x->ooo_pkts);
		}
	}
	for (int i = 0; i < 2; i++) {
		const struct pk_flowdir *x = i ? R : O;

		if (x->zero_win_first_ns) {
			f = add(d, PK_FD_ZERO_WIN, 1, "zero window from %s for %s", side(!i),
			        span(c, sizeof c, x->zero_win_ns));
			detail(f, "first zero window at %s; %s s in total until the window reopened"
			       " (or the last packet)", at(a, sizeof a, r, x->zero_win_first_ns),
			       (pk_fmt_fixed(b, sizeof b, x->zero_win_ns / 1000000, 3), b));
		}
	}
	if (r->bad_csum) {
		f = add(d, PK_FD_BAD_CSUM, 1, "%" PRIu32 " packet%s with a bad checksum", r->bad_csum,
		        r->bad_csum == 1 ? "" : "s");
		detail(f, "TCP checksum wrong in %" PRIu32 " packets (counted, still used)", r->bad_csum);
	}
	if (early)
		return;

	/* 11-14: how it ended. */
	problems = 0;
	for (int i = 0; i < d->n; i++)
		problems |= d->f[i].problem;
	if (r->closer == PK_CLOSE_ORIG_FIN || r->closer == PK_CLOSE_RESP_FIN) {
		int by_orig = r->closer == PK_CLOSE_ORIG_FIN;
		const struct pk_flowdir *peer = by_orig ? R : O;

		if (hs && no_data) {
			int64_t idle = r->close_ns - r->hs_ack_ns;

			/* "Idle" from a second on; a quicker close is just a close. */
			f = add(d, PK_FD_IDLE_CLOSE, 1, "%s closed %s connection %s after the"
			        " handshake; no data exchanged", side(by_orig),
			        idle >= 999500000 ? "an idle" : "the", span(c, sizeof c, idle));
			detail(f, "handshake done at %s; FIN from the %s at %s; %s", at(a, sizeof a, r, r->hs_ack_ns),
			       side(by_orig), at(b, sizeof b, r, r->close_ns),
			       peer->fin ? "the other side answered with its FIN" : "the other side never sent FIN");
		} else {
			char os[32], rs[32];

			size_str(os, sizeof os, O->bytes);
			size_str(rs, sizeof rs, R->bytes);
			if (peer->fin)
				f = add(d, PK_FD_CLOSE, 0, "%s%s request, %s response, closed by %s FIN then %s FIN",
				        problems ? "" : "normal: ", os, rs, side(by_orig), side(!by_orig));
			else
				f = add(d, PK_FD_CLOSE, 0, "%s%s request, %s response, half closed by %s FIN",
				        problems ? "" : "normal: ", os, rs, side(by_orig));
			detail(f, "%" PRIu64 " B from the originator, %" PRIu64 " B from the responder"
			       " (sequence-number sizes); first FIN from the %s at %s",
			       O->bytes, R->bytes, side(by_orig), at(a, sizeof a, r, r->close_ns));
			if (!peer->fin)
				detail(f, "; the %s never sent FIN", side(!by_orig));
		}
	}
	if (r->open_at_end) {
		f = add(d, PK_FD_OPEN, 0, "still open at end of capture");
		detail(f, "last packet at %s; %" PRIu64 " B from the originator, %" PRIu64
		       " B from the responder so far", at(a, sizeof a, r, r->last_ns), O->bytes, R->bytes);
	} else if (!r->closer && r->end == PK_END_INACTIVE) {
		f = add(d, PK_FD_IDLE_END, 0, "never closed: ended by the inactivity timeout");
		detail(f, "last packet at %s; no FIN or RST", at(a, sizeof a, r, r->last_ns));
	}
	if (d->n == 0) {
		char os[32], rs[32];

		f = add(d, PK_FD_ENDED, 0, "%s%s request, %s response; record ended (%s)",
		        hs ? "handshake done, " : "", size_str(os, sizeof os, O->bytes),
		        size_str(rs, sizeof rs, R->bytes), pk_flowend_name(r->end));
		detail(f, "no FIN or RST; last packet at %s; the record ended because of: %s",
		       at(a, sizeof a, r, r->last_ns), pk_flowend_name(r->end));
	}
}

static void
other_rules(const struct pk_flowrec *r, struct pk_diag *d)
{
	const struct pk_flowdir *O = &r->orig, *R = &r->resp;
	struct pk_finding *f;
	char a[96], b[32], c[32];

	if (R->pkts == 0) {
		f = add(d, PK_FD_NO_REPLY, 0, "no reply: %" PRIu64 " packet%s, %s from originator",
		        O->pkts, O->pkts == 1 ? "" : "s", size_str(b, sizeof b, O->bytes));
		detail(f, "%" PRIu64 " packets from the originator (first at %s), none back",
		       O->pkts, at(a, sizeof a, r, r->start_ns));
	} else {
		f = add(d, PK_FD_EXCHANGE, 0, "%s request, %s response (%" PRIu64 "/%" PRIu64 " packets)",
		        size_str(b, sizeof b, O->bytes), size_str(c, sizeof c, R->bytes), O->pkts, R->pkts);
		detail(f, "%" PRIu64 " packets / %" PRIu64 " B from the originator, %" PRIu64
		       " packets / %" PRIu64 " B from the responder; first at %s", O->pkts, O->bytes,
		       R->pkts, R->bytes, at(a, sizeof a, r, r->start_ns));
	}
	if (r->bad_csum) {
		f = add(d, PK_FD_BAD_CSUM, 1, "%" PRIu32 " packet%s with a bad checksum", r->bad_csum,
		        r->bad_csum == 1 ? "" : "s");
		detail(f, "checksum wrong in %" PRIu32 " packets (counted, still used)", r->bad_csum);
	}
}

static void
diagnose(const struct pk_flowrec *r, struct pk_diag *d, int brief)
{
	d->n = 0;
	d->brief = brief;
	if (r->ip_proto == 6)
		tcp_rules(r, d);
	else
		other_rules(r, d);
}

void
pk_diagnose(const struct pk_flowrec *r, struct pk_diag *d)
{
	diagnose(r, d, 0);
}

void
pk_diagnose_brief(const struct pk_flowrec *r, struct pk_diag *d)
{
	diagnose(r, d, 1);
}

/* Characters (not bytes) of a UTF-8 string. */
static size_t
u8len(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

size_t
pk_diag_note(const struct pk_diag *d, size_t maxlen, char *out, size_t cap)
{
	size_t len = 0;

	if (cap)
		out[0] = 0;
	for (int i = 0; i < d->n; i++) {
		const char *t = d->f[i].text;
		size_t tl = strlen(t);

		/* Characters never outnumber bytes: count them only when the
		 * bytes would not fit. */
		if (i && len + 2 + tl > maxlen && u8len(out) + 2 + u8len(t) > maxlen)
			break;
		if (len + tl + 3 >= cap)
			break;
		if (i) {
			memcpy(out + len, "; ", 2);
			len += 2;
		}
		memcpy(out + len, t, tl);
		len += tl;
		out[len] = 0;
	}
	return len;
}
