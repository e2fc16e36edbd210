/* gen_arith.c — code generation for arithmetic: packet accessors, operators, relations.
 *
 * Follows libpcap's gen_load/gen_arth/gen_relation: each operand leaves its
 * value in a scratch register; an accessor ANDs its protocol guard into the
 * operand (reference §5.5); gen_arth keeps only the left operand's guard, as
 * libpcap does, so `1 + tcp[0] = 2` has no TCP test.
 */
#include "fint.h"

#define gerr(st, ...) fz_error_at_tok(st, __VA_ARGS__)
#define MAX_ARITH_OPS 1000      /* per arithmetic expression: appending is linear, so
                                   a longer chain would cost quadratic time */
/* ------------------------------------------------------------ arithmetic */

static struct slist *xfer_to_x(struct fstate *st, struct arth *a)
{
	struct slist *s = fg_stmt(st, BPF_LDX | BPF_MEM);
	s->s.k = (uint32_t)a->regno;
	return s;
}

static struct slist *xfer_to_a(struct fstate *st, struct arth *a)
{
	struct slist *s = fg_stmt(st, BPF_LD | BPF_MEM);
	s->s.k = (uint32_t)a->regno;
	return s;
}

struct arth *gen_loadi(struct fstate *st, uint32_t v)
{
	struct arth *a = fz_alloc(st, sizeof *a);
	int reg = fg_alloc_reg(st);
	struct slist *s = fg_stmt(st, BPF_LD | BPF_IMM);
	s->s.k = v;
	s->next = fg_stmt(st, BPF_ST);
	s->next->s.k = (uint32_t)reg;
	a->s = s;
	a->regno = reg;
	return a;
}

struct arth *gen_loadlen(struct fstate *st)
{
	struct arth *a = fz_alloc(st, sizeof *a);
	int reg = fg_alloc_reg(st);
	struct slist *s = fg_stmt(st, BPF_LD | BPF_LEN);
	s->next = fg_stmt(st, BPF_ST);
	s->next->s.k = (uint32_t)reg;
	a->s = s;
	a->regno = reg;
	return a;
}

struct arth *gen_load(struct fstate *st, int proto, struct arth *inst, uint32_t size)
{
	struct slist *s, *tmp;
	struct block *b;
	int regno;
	switch (size) {
	case 1: size = BPF_B; break;
	case 2: size = BPF_H; break;
	case 4: size = BPF_W; break;
	default: gerr(st, "data size must be 1, 2, or 4");
	}
	regno = fg_alloc_reg(st);
	fg_free_reg(st, inst->regno);
	switch (proto) {
	case Q_RADIO:
		gerr(st, "radio information not present in capture");
	case Q_LINK:
		s = xfer_to_x(st, inst);
		tmp = fg_stmt(st, BPF_LD | BPF_IND | (int)size);
		tmp->s.k = st->off_linkhdr;
		fg_sappend(s, tmp);
		fg_sappend(inst->s, s);
		break;
	case Q_IP: case Q_ARP: case Q_RARP: case Q_ATALK: case Q_DECNET: case Q_SCA:
	case Q_LAT: case Q_MOPRC: case Q_MOPDL: case Q_IPV6:
		s = xfer_to_x(st, inst);
		tmp = fg_stmt(st, BPF_LD | BPF_IND | (int)size);
		tmp->s.k = st->off_linkpl + st->off_nl;
		fg_sappend(s, tmp);
		fg_sappend(inst->s, s);
		b = fg_proto_abbrev(st, proto);
		if (inst->b)
			gen_and(inst->b, b);
		inst->b = b;
		break;
	case Q_SCTP: case Q_TCP: case Q_UDP: case Q_ICMP: case Q_IGMP: case Q_IGRP:
	case Q_PIM: case Q_VRRP: case Q_CARP:
		s = fg_loadx_iphdrlen(st);
		fg_sappend(s, xfer_to_a(st, inst));
		fg_sappend(s, fg_stmt(st, BPF_ALU | BPF_ADD | BPF_X));
		fg_sappend(s, fg_stmt(st, BPF_MISC | BPF_TAX));
		fg_sappend(s, tmp = fg_stmt(st, BPF_LD | BPF_IND | (int)size));
		tmp->s.k = st->off_linkpl + st->off_nl;
		fg_sappend(inst->s, s);
		gen_and(fg_proto_abbrev(st, proto), b = fg_ipfrag(st));
		if (inst->b)
			gen_and(inst->b, b);
		gen_and(fg_proto_abbrev(st, Q_IP), b);
		inst->b = b;
		break;
	case Q_ICMPV6:
		b = fg_proto_abbrev(st, Q_IPV6);
		if (inst->b)
			gen_and(inst->b, b);
		inst->b = b;
		b = fg_cmp(st, OR_LINKPL, 6, BPF_B, 58);
		if (inst->b)
			gen_and(inst->b, b);
		inst->b = b;
		s = xfer_to_x(st, inst);
		tmp = fg_stmt(st, BPF_LD | BPF_IND | (int)size);
		tmp->s.k = st->off_linkpl + st->off_nl + 40;
		fg_sappend(s, tmp);
		fg_sappend(inst->s, s);
		break;
	default:
		gerr(st, "unsupported index operation");
	}
	inst->regno = regno;
	s = fg_stmt(st, BPF_ST);
	s->s.k = (uint32_t)regno;
	fg_sappend(inst->s, s);
	return inst;
}

struct block *gen_relation(struct fstate *st, int code, struct arth *a0, struct arth *a1, int reversed)
{
	struct slist *s0 = xfer_to_x(st, a1), *s1 = xfer_to_a(st, a0), *s2;
	struct block *b, *tmp;
	if (code == BPF_JEQ) {
		s2 = fg_stmt(st, BPF_ALU | BPF_SUB | BPF_X);
		b = fg_block(st, JMP(code));
		fg_sappend(s1, s2);
	} else
		b = fg_block(st, BPF_JMP | code | BPF_X);
	if (reversed)
		gen_not(b);
	fg_sappend(s0, s1);
	fg_sappend(a1->s, s0);
	fg_sappend(a0->s, a1->s);
	b->stmts = a0->s;
	fg_free_reg(st, a0->regno);
	fg_free_reg(st, a1->regno);
	if (a0->b) {
		if (a1->b) {
			gen_and(a0->b, a1->b);
			tmp = a1->b;
		} else
			tmp = a0->b;
	} else
		tmp = a1->b;
	if (tmp)
		gen_and(tmp, b);
	return b;
}

struct arth *gen_arth(struct fstate *st, int code, struct arth *a0, struct arth *a1)
{
	if (code == BPF_DIV && a1->s->s.code == (BPF_LD | BPF_IMM) && a1->s->s.k == 0)
		gerr(st, "division by zero");
	if (code == BPF_MOD && a1->s->s.code == (BPF_LD | BPF_IMM) && a1->s->s.k == 0)
		gerr(st, "modulus by zero");
	if ((code == BPF_LSH || code == BPF_RSH) && a1->s->s.code == (BPF_LD | BPF_IMM) &&
	    a1->s->s.k > 31)
		gerr(st, "shift by more than 31 bits");
	if (a0->nops + a1->nops >= MAX_ARITH_OPS)
		gerr(st, "arithmetic expression too long (more than %d operators)", MAX_ARITH_OPS);
	a0->nops += a1->nops + 1;
	struct slist *s0 = xfer_to_x(st, a1), *s1 = xfer_to_a(st, a0);
	struct slist *s2 = fg_stmt(st, BPF_ALU | BPF_X | code);
	fg_sappend(s1, s2);
	fg_sappend(s0, s1);
	fg_sappend(a1->s, s0);
	fg_sappend(a0->s, a1->s);
	fg_free_reg(st, a0->regno);
	fg_free_reg(st, a1->regno);
	s0 = fg_stmt(st, BPF_ST);
	a0->regno = fg_alloc_reg(st);
	s0->s.k = (uint32_t)a0->regno;
	fg_sappend(a0->s, s0);
	/* libpcap keeps only a0's protocol checks here (a1's are dropped). */
	return a0;
}

struct arth *gen_neg(struct fstate *st, struct arth *a)
{
	struct slist *s = xfer_to_a(st, a);
	fg_sappend(a->s, s);
	s = fg_stmt(st, BPF_ALU | BPF_NEG);
	fg_sappend(a->s, s);
	s = fg_stmt(st, BPF_ST);
	s->s.k = (uint32_t)a->regno;
	fg_sappend(a->s, s);
	return a;
}

