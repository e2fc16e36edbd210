/* dump.c — one instruction as text in tcpdump -d format (libpcap bpf_image). */
#include <stdio.h>
#include "fint.h"

void bpf_image(const struct bpf_insn *prog, int n, char *buf, size_t sz)
{
	const struct bpf_insn *p = &prog[n];
	const char *op, *fmt;
	uint32_t v = p->k;
	char operand[64];
	switch (p->code) {
	case BPF_RET | BPF_K: op = "ret"; fmt = "#%d"; break;
	case BPF_RET | BPF_A: op = "ret"; fmt = ""; break;
	case BPF_LD | BPF_W | BPF_ABS: op = "ld"; fmt = "[%d]"; break;
	case BPF_LD | BPF_H | BPF_ABS: op = "ldh"; fmt = "[%d]"; break;
	case BPF_LD | BPF_B | BPF_ABS: op = "ldb"; fmt = "[%d]"; break;
	case BPF_LD | BPF_W | BPF_LEN: op = "ld"; fmt = "#pktlen"; break;
	case BPF_LD | BPF_W | BPF_IND: op = "ld"; fmt = "[x + %d]"; break;
	case BPF_LD | BPF_H | BPF_IND: op = "ldh"; fmt = "[x + %d]"; break;
	case BPF_LD | BPF_B | BPF_IND: op = "ldb"; fmt = "[x + %d]"; break;
	case BPF_LD | BPF_IMM: op = "ld"; fmt = "#0x%x"; break;
	case BPF_LDX | BPF_IMM: op = "ldx"; fmt = "#0x%x"; break;
	case BPF_LDX | BPF_MSH | BPF_B: op = "ldxb"; fmt = "4*([%d]&0xf)"; break;
	case BPF_LD | BPF_MEM: op = "ld"; fmt = "M[%d]"; break;
	case BPF_LDX | BPF_MEM: op = "ldx"; fmt = "M[%d]"; break;
	case BPF_ST: op = "st"; fmt = "M[%d]"; break;
	case BPF_STX: op = "stx"; fmt = "M[%d]"; break;
	case BPF_JMP | BPF_JA: op = "ja"; fmt = "%d"; v = (uint32_t)n + 1 + p->k; break;
	case BPF_JMP | BPF_JGT | BPF_K: op = "jgt"; fmt = "#0x%x"; break;
	case BPF_JMP | BPF_JGE | BPF_K: op = "jge"; fmt = "#0x%x"; break;
	case BPF_JMP | BPF_JEQ | BPF_K: op = "jeq"; fmt = "#0x%x"; break;
	case BPF_JMP | BPF_JSET | BPF_K: op = "jset"; fmt = "#0x%x"; break;
	case BPF_JMP | BPF_JGT | BPF_X: op = "jgt"; fmt = "x"; break;
	case BPF_JMP | BPF_JGE | BPF_X: op = "jge"; fmt = "x"; break;
	case BPF_JMP | BPF_JEQ | BPF_X: op = "jeq"; fmt = "x"; break;
	case BPF_JMP | BPF_JSET | BPF_X: op = "jset"; fmt = "x"; break;
	case BPF_ALU | BPF_ADD | BPF_X: op = "add"; fmt = "x"; break;
	case BPF_ALU | BPF_SUB | BPF_X: op = "sub"; fmt = "x"; break;
	case BPF_ALU | BPF_MUL | BPF_X: op = "mul"; fmt = "x"; break;
	case BPF_ALU | BPF_DIV | BPF_X: op = "div"; fmt = "x"; break;
	case BPF_ALU | BPF_MOD | BPF_X: op = "mod"; fmt = "x"; break;
	case BPF_ALU | BPF_AND | BPF_X: op = "and"; fmt = "x"; break;
	case BPF_ALU | BPF_OR | BPF_X: op = "or"; fmt = "x"; break;
	case BPF_ALU | BPF_XOR | BPF_X: op = "xor"; fmt = "x"; break;
	case BPF_ALU | BPF_LSH | BPF_X: op = "lsh"; fmt = "x"; break;
	case BPF_ALU | BPF_RSH | BPF_X: op = "rsh"; fmt = "x"; break;
	case BPF_ALU | BPF_ADD | BPF_K: op = "add"; fmt = "#%d"; break;
	case BPF_ALU | BPF_SUB | BPF_K: op = "sub"; fmt = "#%d"; break;
	case BPF_ALU | BPF_MUL | BPF_K: op = "mul"; fmt = "#%d"; break;
	case BPF_ALU | BPF_DIV | BPF_K: op = "div"; fmt = "#%d"; break;
	case BPF_ALU | BPF_MOD | BPF_K: op = "mod"; fmt = "#%d"; break;
	case BPF_ALU | BPF_AND | BPF_K: op = "and"; fmt = "#0x%x"; break;
	case BPF_ALU | BPF_OR | BPF_K: op = "or"; fmt = "#0x%x"; break;
	case BPF_ALU | BPF_XOR | BPF_K: op = "xor"; fmt = "#0x%x"; break;
	case BPF_ALU | BPF_LSH | BPF_K: op = "lsh"; fmt = "#%d"; break;
	case BPF_ALU | BPF_RSH | BPF_K: op = "rsh"; fmt = "#%d"; break;
	case BPF_ALU | BPF_NEG: op = "neg"; fmt = ""; break;
	case BPF_MISC | BPF_TAX: op = "tax"; fmt = ""; break;
	case BPF_MISC | BPF_TXA: op = "txa"; fmt = ""; break;
	default: op = "unimp"; fmt = "0x%x"; v = p->code; break;
	}
	if (fmt[0] == '#' && fmt[1] == '0')
		snprintf(operand, sizeof operand, "#0x%x", v);
	else if (fmt[0] == '\0' || (fmt[0] == 'x' && fmt[1] == '\0') || fmt[1] == 'p')
		snprintf(operand, sizeof operand, "%s", fmt);
	else {
		/* every other format has one %d or %x */
		char f2[32];
		snprintf(f2, sizeof f2, "%s", fmt);
		if (fmt[0] == '4')
			snprintf(operand, sizeof operand, "4*([%d]&0xf)", (int)v);
		else if (fmt[0] == '[' && fmt[1] == 'x')
			snprintf(operand, sizeof operand, "[x + %d]", (int)v);
		else if (fmt[0] == '[')
			snprintf(operand, sizeof operand, "[%d]", (int)v);
		else if (fmt[0] == 'M')
			snprintf(operand, sizeof operand, "M[%d]", (int)v);
		else if (fmt[0] == '#')
			snprintf(operand, sizeof operand, "#%d", (int)v);
		else if (fmt[0] == '0')
			snprintf(operand, sizeof operand, "0x%x", v);
		else
			snprintf(operand, sizeof operand, "%d", (int)v);
	}
	if (BPF_CLASS(p->code) == BPF_JMP && BPF_OP(p->code) != BPF_JA)
		snprintf(buf, sz, "(%03d) %-8s %-16s jt %d\tjf %d", n, op, operand,
		         n + 1 + p->jt, n + 1 + p->jf);
	else
		snprintf(buf, sz, "(%03d) %-8s %s", n, op, operand);
}
