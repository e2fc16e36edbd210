/* parse.c — recursive-descent parser for pcap-filter expressions (libpcap grammar.y).
 *
 * Syntax-directed: every reduction of libpcap's grammar calls the same
 * generator function here, in the same order, so the block graph, the
 * scratch-register numbering and the first error reported all match.
 * Notable grammar facts (reference §3): `and`/`or` have equal precedence
 * and associate left; a bare value after `and`/`or`/`not`/`(` reuses the
 * qualifiers of the term before the operator; `%` and `^` have no
 * precedence (bison shifts), so each takes the whole rest of the arithmetic
 * expression as its right operand.  Nesting is bounded by MAX_DEPTH so no
 * input can exhaust the stack.
 */
#include <string.h>
#include "fint.h"

#define MAX_DEPTH 1000

struct res { struct block *b; struct qual q; };

static const struct qual qerr = { QA_UNDEF, Q_DEFAULT, QD_DEFAULT, 1 };

static struct token *tk(struct fstate *st) { return &st->toks[st->ti]; }
static struct token *tkn(struct fstate *st, int n)
{
	int i = st->ti + n;
	return &st->toks[i < st->ntoks ? i : st->ntoks - 1];
}

static _Noreturn void syntax(struct fstate *st)
{
	struct token *t = tk(st);
	if (t->lexerr)
		fz_error(st, t->pos, t->len, "%s", t->lexerr);
	fz_error(st, t->pos, t->len, "can't parse filter expression: syntax error");
}

/* Consume the current token, raising an error the scanner attached to it. */
static struct token *take(struct fstate *st)
{
	struct token *t = tk(st);
	if (t->lexerr)
		fz_error(st, t->pos, t->len, "%s", t->lexerr);
	if (t->t == T_ERR)
		syntax(st);
	if (t->t != T_EOF)
		st->ti++;
	return t;
}

static void expect(struct fstate *st, enum tok want)
{
	if (tk(st)->t != want)
		syntax(st);
	take(st);
}

static void blame(struct fstate *st, int from_ti)
{
	struct token *a = &st->toks[from_ti], *b = &st->toks[st->ti > from_ti ? st->ti - 1 : from_ti];
	st->epos = a->pos;
	st->elen = b->pos + b->len - a->pos;
}

static void enter(struct fstate *st)
{
	if (++st->depth > MAX_DEPTH)
		fz_error(st, tk(st)->pos, tk(st)->len,
		         "expression nested too deeply (more than %d levels)", MAX_DEPTH);
}
static void leave(struct fstate *st) { st->depth--; }

static int is_arith_op(enum tok t)
{
	switch (t) {
	case T_PLUS: case T_MINUS: case T_STAR: case T_SLASH: case T_PERCENT: case T_AMP:
	case T_PIPE: case T_CARET: case T_LSH: case T_RSH:
		return 1;
	default:
		return 0;
	}
}
static int is_relop(enum tok t)
{
	return t == T_EQ || t == T_NEQ || t == T_LT || t == T_LE || t == T_GT || t == T_GE;
}

/* After and/or: does a bare value (libpcap's `id`) follow rather than a term? */
static int bare_id_follows(struct fstate *st)
{
	int i = st->ti;
	while (st->toks[i].t == T_NOT || st->toks[i].t == T_LPAREN)
		i++;
	switch (st->toks[i].t) {
	case T_ID: case T_HID: case T_HID6: case T_EID:
		return 1;
	case T_NUM: {
		enum tok n = st->toks[i + 1].t;
		return !(is_arith_op(n) || is_relop(n));
	}
	default:
		return 0;
	}
}

/* Is the '(' at index i the start of an arithmetic operand? */
static int paren_is_arith(struct fstate *st, int i)
{
	int m = st->pmatch[i];
	if (m < 0)
		return 0;
	enum tok n = st->toks[m + 1].t;
	return is_arith_op(n) || is_relop(n);
}

/* ------------------------------------------------------------ arithmetic */

static struct arth *arith(struct fstate *st, int minprec);

static int binprec(enum tok t)
{
	switch (t) {
	case T_PIPE: return 1;
	case T_AMP: return 2;
	case T_LSH: case T_RSH: return 3;
	case T_PLUS: case T_MINUS: return 4;
	case T_STAR: case T_SLASH: return 5;
	default: return 0;
	}
}

static int bpfop(enum tok t)
{
	switch (t) {
	case T_PLUS: return BPF_ADD;
	case T_MINUS: return BPF_SUB;
	case T_STAR: return BPF_MUL;
	case T_SLASH: return BPF_DIV;
	case T_PERCENT: return BPF_MOD;
	case T_AMP: return BPF_AND;
	case T_PIPE: return BPF_OR;
	case T_CARET: return BPF_XOR;
	case T_LSH: return BPF_LSH;
	default: return BPF_RSH;
	}
}

static uint32_t pnum(struct fstate *st)
{
	if (tk(st)->t == T_LPAREN) {
		enter(st);
		take(st);
		uint32_t v = pnum(st);
		expect(st, T_RPAREN);
		leave(st);
		return v;
	}
	if (tk(st)->t != T_NUM)
		syntax(st);
	return take(st)->v;
}

/* Does a pnum (NUM or parenthesised NUM) start here? */
static int pnum_follows(struct fstate *st)
{
	int i = st->ti;
	while (st->toks[i].t == T_LPAREN)
		i++;
	return st->toks[i].t == T_NUM;
}

static struct arth *operand(struct fstate *st)
{
	struct arth *a;
	struct token *t = tk(st);
	int start = st->ti;
	enter(st);
	switch (t->t) {
	case T_NUM:
		a = gen_loadi(st, take(st)->v);
		break;
	case T_LEN:
		take(st);
		a = gen_loadlen(st);
		break;
	case T_MINUS:
		take(st);
		a = operand(st);
		blame(st, start);
		a = gen_neg(st, a);
		leave(st);
		return a;
	case T_LPAREN:
		take(st);
		a = arith(st, 1);
		expect(st, T_RPAREN);
		break;
	case T_PNAME: {
		int proto = (int)take(st)->v;
		uint32_t size = 1;
		expect(st, T_LBRACK);
		struct arth *idx = arith(st, 1);
		if (tk(st)->t == T_COLON) {
			take(st);
			if (tk(st)->t != T_NUM)
				syntax(st);
			size = take(st)->v;
		}
		expect(st, T_RBRACK);
		blame(st, start);
		a = gen_load(st, proto, idx, size);
		break;
	}
	default:
		syntax(st);
	}
	/* '%' and '^' have no precedence: the parser shifts, so they take the
	 * whole remaining arithmetic expression on their right. */
	while (tk(st)->t == T_PERCENT || tk(st)->t == T_CARET) {
		int op = bpfop(take(st)->t);
		struct arth *r = arith(st, 1);
		blame(st, start);
		a = gen_arth(st, op, a, r);
	}
	leave(st);
	return a;
}

static struct arth *arith(struct fstate *st, int minprec)
{
	int start = st->ti;
	struct arth *a = operand(st);
	for (;;) {
		enum tok t = tk(st)->t;
		int p = binprec(t);
		if (p == 0 || p < minprec)
			return a;
		take(st);
		struct arth *r = arith(st, p + 1);
		blame(st, start);
		a = gen_arth(st, bpfop(t), a, r);
	}
}

static struct block *relation(struct fstate *st)
{
	int start = st->ti;
	struct arth *a0 = arith(st, 1);
	enum tok op = tk(st)->t;
	int code, rev;
	switch (op) {
	case T_GT: code = BPF_JGT; rev = 0; break;
	case T_GE: code = BPF_JGE; rev = 0; break;
	case T_EQ: code = BPF_JEQ; rev = 0; break;
	case T_LE: code = BPF_JGT; rev = 1; break;
	case T_LT: code = BPF_JGE; rev = 1; break;
	case T_NEQ: code = BPF_JEQ; rev = 1; break;
	default: syntax(st);
	}
	take(st);
	struct arth *a1 = arith(st, 1);
	blame(st, start);
	return gen_relation(st, code, a0, a1, rev);
}

/* ------------------------------------------------------------ ids */

static struct res id(struct fstate *st, struct qual q);

/* libpcap's pid: ids joined by and/or inside parentheses, each inheriting Q. */
static struct res pid(struct fstate *st, struct qual q)
{
	struct res r = id(st, q);
	while (tk(st)->t == T_AND || tk(st)->t == T_OR) {
		int isand = take(st)->t == T_AND;
		struct res r2 = id(st, r.q);
		r2.b = isand ? gen_and(r.b, r2.b) : gen_or(r.b, r2.b);
		r = r2;
	}
	return r;
}

static struct res id(struct fstate *st, struct qual q)
{
	struct res r = { NULL, q };
	struct token *t = tk(st);
	int start = st->ti;
	enter(st);
	switch (t->t) {
	case T_NOT:
		take(st);
		r = id(st, q);
		gen_not(r.b);
		break;
	case T_LPAREN: {
		/* `(80)` is a pnum; otherwise a parenthesised list of ids */
		int i = st->ti;
		while (st->toks[i].t == T_LPAREN)
			i++;
		if (st->toks[i].t == T_NUM && st->toks[i + 1].t == T_RPAREN) {
			uint32_t v = pnum(st);
			blame(st, start);
			r.b = gen_ncode(st, NULL, v, q);
			break;
		}
		take(st);
		r = pid(st, q);
		expect(st, T_RPAREN);
		break;
	}
	case T_NUM:
		take(st);
		blame(st, start);
		r.b = gen_ncode(st, NULL, t->v, q);
		break;
	case T_ID:
		take(st);
		blame(st, start);
		r.b = gen_scode(st, t->s, q);
		break;
	case T_HID:
		take(st);
		if (tk(st)->t == T_SLASH) {
			take(st);
			if (tk(st)->t != T_NUM)
				syntax(st);
			uint32_t len = take(st)->v;
			blame(st, start);
			r.b = gen_mcode(st, t->s, NULL, len, q);
		} else if (tk(st)->t == T_MASK) {
			take(st);
			if (tk(st)->t != T_HID)
				syntax(st);
			const char *m = take(st)->s;
			blame(st, start);
			r.b = gen_mcode(st, t->s, m, 0, q);
		} else {
			blame(st, start);
			if (q.addr == QA_PORT)
				fz_error_at_tok(st, "'port' modifier applied to ip host");
			if (q.addr == QA_PORTRANGE)
				fz_error_at_tok(st, "'portrange' modifier applied to ip host");
			if (q.addr == QA_PROTO)
				fz_error_at_tok(st, "'proto' modifier applied to ip host");
			if (q.addr == QA_PROTOCHAIN)
				fz_error_at_tok(st, "'protochain' modifier applied to ip host");
			r.b = gen_ncode(st, t->s, 0, q);
		}
		break;
	case T_HID6:
		take(st);
		if (tk(st)->t == T_SLASH) {
			take(st);
			if (tk(st)->t != T_NUM)
				syntax(st);
			uint32_t len = take(st)->v;
			blame(st, start);
			r.b = gen_mcode6(st, t->s, len, q);
		} else {
			blame(st, start);
			r.b = gen_mcode6(st, t->s, 128, q);
		}
		break;
	case T_EID: {
		take(st);
		uint8_t ea[6];
		const char *s = t->s;
		int n = 0;
		/* hex digits, separators ignored: pcap_ether_aton */
		for (size_t i = 0; s[i] && n < 6;) {
			if (s[i] == ':' || s[i] == '.' || s[i] == '-') {
				i++;
				continue;
			}
			unsigned d = 0;
			int k = 0;
			while (k < 2 && s[i] && s[i] != ':' && s[i] != '.' && s[i] != '-') {
				char c = s[i++];
				d = d * 16 + (unsigned)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
				k++;
			}
			ea[n++] = (uint8_t)d;
		}
		blame(st, start);
		r.b = gen_ecode(st, ea, q);
		break;
	}
	default:
		syntax(st);
	}
	leave(st);
	r.q = q;
	return r;
}

/* ------------------------------------------------------------ terms */

static struct res expr(struct fstate *st, struct qual ctx);

static int is_dqual_start(enum tok t) { return t == T_SRC || t == T_DST || t == T_WLANDIR; }
static int is_aqual(enum tok t)
{
	return t == T_HOST || t == T_NET || t == T_PORT || t == T_PORTRANGE;
}

static struct qual head(struct fstate *st)
{
	struct qual q = { QA_DEFAULT, Q_DEFAULT, QD_DEFAULT, 0 };
	if (tk(st)->t == T_PNAME)
		q.proto = (uint8_t)take(st)->v;
	enum tok t = tk(st)->t;
	if (t == T_SRC || t == T_DST) {
		int first = take(st)->t;
		enum tok n1 = tk(st)->t, n2 = tkn(st, 1)->t;
		if ((n1 == T_OR || n1 == T_AND) && (n2 == T_SRC || n2 == T_DST) &&
		    n2 != (enum tok)first) {
			take(st);
			take(st);
			q.dir = n1 == T_OR ? QD_OR : QD_AND;
		} else
			q.dir = first == T_SRC ? QD_SRC : QD_DST;
		if (is_aqual(tk(st)->t))
			t = tk(st)->t;
		else
			return q;
	} else if (t == T_WLANDIR) {
		q.dir = (uint8_t)take(st)->v;
		if (is_aqual(tk(st)->t))
			t = tk(st)->t;
		else
			return q;
	}
	switch (t) {
	case T_HOST: q.addr = QA_HOST; break;
	case T_NET: q.addr = QA_NET; break;
	case T_PORT: q.addr = QA_PORT; break;
	case T_PORTRANGE: q.addr = QA_PORTRANGE; break;
	case T_PROTO: q.addr = QA_PROTO; break;
	case T_PROTOCHAIN: q.addr = QA_PROTOCHAIN; break;
	case T_GATEWAY: q.addr = QA_GATEWAY; break;
	default: syntax(st);
	}
	take(st);
	return q;
}

static struct res term(struct fstate *st, struct qual ctx)
{
	struct res r = { NULL, qerr };
	struct token *t = tk(st);
	int start = st->ti;
	enter(st);
	switch (t->t) {
	case T_NOT:
		take(st);
		r = term(st, ctx);
		gen_not(r.b);
		break;
	case T_LPAREN:
		if (paren_is_arith(st, st->ti)) {
			r.b = relation(st);
			break;
		}
		take(st);
		r = expr(st, ctx);
		expect(st, T_RPAREN);
		r.q = ctx;
		break;
	case T_PNAME: {
		enum tok n = tkn(st, 1)->t;
		if (n == T_LBRACK) {
			r.b = relation(st);
		} else if (n == T_BROADCAST || n == T_MULTICAST) {
			int proto = (int)take(st)->v;
			take(st);
			blame(st, start);
			r.b = n == T_BROADCAST ? gen_broadcast(st, proto) : gen_multicast(st, proto);
		} else if (is_dqual_start(n) || is_aqual(n) || n == T_PROTO || n == T_PROTOCHAIN ||
		           n == T_GATEWAY) {
			struct qual q = head(st);
			r = id(st, q);
		} else {
			int proto = (int)take(st)->v;
			blame(st, start);
			r.b = gen_proto_abbrev(st, proto);
		}
		break;
	}
	case T_SRC: case T_DST: case T_WLANDIR: case T_HOST: case T_NET: case T_PORT:
	case T_PORTRANGE: case T_PROTO: case T_PROTOCHAIN: case T_GATEWAY: {
		struct qual q = head(st);
		r = id(st, q);
		break;
	}
	case T_BROADCAST: case T_MULTICAST:
		take(st);
		blame(st, start);
		r.b = t->t == T_BROADCAST ? gen_broadcast(st, Q_DEFAULT) : gen_multicast(st, Q_DEFAULT);
		break;
	case T_NUM: case T_LEN: case T_MINUS:
		r.b = relation(st);
		break;
	case T_LESS: case T_GREATER: {
		take(st);
		if (tk(st)->t != T_NUM)
			syntax(st);
		uint32_t v = take(st)->v;
		blame(st, start);
		r.b = t->t == T_LESS ? gen_less(st, v) : gen_greater(st, v);
		break;
	}
	case T_BYTE: {
		take(st);
		if (tk(st)->t != T_NUM)
			syntax(st);
		uint32_t idx = take(st)->v;
		int op;
		switch (tk(st)->t) {
		case T_AMP: op = '&'; break;
		case T_PIPE: op = '|'; break;
		case T_LT: op = '<'; break;
		case T_GT: op = '>'; break;
		case T_EQ: op = '='; break;
		default: syntax(st);
		}
		take(st);
		if (tk(st)->t != T_NUM)
			syntax(st);
		uint32_t val = take(st)->v;
		blame(st, start);
		r.b = gen_byteop(st, op, idx, val);
		break;
	}
	case T_INBOUND: case T_OUTBOUND:
		take(st);
		blame(st, start);
		r.b = gen_inbound(st, t->t == T_OUTBOUND);
		break;
	case T_VLAN: case T_MPLS: case T_PPPOES: {
		take(st);
		int has = pnum_follows(st);
		uint32_t v = has ? pnum(st) : 0;
		blame(st, start);
		r.b = t->t == T_VLAN ? gen_vlan(st, v, has) :
		      t->t == T_MPLS ? gen_mpls(st, v, has) : gen_pppoes(st, v, has);
		break;
	}
	case T_PPPOED:
		take(st);
		blame(st, start);
		r.b = gen_pppoed(st);
		break;
	case T_LLC: {
		take(st);
		struct token *n = tk(st);
		if (n->t == T_ID || (n->t == T_UNSUP && !strcmp(n->s, "rnr"))) {
			static const struct { const char *s; int kind; uint32_t v; } sub[] = {
				{"i", 'i', 0}, {"s", 's', 0}, {"u", 'u', 0},
				{"rr", 'S', 0x01}, {"rnr", 'S', 0x05}, {"rej", 'S', 0x09},
				{"ui", 'U', 0x03}, {"ua", 'U', 0x63}, {"disc", 'U', 0x43},
				{"dm", 'U', 0x0f}, {"sabme", 'U', 0x6f}, {"test", 'U', 0xe3},
				{"xid", 'U', 0xaf}, {"frmr", 'U', 0x87},
			};
			take(st);
			blame(st, start);
			for (size_t i = 0; i < sizeof sub / sizeof sub[0]; i++)
				if (!strcmp(sub[i].s, n->s)) {
					r.b = gen_llc_sub(st, sub[i].kind, sub[i].v);
					break;
				}
			if (!r.b)
				fz_error_at_tok(st, "unknown LLC type name \"%s\"", n->s);
			break;
		}
		blame(st, start);
		r.b = gen_llc(st);
		break;
	}
	case T_GENEVE: case T_UNSUP:
		take(st);
		blame(st, start);
		fz_error_at_tok(st, "'%s' is not supported on %s", t->s ? t->s : "?",
		                name_linktype_desc(st->linktype));
	default:
		syntax(st);
	}
	leave(st);
	return r;
}

static struct res expr(struct fstate *st, struct qual ctx)
{
	struct res r = term(st, ctx);
	while (tk(st)->t == T_AND || tk(st)->t == T_OR) {
		int isand = take(st)->t == T_AND;
		struct res r2 = bare_id_follows(st) ? id(st, r.q) : term(st, r.q);
		r2.b = isand ? gen_and(r.b, r2.b) : gen_or(r.b, r2.b);
		r = r2;
	}
	return r;
}

void parse_program(struct fstate *st)
{
	if (tk(st)->t == T_EOF) {
		gen_finish(st, NULL);
		return;
	}
	struct res r = expr(st, qerr);
	if (tk(st)->t != T_EOF)
		syntax(st);
	gen_finish(st, r.b);
}
