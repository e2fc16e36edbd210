/* print_llc.c — IEEE 802.2 LLC and SNAP (RFC 1042), IPX, AppleTalk DDP/AARP, DECnet, LLDP, loopback.
 *
 * Follows tcpdump 4.99's non-verbose output: LLC frames it recognises go to
 * the protocol printer (STP, IP, IPX, OSI, SNAP), others are named by their
 * SAPs and control field ("NetBeui Unnumbered, ui, Flags [Command], length 5")
 * and followed by the generic hex dump.  Most of the protocols here are only
 * summarised as far as tcpdump's truncation and length checks; the bodies
 * they would print are left to the generic fallback.
 */
#include "print_int.h"

#define NOADDR UINT32_MAX

static const struct tok llc_values[] = {
	{ 0x00, "Null" }, { 0xff, "Global" }, { 0x02, "802.1B I" }, { 0x03, "802.1B G" },
	{ 0x06, "IP" }, { 0x04, "SNA" }, { 0x0e, "ProWay NM" }, { 0x42, "STP" },
	{ 0x4e, "RS511" }, { 0x7e, "ISO8208" }, { 0x8e, "ProWay" }, { 0xaa, "SNAP" },
	{ 0xe0, "IPX" }, { 0xf0, "NetBeui" }, { 0xfe, "OSI" }, { 0, NULL }
};

static const struct tok llc_cmd_values[] = {
	{ 0x03, "ui" }, { 0xe3, "test" }, { 0xaf, "xid" }, { 0x63, "ua" }, { 0x43, "disc" },
	{ 0x0f, "dm" }, { 0x6f, "sabme" }, { 0x87, "frmr" }, { 0, NULL }
};

/* Command/response bit of the SSAP combined with the poll/final bit. */
static const struct tok llc_flag_values[] = {
	{ 0x000, "Command" }, { 0x001, "Response" }, { 0x010, "Poll" }, { 0x011, "Final" },
	{ 0x100, "Poll" }, { 0x101, "Final" }, { 0, NULL }
};

static const struct tok llc_s_values[] = {
	{ 0, "Receiver Ready" }, { 1, "Reject" }, { 2, "Receiver not Ready" }, { 0, NULL }
};

static void
put_sap(struct pctx *P, const char *unknown, uint8_t sap)
{
	const char *s = tok2str_(llc_values, sap);

	if (s)
		puts_(P, s);
	else
		putf(P, "%s 0x%02x", unknown, sap);
}

static void
put_flag(struct pctx *P, uint32_t v)
{
	const char *s = tok2str_(llc_flag_values, v);

	puts_(P, s ? s : "?");
}

/* Novell IPX (IPX Router Specification): 30-byte header. */
void
ipx_print(struct pctx *P, uint32_t off, uint32_t length)
{
	uint16_t ilen;

	(void)length;
	P->proto = "ipx";
	if (!P->o->eflag)
		puts_(P, "IPX ");
	if (!HAS(P, off, 30)) {
		put_trunc(P);
		return;
	}
	putf(P, "%08x.", U32(P, off + 18));
	put_mac(P, P->pkt + off + 22, 6);
	putf(P, ".%04x > %08x.", U16(P, off + 28), U32(P, off + 6));
	put_mac(P, P->pkt + off + 10, 6);
	putf(P, ".%04x: ", U16(P, off + 16));
	ilen = U16(P, off + 2);
	if (ilen < 30) {
		putf(P, "[length %u < 30]", ilen);
		put_invalid(P);
		return;
	}
	putf(P, "ipx-#%x %u", U16(P, off + 16), ilen - 30u);
}

/* AppleTalk DDP (Inside AppleTalk ch. 4): only tcpdump's length checks. */
static int
atalk_print(struct pctx *P, uint32_t off, uint32_t length)
{
	P->proto = "atalk";
	if (!P->o->eflag)
		puts_(P, "AT ");
	if (length < 13) {
		putf(P, " [|ddp %u]", length);
		return 1;
	}
	if (!HAS(P, off, 13)) {
		puts_(P, " [|ddp]");
		return 1;
	}
	return 0;
}

/* AppleTalk ARP (Inside AppleTalk ch. 2). */
static void
aarp_print(struct pctx *P, uint32_t off, uint32_t length)
{
	uint16_t op, ht, pt;
	uint8_t hl, pl;

	P->proto = "aarp";
	puts_(P, "aarp ");
	if (!HAS(P, off, 28)) {
		put_trunc(P);
		return;
	}
	if (length < 28) {
		putf(P, " [|aarp %u]", length);
		return;
	}
	ht = U16(P, off);
	pt = U16(P, off + 2);
	hl = U8(P, off + 4);
	pl = U8(P, off + 5);
	op = U16(P, off + 6);
	if (ht == 1 && pt == 0x809b && hl == 6 && pl == 4) {
		switch (op) {
		case 1:
		case 3:
			putf(P, "%s %u.%u tell %u.%u", op == 1 ? "who-has" : "probe",
			    U16(P, off + 25), U8(P, off + 27), U16(P, off + 15), U8(P, off + 17));
			return;
		case 2:
			putf(P, "reply %u.%u is-at ", U16(P, off + 15), U8(P, off + 17));
			put_mac(P, P->pkt + off + 8, 6);
			return;
		}
	}
	putf(P, "len %u op %u htype %u ptype %#x halen %u palen %u", length, op, ht, pt, hl, pl);
}

/* Ethernet configuration testing protocol (loopback, Ethernet v2.0 spec). */
static void
loopback_print(struct pctx *P, uint32_t off, uint32_t length)
{
	uint16_t skip;

	P->proto = "loopback";
	puts_(P, "Loopback");
	if (length < 2) {
		put_invalid(P);
		return;
	}
	if (!HAS(P, off, 2)) {
		put_trunc(P);
		return;
	}
	skip = (uint16_t)(U8(P, off) | U8(P, off + 1) << 8);
	off += 2;
	length -= 2;
	putf(P, ", skipCount %u", skip);
	if (skip % 8)
		puts_(P, " (bogus)");
	if (skip > length || length - skip < 2) {
		put_invalid(P);
		return;
	}
}

/* LLDP (IEEE 802.1AB): without -v only the length, checking each TLV. */
static void
lldp_print(struct pctx *P, uint32_t off, uint32_t length)
{
	P->proto = "lldp";
	putf(P, "LLDP, length %u", length);
	while (length >= 2) {
		uint16_t tlv;
		uint32_t tl;

		if (!HAS(P, off, 2)) {
			put_trunc(P);
			return;
		}
		tlv = U16(P, off);
		tl = tlv & 0x1ff;
		off += 2;
		length -= 2;
		if ((tlv >> 9) == 0 || tl == 0)
			break;
		if (!HAS(P, off, tl) || length < tl) {
			put_trunc(P);
			return;
		}
		off += tl;
		length -= tl;
	}
}

/* Ethertypes of this file; returns 1 when printed. */
int
ethertype_print_llc(struct pctx *P, uint16_t type, uint32_t off, uint32_t length)
{
	switch (type) {
	case 0x8137:
		puts_(P, "(NOV-ETHII) ");
		ipx_print(P, off, length);
		return 1;
	case 0x809b:
		return atalk_print(P, off, length);
	case 0x80f3:
		aarp_print(P, off, length);
		return 1;
	case 0x9000:
		loopback_print(P, off, length);
		return 1;
	case 0x88cc:
		lldp_print(P, off, length);
		return 1;
	case 0x6003:
		/* DECnet routing header: 2-byte length then at least a 6-byte short header. */
		P->proto = "decnet";
		if (length < 6) {
			putf(P, " (length %u < 6)", length);
			put_invalid(P);
			return 1;
		}
		return 0;
	default:
		return 0;
	}
}

/* RFC 1042 SNAP: OUI(3) + type(2).  Returns 1 when printed. */
static int
snap_print(struct pctx *P, uint32_t off, uint32_t length)
{
	uint32_t oui;
	uint16_t et;

	P->proto = "snap";
	if (!HAS(P, off, 5)) {
		put_trunc(P);
		return 1;
	}
	oui = U24(P, off);
	et = U16(P, off + 3);
	off += 5;
	length = length > 5 ? length - 5 : 0;
	if (P->o->eflag) {
		static const struct tok ouis[] = {
			{ 0x000000, "Ethernet" }, { 0x00000c, "Cisco" }, { 0x0000f8, "Cisco" },
			{ 0x080007, "Appletalk" }, { 0x0080c2, "IEEE 802.1 Bridging" },
			{ 0, NULL }
		};
		const char *o = tok2str_(ouis, oui), *e = NULL;

		if (oui == 0 || oui == 0xf8 || oui == 0x080007)
			e = tok2str_(ethertypes, et);
		putf(P, "oui %s (0x%06x), %s %s (0x%04x), length %u: ", o ? o : "Unknown", oui,
		    oui == 0 ? "ethertype" : "pid", e ? e : "Unknown", et, length);
	}
	switch (oui) {
	case 0x000000:
	case 0x0000f8:
		if (ethertype_print(P, et, off, length))
			return 1;
		return ethertype_print_llc(P, et, off, length);
	case 0x080007:
		if (et == 0x809b)
			return atalk_print(P, off, length);
		break;
	}
	return 0;
}

/* OSI over LLC SAP 0xfe (ISO 9577): only the fixed-header truncation checks. */
static int
isoclns_print(struct pctx *P, uint32_t off, uint32_t length)
{
	(void)length;
	if (!HAS(P, off, 1))
		return 0;
	if (P->o->eflag) {
		static const struct tok nlpids[] = {
			{ 0x81, "CLNP" }, { 0x82, "ES-IS" }, { 0x83, "IS-IS" }, { 0, NULL }
		};
		const char *n = tok2str_(nlpids, U8(P, off));

		if (!n)
			return 0;
		putf(P, "OSI NLPID %s (0x%02x): ", n, U8(P, off));
	}
	switch (U8(P, off)) {
	case 0x81:   /* CLNP, ISO 8473: 9-byte fixed part */
		if (!HAS(P, off, 9)) {
			P->proto = "clnp";
			put_trunc(P);
			return 1;
		}
		break;
	case 0x83:   /* IS-IS, ISO 10589: 8-byte common header */
		if (!HAS(P, off, 8)) {
			P->proto = "isis";
			put_trunc(P);
			return 1;
		}
		break;
	}
	return 0;
}

void
llc_print_mac(struct pctx *P, uint32_t off, uint32_t length, uint32_t caplen, uint32_t src,
              uint32_t dst, int *handled)
{
	uint8_t dsap_f, ssap_f, dsap, ssap;
	uint16_t control;
	uint32_t hdrlen;
	int is_u;

	*handled = 1;
	P->proto = "llc";
	if (caplen < 3 || length < 3 || !HAS(P, off, 3)) {
		put_trunc(P);
		default_print(P, off, avail(P, off));
		return;
	}
	dsap_f = U8(P, off);
	ssap_f = U8(P, off + 1);
	control = U8(P, off + 2);
	if ((control & 3) == 3) {
		is_u = 1;
		hdrlen = 3;
	} else {
		if (caplen < 4 || length < 4 || !HAS(P, off, 4)) {
			put_trunc(P);
			default_print(P, off, avail(P, off));
			return;
		}
		control = (uint16_t)(U8(P, off + 2) | U8(P, off + 3) << 8);
		is_u = 0;
		hdrlen = 4;
	}
	if (dsap_f == 0xff && ssap_f == 0xff) {   /* Novell "raw 802.3" */
		if (P->o->eflag)
			puts_(P, "IPX 802.3: ");
		ipx_print(P, off, length);
		return;
	}
	dsap = dsap_f & 0xfe;
	ssap = ssap_f & 0xfe;
	if (P->o->eflag) {
		const char *d = tok2str_(llc_values, dsap), *sn = tok2str_(llc_values, ssap);

		putf(P, "LLC, dsap %s (0x%02x) %s, ssap %s (0x%02x) %s", d ? d : "Unknown", dsap,
		    (dsap_f & 1) ? "Group" : "Individual", sn ? sn : "Unknown", ssap,
		    (ssap_f & 1) ? "Response" : "Command");
		putf(P, is_u ? ", ctrl 0x%02x: " : ", ctrl 0x%04x: ", control);
	}
	if (ssap == 0xe0 && dsap == 0xe0 && control == 3 && P->o->eflag)
		puts_(P, "IPX 802.2: ");
	if (ssap == 0xaa && dsap == 0xaa && control == 3) {
		if (!snap_print(P, off + 3, length - 3))
			*handled = 0;
		return;
	}
	if (ssap == 0x42 && dsap == 0x42 && control == 3) {
		stp_print(P, off + 3, length - 3);
		return;
	}
	if (ssap == 0x06 && dsap == 0x06 && control == 3) {
		ip_print(P, off + 3, length - 3);
		return;
	}
	if (ssap == 0xe0 && dsap == 0xe0 && control == 3) {
		ipx_print(P, off + 3, length - 3);
		return;
	}
	if (ssap == 0xfe && dsap == 0xfe && control == 3) {
		if (!isoclns_print(P, off + 3, length - 3))
			*handled = 0;
		return;
	}
	if (P->o->eflag) {
		/* the SAPs are already named in the -e header */
	} else if (ssap == dsap) {
		if (src != NOADDR && dst != NOADDR) {
			put_mac(P, P->pkt + src, 6);
			puts_(P, " > ");
			put_mac(P, P->pkt + dst, 6);
			putc_(P, ' ');
		}
		put_sap(P, "Unknown DSAP", dsap);
		putc_(P, ' ');
	} else {
		if (src != NOADDR && dst != NOADDR) {
			put_mac(P, P->pkt + src, 6);
			putc_(P, ' ');
		}
		put_sap(P, "Unknown SSAP", ssap);
		puts_(P, " > ");
		if (src != NOADDR && dst != NOADDR) {
			put_mac(P, P->pkt + dst, 6);
			putc_(P, ' ');
		}
		put_sap(P, "Unknown DSAP", dsap);
		putc_(P, ' ');
	}
	if (is_u) {
		const char *c = tok2str_(llc_cmd_values, control & 0xef);

		puts_(P, "Unnumbered, ");
		if (c)
			puts_(P, c);
		else
			putf(P, "%02x", control & 0xef);
		puts_(P, ", Flags [");
		put_flag(P, (ssap_f & 1u) | (control & 0x10u));
		putf(P, "], length %u", length);
	} else if (control & 1) {
		const char *c = tok2str_(llc_s_values, (control >> 2) & 3);

		putf(P, "Supervisory, %s, rcv seq %u, Flags [", c ? c : "?", (control >> 9) & 0x7f);
		put_flag(P, (ssap_f & 1u) | (control & 0x100u));
		putf(P, "], length %u", length);
	} else {
		putf(P, "Information, send seq %u, rcv seq %u, Flags [", (control >> 1) & 0x7f,
		    (control >> 9) & 0x7f);
		put_flag(P, (ssap_f & 1u) | (control & 0x100u));
		putf(P, "], length %u", length);
	}
	(void)hdrlen;
	*handled = 0;   /* unknown payload: the caller adds the hex dump */
}

void
llc_print(struct pctx *P, uint32_t off, uint32_t length, uint32_t caplen, int *handled)
{
	llc_print_mac(P, off, length, caplen, NOADDR, NOADDR, handled);
}
