/* xvm.c — fast BPF interpreter: a validated program translated once into threaded code.
 *
 * bpf_xlate() turns a classic program that bpf_check accepts into an array
 * of pre-decoded instructions, one per classic instruction so that every
 * jump target keeps its index: each holds its handler's address
 * (computed goto), its jump targets as pointers, and its operands ready for
 * use (a load's offset plus its size, so the bounds check is one compare).
 * Where a load is followed by a conditional jump on a constant, optionally
 * with an "and #mask" between (the shape of nearly every field test the
 * compiler emits), the load's slot runs all of them at once; likewise
 * "ldxb 4*([k]&0xf)" followed by an indirect load, with or without the
 * test.  The slots after a fused one keep their own translation, since
 * other jumps may land on them.
 *
 * The results are those of bpf_run() (vm.c, the reference): a load past the
 * captured bytes returns 0, division by zero returns 0, every check is done
 * where it cannot wrap (offsets plus sizes are formed in 64 bits or proved
 * to fit at translation).  Programs that bpf_run() bounds by its instruction
 * budget (backward jumps, or longer than the budget), programs bpf_check
 * rejects, and builds without labels-as-values simply run through bpf_run().
 */
#include <stdlib.h>
#include <string.h>
#include "fint.h"

#define BUDGET (1u << 20)   /* vm.c's instruction budget */

struct xinsn {
	const void *h;                  /* handler */
	const struct xinsn *jt, *jf;    /* conditional targets (jt also for ja) */
	uint32_t k;                     /* offset, immediate, scratch index, operand */
	uint32_t lim;                   /* k + load size (fits: else the slot rejects) */
	uint32_t m;                     /* fused "and #m" (all ones: none) */
	uint32_t v;                     /* fused jump's constant */
	uint32_t k2, lim2;              /* the indirect load after an msh */
};

struct bpf_xprog {
	const struct bpf_insn *ref;     /* the classic program (owned by the caller) */
	unsigned n;
	int fast;                       /* translated (else run by bpf_run) */
	int usemem;                     /* the program reads scratch memory */
	struct xinsn code[];
};

#if defined(__GNUC__) && !defined(PK_NO_COMPUTED_GOTO)

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static uint32_t be16(const uint8_t *p) { return (uint32_t)p[0] << 8 | p[1]; }

/* The opcodes, listed once.  A fused slot is a load (absolute W/H/B,
 * indirect W/H/B, the wire length, or msh + indirect W/H/B), an optional
 * "and #m", and a test of A against a constant. */
#define FUSED4(L) X(L##_EQ) X(L##_GT) X(L##_GE) X(L##_SET)
#define XOPS(X) \
	X(REJECT) X(RET_K) X(RET_A) \
	X(LD_WA) X(LD_HA) X(LD_BA) X(LD_WI) X(LD_HI) X(LD_BI) X(LD_LEN) X(LDX_LEN) \
	X(LDX_MSH) X(LD_MW) X(LD_MH) X(LD_MB) \
	X(LD_IMM) X(LDX_IMM) X(LD_MEM) X(LDX_MEM) X(ST) X(STX) \
	X(JA) X(JGT_K) X(JGE_K) X(JEQ_K) X(JSET_K) X(JGT_X) X(JGE_X) X(JEQ_X) X(JSET_X) \
	X(ADD_X) X(SUB_X) X(MUL_X) X(DIV_X) X(MOD_X) X(AND_X) X(OR_X) X(XOR_X) X(LSH_X) X(RSH_X) \
	X(ADD_K) X(SUB_K) X(MUL_K) X(DIV_K) X(MOD_K) X(AND_K) X(OR_K) X(XOR_K) X(LSH_K) X(RSH_K) \
	X(NEG) X(TAX) X(TXA) \
	FUSED4(WA) FUSED4(HA) FUSED4(BA) FUSED4(WI) FUSED4(HI) FUSED4(BI) FUSED4(LEN) \
	FUSED4(MW) FUSED4(MH) FUSED4(MB)

#define X(name) OP_##name,
enum xop { XOPS(X) OP_N };
#undef X

/* The interpreter; called with tbl non-NULL it only hands out its handler
 * table, which the translator needs before anything can run. */
static uint32_t xrun(const struct bpf_xprog *xp, const uint8_t *p, uint32_t buflen,
                     uint32_t wirelen, const void *const **tbl)
{
#define X(name) &&L_##name,
	static const void *const handlers[OP_N] = { XOPS(X) };
#undef X
	if (tbl) {
		*tbl = handlers;
		return 0;
	}
	uint32_t A = 0, X = 0, mem[BPF_MEMWORDS];
	const struct xinsn *in = xp->code;
	if (xp->usemem)
		memset(mem, 0, sizeof mem);
#define NEXT goto *in->h
#define STEP do { in++; NEXT; } while (0)
	/* A branch, not a conditional move: the CPU then predicts the way and
	 * runs ahead, instead of waiting for the packet byte to choose the next
	 * handler (twice as fast on the long benchmark expression). */
#define BRANCH(cond) do { if (cond) { in = in->jt; NEXT; } in = in->jf; NEXT; } while (0)
	NEXT;

	/* the loads (the check: the last byte read lies inside the capture) */
#define LOAD_WA if (in->lim > buflen) return 0; A = be32(p + in->k)
#define LOAD_HA if (in->lim > buflen) return 0; A = be16(p + in->k)
#define LOAD_BA if (in->lim > buflen) return 0; A = p[in->k]
#define LOAD_WI if ((uint64_t)X + in->lim > buflen) return 0; A = be32(p + X + in->k)
#define LOAD_HI if ((uint64_t)X + in->lim > buflen) return 0; A = be16(p + X + in->k)
#define LOAD_BI if ((uint64_t)X + in->lim > buflen) return 0; A = p[X + in->k]
#define LOAD_LEN A = wirelen
#define MSH if (in->lim > buflen) return 0; X = (uint32_t)(p[in->k] & 0xf) << 2
#define LOAD_MW MSH; if ((uint64_t)X + in->lim2 > buflen) return 0; A = be32(p + X + in->k2)
#define LOAD_MH MSH; if ((uint64_t)X + in->lim2 > buflen) return 0; A = be16(p + X + in->k2)
#define LOAD_MB MSH; if ((uint64_t)X + in->lim2 > buflen) return 0; A = p[X + in->k2]
#define TEST(L, name, cond) \
	L_##L##_##name: LOAD_##L; A &= in->m; BRANCH(cond);
#define FUSED(L) TEST(L, EQ, A == in->v) TEST(L, GT, A > in->v) TEST(L, GE, A >= in->v) \
	TEST(L, SET, (A & in->v) != 0)
	FUSED(WA) FUSED(HA) FUSED(BA) FUSED(WI) FUSED(HI) FUSED(BI) FUSED(LEN)
	FUSED(MW) FUSED(MH) FUSED(MB)

L_REJECT: return 0;
L_RET_K: return in->k;
L_RET_A: return A;
L_LD_WA: LOAD_WA; STEP;
L_LD_HA: LOAD_HA; STEP;
L_LD_BA: LOAD_BA; STEP;
L_LD_WI: LOAD_WI; STEP;
L_LD_HI: LOAD_HI; STEP;
L_LD_BI: LOAD_BI; STEP;
L_LD_LEN: A = wirelen; STEP;
L_LDX_LEN: X = wirelen; STEP;
L_LDX_MSH: MSH; STEP;
L_LD_MW: LOAD_MW; in += 2; NEXT;
L_LD_MH: LOAD_MH; in += 2; NEXT;
L_LD_MB: LOAD_MB; in += 2; NEXT;
L_LD_IMM: A = in->k; STEP;
L_LDX_IMM: X = in->k; STEP;
L_LD_MEM: A = mem[in->k]; STEP;
L_LDX_MEM: X = mem[in->k]; STEP;
L_ST: mem[in->k] = A; STEP;
L_STX: mem[in->k] = X; STEP;
L_JA: in = in->jt; NEXT;
L_JGT_K: BRANCH(A > in->k);
L_JGE_K: BRANCH(A >= in->k);
L_JEQ_K: BRANCH(A == in->k);
L_JSET_K: BRANCH((A & in->k));
L_JGT_X: BRANCH(A > X);
L_JGE_X: BRANCH(A >= X);
L_JEQ_X: BRANCH(A == X);
L_JSET_X: BRANCH((A & X));
L_ADD_X: A += X; STEP;
L_SUB_X: A -= X; STEP;
L_MUL_X: A *= X; STEP;
L_DIV_X: if (X == 0) return 0; A /= X; STEP;
L_MOD_X: if (X == 0) return 0; A %= X; STEP;
L_AND_X: A &= X; STEP;
L_OR_X: A |= X; STEP;
L_XOR_X: A ^= X; STEP;
L_LSH_X: A = X < 32 ? A << X : 0; STEP;
L_RSH_X: A = X < 32 ? A >> X : 0; STEP;
L_ADD_K: A += in->k; STEP;
L_SUB_K: A -= in->k; STEP;
L_MUL_K: A *= in->k; STEP;
L_DIV_K: A /= in->k; STEP;      /* k != 0: translated as REJECT otherwise */
L_MOD_K: A %= in->k; STEP;
L_AND_K: A &= in->k; STEP;
L_OR_K: A |= in->k; STEP;
L_XOR_K: A ^= in->k; STEP;
L_LSH_K: A <<= in->k; STEP;     /* k < 32: translated as ld #0 otherwise */
L_RSH_K: A >>= in->k; STEP;
L_NEG: A = -A; STEP;
L_TAX: X = A; STEP;
L_TXA: A = X; STEP;
#undef NEXT
#undef STEP
#undef BRANCH
#undef TEST
#undef FUSED
#undef MSH
}

/* The plain translation of one classic instruction, or -1 for none (then
 * the reference's "unknown opcode": reject). */
static int plain_op(const struct bpf_insn *in)
{
	switch (in->code) {
	case BPF_RET | BPF_K: return OP_RET_K;
	case BPF_RET | BPF_A: return OP_RET_A;
	case BPF_LD | BPF_W | BPF_ABS: return OP_LD_WA;
	case BPF_LD | BPF_H | BPF_ABS: return OP_LD_HA;
	case BPF_LD | BPF_B | BPF_ABS: return OP_LD_BA;
	case BPF_LD | BPF_W | BPF_IND: return OP_LD_WI;
	case BPF_LD | BPF_H | BPF_IND: return OP_LD_HI;
	case BPF_LD | BPF_B | BPF_IND: return OP_LD_BI;
	case BPF_LD | BPF_W | BPF_LEN: return OP_LD_LEN;
	case BPF_LDX | BPF_W | BPF_LEN: return OP_LDX_LEN;
	case BPF_LDX | BPF_MSH | BPF_B: return OP_LDX_MSH;
	case BPF_LD | BPF_IMM: return OP_LD_IMM;
	case BPF_LDX | BPF_IMM: return OP_LDX_IMM;
	case BPF_LD | BPF_MEM: return OP_LD_MEM;
	case BPF_LDX | BPF_MEM: return OP_LDX_MEM;
	case BPF_ST: return OP_ST;
	case BPF_STX: return OP_STX;
	case BPF_JMP | BPF_JA: return OP_JA;
	case BPF_JMP | BPF_JGT | BPF_K: return OP_JGT_K;
	case BPF_JMP | BPF_JGE | BPF_K: return OP_JGE_K;
	case BPF_JMP | BPF_JEQ | BPF_K: return OP_JEQ_K;
	case BPF_JMP | BPF_JSET | BPF_K: return OP_JSET_K;
	case BPF_JMP | BPF_JGT | BPF_X: return OP_JGT_X;
	case BPF_JMP | BPF_JGE | BPF_X: return OP_JGE_X;
	case BPF_JMP | BPF_JEQ | BPF_X: return OP_JEQ_X;
	case BPF_JMP | BPF_JSET | BPF_X: return OP_JSET_X;
	case BPF_ALU | BPF_ADD | BPF_X: return OP_ADD_X;
	case BPF_ALU | BPF_SUB | BPF_X: return OP_SUB_X;
	case BPF_ALU | BPF_MUL | BPF_X: return OP_MUL_X;
	case BPF_ALU | BPF_DIV | BPF_X: return OP_DIV_X;
	case BPF_ALU | BPF_MOD | BPF_X: return OP_MOD_X;
	case BPF_ALU | BPF_AND | BPF_X: return OP_AND_X;
	case BPF_ALU | BPF_OR | BPF_X: return OP_OR_X;
	case BPF_ALU | BPF_XOR | BPF_X: return OP_XOR_X;
	case BPF_ALU | BPF_LSH | BPF_X: return OP_LSH_X;
	case BPF_ALU | BPF_RSH | BPF_X: return OP_RSH_X;
	case BPF_ALU | BPF_ADD | BPF_K: return OP_ADD_K;
	case BPF_ALU | BPF_SUB | BPF_K: return OP_SUB_K;
	case BPF_ALU | BPF_MUL | BPF_K: return OP_MUL_K;
	case BPF_ALU | BPF_DIV | BPF_K: return in->k ? OP_DIV_K : OP_REJECT;
	case BPF_ALU | BPF_MOD | BPF_K: return in->k ? OP_MOD_K : OP_REJECT;
	case BPF_ALU | BPF_AND | BPF_K: return OP_AND_K;
	case BPF_ALU | BPF_OR | BPF_K: return OP_OR_K;
	case BPF_ALU | BPF_XOR | BPF_K: return OP_XOR_K;
	case BPF_ALU | BPF_LSH | BPF_K: return in->k < 32 ? OP_LSH_K : OP_LD_IMM;
	case BPF_ALU | BPF_RSH | BPF_K: return in->k < 32 ? OP_RSH_K : OP_LD_IMM;
	case BPF_ALU | BPF_NEG: return OP_NEG;
	case BPF_MISC | BPF_TAX: return OP_TAX;
	case BPF_MISC | BPF_TXA: return OP_TXA;
	default: return OP_REJECT;
	}
}

/* Bytes a load reads (0: not a packet load). */
static unsigned load_size(int op)
{
	switch (op) {
	case OP_LD_WA: case OP_LD_WI: return 4;
	case OP_LD_HA: case OP_LD_HI: return 2;
	case OP_LD_BA: case OP_LD_BI: case OP_LDX_MSH: return 1;
	default: return 0;
	}
}

/* The fused family (its _EQ op) of a plain load, or -1. */
static int family(int op)
{
	switch (op) {
	case OP_LD_WA: return OP_WA_EQ;
	case OP_LD_HA: return OP_HA_EQ;
	case OP_LD_BA: return OP_BA_EQ;
	case OP_LD_WI: return OP_WI_EQ;
	case OP_LD_HI: return OP_HI_EQ;
	case OP_LD_BI: return OP_BI_EQ;
	case OP_LD_LEN: return OP_LEN_EQ;
	case OP_LD_MW: return OP_MW_EQ;
	case OP_LD_MH: return OP_MH_EQ;
	case OP_LD_MB: return OP_MB_EQ;
	default: return -1;
	}
}

/* Offset of a conditional jump-on-constant within a fused family, or -1. */
static int cond_of(const struct bpf_insn *in)
{
	switch (in->code) {
	case BPF_JMP | BPF_JEQ | BPF_K: return 0;
	case BPF_JMP | BPF_JGT | BPF_K: return 1;
	case BPF_JMP | BPF_JGE | BPF_K: return 2;
	case BPF_JMP | BPF_JSET | BPF_K: return 3;
	default: return -1;
	}
}

/* k + size when it fits in 32 bits (else the load can never succeed). */
static int limit(uint32_t k, unsigned size, uint32_t *lim)
{
	uint64_t l = (uint64_t)k + size;
	if (l > UINT32_MAX)
		return 0;
	*lim = (uint32_t)l;
	return 1;
}

static void translate(struct bpf_xprog *xp, const struct bpf_insn *p, unsigned n)
{
	const void *const *h;
	(void)xrun(NULL, NULL, 0, 0, &h);
	for (unsigned i = 0; i < n; i++) {
		struct xinsn *x = &xp->code[i];
		int op = plain_op(&p[i]);
		unsigned j = i + 1;        /* next classic instruction not absorbed */
		x->k = p[i].k;
		x->m = UINT32_MAX;
		x->jt = x->jf = &xp->code[i + 1 < n ? i + 1 : i];
		if (op == OP_LD_MEM || op == OP_LDX_MEM)
			xp->usemem = 1;
		if (op == OP_LD_MEM || op == OP_LDX_MEM || op == OP_ST || op == OP_STX)
			x->k &= BPF_MEMWORDS - 1;   /* as bpf_run indexes (bpf_check: k < 16) */
		if (op == OP_LD_IMM && p[i].code != (BPF_LD | BPF_IMM))
			x->k = 0;          /* a constant shift by 32 or more */
		if (op == OP_JA) {
			x->jt = &xp->code[i + 1 + p[i].k];
		} else if (BPF_CLASS(p[i].code) == BPF_JMP && op != OP_REJECT) {
			x->jt = &xp->code[i + 1 + p[i].jt];
			x->jf = &xp->code[i + 1 + p[i].jf];
		}
		if (load_size(op) && !limit(x->k, load_size(op), &x->lim))
			op = OP_REJECT;
		if (op == OP_LDX_MSH && j < n) {
			int ind = plain_op(&p[j]);
			if (ind == OP_LD_WI || ind == OP_LD_HI || ind == OP_LD_BI) {
				x->k2 = p[j].k;
				if (!limit(x->k2, load_size(ind), &x->lim2))
					op = OP_REJECT;   /* the indirect load always fails */
				else
					op = ind == OP_LD_WI ? OP_LD_MW : ind == OP_LD_HI ? OP_LD_MH : OP_LD_MB;
				j++;
			}
		}
		int fam = family(op);
		if (fam >= 0 && j < n) {
			uint32_t m = UINT32_MAX;
			unsigned t = j;
			if (p[t].code == (BPF_ALU | BPF_AND | BPF_K) && t + 1 < n) {
				m = p[t].k;
				t++;
			}
			int c = cond_of(&p[t]);
			if (c >= 0) {
				op = fam + c;
				x->m = m;
				x->v = p[t].k;
				x->jt = &xp->code[t + 1 + p[t].jt];
				x->jf = &xp->code[t + 1 + p[t].jf];
			}
		}
		x->h = h[op];
	}
}

struct bpf_xprog *bpf_xlate(const struct bpf_insn *p, unsigned n)
{
	/* bpf_check again: the translation trusts jump targets and indices */
	int fast = n > 0 && n <= BUDGET && bpf_check(p, n, 1, NULL, 0);
	for (unsigned i = 0; fast && i < n; i++)
		if (p[i].code == (BPF_JMP | BPF_JA) && p[i].k >= n - i - 1)
			fast = 0;   /* a backward jump (protochain): bpf_run counts its budget */
	struct bpf_xprog *xp = calloc(1, sizeof *xp + (fast ? n : 0) * sizeof xp->code[0]);
	if (!xp)
		return NULL;
	xp->ref = p;
	xp->n = n;
	xp->fast = fast;
	if (fast)
		translate(xp, p, n);
	return xp;
}

uint32_t bpf_xrun(const struct bpf_xprog *xp, const uint8_t *pkt, uint32_t buflen, uint32_t wirelen)
{
	if (!xp->fast)
		return bpf_run(xp->ref, xp->n, pkt, buflen, wirelen);
	return xrun(xp, pkt, buflen, wirelen, NULL);
}

#else   /* no labels as values (or PK_NO_COMPUTED_GOTO): the reference does the work */

struct bpf_xprog *bpf_xlate(const struct bpf_insn *p, unsigned n)
{
	struct bpf_xprog *xp = calloc(1, sizeof *xp);
	if (xp) {
		xp->ref = p;
		xp->n = n;
	}
	return xp;
}

uint32_t bpf_xrun(const struct bpf_xprog *xp, const uint8_t *pkt, uint32_t buflen, uint32_t wirelen)
{
	return bpf_run(xp->ref, xp->n, pkt, buflen, wirelen);
}

#endif

void bpf_xfree(struct bpf_xprog *xp) { free(xp); }
