/* print_ipsec.c — AH (RFC 4302), ESP (RFC 4303), PIM (RFC 7761) and VRRP (RFC 3768/5798) lines.
 *
 * Output follows tcpdump 4.99 without -v extras: AH prints its SPI,
 * sequence number and ICV then hands the rest to the next protocol; ESP
 * cannot be decrypted, so only SPI/sequence/length; PIMv2 names the
 * message type; VRRP the advertisement fields.
 */
#include "print_int.h"

/* AH header: next header(1) payload len(1) reserved(2) SPI(4) seq(4) ICV.
 * Returns the bytes to skip, or -1 when the header is cut. */
static int
ah_print(struct pctx *P, uint32_t off)
{
	uint32_t sumlen, i;

	P->proto = "ah";
	puts_(P, "AH(");
	if (!HAS(P, off, 8)) {
		put_trunc(P);
		return -1;
	}
	sumlen = (uint32_t)U8(P, off + 1) << 2;
	puts_(P, "spi=0x");
	putx_w(P, U32(P, off + 4), 8);
	if (P->o->vflag) {
		puts_(P, ",sumlen=");
		putu(P, sumlen);
	}
	putc_(P, ',');
	if (!HAS(P, off + 8, 4)) {
		put_trunc(P);
		return -1;
	}
	puts_(P, "seq=0x");
	putx(P, U32(P, off + 8));
	puts_(P, ",icv=0x");
	/* The ICV follows the sequence number up to 8 + sumlen (RFC 4302 2.2). */
	for (i = 12; i < 8 + sumlen; i++) {
		if (!HAS(P, off + i, 1)) {
			put_trunc(P);
			return -1;
		}
		putx_w(P, U8(P, off + i), 2);
	}
	puts_(P, "): ");
	return (int)(8 + sumlen);
}

void
ah_demux_print(struct pctx *P, uint32_t off, uint32_t length, int ver, int fragmented,
               uint8_t ttl, uint32_t ipoff)
{
	uint8_t nh;
	int adv;

	if (!HAS(P, off, 1)) {   /* the next-header byte is read first */
		P->proto = "ah";
		put_trunc(P);
		return;
	}
	adv = ah_print(P, off);
	if (adv <= 0)
		return;
	nh = U8(P, off);
	if ((uint32_t)adv > length)
		length = (uint32_t)adv;
	ip_demux_print(P, off + (uint32_t)adv, length - (uint32_t)adv, ver, fragmented, ttl, nh, ipoff);
}

void
esp_print(struct pctx *P, uint32_t off, uint32_t length)
{
	P->proto = "esp";
	/* tcpdump wants more than the 8-byte SPI/sequence header in the capture. */
	if (!HAS(P, off, 9)) {
		put_trunc(P);
		return;
	}
	puts_(P, "ESP(spi=0x");
	putx_w(P, U32(P, off), 8);
	puts_(P, ",seq=0x");
	putx(P, U32(P, off + 4));
	puts_(P, "), length ");
	putu(P, length);
}

static const struct tok pimv2_types[] = {
	{ 0, "Hello" }, { 1, "Register" }, { 2, "Register Stop" }, { 3, "Join / Prune" },
	{ 4, "Bootstrap" }, { 5, "Assert" }, { 6, "Graft" }, { 7, "Graft Acknowledgement" },
	{ 8, "Candidate RP Advertisement" }, { 9, "Prune Refresh" }, { 10, "DF Election" },
	{ 11, "ECMP Redirect" }, { 0, NULL }
};

void
pim_print(struct pctx *P, uint32_t off, uint32_t length)
{
	uint8_t tv;
	const char *s;

	P->proto = "pim";
	if (!HAS(P, off, 1)) {
		put_trunc(P);
		return;
	}
	tv = U8(P, off);
	puts_(P, "PIMv");
	putu(P, tv >> 4);
	if ((tv >> 4) == 2) {
		s = tok2str_(pimv2_types, tv & 0x0f);
		puts_(P, ", ");
		puts_(P, s ? s : "Unknown Type");
	}
	puts_(P, ", length ");
	putu(P, length);
}

static const struct tok vrrp_auth[] = {
	{ 0, "none" }, { 1, "simple" }, { 2, "ah" }, { 0, NULL }
};

void
vrrp_print(struct pctx *P, uint32_t off, uint32_t length, uint32_t ipoff, uint8_t ttl)
{
	uint8_t ver, type;

	(void)ipoff;
	P->proto = "vrrp";
	puts_(P, "VRRP");
	if (!HAS(P, off, 1)) {
		put_trunc(P);
		return;
	}
	ver = U8(P, off) >> 4;
	type = U8(P, off) & 0x0f;
	putc_(P, 'v');
	putu(P, ver);
	if (type == 1)
		puts_(P, ", Advertisement");
	else
		putf(P, ", unknown type (%u)", type);
	if (ttl != 255)
		putf(P, ", (ttl %u)", ttl);
	if (ver < 2 || ver > 3 || type != 1)
		return;
	if (!HAS(P, off + 1, 2)) {
		put_trunc(P);
		return;
	}
	putf(P, ", vrid %u, prio %u", U8(P, off + 1), U8(P, off + 2));
	if (!HAS(P, off + 4, 2)) {
		put_trunc(P);
		return;
	}
	if (ver == 2) {
		const char *a = tok2str_(vrrp_auth, U8(P, off + 4));

		puts_(P, ", authtype ");
		if (a)
			puts_(P, a);
		else
			putf(P, "#%u", U8(P, off + 4));
		putf(P, ", intvl %us, length %u", U8(P, off + 5), length);
	} else {
		putf(P, ", intvl %ucs, length %u", ((U8(P, off + 4) & 0x0fu) << 8) | U8(P, off + 5),
		    length);
	}
}
