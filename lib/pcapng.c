/* pcapng.c — pcapng blocks (draft-ietf-opsawg-pcapng, "PCAP Now Generic").
 *
 * Sections start with a Section Header Block (SHB) whose byte-order magic
 * sets the byte order of every block up to the next SHB; interface ids in
 * packet blocks are relative to the section.  We read SHB (§4.1), IDB (§4.2:
 * link type, snaplen, if_tsresol, if_tsoffset, name/description/filter/os),
 * EPB (§4.3), SPB (§4.4), the obsolete PB (appendix) and ISB (§4.6:
 * isb_ifdrop); every other block is skipped by its length.  Timestamps are
 * converted exactly: whole seconds by division, the remainder scaled to
 * nanoseconds with a 128-bit product, then if_tsoffset added.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rd.h"

#define BT_SHB  0x0a0d0d0au
#define BT_IDB  1u
#define BT_PB   2u
#define BT_SPB  3u
#define BT_ISB  5u
#define BT_EPB  6u

static const char *
block_name(uint32_t type)
{
	switch (type) {
	case BT_SHB: return "SHB";
	case BT_IDB: return "IDB";
	case BT_PB:  return "PB";
	case BT_SPB: return "SPB";
	case BT_ISB: return "ISB";
	case BT_EPB: return "EPB";
	default:     return "block";
	}
}

/* Iterate the options in [p, end): calls fn for each until opt_endofopt. */
typedef int (*opt_fn)(struct pk_reader *r, void *ctx, uint16_t code,
                      const uint8_t *v, uint16_t len);

static int
walk_options(struct pk_reader *r, const uint8_t *p, const uint8_t *end,
             opt_fn fn, void *ctx, uint64_t off)
{
	while ((size_t)(end - p) >= 4) {
		uint16_t code = rd_u16(p, r->be), len = rd_u16(p + 2, r->be);
		size_t padded = ((size_t)len + 3) & ~(size_t)3;

		if (code == 0)
			return 0;
		if (padded > (size_t)(end - p) - 4)
			return rd_fail(r, PK_ERR_FORMAT,
			    "block %llu at offset %llu: option %u of %u bytes overruns the block",
			    (unsigned long long)r->block, (unsigned long long)off, code, len);
		if (fn(r, ctx, code, p + 4, len) < 0)
			return -1;
		p += 4 + padded;
	}
	return 0;
}

static char *
dupstr(const uint8_t *v, uint16_t len)
{
	char *s = malloc((size_t)len + 1);

	if (s) {
		memcpy(s, v, len);
		s[len] = '\0';
	}
	return s;
}

static void
setstr(char **slot, const uint8_t *v, uint16_t len)
{
	char *s = dupstr(v, len);

	if (s) {
		free(*slot);
		*slot = s;
	}
}

static int
shb_opt(struct pk_reader *r, void *ctx, uint16_t code, const uint8_t *v, uint16_t len)
{
	(void)ctx;
	switch (code) {
	case 1: if (!r->strs[3]) setstr(&r->strs[3], v, len); break;   /* opt_comment */
	case 2: setstr(&r->strs[0], v, len); break;                    /* shb_hardware */
	case 3: setstr(&r->strs[1], v, len); break;                    /* shb_os */
	case 4: setstr(&r->strs[2], v, len); break;                    /* shb_userappl */
	}
	r->info.shb_hardware = r->strs[0];
	r->info.shb_os = r->strs[1];
	r->info.shb_application = r->strs[2];
	r->info.shb_comment = r->strs[3];
	return 0;
}

static int
idb_opt(struct pk_reader *r, void *ctx, uint16_t code, const uint8_t *v, uint16_t len)
{
	struct pk_iface *ifc = ctx;

	switch (code) {
	case 2: setstr((char **)&ifc->name, v, len); break;
	case 3: setstr((char **)&ifc->description, v, len); break;
	case 11:   /* if_filter: first byte is the filter kind (0 = string) */
		if (len >= 1)
			setstr((char **)&ifc->filter, v + 1, (uint16_t)(len - 1));
		break;
	case 12: setstr((char **)&ifc->os, v, len); break;
	case 9:    /* if_tsresol */
		if (len >= 1)
			ifc->tsresol = v[0];
		break;
	case 14:   /* if_tsoffset: signed 64-bit seconds */
		if (len >= 8) {
			uint64_t hi = rd_u32(v, r->be), lo = rd_u32(v + 4, r->be);
			uint64_t u = r->be ? hi << 32 | lo : lo << 32 | hi;
			ifc->tsoffset = (int64_t)u;
		}
		break;
	}
	return 0;
}

static int
isb_opt(struct pk_reader *r, void *ctx, uint16_t code, const uint8_t *v, uint16_t len)
{
	struct pk_iface *ifc = ctx;

	if (code == 5 && len >= 8) {   /* isb_ifdrop */
		uint64_t a = rd_u32(v, r->be), b = rd_u32(v + 4, r->be);
		ifc->drops = r->be ? a << 32 | b : b << 32 | a;
		ifc->has_drops = 1;
	}
	return 0;
}

static int
add_idb(struct pk_reader *r, const uint8_t *b, uint32_t blen, uint64_t off)
{
	struct pk_iface *ifc;
	uint8_t res;

	if (blen < 20)
		return rd_fail(r, PK_ERR_FORMAT,
		    "block %llu (IDB) at offset %llu is too short: %u bytes",
		    (unsigned long long)r->block, (unsigned long long)off, blen);
	if (r->n_ifaces == r->cap_ifaces) {
		unsigned ncap = r->cap_ifaces ? 2 * r->cap_ifaces : 4;
		struct pk_iface *n = realloc(r->ifaces, ncap * sizeof *n);

		if (!n)
			return rd_fail(r, PK_ERR_IO, "out of memory");
		r->ifaces = n;
		r->cap_ifaces = ncap;
	}
	ifc = &r->ifaces[r->n_ifaces];
	memset(ifc, 0, sizeof *ifc);
	ifc->linktype = rd_u16(b + 8, r->be);
	ifc->snaplen = rd_u32(b + 12, r->be);
	ifc->tsresol = 6;
	r->n_ifaces++;
	r->info.ifaces = r->ifaces;
	r->info.n_ifaces = r->n_ifaces;
	if (walk_options(r, b + 16, b + blen - 4, idb_opt, ifc, off) < 0)
		return -1;
	res = ifc->tsresol;
	if (res & 0x80) {
		if ((res & 0x7f) > 63)
			return rd_fail(r, PK_ERR_FORMAT,
			    "block %llu (IDB) at offset %llu: if_tsresol 2^-%u is not supported",
			    (unsigned long long)r->block, (unsigned long long)off, res & 0x7f);
		ifc->ticks_per_sec = (uint64_t)1 << (res & 0x7f);
	} else {
		if (res > 19)
			return rd_fail(r, PK_ERR_FORMAT,
			    "block %llu (IDB) at offset %llu: if_tsresol 10^-%u is not supported",
			    (unsigned long long)r->block, (unsigned long long)off, res);
		ifc->ticks_per_sec = 1;
		for (unsigned i = 0; i < res; i++)
			ifc->ticks_per_sec *= 10;
	}
	/* Finer than µs, or a unit µs cannot represent exactly (2^-n): keep ns. */
	if (ifc->ticks_per_sec > 1000000 || 1000000 % ifc->ticks_per_sec != 0)
		r->info.nano = 1;
	if (r->n_ifaces == 1) {
		r->info.linktype = ifc->linktype;
		r->info.snaplen = ifc->snaplen;
	}
	return 0;
}

/* Parse the SHB at the current position (its first 12 bytes are buffered). */
static int
read_shb(struct pk_reader *r, char *errbuf)
{
	const uint8_t *p;
	size_t avail;
	uint64_t off = rd_tell(r);
	uint32_t bom, blen;
	int be;

	r->block++;
	p = rd_peek(r, 12, &avail);
	if (!p) {
		if (!r->errkind)
			rd_fail(r, PK_ERR_CUT,
			    "block %llu (SHB) at offset %llu is cut short: 12-byte header, %zu bytes present",
			    (unsigned long long)r->block, (unsigned long long)off, avail);
		goto fail;
	}
	bom = rd_u32(p + 8, 0);
	if (bom == 0x1a2b3c4d)
		be = 0;
	else if (bom == 0x4d3c2b1a)
		be = 1;
	else {
		rd_fail(r, PK_ERR_FORMAT,
		    "block %llu (SHB) at offset %llu has a bad byte-order magic 0x%08x",
		    (unsigned long long)r->block, (unsigned long long)off, (unsigned)bom);
		goto fail;
	}
	blen = rd_u32(p + 4, be);
	if (blen < 28 || blen % 4 != 0 || blen > RD_MAXBLOCK) {
		rd_fail(r, PK_ERR_FORMAT,
		    "block %llu (SHB) at offset %llu has an impossible length %u",
		    (unsigned long long)r->block, (unsigned long long)off, blen);
		goto fail;
	}
	p = rd_peek(r, blen, &avail);
	if (!p) {
		if (!r->errkind)
			rd_fail(r, PK_ERR_CUT,
			    "block %llu (SHB) at offset %llu is cut short: %u bytes announced, %zu present",
			    (unsigned long long)r->block, (unsigned long long)off, blen, avail);
		goto fail;
	}
	if (rd_u32(p + blen - 4, be) != blen) {
		rd_fail(r, PK_ERR_FORMAT,
		    "block %llu (SHB) at offset %llu: trailing length %u differs from %u",
		    (unsigned long long)r->block, (unsigned long long)off,
		    rd_u32(p + blen - 4, be), blen);
		goto fail;
	}
	if (rd_u16(p + 12, be) != 1) {
		rd_fail(r, PK_ERR_FORMAT,
		    "block %llu (SHB) at offset %llu: unsupported pcapng version %u.%u",
		    (unsigned long long)r->block, (unsigned long long)off,
		    rd_u16(p + 12, be), rd_u16(p + 14, be));
		goto fail;
	}
	r->be = be;
	r->info.format = PK_FMT_PCAPNG;
	r->info.big_endian = be;
	r->info.version_major = rd_u16(p + 12, be);
	r->info.version_minor = rd_u16(p + 14, be);
	r->info.sections++;
	r->sect_base = r->n_ifaces;
	if (walk_options(r, p + 24, p + blen - 4, shb_opt, NULL, off) < 0)
		goto fail;
	r->pos += blen;
	return 0;
fail:
	if (errbuf)
		snprintf(errbuf, PK_ERRBUF, "%s", r->err);
	return -1;
}

int
pk__pcapng_open(struct pk_reader *r, char *errbuf)
{
	return read_shb(r, errbuf);
}

/* Ticks since the epoch on interface IFC to seconds + nanoseconds. */
static void
set_time(struct pk_pkthdr *h, const struct pk_iface *ifc, uint64_t ticks)
{
	uint64_t tps = ifc->ticks_per_sec, frac = ticks % tps;

	/* Unsigned arithmetic: a hostile offset wraps instead of overflowing. */
	h->sec = (int64_t)(ticks / tps + (uint64_t)ifc->tsoffset);
	h->nsec = (uint32_t)((unsigned __int128)frac * 1000000000u / tps);
}

/* Read blocks until a packet (1), the end (0) or an error (-1).  With
 * PREAMBLE, stop before a packet block instead, returning 1 with *h unset. */
static int
next_block(struct pk_reader *r, struct pk_pkthdr *h, const uint8_t **data, int preamble)
{
	for (;;) {
		const uint8_t *p;
		size_t avail;
		uint64_t off = rd_tell(r);
		uint32_t type, blen, ifid, caplen, len;
		struct pk_iface *ifc;

		p = rd_peek(r, 8, &avail);
		if (!p) {
			if (r->errkind)
				return -1;
			if (avail == 0)
				return 0;
			return rd_fail(r, PK_ERR_CUT,
			    "block %llu at offset %llu is cut short: 8-byte block header, %zu bytes present",
			    (unsigned long long)r->block + 1, (unsigned long long)off, avail);
		}
		type = rd_u32(p, r->be);
		if (type == BT_SHB) {
			if (read_shb(r, NULL) < 0)
				return -1;
			continue;
		}
		if (preamble && (type == BT_EPB || type == BT_SPB || type == BT_PB))
			return 1;
		r->block++;
		blen = rd_u32(p + 4, r->be);
		if (blen < 12 || blen % 4 != 0)
			return rd_fail(r, PK_ERR_FORMAT,
			    "block %llu (%s) at offset %llu has an impossible length %u",
			    (unsigned long long)r->block, block_name(type),
			    (unsigned long long)off, blen);
		if (type != BT_IDB && type != BT_EPB && type != BT_SPB &&
		    type != BT_PB && type != BT_ISB) {
			if (rd_skip(r, blen) < 0) {
				if (r->errkind)
					return -1;
				return rd_fail(r, PK_ERR_CUT,
				    "block %llu at offset %llu is cut short: %u bytes announced",
				    (unsigned long long)r->block, (unsigned long long)off, blen);
			}
			continue;
		}
		if (blen > RD_MAXBLOCK)
			return rd_fail(r, PK_ERR_FORMAT,
			    "block %llu (%s) at offset %llu has an impossible length %u",
			    (unsigned long long)r->block, block_name(type),
			    (unsigned long long)off, blen);
		p = rd_peek(r, blen, &avail);
		if (!p) {
			if (r->errkind)
				return -1;
			return rd_fail(r, PK_ERR_CUT,
			    "block %llu (%s) at offset %llu is cut short: %u bytes announced, %zu present",
			    (unsigned long long)r->block, block_name(type),
			    (unsigned long long)off, blen, avail);
		}
		if (rd_u32(p + blen - 4, r->be) != blen)
			return rd_fail(r, PK_ERR_FORMAT,
			    "block %llu (%s) at offset %llu: trailing length %u differs from %u",
			    (unsigned long long)r->block, block_name(type),
			    (unsigned long long)off, rd_u32(p + blen - 4, r->be), blen);

		if (type == BT_IDB) {
			if (add_idb(r, p, blen, off) < 0)
				return -1;
			r->pos += blen;
			continue;
		}

		/* Packet and statistics blocks name an interface of this section. */
		if (type == BT_SPB) {
			ifid = 0;
		} else {
			if (blen < (type == BT_ISB ? 24u : 32u))
				return rd_fail(r, PK_ERR_FORMAT,
				    "block %llu (%s) at offset %llu has an impossible length %u",
				    (unsigned long long)r->block, block_name(type),
				    (unsigned long long)off, blen);
			ifid = type == BT_PB ? rd_u16(p + 8, r->be) : rd_u32(p + 8, r->be);
		}
		if (ifid >= r->n_ifaces - r->sect_base)
			return rd_fail(r, PK_ERR_FORMAT,
			    "block %llu (%s) at offset %llu names interface %u, but the section has %u",
			    (unsigned long long)r->block, block_name(type),
			    (unsigned long long)off, ifid, r->n_ifaces - r->sect_base);
		ifc = &r->ifaces[r->sect_base + ifid];

		if (type == BT_ISB) {
			if (walk_options(r, p + 20, p + blen - 4, isb_opt, ifc, off) < 0)
				return -1;
			r->pos += blen;
			continue;
		}
		if (type == BT_SPB) {
			if (blen < 16)
				return rd_fail(r, PK_ERR_FORMAT,
				    "block %llu (SPB) at offset %llu has an impossible length %u",
				    (unsigned long long)r->block, (unsigned long long)off, blen);
			len = rd_u32(p + 8, r->be);
			caplen = blen - 16;
			if (caplen > len)
				caplen = len;
			if (ifc->snaplen != 0 && caplen > ifc->snaplen)
				caplen = ifc->snaplen;
			h->sec = 0;
			h->nsec = 0;
			*data = p + 12;
		} else {
			uint32_t hi = rd_u32(p + 12, r->be), lo = rd_u32(p + 16, r->be);

			caplen = rd_u32(p + 20, r->be);
			len = rd_u32(p + 24, r->be);
			if (caplen > PK_MAX_CAPLEN)
				return rd_fail(r, PK_ERR_FORMAT,
				    "block %llu (%s) at offset %llu has an impossible length: caplen %u exceeds %u",
				    (unsigned long long)r->block, block_name(type),
				    (unsigned long long)off, caplen, PK_MAX_CAPLEN);
			if (caplen > blen - 32)
				return rd_fail(r, PK_ERR_FORMAT,
				    "block %llu (%s) at offset %llu: caplen %u does not fit in a %u-byte block",
				    (unsigned long long)r->block, block_name(type),
				    (unsigned long long)off, caplen, blen);
			set_time(h, ifc, (uint64_t)hi << 32 | lo);
			*data = p + 28;
		}
		h->caplen = caplen;
		h->len = len;
		h->usec_raw = 0;
		h->stored = NULL;
		h->ifindex = r->sect_base + ifid;
		h->linktype = ifc->linktype;
		if (ifc->snaplen != 0 && caplen > ifc->snaplen)
			r->info.caplen_over_snaplen++;
		if (caplen > len)
			r->info.caplen_over_len++;
		ifc->packets++;
		r->pos += blen;
		r->record++;
		r->offset = off;
		return 1;
	}
}

int
pk__pcapng_next(struct pk_reader *r, struct pk_pkthdr *h, const uint8_t **data)
{
	return next_block(r, h, data, 0);
}

int
pk__pcapng_preamble(struct pk_reader *r)
{
	return next_block(r, NULL, NULL, 1) < 0 ? -1 : 0;
}
