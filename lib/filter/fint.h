/* fint.h — state, arena, tokens and flow-graph blocks shared by the filter stages.
 *
 * The compiler runs lex -> parse (syntax-directed: each grammar reduction
 * calls the generator, as libpcap's yacc actions do, so errors come out in
 * the same order) -> gen (blocks of statements ending in one test) -> opt ->
 * flatten -> validate.  Everything lives in one arena owned by struct fstate
 * and freed once; errors longjmp to the single exit in filter.c.
 */
#ifndef PK_FILTER_FINT_H
#define PK_FILTER_FINT_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include "pcapkit/filter.h"
#include "pcapkit/packet.h"

/* Classic BPF encoding (the kernel/libpcap ABI values). */
#define BPF_CLASS(c) ((c) & 0x07)
#define BPF_LD   0x00
#define BPF_LDX  0x01
#define BPF_ST   0x02
#define BPF_STX  0x03
#define BPF_ALU  0x04
#define BPF_JMP  0x05
#define BPF_RET  0x06
#define BPF_MISC 0x07
#define BPF_SIZE(c) ((c) & 0x18)
#define BPF_W 0x00
#define BPF_H 0x08
#define BPF_B 0x10
#define BPF_MODE(c) ((c) & 0xe0)
#define BPF_IMM 0x00
#define BPF_ABS 0x20
#define BPF_IND 0x40
#define BPF_MEM 0x60
#define BPF_LEN 0x80
#define BPF_MSH 0xa0
#define BPF_OP(c) ((c) & 0xf0)
#define BPF_ADD 0x00
#define BPF_SUB 0x10
#define BPF_MUL 0x20
#define BPF_DIV 0x30
#define BPF_OR  0x40
#define BPF_AND 0x50
#define BPF_LSH 0x60
#define BPF_RSH 0x70
#define BPF_NEG 0x80
#define BPF_MOD 0x90
#define BPF_XOR 0xa0
#define BPF_JA   0x00
#define BPF_JEQ  0x10
#define BPF_JGT  0x20
#define BPF_JGE  0x30
#define BPF_JSET 0x40
#define BPF_SRC(c) ((c) & 0x08)
#define BPF_K 0x00
#define BPF_X 0x08
#define BPF_RVAL(c) ((c) & 0x18)
#define BPF_A 0x10
#define BPF_MISCOP(c) ((c) & 0xf8)
#define BPF_TAX 0x00
#define BPF_TXA 0x80
#define BPF_MEMWORDS 16
#define JMP(c) (BPF_JMP | (c) | BPF_K)

struct bpf_insn { uint16_t code; uint8_t jt, jf; uint32_t k; };

/* ---- arena ---- */
struct arena_chunk { struct arena_chunk *next; size_t used, size; };

/* ---- tokens ---- */
enum tok {
	T_EOF = 0, T_ERR,
	T_NUM, T_HID, T_HID6, T_EID, T_ID,
	/* punctuation */
	T_LPAREN, T_RPAREN, T_LBRACK, T_RBRACK, T_COLON,
	T_PLUS, T_MINUS, T_STAR, T_SLASH, T_PERCENT, T_AMP, T_PIPE, T_CARET,
	T_LSH, T_RSH, T_EQ, T_NEQ, T_LT, T_LE, T_GT, T_GE,
	T_AND, T_OR, T_NOT,
	/* keywords */
	T_DST, T_SRC, T_HOST, T_NET, T_MASK, T_PORT, T_PORTRANGE, T_PROTO, T_PROTOCHAIN,
	T_GATEWAY, T_LESS, T_GREATER, T_LEN, T_BROADCAST, T_MULTICAST, T_BYTE,
	T_INBOUND, T_OUTBOUND, T_VLAN, T_MPLS, T_PPPOED, T_PPPOES, T_GENEVE, T_LLC,
	T_PNAME,        /* protocol name; value in tok.v (a Q_* proto) */
	T_UNSUP,        /* recognised keyword with no meaning on our link types */
	T_WLANDIR,      /* addr1..4, ra, ta */
};

/* Protocol qualifiers (libpcap's Q_*). */
enum {
	Q_DEFAULT = 0, Q_LINK, Q_IP, Q_ARP, Q_RARP, Q_SCTP, Q_TCP, Q_UDP, Q_ICMP,
	Q_IGMP, Q_IGRP, Q_ATALK, Q_DECNET, Q_LAT, Q_SCA, Q_MOPRC, Q_MOPDL, Q_IPV6,
	Q_ICMPV6, Q_AH, Q_ESP, Q_PIM, Q_VRRP, Q_AARP, Q_ISO, Q_ESIS, Q_ISIS, Q_CLNP,
	Q_STP, Q_IPX, Q_NETBEUI, Q_ISIS_L1, Q_ISIS_L2, Q_ISIS_IIH, Q_ISIS_SNP,
	Q_ISIS_CSNP, Q_ISIS_PSNP, Q_ISIS_LSP, Q_RADIO, Q_CARP,
	Q_NPROTO
};
/* Address types. */
enum { QA_DEFAULT = 0, QA_HOST, QA_NET, QA_PORT, QA_GATEWAY, QA_PROTO, QA_PROTOCHAIN,
       QA_PORTRANGE, QA_UNDEF };
/* Directions. */
enum { QD_DEFAULT = 0, QD_SRC, QD_DST, QD_OR, QD_AND, QD_ADDR1, QD_ADDR2, QD_ADDR3,
       QD_ADDR4, QD_RA, QD_TA };

struct qual { uint8_t addr, proto, dir, err; };

struct token {
	enum tok t;
	int pos, len;            /* in the expression */
	uint32_t v;              /* NUM value; PNAME proto */
	const char *s;           /* text for HID/HID6/EID/ID (arena copy) */
	const char *lexerr;      /* deferred lexer error for this token */
};

/* ---- flow graph (libpcap's icode) ---- */
struct stmt { int code; struct slist *jt, *jf; uint32_t k; };
struct slist { struct stmt s; struct slist *next; };

typedef uint32_t *uset;
#define N_ATOMS (BPF_MEMWORDS + 2)
#define A_ATOM BPF_MEMWORDS
#define X_ATOM (BPF_MEMWORDS + 1)
typedef uint32_t atomset;

struct block;
struct edge {
	unsigned id;
	int code;
	uset edom;
	struct block *succ, *pred;
	struct edge *next;         /* link in succ's in-edge list */
};

struct block {
	unsigned id;
	struct slist *stmts;
	struct stmt s;             /* branch (JMP) or RET */
	int mark;
	unsigned longjt, longjf;
	int level;
	int offset;
	int sense;
	struct edge et, ef;
	struct block *head;
	struct block *link;        /* chain of blocks at one level */
	uset dom, closure;
	struct edge *in_edges;
	atomset def, kill, in_use, out_use;
	int oval;
	uint32_t val[N_ATOMS];
};
#define JT(b) ((b)->et.succ)
#define JF(b) ((b)->ef.succ)

struct arth { struct block *b; struct slist *s; int regno; unsigned nops; };

/* Byte-offset of something in the packet, relative to link start. */
struct fstate {
	/* arena */
	struct arena_chunk *chunks;
	jmp_buf jb;
	struct pk_filter_err *err;
	const char *expr;

	/* lexer */
	const char *p;             /* scan position */
	struct token *toks;        /* whole expression, ending with T_EOF */
	int ntoks, ti;             /* count; parser position */
	int *pmatch;               /* matching parenthesis index or -1 */
	int depth;
	int epos, elen;            /* span blamed by generator errors */

	/* generator state (libpcap's compiler_state) */
	int linktype, orig_linktype;
	uint32_t snaplen;
	unsigned flags;
	uint32_t off_linkhdr, off_linktype, off_linkpl, off_nl, off_nl_nosnap;
	int linktype_none;         /* no type field (RAW) */
	int label_stack_depth, vlan_stack_depth;
	int no_optimize;           /* protochain seen */
	int regused[BPF_MEMWORDS], curreg;
	unsigned nblocks;
	struct block *root;

	/* optimizer scratch */
	struct block **blocks;
	struct edge **edges;
	unsigned n_blocks, n_edges;
	unsigned nodewords, edgewords;
	struct block **levels;
	int done, non_branch_movement;
	int flatten_again;         /* a jump found too long in this flatten pass */
	unsigned maxval, curval;
	struct vmapinfo *vmap;
	struct valnode *vnode_base, *next_vnode;
	struct valnode *hashtbl[213];
	int cur_mark;
	uset space;

	/* flattened program */
	struct bpf_insn *prog;
	unsigned plen;
	struct bpf_insn *ftail;
};

/* arena / errors (filter.c) */
void *fz_alloc(struct fstate *st, size_t n);
char *fz_strdup(struct fstate *st, const char *s, size_t n);
_Noreturn void fz_error(struct fstate *st, int pos, int len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
_Noreturn void fz_error_at_tok(struct fstate *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* lex.c */
void lex_all(struct fstate *st, const char *expr);

/* names.c */
int name_port(const char *name, int *port, int *proto);   /* proto: 6, 17, or -1 for both */
int name_proto(const char *name);                          /* -1 unknown */
int name_eproto(const char *name);                         /* -1 unknown */
int name_llc(const char *name);                            /* -1 unknown */
const char *name_linktype_desc(int linktype);

/* gen.c: code generation (called from parse.c) */
void gen_init(struct fstate *st, int linktype, uint32_t snaplen, unsigned flags);
struct block *gen_and(struct block *b0, struct block *b1);
struct block *gen_or(struct block *b0, struct block *b1);
void gen_not(struct block *b);
struct block *gen_scode(struct fstate *st, const char *name, struct qual q);
struct block *gen_ecode(struct fstate *st, const uint8_t *eaddr, struct qual q);
struct block *gen_mcode(struct fstate *st, const char *s1, const char *s2, uint32_t masklen, struct qual q);
struct block *gen_mcode6(struct fstate *st, const char *s, uint32_t masklen, struct qual q);
struct block *gen_ncode(struct fstate *st, const char *s, uint32_t v, struct qual q);
struct block *gen_proto_abbrev(struct fstate *st, int proto);
struct block *gen_relation(struct fstate *st, int code, struct arth *a0, struct arth *a1, int reversed);
struct arth *gen_loadi(struct fstate *st, uint32_t v);
struct arth *gen_loadlen(struct fstate *st);
struct arth *gen_load(struct fstate *st, int proto, struct arth *inst, uint32_t size);
struct arth *gen_arth(struct fstate *st, int code, struct arth *a0, struct arth *a1);
struct arth *gen_neg(struct fstate *st, struct arth *a);
struct block *gen_broadcast(struct fstate *st, int proto);
struct block *gen_multicast(struct fstate *st, int proto);
struct block *gen_less(struct fstate *st, uint32_t n);
struct block *gen_greater(struct fstate *st, uint32_t n);
struct block *gen_byteop(struct fstate *st, int op, uint32_t idx, uint32_t val);
struct block *gen_inbound(struct fstate *st, int dir);
struct block *gen_vlan(struct fstate *st, uint32_t num, int has);
struct block *gen_mpls(struct fstate *st, uint32_t num, int has);
struct block *gen_pppoed(struct fstate *st);
struct block *gen_pppoes(struct fstate *st, uint32_t num, int has);
struct block *gen_llc(struct fstate *st);
struct block *gen_llc_sub(struct fstate *st, int kind, uint32_t sub);
void gen_finish(struct fstate *st, struct block *b);   /* NULL: empty program */

/* gen.c helpers shared with gen_arith.c; offsets are relative to these bases */
enum { OR_PACKET, OR_LINKHDR, OR_LLC, OR_PREVMPLSHDR, OR_LINKPL, OR_LINKPL_NOSNAP,
       OR_LINKTYPE, OR_TRAN_IPV4, OR_TRAN_IPV6 };
struct slist *fg_stmt(struct fstate *st, int code);
struct block *fg_block(struct fstate *st, int code);
void fg_sappend(struct slist *s0, struct slist *s1);
int fg_alloc_reg(struct fstate *st);
void fg_free_reg(struct fstate *st, int n);
struct slist *fg_loadx_iphdrlen(struct fstate *st);
struct block *fg_proto_abbrev(struct fstate *st, int proto);
struct block *fg_ipfrag(struct fstate *st);
struct block *fg_cmp(struct fstate *st, int offrel, uint32_t off, int size, uint32_t v);

/* parse.c */
void parse_program(struct fstate *st);

/* opt.c */
void opt_optimize(struct fstate *st);       /* on st->root; may raise "rejects all" */
void opt_flatten(struct fstate *st);        /* st->root -> st->prog/plen */

/* validate.c */
int bpf_check(const struct bpf_insn *p, unsigned n, int allow_backward, char *why, size_t whysz);

/* vm.c */
uint32_t bpf_run(const struct bpf_insn *p, unsigned n, const uint8_t *pkt,
                 uint32_t caplen, uint32_t len);

/* xvm.c: the program translated for speed; same results as bpf_run.  The
 * program must outlive the translation; a program bpf_check rejects runs
 * through bpf_run unchanged.  bpf_xlate returns NULL when out of memory. */
struct bpf_xprog;
struct bpf_xprog *bpf_xlate(const struct bpf_insn *p, unsigned n);
uint32_t bpf_xrun(const struct bpf_xprog *xp, const uint8_t *pkt, uint32_t caplen, uint32_t len);
void bpf_xfree(struct bpf_xprog *xp);   /* accepts NULL */

/* filter.c: a compiled filter's classic program (for the cross-checking tests) */
const struct bpf_insn *bpf_prog_of(const struct pk_filter *f, unsigned *n);

/* dump.c */
void bpf_image(const struct bpf_insn *p, int n, char *buf, size_t sz);

#endif
