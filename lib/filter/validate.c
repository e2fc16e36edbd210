/* validate.c — reject malformed classic-BPF programs before they run.
 *
 * Checks every opcode is known, jumps land inside the program (forward
 * only, unless ALLOW_BACKWARD for protochain's loop), scratch indices are
 * below BPF_MEMWORDS, constant division/modulus by zero and constant
 * shifts of 32 or more are absent, and the last instruction is a return.
 */
#include <stdio.h>
#include "fint.h"

static int fail(char *why, size_t sz, unsigned i, const char *what)
{
	if (why && sz)
		snprintf(why, sz, "instruction %u: %s", i, what);
	return 0;
}

int bpf_check(const struct bpf_insn *p, unsigned n, int allow_backward, char *why, size_t sz)
{
	if (n == 0)
		return fail(why, sz, 0, "empty program");
	for (unsigned i = 0; i < n; i++) {
		const struct bpf_insn *in = &p[i];
		unsigned rest = n - i - 1;
		switch (BPF_CLASS(in->code)) {
		case BPF_LD: case BPF_LDX:
			switch (BPF_MODE(in->code)) {
			case BPF_IMM: case BPF_LEN:
				break;
			case BPF_ABS: case BPF_IND:
				if (BPF_CLASS(in->code) == BPF_LDX)
					return fail(why, sz, i, "bad load mode");
				if (BPF_SIZE(in->code) == 0x18)
					return fail(why, sz, i, "bad load size");
				break;
			case BPF_MSH:
				if (in->code != (BPF_LDX | BPF_MSH | BPF_B))
					return fail(why, sz, i, "bad msh load");
				break;
			case BPF_MEM:
				if (in->k >= BPF_MEMWORDS)
					return fail(why, sz, i, "scratch index out of range");
				break;
			default:
				return fail(why, sz, i, "bad load mode");
			}
			if (BPF_CLASS(in->code) == BPF_LDX && BPF_SIZE(in->code) != BPF_W &&
			    BPF_MODE(in->code) != BPF_MSH)
				return fail(why, sz, i, "bad ldx size");
			break;
		case BPF_ST: case BPF_STX:
			if (in->code != BPF_ST && in->code != BPF_STX)
				return fail(why, sz, i, "bad store");
			if (in->k >= BPF_MEMWORDS)
				return fail(why, sz, i, "scratch index out of range");
			break;
		case BPF_ALU:
			switch (BPF_OP(in->code)) {
			case BPF_ADD: case BPF_SUB: case BPF_MUL: case BPF_OR: case BPF_AND:
			case BPF_XOR: case BPF_NEG:
				break;
			case BPF_DIV: case BPF_MOD:
				if (BPF_SRC(in->code) == BPF_K && in->k == 0)
					return fail(why, sz, i, "constant division by zero");
				break;
			case BPF_LSH: case BPF_RSH:
				if (BPF_SRC(in->code) == BPF_K && in->k > 31)
					return fail(why, sz, i, "constant shift by more than 31");
				break;
			default:
				return fail(why, sz, i, "bad ALU operation");
			}
			if (BPF_OP(in->code) == BPF_NEG && in->code != (BPF_ALU | BPF_NEG))
				return fail(why, sz, i, "bad neg");
			break;
		case BPF_JMP:
			if (BPF_OP(in->code) == BPF_JA) {
				if (in->code != (BPF_JMP | BPF_JA))
					return fail(why, sz, i, "bad jump");
				if (in->k >= rest) {
					/* a backward jump: k is negative as a 32-bit value */
					int32_t back = (int32_t)in->k;
					if (!allow_backward || back >= 0 || (uint32_t)(-(int64_t)back) > i + 1)
						return fail(why, sz, i, "jump out of range");
				}
			} else {
				switch (BPF_OP(in->code)) {
				case BPF_JEQ: case BPF_JGT: case BPF_JGE: case BPF_JSET: break;
				default: return fail(why, sz, i, "bad jump");
				}
				if (in->jt >= rest || in->jf >= rest)
					return fail(why, sz, i, "jump out of range");
			}
			break;
		case BPF_RET:
			if (BPF_RVAL(in->code) != BPF_K && BPF_RVAL(in->code) != BPF_A)
				return fail(why, sz, i, "bad return");
			if (in->code != (BPF_RET | BPF_K) && in->code != (BPF_RET | BPF_A))
				return fail(why, sz, i, "bad return");
			break;
		case BPF_MISC:
			if (in->code != (BPF_MISC | BPF_TAX) && in->code != (BPF_MISC | BPF_TXA))
				return fail(why, sz, i, "bad misc");
			break;
		}
	}
	if (BPF_CLASS(p[n - 1].code) != BPF_RET)
		return fail(why, sz, n - 1, "program does not end with a return");
	return 1;
}
