/* fuzz_filter_prog.c — libFuzzer harness: raw BPF programs through the validator, then both VMs.
 *
 * Input: byte 0 bit 0 allows backward jumps (protochain's loop), byte 1 is
 * the instruction count n (1 to 64), then n instructions of 8 bytes (code
 * as 16 bits little-endian, jt, jf, k as 32 bits little-endian), and the
 * rest (up to 1,600 bytes) is the packet.  A program bpf_check accepts is
 * translated (xvm.c) and run at every caplen from 0 to the packet's length,
 * with the wire length both equal and larger; the result must be the
 * reference bpf_run's (vm.c), else abort.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "../../lib/filter/fint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bpf_insn p[64];
	if (size < 2)
		return 0;
	int back = data[0] & 1;
	unsigned n = data[1] % 64 + 1;
	if (size - 2 < (size_t)n * 8)
		return 0;
	const uint8_t *q = data + 2;
	int loops = 0;
	for (unsigned i = 0; i < n; i++, q += 8) {
		p[i].code = (uint16_t)(q[0] | q[1] << 8);
		p[i].jt = q[2];
		p[i].jf = q[3];
		p[i].k = (uint32_t)q[4] | (uint32_t)q[5] << 8 | (uint32_t)q[6] << 16 | (uint32_t)q[7] << 24;
		loops |= p[i].code == (BPF_JMP | BPF_JA) && p[i].k >= n - i - 1;
	}
	if (!bpf_check(p, n, back, NULL, 0))
		return 0;
	const uint8_t *pkt = q;
	uint32_t len = (uint32_t)(size - 2 - (size_t)n * 8);
	if (len > 1600)
		len = 1600;
	struct bpf_xprog *x = bpf_xlate(p, n);
	if (!x)
		return 0;
	/* a backward loop may run a million steps before the budget stops it */
	for (uint32_t c = loops ? len : 0; c <= len; c++)
		for (uint32_t w = 0; w < 2; w++)
			if (bpf_xrun(x, pkt, c, len + w * 1000) != bpf_run(p, n, pkt, c, len + w * 1000))
				abort();
	bpf_xfree(x);
	return 0;
}
