/* opt.c — libpcap's BPF optimizer (optimize.c algorithm) and the flattener.
 *
 * The decisions must equal tcpdump's also on truncated packets, where a
 * removed load changes the outcome (reference §8.2), so this follows the
 * same algorithm step by step: value numbering with constant folding and
 * peephole rules per block, dead-store removal, jump threading along edge
 * dominators (opt_j/fold_edge), or/and pull-ups, then merging of equal
 * blocks and skipping a root whose branches agree.  The flattener lays the
 * graph out as libpcap's icode_to_fcode does (false subtree, true subtree,
 * then the block, from the end), adding long jumps when needed.
 */
#include <stdlib.h>
#include <string.h>
#include "fint.h"

#define NOP (-1)
#define AX_ATOM N_ATOMS
#define VAL_UNKNOWN 0
#define MODULUS 213
#define MAX_BLOCKS 8000
#define BITS 32

struct vmapinfo { int is_const; uint32_t const_val; };
struct valnode { int code; uint32_t v0, v1, val; struct valnode *next; };

#define SET_MEMBER(p, a) ((p)[(unsigned)(a) / BITS] & (1u << ((unsigned)(a) % BITS)))
#define SET_INSERT(p, a) ((p)[(unsigned)(a) / BITS] |= (1u << ((unsigned)(a) % BITS)))
#define ATOMMASK(n) (1u << (n))
#define ATOMELEM(d, n) ((d) & ATOMMASK(n))

static void set_intersect(uint32_t *a, const uint32_t *b, unsigned n) { while (n--) *a++ &= *b++; }

static int is_marked(struct fstate *st, struct block *p) { return p->mark == st->cur_mark; }
static void mark(struct fstate *st, struct block *p) { p->mark = st->cur_mark; }
static void unmark_all(struct fstate *st) { st->cur_mark++; }

static unsigned slength(struct slist *s)
{
	unsigned n = 0;
	for (; s; s = s->next)
		if (s->s.code != NOP)
			n++;
	return n;
}

/* ------------------------------------------------------------ analysis */

static void find_levels_r(struct fstate *st, struct block *p)
{
	int level;
	if (is_marked(st, p))
		return;
	mark(st, p);
	p->link = NULL;
	if (JT(p)) {
		find_levels_r(st, JT(p));
		find_levels_r(st, JF(p));
		level = (JT(p)->level > JF(p)->level ? JT(p)->level : JF(p)->level) + 1;
	} else
		level = 0;
	p->level = level;
	p->link = st->levels[level];
	st->levels[level] = p;
}

static void find_levels(struct fstate *st)
{
	memset(st->levels, 0, st->n_blocks * sizeof *st->levels);
	unmark_all(st);
	find_levels_r(st, st->root);
}

static void find_dom(struct fstate *st, struct block *root)
{
	for (unsigned i = 0; i < st->n_blocks; i++)
		memset(st->blocks[i]->dom, 0xff, st->nodewords * sizeof(uint32_t));
	memset(root->dom, 0, st->nodewords * sizeof(uint32_t));
	for (int i = root->level; i >= 0; --i)
		for (struct block *b = st->levels[i]; b; b = b->link) {
			SET_INSERT(b->dom, b->id);
			if (!JT(b))
				continue;
			set_intersect(JT(b)->dom, b->dom, st->nodewords);
			set_intersect(JF(b)->dom, b->dom, st->nodewords);
		}
}

static void propedom(struct fstate *st, struct edge *ep)
{
	SET_INSERT(ep->edom, ep->id);
	if (ep->succ) {
		set_intersect(ep->succ->et.edom, ep->edom, st->edgewords);
		set_intersect(ep->succ->ef.edom, ep->edom, st->edgewords);
	}
}

static void find_edom(struct fstate *st, struct block *root)
{
	for (unsigned i = 0; i < st->n_blocks; i++) {
		memset(st->blocks[i]->et.edom, 0xff, st->edgewords * sizeof(uint32_t));
		memset(st->blocks[i]->ef.edom, 0xff, st->edgewords * sizeof(uint32_t));
	}
	memset(root->et.edom, 0, st->edgewords * sizeof(uint32_t));
	memset(root->ef.edom, 0, st->edgewords * sizeof(uint32_t));
	for (int i = root->level; i >= 0; --i)
		for (struct block *b = st->levels[i]; b; b = b->link) {
			propedom(st, &b->et);
			propedom(st, &b->ef);
		}
}

static int atomuse(const struct stmt *s)
{
	int c = s->code;
	if (c == NOP)
		return -1;
	switch (BPF_CLASS(c)) {
	case BPF_RET:
		return BPF_RVAL(c) == BPF_A ? A_ATOM : BPF_RVAL(c) == BPF_X ? X_ATOM : -1;
	case BPF_LD: case BPF_LDX:
		return BPF_MODE(c) == BPF_IND ? X_ATOM : BPF_MODE(c) == BPF_MEM ? (int)s->k : -1;
	case BPF_ST:
		return A_ATOM;
	case BPF_STX:
		return X_ATOM;
	case BPF_JMP: case BPF_ALU:
		return BPF_SRC(c) == BPF_X ? AX_ATOM : A_ATOM;
	case BPF_MISC:
		return BPF_MISCOP(c) == BPF_TXA ? X_ATOM : A_ATOM;
	}
	return -1;
}

static int atomdef(const struct stmt *s)
{
	if (s->code == NOP)
		return -1;
	switch (BPF_CLASS(s->code)) {
	case BPF_LD: case BPF_ALU: return A_ATOM;
	case BPF_LDX: return X_ATOM;
	case BPF_ST: case BPF_STX: return (int)s->k;
	case BPF_MISC: return BPF_MISCOP(s->code) == BPF_TAX ? X_ATOM : A_ATOM;
	}
	return -1;
}

static void use_atom(int atom, atomset def, atomset *use)
{
	if (atom < 0)
		return;
	if (atom == AX_ATOM) {
		if (!ATOMELEM(def, X_ATOM)) *use |= ATOMMASK(X_ATOM);
		if (!ATOMELEM(def, A_ATOM)) *use |= ATOMMASK(A_ATOM);
	} else if (!ATOMELEM(def, atom))
		*use |= ATOMMASK(atom);
}

static void compute_local_ud(struct block *b)
{
	atomset def = 0, use = 0, killed = 0;
	for (struct slist *s = b->stmts; s; s = s->next) {
		if (s->s.code == NOP)
			continue;
		use_atom(atomuse(&s->s), def, &use);
		int atom = atomdef(&s->s);
		if (atom >= 0) {
			if (!ATOMELEM(use, atom))
				killed |= ATOMMASK(atom);
			def |= ATOMMASK(atom);
		}
	}
	if (BPF_CLASS(b->s.code) == BPF_JMP)
		use_atom(atomuse(&b->s), def, &use);
	b->def = def;
	b->kill = killed;
	b->in_use = use;
}

static void find_ud(struct fstate *st, struct block *root)
{
	int maxlevel = root->level;
	for (int i = maxlevel; i >= 0; --i)
		for (struct block *p = st->levels[i]; p; p = p->link) {
			compute_local_ud(p);
			p->out_use = 0;
		}
	for (int i = 1; i <= maxlevel; ++i)
		for (struct block *p = st->levels[i]; p; p = p->link) {
			p->out_use |= JT(p)->in_use | JF(p)->in_use;
			p->in_use |= p->out_use & ~p->kill;
		}
}

static void find_inedges(struct fstate *st, struct block *root)
{
	for (unsigned i = 0; i < st->n_blocks; i++)
		st->blocks[i]->in_edges = NULL;
	for (int i = root->level; i > 0; --i)
		for (struct block *b = st->levels[i]; b; b = b->link) {
			b->et.next = JT(b)->in_edges;
			JT(b)->in_edges = &b->et;
			b->ef.next = JF(b)->in_edges;
			JF(b)->in_edges = &b->ef;
		}
}

/* ------------------------------------------------------------ values */

static void init_val(struct fstate *st)
{
	st->curval = 0;
	st->next_vnode = st->vnode_base;
	memset(st->vmap, 0, st->maxval * sizeof *st->vmap);
	memset(st->hashtbl, 0, sizeof st->hashtbl);
}

static uint32_t F(struct fstate *st, int code, uint32_t v0, uint32_t v1)
{
	unsigned hash = ((unsigned)code ^ (v0 << 4) ^ (v1 << 8)) % MODULUS;
	for (struct valnode *p = st->hashtbl[hash]; p; p = p->next)
		if (p->code == code && p->v0 == v0 && p->v1 == v1)
			return p->val;
	if (st->curval + 1 >= st->maxval || st->next_vnode >= st->vnode_base + st->maxval)
		fz_error(st, -1, 0, "filter is too complex to optimize");
	uint32_t val = ++st->curval;
	if (BPF_MODE(code) == BPF_IMM && (BPF_CLASS(code) == BPF_LD || BPF_CLASS(code) == BPF_LDX)) {
		st->vmap[val].const_val = v0;
		st->vmap[val].is_const = 1;
	}
	struct valnode *p = st->next_vnode++;
	p->val = val;
	p->code = code;
	p->v0 = v0;
	p->v1 = v1;
	p->next = st->hashtbl[hash];
	st->hashtbl[hash] = p;
	return val;
}

#define K(k) F(st, BPF_LD | BPF_IMM | BPF_W, (k), 0)

static void vstore(struct stmt *s, uint32_t *valp, uint32_t newval, int alter)
{
	if (alter && newval != VAL_UNKNOWN && *valp == newval)
		s->code = NOP;
	else
		*valp = newval;
}

static void changed(struct fstate *st)
{
	st->done = 0;
	st->non_branch_movement = 1;
}

static void fold_op(struct fstate *st, struct stmt *s, uint32_t v0, uint32_t v1)
{
	uint32_t a = st->vmap[v0].const_val, b = st->vmap[v1].const_val;
	switch (BPF_OP(s->code)) {
	case BPF_ADD: a += b; break;
	case BPF_SUB: a -= b; break;
	case BPF_MUL: a *= b; break;
	case BPF_DIV:
		if (b == 0)
			fz_error(st, -1, 0, "division by zero");
		a /= b;
		break;
	case BPF_MOD:
		if (b == 0)
			fz_error(st, -1, 0, "modulus by zero");
		a %= b;
		break;
	case BPF_AND: a &= b; break;
	case BPF_OR: a |= b; break;
	case BPF_XOR: a ^= b; break;
	case BPF_LSH: a = b < 32 ? a << b : 0; break;
	case BPF_RSH: a = b < 32 ? a >> b : 0; break;
	default: break;
	}
	s->k = a;
	s->code = BPF_LD | BPF_IMM;
	changed(st);
}

static void opt_stmt(struct fstate *st, struct stmt *s, uint32_t val[], int alter)
{
	int op;
	uint32_t v;
	switch (s->code) {
	case BPF_LD | BPF_ABS | BPF_W: case BPF_LD | BPF_ABS | BPF_H: case BPF_LD | BPF_ABS | BPF_B:
		v = F(st, s->code, s->k, 0);
		vstore(s, &val[A_ATOM], v, alter);
		break;
	case BPF_LD | BPF_IND | BPF_W: case BPF_LD | BPF_IND | BPF_H: case BPF_LD | BPF_IND | BPF_B:
		v = val[X_ATOM];
		if (alter && st->vmap[v].is_const) {
			s->code = BPF_LD | BPF_ABS | BPF_SIZE(s->code);
			s->k += st->vmap[v].const_val;
			v = F(st, s->code, s->k, 0);
			changed(st);
		} else
			v = F(st, s->code, s->k, v);
		vstore(s, &val[A_ATOM], v, alter);
		break;
	case BPF_LD | BPF_LEN:
		v = F(st, s->code, 0, 0);
		vstore(s, &val[A_ATOM], v, alter);
		break;
	case BPF_LD | BPF_IMM:
		v = K(s->k);
		vstore(s, &val[A_ATOM], v, alter);
		break;
	case BPF_LDX | BPF_IMM:
		v = K(s->k);
		vstore(s, &val[X_ATOM], v, alter);
		break;
	case BPF_LDX | BPF_MSH | BPF_B:
		v = F(st, s->code, s->k, 0);
		vstore(s, &val[X_ATOM], v, alter);
		break;
	case BPF_ALU | BPF_NEG:
		if (alter && st->vmap[val[A_ATOM]].is_const) {
			s->code = BPF_LD | BPF_IMM;
			s->k = 0u - st->vmap[val[A_ATOM]].const_val;
			val[A_ATOM] = K(s->k);
		} else
			val[A_ATOM] = F(st, s->code, val[A_ATOM], 0);
		break;
	case BPF_ALU | BPF_ADD | BPF_K: case BPF_ALU | BPF_SUB | BPF_K: case BPF_ALU | BPF_MUL | BPF_K:
	case BPF_ALU | BPF_DIV | BPF_K: case BPF_ALU | BPF_MOD | BPF_K: case BPF_ALU | BPF_AND | BPF_K:
	case BPF_ALU | BPF_OR | BPF_K: case BPF_ALU | BPF_XOR | BPF_K: case BPF_ALU | BPF_LSH | BPF_K:
	case BPF_ALU | BPF_RSH | BPF_K:
		op = BPF_OP(s->code);
		if (alter) {
			if (s->k == 0) {
				if (op == BPF_ADD || op == BPF_LSH || op == BPF_RSH || op == BPF_OR ||
				    op == BPF_XOR) {
					s->code = NOP;
					break;
				}
				if (op == BPF_MUL || op == BPF_AND) {
					s->code = BPF_LD | BPF_IMM;
					val[A_ATOM] = K(s->k);
					break;
				}
				if (op == BPF_DIV)
					fz_error(st, -1, 0, "division by zero");
				if (op == BPF_MOD)
					fz_error(st, -1, 0, "modulus by zero");
			}
			if (st->vmap[val[A_ATOM]].is_const) {
				fold_op(st, s, val[A_ATOM], K(s->k));
				val[A_ATOM] = K(s->k);
				break;
			}
		}
		val[A_ATOM] = F(st, s->code, val[A_ATOM], K(s->k));
		break;
	case BPF_ALU | BPF_ADD | BPF_X: case BPF_ALU | BPF_SUB | BPF_X: case BPF_ALU | BPF_MUL | BPF_X:
	case BPF_ALU | BPF_DIV | BPF_X: case BPF_ALU | BPF_MOD | BPF_X: case BPF_ALU | BPF_AND | BPF_X:
	case BPF_ALU | BPF_OR | BPF_X: case BPF_ALU | BPF_XOR | BPF_X: case BPF_ALU | BPF_LSH | BPF_X:
	case BPF_ALU | BPF_RSH | BPF_X:
		op = BPF_OP(s->code);
		if (alter && st->vmap[val[X_ATOM]].is_const) {
			if (st->vmap[val[A_ATOM]].is_const) {
				fold_op(st, s, val[A_ATOM], val[X_ATOM]);
				val[A_ATOM] = K(s->k);
			} else {
				s->code = BPF_ALU | BPF_K | op;
				s->k = st->vmap[val[X_ATOM]].const_val;
				if ((op == BPF_LSH || op == BPF_RSH) && s->k > 31)
					fz_error(st, -1, 0, "shift by more than 31 bits");
				changed(st);
				val[A_ATOM] = F(st, s->code, val[A_ATOM], K(s->k));
			}
			break;
		}
		if (alter && st->vmap[val[A_ATOM]].is_const && st->vmap[val[A_ATOM]].const_val == 0) {
			if (op == BPF_ADD || op == BPF_OR || op == BPF_XOR) {
				s->code = BPF_MISC | BPF_TXA;
				vstore(s, &val[A_ATOM], val[X_ATOM], alter);
				break;
			} else if (op == BPF_MUL || op == BPF_DIV || op == BPF_MOD || op == BPF_AND ||
			           op == BPF_LSH || op == BPF_RSH) {
				s->code = BPF_LD | BPF_IMM;
				s->k = 0;
				vstore(s, &val[A_ATOM], K(s->k), alter);
				break;
			}
		}
		val[A_ATOM] = F(st, s->code, val[A_ATOM], val[X_ATOM]);
		break;
	case BPF_MISC | BPF_TXA:
		vstore(s, &val[A_ATOM], val[X_ATOM], alter);
		break;
	case BPF_LD | BPF_MEM:
		v = val[s->k];
		if (alter && st->vmap[v].is_const) {
			s->code = BPF_LD | BPF_IMM;
			s->k = st->vmap[v].const_val;
			changed(st);
		}
		vstore(s, &val[A_ATOM], v, alter);
		break;
	case BPF_MISC | BPF_TAX:
		vstore(s, &val[X_ATOM], val[A_ATOM], alter);
		break;
	case BPF_LDX | BPF_MEM:
		v = val[s->k];
		if (alter && st->vmap[v].is_const) {
			s->code = BPF_LDX | BPF_IMM;
			s->k = st->vmap[v].const_val;
			changed(st);
		}
		vstore(s, &val[X_ATOM], v, alter);
		break;
	case BPF_ST:
		vstore(s, &val[s->k], val[A_ATOM], alter);
		break;
	case BPF_STX:
		vstore(s, &val[s->k], val[X_ATOM], alter);
		break;
	}
}

static struct slist *this_op(struct slist *s)
{
	while (s && s->s.code == NOP)
		s = s->next;
	return s;
}

static void opt_not(struct block *b)
{
	struct block *tmp = JT(b);
	JT(b) = JF(b);
	JF(b) = tmp;
}

static void opt_peep(struct fstate *st, struct block *b)
{
	struct slist *s, *next, *last;
	uint32_t val;
	s = b->stmts;
	if (!s)
		return;
	last = s;
	for (;; s = next) {
		s = this_op(s);
		if (!s)
			break;
		next = this_op(s->next);
		if (!next)
			break;
		last = next;
		if (s->s.code == BPF_ST && next->s.code == (BPF_LDX | BPF_MEM) && s->s.k == next->s.k) {
			changed(st);
			next->s.code = BPF_MISC | BPF_TAX;
		}
		if (s->s.code == (BPF_LD | BPF_IMM) && next->s.code == (BPF_MISC | BPF_TAX)) {
			s->s.code = BPF_LDX | BPF_IMM;
			next->s.code = BPF_MISC | BPF_TXA;
			changed(st);
		}
		if (s->s.code == (BPF_LD | BPF_IMM)) {
			struct slist *add, *tax, *ild;
			if (ATOMELEM(b->out_use, X_ATOM))
				continue;
			if (next->s.code != (BPF_LDX | BPF_MSH | BPF_B))
				add = next;
			else
				add = this_op(next->next);
			if (!add || add->s.code != (BPF_ALU | BPF_ADD | BPF_X))
				continue;
			tax = this_op(add->next);
			if (!tax || tax->s.code != (BPF_MISC | BPF_TAX))
				continue;
			ild = this_op(tax->next);
			if (!ild || BPF_CLASS(ild->s.code) != BPF_LD || BPF_MODE(ild->s.code) != BPF_IND)
				continue;
			ild->s.k += s->s.k;
			s->s.code = NOP;
			add->s.code = NOP;
			tax->s.code = NOP;
			changed(st);
		}
	}
	if (b->s.code == (BPF_JMP | BPF_JEQ | BPF_K) && !ATOMELEM(b->out_use, A_ATOM)) {
		if (last->s.code == (BPF_ALU | BPF_SUB | BPF_X)) {
			val = b->val[X_ATOM];
			if (st->vmap[val].is_const) {
				b->s.k += st->vmap[val].const_val;
				last->s.code = NOP;
				changed(st);
			} else if (b->s.k == 0) {
				last->s.code = NOP;
				b->s.code = BPF_JMP | BPF_JEQ | BPF_X;
				changed(st);
			}
		} else if (last->s.code == (BPF_ALU | BPF_SUB | BPF_K)) {
			last->s.code = NOP;
			b->s.k += last->s.k;
			changed(st);
		} else if (last->s.code == (BPF_ALU | BPF_AND | BPF_K) && b->s.k == 0) {
			b->s.k = last->s.k;
			b->s.code = BPF_JMP | BPF_K | BPF_JSET;
			last->s.code = NOP;
			changed(st);
			opt_not(b);
		}
	}
	if (b->s.code == (BPF_JMP | BPF_K | BPF_JSET)) {
		if (b->s.k == 0)
			JT(b) = JF(b);
		if (b->s.k == 0xffffffffu)
			JF(b) = JT(b);
	}
	val = b->val[X_ATOM];
	if (st->vmap[val].is_const && BPF_SRC(b->s.code) == BPF_X) {
		b->s.code &= ~BPF_X;
		b->s.k = st->vmap[val].const_val;
	}
	val = b->val[A_ATOM];
	if (st->vmap[val].is_const && BPF_SRC(b->s.code) == BPF_K) {
		uint32_t v = st->vmap[val].const_val;
		switch (BPF_OP(b->s.code)) {
		case BPF_JEQ: v = v == b->s.k; break;
		case BPF_JGT: v = v > b->s.k; break;
		case BPF_JGE: v = v >= b->s.k; break;
		case BPF_JSET: v &= b->s.k; break;
		default: return;
		}
		if (JF(b) != JT(b))
			changed(st);
		if (v)
			JF(b) = JT(b);
		else
			JT(b) = JF(b);
	}
}

static void deadstmt(struct fstate *st, struct stmt *s, struct stmt *last[])
{
	int atom = atomuse(s);
	if (atom >= 0) {
		if (atom == AX_ATOM) {
			last[X_ATOM] = NULL;
			last[A_ATOM] = NULL;
		} else
			last[atom] = NULL;
	}
	atom = atomdef(s);
	if (atom >= 0) {
		if (last[atom]) {
			changed(st);
			last[atom]->code = NOP;
		}
		last[atom] = s;
	}
}

static void opt_deadstores(struct fstate *st, struct block *b)
{
	struct stmt *last[N_ATOMS];
	memset(last, 0, sizeof last);
	for (struct slist *s = b->stmts; s; s = s->next)
		deadstmt(st, &s->s, last);
	deadstmt(st, &b->s, last);
	for (int atom = 0; atom < N_ATOMS; ++atom)
		if (last[atom] && !ATOMELEM(b->out_use, atom)) {
			last[atom]->code = NOP;
			changed(st);
		}
}

static void opt_blk(struct fstate *st, struct block *b, int do_stmts)
{
	struct edge *p = b->in_edges;
	if (!p)
		memset(b->val, 0, sizeof b->val);
	else {
		memcpy(b->val, p->pred->val, sizeof b->val);
		while ((p = p->next) != NULL)
			for (int i = 0; i < N_ATOMS; ++i)
				if (b->val[i] != p->pred->val[i])
					b->val[i] = 0;
	}
	uint32_t aval = b->val[A_ATOM], xval = b->val[X_ATOM];
	for (struct slist *s = b->stmts; s; s = s->next)
		opt_stmt(st, &s->s, b->val, do_stmts);
	if (do_stmts &&
	    ((b->out_use == 0 && aval != VAL_UNKNOWN && b->val[A_ATOM] == aval &&
	      xval != VAL_UNKNOWN && b->val[X_ATOM] == xval) ||
	     BPF_CLASS(b->s.code) == BPF_RET)) {
		if (b->stmts) {
			b->stmts = NULL;
			changed(st);
		}
	} else {
		opt_peep(st, b);
		opt_deadstores(st, b);
	}
	if (BPF_SRC(b->s.code) == BPF_K)
		b->oval = (int)K(b->s.k);
	else
		b->oval = (int)b->val[X_ATOM];
	b->et.code = b->s.code;
	b->ef.code = -b->s.code;
}

static int use_conflict(struct block *b, struct block *succ)
{
	atomset use = succ->out_use;
	if (use == 0)
		return 0;
	for (int atom = 0; atom < N_ATOMS; ++atom)
		if (ATOMELEM(use, atom) && b->val[atom] != succ->val[atom])
			return 1;
	return 0;
}

static struct block *fold_edge(struct block *child, struct edge *ep)
{
	int sense, code = ep->code;
	if (code < 0) {
		code = -code;
		sense = 0;
	} else
		sense = 1;
	if (child->s.code != code)
		return NULL;
	uint32_t aval0 = child->val[A_ATOM], aval1 = ep->pred->val[A_ATOM];
	int oval0 = child->oval, oval1 = ep->pred->oval;
	if (aval0 != aval1)
		return NULL;
	if (oval0 == oval1)
		return sense ? JT(child) : JF(child);
	if (sense && code == (BPF_JMP | BPF_JEQ | BPF_K))
		return JF(child);
	return NULL;
}

static void opt_j(struct fstate *st, struct edge *ep)
{
	if (!JT(ep->succ))
		return;
	if (JT(ep->succ) == JF(ep->succ)) {
		if (!use_conflict(ep->pred, JT(ep->succ))) {
			st->non_branch_movement = 1;
			st->done = 0;
			ep->succ = JT(ep->succ);
		}
	}
top:
	for (unsigned i = 0; i < st->edgewords; ++i) {
		uint32_t x = ep->edom[i];
		while (x) {
			unsigned k = (unsigned)__builtin_ctz(x);
			x &= ~(1u << k);
			k += i * BITS;
			if (k >= st->n_edges)
				break;
			struct block *target = fold_edge(ep->succ, st->edges[k]);
			if (target && !use_conflict(ep->pred, target)) {
				st->done = 0;
				ep->succ = target;
				if (JT(target))
					goto top;
				return;
			}
		}
	}
}

static void or_pullup(struct fstate *st, struct block *b, int and)
{
	struct edge *ep = b->in_edges;
	struct block **diffp, **samep, *pull;
	int at_top;
	if (!ep)
		return;
	uint32_t val = ep->pred->val[A_ATOM];
	for (ep = ep->next; ep; ep = ep->next)
		if (val != ep->pred->val[A_ATOM])
			return;
	if (JT(b->in_edges->pred) == b)
		diffp = &JT(b->in_edges->pred);
	else
		diffp = &JF(b->in_edges->pred);
#define SAME(x) (and ? JF(x) : JT(x))
#define NEXT(x) (and ? &JT(x) : &JF(x))
	at_top = 1;
	for (;;) {
		if (!*diffp)
			return;
		if (SAME(*diffp) != SAME(b))
			return;
		if (!SET_MEMBER((*diffp)->dom, b->id))
			return;
		if ((*diffp)->val[A_ATOM] != val)
			break;
		diffp = NEXT(*diffp);
		at_top = 0;
	}
	samep = NEXT(*diffp);
	for (;;) {
		if (!*samep)
			return;
		if (SAME(*samep) != SAME(b))
			return;
		if (!SET_MEMBER((*samep)->dom, b->id))
			return;
		if ((*samep)->val[A_ATOM] == val)
			break;
		samep = NEXT(*samep);
	}
	pull = *samep;
	*samep = *NEXT(pull);
	*NEXT(pull) = *diffp;
	if (at_top) {
		for (ep = b->in_edges; ep; ep = ep->next) {
			if (JT(ep->pred) == b)
				JT(ep->pred) = pull;
			else
				JF(ep->pred) = pull;
		}
	} else
		*diffp = pull;
	st->done = 0;
#undef SAME
#undef NEXT
}

static void opt_blks(struct fstate *st, int do_stmts)
{
	init_val(st);
	int maxlevel = st->root->level;
	find_inedges(st, st->root);
	for (int i = maxlevel; i >= 0; --i)
		for (struct block *p = st->levels[i]; p; p = p->link)
			opt_blk(st, p, do_stmts);
	if (do_stmts)
		return;
	for (int i = 1; i <= maxlevel; ++i)
		for (struct block *p = st->levels[i]; p; p = p->link) {
			opt_j(st, &p->et);
			opt_j(st, &p->ef);
		}
	find_inedges(st, st->root);
	for (int i = 1; i <= maxlevel; ++i)
		for (struct block *p = st->levels[i]; p; p = p->link) {
			or_pullup(st, p, 0);
			or_pullup(st, p, 1);
		}
}

static void opt_loop(struct fstate *st, int do_stmts)
{
	int loop_count = 0;
	for (;;) {
		st->done = 1;
		st->non_branch_movement = 0;
		find_levels(st);
		find_dom(st, st->root);
		find_ud(st, st->root);
		find_edom(st, st->root);
		opt_blks(st, do_stmts);
		if (st->done)
			break;
		if (st->non_branch_movement)
			loop_count = 0;
		else if (++loop_count >= 100) {
			st->done = 1;
			break;
		}
	}
}

static unsigned count_blocks(struct fstate *st, struct block *p)
{
	if (!p || is_marked(st, p))
		return 0;
	mark(st, p);
	return count_blocks(st, JT(p)) + count_blocks(st, JF(p)) + 1;
}

static void number_blks_r(struct fstate *st, struct block *p)
{
	if (!p || is_marked(st, p))
		return;
	mark(st, p);
	unsigned n = st->n_blocks++;
	p->id = n;
	st->blocks[n] = p;
	number_blks_r(st, JT(p));
	number_blks_r(st, JF(p));
}

static void opt_init(struct fstate *st)
{
	unmark_all(st);
	unsigned n = count_blocks(st, st->root);
	if (n > MAX_BLOCKS)
		fz_error(st, -1, 0, "expression too complex: %u blocks (limit %u)", n, MAX_BLOCKS);
	st->blocks = fz_alloc(st, n * sizeof *st->blocks);
	unmark_all(st);
	st->n_blocks = 0;
	number_blks_r(st, st->root);
	st->n_edges = 2 * st->n_blocks;
	st->edges = fz_alloc(st, st->n_edges * sizeof *st->edges);
	st->levels = fz_alloc(st, st->n_blocks * sizeof *st->levels);
	st->edgewords = st->n_edges / BITS + 1;
	st->nodewords = st->n_blocks / BITS + 1;
	uint32_t *p = fz_alloc(st, ((size_t)st->n_blocks * st->nodewords +
	                            (size_t)st->n_edges * st->edgewords) * sizeof(uint32_t));
	for (unsigned i = 0; i < n; i++) {
		st->blocks[i]->dom = p;
		p += st->nodewords;
	}
	for (unsigned i = 0; i < n; i++) {
		struct block *b = st->blocks[i];
		b->et.edom = p;
		p += st->edgewords;
		b->ef.edom = p;
		p += st->edgewords;
		b->et.id = i;
		st->edges[i] = &b->et;
		b->ef.id = st->n_blocks + i;
		st->edges[st->n_blocks + i] = &b->ef;
		b->et.pred = b;
		b->ef.pred = b;
	}
	unsigned max_stmts = 0;
	for (unsigned i = 0; i < n; i++)
		max_stmts += slength(st->blocks[i]->stmts) + 1;
	st->maxval = 3 * max_stmts + 2;
	st->vmap = fz_alloc(st, st->maxval * sizeof *st->vmap);
	st->vnode_base = fz_alloc(st, st->maxval * sizeof *st->vnode_base);
}

static void make_marks(struct fstate *st, struct block *p)
{
	if (is_marked(st, p))
		return;
	mark(st, p);
	if (BPF_CLASS(p->s.code) != BPF_RET) {
		make_marks(st, JT(p));
		make_marks(st, JF(p));
	}
}

static int eq_slist(struct slist *x, struct slist *y)
{
	for (;;) {
		while (x && x->s.code == NOP)
			x = x->next;
		while (y && y->s.code == NOP)
			y = y->next;
		if (!x)
			return !y;
		if (!y)
			return !x;
		if (x->s.code != y->s.code || x->s.k != y->s.k)
			return 0;
		x = x->next;
		y = y->next;
	}
}

static int eq_blk(struct block *b0, struct block *b1)
{
	if (b0->s.code == b1->s.code && b0->s.k == b1->s.k && JT(b0) == JT(b1) && JF(b0) == JF(b1))
		return eq_slist(b0->stmts, b1->stmts);
	return 0;
}

static void intern_blocks(struct fstate *st)
{
	int done1;
	unsigned n = st->n_blocks;
top:
	done1 = 1;
	for (unsigned i = 0; i < n; ++i)
		st->blocks[i]->link = NULL;
	unmark_all(st);
	make_marks(st, st->root);
	for (unsigned i = n - 1; i != 0;) {
		--i;
		if (!is_marked(st, st->blocks[i]))
			continue;
		for (unsigned j = i + 1; j < n; ++j) {
			if (!is_marked(st, st->blocks[j]))
				continue;
			if (eq_blk(st->blocks[i], st->blocks[j])) {
				st->blocks[i]->link = st->blocks[j]->link ? st->blocks[j]->link : st->blocks[j];
				break;
			}
		}
	}
	for (unsigned i = 0; i < n; ++i) {
		struct block *p = st->blocks[i];
		if (!JT(p))
			continue;
		if (JT(p)->link) {
			done1 = 0;
			JT(p) = JT(p)->link;
		}
		if (JF(p)->link) {
			done1 = 0;
			JF(p) = JF(p)->link;
		}
	}
	if (!done1)
		goto top;
}

static void opt_root(struct block **b)
{
	struct slist *s = (*b)->stmts, *tmp;
	(*b)->stmts = NULL;
	while (BPF_CLASS((*b)->s.code) == BPF_JMP && JT(*b) == JF(*b))
		*b = JT(*b);
	tmp = (*b)->stmts;
	if (tmp) {
		if (s) {
			struct slist *e = s;
			while (e->next)
				e = e->next;
			e->next = tmp;
		} else
			s = tmp;
	}
	(*b)->stmts = s;
	if (BPF_CLASS((*b)->s.code) == BPF_RET)
		(*b)->stmts = NULL;
}

void opt_optimize(struct fstate *st)
{
	opt_init(st);
	opt_loop(st, 0);
	opt_loop(st, 1);
	intern_blocks(st);
	opt_root(&st->root);
	if (st->root->s.code == (BPF_RET | BPF_K) && st->root->s.k == 0)
		fz_error(st, -1, 0, "expression rejects all packets");
}

/* ------------------------------------------------------------ flatten */

static unsigned count_stmts(struct fstate *st, struct block *p)
{
	if (!p || is_marked(st, p))
		return 0;
	mark(st, p);
	unsigned n = count_stmts(st, JT(p)) + count_stmts(st, JF(p));
	return slength(p->stmts) + n + 1 + p->longjt + p->longjf;
}

/*
 * Lay out P and what follows it from the end of the program backwards.
 * A jump found too long for 8 bits gets a long-jump slot and the pass is
 * redone (st->flatten_again).  libpcap stops the pass at the first such
 * jump, which makes the layout quadratic in the number of long jumps; we
 * flag every one found in the pass.  The result is the same: jump
 * distances only grow as slots are added, so each flagged jump is long in
 * the final layout too, and the passes end at the same least set.
 */
static void convert_code_r(struct fstate *st, struct block *p, struct bpf_insn *fstart)
{
	if (!p || is_marked(st, p))
		return;
	mark(st, p);
	convert_code_r(st, JF(p), fstart);
	convert_code_r(st, JT(p), fstart);
	unsigned slen = slength(p->stmts);
	struct bpf_insn *dst = st->ftail -= (slen + 1 + p->longjt + p->longjf);
	p->offset = (int)(dst - fstart);
	/* statement list without NOPs, for block-local jumps (protochain) */
	struct slist **offset = slen ? fz_alloc(st, slen * sizeof *offset) : NULL;
	unsigned off = 0;
	for (struct slist *src = p->stmts; src && off < slen; src = src->next)
		offset[off++] = src;
	off = 0;
	for (struct slist *src = p->stmts; src; src = src->next) {
		if (src->s.code == NOP)
			continue;
		dst->code = (uint16_t)src->s.code;
		dst->k = src->s.k;
		if (BPF_CLASS(src->s.code) == BPF_JMP && src->s.code != (BPF_JMP | BPF_JA) &&
		    off != slen - 2) {
			int jt = 0, jf = 0;
			for (unsigned i = 0; i < slen; i++) {
				if (offset[i] == src->s.jt) {
					dst->jt = (uint8_t)(i - off - 1);
					jt++;
				}
				if (offset[i] == src->s.jf) {
					dst->jf = (uint8_t)(i - off - 1);
					jf++;
				}
			}
			if (!jt || !jf)
				fz_error(st, -1, 0, "internal error: no destination for block-local jump");
		}
		++dst;
		++off;
	}
	dst->code = (uint16_t)p->s.code;
	dst->k = p->s.k;
	if (JT(p)) {
		uint8_t extrajmps = 0;
		unsigned o = (unsigned)(JT(p)->offset - (p->offset + (int)slen) - 1);
		if (o >= 256 && p->longjt == 0) {
			p->longjt++;
			st->flatten_again = 1;
		} else if (o >= 256 && !st->flatten_again) {
			dst->jt = extrajmps;
			extrajmps++;
			dst[extrajmps].code = BPF_JMP | BPF_JA;
			dst[extrajmps].k = o - extrajmps;
		} else
			dst->jt = (uint8_t)o;
		o = (unsigned)(JF(p)->offset - (p->offset + (int)slen) - 1);
		if (o >= 256 && p->longjf == 0) {
			p->longjf++;
			st->flatten_again = 1;
		} else if (o >= 256 && !st->flatten_again) {
			dst->jf = extrajmps;
			extrajmps++;
			dst[extrajmps].code = BPF_JMP | BPF_JA;
			dst[extrajmps].k = o - extrajmps;
		} else
			dst->jf = (uint8_t)o;
	}
}

void opt_flatten(struct fstate *st)
{
	for (;;) {
		unmark_all(st);
		unsigned n = count_stmts(st, st->root);
		free(st->prog);
		st->prog = calloc(n ? n : 1, sizeof *st->prog);
		if (!st->prog)
			fz_error(st, -1, 0, "out of memory");
		st->plen = n;
		st->ftail = st->prog + n;
		unmark_all(st);
		st->flatten_again = 0;
		convert_code_r(st, st->root, st->prog);
		if (!st->flatten_again)
			break;
	}
}
