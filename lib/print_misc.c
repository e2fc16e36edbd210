/* print_misc.c — small UDP application summaries: BOOTP/DHCP (RFC 2131), DHCPv6 (RFC 8415),
 * NTP (RFC 5905), syslog (RFC 5424), RADIUS (RFC 2865), TFTP (RFC 1350), VXLAN (RFC 7348).
 *
 * Only what tcpdump prints without -v: the message kind and length.
 */
#include "print_int.h"

static void
bootp_print(struct pctx *P, uint32_t bp, uint32_t length)
{
	uint8_t op;

	P->proto = "bootp";
	if (!HAS(P, bp, 1))   /* tcpdump reads the op code before naming the protocol */
		goto trunc;
	puts_(P, "BOOTP/DHCP");
	op = U8(P, bp);
	if (op == 1)
		puts_(P, ", Request");
	else if (op == 2)
		puts_(P, ", Reply");
	else
		putf(P, ", unknown (0x%02x)", op);
	if (!HAS(P, bp + 1, 2))
		goto trunc;
	if (U8(P, bp + 1) == 1 && U8(P, bp + 2) == 6 && op == 1) {   /* Ethernet client address */
		if (!HAS(P, bp + 28, 6))
			goto trunc;
		puts_(P, " from ");
		put_mac(P, P->pkt + bp + 28, 6);
	}
	puts_(P, ", length ");
	putu(P, length);
	return;
trunc:
	P->longjmp = 1;
	put_trunc(P);
}

static void
dhcp6_print(struct pctx *P, uint32_t bp, uint32_t length)
{
	static const struct tok types[] = {
		{ 1, "solicit" }, { 2, "advertise" }, { 3, "request" }, { 4, "confirm" },
		{ 5, "renew" }, { 6, "rebind" }, { 7, "reply" }, { 8, "release" },
		{ 9, "decline" }, { 10, "reconfigure" }, { 11, "inf-req" }, { 12, "relay-fwd" },
		{ 13, "relay-reply" }, { 14, "leasequery" }, { 15, "leasequery-reply" },
		{ 16, "leasequery-done" }, { 17, "leasequery-data" }, { 0, NULL }
	};

	(void)length;
	P->proto = "dhcp6";
	puts_(P, "dhcp6");
	if (!HAS(P, bp, 1)) {
		put_trunc(P);
		return;
	}
	putc_(P, ' ');
	put_tok(P, types, "msgtype-%u", U8(P, bp));
}

static void
ntp_print(struct pctx *P, uint32_t bp, uint32_t length)
{
	static const char *const modes[] = { "unspecified", "symmetric active",
		"symmetric passive", "Client", "Server", "Broadcast", "Control Message",
		"Reserved" };
	uint8_t b;

	P->proto = "ntp";
	if (!HAS(P, bp, 1)) {
		put_trunc(P);
		return;
	}
	b = U8(P, bp);
	puts_(P, "NTPv");
	putu(P, (b >> 3) & 7);
	puts_(P, ", ");
	puts_(P, modes[b & 7]);
	puts_(P, ", length ");
	putu(P, length);
}

static void
syslog_print(struct pctx *P, uint32_t bp, uint32_t length)
{
	static const char *const fac[] = { "kernel", "user", "mail", "daemon", "auth",
		"syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp", "ntp", "security",
		"console", "cron", "local0", "local1", "local2", "local3", "local4", "local5",
		"local6", "local7" };
	static const char *const sev[] = { "emergency", "alert", "critical", "error",
		"warning", "notice", "info", "debug" };
	uint32_t i = 0, prio = 0;

	P->proto = "syslog";
	if (!HAS(P, bp, 1) || U8(P, bp) != '<') {
		puts_(P, "[|syslog]");
		return;
	}
	i = 1;
	while (i <= 3 && HAS(P, bp + i, 1) && U8(P, bp + i) >= '0' && U8(P, bp + i) <= '9') {
		prio = prio * 10 + (U8(P, bp + i) - '0');
		i++;
	}
	if (!HAS(P, bp + i, 1) || U8(P, bp + i) != '>') {
		puts_(P, "[|syslog]");
		return;
	}
	puts_(P, "SYSLOG ");
	if ((prio >> 3) < 24)
		puts_(P, fac[prio >> 3]);
	else
		putf(P, "unknown (%u)", prio >> 3);
	putc_(P, '.');
	puts_(P, sev[prio & 7]);
	puts_(P, ", length: ");
	putu(P, length);
}

static void
radius_print(struct pctx *P, uint32_t bp, uint32_t length)
{
	static const struct tok cmds[] = {
		{ 1, "Access-Request" }, { 2, "Access-Accept" }, { 3, "Access-Reject" },
		{ 4, "Accounting-Request" }, { 5, "Accounting-Response" },
		{ 6, "Interim-Accounting" }, { 7, "Password-Request" }, { 8, "Password-Ack" },
		{ 9, "Password-Reject" }, { 10, "Accounting-Message" }, { 11, "Access-Challenge" },
		{ 12, "Status-Server" }, { 13, "Status-Client" }, { 40, "Disconnect-Request" },
		{ 41, "Disconnect-ACK" }, { 42, "Disconnect-NAK" }, { 43, "CoA-Request" },
		{ 44, "CoA-ACK" }, { 45, "CoA-NAK" }, { 0, NULL }
	};
	uint32_t len;
	uint8_t code;

	P->proto = "radius";
	if (!HAS(P, bp, 20)) {
		put_trunc(P);
		return;
	}
	len = U16(P, bp + 2);
	if (len > length)
		len = length;
	if (len < 20) {
		puts_(P, "RADIUS");
		put_invalid(P);
		return;
	}
	code = U8(P, bp);
	puts_(P, "RADIUS, ");
	put_tok(P, cmds, "Unknown Command", code);
	puts_(P, " (");
	putu(P, code);
	puts_(P, "), id: 0x");
	putx_w(P, U8(P, bp + 1), 2);
	puts_(P, " length: ");
	putu(P, len);
}

/* Print a NUL-terminated string within N bytes; returns bytes used incl. the
 * NUL, or 0 when no NUL is found (tcpdump's nd_printztn). */
static uint32_t
printztn(struct pctx *P, uint32_t bp, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		uint8_t c;

		if (!HAS(P, bp + i, 1))
			return 0;
		c = U8(P, bp + i);
		if (c == 0)
			return i + 1;
		put_ascii_n(P, bp + i, 1);
	}
	return 0;
}

/* The same, quoted; "" around what was printed even when it is cut. */
static uint32_t
quoted_ztn(struct pctx *P, uint32_t bp, uint32_t n)
{
	uint32_t used;

	puts_(P, " \"");
	used = printztn(P, bp, n);
	putc_(P, '"');
	return used;
}

static void
tftp_print(struct pctx *P, uint32_t bp, uint32_t length)
{
	static const struct tok ops[] = {
		{ 1, "RRQ" }, { 2, "WRQ" }, { 3, "DATA" }, { 4, "ACK" }, { 5, "ERROR" },
		{ 6, "OACK" }, { 0, NULL }
	};
	static const struct tok errs[] = {
		{ 0, "EUNDEF" }, { 1, "ENOTFOUND" }, { 2, "EACCESS" }, { 3, "ENOSPACE" },
		{ 4, "EBADOP" }, { 5, "EBADID" }, { 6, "EEXISTS" }, { 7, "ENOUSER" },
		{ 8, "EOPTNEG" }, { 0, NULL }
	};
	uint16_t op;
	uint32_t ui;

	P->proto = "tftp";
	puts_(P, "TFTP, length ");
	putu(P, length);
	if (length < 2 || !HAS(P, bp, 2))
		goto trunc;
	op = U16(P, bp);
	puts_(P, ", ");
	if (!tok2str_(ops, op)) {
		putf(P, "tftp-#%u", op);
		return;
	}
	puts_(P, tok2str_(ops, op));
	bp += 2;
	length -= 2;
	switch (op) {
	case 1:
	case 2:
		if (length == 0 || (ui = quoted_ztn(P, bp, length)) == 0)
			goto trunc;
		bp += ui;
		length -= ui;
		if (length == 0)
			goto trunc;
		putc_(P, ' ');
		if ((ui = printztn(P, bp, length)) == 0)
			goto trunc;
		bp += ui;
		length -= ui;
		/* FALLTHROUGH */
	case 6:
		while (length != 0) {
			if (!HAS(P, bp, 1))
				goto trunc;
			if (U8(P, bp) != 0)
				putc_(P, ' ');
			if ((ui = printztn(P, bp, length)) == 0)
				goto trunc;
			bp += ui;
			length -= ui;
		}
		break;
	case 3:
	case 4:
		if (length < 2 || !HAS(P, bp, 2))
			goto trunc;
		puts_(P, " block ");
		putu(P, U16(P, bp));
		break;
	case 5:
		if (length < 2 || !HAS(P, bp, 2))
			goto trunc;
		putc_(P, ' ');
		put_tok(P, errs, "tftp-err-#%u \"", U16(P, bp));
		bp += 2;
		length -= 2;
		if (length == 0 || quoted_ztn(P, bp, length) == 0)
			goto trunc;
		break;
	}
	return;
trunc:
	put_trunc(P);
}

static void
vxlan_print(struct pctx *P, uint32_t bp, uint32_t length)
{
	uint8_t flags;

	P->proto = "vxlan";
	if (length < 8) {
		puts_(P, "VXLAN");
		put_invalid(P);
		return;
	}
	if (!HAS(P, bp, 8)) {
		put_trunc(P);
		return;
	}
	flags = U8(P, bp);
	puts_(P, "VXLAN, flags [");
	putc_(P, (flags & 0x08) ? 'I' : '.');
	puts_(P, "] (0x");
	putx_w(P, flags, 2);
	puts_(P, "), vni ");
	putu(P, U24(P, bp + 4));
	putc_(P, '\n');
	ether_print_inner(P, bp + 8, length - 8);
}

/* The printers chosen by UDP port (either side), tried in order; the UDP
 * printer asks for the first table before AFS RX and Kerberos, the second
 * after them, as tcpdump orders its port tests. */
static const struct udp_port {
	uint16_t port;
	void (*print)(struct pctx *P, uint32_t off, uint32_t length);
} before_rx[] = {
	{ 69, tftp_print }, { 67, bootp_print }, { 68, bootp_print }, { 123, ntp_print },
	{ 0, NULL }
}, after_rx[] = {
	{ 546, dhcp6_print }, { 547, dhcp6_print },
	{ 1645, radius_print }, { 1812, radius_print }, { 1646, radius_print },
	{ 1813, radius_print }, { 1700, radius_print }, { 3799, radius_print },
	{ 514, syslog_print }, { 4789, vxlan_print }, { 0, NULL }
};

static int
by_port(const struct udp_port *t, struct pctx *P, uint32_t off, uint32_t length,
        uint16_t sport, uint16_t dport)
{
	for (; t->print; t++) {
		if (sport == t->port || dport == t->port) {
			t->print(P, off, length);
			return 1;
		}
	}
	return 0;
}

/* Returns 1 when a printer for these ports printed the payload. */
int
print_misc_udp(struct pctx *P, uint32_t off, uint32_t length, uint16_t sport, uint16_t dport)
{
	return by_port(before_rx, P, off, length, sport, dport);
}

int
print_misc_udp2(struct pctx *P, uint32_t off, uint32_t length, uint16_t sport, uint16_t dport)
{
	return by_port(after_rx, P, off, length, sport, dport);
}
