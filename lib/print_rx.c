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

static void
uintout(struct cur *c)
{
	uint32_t v = get32(c);

	if (c->ok) {
		putc_(c->P, ' ');
		putu(c->P, v);
	}
}

static void
intout(struct cur *c)
{
	uint32_t v = get32(c);

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
dateout(struct cur *c)
{
	uint32_t v = get32(c);
	time_t t;
	struct tm tm;
	char str[64];

	if (!c->ok)
		return;
	t = (time_t)(int32_t)v;
	if (localtime_r(&t, &tm) && strftime(str, sizeof str, "%Y/%m/%d %H:%M:%S", &tm)) {
		putc_(c->P, ' ');
		puts_(c->P, str);
	}
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
	if (mask & 1) {
		puts_(c->P, " date");
		dateout(c);
	} else {
		c->bp += 4;
	}
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
fs_print(struct pctx *P, uint32_t bp, uint32_t length)
{
	struct cur c = { P, bp + RX_HDR, 1 };
	uint32_t op;
	int bad = 0;

	if (length <= RX_HDR)
		return 0;
	op = get32(&c);
	if (!c.ok)
		return finish(&c, 0, "fs");
	puts_(P, " fs call ");
	put_tok(P, fs_req, "op#%u", op);
	switch (op) {
	case 130:
		fidout(&c);
		puts_(P, " offset");
		uintout(&c);
		puts_(P, " length");
		uintout(&c);
		break;
	case 131: case 132: case 143: case 144: case 145: case 156: case 157: case 158:
		fidout(&c);
		break;
	case 135:
		fidout(&c);
		storeattrout(&c);
		break;
	case 133:
		fidout(&c);
		storeattrout(&c);
		puts_(P, " offset");
		uintout(&c);
		puts_(P, " length");
		uintout(&c);
		puts_(P, " flen");
		uintout(&c);
		break;
	case 137: case 141:
		fidout(&c);
		if (c.ok && (bad = strout(&c, 256)) == 0)
			storeattrout(&c);
		break;
	case 136: case 142:
		fidout(&c);
		if (c.ok)
			bad = strout(&c, 256);
		break;
	case 138:
		puts_(P, " old");
		fidout(&c);
		if (c.ok && (bad = strout(&c, 256)) == 0) {
			puts_(P, " new");
			fidout(&c);
			if (c.ok)
				bad = strout(&c, 256);
		}
		break;
	case 139:
		fidout(&c);
		if (c.ok && (bad = strout(&c, 256)) == 0) {
			puts_(P, " link to");
			bad = strout(&c, 256);
		}
		break;
	case 140:
		fidout(&c);
		if (c.ok && (bad = strout(&c, 256)) == 0) {
			puts_(P, " link to");
			fidout(&c);
		}
		break;
	case 148:
		bad = strout(&c, 256);
		break;
	case 149: case 150:
		puts_(P, " volid");
		uintout(&c);
		break;
	case 154:
		puts_(P, " volname");
		bad = strout(&c, 256);
		break;
	case 155: case 65536: {
		uint32_t j = get32(&c);

		for (uint32_t i = 0; c.ok && i < j; i++) {
			fidout(&c);
			if (i != j - 1)
				putc_(P, ',');
		}
		if (c.ok && j == 0)
			puts_(P, " <none!>");
		break;
	}
	default:
		break;
	}
	return finish(&c, bad, "fs");
}

static int
fs_reply_print(struct pctx *P, uint32_t bp, uint32_t length, uint32_t op)
{
	struct cur c = { P, bp + RX_HDR, 1 };
	uint8_t type = U8(P, bp + 20);
	int bad = 0;

	if (length <= RX_HDR)
		return 0;
	puts_(P, " fs reply ");
	put_tok(P, fs_req, "op#%u", op);
	if (type == 1) {
		switch (op) {
		case 137: case 141:
			puts_(P, " new");
			fidout(&c);
			break;
		case 151:
			puts_(P, " root volume");
			bad = strout(&c, 256);
			break;
		case 153:
			dateout(&c);
			break;
		default:
			break;
		}
	} else if (type == 4) {
		uint32_t e = get32(&c);

		if (c.ok)
			putf(P, " error #%d", (int32_t)e);
	} else {
		putf(P, " strange fs reply of type %u", type);
	}
	return finish(&c, bad, "fs");
}

static int
cb_print(struct pctx *P, uint32_t bp, uint32_t length)
{
	struct cur c = { P, bp + RX_HDR, 1 };
	uint32_t op;

	if (length <= RX_HDR)
		return 0;
	op = get32(&c);
	if (!c.ok)
		return finish(&c, 0, "cb");
	puts_(P, " cb call ");
	put_tok(P, cb_req, "op#%u", op);
	if (op == 204) {
		uint32_t j = get32(&c);

		for (uint32_t i = 0; c.ok && i < j; i++) {
			fidout(&c);
			if (i != j - 1)
				putc_(P, ',');
		}
		if (c.ok && j == 0)
			puts_(P, " <none!>");
		j = get32(&c);
		if (c.ok && j != 0)
			putc_(P, ';');
		for (uint32_t i = 0; c.ok && i < j; i++) {
			puts_(P, " ver");
			intout(&c);
			puts_(P, " expires");
			dateout(&c);
			get32(&c);
		}
	}
	return finish(&c, 0, "cb");
}

static int
is_ubik(uint32_t op)
{
	return (op >= 10000 && op <= 10007) || (op >= 20000 && op <= 20013);
}

static int
pt_print(struct pctx *P, uint32_t bp, uint32_t length)
{
	struct cur c = { P, bp + RX_HDR, 1 };
	uint32_t op, j;
	int bad = 0;

	if (length <= RX_HDR)
		return 0;
	op = get32(&c);
	if (!c.ok)
		return finish(&c, 0, "pt");
	if (is_ubik(op)) {
		puts_(P, " ubik call");
		return 0;
	}
	puts_(P, " pt call ");
	put_tok(P, pt_req, "op#%u", op);
	switch (op) {
	case 500:
		if ((bad = strout(&c, 64)) == 0) {
			puts_(P, " id");
			intout(&c);
			puts_(P, " oldid");
			intout(&c);
		}
		break;
	case 501: case 506: case 508: case 512: case 514: case 517: case 518: case 519: case 530:
		puts_(P, " id");
		intout(&c);
		break;
	case 502:
		puts_(P, " pos");
		intout(&c);
		break;
	case 503: case 507: case 515:
		puts_(P, " uid");
		intout(&c);
		puts_(P, " gid");
		intout(&c);
		break;
	case 504:
		j = get32(&c);
		for (uint32_t i = 0; c.ok && !bad && i < j; i++)
			bad = vecout(&c, 64);
		if (c.ok && !bad && j == 0)
			puts_(P, " <none!>");
		break;
	case 505:
		puts_(P, " ids:");
		j = get32(&c);
		for (uint32_t i = 0; c.ok && i < j; i++)
			intout(&c);
		if (c.ok && j == 0)
			puts_(P, " <none!>");
		break;
	case 509:
		if ((bad = strout(&c, 64)) == 0) {
			puts_(P, " flag");
			intout(&c);
			puts_(P, " oid");
			intout(&c);
		}
		break;
	case 511:
		puts_(P, " id");
		intout(&c);
		puts_(P, " gflag");
		intout(&c);
		break;
	case 513:
		puts_(P, " id");
		intout(&c);
		if (c.ok && (bad = strout(&c, 64)) == 0) {
			puts_(P, " oldid");
			intout(&c);
			puts_(P, " newid");
			intout(&c);
		}
		break;
	case 520:
		puts_(P, " id");
		intout(&c);
		if (c.ok)
			bad = strout(&c, 64);
		break;
	default:
		break;
	}
	return finish(&c, bad, "pt");
}

static int
pt_reply_print(struct pctx *P, uint32_t bp, uint32_t length, uint32_t op)
{
	struct cur c = { P, bp + RX_HDR, 1 };
	uint8_t type = U8(P, bp + 20);
	uint32_t j;
	int bad = 0;

	if (length < RX_HDR)
		return 0;
	if (is_ubik(op)) {
		puts_(P, " ubik reply");
		return 0;
	}
	puts_(P, " pt reply ");
	put_tok(P, pt_req, "op#%u", op);
	if (type == 1) {
		switch (op) {
		case 504:
			puts_(P, " ids:");
			j = get32(&c);
			for (uint32_t i = 0; c.ok && i < j; i++)
				intout(&c);
			if (c.ok && j == 0)
				puts_(P, " <none!>");
			break;
		case 505:
			j = get32(&c);
			for (uint32_t i = 0; c.ok && !bad && i < j; i++)
				bad = vecout(&c, 64);
			if (c.ok && !bad && j == 0)
				puts_(P, " <none!>");
			break;
		case 508: case 514: case 517: case 518: case 519:
			j = get32(&c);
			for (uint32_t i = 0; c.ok && i < j; i++)
				intout(&c);
			if (c.ok && j == 0)
				puts_(P, " <none!>");
			break;
		case 510:
			puts_(P, " maxuid");
			intout(&c);
			puts_(P, " maxgid");
			intout(&c);
			break;
		default:
			break;
		}
	} else {
		puts_(P, " errcode");
		intout(&c);
	}
	return finish(&c, bad, "pt");
}

static const char *const voltype[] = { "read-write", "read-only", "backup" };

static int
vldb_print(struct pctx *P, uint32_t bp, uint32_t length)
{
	struct cur c = { P, bp + RX_HDR, 1 };
	uint32_t op, i;
	int bad = 0;

	if (length <= RX_HDR)
		return 0;
	op = get32(&c);
	if (!c.ok)
		return finish(&c, 0, "vldb");
	if (is_ubik(op)) {
		puts_(P, " ubik call");
		return 0;
	}
	puts_(P, " vldb call ");
	put_tok(P, vldb_req, "op#%u", op);
	switch (op) {
	case 501: case 517:
		bad = vecout(&c, 65);
		break;
	case 502: case 503: case 507: case 508: case 509: case 518:
		puts_(P, " volid");
		intout(&c);
		i = get32(&c);
		if (c.ok && i <= 2) {
			puts_(P, " type ");
			puts_(P, voltype[i]);
		}
		break;
	case 504: case 519: case 524: case 527:
		bad = strout(&c, 65);
		break;
	case 505:
		puts_(P, " bump");
		intout(&c);
		break;
	case 506: case 520:
		puts_(P, " volid");
		intout(&c);
		i = get32(&c);
		if (c.ok && i <= 2) {
			puts_(P, " type ");
			puts_(P, voltype[i]);
		}
		if (c.ok)
			bad = vecout(&c, 65);
		break;
	case 510: case 521:
		puts_(P, " index");
		intout(&c);
		break;
	default:
		break;
	}
	return finish(&c, bad, "vldb");
}

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
	puts_(P, " numservers");
	nservers = get32(c);
	if (!c->ok)
		return 0;
	putc_(P, ' ');
	putu(P, nservers);
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
	puts_(P, " rwvol");
	uintout(c);
	puts_(P, " rovol");
	uintout(c);
	puts_(P, " backup");
	uintout(c);
	return 0;
}

static int
vldb_reply_print(struct pctx *P, uint32_t bp, uint32_t length, uint32_t op)
{
	struct cur c = { P, bp + RX_HDR, 1 };
	uint8_t type = U8(P, bp + 20);
	int bad = 0;

	if (length < RX_HDR)
		return 0;
	if (is_ubik(op)) {
		puts_(P, " ubik reply");
		return 0;
	}
	puts_(P, " vldb reply ");
	put_tok(P, vldb_req, "op#%u", op);
	if (type == 1) {
		switch (op) {
		case 510:
			puts_(P, " count");
			intout(&c);
			puts_(P, " nextindex");
			intout(&c);
			/* FALLTHROUGH */
		case 503: case 504:
			if (c.ok)
				bad = vldb_entry(&c, 8);
			break;
		case 505:
			puts_(P, " newvol");
			uintout(&c);
			break;
		case 521: case 529:
			puts_(P, " count");
			intout(&c);
			puts_(P, " nextindex");
			intout(&c);
			/* FALLTHROUGH */
		case 518: case 519:
			if (c.ok)
				bad = vldb_entry(&c, 13);
			break;
		default:
			break;
		}
	} else {
		puts_(P, " errcode");
		intout(&c);
	}
	return finish(&c, bad, "vldb");
}

static int
vol_print(struct pctx *P, uint32_t bp, uint32_t length)
{
	struct cur c = { P, bp + RX_HDR, 1 };
	uint32_t op;

	if (length <= RX_HDR)
		return 0;
	op = get32(&c);
	if (!c.ok)
		return finish(&c, 0, "vol");
	puts_(P, " vol call ");
	put_tok(P, vol_req, "op#%u", op);
	switch (op) {
	case 121:
		puts_(P, " partid");
		uintout(&c);
		puts_(P, " volid");
		uintout(&c);
		break;
	default:
		break;
	}
	return finish(&c, 0, "vol");
}

static int
vol_reply_print(struct pctx *P, uint32_t bp, uint32_t length, uint32_t op)
{
	struct cur c = { P, bp + RX_HDR, 1 };
	uint8_t type = U8(P, bp + 20);
	int bad = 0;

	if (length <= RX_HDR)
		return 0;
	puts_(P, " vol reply ");
	put_tok(P, vol_req, "op#%u", op);
	if (type == 1) {
		switch (op) {
		case 121:
			get32(&c);
			puts_(P, " name");
			if (c.ok && (bad = vecout(&c, 32)) == 0) {
				puts_(P, " volid");
				uintout(&c);
				puts_(P, " type");
			}
			break;
		default:
			break;
		}
	} else {
		puts_(P, " errcode");
		intout(&c);
	}
	return finish(&c, bad, "vol");
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
		switch (dport) {
		case 7000: rc = fs_print(P, bp, length); break;
		case 7001: rc = cb_print(P, bp, length); break;
		case 7002: rc = pt_print(P, bp, length); break;
		case 7003: rc = vldb_print(P, bp, length); break;
		case 7005: rc = vol_print(P, bp, length); break;
		default: break;
		}
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
		if (found) {
			switch (sport) {
			case 7000: rc = fs_reply_print(P, bp, length, op); break;
			case 7002: rc = pt_reply_print(P, bp, length, op); break;
			case 7003: rc = vldb_reply_print(P, bp, length, op); break;
			case 7005: rc = vol_reply_print(P, bp, length, op); break;
			case 7001:
				if (length > RX_HDR) {
					puts_(P, " cb reply ");
					put_tok(P, cb_req, "op#%u", op);
				}
				break;
			default: break;
			}
		}
	} else if (type == 2) {
		rx_ack_print(P, bp, length);
	}
	if (rc < 0)
		return;
	puts_(P, " (");
	putu(P, length);
	putc_(P, ')');
}
