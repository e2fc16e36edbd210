/* vm.c — classic BPF interpreter with libpcap's bpf_filter semantics.
 *
 * A load that does not fit in the captured bytes rejects the packet (returns
 * 0) at once, whatever the boolean context; every bounds check is written so
 * that it cannot wrap (k > len || n > len - k).  Runtime division or modulus
 * by zero rejects; shifts by 32 or more give 0.  Backward jumps (only
 * protochain emits them) are bounded by an instruction budget.
 */
#include "fint.h"

#define BUDGET (1u << 20)

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static uint32_t be16(const uint8_t *p) { return (uint32_t)p[0] << 8 | p[1]; }

uint32_t bpf_run(const struct bpf_insn *prog, unsigned n, const uint8_t *p,
                 uint32_t buflen, uint32_t wirelen)
{
	uint32_t A = 0, X = 0, k, mem[BPF_MEMWORDS] = { 0 };
	unsigned pc = 0, budget = BUDGET;
	while (pc < n && budget--) {
		const struct bpf_insn *in = &prog[pc++];
		k = in->k;
		switch (in->code) {
		case BPF_RET | BPF_K: return k;
		case BPF_RET | BPF_A: return A;
		case BPF_LD | BPF_W | BPF_ABS:
			if (k > buflen || 4 > buflen - k) return 0;
			A = be32(p + k); break;
		case BPF_LD | BPF_H | BPF_ABS:
			if (k > buflen || 2 > buflen - k) return 0;
			A = be16(p + k); break;
		case BPF_LD | BPF_B | BPF_ABS:
			if (k >= buflen) return 0;
			A = p[k]; break;
		case BPF_LD | BPF_W | BPF_LEN: A = wirelen; break;
		case BPF_LDX | BPF_W | BPF_LEN: X = wirelen; break;
		case BPF_LD | BPF_W | BPF_IND:
			if (k > buflen || X > buflen - k || 4 > buflen - k - X) return 0;
			A = be32(p + X + k); break;
		case BPF_LD | BPF_H | BPF_IND:
			if (k > buflen || X > buflen - k || 2 > buflen - k - X) return 0;
			A = be16(p + X + k); break;
		case BPF_LD | BPF_B | BPF_IND:
			if (k >= buflen || X >= buflen - k) return 0;
			A = p[X + k]; break;
		case BPF_LDX | BPF_MSH | BPF_B:
			if (k >= buflen) return 0;
			X = (uint32_t)(p[k] & 0xf) << 2; break;
		case BPF_LD | BPF_IMM: A = k; break;
		case BPF_LDX | BPF_IMM: X = k; break;
		case BPF_LD | BPF_MEM: A = mem[k & 15]; break;
		case BPF_LDX | BPF_MEM: X = mem[k & 15]; break;
		case BPF_ST: mem[k & 15] = A; break;
		case BPF_STX: mem[k & 15] = X; break;
		case BPF_JMP | BPF_JA: pc += k; break;   /* wraps for protochain's backward jump */
		case BPF_JMP | BPF_JGT | BPF_K: pc += A > k ? in->jt : in->jf; break;
		case BPF_JMP | BPF_JGE | BPF_K: pc += A >= k ? in->jt : in->jf; break;
		case BPF_JMP | BPF_JEQ | BPF_K: pc += A == k ? in->jt : in->jf; break;
		case BPF_JMP | BPF_JSET | BPF_K: pc += (A & k) ? in->jt : in->jf; break;
		case BPF_JMP | BPF_JGT | BPF_X: pc += A > X ? in->jt : in->jf; break;
		case BPF_JMP | BPF_JGE | BPF_X: pc += A >= X ? in->jt : in->jf; break;
		case BPF_JMP | BPF_JEQ | BPF_X: pc += A == X ? in->jt : in->jf; break;
		case BPF_JMP | BPF_JSET | BPF_X: pc += (A & X) ? in->jt : in->jf; break;
		case BPF_ALU | BPF_ADD | BPF_X: A += X; break;
		case BPF_ALU | BPF_SUB | BPF_X: A -= X; break;
		case BPF_ALU | BPF_MUL | BPF_X: A *= X; break;
		case BPF_ALU | BPF_DIV | BPF_X: if (X == 0) return 0; A /= X; break;
		case BPF_ALU | BPF_MOD | BPF_X: if (X == 0) return 0; A %= X; break;
		case BPF_ALU | BPF_AND | BPF_X: A &= X; break;
		case BPF_ALU | BPF_OR | BPF_X: A |= X; break;
		case BPF_ALU | BPF_XOR | BPF_X: A ^= X; break;
		case BPF_ALU | BPF_LSH | BPF_X: A = X < 32 ? A << X : 0; break;
		case BPF_ALU | BPF_RSH | BPF_X: A = X < 32 ? A >> X : 0; break;
		case BPF_ALU | BPF_ADD | BPF_K: A += k; break;
		case BPF_ALU | BPF_SUB | BPF_K: A -= k; break;
		case BPF_ALU | BPF_MUL | BPF_K: A *= k; break;
		case BPF_ALU | BPF_DIV | BPF_K: if (k == 0) return 0; A /= k; break;
		case BPF_ALU | BPF_MOD | BPF_K: if (k == 0) return 0; A %= k; break;
		case BPF_ALU | BPF_AND | BPF_K: A &= k; break;
		case BPF_ALU | BPF_OR | BPF_K: A |= k; break;
		case BPF_ALU | BPF_XOR | BPF_K: A ^= k; break;
		case BPF_ALU | BPF_LSH | BPF_K: A = k < 32 ? A << k : 0; break;
		case BPF_ALU | BPF_RSH | BPF_K: A = k < 32 ? A >> k : 0; break;
		case BPF_ALU | BPF_NEG: A = -A; break;
		case BPF_MISC | BPF_TAX: X = A; break;
		case BPF_MISC | BPF_TXA: A = X; break;
		default: return 0;
		}
	}
	return 0;
}
