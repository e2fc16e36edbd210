/* print_app.c — application summaries chosen by port: HTTP, FTP, SMTP, WHOIS, SSH, BGP, DNS...
 *
 * Text protocols follow tcpdump's txtproto_print(): the protocol name, then
 * the first line when the payload looks like a request or response
 * (RFC 9112 request/status lines for HTTP; any first line for FTP/SMTP).
 */
#include <strings.h>

#include "print_int.h"

static int
isprint_(uint8_t c)
{
	return c >= 0x20 && c <= 0x7e;
}

/* Returns the index after the token and its trailing blanks, or 0. */
static uint32_t
fetch_token(struct pctx *P, uint32_t base, uint32_t idx, uint32_t len, char *tok, size_t toksz)
{
	size_t n = 0;
	uint8_t c;

	for (; idx < len; idx++) {
		if (!HAS(P, base + idx, 1))
			return 0;
		c = U8(P, base + idx);
		if (!isprint_(c))
			return 0;
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			break;
		if (n + 2 > toksz)
			return 0;
		tok[n++] = (char)c;
	}
	if (n == 0)
		return 0;
	tok[n] = '\0';
	for (; idx < len; idx++) {
		if (!HAS(P, base + idx, 1))
			break;
		c = U8(P, base + idx);
		if (c == '\r' || c == '\n' || !isprint_(c))
			break;
		if (c != ' ' && c != '\t')
			break;
	}
	return idx;
}

/* Print one text line after PREFIX; returns the index after its end of
 * line, 0 at binary data or when the line does not end in the packet. */
static uint32_t
print_txt_line(struct pctx *P, const char *prefix, uint32_t base, uint32_t idx, uint32_t len, int *trunc)
{
	uint32_t start = idx, linelen;
	uint8_t c;

	while (idx < len) {
		if (!HAS(P, base + idx, 1)) {
			*trunc = 1;
			return 0;
		}
		c = U8(P, base + idx);
		if (c == '\n') {
			linelen = idx - start;
			idx++;
			goto print;
		} else if (c == '\r') {
			if (idx + 1 >= len)
				return 0;
			if (!HAS(P, base + idx + 1, 1)) {
				*trunc = 1;
				return 0;
			}
			if (U8(P, base + idx + 1) == '\n') {
				linelen = idx - start;
				idx += 2;
				goto print;
			}
			return 0;
		} else if (!isprint_(c) && c != '\t') {
			return 0;
		}
		idx++;
	}
	/* Printable to the end but no end of line: tcpdump prints it and
	 * reports truncation. */
	linelen = idx - start;
	puts_(P, prefix);
	put(P, (const char *)P->pkt + base + start, linelen);
	*trunc = 1;
	return 0;
print:
	puts_(P, prefix);
	put(P, (const char *)P->pkt + base + start, linelen);
	return idx;
}

void
txtproto_print(struct pctx *P, uint32_t off, uint32_t len, const char *proto,
               const char *const *cmds, int resp_second)
{
	char tok[129];
	uint32_t idx;
	int print_this = 0, trunc = 0;

	P->proto = proto;
	if (cmds) {
		idx = fetch_token(P, off, 0, len, tok, sizeof tok);
		if (idx != 0) {
			for (const char *const *c = cmds; *c; c++) {
				if (strcasecmp(tok, *c) == 0) {
					print_this = 1;
					break;
				}
			}
			if (resp_second)
				idx = fetch_token(P, off, idx, len, tok, sizeof tok);
			if (idx != 0 && tok[0] >= '0' && tok[0] <= '9' && tok[1] >= '0' &&
			    tok[1] <= '9' && tok[2] >= '0' && tok[2] <= '9' && tok[3] == '\0')
				print_this = 1;
		}
	} else {
		print_this = 1;
	}
	for (const char *s = proto; *s; s++)
		putc_(P, (*s >= 'a' && *s <= 'z') ? (char)(*s - 32) : *s);
	if (!print_this)
		return;
	if (P->o->vflag) {
		uint32_t eol;

		puts_(P, ", length: ");
		putu(P, len);
		for (idx = 0; idx < len && (eol = print_txt_line(P, "\n\t", off, idx, len, &trunc)) != 0;
		    idx = eol)
			;
	} else {
		print_txt_line(P, ": ", off, 0, len, &trunc);
	}
	if (trunc) {
		P->longjmp = 1;
		put_trunc(P);
	}
}

static const char *const http_cmds[] = {
	"OPTIONS", "GET", "HEAD", "POST", "PUT", "DELETE", "TRACE", "CONNECT",
	"PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "ORDERPATCH",
	"REPORT", "CHECKOUT", "CHECKIN", "UNCHECKOUT", "MKWORKSPACE", "UPDATE", "LABEL",
	"MERGE", "BASELINE-CONTROL", "MKACTIVITY", "VERSION-CONTROL", "MKCALENDAR",
	"SEARCH", "BIND", "UNBIND", "REBIND", "MKREDIRECTREF", "UPDATEREDIRECTREF",
	"ACL", "PATCH", NULL
};

static const char *const rtsp_cmds[] = {
	"DESCRIBE", "ANNOUNCE", "GET_PARAMETER", "OPTIONS", "PAUSE", "PLAY", "RECORD",
	"REDIRECT", "SETUP", "SET_PARAMETER", "TEARDOWN", NULL
};

static void
ssh_print(struct pctx *P, uint32_t off, uint32_t length)
{
	uint32_t i;

	P->proto = "ssh";
	/* tcpdump compares "SSH-" byte by byte, each read bounds-checked. */
	for (i = 0; i < 4; i++) {
		if (!HAS(P, off + i, 1)) {
			P->longjmp = 1;
			put_trunc(P);
			return;
		}
		if (U8(P, off + i) != (uint8_t)"SSH-"[i])
			return;
	}
	if (length < 4)
		return;
	puts_(P, ": SSH: ");
	for (i = 0; i < length; i++) {
		uint8_t c;

		if (!HAS(P, off + i, 1)) {
			put_trunc(P);
			return;
		}
		c = U8(P, off + i);
		if (c == '\r' || c == '\n')
			break;
		if (put_ascii_n(P, off + i, 1) < 0)
			return;
	}
}

/* Telnet option negotiation (RFC 854, RFC 855): IAC commands at the start. */
static const char *const telcmds[] = {
	"EOF", "SUSP", "ABORT", "EOR", "SE", "NOP", "DMARK", "BRK", "IP", "AO", "AYT",
	"EC", "EL", "GA", "SB", "WILL", "WONT", "DO", "DONT", "IAC",
};
static const char *const telopts[] = {
	"BINARY", "ECHO", "RCP", "SUPPRESS GO AHEAD", "NAME", "STATUS", "TIMING MARK",
	"RCTE", "NAOL", "NAOP", "NAOCRD", "NAOHTS", "NAOHTD", "NAOFFD", "NAOVTS", "NAOVTD",
	"NAOLFD", "EXTEND ASCII", "LOGOUT", "BYTE MACRO", "DATA ENTRY TERMINAL", "SUPDUP",
	"SUPDUP OUTPUT", "SEND LOCATION", "TERMINAL TYPE", "END OF RECORD", "TACACS UID",
	"OUTPUT MARKING", "TTYLOC", "3270 REGIME", "X.3 PAD", "NAWS", "TSPEED", "LFLOW",
	"LINEMODE", "XDISPLOC", "OLD-ENVIRON", "AUTHENTICATION", "ENCRYPT", "NEW-ENVIRON",
};

/* Length of the command at SP (and print it when PRINT), or -1. */
static int
telnet_parse(struct pctx *P, uint32_t sp, uint32_t length, int print)
{
	uint32_t o = sp, p;
	uint8_t c, x;

#define FETCH(v) do { if (length < 1 || !HAS(P, sp, 1)) return -1; \
	(v) = U8(P, sp); sp++; length--; } while (0)
	FETCH(c);
	if (c != 255)
		return -1;
	FETCH(c);
	if (c == 255) {
		if (print)
			puts_(P, "IAC IAC");
		return (int)(sp - o);
	}
	if (c < 236)
		return -1;
	switch (c) {
	case 251: case 252: case 253: case 254: case 250:
		FETCH(x);
		if (print) {
			puts_(P, telcmds[c - 236]);
			putc_(P, ' ');
			if (x < 40)
				puts_(P, telopts[x]);
			else
				putf(P, "%#x", x);
		}
		if (c != 250)
			break;
		p = sp;
		while (length > p + 1 - sp) {
			if (!HAS(P, p, 2))
				return -1;
			if (U8(P, p) == 255 && U8(P, p + 1) == 240)
				break;
			p++;
		}
		if (!HAS(P, p, 1) || U8(P, p) != 255)
			return -1;
		if (print && p > sp) {
			static const char *const qual[] = { "IS", "SEND", "INFO", "NAME" };

			FETCH(x);
			putc_(P, ' ');
			if (x < 4)
				puts_(P, qual[x]);
			else
				putf(P, "%#x", x);
		}
		while (p > sp) {
			FETCH(x);
			if (print)
				putf(P, " %#x", x);
		}
		if (print)
			puts_(P, " SE");
		sp += 2;
		break;
	default:
		if (print)
			puts_(P, telcmds[c - 236]);
		break;
	}
#undef FETCH
	return (int)(sp - o);
}

static void
telnet_print(struct pctx *P, uint32_t sp, uint32_t length)
{
	int first = 1, l;

	P->proto = "telnet";
	while (length > 0 && HAS(P, sp, 1) && U8(P, sp) == 255) {
		l = telnet_parse(P, sp, length, 0);
		if (l < 0)
			break;
		puts_(P, first ? " [telnet " : ", ");
		telnet_parse(P, sp, length, 1);
		first = 0;
		sp += (uint32_t)l;
		length -= (uint32_t)l < length ? (uint32_t)l : length;
	}
	if (!first)
		putc_(P, ']');
}

/* ---- Redis RESP (redis.io/docs/reference/protocol-spec) ---- */

static int resp_parse(struct pctx *P, uint32_t bp, int length, int depth);

static int
resp_byte(struct pctx *P, uint32_t bp, uint8_t *c)
{
	if (!HAS(P, bp, 1))
		return -1;
	*c = U8(P, bp);
	return 0;
}

static int
resp_segment(struct pctx *P, uint32_t bp, uint32_t len)
{
	puts_(P, " \"");
	if (put_ascii_n(P, bp, len) < 0)
		return -1;
	putc_(P, '"');
	return 0;
}

/* Length after an opcode: >= 0, -1 null, -2 trunc, -3 too large, -4 negative, -5 invalid. */
static int
resp_get_length(struct pctx *P, uint32_t *bp, int *len)
{
	int result = 0, saw = 0, neg = 0, big = 0;
	uint8_t c;

	if (*len == 0 || resp_byte(P, *bp, &c) < 0)
		return -2;
	if (c == '-') {
		neg = 1;
		(*bp)++;
		(*len)--;
	}
	for (;;) {
		if (*len == 0 || resp_byte(P, *bp, &c) < 0)
			return -2;
		if (!(c >= '0' && c <= '9')) {
			if (!saw) {
				(*bp)++;
				return -5;
			}
			break;
		}
		if (result > 214748364)
			big = 1;
		else if (result == 214748364 && c - '0' > 7)
			big = 1;
		else
			result = result * 10 + (c - '0');
		(*bp)++;
		(*len)--;
		saw = 1;
	}
	if (c != '\r') {
		(*bp)++;
		return -5;
	}
	(*bp)++;
	(*len)--;
	if (*len == 0 || resp_byte(P, *bp, &c) < 0)
		return -2;
	if (c != '\n') {
		(*bp)++;
		return -5;
	}
	(*bp)++;
	(*len)--;
	if (neg)
		return (big || result != 1) ? -4 : -1;
	return big ? -3 : result;
}

static int
find_crlf(struct pctx *P, uint32_t *p, int *len)
{
	for (;;) {
		if (*len < 2 || !HAS(P, *p, 2))
			return -1;
		if (U8(P, *p) == '\r' && U8(P, *p + 1) == '\n')
			return 0;
		(*p)++;
		(*len)--;
	}
}

static int
consume_cr_or_lf(struct pctx *P, uint32_t *p, int *len)
{
	int found = 0;
	uint8_t c;

	for (;;) {
		if (*len == 0 || resp_byte(P, *p, &c) < 0)
			return found ? 0 : -1;
		if (c != '\r' && c != '\n')
			return 0;
		found = 1;
		(*p)++;
		(*len)--;
	}
}

static void
resp_special(struct pctx *P, int n)
{
	switch (n) {
	case -1: puts_(P, " null"); break;
	case -3: puts_(P, " length too large"); break;
	case -4: puts_(P, " length negative and not -1"); break;
	default: puts_(P, " invalid"); break;
	}
}

static int
resp_parse(struct pctx *P, uint32_t bp, int length, int depth)
{
	uint8_t op;
	int cur = length, n;
	uint32_t p;

	if (length < 1 || resp_byte(P, bp, &op) < 0 || depth > 64)
		return -1;
	switch (op) {
	case '+': case '-': case ':':
		bp++;
		cur--;
		p = bp;
		if (find_crlf(P, &p, &cur) < 0)
			return -1;
		if (resp_segment(P, bp, p - bp) < 0)
			return -1;
		return 1 + (int)(p - bp) + 2;
	case '$':
		bp++;
		cur--;
		n = resp_get_length(P, &bp, &cur);
		if (n == -2)
			return -1;
		if (n >= 0) {
			if (n == 0) {
				puts_(P, " empty");
			} else {
				if (cur < n || !HAS(P, bp, (uint32_t)n))
					return -1;
				if (resp_segment(P, bp, (uint32_t)n) < 0)
					return -1;
				bp += (uint32_t)n;
				cur -= n;
			}
			if (find_crlf(P, &bp, &cur) < 0)
				return -1;
			bp += 2;
			cur -= 2;
		} else {
			resp_special(P, n);
		}
		return length - cur;
	case '*':
		bp++;
		cur--;
		n = resp_get_length(P, &bp, &cur);
		if (n == -2)
			return -1;
		if (n > 0) {
			for (int i = 0; i < n; i++) {
				int r = resp_parse(P, bp, cur, depth + 1);

				if (r < 0)
					return -1;
				bp += (uint32_t)r;
				cur -= r;
			}
		} else if (n == 0) {
			puts_(P, " empty");
		} else {
			resp_special(P, n);
		}
		return length - cur;
	default:
		if (consume_cr_or_lf(P, &bp, &cur) < 0)
			return -1;
		p = bp;
		for (;;) {
			uint8_t c;

			if (cur < 1 || resp_byte(P, p, &c) < 0)
				return -1;
			if (c == '\r' || c == '\n')
				break;
			p++;
			cur--;
		}
		if (p != bp) {
			if (resp_segment(P, bp, p - bp) < 0)
				return -1;
		} else {
			puts_(P, " empty");
		}
		if (consume_cr_or_lf(P, &p, &cur) < 0)
			return -1;
		return length - cur;
	}
}

static void
resp_print(struct pctx *P, uint32_t bp, uint32_t length)
{
	int len = (int)(length > 0x7fffffff ? 0x7fffffff : length);

	P->proto = "resp";
	puts_(P, ": RESP");
	while (len > 0) {
		int r = resp_parse(P, bp, len, 0);

		if (r < 0 || r == 0) {
			put_trunc(P);
			return;
		}
		bp += (uint32_t)r;
		len -= r;
	}
}

/* ---- PPTP control messages (RFC 2637 section 2) ---- */

static void
pptp_str(struct pctx *P, const char *name, uint32_t off, uint32_t n)
{
	puts_(P, name);
	putc_(P, '(');
	for (uint32_t i = 0; i < n && HAS(P, off + i, 1) && U8(P, off + i); i++)
		put_ascii_n(P, off + i, 1);
	putc_(P, ')');
}

static void
pptp_print(struct pctx *P, uint32_t d)
{
	static const char *const types[] = { "NOT_DEFINED", "SCCRQ", "SCCRP", "StopCCRQ",
		"StopCCRP", "ECHORQ", "ECHORP", "OCRQ", "OCRP", "ICRQ", "ICRP", "ICCN", "CCRQ",
		"CDN", "WEN", "SLI" };
	static const char *const bearer[] = { "?", "A", "D", "Any" };
	static const char *const framing[] = { "?", "A", "S", "E" };
	uint32_t mc;
	uint16_t t;

	P->proto = "pptp";
	puts_(P, ": pptp");
	if (!HAS(P, d, 12)) {
		put_trunc(P);
		return;
	}
	mc = U32(P, d + 4);
	if (mc != 0x1a2b3c4d)
		putf(P, " UNEXPECTED Magic-Cookie!!(%08x) Magic-Cookie=%08x", mc, mc);
	t = U16(P, d + 8);
	if (t < 16) {
		puts_(P, " CTRL_MSGTYPE=");
		puts_(P, types[t]);
	} else {
		putf(P, " UNKNOWN_CTRL_MSGTYPE(%u)", t);
	}
	d += 12;
	/* The fixed body of each message printed (RFC 2637 section 2). */
	if (!HAS(P, d, t == 1 || t == 2 ? 144 : t == 7 ? 152 : t == 8 ? 20 : t == 15 ? 12 : 0)) {
		put_trunc(P);
		return;
	}
	switch (t) {
	case 1:
	case 2:
		putf(P, " PROTO_VER(%u.%u)", U8(P, d), U8(P, d + 1));
		if (t == 2)
			putf(P, " RESULT_CODE(%u) ERR_CODE(%u)", U8(P, d + 2), U8(P, d + 3));
		puts_(P, " FRAME_CAP(");
		if (U32(P, d + 4) & 1) putc_(P, 'A');
		if (U32(P, d + 4) & 2) putc_(P, 'S');
		puts_(P, ") BEARER_CAP(");
		if (U32(P, d + 8) & 2) putc_(P, 'D');
		if (U32(P, d + 8) & 1) putc_(P, 'A');
		putf(P, ") MAX_CHAN(%u) FIRM_REV(%u)", U16(P, d + 12), U16(P, d + 14));
		pptp_str(P, " HOSTNAME", d + 16, 64);
		pptp_str(P, " VENDOR", d + 80, 64);
		break;
	case 7:
		putf(P, " CALL_ID(%u) CALL_SER_NUM(%u) MIN_BPS(%u) MAX_BPS(%u)",
		    U16(P, d), U16(P, d + 2), U32(P, d + 4), U32(P, d + 8));
		putf(P, " BEARER_TYPE(%s) FRAME_TYPE(%s)",
		    U32(P, d + 12) < 4 ? bearer[U32(P, d + 12)] : "?",
		    U32(P, d + 16) < 4 ? framing[U32(P, d + 16)] : "?");
		putf(P, " RECV_WIN(%u) PROC_DELAY(%u) PHONE_NO_LEN(%u)",
		    U16(P, d + 20), U16(P, d + 22), U16(P, d + 24));
		pptp_str(P, " PHONE_NO", d + 28, 64);
		pptp_str(P, " SUB_ADDR", d + 92, 64);
		break;
	case 8:
		putf(P, " CALL_ID(%u) PEER_CALL_ID(%u) RESULT_CODE(%u) ERR_CODE(%u) CAUSE_CODE(%u)",
		    U16(P, d), U16(P, d + 2), U8(P, d + 4), U8(P, d + 5), U16(P, d + 6));
		putf(P, " CONN_SPEED(%u) RECV_WIN(%u) PROC_DELAY(%u) PHY_CHAN_ID(%u)",
		    U32(P, d + 8), U16(P, d + 12), U16(P, d + 14), U32(P, d + 16));
		break;
	case 15:
		putf(P, " PEER_CALL_ID(%u) SEND_ACCM(0x%08x) RECV_ACCM(0x%08x)",
		    U16(P, d), U32(P, d + 4), U32(P, d + 8));
		break;
	default:
		break;
	}
}

void
print_app_tcp(struct pctx *P, uint32_t off, uint32_t length, uint16_t sport, uint16_t dport)
{
#define PORT(p) (sport == (p) || dport == (p))
	if (PORT(23)) {
		telnet_print(P, off, length);
	} else if (PORT(25)) {
		puts_(P, ": ");
		txtproto_print(P, off, length, "smtp", NULL, 0);
	} else if (PORT(43)) {
		puts_(P, ": ");
		txtproto_print(P, off, length, "whois", NULL, 0);
	} else if (PORT(179)) {
		puts_(P, ": BGP");
	} else if (PORT(1723)) {
		pptp_print(P, off);
	} else if (PORT(6379)) {
		resp_print(P, off, length);
	} else if (PORT(22)) {
		ssh_print(P, off, length);
	} else if (PORT(21)) {
		puts_(P, ": ");
		txtproto_print(P, off, length, "ftp", NULL, 0);
	} else if (PORT(80) || PORT(8080)) {
		puts_(P, ": ");
		txtproto_print(P, off, length, "http", http_cmds, 1);
	} else if (PORT(554) || PORT(8554)) {
		puts_(P, ": ");
		txtproto_print(P, off, length, "rtsp", rtsp_cmds, 1);
	} else if (PORT(53)) {
		domain_print(P, off, length, 1, 0);
	}
#undef PORT
}

int
print_app_udp(struct pctx *P, uint32_t off, uint32_t length, uint16_t sport, uint16_t dport,
              uint32_t ipoff)
{
#define PORT(p) (sport == (p) || dport == (p))
	if (PORT(53)) {
		domain_print(P, off, length, 0, 0);
		return 1;
	}
	if (PORT(5353)) {
		domain_print(P, off, length, 0, 1);
		return 1;
	}
	if (print_misc_udp(P, off, length, sport, dport))
		return 1;
	if (PORT(88) || PORT(750)) {
		/* tcpdump decodes only the Kerberos version byte here. */
		P->proto = "krb";
		if (!HAS(P, off, 1)) {
			put_trunc(P);
			return 1;
		}
		switch (U8(P, off)) {
		case 1: case 2: case 3: case 4:
			puts_(P, " v");
			putu(P, U8(P, off));
			break;
		case 106: case 107:
			puts_(P, " v5");
			break;
		}
		return 1;
	}
	if ((sport >= 7000 && sport <= 7009) || (dport >= 7000 && dport <= 7009)) {
		rx_print(P, off, length, sport, dport, ipoff);
		return 1;
	}
	if (print_misc_udp2(P, off, length, sport, dport))
		return 1;
#undef PORT
	return 0;
}

/* ---- not yet decoded: tcpdump's generic forms ---- */

/* IEEE 802.1D/802.1w spanning tree BPDU (tcpdump's non-verbose summary). */
void
stp_print(struct pctx *P, uint32_t off, uint32_t length)
{
	static const struct tok flags[] = {
		{ 0x01, "Topology change" }, { 0x02, "Proposal" }, { 0x10, "Learn" },
		{ 0x20, "Forward" }, { 0x40, "Agreement" }, { 0x80, "Topology change ACK" },
		{ 0, NULL }
	};
	uint8_t ver, type;

	P->proto = "stp";
	if (length < 4) {
		puts_(P, "STP");
		put_invalid(P);
		return;
	}
	if (!HAS(P, off, 3)) {
		put_trunc(P);
		return;
	}
	if (U16(P, off) != 0) {
		puts_(P, "unknown STP version, length ");
		putu(P, length);
		return;
	}
	ver = U8(P, off + 2);
	puts_(P, "STP ");
	if (ver == 0)
		puts_(P, "802.1d");
	else if (ver == 2)
		puts_(P, "802.1w");
	else if (ver == 3)
		puts_(P, "802.1s");
	else if (ver == 4)
		puts_(P, "SPB");
	else
		putf(P, "Unknown STP protocol (0x%02x)", ver);
	if (ver == 1 || ver > 4)
		return;
	if (!HAS(P, off + 3, 1)) {
		put_trunc(P);
		return;
	}
	type = U8(P, off + 3);
	if (type == 0)
		puts_(P, ", Config");
	else if (type == 2)
		puts_(P, ", Rapid STP");
	else if (type == 0x80)
		puts_(P, ", Topology Change");
	else
		putf(P, ", Unknown BPDU Type (0x%02x)", type);
	/* IEEE 802.1D 9.3: a configuration BPDU is 35 bytes, an RST BPDU 36. */
	if ((type == 0 && length < 35) || (type == 2 && ver == 2 && length < 36)) {
		put_invalid(P);
		return;
	}
	if ((ver == 0 && type == 0) || (ver == 2 && type == 2)) {
		if (!HAS(P, off + 4, 23)) {
			put_trunc(P);
			return;
		}
		puts_(P, ", Flags [");
		put_bittok(P, flags, "none", U8(P, off + 4), ", ");
		puts_(P, "], bridge-id ");
		putx_w(P, U16(P, off + 17), 4);
		putc_(P, '.');
		put_mac(P, P->pkt + off + 19, 6);
		putc_(P, '.');
		putx_w(P, U16(P, off + 25), 4);
		puts_(P, ", length ");
		putu(P, length);
	}
}

/* The optional 32-bit GRE fields in header order, each present when its
 * flag is set: version 0 (RFC 2890 key and sequence number) and PPTP's
 * version 1 (RFC 2637 section 4.1: call id in the key's low half, seq, ack). */
static const struct gre_opt {
	uint16_t vers, flag;
	const char *label;
	uint32_t mask;
	int hex;
} gre_opts[] = {
	{ 0, 0x2000, ", key=0x", 0xffffffff, 1 },
	{ 0, 0x1000, ", seq ", 0xffffffff, 0 },
	{ 1, 0x2000, ", call ", 0xffff, 0 },
	{ 1, 0x1000, ", seq ", 0xffffffff, 0 },
	{ 1, 0x0080, ", ack ", 0xffffffff, 0 },
};

/* GRE (RFC 2784, RFC 2890) and PPTP's enhanced GRE v1 (RFC 2637 section 4.1). */
void
gre_print(struct pctx *P, uint32_t bp, uint32_t length)
{
	uint16_t flags, prot, vers;
	uint32_t len = length;

	P->proto = "gre";
	if (!HAS(P, bp, 2)) {
		put_trunc(P);
		return;
	}
	flags = U16(P, bp);
	vers = flags & 7;
	puts_(P, "GREv");
	putu(P, vers);
	if (vers > 1) {
		puts_(P, " ERROR: unknown-version");
		return;
	}
	if (!HAS(P, bp + 2, 2) || len < 4) {
		put_trunc(P);
		return;
	}
	prot = U16(P, bp + 2);
	bp += 4;
	len -= 4;
	if (vers == 0 && (flags & 0xc000)) {   /* checksum and reserved1, not printed */
		bp += 4;
		len -= len < 4 ? len : 4;
	}
	for (size_t i = 0; i < sizeof gre_opts / sizeof gre_opts[0]; i++) {
		const struct gre_opt *o = &gre_opts[i];

		if (o->vers != vers || !(flags & o->flag))
			continue;
		if (!HAS(P, bp, 4)) {
			put_trunc(P);
			return;
		}
		puts_(P, o->label);
		if (o->hex)
			putx(P, U32(P, bp));
		else
			putu(P, U32(P, bp) & o->mask);
		bp += 4;
		len -= len < 4 ? len : 4;
	}
	if (vers == 1 && !(flags & 0x1000))
		puts_(P, ", no-payload");
	if (P->o->eflag) {
		puts_(P, ", proto ");
		put_tok(P, ethertypes, "unknown", prot);
		putf(P, " (0x%04x)", prot);
	}
	puts_(P, ", length ");
	putu(P, length);
	if (vers == 1 && !(flags & 0x1000))
		return;
	puts_(P, ": ");
	if (vers == 1) {
		if (prot == 0x880b)
			ppp_print(P, bp, len);
		else
			putf(P, "gre-proto-0x%x", prot);
		return;
	}
	switch (prot) {
	case 0x0800: ip_print(P, bp, len); break;
	case 0x86dd: ip6_print(P, bp, len); break;
	case 0x8847: mpls_print(P, bp, len); break;
	case 0x6558: ether_print_inner(P, bp, len); break;
	default: putf(P, "gre-proto-0x%x", prot); break;
	}
}
