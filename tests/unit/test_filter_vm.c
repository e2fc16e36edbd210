/* test_filter_vm.c — unit tests for the BPF validator and interpreter (validate.c, vm.c). */
#include <stdio.h>
#include <string.h>

#include "../../lib/filter/fint.h"
#include "unit.h"

#define I(c, t, f, k) { (uint16_t)(c), (uint8_t)(t), (uint8_t)(f), (uint32_t)(k) }
#define RETA I(BPF_RET | BPF_A, 0, 0, 0)

static const uint8_t pkt[8] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x48 };

/* Run a program that ends by returning A. */
static uint32_t run(const struct bpf_insn *p, unsigned n, uint32_t caplen)
{
	char why[128];
	if (!bpf_check(p, n, 0, why, sizeof why)) {
		fprintf(stderr, "# rejected: %s\n", why);
		return 0xdeadbeef;
	}
	return bpf_run(p, n, pkt, caplen, 100);
}

static int valid(const struct bpf_insn *p, unsigned n) { return bpf_check(p, n, 0, NULL, 0); }

static void validator(void)
{
	struct bpf_insn ok[] = { I(BPF_LD | BPF_IMM, 0, 0, 1), RETA };
	CHECK(valid(ok, 2));
	CHECK(!valid(ok, 0));                                         /* empty */
	struct bpf_insn noret[] = { I(BPF_LD | BPF_IMM, 0, 0, 1) };
	CHECK(!valid(noret, 1));                                      /* no final return */
	struct bpf_insn far[] = { I(JMP(BPF_JEQ), 5, 0, 0), RETA };
	CHECK(!valid(far, 2));                                        /* jt out of range */
	struct bpf_insn farf[] = { I(JMP(BPF_JEQ), 0, 1, 0), RETA };
	CHECK(!valid(farf, 2));                                       /* jf out of range */
	struct bpf_insn back[] = { I(BPF_LD | BPF_IMM, 0, 0, 1), I(BPF_JMP | BPF_JA, 0, 0, (uint32_t)-2), RETA };
	CHECK(!valid(back, 3));                                       /* backward jump */
	CHECK(bpf_check(back, 3, 1, NULL, 0));                        /* allowed for protochain */
	struct bpf_insn ja[] = { I(BPF_JMP | BPF_JA, 0, 0, 1), RETA };
	CHECK(!valid(ja, 2));
	struct bpf_insn mem[] = { I(BPF_ST, 0, 0, 16), RETA };
	CHECK(!valid(mem, 2));                                        /* scratch index */
	struct bpf_insn ldm[] = { I(BPF_LD | BPF_MEM, 0, 0, 99), RETA };
	CHECK(!valid(ldm, 2));
	struct bpf_insn div0[] = { I(BPF_ALU | BPF_DIV | BPF_K, 0, 0, 0), RETA };
	CHECK(!valid(div0, 2));                                       /* constant division by zero */
	struct bpf_insn mod0[] = { I(BPF_ALU | BPF_MOD | BPF_K, 0, 0, 0), RETA };
	CHECK(!valid(mod0, 2));
	struct bpf_insn sh[] = { I(BPF_ALU | BPF_LSH | BPF_K, 0, 0, 32), RETA };
	CHECK(!valid(sh, 2));
	struct bpf_insn bad[] = { I(0xffff, 0, 0, 0), RETA };
	CHECK(!valid(bad, 2));                                        /* unknown opcode */
	struct bpf_insn badalu[] = { I(BPF_ALU | 0xb0, 0, 0, 1), RETA };
	CHECK(!valid(badalu, 2));
	struct bpf_insn badret[] = { I(BPF_RET | 0x18, 0, 0, 0) };
	CHECK(!valid(badret, 1));
}

static void loads_and_bounds(void)
{
	struct bpf_insn w[] = { I(BPF_LD | BPF_W | BPF_ABS, 0, 0, 4), RETA };
	CHECK_EQ_INT(run(w, 2, 8), 0x05060748);
	CHECK_EQ_INT(run(w, 2, 7), 0);                                /* 4 bytes at 4 need 8 */
	w[0].k = 0xfffffffe;                                          /* k + 4 wraps: still rejected */
	CHECK_EQ_INT(run(w, 2, 8), 0);
	struct bpf_insn h[] = { I(BPF_LD | BPF_H | BPF_ABS, 0, 0, 6), RETA };
	CHECK_EQ_INT(run(h, 2, 8), 0x0748);
	CHECK_EQ_INT(run(h, 2, 7), 0);
	h[0].k = 0xffffffff;
	CHECK_EQ_INT(run(h, 2, 8), 0);
	struct bpf_insn b[] = { I(BPF_LD | BPF_B | BPF_ABS, 0, 0, 7), RETA };
	CHECK_EQ_INT(run(b, 2, 8), 0x48);
	CHECK_EQ_INT(run(b, 2, 7), 0);
	/* indirect: X + k, huge X rejected without wrap */
	struct bpf_insn ind[] = { I(BPF_LDX | BPF_IMM, 0, 0, 2), I(BPF_LD | BPF_H | BPF_IND, 0, 0, 1), RETA };
	CHECK_EQ_INT(run(ind, 3, 8), 0x0405);
	ind[0].k = 0xffffffff;
	CHECK_EQ_INT(run(ind, 3, 8), 0);
	struct bpf_insn indw[] = { I(BPF_LDX | BPF_IMM, 0, 0, 4), I(BPF_LD | BPF_W | BPF_IND, 0, 0, 0), RETA };
	CHECK_EQ_INT(run(indw, 3, 8), 0x05060748);
	CHECK_EQ_INT(run(indw, 3, 7), 0);
	struct bpf_insn indb[] = { I(BPF_LDX | BPF_IMM, 0, 0, 3), I(BPF_LD | BPF_B | BPF_IND, 0, 0, 4), RETA };
	CHECK_EQ_INT(run(indb, 3, 8), 0x48);
	CHECK_EQ_INT(run(indb, 3, 7), 0);
	indb[0].k = 0xfffffffd;   /* X + k wraps to 1: rejected */
	CHECK_EQ_INT(run(indb, 3, 8), 0);
	/* msh: X = 4 * (p[k] & 0xf) */
	struct bpf_insn msh[] = { I(BPF_LDX | BPF_MSH | BPF_B, 0, 0, 7), I(BPF_MISC | BPF_TXA, 0, 0, 0), RETA };
	CHECK_EQ_INT(run(msh, 3, 8), 32);
	CHECK_EQ_INT(run(msh, 3, 7), 0);
	struct bpf_insn len[] = { I(BPF_LD | BPF_W | BPF_LEN, 0, 0, 0), RETA };
	CHECK_EQ_INT(run(len, 2, 0), 100);                            /* wire length, never out of bounds */
	struct bpf_insn xlen[] = { I(BPF_LDX | BPF_W | BPF_LEN, 0, 0, 0), I(BPF_MISC | BPF_TXA, 0, 0, 0), RETA };
	CHECK_EQ_INT(run(xlen, 3, 0), 100);
	struct bpf_insn m[] = { I(BPF_LD | BPF_IMM, 0, 0, 7), I(BPF_ST, 0, 0, 3), I(BPF_LDX | BPF_IMM, 0, 0, 9),
		I(BPF_STX, 0, 0, 4), I(BPF_LD | BPF_MEM, 0, 0, 4), I(BPF_LDX | BPF_MEM, 0, 0, 3),
		I(BPF_ALU | BPF_SUB | BPF_X, 0, 0, 0), RETA };
	CHECK_EQ_INT(run(m, 8, 8), 2);
	struct bpf_insn rk[] = { I(BPF_RET | BPF_K, 0, 0, 262144) };
	CHECK_EQ_INT(run(rk, 1, 0), 262144);
}

static uint32_t alu(int op, int src, uint32_t a, uint32_t x)
{
	struct bpf_insn p[] = { I(BPF_LD | BPF_IMM, 0, 0, a), I(BPF_LDX | BPF_IMM, 0, 0, x),
		I(BPF_ALU | op | src, 0, 0, x), RETA };
	return bpf_run(p, 4, pkt, 8, 8);   /* not validated: K forms with 0 are tested raw */
}

static void arithmetic(void)
{
	for (int s = 0; s <= BPF_X; s += BPF_X) {
		CHECK_EQ_INT(alu(BPF_ADD, s, 0xffffffff, 2), 1);
		CHECK_EQ_INT(alu(BPF_SUB, s, 0, 1), 0xffffffff);
		CHECK_EQ_INT(alu(BPF_MUL, s, 0x10000, 0x10000), 0);
		CHECK_EQ_INT(alu(BPF_DIV, s, 7, 2), 3);
		CHECK_EQ_INT(alu(BPF_DIV, s, 7, 0), 0);                   /* runtime /0 rejects */
		CHECK_EQ_INT(alu(BPF_MOD, s, 7, 4), 3);
		CHECK_EQ_INT(alu(BPF_MOD, s, 7, 0), 0);
		CHECK_EQ_INT(alu(BPF_AND, s, 0xf0f0, 0xff00), 0xf000);
		CHECK_EQ_INT(alu(BPF_OR, s, 0xf0, 0x0f), 0xff);
		CHECK_EQ_INT(alu(BPF_XOR, s, 0xff, 0x0f), 0xf0);
		CHECK_EQ_INT(alu(BPF_LSH, s, 1, 31), 0x80000000);
		CHECK_EQ_INT(alu(BPF_LSH, s, 1, 32), 0);                  /* shift >= 32 gives 0 */
		CHECK_EQ_INT(alu(BPF_RSH, s, 0x80000000, 31), 1);
		CHECK_EQ_INT(alu(BPF_RSH, s, 0x80000000, 40), 0);
	}
	struct bpf_insn neg[] = { I(BPF_LD | BPF_IMM, 0, 0, 1), I(BPF_ALU | BPF_NEG, 0, 0, 0), RETA };
	CHECK_EQ_INT(run(neg, 3, 8), 0xffffffff);
	struct bpf_insn tax[] = { I(BPF_LD | BPF_IMM, 0, 0, 5), I(BPF_MISC | BPF_TAX, 0, 0, 0),
		I(BPF_LD | BPF_IMM, 0, 0, 0), I(BPF_MISC | BPF_TXA, 0, 0, 0), RETA };
	CHECK_EQ_INT(run(tax, 5, 8), 5);
}

static uint32_t jump(int op, int src, uint32_t a, uint32_t k)
{
	struct bpf_insn p[] = { I(BPF_LD | BPF_IMM, 0, 0, a), I(BPF_LDX | BPF_IMM, 0, 0, k),
		I(BPF_JMP | op | src, 0, 1, k), I(BPF_RET | BPF_K, 0, 0, 1), I(BPF_RET | BPF_K, 0, 0, 2) };
	return run(p, 5, 8);
}

static void jumps(void)
{
	for (int s = 0; s <= BPF_X; s += BPF_X) {
		CHECK_EQ_INT(jump(BPF_JEQ, s, 5, 5), 1);
		CHECK_EQ_INT(jump(BPF_JEQ, s, 5, 6), 2);
		CHECK_EQ_INT(jump(BPF_JGT, s, 6, 5), 1);
		CHECK_EQ_INT(jump(BPF_JGT, s, 5, 5), 2);
		CHECK_EQ_INT(jump(BPF_JGE, s, 5, 5), 1);
		CHECK_EQ_INT(jump(BPF_JGE, s, 4, 5), 2);
		CHECK_EQ_INT(jump(BPF_JSET, s, 6, 2), 1);
		CHECK_EQ_INT(jump(BPF_JSET, s, 6, 1), 2);
		CHECK_EQ_INT(jump(BPF_JGT, s, 0, 0xffffffff), 2);            /* unsigned */
	}
	struct bpf_insn ja[] = { I(BPF_JMP | BPF_JA, 0, 0, 1), I(BPF_RET | BPF_K, 0, 0, 1), I(BPF_RET | BPF_K, 0, 0, 2) };
	CHECK_EQ_INT(run(ja, 3, 8), 2);
	/* a backward loop is bounded by the budget and rejects */
	struct bpf_insn loop[] = { I(BPF_JMP | BPF_JA, 0, 0, (uint32_t)-1), I(BPF_RET | BPF_K, 0, 0, 1) };
	CHECK(bpf_check(loop, 2, 1, NULL, 0));
	CHECK_EQ_INT(bpf_run(loop, 2, pkt, 8, 8), 0);
}

static void dump_format(void)
{
	struct bpf_insn p[] = { I(BPF_LD | BPF_H | BPF_ABS, 0, 0, 12), I(JMP(BPF_JEQ), 0, 1, 0x800),
		I(BPF_LDX | BPF_MSH | BPF_B, 0, 0, 14), I(BPF_LD | BPF_B | BPF_IND, 0, 0, 14),
		I(BPF_RET | BPF_K, 0, 0, 262144), I(BPF_MISC | BPF_TAX, 0, 0, 0) };
	char buf[128];
	bpf_image(p, 0, buf, sizeof buf);
	CHECK_EQ_STR(buf, "(000) ldh      [12]");
	bpf_image(p, 1, buf, sizeof buf);
	CHECK_EQ_STR(buf, "(001) jeq      #0x800           jt 2\tjf 3");
	bpf_image(p, 2, buf, sizeof buf);
	CHECK_EQ_STR(buf, "(002) ldxb     4*([14]&0xf)");
	bpf_image(p, 3, buf, sizeof buf);
	CHECK_EQ_STR(buf, "(003) ldb      [x + 14]");
	bpf_image(p, 4, buf, sizeof buf);
	CHECK_EQ_STR(buf, "(004) ret      #262144");
	bpf_image(p, 5, buf, sizeof buf);
	CHECK_EQ_STR(buf, "(005) tax      ");
}

UNIT_MAIN(U(validator), U(loads_and_bounds), U(arithmetic), U(jumps), U(dump_format))
