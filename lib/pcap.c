/* pcap.c — classic pcap records (pcap-savefile(5); draft-ietf-opsawg-pcap).
 *
 * A 24-byte file header (magic, version 2.x, snaplen, link type) then
 * records of a 16-byte header (seconds, µs or ns, caplen, len) and caplen
 * bytes.  The magic says both the byte order and the resolution.  As libpcap
 * does, records with caplen > snaplen or caplen > len are accepted (and
 * counted); caplen > PK_MAX_CAPLEN is corruption.  Like libpcap, a record
 * longer than the header's snapshot length is cut to it (tcpdump never
 * sees the extra bytes, so neither do our filters and printers).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rd.h"

#define PCAP_HDR  24
#define PCAP_REC  16

int
pk__pcap_open(struct pk_reader *r, char *errbuf)
{
	const uint8_t *p;
	size_t avail;
	uint32_t magic;

	p = rd_peek(r, PCAP_HDR, &avail);
	if (!p) {
		snprintf(errbuf, PK_ERRBUF, "%s", r->errkind ? r->err : "");
		if (!r->errkind)
			snprintf(errbuf, PK_ERRBUF,
			    "pcap file header is cut short: 24 bytes needed, %zu present", avail);
		return -1;
	}
	magic = rd_u32(p, 0);
	r->be = (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1);
	r->scale = (magic == 0xa1b23c4d || magic == 0x4d3cb2a1) ? 1 : 1000;
	r->info.format = PK_FMT_PCAP;
	r->info.big_endian = r->be;
	r->info.nano = r->scale == 1;
	r->info.version_major = rd_u16(p + 4, r->be);
	r->info.version_minor = rd_u16(p + 6, r->be);
	r->info.snaplen = rd_u32(p + 16, r->be);
	/* The top bits of the link-type field carry FCS flags (pcap-savefile(5)). */
	r->info.linktype = (int)(rd_u32(p + 20, r->be) & 0x03ffffff);
	if (r->info.version_major != 2 || r->info.version_minor > 4) {
		snprintf(errbuf, PK_ERRBUF, "unsupported pcap version %u.%u (only 2.0 to 2.4)",
		    r->info.version_major, r->info.version_minor);
		return -1;
	}
	/* Before 2.3 caplen and len were written in the other order; 2.3 files
	 * may be either way round (libpcap's rule). */
	r->swapped_lens = r->info.version_minor < 3 ? 1 : r->info.version_minor == 3 ? 2 : 0;

	r->ifaces = calloc(1, sizeof *r->ifaces);
	if (!r->ifaces) {
		snprintf(errbuf, PK_ERRBUF, "out of memory");
		return -1;
	}
	r->n_ifaces = r->cap_ifaces = 1;
	r->ifaces[0].linktype = r->info.linktype;
	r->ifaces[0].snaplen = r->info.snaplen;
	r->ifaces[0].tsresol = r->scale == 1 ? 9 : 6;
	r->ifaces[0].ticks_per_sec = r->scale == 1 ? 1000000000u : 1000000u;
	r->info.n_ifaces = 1;
	r->info.ifaces = r->ifaces;
	r->pos += PCAP_HDR;
	return 0;
}

int
pk__pcap_next(struct pk_reader *r, struct pk_pkthdr *h, const uint8_t **data)
{
	const uint8_t *p;
	size_t avail;
	uint32_t caplen, len, frac;
	uint64_t rec = r->record + 1, off = rd_tell(r);

	p = rd_peek(r, PCAP_REC, &avail);
	if (!p) {
		if (r->errkind)
			return -1;
		if (avail == 0)
			return 0;
		return rd_fail(r, PK_ERR_CUT,
		    "record %llu at offset %llu is cut short: 16-byte record header, %zu bytes present",
		    (unsigned long long)rec, (unsigned long long)off, avail);
	}
	caplen = rd_u32(p + 8, r->be);
	len = rd_u32(p + 12, r->be);
	if (r->swapped_lens == 1 || (r->swapped_lens == 2 && caplen > len)) {
		uint32_t t = caplen;
		caplen = len;
		len = t;
	}
	if (caplen > PK_MAX_CAPLEN)
		return rd_fail(r, PK_ERR_FORMAT,
		    "record %llu at offset %llu has an impossible length: caplen %u exceeds %u",
		    (unsigned long long)rec, (unsigned long long)off, caplen, PK_MAX_CAPLEN);
	p = rd_peek(r, PCAP_REC + (size_t)caplen, &avail);
	if (!p) {
		if (r->errkind)
			return -1;
		return rd_fail(r, PK_ERR_CUT,
		    "record %llu at offset %llu is cut short: %u bytes announced, %zu present",
		    (unsigned long long)rec, (unsigned long long)off, caplen,
		    avail - PCAP_REC);
	}
	frac = rd_u32(p + 4, r->be);
	h->sec = (int64_t)rd_u32(p, r->be);
	h->usec_raw = 0;
	if ((uint64_t)frac * r->scale > UINT32_MAX) {
		h->nsec = UINT32_MAX;
		h->usec_raw = frac;
	} else {
		h->nsec = frac * r->scale;
	}
	h->caplen = caplen;
	h->len = len;
	h->ifindex = 0;
	h->linktype = r->info.linktype;
	*data = p + PCAP_REC;
	h->stored = p;
	if (caplen > r->info.snaplen && r->info.snaplen != 0) {
		r->info.caplen_over_snaplen++;
		h->caplen = r->info.snaplen;
	}
	if (caplen > len)
		r->info.caplen_over_len++;
	r->ifaces[0].packets++;
	r->pos += PCAP_REC + (size_t)caplen;
	r->record = rec;
	r->offset = off;
	return 1;
}
