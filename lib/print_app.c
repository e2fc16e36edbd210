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
	if (trunc)
		put_trunc(P);
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
	if (!HAS(P, off, 4) || memcmp(P->pkt + off, "SSH-", 4) != 0 || length < 4)
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

void
print_app_tcp(struct pctx *P, uint32_t off, uint32_t length, uint16_t sport, uint16_t dport)
{
#define PORT(p) (sport == (p) || dport == (p))
	if (PORT(23)) {
		return;
	} else if (PORT(25)) {
		puts_(P, ": ");
		txtproto_print(P, off, length, "smtp", NULL, 0);
	} else if (PORT(43)) {
		puts_(P, ": ");
		txtproto_print(P, off, length, "whois", NULL, 0);
	} else if (PORT(179)) {
		puts_(P, ": BGP");
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

void
llc_print(struct pctx *P, uint32_t off, uint32_t length, uint32_t caplen, int *handled)
{
	(void)P;
	(void)off;
	(void)length;
	(void)caplen;
	*handled = 0;
}

void
gre_print(struct pctx *P, uint32_t off, uint32_t length)
{
	(void)off;
	(void)length;
	puts_(P, "GRE");
}

void
vrrp_print(struct pctx *P, uint32_t off, uint32_t length, uint32_t ipoff, uint8_t ttl)
{
	(void)off;
	(void)length;
	(void)ipoff;
	(void)ttl;
	puts_(P, "VRRP");
}
