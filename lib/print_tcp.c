/* print_tcp.c — TCP (RFC 9293) one-line summaries: flags, relative sequence numbers, options.
 *
 * Options: RFC 9293 (mss, eol, nop), RFC 7323 (wscale, TS), RFC 2018
 * (sackOK, SACK), RFC 2385 (md5), RFC 5925 (tcp-ao), RFC 5482 (uto),
 * RFC 8684 (mptcp), RFC 7413 + RFC 6994 (tfo, exp-tfo).  Relative sequence
 * numbers are kept per connection as tcpdump does: an entry is made on the
 * first packet with ACK set, and remade on every SYN.
 */
#include <stdlib.h>

#include "print_int.h"

static const struct tok tcp_opts[] = {
	{ 0, "eol" }, { 1, "nop" }, { 2, "mss" }, { 3, "wscale" }, { 4, "sackOK" },
	{ 5, "sack" }, { 6, "echo" }, { 7, "echoreply" }, { 8, "TS" }, { 11, "cc" },
	{ 12, "ccnew" }, { 13, "ccecho" }, { 19, "md5" }, { 20, "scps" }, { 21, "snack" },
	{ 26, "tcp-ao-old" }, { 27, "qs" }, { 28, "uto" }, { 29, "tcp-ao" }, { 30, "mptcp" },
	{ 34, "tfo" }, { 254, "exp" }, { 172, "accecn0" }, { 174, "accecn1" }, { 0, NULL }
};

/* ---- relative sequence numbers ---- */

static uint32_t
tseq_hash(const struct tcp_seq_ent *k)
{
	uint32_t h = 2166136261u;
	const uint8_t *b;

	h = (h ^ k->v6) * 16777619u;
	h = (h ^ k->sport) * 16777619u;
	h = (h ^ k->dport) * 16777619u;
	b = k->src;
	for (int i = 0; i < 16; i++)
		h = (h ^ b[i]) * 16777619u;
	b = k->dst;
	for (int i = 0; i < 16; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

static int
tseq_same(const struct tcp_seq_ent *a, const struct tcp_seq_ent *b)
{
	return a->v6 == b->v6 && a->sport == b->sport && a->dport == b->dport &&
	    memcmp(a->src, b->src, 16) == 0 && memcmp(a->dst, b->dst, 16) == 0;
}

static struct tcp_seq_ent *
tseq_find(struct pk_printer *pr, const struct tcp_seq_ent *k, int *found)
{
	size_t mask, i;

	if (pr->tseq_n * 2 >= pr->tseq_cap) {
		size_t ncap = pr->tseq_cap ? pr->tseq_cap * 2 : 1024;
		struct tcp_seq_ent *nt = calloc(ncap, sizeof *nt);

		if (!nt)
			return NULL;
		for (size_t j = 0; j < pr->tseq_cap; j++) {
			if (!pr->tseq[j].used)
				continue;
			i = tseq_hash(&pr->tseq[j]) & (ncap - 1);
			while (nt[i].used)
				i = (i + 1) & (ncap - 1);
			nt[i] = pr->tseq[j];
		}
		free(pr->tseq);
		pr->tseq = nt;
		pr->tseq_cap = ncap;
	}
	mask = pr->tseq_cap - 1;
	i = tseq_hash(k) & mask;
	while (pr->tseq[i].used) {
		if (tseq_same(&pr->tseq[i], k)) {
			*found = 1;
			return &pr->tseq[i];
		}
		i = (i + 1) & mask;
	}
	*found = 0;
	return &pr->tseq[i];
}

/* ---- options ---- */

static void
fastopen(struct pctx *P, uint32_t cp, uint32_t datalen, int exp)
{
	if (exp)
		puts_(P, "tfo");
	if (datalen == 0) {
		puts_(P, " cookiereq");
	} else if (datalen % 2 != 0 || datalen < 4 || datalen > 16) {
		put_invalid(P);
	} else {
		puts_(P, " cookie ");
		for (uint32_t i = 0; i < datalen; i++)
			putx_w(P, U8(P, cp + i), 2);
	}
}

/* A DSS data ack or sequence number at Q: 8 bytes when WIDE, else 4
 * (RFC 8684 section 3.3); returns the offset after it. */
static uint32_t
dss_num(struct pctx *P, uint32_t q, int wide)
{
	if (wide) {
		putu(P, (uint64_t)U32(P, q) << 32 | U32(P, q + 4));
		return q + 8;
	}
	putu(P, U32(P, q));
	return q + 4;
}

/* MPTCP option (RFC 8684 section 3), as tcpdump 4.99 prints it.  Returns 0 on a bad option. */
static int
mptcp_opt(struct pctx *P, uint32_t cp, uint32_t len, uint8_t flags)
{
	static const char *const sub[] = { "capable", "join", "dss", "add-addr", "remove-addr",
		"prio", "fail", "fast-close", "tcprst" };
	uint8_t st;
	uint32_t o = cp + 2;

#define NEED(q, n) do { if (!HAS(P, (q), (n)) || (q) + (n) > cp + len) return 0; } while (0)
	if (len < 3)
		return 0;
	NEED(o, 1);
	st = U8(P, o) >> 4;
	if (st > 7) {
		puts_(P, " ");
		putu(P, len);
		puts_(P, " unknown");
		return 1;
	}
	puts_(P, " ");
	putu(P, len);
	puts_(P, " ");
	puts_(P, sub[st]);
	switch (st) {
	case 0: {   /* MP_CAPABLE */
		uint8_t ver, fl;

		NEED(o, 2);
		ver = U8(P, o) & 15;
		fl = U8(P, o + 1);

		if (!(len == 12 || len == 20 || len == 22 || len == 24 || len == 4 || len == 3 || len == 8))
			return 0;
		puts_(P, " v");
		putu(P, ver);
		if (fl & 0x80)
			puts_(P, " csum");
		if (len == 12 || len == 20) {
			NEED(o + 2, len == 20 ? 16 : 8);
			puts_(P, " {0x");
			putx_w(P, (uint64_t)U32(P, o + 2) << 32 | U32(P, o + 6), 16);
			if (len == 20) {
				puts_(P, ",0x");
				putx_w(P, (uint64_t)U32(P, o + 10) << 32 | U32(P, o + 14), 16);
			}
			putc_(P, '}');
		}
		return 1;
	}
	case 2: {   /* DSS: flags F m M a A (RFC 8684 section 3.3) */
		uint8_t fl;
		uint32_t q = o + 2;

		NEED(o, 2);
		fl = U8(P, o + 1);
		if (fl & 0x10)
			puts_(P, " fin");
		if (fl & 0x01) {
			NEED(q, (fl & 0x02) ? 8 : 4);
			puts_(P, " ack ");
			q = dss_num(P, q, fl & 0x02);
		}
		if (fl & 0x04) {
			NEED(q, (fl & 0x08) ? 14 : 10);
			puts_(P, " seq ");
			q = dss_num(P, q, fl & 0x08);
			puts_(P, " subseq ");
			putu(P, U32(P, q));
			q += 4;
			puts_(P, " len ");
			putu(P, U16(P, q));
			q += 2;
			if (q + 2 <= cp + len && HAS(P, q, 2)) {
				puts_(P, " csum 0x");
				putx(P, U16(P, q));
			}
		}
		return 1;
	}
	case 3: {   /* ADD_ADDR */
		uint8_t echo, id;
		uint32_t a = o + 2;

		NEED(o, 2);
		echo = U8(P, o) & 1;
		id = U8(P, o + 1);

		puts_(P, echo ? " v1-echo" : " v1");
		puts_(P, " id ");
		putu(P, id);
		if (len == 8 || len == 10 || len == 16 || len == 18) {
			NEED(a, 4);
			put_ip4(P, (putc_(P, ' '), P->pkt + a));
			a += 4;
		} else if (len == 20 || len == 22 || len == 28 || len == 30) {
			NEED(a, 16);
			putc_(P, ' ');
			put_ip6(P, P->pkt + a);
			a += 16;
		} else {
			return 0;
		}
		if (len == 10 || len == 18 || len == 22 || len == 30) {
			NEED(a, 2);
			puts_(P, ":");
			putu(P, U16(P, a));
			a += 2;
		}
		if (!echo && a + 8 <= cp + len && HAS(P, a, 8)) {
			puts_(P, " hmac 0x");
			putx_w(P, (uint64_t)U32(P, a) << 32 | U32(P, a + 4), 16);
		}
		return 1;
	}
	case 7:     /* MP_FASTCLOSE */
		if (len != 12)
			return 0;
		NEED(o + 2, 8);
		puts_(P, " key 0x");
		putx_w(P, (uint64_t)U32(P, o + 2) << 32 | U32(P, o + 6), 16);
		return 1;
	default:
		(void)flags;
		return 1;
	}
#undef NEED
}

void
tcp_print(struct pctx *P, uint32_t off, uint32_t length, uint32_t ipoff, int fragmented)
{
	int v6 = (U8(P, ipoff) >> 4) == 6;
	uint32_t src = ipoff + (v6 ? 8 : 12), dst = ipoff + (v6 ? 24 : 16);
	uint8_t ipnh = v6 ? U8(P, ipoff + 6) : U8(P, ipoff + 9);
	uint16_t sport, dport, win, urp;
	uint32_t hlen, seq, ack, thseq = 0, thack = 0;
	uint8_t flags;
	int rev = 0;
	char ch = '\0';

	P->proto = "tcp";
	if (!HAS(P, off + 2, 2)) {
		put_hosts(P, ipoff, -1, -1);
		putc_(P, ':');
		put_trunc(P);
		return;
	}
	sport = U16(P, off);
	dport = U16(P, off + 2);
	if (ipnh == 6) {
		put_hosts(P, ipoff, sport, dport);
		puts_(P, ": ");
	} else {
		putu(P, sport);
		puts_(P, " > ");
		putu(P, dport);
		puts_(P, ": ");
	}
	if (!HAS(P, off, 20)) {
		put_trunc(P);
		return;
	}
	hlen = (U8(P, off + 12) >> 4) * 4u;
	if (hlen < 20) {
		puts_(P, " tcp ");
		putu(P, (uint32_t)(length - hlen));
		puts_(P, " [bad hdr length ");
		putu(P, hlen);
		puts_(P, " - too short, < 20]");
		return;
	}
	seq = U32(P, off + 4);
	ack = U32(P, off + 8);
	win = U16(P, off + 14);
	urp = U16(P, off + 18);
	if (P->o->qflag) {
		puts_(P, "tcp ");
		putu(P, (uint32_t)(length - hlen));
		if (hlen > length)
			goto too_long;
		return;
	}
	flags = U8(P, off + 13);
	puts_(P, "Flags [");
	if (!flags) {
		puts_(P, "none");
	} else {
		static const char fl[] = "FSRP.UEW";

		for (int i = 0; i < 8; i++)
			if (flags & (1u << i))
				putc_(P, fl[i]);
	}
	putc_(P, ']');
	if (!P->o->Sflag && (flags & 0x10)) {
		struct tcp_seq_ent k, *th;
		int alen = v6 ? 16 : 4, c, found;

		memset(&k, 0, sizeof k);
		k.v6 = (uint8_t)v6;
		c = memcmp(P->pkt + src, P->pkt + dst, (size_t)alen);
		rev = c > 0 || (c == 0 && sport > dport);
		if (rev) {
			memcpy(k.src, P->pkt + dst, (size_t)alen);
			memcpy(k.dst, P->pkt + src, (size_t)alen);
			k.sport = dport;
			k.dport = sport;
		} else {
			memcpy(k.src, P->pkt + src, (size_t)alen);
			memcpy(k.dst, P->pkt + dst, (size_t)alen);
			k.sport = sport;
			k.dport = dport;
		}
		th = tseq_find(P->pr, &k, &found);
		if (th) {
			if (!found || (flags & 0x02)) {
				if (!found)
					P->pr->tseq_n++;
				*th = k;
				th->used = 1;
				if (rev) {
					th->ack = seq;
					th->seq = ack - 1;
				} else {
					th->seq = seq;
					th->ack = ack - 1;
				}
			} else {
				if (rev) {
					seq -= th->ack;
					ack -= th->seq;
				} else {
					seq -= th->seq;
					ack -= th->ack;
				}
			}
			thseq = th->seq;
			thack = th->ack;
		}
	}
	if (hlen > length)
		goto too_long;
	if (P->o->vflag && !fragmented && HAS(P, off, length)) {
		uint16_t sum = l4_cksum(P, ipoff, off, length, 6), th = U16(P, off + 16);

		puts_(P, ", cksum 0x");
		putx_w(P, th, 4);
		if (sum != 0) {
			puts_(P, " (incorrect -> 0x");
			putx_w(P, cksum_shouldbe(th, sum), 4);
			puts_(P, ")");
		} else {
			puts_(P, " (correct)");
		}
	}
	length -= hlen;
	if (P->o->vflag > 1 || length > 0 || (flags & 0x07)) {
		puts_(P, ", seq ");
		putu(P, seq);
		if (length > 0) {
			putc_(P, ':');
			putu(P, (uint32_t)(seq + length));
		}
	}
	if (flags & 0x10) {
		puts_(P, ", ack ");
		putu(P, ack);
	}
	puts_(P, ", win ");
	putu(P, win);
	if (flags & 0x20) {
		puts_(P, ", urg ");
		putu(P, urp);
	}
	if (hlen > 20) {
		uint32_t cp = off + 20, rem = hlen - 20;

		puts_(P, ", options [");
		while (rem > 0) {
			uint8_t opt;
			uint32_t len, datalen = 0;

			if (ch != '\0')
				putc_(P, ch);
			/* The kind or length byte missing is tcpdump's longjmp: no ">". */
			if (!HAS(P, cp, 1) || (U8(P, cp) > 1 && !HAS(P, cp + 1, 1))) {
				P->longjmp = 1;
				put_trunc(P);
				return;
			}
			opt = U8(P, cp++);
			if (opt == 0 || opt == 1) {
				len = 1;
			} else {
				len = U8(P, cp++);
				if (len < 2 || len > rem)
					goto bad;
				--rem;
			}
			--rem;
#define LENCHECK(l) do { if ((l) > rem) goto bad; if (!HAS(P, cp, (l))) goto trunc; } while (0)
			put_tok(P, tcp_opts, "unknown-%u", opt);
			switch (opt) {
			case 2: case 3: case 11: case 12: case 13:   /* mss, wscale, cc: one number */
				datalen = opt == 2 ? 2 : opt == 3 ? 1 : 4;
				LENCHECK(datalen);
				putc_(P, ' ');
				putu(P, datalen == 1 ? U8(P, cp) : datalen == 2 ? U16(P, cp) : U32(P, cp));
				break;
			case 5:
				datalen = len - 2;
				if (datalen % 8 != 0) {
					puts_(P, " invalid sack");
				} else {
					putc_(P, ' ');
					putu(P, datalen / 8);
					putc_(P, ' ');
					for (uint32_t i = 0; i < datalen; i += 8) {
						uint32_t s, e;

						LENCHECK(i + 4);
						s = U32(P, cp + i);
						LENCHECK(i + 8);
						e = U32(P, cp + i + 4);
						if (rev) {
							s -= thseq;
							e -= thseq;
						} else {
							s -= thack;
							e -= thack;
						}
						putc_(P, '{');
						putu(P, s);
						putc_(P, ':');
						putu(P, e);
						putc_(P, '}');
					}
				}
				break;
			case 8:
				datalen = 8;
				LENCHECK(datalen);
				puts_(P, " val ");
				putu(P, U32(P, cp));
				puts_(P, " ecr ");
				putu(P, U32(P, cp + 4));
				break;
			case 19:
				datalen = 16;
				LENCHECK(datalen);
				puts_(P, " shared secret not supplied with -M, can't check - ");
				for (uint32_t i = 0; i < 16; i++)
					putx_w(P, U8(P, cp + i), 2);
				break;
			case 20:
				datalen = 2;
				LENCHECK(datalen);
				puts_(P, " cap ");
				putx_w(P, U8(P, cp), 2);
				puts_(P, " id ");
				putu(P, U8(P, cp + 1));
				break;
			case 29:
				datalen = len - 2;
				if (datalen < 2) {
					put_invalid(P);
				} else {
					LENCHECK(1);
					puts_(P, " keyid ");
					putu(P, U8(P, cp));
					LENCHECK(2);
					puts_(P, " rnextkeyid ");
					putu(P, U8(P, cp + 1));
					if (datalen > 2) {
						puts_(P, " mac 0x");
						for (uint32_t i = 2; i < datalen; i++) {
							LENCHECK(i + 1);
							putx_w(P, U8(P, cp + i), 2);
						}
					}
				}
				break;
			case 0: case 1: case 4:
				break;
			case 28: {
				uint32_t uto;

				datalen = 2;
				LENCHECK(datalen);
				uto = U16(P, cp);
				puts_(P, " 0x");
				putx(P, uto);
				uto = (uto & 1) ? (uto >> 1) * 60 : uto >> 1;
				putc_(P, ' ');
				putu(P, uto);
				break;
			}
			case 30: {
				uint32_t save = P->end;

				datalen = len - 2;
				LENCHECK(datalen);
				if (cp - 2 + len < P->end)
					P->end = cp - 2 + len;
				if (!mptcp_opt(P, cp - 2, len, flags)) {
					P->end = save;
					goto bad;
				}
				P->end = save;
				break;
			}
			case 34:
				datalen = len - 2;
				LENCHECK(datalen);
				putc_(P, ' ');
				fastopen(P, cp, datalen, 0);
				break;
			case 254: {
				uint16_t magic;

				datalen = len - 2;
				LENCHECK(datalen);
				if (datalen < 2)
					goto bad;
				magic = U16(P, cp);
				putc_(P, '-');
				if (magic == 0xf989)
					fastopen(P, cp + 2, datalen - 2, 1);
				else if (magic == 0xacc0)
					puts_(P, "acc0");
				else if (magic == 0xacc1)
					puts_(P, "acc1");
				else
					putx_w(P, magic, 4);
				break;
			}
			default:
				datalen = len - 2;
				if (datalen)
					puts_(P, " 0x");
				for (uint32_t i = 0; i < datalen; i++) {
					LENCHECK(i + 1);
					putx_w(P, U8(P, cp + i), 2);
				}
				break;
			}
#undef LENCHECK
			cp += datalen;
			rem -= datalen;
			datalen++;
			if (opt != 0 && opt != 1)
				datalen++;
			if (datalen != len) {
				puts_(P, "[len ");
				putu(P, len);
				putc_(P, ']');
			}
			ch = ',';
			if (opt == 0)
				break;
		}
		putc_(P, ']');
	}
	puts_(P, ", length ");
	putu(P, length);
	if (length == 0)
		return;
	off += hlen;
	if ((flags & 0x04) && P->o->vflag) {
		return;
	}
	print_app_tcp(P, off, length, sport, dport);
	return;
too_long:
	puts_(P, " [bad hdr length ");
	putu(P, hlen);
	puts_(P, " - too long, > ");
	putu(P, length);
	putc_(P, ']');
	return;
bad:
	puts_(P, "[bad opt]");
	if (ch != '\0')
		putc_(P, ']');
	return;
trunc:
	put_trunc(P);
	if (ch != '\0')
		putc_(P, '>');
}
