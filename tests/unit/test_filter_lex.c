/* test_filter_lex.c — unit tests for the filter scanner (lib/filter/lex.c): every token form. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/filter/fint.h"
#include "unit.h"

static struct fstate *st;

/* Tokenise S into st (freed by done()). */
static void lex(const char *s)
{
	st = calloc(1, sizeof *st);
	if (setjmp(st->jb) == 0)
		lex_all(st, s);
}

static void done(void)
{
	for (struct arena_chunk *c = st->chunks, *n; c; c = n) {
		n = c->next;
		free(c);
	}
	free(st);
}

/* The single token of S has type T (and, for T_NUM, value V). */
static int one(const char *s, enum tok t, uint32_t v)
{
	lex(s);
	int ok = st->ntoks == 2 && st->toks[0].t == t && st->toks[1].t == T_EOF &&
	         (t != T_NUM || st->toks[0].v == v) && st->toks[0].lexerr == NULL;
	if (!ok)
		fprintf(stderr, "# token '%s': got type %d (n %d) v %u\n", s, st->toks[0].t,
		        st->ntoks, st->toks[0].v);
	done();
	return ok;
}

static const char *err_of(const char *s)
{
	static char buf[256];
	lex(s);
	snprintf(buf, sizeof buf, "%s", st->toks[0].lexerr ? st->toks[0].lexerr : "");
	done();
	return buf;
}

static void numbers(void)
{
	CHECK(one("0", T_NUM, 0));
	CHECK(one("80", T_NUM, 80));
	CHECK(one("0x1F", T_NUM, 31));
	CHECK(one("0X1f", T_NUM, 31));
	CHECK(one("010", T_NUM, 8));          /* leading 0: octal */
	CHECK(one("4294967295", T_NUM, 4294967295u));
	CHECK_EQ_STR(err_of("080"), "number 080 contains non-octal digit");
	CHECK_EQ_STR(err_of("4294967296"), "number 4294967296 overflows 32 bits");
	CHECK_EQ_STR(err_of("0x100000000"), "number 0x100000000 overflows 32 bits");
}

static void named_constants(void)
{
	CHECK(one("tcpflags", T_NUM, 13));
	CHECK(one("tcp-syn", T_NUM, 2));
	CHECK(one("tcp-cwr", T_NUM, 0x80));
	CHECK(one("icmptype", T_NUM, 0));
	CHECK(one("icmpcode", T_NUM, 1));
	CHECK(one("icmp-echo", T_NUM, 8));
	CHECK(one("icmp-maskreply", T_NUM, 18));
	CHECK(one("icmp6type", T_NUM, 0));
	CHECK(one("icmp6-echo", T_NUM, 128));
	CHECK(one("icmp6-multicastrouterterm", T_NUM, 153));
}

static void addresses(void)
{
	CHECK(one("1.2", T_HID, 0));
	CHECK(one("10.1.2", T_HID, 0));
	CHECK(one("192.168.1.1", T_HID, 0));
	CHECK(one("1.2.3.4.5", T_ID, 0));        /* five parts: an identifier */
	CHECK(one("::1", T_HID6, 0));
	CHECK(one("fe80::1", T_HID6, 0));
	CHECK(one("2001:db8:0:0:0:0:0:1", T_HID6, 0));
	CHECK(one("::ffff:10.0.0.1", T_HID6, 0));
	CHECK_EQ_STR(err_of("::ffff:999.1.1.1"), "bogus IPv6 address ::ffff:999.1.1.1");
	CHECK(one("00:11:22:33:44:55", T_EID, 0));
	CHECK(one("0:1:2:3:4:5", T_EID, 0));
	CHECK(one("00-11-22-33-44-55", T_EID, 0));
	CHECK(one("00.11.22.33.44.55", T_EID, 0));
	CHECK(one("0011.2233.4455", T_EID, 0));
	CHECK(one("001122334455", T_EID, 0));    /* 12 hex digits beat NUM */
	CHECK(one("0102.0304.0506", T_EID, 0));  /* beats HID on a tie */
	CHECK_EQ_STR(err_of("1:2:3:4:5"), "bogus ethernet address 1:2:3:4:");
}

static void identifiers(void)
{
	CHECK(one("foo", T_ID, 0));
	CHECK(one("TCP", T_ID, 0));              /* keywords are lower case */
	CHECK(one("len-14", T_ID, 0));           /* greedy */
	CHECK(one("80-90", T_ID, 0));
	CHECK(one("host1.example.com", T_ID, 0));
	CHECK(one("a_b", T_ID, 0));
	lex("\\tcp");
	CHECK(st->toks[0].t == T_ID && strcmp(st->toks[0].s, "tcp") == 0);
	done();
	lex("foo-");   /* an identifier cannot end with '-' */
	CHECK(st->ntoks == 3 && st->toks[0].t == T_ID && st->toks[1].t == T_MINUS);
	done();
}

static void keywords(void)
{
	static const struct { const char *s; enum tok t; } kw[] = {
		{"dst", T_DST}, {"src", T_SRC}, {"host", T_HOST}, {"net", T_NET}, {"mask", T_MASK},
		{"port", T_PORT}, {"portrange", T_PORTRANGE}, {"proto", T_PROTO},
		{"protochain", T_PROTOCHAIN}, {"gateway", T_GATEWAY}, {"less", T_LESS},
		{"greater", T_GREATER}, {"len", T_LEN}, {"length", T_LEN}, {"broadcast", T_BROADCAST},
		{"multicast", T_MULTICAST}, {"and", T_AND}, {"or", T_OR}, {"not", T_NOT},
		{"vlan", T_VLAN}, {"mpls", T_MPLS}, {"pppoed", T_PPPOED}, {"pppoes", T_PPPOES},
		{"llc", T_LLC}, {"inbound", T_INBOUND}, {"outbound", T_OUTBOUND}, {"byte", T_BYTE},
		{"ether", T_PNAME}, {"ip6", T_PNAME}, {"icmp6", T_PNAME}, {"es-is", T_PNAME},
		{"ifindex", T_UNSUP}, {"addr1", T_WLANDIR}, {"ra", T_WLANDIR},
	};
	for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++)
		CHECK(one(kw[i].s, kw[i].t, 0));
	lex("ip6");
	CHECK(st->toks[0].v == Q_IPV6);
	done();
}

static void operators(void)
{
	static const struct { const char *s; enum tok t; } ops[] = {
		{"+", T_PLUS}, {"-", T_MINUS}, {"*", T_STAR}, {"/", T_SLASH}, {"%", T_PERCENT},
		{"&", T_AMP}, {"|", T_PIPE}, {"^", T_CARET}, {"<<", T_LSH}, {">>", T_RSH},
		{"=", T_EQ}, {"==", T_EQ}, {"!=", T_NEQ}, {"<", T_LT}, {"<=", T_LE}, {">", T_GT},
		{">=", T_GE}, {"&&", T_AND}, {"||", T_OR}, {"!", T_NOT}, {"(", T_LPAREN},
		{")", T_RPAREN}, {"[", T_LBRACK}, {"]", T_RBRACK}, {":", T_COLON},
		{";", T_ERR}, {"$", T_ERR}, {"\"", T_ERR},
	};
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
		CHECK(one(ops[i].s, ops[i].t, 0));
}

static void sequences(void)
{
	lex("  tcp[13:1]&2!=0 ");
	enum tok want[] = { T_PNAME, T_LBRACK, T_NUM, T_COLON, T_NUM, T_RBRACK, T_AMP, T_NUM,
	                    T_NEQ, T_NUM, T_EOF };
	CHECK_EQ_INT(st->ntoks, 11);
	for (int i = 0; i < 11 && i < st->ntoks; i++)
		CHECK_EQ_INT(st->toks[i].t, want[i]);
	CHECK_EQ_INT(st->toks[0].pos, 2);
	CHECK_EQ_INT(st->toks[0].len, 3);
	done();
	lex("net 10.0.0.0/8");
	CHECK(st->ntoks == 5 && st->toks[1].t == T_HID && st->toks[2].t == T_SLASH && st->toks[3].t == T_NUM);
	done();
	lex("((a) b)");   /* parenthesis matching */
	CHECK(st->pmatch[0] == 5 && st->pmatch[1] == 3 && st->pmatch[5] == 0);
	done();
}

UNIT_MAIN(U(numbers), U(named_constants), U(addresses), U(identifiers), U(keywords),
          U(operators), U(sequences))
