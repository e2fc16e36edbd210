/* print_rx.c — AFS RX RPC (UDP ports 7000-7009) as tcpdump summarises it.
 *
 * RX header layout and the AFS file server, callback, protection, VLDB and
 * volume interfaces follow the OpenAFS rx/rx.h and the *.xg interface
 * definitions.  Replies carry no opcode, so calls are remembered in a small
 * round-robin cache in the printer (64 entries, as tcpdump keeps).
 */
#include <time.h>

#include "print_int.h"

#define RX_HDR 28
#define RX_CACHE_SIZE 64

static const struct tok rx_types[] = {
	{ 1, "data" }, { 2, "ack" }, { 3, "busy" }, { 4, "abort" }, { 5, "ackall" },
	{ 6, "challenge" }, { 7, "response" }, { 8, "debug" }, { 9, "params" },
	{ 10, "params" }, { 11, "params" }, { 12, "params" }, { 13, "version" }, { 0, NULL }
};

static const struct tok fs_req[] = {
	{ 130, "fetch-data" }, { 131, "fetch-acl" }, { 132, "fetch-status" },
	{ 133, "store-data" }, { 134, "store-acl" }, { 135, "store-status" },
	{ 136, "remove-file" }, { 137, "create-file" }, { 138, "rename" }, { 139, "symlink" },
	{ 140, "link" }, { 141, "makedir" }, { 142, "rmdir" }, { 143, "oldsetlock" },
	{ 144, "oldextlock" }, { 145, "oldrellock" }, { 146, "get-stats" }, { 147, "give-cbs" },
	{ 148, "get-vlinfo" }, { 149, "get-vlstats" }, { 150, "set-vlstats" },
	{ 151, "get-rootvl" }, { 152, "check-token" }, { 153, "get-time" },
	{ 154, "nget-vlinfo" }, { 155, "bulk-stat" }, { 156, "setlock" }, { 157, "extlock" },
	{ 158, "rellock" }, { 159, "xstat-ver" }, { 160, "get-xstat" }, { 161, "dfs-lookup" },
	{ 162, "dfs-flushcps" }, { 163, "dfs-symlink" }, { 220, "residency" },
	{ 65536, "inline-bulk-status" }, { 65537, "fetch-data-64" }, { 65538, "store-data-64" },
	{ 65539, "give-up-all-cbs" }, { 65540, "get-caps" }, { 65541, "cb-rx-conn-addr" },
	{ 0, NULL }
};

static const struct tok cb_req[] = {
	{ 204, "callback" }, { 205, "initcb" }, { 206, "probe" }, { 207, "getlock" },
	{ 208, "getce" }, { 209, "xstatversion" }, { 210, "getxstat" }, { 211, "initcb2" },
	{ 212, "whoareyou" }, { 213, "initcb3" }, { 214, "probeuuid" }, { 215, "getsrvprefs" },
	{ 216, "getcellservdb" }, { 217, "getlocalcell" }, { 218, "getcacheconf" },
	{ 65536, "getce64" }, { 65537, "getcellbynum" }, { 65538, "tellmeaboutyourself" },
	{ 0, NULL }
};

static const struct tok pt_req[] = {
	{ 500, "new-user" }, { 501, "where-is-it" }, { 502, "dump-entry" },
	{ 503, "add-to-group" }, { 504, "name-to-id" }, { 505, "id-to-name" }, { 506, "delete" },
	{ 507, "remove-from-group" }, { 508, "get-cps" }, { 509, "new-entry" },
	{ 510, "list-max" }, { 511, "set-max" }, { 512, "list-entry" }, { 513, "change-entry" },
	{ 514, "list-elements" }, { 515, "same-mbr-of" }, { 516, "set-fld-sentry" },
	{ 517, "list-owned" }, { 518, "get-cps2" }, { 519, "get-host-cps" },
	{ 520, "update-entry" }, { 521, "list-entries" }, { 530, "list-super-groups" },
	{ 0, NULL }
};

static const struct tok vldb_req[] = {
	{ 501, "create-entry" }, { 502, "delete-entry" }, { 503, "get-entry-by-id" },
	{ 504, "get-entry-by-name" }, { 505, "get-new-volume-id" }, { 506, "replace-entry" },
	{ 507, "update-entry" }, { 508, "set-lock" }, { 509, "release-lock" },
	{ 510, "list-entry" }, { 511, "list-attrib" }, { 512, "linked-list" },
	{ 513, "get-stats" }, { 514, "probe" }, { 515, "get-addrs" }, { 516, "change-addr" },
	{ 517, "create-entry-n" }, { 518, "get-entry-by-id-n" }, { 519, "get-entry-by-name-n" },
	{ 520, "replace-entry-n" }, { 521, "list-entry-n" }, { 522, "list-attrib-n" },
	{ 523, "linked-list-n" }, { 524, "update-entry-by-name" }, { 525, "create-entry-u" },
	{ 526, "get-entry-by-id-u" }, { 527, "get-entry-by-name-u" }, { 528, "replace-entry-u" },
	{ 529, "list-entry-u" }, { 530, "list-attrib-u" }, { 531, "linked-list-u" },
	{ 532, "regaddr" }, { 533, "get-addrs-u" }, { 534, "list-attrib-n2" }, { 0, NULL }
};

static const struct tok vol_req[] = {
	{ 100, "create-volume" }, { 101, "delete-volume" }, { 102, "restore" },
	{ 103, "forward" }, { 104, "end-trans" }, { 105, "clone" }, { 106, "set-flags" },
	{ 107, "get-flags" }, { 108, "trans-create" }, { 109, "dump" },
	{ 110, "get-nth-volume" }, { 111, "set-forwarding" }, { 112, "get-name" },
	{ 113, "get-status" }, { 114, "sig-restore" }, { 115, "list-partitions" },
	{ 116, "list-volumes" }, { 117, "set-id-types" }, { 118, "monitor" },
	{ 119, "partition-info" }, { 120, "reclone" }, { 121, "list-one-volume" },
	{ 122, "nuke" }, { 123, "set-date" }, { 124, "x-list-volumes" },
	{ 125, "x-list-one-volume" }, { 126, "set-info" }, { 127, "x-list-partitions" },
	{ 128, "forward-multiple" }, { 65536, "convert-ro" }, { 65537, "get-size" },
	{ 65538, "dump-v2" }, { 0, NULL }
};

static const struct tok ack_reasons[] = {
	{ 1, "ack requested" }, { 2, "duplicate packet" }, { 3, "out of sequence" },
	{ 4, "exceeds window" }, { 5, "no buffer space" }, { 6, "ping" },
	{ 7, "ping response" }, { 8, "delay" }, { 9, "idle" }, { 0, NULL }
};

/* A cursor over the RPC arguments; ok drops to 0 when bytes run out. */
struct cur {
	struct pctx *P;
	uint32_t bp;
	int ok;
};

static uint32_t
get32(struct cur *c)
{
	uint32_t v;

	if (!c->ok || !HAS(c->P, c->bp, 4)) {
		c->ok = 0;
		return 0;
	}
	v = U32(c->P, c->bp);
	c->bp += 4;
	return v;
}

static void
fidout(struct cur *c)
{
	uint32_t a, b, d;

	if (!HAS(c->P, c->bp, 12)) {
		c->ok = 0;
		return;
	}
	a = get32(c);
	b = get32(c);
	d = get32(c);
	putf(c->P, " fid %u/%u/%u", a, b, d);
}

/* LABEL, then the next word as an unsigned (uintout) or signed (intout)
 * number; the label stands even when the bytes ran out, as in tcpdump. */
static uint32_t
uintout(struct cur *c, const char *label)
{
	uint32_t v;

	puts_(c->P, label);
	v = get32(c);
	if (c->ok) {
		putc_(c->P, ' ');
		putu(c->P, v);
	}
	return v;
}

static void
intout(struct cur *c, const char *label)
{
	uint32_t v;

	puts_(c->P, label);
	v = get32(c);
	if (c->ok) {
		putc_(c->P, ' ');
		puti(c->P, (int32_t)v);
	}
}

/* Returns -1 for tcpdump's "goto trunc" (a bad length). */
static int
strout(struct cur *c, uint32_t max)
{
	uint32_t n = get32(c);

	if (!c->ok)
		return 0;
	if (n > max)
		return -1;
	puts_(c->P, " \"");
	if (put_ascii_n(c->P, c->bp, n) < 0)
		return -1;
	putc_(c->P, '"');
	c->bp += (n + 3) / 4 * 4;
	return 0;
}

static int
vecout(struct cur *c, uint32_t max)
{
	char s[80];
	uint32_t k;

	if (!HAS(c->P, c->bp, max * 4))
		return -1;
	for (k = 0; k < max; k++)
		s[k] = (char)get32(c);
	s[max] = '\0';
	puts_(c->P, " \"");
	for (k = 0; s[k]; k++) {
		uint8_t ch = (uint8_t)s[k];

		if (ch & 0x80) {
			puts_(c->P, "M-");
			ch &= 0x7f;
		}
		if (ch < 0x20 || ch == 0x7f) {
			putc_(c->P, '^');
			putc_(c->P, (char)(ch ^ 0x40));
		} else {
			putc_(c->P, (char)ch);
		}
	}
	putc_(c->P, '"');
	return 0;
}

static void
dateout(struct cur *c, const char *label)
{
	uint32_t v;
	time_t t;
	struct tm tm;
	char str[64];

	puts_(c->P, label);
	v = get32(c);
	if (!c->ok)
		return;
	t = (time_t)(int32_t)v;
	if (localtime_r(&t, &tm) && strftime(str, sizeof str, "%Y/%m/%d %H:%M:%S", &tm)) {
		putc_(c->P, ' ');
		puts_(c->P, str);
	}
}

/* Counted lists: of fids, of signed numbers, of 64-byte names (the last
 * returns -1 for a bad length).  An empty list is " <none!>". */
static void
fidlist(struct cur *c)
{
	uint32_t j = get32(c);

	for (uint32_t i = 0; c->ok && i < j; i++) {
		fidout(c);
		if (i != j - 1)
			putc_(c->P, ',');
	}
	if (c->ok && j == 0)
		puts_(c->P, " <none!>");
}

static void
intlist(struct cur *c, const char *label)
{
	uint32_t j;

	puts_(c->P, label);
	j = get32(c);
	for (uint32_t i = 0; c->ok && i < j; i++)
		intout(c, "");
	if (c->ok && j == 0)
		puts_(c->P, " <none!>");
}

static int
namelist(struct cur *c)
{
	uint32_t j = get32(c);
	int bad = 0;

	for (uint32_t i = 0; c->ok && !bad && i < j; i++)
		bad = vecout(c, 64);
	if (c->ok && !bad && j == 0)
		puts_(c->P, " <none!>");
	return bad;
}

static void
storeattrout(struct cur *c)
{
	uint32_t mask, v;

	if (!HAS(c->P, c->bp, 24)) {
		c->ok = 0;
		return;
	}
	mask = get32(c);
	if (mask)
		puts_(c->P, " StoreStatus");
	if (mask & 1)
		dateout(c, " date");
	else
		c->bp += 4;
	v = get32(c);
	if (mask & 2)
		putf(c->P, " owner %u", v);
	v = get32(c);
	if (mask & 4)
		putf(c->P, " group %u", v);
	v = get32(c);
	if (mask & 8)
		putf(c->P, " mode %o", v & 07777);
	v = get32(c);
	if (mask & 16)
		putf(c->P, " segsize %u", v);
	if (mask & 1024)
		puts_(c->P, " fsync");
}

/* The decoders of each service's call arguments and of the results of its
 * successful replies.  Each returns -1 for a bad length (" [|svc]"), 0
 * otherwise; bytes running out show in c->ok. */

static int
fs_call(struct cur *c, uint32_t op)
{
	struct pctx *P = c->P;
	int bad = 0;

	switch (op) {
	case 130:
		fidout(c);
		uintout(c, " offset");
		uintout(c, " length");
		break;
	case 131: case 132: case 143: case 144: case 145: case 156: case 157: case 158:
		fidout(c);
		break;
	case 135:
		fidout(c);
		storeattrout(c);
		break;
	case 133:
		fidout(c);
		storeattrout(c);
		uintout(c, " offset");
		uintout(c, " length");
		uintout(c, " flen");
		break;
	case 137: case 141:
		fidout(c);
		if (c->ok && (bad = strout(c, 256)) == 0)
			storeattrout(c);
		break;
	case 136: case 142:
		fidout(c);
		if (c->ok)
			bad = strout(c, 256);
		break;
	case 138:
		puts_(P, " old");
		fidout(c);
		if (c->ok && (bad = strout(c, 256)) == 0) {
			puts_(P, " new");
			fidout(c);
			if (c->ok)
				bad = strout(c, 256);
		}
		break;
	case 139:
		fidout(c);
		if (c->ok && (bad = strout(c, 256)) == 0) {
			puts_(P, " link to");
			bad = strout(c, 256);
		}
		break;
	case 140:
		fidout(c);
		if (c->ok && (bad = strout(c, 256)) == 0) {
			puts_(P, " link to");
			fidout(c);
		}
		break;
	case 148:
		bad = strout(c, 256);
		break;
	case 149: case 150:
		uintout(c, " volid");
		break;
	case 154:
		puts_(P, " volname");
		bad = strout(c, 256);
		break;
	case 155: case 65536:
		fidlist(c);
		break;
	default:
		break;
	}
	return bad;
}

static int
fs_reply(struct cur *c, uint32_t op)
{
	switch (op) {
	case 137: case 141:
		puts_(c->P, " new");
		fidout(c);
		return 0;
	case 151:
		puts_(c->P, " root volume");
		return strout(c, 256);
	case 153:
		dateout(c, "");
		return 0;
	default:
		return 0;
	}
}

static int
cb_call(struct cur *c, uint32_t op)
{
	uint32_t j;

	if (op != 204)
		return 0;
	fidlist(c);
	j = get32(c);
	if (c->ok && j != 0)
		putc_(c->P, ';');
	for (uint32_t i = 0; c->ok && i < j; i++) {
		intout(c, " ver");
		dateout(c, " expires");
		get32(c);
	}
	return 0;
}

static int
pt_call(struct cur *c, uint32_t op)
{
	int bad = 0;

	switch (op) {
	case 500:
		if ((bad = strout(c, 64)) == 0) {
			intout(c, " id");
			intout(c, " oldid");
		}
		break;
	case 501: case 506: case 508: case 512: case 514: case 517: case 518: case 519: case 530:
		intout(c, " id");
		break;
	case 502:
		intout(c, " pos");
		break;
	case 503: case 507: case 515:
		intout(c, " uid");
		intout(c, " gid");
		break;
	case 504:
		bad = namelist(c);
		break;
	case 505:
		intlist(c, " ids:");
		break;
	case 509:
		if ((bad = strout(c, 64)) == 0) {
			intout(c, " flag");
			intout(c, " oid");
		}
		break;
	case 511:
		intout(c, " id");
		intout(c, " gflag");
		break;
	case 513:
		intout(c, " id");
		if (c->ok && (bad = strout(c, 64)) == 0) {
			intout(c, " oldid");
			intout(c, " newid");
		}
		break;
	case 520:
		intout(c, " id");
		if (c->ok)
			bad = strout(c, 64);
		break;
	default:
		break;
	}
	return bad;
}

static int
pt_reply(struct cur *c, uint32_t op)
{
	switch (op) {
	case 504:
		intlist(c, " ids:");
		return 0;
	case 505:
		return namelist(c);
	case 508: case 514: case 517: case 518: case 519:
		intlist(c, "");
		return 0;
	case 510:
		intout(c, " maxuid");
		intout(c, " maxgid");
		return 0;
	default:
		return 0;
	}
}

static const char *const voltype[] = { "read-write", "read-only", "backup" };

static void
volid_type(struct cur *c)
{
	uint32_t t;

	intout(c, " volid");
	t = get32(c);
	if (c->ok && t <= 2) {
		puts_(c->P, " type ");
		puts_(c->P, voltype[t]);
	}
}

static int
vldb_call(struct cur *c, uint32_t op)
{
	int bad = 0;

	switch (op) {
	case 501: case 517:
		bad = vecout(c, 65);
		break;
	case 502: case 503: case 507: case 508: case 509: case 518:
		volid_type(c);
		break;
	case 504: case 519: case 524: case 527:
		bad = strout(c, 65);
		break;
	case 505:
		intout(c, " bump");
		break;
	case 506: case 520:
		volid_type(c);
		if (c->ok)
			bad = vecout(c, 65);
		break;
	case 510: case 521:
		intout(c, " index");
		break;
	default:
		break;
	}
	return bad;
}

/* A VLDB entry with NMAX server slots (8: the old form, 13: the -n/-u forms). */
static int
vldb_entry(struct cur *c, unsigned nmax)
{
	struct pctx *P = c->P;
	uint32_t nservers, j, i;

	if (vecout(c, 65) < 0)
		return -1;
	if (nmax == 8) {
		if (!HAS(P, c->bp, 4)) {
			c->ok = 0;
			return 0;
		}
		c->bp += 4;
	}
	nservers = uintout(c, " numservers");
	if (!c->ok)
		return 0;
	puts_(P, " servers");
	for (i = 0; i < nmax && c->ok; i++) {
		uint32_t at = c->bp;

		get32(c);
		if (c->ok && i < nservers) {
			putc_(P, ' ');
			put_ip4(P, P->pkt + at);
		}
	}
	puts_(P, " partitions");
	for (i = 0; i < nmax && c->ok; i++) {
		j = get32(c);
		if (!c->ok)
			break;
		if (i < nservers && j <= 26)
			putf(P, " %c", 'a' + (int)j);
		else if (i < nservers)
			putf(P, " %u", j);
	}
	if (!c->ok)
		return 0;
	if (!HAS(P, c->bp, nmax * 4)) {
		c->ok = 0;
		return 0;
	}
	c->bp += nmax * 4;
	uintout(c, " rwvol");
	uintout(c, " rovol");
	uintout(c, " backup");
	return 0;
}

static int
vldb_reply(struct cur *c, uint32_t op)
{
	switch (op) {
	case 510: case 521: case 529:
		intout(c, " count");
		intout(c, " nextindex");
		/* FALLTHROUGH */
	case 503: case 504: case 518: case 519:
		if (!c->ok)
			return 0;
		return vldb_entry(c, op == 503 || op == 504 || op == 510 ? 8 : 13);
	case 505:
		uintout(c, " newvol");
		return 0;
	default:
		return 0;
	}
}

static int
vol_call(struct cur *c, uint32_t op)
{
	if (op == 121) {
		uintout(c, " partid");
		uintout(c, " volid");
	}
	return 0;
}

static int
vol_reply(struct cur *c, uint32_t op)
{
	int bad = 0;

	if (op == 121) {
		get32(c);
		puts_(c->P, " name");
		if (c->ok && (bad = vecout(c, 32)) == 0) {
			uintout(c, " volid");
			puts_(c->P, " type");
		}
	}
	return bad;
}

#define FS_PORT 7000

/* The AFS services by UDP port.  Replies carry no opcode: the call's,
 * remembered in the cache, names them. */
static const struct rx_svc {
	uint16_t port;
	uint8_t ubik;          /* a Ubik database: opcodes 10000-7 and 20000-13 are Ubik's */
	uint8_t reply_min;     /* shortest packet whose reply is named */
	const char *name;
	const struct tok *ops;
	int (*call)(struct cur *c, uint32_t op);
	int (*reply)(struct cur *c, uint32_t op);   /* NULL: the opcode name only */
} services[] = {
	{ FS_PORT, 0, RX_HDR + 1, "fs", fs_req, fs_call, fs_reply },
	{ 7001, 0, RX_HDR + 1, "cb", cb_req, cb_call, NULL },
	{ 7002, 1, RX_HDR, "pt", pt_req, pt_call, pt_reply },
	{ 7003, 1, RX_HDR, "vldb", vldb_req, vldb_call, vldb_reply },
	{ 7005, 0, RX_HDR + 1, "vol", vol_req, vol_call, vol_reply },
};

static const struct rx_svc *
service(uint16_t port)
{
	for (size_t i = 0; i < sizeof services / sizeof services[0]; i++)
		if (services[i].port == port)
			return &services[i];
	return NULL;
}

static int
is_ubik(uint32_t op)
{
	return (op >= 10000 && op <= 10007) || (op >= 20000 && op <= 20013);
}

/* " svc call|reply opname", or " ubik call|reply" for a Ubik opcode. */
static int
svc_name(struct pctx *P, const struct rx_svc *s, const char *dir, uint32_t op)
{
	if (s->ubik && is_ubik(op)) {
		puts_(P, " ubik ");
		puts_(P, dir);
		return 0;
	}
	putc_(P, ' ');
	puts_(P, s->name);
	putc_(P, ' ');
	puts_(P, dir);
	putc_(P, ' ');
	put_tok(P, s->ops, "op#%u", op);
	return 1;
}

/* Finish a service printer: " [|svc]" for a bad length, " [|rx]" when the
 * bytes ran out (tcpdump's longjmp, which also drops the "(length)"). */
static int
finish(struct cur *c, int bad, const char *svc)
{
	if (!c->ok) {
		puts_(c->P, " [|rx]");
		return -1;
	}
	if (bad) {
		puts_(c->P, " [|");
		puts_(c->P, svc);
		putc_(c->P, ']');
	}
	return 0;
}

static int
svc_call(struct pctx *P, const struct rx_svc *s, uint32_t bp, uint32_t length)
{
	struct cur c = { P, bp + RX_HDR, 1 };
	uint32_t op;

	if (length <= RX_HDR)
		return 0;
	op = get32(&c);
	if (!c.ok)
		return finish(&c, 0, s->name);
	if (!svc_name(P, s, "call", op))
		return 0;
	return finish(&c, s->call(&c, op), s->name);
}

/* TYPE is data (1) or abort (4): results, or the abort code. */
static int
svc_reply(struct pctx *P, const struct rx_svc *s, uint32_t bp, uint32_t length, uint32_t op)
{
	struct cur c = { P, bp + RX_HDR, 1 };
	uint8_t type = U8(P, bp + 20);
	uint32_t e;

	if (length < s->reply_min || !svc_name(P, s, "reply", op) || !s->reply)
		return 0;
	if (type == 1)
		return finish(&c, s->reply(&c, op), s->name);
	if (s->port != FS_PORT) {
		intout(&c, " errcode");
	} else {
		e = get32(&c);
		if (c.ok)
			putf(P, " error #%d", (int32_t)e);
	}
	return finish(&c, 0, s->name);
}

static void
rx_ack_print(struct pctx *P, uint32_t bp, uint32_t length)
{
	uint32_t first, a;
	uint8_t nacks;
	int i, start, last;

	if (length < RX_HDR)
		return;
	bp += RX_HDR;
	if (!HAS(P, bp, 18)) {
		puts_(P, " [|ack]");
		return;
	}
	first = U32(P, bp + 4);
	puts_(P, " first ");
	putu(P, first);
	puts_(P, " serial ");
	putu(P, U32(P, bp + 12));
	puts_(P, " reason ");
	put_tok(P, ack_reasons, "#%u", U8(P, bp + 16));
	nacks = U8(P, bp + 17);
	a = bp + 18;
	if (nacks == 0)
		return;
	if (!HAS(P, a, nacks)) {
		puts_(P, " [|ack]");
		return;
	}
	for (int pass = 1; pass >= 0; pass--) {
		for (i = 0, start = last = -2; i < nacks; i++) {
			if (U8(P, a + (uint32_t)i) == pass) {
				if (last == -2) {
					puts_(P, pass ? " acked " : " nacked ");
					putu(P, first + (uint32_t)i);
					start = i;
				} else if (last != i - 1) {
					putc_(P, ',');
					putu(P, first + (uint32_t)i);
					start = i;
				}
				last = i;
			} else if (last == i - 1 && start != last) {
				putc_(P, '-');
				putu(P, first + (uint32_t)i - 1);
			}
		}
		if (last == i - 1 && start != last) {
			putc_(P, '-');
			putu(P, first + (uint32_t)i - 1);
		}
	}
}

/* Called for UDP with a port in 7000-7009. */
void
rx_print(struct pctx *P, uint32_t bp, uint32_t length, uint16_t sport, uint16_t dport, uint32_t ipoff)
{
	struct pk_printer *pr = P->pr;
	const struct rx_svc *s;
	uint8_t type, flags;
	uint32_t seq, callnum, client, server;
	uint16_t svc;
	int rc = 0;

	P->proto = "rx";
	if (!HAS(P, bp, RX_HDR)) {
		puts_(P, " [|rx] (");
		putu(P, length);
		putc_(P, ')');
		return;
	}
	type = U8(P, bp + 20);
	flags = U8(P, bp + 21);
	seq = U32(P, bp + 12);
	callnum = U32(P, bp + 8);
	svc = U16(P, bp + 26);
	puts_(P, " rx ");
	put_tok(P, rx_types, "type %u", type);
	client = pk_be32(P->pkt + ipoff + 12);
	server = pk_be32(P->pkt + ipoff + 16);
	if (type == 1 && seq == 1 && (flags & 1)) {
		if (HAS(P, bp + RX_HDR, 4)) {
			struct rx_call *e = &pr->rx_cache[pr->rx_next];

			pr->rx_next = (pr->rx_next + 1) % RX_CACHE_SIZE;
			e->callnum = callnum;
			e->client = client;
			e->server = server;
			e->dport = dport;
			e->svc = svc;
			e->opcode = U32(P, bp + RX_HDR);
		}
		if ((s = service(dport)) != NULL)
			rc = svc_call(P, s, bp, length);
	} else if (((type == 1 && seq == 1) || type == 4) && !(flags & 1)) {
		unsigned i = pr->rx_hint;
		int found = 0;
		uint32_t op = 0;

		do {
			struct rx_call *e = &pr->rx_cache[i];

			if (e->callnum == callnum && e->client == server && e->server == client &&
			    e->svc == svc && e->dport == sport) {
				pr->rx_hint = i;
				op = e->opcode;
				found = 1;
				break;
			}
			i = (i + 1) % RX_CACHE_SIZE;
		} while (i != pr->rx_hint);
		if (found && (s = service(sport)) != NULL)
			rc = svc_reply(P, s, bp, length, op);
	} else if (type == 2) {
		rx_ack_print(P, bp, length);
	}
	if (rc < 0)
		return;
	puts_(P, " (");
	putu(P, length);
	putc_(P, ')');
}
