/* test_filter_xvm.c — the translated interpreter (xvm.c) against the reference VM (vm.c).
 *
 * Both must return the same value for every program and packet, so the
 * reference bpf_run is the oracle: (1) every expression of
 * tests/filter_exprs.txt compiled, optimized and not, for the link type of
 * each test capture, run over that capture's packets cut at every length;
 * (2) random programs (biased to the shapes the translator fuses, plus raw
 * random opcodes) that bpf_check accepts, over random and real packets at
 * every length.  A handful of hand-written cases pin the edges.  Real
 * packets are cut at every length up to 80 bytes (the headers) and then
 * every 16th; PK_XVM_FULL=1 in the environment tries every length.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/filter/fint.h"
#include "pcapkit/reader.h"
#include "unit.h"

#define I(c, t, f, k) { (uint16_t)(c), (uint8_t)(t), (uint8_t)(f), (uint32_t)(k) }

static unsigned long runs;
static int full;   /* PK_XVM_FULL set: every caplen of every packet */

/* Same verdict from both VMs for one packet cut at each length from `from`
 * to caplen (all of them when every, else up to 80 bytes and every 16th
 * after); 0 on a mismatch. */
static int same_at_all_lengths(const struct bpf_insn *p, unsigned n, const struct bpf_xprog *x,
                               const uint8_t *d, uint32_t from, uint32_t caplen, uint32_t wirelen,
                               int every)
{
	for (uint32_t c = from; c <= caplen; c++) {
		if (!every && !full && c > 80 && c % 16 && c != caplen)
			continue;
		uint32_t a = bpf_run(p, n, d, c, wirelen), b = bpf_xrun(x, d, c, wirelen);
		runs++;
		if (a != b) {
			fprintf(stderr, "# caplen %u of %u: bpf_run %u, bpf_xrun %u\n", c, caplen, a, b);
			return 0;
		}
	}
	return 1;
}

struct pkt { uint32_t caplen, len; uint8_t *d; };
struct cap { const char *path; int cut /* try shorter lengths */, linktype, big_endian; struct pkt *v; size_t n; };

static struct cap caps[] = {
	{ "testdata/filter/filter-eth.pcap", 1, 0, 0, NULL, 0 },
	{ "testdata/filter/filter-loop.pcap", 1, 0, 0, NULL, 0 },
	{ "testdata/filter/filter-null-be.pcap", 1, 0, 0, NULL, 0 },
	{ "testdata/filter/filter-null.pcap", 1, 0, 0, NULL, 0 },
	{ "testdata/filter/filter-raw.pcap", 1, 0, 0, NULL, 0 },
	{ "testdata/filter/filter-sll.pcap", 1, 0, 0, NULL, 0 },
	{ "testdata/filter/filter-sll2.pcap", 1, 0, 0, NULL, 0 },
	{ "testdata/filter/filter-trunc.pcap", 0, 0, 0, NULL, 0 },
	{ "testdata/hostile-packets.pcap", 1, 0, 0, NULL, 0 },
	{ "testdata/core-vlan.pcap", 1, 0, 0, NULL, 0 },
};
#define NCAPS (sizeof caps / sizeof caps[0])

static int load(struct cap *c)
{
	char err[PK_ERRBUF];
	struct pk_reader *r = pk_reader_open(c->path, err);
	struct pk_pkthdr h;
	const uint8_t *d;
	size_t cap = 0;
	if (!r) {
		fprintf(stderr, "# %s\n", err);
		return 0;
	}
	c->linktype = pk_reader_info(r)->linktype;
	c->big_endian = pk_reader_info(r)->big_endian;
	while (pk_reader_next(r, &h, &d) == 1) {
		if (c->n == cap) {
			cap = cap ? 2 * cap : 64;
			c->v = realloc(c->v, cap * sizeof *c->v);
		}
		struct pkt *k = &c->v[c->n++];
		k->caplen = h.caplen;
		k->len = h.len;
		k->d = malloc(h.caplen ? h.caplen : 1);
		memcpy(k->d, d, h.caplen);
	}
	pk_reader_close(r);
	return c->n > 0;
}

/* (1): every table expression on every capture of its link type. */
static void table_programs(void)
{
	FILE *fp = fopen("tests/filter_exprs.txt", "r");
	full = getenv("PK_XVM_FULL") != NULL;
	char line[4096];
	unsigned long bad = 0, compiled = 0;
	CHECK(fp != NULL);
	if (!fp)
		return;
	for (size_t i = 0; i < NCAPS; i++)
		CHECK(load(&caps[i]));
	while (fgets(line, sizeof line, fp)) {
		line[strcspn(line, "\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		for (size_t i = 0; i < NCAPS; i++) {
			struct cap *c = &caps[i];
			for (unsigned fl = 0; fl < 2; fl++) {
				unsigned flags = (fl ? PK_FILTER_NOOPT : 0) |
				                 (c->big_endian ? PK_FILTER_NULL_BE : 0);
				struct pk_filter *f = pk_filter_compile_ex(line, c->linktype, 262144, flags, NULL);
				if (!f)
					continue;
				unsigned n;
				const struct bpf_insn *p = bpf_prog_of(f, &n);
				struct bpf_xprog *x = bpf_xlate(p, n);
				compiled++;
				for (size_t j = 0; x && j < c->n; j++)
					if (!same_at_all_lengths(p, n, x, c->v[j].d, c->cut || full ? 0 : c->v[j].caplen,
					                         c->v[j].caplen, c->v[j].len, 0)) {
						if (bad++ < 5)
							fprintf(stderr, "# %s, packet %zu, flags %u: \"%s\"\n",
							        c->path, j + 1, flags, line);
						break;
					}
				CHECK(x != NULL);
				bpf_xfree(x);
				pk_filter_free(f);
			}
		}
	}
	fclose(fp);
	fprintf(stderr, "# table: %lu programs compiled, %lu runs each side, %lu mismatches\n",
	        compiled, runs, bad);
	CHECK(compiled > 2000);
	CHECK_EQ_INT(bad, 0);
}

/* ---- (2) random programs ---- */

static uint64_t rng = 0x9e3779b97f4a7c15u;
static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

/* Offsets and constants near the edges that matter. */
static uint32_t some_k(void)
{
	static const uint32_t edge[] = { 0, 1, 2, 3, 4, 12, 14, 20, 23, 0x800, 0x86dd, 0xff000000,
		0x1fff, 0x7fffffff, 0x80000000, 0xfffffffc, 0xfffffffd, 0xfffffffe, 0xffffffff, 31, 32 };
	switch (rnd() % 4) {
	case 0: return edge[rnd() % (sizeof edge / sizeof edge[0])];
	case 1: return rnd();
	default: return rnd() % 80;
	}
}

static const uint16_t loads[] = {
	BPF_LD | BPF_W | BPF_ABS, BPF_LD | BPF_H | BPF_ABS, BPF_LD | BPF_B | BPF_ABS,
	BPF_LD | BPF_W | BPF_IND, BPF_LD | BPF_H | BPF_IND, BPF_LD | BPF_B | BPF_IND,
	BPF_LD | BPF_W | BPF_LEN, BPF_LDX | BPF_MSH | BPF_B,
};
static const uint16_t others[] = {
	BPF_LD | BPF_IMM, BPF_LDX | BPF_IMM, BPF_LD | BPF_MEM, BPF_LDX | BPF_MEM, BPF_ST, BPF_STX,
	BPF_LDX | BPF_W | BPF_LEN, BPF_MISC | BPF_TAX, BPF_MISC | BPF_TXA, BPF_ALU | BPF_NEG,
	BPF_JMP | BPF_JA, BPF_RET | BPF_K, BPF_RET | BPF_A,
	BPF_ALU | BPF_ADD | BPF_K, BPF_ALU | BPF_SUB | BPF_K, BPF_ALU | BPF_MUL | BPF_K,
	BPF_ALU | BPF_DIV | BPF_K, BPF_ALU | BPF_MOD | BPF_K, BPF_ALU | BPF_AND | BPF_K,
	BPF_ALU | BPF_OR | BPF_K, BPF_ALU | BPF_XOR | BPF_K, BPF_ALU | BPF_LSH | BPF_K,
	BPF_ALU | BPF_RSH | BPF_K,
	BPF_ALU | BPF_ADD | BPF_X, BPF_ALU | BPF_SUB | BPF_X, BPF_ALU | BPF_MUL | BPF_X,
	BPF_ALU | BPF_DIV | BPF_X, BPF_ALU | BPF_MOD | BPF_X, BPF_ALU | BPF_AND | BPF_X,
	BPF_ALU | BPF_OR | BPF_X, BPF_ALU | BPF_XOR | BPF_X, BPF_ALU | BPF_LSH | BPF_X,
	BPF_ALU | BPF_RSH | BPF_X,
	BPF_JMP | BPF_JEQ | BPF_X, BPF_JMP | BPF_JGT | BPF_X, BPF_JMP | BPF_JGE | BPF_X,
	BPF_JMP | BPF_JSET | BPF_X,
};
static const uint16_t conds[] = {
	BPF_JMP | BPF_JEQ | BPF_K, BPF_JMP | BPF_JGT | BPF_K, BPF_JMP | BPF_JGE | BPF_K,
	BPF_JMP | BPF_JSET | BPF_K,
};
#define PICK(a) (a)[rnd() % (sizeof (a) / sizeof (a)[0])]

/* A random program of n instructions: mostly the compiler's shapes (load,
 * maybe "and", conditional jump; msh then indirect load), with stray
 * opcodes, odd code bits and raw garbage mixed in.  Jumps stay in range
 * most of the time so that the validator accepts many of them. */
static void random_program(struct bpf_insn *p, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		unsigned rest = n - i - 1, r = rnd() % 100;
		struct bpf_insn *in = &p[i];
		in->k = some_k();
		in->jt = (uint8_t)(rest ? rnd() % (rest < 256 ? rest : 256) : 0);
		in->jf = (uint8_t)(rest ? rnd() % (rest < 256 ? rest : 256) : 0);
		if (r < 30) {
			in->code = PICK(loads);
			if (in->code == (BPF_LDX | BPF_MSH | BPF_B) && i + 1 < n && rnd() % 4) {
				i++;   /* msh, then an indirect load of 4, 2 or 1 bytes */
				p[i] = (struct bpf_insn)I(BPF_LD | BPF_IND | (rnd() % 3) * 8, 0, 0, some_k());
			}
			if (i + 2 < n && rnd() % 3 == 0) {
				i++;
				p[i] = (struct bpf_insn)I(BPF_ALU | BPF_AND | BPF_K, 0, 0, some_k());
			}
		} else if (r < 55) {
			in->code = PICK(conds);
		} else if (r < 90) {
			in->code = PICK(others);
			if (in->code == (BPF_JMP | BPF_JA))
				in->k = rnd() % 4 ? (rest ? rnd() % rest : 0) : (uint32_t)-(int32_t)(rnd() % (i + 2));
			if (BPF_CLASS(in->code) == BPF_LD || BPF_CLASS(in->code) == BPF_LDX ||
			    BPF_CLASS(in->code) == BPF_ST || BPF_CLASS(in->code) == BPF_STX)
				if (BPF_MODE(in->code) == BPF_MEM || in->code == BPF_ST || in->code == BPF_STX)
					in->k = rnd() % 17;
		} else if (r < 95) {
			in->code = (uint16_t)(PICK(others) | (rnd() % 4 ? 0x18u & rnd() : 0x100u << (rnd() % 8)));
		} else {
			in->code = (uint16_t)rnd();
		}
		if (i + 1 < n && rnd() % (r < 30 ? 3 : 8) < 2) {     /* a test right after */
			unsigned t = i + 1, trest = n - t - 1;
			p[t].code = PICK(conds);
			p[t].k = some_k();
			p[t].jt = (uint8_t)(trest ? rnd() % (trest < 256 ? trest : 256) : 0);
			p[t].jf = (uint8_t)(trest ? rnd() % (trest < 256 ? trest : 256) : 0);
			i = t;
		}
	}
	p[n - 1].code = rnd() % 2 ? BPF_RET | BPF_A : BPF_RET | BPF_K;
	p[n - 1].k = rnd() % 3 ? 262144 : some_k();
}

static void random_programs(void)
{
	struct bpf_insn p[64];
	uint8_t pk[128];
	unsigned long valid = 0, bad = 0;
	for (unsigned iter = 0; iter < 60000; iter++) {
		unsigned n = 1 + rnd() % 40;
		random_program(p, n);
		if (!bpf_check(p, n, iter % 5 == 0, NULL, 0)) {
			/* not translated (bpf_run runs it): it must not trip the translator */
			struct bpf_xprog *x = bpf_xlate(p, n);
			CHECK(x != NULL);
			if (x && iter % 16 == 0 && bpf_xrun(x, pk, 0, 60) != bpf_run(p, n, pk, 0, 60))
				bad++;
			bpf_xfree(x);
			continue;
		}
		valid++;
		struct bpf_xprog *x = bpf_xlate(p, n);
		CHECK(x != NULL);
		if (!x)
			return;
		/* a backward jump may loop until the budget (a million steps): one packet */
		int loops = 0;
		for (unsigned i = 0; i < n; i++)
			loops |= p[i].code == (BPF_JMP | BPF_JA) && p[i].k >= n - i - 1;
		for (int k = 0; k < (loops ? 1 : 6); k++) {
			const uint8_t *d = pk;
			uint32_t caplen, wire;
			if (k < 3 || !caps[0].n) {
				caplen = 1 + rnd() % sizeof pk;
				for (uint32_t b = 0; b < caplen; b++)
					pk[b] = (uint8_t)(rnd() % 3 ? rnd() : b % 16);
				wire = rnd() % 2 ? caplen : rnd();
			} else {
				struct cap *c = &caps[rnd() % NCAPS];
				struct pkt *q = &c->v[rnd() % c->n];
				d = q->d;
				caplen = q->caplen;
				wire = q->len;
			}
			if (!same_at_all_lengths(p, n, x, d, loops ? caplen : 0, caplen, wire, 1)) {
				if (bad++ < 3) {
					char line[128];
					for (unsigned i = 0; i < n; i++) {
						bpf_image(p, (int)i, line, sizeof line);
						fprintf(stderr, "#   %s  [code 0x%x k 0x%x]\n", line, p[i].code, p[i].k);
					}
				}
				break;
			}
		}
		bpf_xfree(x);
	}
	fprintf(stderr, "# random: %lu valid programs of 60000, %lu mismatches\n", valid, bad);
	CHECK(valid > 5000);
	CHECK_EQ_INT(bad, 0);
}

/* Hand-picked edges: offsets whose end wraps, msh into a failing load,
 * scratch memory read before any store, constant shifts of 32 and more
 * (unvalidated), odd code bits the reference treats as unknown. */
static void edges(void)
{
	static const uint8_t pkt[8] = { 0x45, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x48 };
	struct bpf_insn w[] = { I(BPF_LD | BPF_W | BPF_ABS, 0, 0, 0xfffffffe),
		I(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0), I(BPF_RET | BPF_K, 0, 0, 1), I(BPF_RET | BPF_A, 0, 0, 0) };
	struct bpf_insn msh[] = { I(BPF_LDX | BPF_MSH | BPF_B, 0, 0, 0), I(BPF_LD | BPF_H | BPF_IND, 0, 0, 0xffffffff),
		I(BPF_RET | BPF_A, 0, 0, 0) };
	struct bpf_insn msh2[] = { I(BPF_LDX | BPF_MSH | BPF_B, 0, 0, 0), I(BPF_LD | BPF_B | BPF_IND, 0, 0, 0xffffffe0),
		I(BPF_JMP | BPF_JSET | BPF_K, 0, 1, 1), I(BPF_RET | BPF_K, 0, 0, 1), I(BPF_RET | BPF_A, 0, 0, 0) };
	struct bpf_insn mem[] = { I(BPF_LD | BPF_MEM, 0, 0, 5), I(BPF_ALU | BPF_ADD | BPF_K, 0, 0, 7),
		I(BPF_RET | BPF_A, 0, 0, 0) };
	struct bpf_insn sh[] = { I(BPF_LD | BPF_IMM, 0, 0, 5), I(BPF_ALU | BPF_LSH | BPF_K, 0, 0, 40),
		I(BPF_RET | BPF_A, 0, 0, 0) };
	struct bpf_insn odd[] = { I(BPF_LD | BPF_H | BPF_IMM, 0, 0, 5), I(BPF_RET | BPF_K, 0, 0, 9) };
	struct bpf_insn hi[] = { I(0x100 | BPF_ALU | BPF_ADD | BPF_K, 0, 0, 5), I(BPF_RET | BPF_K, 0, 0, 9) };
	struct bpf_insn andj[] = { I(BPF_LD | BPF_W | BPF_ABS, 0, 0, 4), I(BPF_ALU | BPF_AND | BPF_K, 0, 0, 0xff00ff00),
		I(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 0x05000700), I(BPF_RET | BPF_A, 0, 0, 0), I(BPF_RET | BPF_K, 0, 0, 3) };
	struct { const struct bpf_insn *p; unsigned n; } t[] = {
		{ w, 4 }, { msh, 3 }, { msh2, 5 }, { mem, 3 }, { sh, 3 }, { odd, 2 }, { hi, 2 }, { andj, 5 },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct bpf_xprog *x = bpf_xlate(t[i].p, t[i].n);
		CHECK(x != NULL);
		if (!x)
			continue;
		if (!same_at_all_lengths(t[i].p, t[i].n, x, pkt, 0, sizeof pkt, 100, 1))
			fprintf(stderr, "# edge case %zu differs\n", i);
		CHECK(same_at_all_lengths(t[i].p, t[i].n, x, pkt, 0, sizeof pkt, 100, 1));
		bpf_xfree(x);
	}
	/* the values themselves, derived by hand from the reference semantics */
	struct bpf_xprog *x = bpf_xlate(mem, 3);
	CHECK_EQ_INT(bpf_xrun(x, pkt, 8, 100), 7);        /* scratch starts at zero */
	bpf_xfree(x);
	x = bpf_xlate(andj, 5);
	CHECK_EQ_INT(bpf_xrun(x, pkt, 8, 100), 3);        /* 0x05060748 & 0xff00ff00 */
	CHECK_EQ_INT(bpf_xrun(x, pkt, 7, 100), 0);        /* the word needs 8 bytes */
	bpf_xfree(x);
	x = bpf_xlate(msh2, 5);                           /* X = 20, 20 + 0xffffffe0 wraps to 4 */
	CHECK_EQ_INT(bpf_xrun(x, pkt, 8, 100), 0);
	bpf_xfree(x);
}

UNIT_MAIN(U(edges), U(table_programs), U(random_programs))
