/* tcpconn.c — TCP connection state as Zeek computes it: endpoint state
 * machine, history letters, sequence-based sizes, gaps, timers.
 *
 * The rules follow Zeek (zeek/zeek, src/packet_analysis/protocol/tcp/
 * TCPSessionAdapter.cc, src/analyzer/protocol/tcp/TCP_Endpoint.cc and
 * TCP_Reassembler.cc, scripts/base/protocols/conn/main.zeek), re-derived
 * from their documented behaviour; sequence arithmetic is RFC 9293 3.4
 * (modulo 2^32, compared through signed 32-bit differences).  Relative
 * sequence numbers are 64-bit, counting 32-bit wraps, so sizes past 4 GiB
 * come out right.  The reassembler keeps no payload, only which ranges of
 * the stream were seen, which is all that gaps and missed_bytes need.
 */
#include <stddef.h>
#include <string.h>

#include "flow_int.h"

#define TOO_LARGE_SEQ_DELTA 1048576

static int32_t
seq_delta(uint32_t a, uint32_t b)
{
	uint32_t d = a - b;

	return d <= 0x7fffffffu ? (int32_t)d : -(int32_t)(~d) - 1;
}

static uint64_t
full_seq(uint32_t seq, uint32_t wraps)
{
	return ((uint64_t)wraps << 32) | seq;
}

static uint64_t
rel_space(const struct tcpep *e, uint32_t seq, uint32_t wraps)
{
	return full_seq(seq, wraps) - (uint64_t)e->start_seq;
}

static void
update_last(struct tcpep *e, uint32_t s)
{
	if (s < e->last_seq)
		e->seq_wraps++;
	e->last_seq = s;
}

static void
update_ack(struct tcpep *e, uint32_t a)
{
	if (a < e->ack_seq)
		e->ack_wraps++;
	e->ack_seq = a;
}

static void
ep_init_seqs(struct tcpep *e, uint32_t start, uint32_t ack, uint32_t last)
{
	e->start_seq = start;
	e->ack_seq = ack;
	e->last_seq = last;
}

static int
no_data_acked(const struct tcpep *e)
{
	uint64_t ack = full_seq(e->ack_seq, e->ack_wraps), start = e->start_seq;

	return ack == start || ack == start + 1;
}

uint64_t
pk__tcp_size(const struct tcpep *e, const struct tcpep *peer)
{
	uint64_t last, ack, size;

	/* A half-open connection discovered and aborted: sequence numbers
	 * say nothing about data here (TCP_Endpoint::Size). */
	if (e->prev_state == PK_TCP_SYN_SENT && e->state == PK_TCP_RESET &&
	    peer->state == PK_TCP_INACTIVE && !no_data_acked(e))
		return 0;
	last = full_seq(e->last_seq, e->seq_wraps);
	ack = full_seq(e->ack_seq, e->ack_wraps);
	size = (last > ack ? last : ack) - (uint64_t)e->start_seq;
	if (size != 0)
		size--;              /* the SYN octet */
	if (e->fin_cnt && size != 0)
		size--;              /* the FIN octet */
	return size;
}

static int
is_handshake(int s)
{
	return s == PK_TCP_INACTIVE || s == PK_TCP_SYN_SENT || s == PK_TCP_SYN_ACK_SENT;
}

static void
set_state(struct pk_flowtab *t, struct flow *f, struct tcpep *e, struct tcpep *peer, int s)
{
	if (s == e->state)
		return;
	/* The first endpoint to leave the handshake switches the
	 * connection to the TCP inactivity timeout. */
	if (!is_handshake(s) && is_handshake(e->state) && is_handshake(peer->state))
		pk__set_inactivity(t, f, IN_TCP);
	e->prev_state = e->state;
	e->state = (uint8_t)s;
}

/* Zeek's get_relative_seq(). */
static uint64_t
relative_seq(const struct tcpep *e, uint32_t cur, uint32_t last, uint32_t wraps, int *underflow)
{
	int32_t d = seq_delta(cur, last);

	if (d < 0) {
		if (wraps && cur > last)
			wraps--;
	} else if (d > 0) {
		if (cur < last)
			wraps++;
	}
	if (wraps == 0) {
		d = seq_delta(cur, e->start_seq);
		if (underflow && d < 0)
			*underflow = 1;
		return (uint64_t)(int64_t)d;
	}
	return rel_space(e, cur, wraps);
}

static void
init_endpoint(struct tcpep *e, uint16_t fl, uint32_t seq, uint32_t last)
{
	switch (e->state) {
	case PK_TCP_INACTIVE:
		if (fl & PK_TH_SYN) {
			e->ack_seq = seq;
			e->start_seq = seq;
		} else {
			/* Partial connection: pretend a SYN was seen. */
			e->ack_seq = seq - 1;
			e->start_seq = seq - 1;
			last = seq;
		}
		e->last_seq = last;
		break;
	case PK_TCP_SYN_SENT:
	case PK_TCP_SYN_ACK_SENT:
		if ((fl & PK_TH_SYN) && seq != e->start_seq)
			ep_init_seqs(e, seq, seq, last);
		break;
	case PK_TCP_ESTABLISHED:
	case PK_TCP_PARTIAL:
		if (fl & PK_TH_SYN)
			ep_init_seqs(e, seq, seq, last);
		break;
	case PK_TCP_RESET:
		if ((fl & PK_TH_SYN) && e->prev_state == PK_TCP_INACTIVE)
			ep_init_seqs(e, seq, seq, last);
		break;
	default:
		break;
	}
}

/* Roles flip when a connection that began with an unanswered SYN-ACK
 * ("H") sees a pure ACK or data (TCP_Endpoint::CheckHistory): the history
 * becomes "^h" and the current letter is added in the new orientation. */
static void
maybe_synack_flip(struct pk_flowtab *t, struct flow *f, int *is_orig)
{
	if (f->hist_len == 1 && pk__hist_at(t, f, 0) == 'H') {
		pk__flip(t, f);
		f->hist_len = 0;
		memset(f->hist, 0, sizeof f->hist);   /* pk__hist_add ORs into zeroes */
		pk__hist_add(t, f, '^');
		pk__hist_add(t, f, 'h');
		*is_orig = !*is_orig;
	}
}

/* Record V as the last sequence number of a letter in *LAST (a field of
 * the sender's extras X, which a nonzero value allocates). */
static void
set_last(struct pk_flowtab *t, struct flow *f, int is_orig, struct tdirx *x, size_t off,
         uint32_t v)
{
	if (!x && v && (x = pk__tcpx(t, f, is_orig)) == NULL)
		return;
	if (x)
		memcpy((char *)x + off, &v, sizeof v);
}

static void
update_history(struct pk_flowtab *t, struct flow *f, uint16_t fl, int *is_orig,
               uint64_t rel_seq, uint32_t len)
{
	int bits = !!(fl & PK_TH_SYN) + !!(fl & PK_TH_FIN) + !!(fl & PK_TH_RST);

	if (bits > 1) {
		if ((fl & PK_TH_FIN) && (fl & PK_TH_RST))
			pk__hist_check(t, f, H_FIN_RST, 'I', *is_orig);
		else
			pk__hist_check(t, f, H_MULTI, 'Q', *is_orig);
	} else if (bits == 1) {
		struct tdirx *x = pk__tcpx_get(t, f, *is_orig);

		if (fl & PK_TH_SYN) {
			char code = (fl & PK_TH_ACK) ? 'H' : 'S';
			uint32_t v = (uint32_t)rel_seq;

			if (pk__hist_check(t, f, H_SYN, code, *is_orig) &&
			    v != (x ? x->hist_last_syn : 0))
				pk__hist_add(t, f, *is_orig ? code : (char)(code + 32));
			set_last(t, f, *is_orig, x, offsetof(struct tdirx, hist_last_syn), v);
		}
		if (fl & PK_TH_FIN) {
			/* A FIN's sequence number is at the end of its data. */
			uint32_t v = (uint32_t)(rel_seq + len);

			if (pk__hist_check(t, f, H_FIN, 'F', *is_orig) &&
			    v != (x ? x->hist_last_fin : 0))
				pk__hist_add(t, f, *is_orig ? 'F' : 'f');
			set_last(t, f, *is_orig, x, offsetof(struct tdirx, hist_last_fin), v);
		}
		if (fl & PK_TH_RST) {
			uint32_t v = (uint32_t)rel_seq;

			if (pk__hist_check(t, f, H_RST, 'R', *is_orig) &&
			    v != (x ? x->hist_last_rst : 0))
				pk__hist_add(t, f, *is_orig ? 'R' : 'r');
			set_last(t, f, *is_orig, x, offsetof(struct tdirx, hist_last_rst), v);
		}
	} else if (len) {
		maybe_synack_flip(t, f, is_orig);
		pk__hist_check(t, f, H_DATA, 'D', *is_orig);
	} else if (fl & PK_TH_ACK) {
		maybe_synack_flip(t, f, is_orig);
		pk__hist_check(t, f, H_ACK, 'A', *is_orig);
	}
}

static void
init_peer(struct tcpep *peer, uint32_t ack)
{
	/* Number the peer as if its SYN had been seen. */
	ep_init_seqs(peer, ack - 1, ack - 1, ack - 1);
}

static void
update_ack_seq(struct tcpep *e, uint32_t ack)
{
	int32_t d = seq_delta(ack, e->ack_seq);

	if (ack == 0 && d > TOO_LARGE_SEQ_DELTA)
		return;   /* more likely a broken ack than a wrap onto 0 */
	if (d > 0)
		update_ack(e, ack);
}

/* Zeek's update_last_seq(); a data segment that does not advance the
 * highest sequence seen is a retransmission (T). */
static int32_t
update_last_seq(struct pk_flowtab *t, struct flow *f, struct tcpep *e, uint32_t last,
                uint16_t fl, uint32_t len, int is_orig, int new_bytes)
{
	int32_t d = seq_delta(last, e->last_seq);
	struct tdirx *dir;

	if ((fl & (PK_TH_SYN | PK_TH_RST)) && (d > TOO_LARGE_SEQ_DELTA || d < -TOO_LARGE_SEQ_DELTA))
		;
	else if ((fl & PK_TH_FIN) && e->last_seq == e->start_seq + 1)
		update_last(e, last);   /* > 2 GB connections seen only by SYN and FIN */
	else if (e->state == PK_TCP_RESET)
		;
	else if (d > 0)
		update_last(e, last);
	else if (len > 0 && (dir = pk__tcpx(t, f, is_orig)) != NULL) {
		pk__hist_scaled(t, f, 'T', &dir->rxmt_cnt, is_orig);
		dir->retx_pkts++;
		dir->retx_bytes += len;
		if (new_bytes)
			dir->ooo_pkts++;
	}
	return d;
}

static void
zero_window(struct pk_flowtab *t, struct flow *f, struct tcpep *e, struct tcpep *peer,
            uint16_t win, uint16_t fl, int is_orig)
{
	struct tdirx *x;

	if (win == 0 && !(fl & PK_TH_RST) && peer->state != PK_TCP_CLOSED &&
	    e->state != PK_TCP_RESET && (x = pk__tcpx(t, f, is_orig)) != NULL)
		pk__hist_scaled(t, f, 'W', &x->win0_cnt, is_orig);
}

/* ------------------------------------------------------- reassembler */

static int
is_clean(const struct tcpep *e)
{
	return e->state == PK_TCP_ESTABLISHED ||
	       (e->state == PK_TCP_CLOSED && e->prev_state == PK_TCP_ESTABLISHED);
}

static void
gap(struct pk_flowtab *t, struct flow *f, struct tcpep *e, int e_is_orig, uint64_t len)
{
	struct tcpep *peer = &FEP(f)[e_is_orig ? 1 : 0];
	struct tdirx *x;

	if (is_clean(e) && is_clean(peer)) {
		struct tcpx *r;

		if ((x = pk__tcpx(t, f, e_is_orig)) != NULL)
			pk__hist_scaled(t, f, 'G', &x->gap_cnt, e_is_orig);
		if ((r = pk__tcpx_rec(t, f)) != NULL)
			r->missed += len;
	}
}

/* Deliver the buffered block (in E's extras X, if any) if it now continues
 * the stream. */
static void
absorb_block(struct tcpep *e, struct tdirx *x)
{
	if (x && x->hole_hi && x->hole_lo <= pk__ep_r(e)) {
		if (x->hole_hi > pk__ep_r(e))
			pk__ep_rset(e, x->hole_hi);
		x->hole_lo = x->hole_hi = 0;
	}
}

/* Data [seq, seq+len) of endpoint E reached the reassembler. */
static void
data_sent(struct pk_flowtab *t, struct flow *f, struct tcpep *e, int e_is_orig,
          uint64_t seq, uint32_t len)
{
	uint64_t ack = rel_space(e, e->ack_seq, e->ack_wraps), upper = seq + len;
	struct tdirx *x = pk__tcpx_get(t, f, e_is_orig);

	if (seq < ack) {
		if (upper <= ack)
			return;
		seq = ack;
	}
	if (seq <= pk__ep_r(e)) {
		if (upper > pk__ep_r(e))
			pk__ep_rset(e, upper);
		absorb_block(e, x);
		return;
	}
	/* Above a hole: keep one block, the one nearest the hole. */
	if (!x && (x = pk__tcpx(t, f, e_is_orig)) == NULL)
		return;   /* out of memory: pk_flowtab_add fails */
	if (!x->hole_hi) {
		x->hole_lo = seq;
		x->hole_hi = upper;
	} else if (seq <= x->hole_hi && upper >= x->hole_lo) {
		if (seq < x->hole_lo)
			x->hole_lo = seq;
		if (upper > x->hole_hi)
			x->hole_hi = upper;
	} else if (seq < x->hole_lo) {
		x->hole_lo = seq;
		x->hole_hi = upper;
	}
}

/* The peer acknowledged E's stream up to SEQ (TCP_Reassembler::AckReceived). */
static void
ack_received(struct pk_flowtab *t, struct flow *f, struct tcpep *e, int e_is_orig, uint64_t seq)
{
	struct tdirx *x;

	if (e->fin_cnt) {
		const struct tdirx *p = pk__tcpx_peek(t, f, e_is_orig);
		uint64_t fin_seq = p ? p->fin_seq : 0;

		if (seq >= fin_seq)
			seq = fin_seq - 1;
	}
	if (seq <= pk__ep_r(e))
		return;
	/* A partial connection's first ACK only reveals the faked SYN. */
	if (seq <= 2 && f->is_partial)
		return;
	x = pk__tcpx_get(t, f, e_is_orig);
	if (x && x->hole_hi && x->hole_lo > pk__ep_r(e) && x->hole_lo < seq) {
		gap(t, f, e, e_is_orig, x->hole_lo - pk__ep_r(e));
		pk__ep_rset(e, x->hole_lo);
		absorb_block(e, x);
	}
	if (seq > pk__ep_r(e)) {
		gap(t, f, e, e_is_orig, seq - pk__ep_r(e));
		x = pk__tcpx_get(t, f, e_is_orig);   /* gap() may have made it */
		pk__ep_rset(e, seq);
		absorb_block(e, x);
	}
	if (x && x->hole_hi && x->hole_hi <= pk__ep_r(e))
		x->hole_lo = x->hole_hi = 0;
}

/* ----------------------------------------------------- state machine */

struct closing { int do_close, gen_event; };

/* Zeek's conn/inactivity.zeek on connection_established: interactive
 * services get a longer inactivity timeout. */
static void
established_timeout(struct pk_flowtab *t, struct flow *f)
{
	uint16_t op = f->orig_is_lo ? f->key.lo_port : f->key.hi_port;
	uint16_t rp = f->orig_is_lo ? f->key.hi_port : f->key.lo_port;
	uint16_t sp = rp;

	/* Half-established: the originator's port if only it is well known. */
	if (FEP(f)[0].state == PK_TCP_INACTIVE && !pk__is_server_port(t, 6, rp) &&
	    pk__is_server_port(t, 6, op))
		sp = op;
	if (sp == 21 || sp == 22 || sp == 23 || sp == 513)
		pk__set_inactivity(t, f, IN_LONG);
}

static int
inactive_state(struct pk_flowtab *t, struct flow *f, struct tcpep *e, struct tcpep *peer,
               uint32_t base_seq, uint32_t len, int is_orig, uint16_t fl, int64_t now,
               struct closing *c)
{
	struct tcpep *orig = &FEP(f)[0];
	int flipped = 0;

	if (fl & PK_TH_SYN) {
		if (is_orig) {
			set_state(t, f, e, peer, (fl & PK_TH_ACK) ? PK_TCP_SYN_ACK_SENT : PK_TCP_SYN_SENT);
			if (pk__opts(t)->attempt_timer && pk__opts(t)->tcp_attempt_ns)
				pk__tset(t, f, T_ATTEMPT, now + pk__opts(t)->tcp_attempt_ns);
		} else {
			if (!(fl & PK_TH_ACK) && peer->state == PK_TCP_SYN_ACK_SENT &&
			    base_seq == e->start_seq) {
				/* SYN/SYN-ACK reversal: flip and establish. */
				f->is_partial = 0;
				pk__flip(t, f);
				/* After the flip this endpoint is the originator. */
				e = &FEP(f)[0];
				peer = &FEP(f)[1];
				set_state(t, f, peer, e, PK_TCP_ESTABLISHED);
				f->first_seen |= 1;
				flipped = 1;
			}
			if (peer->state == PK_TCP_SYN_SENT)
				set_state(t, f, peer, e, PK_TCP_ESTABLISHED);
			set_state(t, f, e, peer, PK_TCP_ESTABLISHED);
			if (peer->state != PK_TCP_PARTIAL && pk__opts(t)->port_timeouts)
				established_timeout(t, f);
		}
	}
	if (fl & PK_TH_FIN) {
		set_state(t, f, e, peer, PK_TCP_CLOSED);
		c->do_close = c->gen_event = 1;
	}
	if (fl & PK_TH_RST) {
		int reject = 0;

		set_state(t, f, e, peer, PK_TCP_RESET);
		if (is_orig)
			reject = peer->state == PK_TCP_ESTABLISHED;
		else
			reject = peer->state == PK_TCP_SYN_SENT || peer->state == PK_TCP_SYN_ACK_SENT;
		c->do_close = 1;
		c->gen_event = !reject;
	}
	if (e->state == PK_TCP_INACTIVE) {
		orig = &FEP(f)[0];
		if (!is_orig && len == 0 && orig->state == PK_TCP_SYN_SENT)
			;   /* an "eccentric" ACK of a SYN before the SYN-ACK */
		else if ((fl & PK_TH_ACK) && peer->state == PK_TCP_ESTABLISHED) {
			/* SYN missed, SYN-ACK seen, now its ACK: established. */
			set_state(t, f, e, peer, PK_TCP_ESTABLISHED);
			f->is_partial = 0;
			f->first_seen |= is_orig ? 1 : 2;
		} else
			set_state(t, f, e, peer, PK_TCP_PARTIAL);
	}
	return flipped;
}

static void
syn_sent_state(struct pk_flowtab *t, struct flow *f, struct tcpep *e, struct tcpep *peer,
               uint16_t fl, struct closing *c)
{
	if (fl & PK_TH_FIN) {
		set_state(t, f, e, peer, PK_TCP_CLOSED);
		c->do_close = c->gen_event = 1;
	}
	if (fl & PK_TH_RST) {
		set_state(t, f, e, peer, PK_TCP_RESET);
		f->is_active = 0;    /* ConnectionReset() */
		c->do_close = 1;
	}
}

static void
established_state(struct pk_flowtab *t, struct flow *f, struct tcpep *e, struct tcpep *peer,
                  uint16_t fl, struct closing *c)
{
	if ((fl & PK_TH_SYN) && e->state == PK_TCP_PARTIAL &&
	    peer->state == PK_TCP_INACTIVE && !(fl & PK_TH_ACK))
		set_state(t, f, e, peer, PK_TCP_SYN_SENT);
	if ((fl & PK_TH_FIN) && !(fl & PK_TH_RST)) {
		set_state(t, f, e, peer, PK_TCP_CLOSED);
		/* The peer's FIN then RST was a normal close after all. */
		if (peer->state == PK_TCP_RESET && peer->prev_state == PK_TCP_CLOSED)
			set_state(t, f, peer, e, PK_TCP_CLOSED);
		c->do_close = c->gen_event = 1;
	}
	if (fl & PK_TH_RST) {
		set_state(t, f, e, peer, PK_TCP_RESET);
		c->do_close = 1;
		if (peer->state != PK_TCP_RESET || peer->prev_state != PK_TCP_ESTABLISHED)
			f->is_active = 0;
	}
}

static void
closed_state(struct pk_flowtab *t, struct flow *f, struct tcpep *e, struct tcpep *peer,
             uint16_t fl, struct closing *c)
{
	/* After a FIN, a RST only counts if the peer has not closed too. */
	if ((fl & PK_TH_RST) && peer->state != PK_TCP_CLOSED) {
		set_state(t, f, e, peer, PK_TCP_RESET);
		if (!e->did_close)
			c->do_close = 1;
	}
}

/* TCPSessionAdapter::ConnectionClosed without the data-pending deferral. */
static void
connection_closed(struct pk_flowtab *t, struct flow *f, struct tcpep *e, struct tcpep *peer,
                  int gen_event)
{
	int complete;

	if (e->did_close)
		return;
	e->did_close = 1;
	complete = e->state == PK_TCP_RESET || peer->did_close || peer->state == PK_TCP_INACTIVE;
	if (complete) {
		if ((e->prev_state != PK_TCP_INACTIVE || peer->state != PK_TCP_INACTIVE) && gen_event)
			f->is_active = 0;    /* ConnectionFinished() */
		/* Cancel the analyzer timers; remove after the close delay. */
		int64_t last = pk__tget(t, f, T_LAST), del = last + pk__opts(t)->tcp_close_ns;
		struct tcpx *r;

		if (del == last)
			del = last + 1;   /* zero delay: next packet or later */
		pk__tset(t, f, T_ATTEMPT, 0);
		pk__tset(t, f, T_EXPIRE, 0);
		if ((r = pk__tcpx_rec(t, f)) != NULL) {
			r->expire_at1 = 0;
			r->delete_at = del;
		}
	} else if (e->prev_state != PK_TCP_INACTIVE) {
		/* Look for the other side closing too. */
		int64_t when = pk__tget(t, f, T_LAST) + pk__opts(t)->tcp_session_timer_ns;
		const struct tcpx *p = pk__tcpx_rec_peek(t, f);
		struct tcpx *r;

		if (!pk__tget(t, f, T_EXPIRE))
			pk__tset(t, f, T_EXPIRE, when);
		else if ((!p || !p->expire_at1 || when < p->expire_at1) &&
		         (r = pk__tcpx_rec(t, f)) != NULL)
			r->expire_at1 = when;
	}
}

int
pk__tcp_is_reuse(const struct flow *f, const struct pk_layers *L, int is_orig)
{
	const struct tcpep *orig = &FEP(f)[0], *resp = &FEP(f)[1], *conn_orig = orig;
	uint16_t fl = L->tcp_flags;
	int closed;

	(void)is_orig;
	if (L->tcp_hlen < 20)
		return 0;
	/* Only SYNs, or SYN-ACKs for half connections, start anew. */
	if (!(fl & PK_TH_SYN))
		return 0;
	if (fl & PK_TH_ACK) {
		if (orig->state != PK_TCP_INACTIVE)
			return 0;
		conn_orig = resp;
	}
	closed = orig->state == PK_TCP_CLOSED || orig->state == PK_TCP_RESET ||
	         resp->state == PK_TCP_CLOSED || resp->state == PK_TCP_RESET;
	if (!closed) {
		if (L->tcp_seq == conn_orig->start_seq)
			return 0;
		/* The SYN of a SYN/SYN-ACK reversal is not a reuse. */
		if (!(fl & PK_TH_ACK) && conn_orig->state == PK_TCP_SYN_ACK_SENT &&
		    resp->state == PK_TCP_INACTIVE && L->tcp_seq == resp->start_seq)
			return 0;
	}
	return 1;
}

void
pk__tcp_checksum_error(struct pk_flowtab *t, struct flow *f, int is_orig)
{
	pk__hist_scaled(t, f, 'C', &f->d[is_orig ? 0 : 1].bad_csum, is_orig);
}

static void
note_options(struct flow *f, struct tcpep *e, struct tcpep *peer, const struct pk_layers *L, int is_orig)
{
	struct tdir *d = &TF(f)->td[is_orig ? 0 : 1];
	uint16_t fl = L->tcp_flags;

	if (L->opt_mss_set)
		d->mss = L->opt_mss;
	if (L->opt_ws_set)
		d->wscale = (int8_t)(L->opt_ws > 14 ? 14 : L->opt_ws);
	if (L->opt_sackok)
		d->opts |= 1;
	if (L->opt_ts_set)
		d->opts |= 2;
	/* Window scaling is in force only when both SYNs offered it. */
	if (!L->opt_ws_set) {
		e->wscale = 0;
		if (fl & PK_TH_ACK)
			peer->wscale = 0;
	} else
		e->wscale = L->opt_ws > 14 ? 14 : L->opt_ws;
}

/* Add one to F's SYN (WHICH 0) or SYN-ACK (1) count; the count before. */
static uint32_t
syn_count_inc(struct pk_flowtab *t, struct flow *f, int which)
{
	uint16_t *lo = which ? &TF(f)->synack_cnt : &TF(f)->syn_cnt;
	uint32_t was = pk__syn_count(t, f, which);
	struct tcpx *r;

	if (++*lo == 0 && (r = pk__tcpx_rec(t, f)) != NULL)
		r->cnt_hi[which]++;
	return was;
}

static void
extras(struct pk_flowtab *t, struct flow *f, struct tcpep *e, const struct pk_layers *L,
       int is_orig, uint32_t len, int64_t now, uint32_t snow)
{
	struct tdir *d = &TF(f)->td[is_orig ? 0 : 1];
	struct tdirx *x;
	struct tcpx *r;
	uint16_t fl = L->tcp_flags;

	if (fl & PK_TH_SYN) {
		/* 16-bit low halves; the high ones live in the extras record */
		if (++d->syn == 0 && (x = pk__tcpx(t, f, is_orig)) != NULL)
			x->syn_hi++;
		if (fl & PK_TH_ACK) {
			if (syn_count_inc(t, f, 1) == 0)
				pk__tset(t, f, T_SYNACK, now);
			else if ((r = pk__tcpx_rec(t, f)) != NULL)
				r->synack_last_ns = now;
		} else {
			if (syn_count_inc(t, f, 0) == 0)
				pk__tset(t, f, T_SYN, now);
			else if ((r = pk__tcpx_rec(t, f)) != NULL)
				r->syn_last_ns = now;
		}
	} else if ((fl & PK_TH_ACK) && pk__tset_p(t, f, T_SYNACK) && !pk__tset_p(t, f, T_ACK) &&
	           pk__tset_p(t, f, T_SYN) && pk__tget(t, f, T_SYNACK) >= pk__tget(t, f, T_SYN))
		pk__tset_now(t, f, T_ACK, now, snow);
	if (fl & (PK_TH_FIN | PK_TH_RST)) {
		if ((x = pk__tcpx(t, f, is_orig)) != NULL) {
			if (fl & PK_TH_FIN)
				x->fin++;
			if (fl & PK_TH_RST)
				x->rst++;
		}
		if (!f->closer) {
			f->closer = (fl & PK_TH_FIN) ? (is_orig ? PK_CLOSE_ORIG_FIN : PK_CLOSE_RESP_FIN)
			                             : (is_orig ? PK_CLOSE_ORIG_RST : PK_CLOSE_RESP_RST);
			if ((r = pk__tcpx_rec(t, f)) != NULL)
				r->close_ns = now;
		}
	}
	if (!(fl & (PK_TH_SYN | PK_TH_FIN | PK_TH_RST))) {
		uint32_t w = (uint32_t)L->tcp_win << e->wscale;

		if (!(d->opts & 4)) {
			d->win_min = d->win_max = L->tcp_win;
			d->win_shmin = d->win_shmax = e->wscale;
			d->opts |= 4;
		} else {
			if (w < pk__win_min(d)) {
				d->win_min = L->tcp_win;
				d->win_shmin = e->wscale;
			}
			if (w > pk__win_max(d)) {
				d->win_max = L->tcp_win;
				d->win_shmax = e->wscale;
			}
		}
		/* Zero-window time: a run starts at a zero window, ends at the
		 * next non-zero window from the same side. */
		if (L->tcp_win == 0) {
			if ((x = pk__tcpx(t, f, is_orig)) != NULL) {
				if (!x->zw_since)
					x->zw_since = now;
				if (!x->zw_first)
					x->zw_first = now;
			}
		} else if (TF(f)->x && (x = pk__tcpx(t, f, is_orig)) != NULL && x->zw_since) {
			x->zw_ns += now - x->zw_since;
			x->zw_since = 0;
		}
		if (len == 0 && (fl & PK_TH_ACK) && e->has_ack && e->last_ack == L->tcp_ack &&
		    e->last_win == L->tcp_win && (x = pk__tcpx(t, f, is_orig)) != NULL)
			x->dup_acks++;
	}
	if (fl & PK_TH_ACK) {
		e->last_ack = L->tcp_ack;
		e->last_win = L->tcp_win;
		e->has_ack = 1;
	}
	pk__tcp_bytes(t, f, is_orig, 1, len);
	if (len && !(fl & PK_TH_RST)) {
		int side = 2 * pk__xside(f, is_orig);

		if (!pk__tset_p(t, f, T_DFIRST + side))
			pk__tset_now(t, f, T_DFIRST + side, now, snow);
		pk__tset_now(t, f, T_DLAST + side, now, snow);
	}
}

static void
set_partial_status(struct flow *f, uint16_t fl, int is_orig)
{
	if (is_orig) {
		if (!(f->first_seen & 1))
			f->is_partial = !(fl & PK_TH_SYN) || (fl & PK_TH_ACK);
	} else if (!(f->first_seen & 2) && !f->is_partial)
		f->is_partial = !(fl & PK_TH_SYN);
}

void
pk__tcp_process(struct pk_flowtab *t, struct flow *f, const struct pk_layers *L, int64_t now,
                uint32_t snow, int *is_orig_p)
{
	int is_orig = *is_orig_p, underflow = 0, ack_underflow = 0, new_bytes = 0;
	uint16_t fl = L->tcp_flags;
	uint32_t base_seq = L->tcp_seq, ack_seq = L->tcp_ack;
	uint32_t len = L->payload_len;
	struct tcpep *e, *peer;
	int seg_len;
	uint32_t seq_end;
	uint64_t rel_seq, rel_ack = 0;
	int32_t delta_last;
	struct closing c = { 0, 0 };
	int st;

	e = &FEP(f)[is_orig ? 0 : 1];
	set_partial_status(f, fl, is_orig);
	seg_len = (int)len + !!(fl & PK_TH_SYN) + !!(fl & PK_TH_FIN);
	if (fl & PK_TH_RST)
		seg_len -= (int)len;
	seq_end = base_seq + (uint32_t)seg_len;
	init_endpoint(e, fl, base_seq, seq_end);
	rel_seq = relative_seq(e, base_seq, e->last_seq, e->seq_wraps, &underflow);

	update_history(t, f, fl, &is_orig, rel_seq, len);
	e = &FEP(f)[is_orig ? 0 : 1];
	peer = &FEP(f)[is_orig ? 1 : 0];

	zero_window(t, f, e, peer, L->tcp_win, fl, is_orig);
	if (!(FEP(f)[0].did_close && FEP(f)[1].did_close))
		pk__tset_now(t, f, T_LAST, now, snow);
	if (fl & PK_TH_SYN)
		note_options(f, e, peer, L, is_orig);
	if (fl & PK_TH_FIN) {
		struct tdirx *x = pk__tcpx_get(t, f, is_orig);
		uint64_t v = rel_seq + (uint64_t)seg_len;

		e->fin_cnt = 1;
		if (x || (v && (x = pk__tcpx(t, f, is_orig)) != NULL)) {
			if (x)
				x->fin_seq = v;
		}
	}
	if (fl & PK_TH_ACK) {
		if (peer->state == PK_TCP_INACTIVE) {
			rel_ack = 1;
			init_peer(peer, ack_seq);
		} else {
			rel_ack = relative_seq(peer, ack_seq, peer->ack_seq, peer->ack_wraps, &ack_underflow);
			if (ack_underflow)
				rel_ack = 0;
			else if (!(fl & PK_TH_RST))
				update_ack_seq(peer, ack_seq);
		}
	}
	if (len > 0 && !(fl & PK_TH_RST)) {
		uint64_t data_seq = (fl & PK_TH_SYN) ? rel_seq + 1 : rel_seq;
		struct tdirx *x = pk__tcpx_get(t, f, is_orig);

		new_bytes = !underflow && data_seq >= pk__ep_r(e) && x && x->hole_hi &&
		            data_seq < x->hole_lo;
	}
	delta_last = update_last_seq(t, f, e, seq_end, fl, len, is_orig, new_bytes);
	(void)delta_last;
	extras(t, f, e, L, is_orig, len, now, snow);

	st = e->state;
	if (st == PK_TCP_INACTIVE) {
		if (inactive_state(t, f, e, peer, base_seq, len, is_orig, fl, now, &c)) {
			/* SYN/SYN-ACK reversal: the sender is now the originator. */
			is_orig = !is_orig;
			e = &FEP(f)[is_orig ? 0 : 1];
			peer = &FEP(f)[is_orig ? 1 : 0];
		}
	}
	else if (st == PK_TCP_SYN_SENT || st == PK_TCP_SYN_ACK_SENT)
		syn_sent_state(t, f, e, peer, fl, &c);
	else if (st == PK_TCP_ESTABLISHED || st == PK_TCP_PARTIAL)
		established_state(t, f, e, peer, fl, &c);
	else if (st == PK_TCP_CLOSED)
		closed_state(t, f, e, peer, fl, &c);
	if (fl & PK_TH_ACK)
		ack_received(t, f, peer, !is_orig, rel_ack);
	if (len > 0 && L->payload_caplen >= len && !(fl & PK_TH_RST) && !underflow)
		data_sent(t, f, e, is_orig, (fl & PK_TH_SYN) ? rel_seq + 1 : rel_seq, len);
	if (c.do_close)
		connection_closed(t, f, e, peer, c.gen_event);
	*is_orig_p = is_orig;
}

int64_t
pk__tcp_next_timer_slow(const struct pk_flowtab *t, const struct flow *fl)
{
	int64_t n;

	if (!fl->twide) {
		/* The earlier of the two set forms is the earlier time. */
		uint32_t a = *pk__tslot((struct flow *)(uintptr_t)fl, T_ATTEMPT);
		uint32_t e = *pk__tslot((struct flow *)(uintptr_t)fl, T_EXPIRE);

		n = pk__tdec(fl, T_EXPIRE, a && (!e || a < e) ? a : e);
	} else {
		int64_t e = pk__tget(t, fl, T_EXPIRE);

		n = pk__tget(t, fl, T_ATTEMPT);
		if (e && (!n || e < n))
			n = e;
	}
	if (CTF(fl)->x) {
		const struct tcpx *r = pk__tcpx_rec_peek(t, fl);

		if (r->expire_at1 && (!n || r->expire_at1 < n))
			n = r->expire_at1;
		if (r->delete_at && (!n || r->delete_at < n))
			n = r->delete_at;
	}
	return n;
}

/* Set expire timer SLOT (0 in the flow, 1 in its extras) to WHEN. */
static void
set_expire(struct pk_flowtab *t, struct flow *f, int slot, int64_t when)
{
	struct tcpx *r;

	if (slot == 0)
		pk__tset(t, f, T_EXPIRE, when);
	else if ((r = pk__tcpx_rec(t, f)) != NULL)
		r->expire_at1 = when;
}

/* TCPSessionAdapter::ExpireTimer at network time NOW. */
static int
expire_timer(struct pk_flowtab *t, struct flow *f, int slot, int64_t now)
{
	const struct pk_flowopts *o = pk__opts(t);
	const struct tcpep *orig = &FEP(f)[0], *resp = &FEP(f)[1];

	set_expire(t, f, slot, 0);
	if (!f->is_active)
		return -1;
	if (pk__tget(t, f, T_LAST) + o->tcp_linger_ns < now) {
		if (orig->did_close || resp->did_close) {
			/* Both closed, or one reset, or half closed. */
			if ((orig->did_close && resp->did_close) ||
			    orig->state == PK_TCP_RESET || resp->state == PK_TCP_RESET ||
			    orig->state == PK_TCP_INACTIVE || resp->state == PK_TCP_INACTIVE)
				return PK_END_EXPIRED;
		}
		/* Nothing but ignored packets ever happened. */
		if (resp->state == PK_TCP_INACTIVE && orig->state == PK_TCP_INACTIVE)
			return PK_END_EXPIRED;
	}
	set_expire(t, f, slot, now + o->tcp_session_timer_ns);
	return -1;
}

int
pk__tcp_timers(struct pk_flowtab *t, struct flow *f, int64_t now)
{
	for (;;) {
		int64_t n = pk__tcp_next_timer(t, f);
		const struct tcpx *rx = pk__tcpx_rec_peek(t, f);

		if (!n || n > now)
			return -1;
		if (rx && n == rx->delete_at)
			return PK_END_CLOSED;
		if (n == pk__tget(t, f, T_ATTEMPT)) {
			const struct tcpep *orig = &FEP(f)[0], *resp = &FEP(f)[1];

			pk__tset(t, f, T_ATTEMPT, 0);
			if (f->is_active && (orig->state == PK_TCP_SYN_SENT ||
			    orig->state == PK_TCP_SYN_ACK_SENT) && resp->state == PK_TCP_INACTIVE)
				return PK_END_ATTEMPT;
			continue;
		}
		{
			int slot = n == pk__tget(t, f, T_EXPIRE) ? 0 : 1;
			int r = expire_timer(t, f, slot, now);

			if (r >= 0)
				return r;
			/* Rescheduled past now: avoid spinning on the same time. */
		}
	}
}

int
pk_history_rstos0(const char *h)
{
	/* ^\^?S[^HAFGIQ]*R.*$ */
	if (*h == '^')
		h++;
	if (*h != 'S')
		return 0;
	for (h++; *h; h++) {
		if (*h == 'R')
			return 1;
		if (strchr("HAFGIQ", *h))
			return 0;
	}
	return 0;
}

enum pk_connstate
pk_tcp_connstate(int os, int rs, uint64_t osize, uint64_t rsize, const char *history)
{
	int o_inact = os == PK_TCP_INACTIVE || os == PK_TCP_PARTIAL;
	int r_inact = rs == PK_TCP_INACTIVE || rs == PK_TCP_PARTIAL;

	if (rs == PK_TCP_RESET) {
		if (os == PK_TCP_SYN_SENT || os == PK_TCP_SYN_ACK_SENT ||
		    (os == PK_TCP_RESET && osize == 0 && rsize == 0))
			return PK_CS_REJ;
		if (o_inact)
			return PK_CS_RSTRH;
		return PK_CS_RSTR;
	}
	if (os == PK_TCP_RESET) {
		if (r_inact)
			return pk_history_rstos0(history) ? PK_CS_RSTOS0 : PK_CS_OTH;
		return PK_CS_RSTO;
	}
	if (os == PK_TCP_CLOSED && rs == PK_TCP_CLOSED)
		return PK_CS_SF;
	if (os == PK_TCP_CLOSED)
		return r_inact ? PK_CS_SH : PK_CS_S2;
	if (rs == PK_TCP_CLOSED)
		return o_inact ? PK_CS_SHR : PK_CS_S3;
	if (os == PK_TCP_SYN_SENT && rs == PK_TCP_INACTIVE)
		return PK_CS_S0;
	if (os == PK_TCP_ESTABLISHED && rs == PK_TCP_ESTABLISHED)
		return PK_CS_S1;
	return PK_CS_OTH;
}
