/* test_reader.c — unit tests of the pcap/pcapng readers and the pcap writer.
 *
 * Inputs are written byte by byte here (not with the project's builder or
 * writer), so the reader is checked against the file formats themselves:
 * pcap-savefile(5) and draft-ietf-opsawg-pcapng.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pcapkit/merge.h"
#include "pcapkit/reader.h"
#include "pcapkit/writer.h"
#include "unit.h"

/* A byte sink that knows the byte order of the file being made. */
struct bytes { uint8_t d[4096]; size_t n; int be; };

static void b8(struct bytes *b, uint8_t v) { b->d[b->n++] = v; }
static void b16(struct bytes *b, uint16_t v)
{
	if (b->be) { b8(b, (uint8_t)(v >> 8)); b8(b, (uint8_t)v); }
	else       { b8(b, (uint8_t)v); b8(b, (uint8_t)(v >> 8)); }
}
static void b32(struct bytes *b, uint32_t v)
{
	if (b->be) { b16(b, (uint16_t)(v >> 16)); b16(b, (uint16_t)v); }
	else       { b16(b, (uint16_t)v); b16(b, (uint16_t)(v >> 16)); }
}
static void bfill(struct bytes *b, size_t n, uint8_t v)
{
	if (n > sizeof b->d - b->n)
		abort();
	memset(b->d + b->n, v, n);
	b->n += n;
}

static const char *
tmpfile_with(const struct bytes *b)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof path, "/tmp/pk_unit_XXXXXX");
	fd = mkstemp(path);
	if (fd < 0 || write(fd, b->d, b->n) != (ssize_t)b->n)
		abort();
	close(fd);
	return path;
}

static void
pcap_header(struct bytes *b, uint32_t magic, uint16_t minor, uint32_t snaplen, uint32_t lt)
{
	b32(b, magic); b16(b, 2); b16(b, minor); b32(b, 0); b32(b, 0); b32(b, snaplen); b32(b, lt);
}

static void
pcap_record(struct bytes *b, uint32_t sec, uint32_t frac, uint32_t caplen, uint32_t len, uint8_t fill)
{
	b32(b, sec); b32(b, frac); b32(b, caplen); b32(b, len); bfill(b, caplen, fill);
}

/* Each of the four magics, in its byte order, gives the same packets. */
static void
pcap_magics(void)
{
	for (int be = 0; be < 2; be++)
		for (int ns = 0; ns < 2; ns++) {
			struct bytes b = { .be = be };
			struct pk_pkthdr h;
			const uint8_t *d;
			char err[PK_ERRBUF];
			struct pk_reader *r;
			const char *p;

			pcap_header(&b, ns ? 0xa1b23c4d : 0xa1b2c3d4, 4, 65535, 1);
			pcap_record(&b, 1700000000, ns ? 123456789 : 123456, 60, 60, 0xaa);
			pcap_record(&b, 1700000001, 5, 10, 1514, 0xbb);
			p = tmpfile_with(&b);
			r = pk_reader_open(p, err);
			CHECK(r != NULL);
			if (!r)
				continue;
			CHECK_EQ_INT(pk_reader_info(r)->format, PK_FMT_PCAP);
			CHECK_EQ_INT(pk_reader_info(r)->big_endian, be);
			CHECK_EQ_INT(pk_reader_info(r)->nano, ns);
			CHECK_EQ_INT(pk_reader_info(r)->snaplen, 65535);
			CHECK_EQ_INT(pk_reader_info(r)->linktype, 1);
			CHECK_EQ_INT(pk_reader_next(r, &h, &d), 1);
			CHECK_EQ_INT(h.sec, 1700000000);
			CHECK_EQ_INT(h.nsec, ns ? 123456789 : 123456000);
			CHECK_EQ_INT(h.caplen, 60);
			CHECK_EQ_INT(d[0], 0xaa);
			CHECK_EQ_INT(d[59], 0xaa);
			CHECK_EQ_INT(pk_reader_record(r), 1);
			CHECK_EQ_INT(pk_reader_offset(r), 24);
			CHECK_EQ_INT(pk_reader_next(r, &h, &d), 1);
			CHECK_EQ_INT(h.nsec, ns ? 5 : 5000);
			CHECK_EQ_INT(h.len, 1514);
			CHECK_EQ_INT(pk_reader_offset(r), 24 + 16 + 60);
			CHECK_EQ_INT(pk_reader_next(r, &h, &d), 0);
			CHECK_EQ_INT(pk_reader_errkind(r), PK_ERR_NONE);
			CHECK_EQ_STR(pk_reader_error(r), "");
			pk_reader_close(r);
			unlink(p);
		}
}

static struct pk_reader *
open_bytes(const struct bytes *b, char *err)
{
	const char *p = tmpfile_with(b);
	struct pk_reader *r = pk_reader_open(p, err);

	unlink(p);
	return r;
}

static void
pcap_cut_short(void)
{
	struct bytes b = { .be = 0 };
	struct pk_pkthdr h;
	const uint8_t *d;
	char err[PK_ERRBUF];
	struct pk_reader *r;

	pcap_header(&b, 0xa1b2c3d4, 4, 65535, 1);
	pcap_record(&b, 1, 0, 100, 100, 1);
	b32(&b, 2); b32(&b, 0); b32(&b, 1514); b32(&b, 1514); bfill(&b, 611, 2);
	r = open_bytes(&b, err);
	CHECK(r != NULL);
	if (!r)
		return;
	CHECK_EQ_INT(pk_reader_next(r, &h, &d), 1);
	CHECK_EQ_INT(pk_reader_next(r, &h, &d), -1);
	CHECK_EQ_INT(pk_reader_errkind(r), PK_ERR_CUT);
	CHECK_EQ_STR(pk_reader_error(r),
	    "record 2 at offset 140 is cut short: 1514 bytes announced, 611 present");
	CHECK_EQ_INT(pk_reader_next(r, &h, &d), -1);
	pk_reader_close(r);

	/* A record header cut inside its 16 bytes. */
	b.n = 24 + 16 + 100 + 5;
	r = open_bytes(&b, err);
	CHECK(r != NULL);
	if (!r)
		return;
	CHECK_EQ_INT(pk_reader_next(r, &h, &d), 1);
	CHECK_EQ_INT(pk_reader_next(r, &h, &d), -1);
	CHECK_EQ_INT(pk_reader_errkind(r), PK_ERR_CUT);
	CHECK_EQ_STR(pk_reader_error(r),
	    "record 2 at offset 140 is cut short: 16-byte record header, 5 bytes present");
	pk_reader_close(r);
}

static void
pcap_lengths(void)
{
	struct bytes b = { .be = 1 };
	struct pk_pkthdr h;
	const uint8_t *d;
	char err[PK_ERRBUF];
	struct pk_reader *r;

	pcap_header(&b, 0xa1b2c3d4, 4, 64, 1);
	pcap_record(&b, 1, 0, 100, 90, 1);    /* caplen > snaplen (cut to 64) and > len */
	b32(&b, 1); b32(&b, 0); b32(&b, 262145); b32(&b, 262145);   /* data absent */
	r = open_bytes(&b, err);
	CHECK(r != NULL);
	if (!r)
		return;
	CHECK_EQ_INT(pk_reader_next(r, &h, &d), 1);
	CHECK_EQ_INT(h.caplen, 64);
	CHECK_EQ_INT(h.len, 90);
	CHECK_EQ_INT(pk_reader_info(r)->caplen_over_snaplen, 1);
	CHECK_EQ_INT(pk_reader_info(r)->caplen_over_len, 1);
	CHECK_EQ_INT(pk_reader_next(r, &h, &d), -1);
	CHECK_EQ_INT(pk_reader_errkind(r), PK_ERR_FORMAT);
	CHECK_EQ_STR(pk_reader_error(r),
	    "record 2 at offset 140 has an impossible length: caplen 262145 exceeds 262144");
	pk_reader_close(r);
}

static void
open_errors(void)
{
	struct bytes b = { .be = 0 };
	char err[PK_ERRBUF];

	CHECK(open_bytes(&b, err) == NULL);
	CHECK_EQ_STR(err, "empty input: no capture file header");
	pcap_header(&b, 0xa1b2c3d4, 4, 65535, 1);
	b.n = 10;
	CHECK(open_bytes(&b, err) == NULL);
	CHECK_EQ_STR(err, "pcap file header is cut short: 24 bytes needed, 10 present");
	b.n = 0;
	b32(&b, 0x12345678);
	bfill(&b, 20, 0);
	CHECK(open_bytes(&b, err) == NULL);
	CHECK_EQ_STR(err, "not a pcap or pcapng file: unknown magic 0x78563412 at offset 0");
	b.n = 0;
	pcap_header(&b, 0xa1b2c3d4, 5, 65535, 1);
	CHECK(open_bytes(&b, err) == NULL);
	CHECK_EQ_STR(err, "unsupported pcap version 2.5 (only 2.0 to 2.4)");
	CHECK(pk_reader_open("/nonexistent/x.pcap", err) == NULL);
	CHECK_EQ_STR(err, "No such file or directory");
}

/* pcapng helpers: a block is type, length, body, length. */
static void
ng_shb(struct bytes *b, const char *comment)
{
	size_t cl = comment ? strlen(comment) : 0, pad = (4 - cl % 4) % 4;
	uint32_t len = (uint32_t)(28 + (comment ? 4 + cl + pad + 4 : 0));

	b32(b, 0x0a0d0d0a); b32(b, len); b32(b, 0x1a2b3c4d); b16(b, 1); b16(b, 0);
	b32(b, 0xffffffff); b32(b, 0xffffffff);
	if (comment) {
		b16(b, 1); b16(b, (uint16_t)cl);
		memcpy(b->d + b->n, comment, cl); b->n += cl; bfill(b, pad, 0);
		b32(b, 0);
	}
	b32(b, len);
}

static void
ng_idb(struct bytes *b, uint16_t lt, uint32_t snap, int tsresol, int64_t tsoffset)
{
	uint32_t len = 20 + (tsresol >= 0 ? 8 : 0) + (tsoffset ? 12 : 0) + (tsresol >= 0 || tsoffset ? 4 : 0);

	b32(b, 1); b32(b, len); b16(b, lt); b16(b, 0); b32(b, snap);
	if (tsresol >= 0) {
		b16(b, 9); b16(b, 1); b8(b, (uint8_t)tsresol); bfill(b, 3, 0);
	}
	if (tsoffset) {
		uint64_t u = (uint64_t)tsoffset;
		b16(b, 14); b16(b, 8);
		if (b->be) { b32(b, (uint32_t)(u >> 32)); b32(b, (uint32_t)u); }
		else       { b32(b, (uint32_t)u); b32(b, (uint32_t)(u >> 32)); }
	}
	if (tsresol >= 0 || tsoffset)
		b32(b, 0);
	b32(b, len);
}

static void
ng_epb(struct bytes *b, uint32_t ifid, uint64_t ticks, uint32_t caplen, uint32_t len)
{
	uint32_t pad = (4 - caplen % 4) % 4, blen = 32 + caplen + pad;

	b32(b, 6); b32(b, blen); b32(b, ifid); b32(b, (uint32_t)(ticks >> 32)); b32(b, (uint32_t)ticks);
	b32(b, caplen); b32(b, len); bfill(b, caplen, 0x5a); bfill(b, pad, 0); b32(b, blen);
}

/* Absolute times exact to the ns across if_tsresol 10^-3, 10^-6, 10^-9, 2^-10
 * and if_tsoffset; two sections of opposite byte order; per-interface link
 * types; unknown blocks skipped. */
static void
pcapng_times(void)
{
	struct bytes b = { .be = 0 };
	struct pk_pkthdr h;
	const uint8_t *d;
	char err[PK_ERRBUF];
	struct pk_reader *r;

	ng_shb(&b, "two interfaces");
	ng_idb(&b, 1, 0, 3, 0);            /* ms */
	ng_idb(&b, 101, 128, -1, 0);        /* µs default, RAW */
	ng_idb(&b, 1, 0, 9, 1000);          /* ns with offset 1000 s */
	ng_idb(&b, 1, 0, 0x80 | 10, 0);     /* 2^-10 s */
	ng_epb(&b, 0, 1700000000123ull, 4, 4);           /* 1700000000.123 */
	ng_epb(&b, 1, 1700000000123456ull, 5, 60);       /* 1700000000.123456 */
	ng_epb(&b, 2, 1699999000123456789ull, 6, 6);     /* + 1000 s */
	ng_epb(&b, 3, 1700000000ull * 1024 + 3, 7, 7);   /* 3/1024 s = 2929687.5 ns */
	b32(&b, 0x00000bad); b32(&b, 16); b32(&b, 0); b32(&b, 16);   /* unknown block */
	b.be = 1;
	ng_shb(&b, NULL);
	ng_idb(&b, 113, 65535, 6, 0);
	ng_epb(&b, 0, 1700000002000001ull, 8, 8);
	r = open_bytes(&b, err);
	CHECK(r != NULL);
	if (!r)
		return;
	CHECK_EQ_INT(pk_reader_info(r)->format, PK_FMT_PCAPNG);
	CHECK_EQ_INT(pk_reader_info(r)->n_ifaces, 4);   /* read before the first packet */
	CHECK_EQ_INT(pk_reader_info(r)->linktype, 1);
	CHECK_EQ_INT(pk_reader_info(r)->nano, 1);
	CHECK_EQ_STR(pk_reader_info(r)->shb_comment, "two interfaces");
	CHECK_EQ_INT(pk_reader_next(r, &h, &d), 1);
	CHECK_EQ_INT(h.sec, 1700000000); CHECK_EQ_INT(h.nsec, 123000000); CHECK_EQ_INT(h.linktype, 1);
	CHECK_EQ_INT(pk_reader_next(r, &h, &d), 1);
	CHECK_EQ_INT(h.sec, 1700000000); CHECK_EQ_INT(h.nsec, 123456000);
	CHECK_EQ_INT(h.linktype, 101); CHECK_EQ_INT(h.ifindex, 1);
	CHECK_EQ_INT(h.caplen, 5); CHECK_EQ_INT(h.len, 60); CHECK_EQ_INT(d[4], 0x5a);
	CHECK_EQ_INT(pk_reader_next(r, &h, &d), 1);
	CHECK_EQ_INT(h.sec, 1700000000); CHECK_EQ_INT(h.nsec, 123456789);
	CHECK_EQ_INT(pk_reader_next(r, &h, &d), 1);
	CHECK_EQ_INT(h.sec, 1700000000); CHECK_EQ_INT(h.nsec, 2929687);
	CHECK_EQ_INT(pk_reader_next(r, &h, &d), 1);
	CHECK_EQ_INT(pk_reader_info(r)->sections, 2);
	CHECK_EQ_INT(pk_reader_info(r)->big_endian, 1);
	CHECK_EQ_INT(h.sec, 1700000002); CHECK_EQ_INT(h.nsec, 1000);
	CHECK_EQ_INT(h.linktype, 113); CHECK_EQ_INT(h.ifindex, 4);
	CHECK_EQ_INT(pk_reader_record(r), 5);
	CHECK_EQ_INT(pk_reader_next(r, &h, &d), 0);
	pk_reader_close(r);
}

static void
pcapng_damage(void)
{
	struct bytes b = { .be = 0 };
	struct pk_pkthdr h;
	const uint8_t *d;
	char err[PK_ERRBUF];
	struct pk_reader *r;
	size_t at;

	ng_shb(&b, NULL);
	ng_idb(&b, 1, 0, -1, 0);
	ng_epb(&b, 0, 1, 4, 4);
	at = b.n;
	b32(&b, 6); b32(&b, 7); b32(&b, 0);          /* impossible block length */
	r = open_bytes(&b, err);
	CHECK(r != NULL);
	if (!r)
		return;
	CHECK_EQ_INT(pk_reader_next(r, &h, &d), 1);
	CHECK_EQ_INT(pk_reader_next(r, &h, &d), -1);
	CHECK_EQ_INT(pk_reader_errkind(r), PK_ERR_FORMAT);
	CHECK_EQ_STR(pk_reader_error(r), "block 4 (EPB) at offset 84 has an impossible length 7");
	CHECK_EQ_INT(at, 84);
	pk_reader_close(r);

	b.n = at;
	ng_epb(&b, 0, 2, 100, 100);
	b.n -= 50;                                   /* cut short */
	r = open_bytes(&b, err);
	CHECK(r != NULL);
	if (!r)
		return;
	CHECK_EQ_INT(pk_reader_next(r, &h, &d), 1);
	CHECK_EQ_INT(pk_reader_next(r, &h, &d), -1);
	CHECK_EQ_INT(pk_reader_errkind(r), PK_ERR_CUT);
	CHECK_EQ_STR(pk_reader_error(r),
	    "block 4 (EPB) at offset 84 is cut short: 132 bytes announced, 82 present");
	pk_reader_close(r);

	b.n = at;
	ng_epb(&b, 3, 2, 4, 4);                      /* no such interface */
	r = open_bytes(&b, err);
	CHECK(r != NULL);
	if (!r)
		return;
	CHECK_EQ_INT(pk_reader_next(r, &h, &d), 1);
	CHECK_EQ_INT(pk_reader_next(r, &h, &d), -1);
	CHECK_EQ_STR(pk_reader_error(r),
	    "block 4 (EPB) at offset 84 names interface 3, but the section has 1");
	pk_reader_close(r);
}

/* Writer output read back by the reader: same records, native order. */
static void
writer_roundtrip(void)
{
	char path[] = "/tmp/pk_unit_wXXXXXX", err[PK_ERRBUF];
	int fd = mkstemp(path);
	uint8_t data[70];
	struct pk_pkthdr in = { .sec = 1700000000, .nsec = 999999999, .caplen = 70, .len = 100 }, h;
	const uint8_t *d;
	struct pk_writer *w;
	struct pk_reader *r;

	for (int i = 0; i < 70; i++)
		data[i] = (uint8_t)i;
	CHECK(fd >= 0);
	for (int nano = 0; nano < 2; nano++) {
		CHECK(ftruncate(fd, 0) == 0);
		CHECK(lseek(fd, 0, SEEK_SET) == 0);
		w = pk_writer_open(fd, 1, 200, nano, err);
		CHECK(w != NULL);
		CHECK_EQ_INT(pk_writer_write(w, &in, data), 0);
		CHECK_EQ_INT(pk_writer_close(w), 0);
		r = pk_reader_open(path, err);
		CHECK(r != NULL);
		if (!r)
			continue;
		CHECK_EQ_INT(pk_reader_info(r)->nano, nano);
		CHECK_EQ_INT(pk_reader_info(r)->snaplen, 200);
		CHECK_EQ_INT(pk_reader_next(r, &h, &d), 1);
		CHECK_EQ_INT(h.nsec, nano ? 999999999 : 999999000);
		CHECK_EQ_INT(h.caplen, 70);
		CHECK_EQ_INT(h.len, 100);
		CHECK(memcmp(d, data, 70) == 0);
		pk_reader_close(r);
	}
	close(fd);
	unlink(path);
}

static void
writer_error(void)
{
	char err[PK_ERRBUF];
	int fd = open("/dev/full", O_WRONLY);
	struct pk_writer *w;
	struct pk_pkthdr h = { .caplen = 1, .len = 1 };
	uint8_t x = 0;

	if (fd < 0)
		return;
	w = pk_writer_open(fd, 1, 65535, 0, err);
	CHECK(w != NULL);
	CHECK_EQ_INT(pk_writer_write(w, &h, &x), 0);     /* buffered */
	CHECK_EQ_INT(pk_writer_flush(w), -1);
	CHECK_EQ_STR(pk_writer_error(w), "write error: No space left on device");
	CHECK_EQ_INT(pk_writer_write(w, &h, &x), -1);
	CHECK_EQ_INT(pk_writer_close(w), -1);
	close(fd);
}

static void
merge_order(void)
{
	struct bytes a = { .be = 0 }, c = { .be = 1 };
	char err[PK_ERRBUF];
	struct pk_reader *rs[2];
	struct pk_merge *m;
	struct pk_pkthdr h;
	const uint8_t *d;
	unsigned src, got[8], n = 0;

	pcap_header(&a, 0xa1b2c3d4, 4, 65535, 1);
	pcap_record(&a, 1, 0, 1, 1, 0xa1);
	pcap_record(&a, 3, 0, 1, 1, 0xa2);
	pcap_record(&a, 5, 0, 1, 1, 0xa3);
	pcap_header(&c, 0xa1b2c3d4, 4, 65535, 1);
	pcap_record(&c, 0, 0, 1, 1, 0xc1);
	pcap_record(&c, 3, 0, 1, 1, 0xc2);   /* ties with a2: c2 first, as mergecap */
	pcap_record(&c, 9, 0, 1, 1, 0xc3);
	rs[0] = open_bytes(&a, err);
	rs[1] = open_bytes(&c, err);
	CHECK(rs[0] && rs[1]);
	m = pk_merge_new(rs, 2);
	while (n < 8 && pk_merge_next(m, &h, &d, &src) == 1)
		got[n++] = d[0];
	CHECK_EQ_INT(n, 6);
	CHECK_EQ_INT(got[0], 0xc1); CHECK_EQ_INT(got[1], 0xa1); CHECK_EQ_INT(got[2], 0xc2);
	CHECK_EQ_INT(got[3], 0xa2); CHECK_EQ_INT(got[4], 0xa3); CHECK_EQ_INT(got[5], 0xc3);
	pk_merge_free(m);
	pk_reader_close(rs[0]);
	pk_reader_close(rs[1]);
}

/* The generated two-interface pcapng: option strings, ISB drops, counts. */
static void
pcapng_strings(void)
{
	char err[PK_ERRBUF];
	struct pk_reader *r = pk_reader_open("testdata/core-2if.pcapng", err);
	const struct pk_capinfo *ci;
	struct pk_pkthdr h;
	const uint8_t *d;
	int n = 0;

	CHECK(r != NULL);
	if (!r)
		return;
	while (pk_reader_next(r, &h, &d) == 1)
		n++;
	CHECK_EQ_INT(n, 16);
	CHECK_EQ_INT(pk_reader_errkind(r), PK_ERR_NONE);
	ci = pk_reader_info(r);
	CHECK_EQ_STR(ci->shb_comment, "pcapkit test capture: two interfaces");
	CHECK_EQ_STR(ci->shb_hardware, "x86_64");
	CHECK_EQ_STR(ci->shb_os, "Linux");
	CHECK_EQ_STR(ci->shb_application, "gen_core");
	CHECK_EQ_INT(ci->n_ifaces, 2);
	CHECK_EQ_STR(ci->ifaces[0].name, "eth0");
	CHECK_EQ_STR(ci->ifaces[1].name, "eth1");
	CHECK_EQ_INT(ci->ifaces[0].tsresol, 6);
	CHECK_EQ_INT(ci->ifaces[1].tsresol, 9);
	CHECK_EQ_INT(ci->ifaces[0].packets, 8);
	CHECK_EQ_INT(ci->ifaces[1].packets, 8);
	CHECK_EQ_INT(ci->ifaces[0].has_drops, 1);
	CHECK_EQ_INT(ci->ifaces[0].drops, 3);
	CHECK_EQ_INT(ci->ifaces[1].has_drops, 0);
	CHECK_EQ_INT(ci->nano, 1);
	pk_reader_close(r);
}

/* A reader over memory; sizes and offsets. */
static void
memory_and_sizes(void)
{
	struct bytes b = { .be = 0 };
	char err[PK_ERRBUF];
	struct pk_reader *r;
	struct pk_pkthdr h;
	const uint8_t *d;

	pcap_header(&b, 0xa1b2c3d4, 4, 65535, 1);
	pcap_record(&b, 1, 0, 10, 10, 7);
	r = pk_reader_open_mem(b.d, b.n, err);
	CHECK(r != NULL);
	if (!r)
		return;
	CHECK_EQ_STR(pk_reader_path(r), "(memory)");
	CHECK_EQ_INT(pk_reader_size(r), 50);
	CHECK_EQ_INT(pk_reader_next(r, &h, &d), 1);
	CHECK_EQ_INT(pk_reader_consumed(r), 50);
	CHECK_EQ_INT(pk_reader_next(r, &h, &d), 0);
	pk_reader_close(r);
	pk_reader_close(NULL);
	CHECK(pk_reader_open_mem(b.d, 3, err) == NULL);
	CHECK_EQ_STR(err, "file header is cut short: 4-byte magic needed, 3 present");
}

/* Write a ~3 MiB pcap of records 10..1509 bytes long, in native (BE 0) or
 * swapped (BE 1) byte order, µs magic, snaplen 65535, Ethernet. */
static const char *
big_input(int swapped)
{
	static char path[2][64];
	uint8_t rec[16 + 1600];
	int fd;

	snprintf(path[swapped], sizeof path[swapped], "/tmp/pk_unit_lXXXXXX");
	fd = mkstemp(path[swapped]);
	if (fd < 0)
		abort();
	for (int i = -1; i < 4000; i++) {
		uint32_t f[4], caplen = 10 + (uint32_t)(i * 37) % 1500;

		if (i < 0) {         /* pcap-savefile(5) header: 2.4, zone 0, sigfigs 0 */
			uint32_t v[5] = { 0xa1b2c3d4u, 0, 0, 65535, 1 };
			uint16_t ver[2] = { 2, 4 };

			if (swapped) {
				for (int k = 0; k < 5; k++)
					v[k] = (v[k] >> 24) | (v[k] >> 8 & 0xff00) |
					    (v[k] << 8 & 0xff0000) | (v[k] << 24);
				ver[0] = 0x0200;
				ver[1] = 0x0400;
			}
			memcpy(rec, v, 4);
			memcpy(rec + 4, ver, 4);
			memcpy(rec + 8, v + 1, 16);
			if (write(fd, rec, 24) != 24)
				abort();
			continue;
		}
		f[0] = 1700000000u + (uint32_t)i;
		f[1] = (uint32_t)i * 101 % 1000000;
		f[2] = caplen;
		f[3] = caplen + (uint32_t)(i % 3);
		for (uint32_t k = 0; k < 4; k++) {
			uint32_t v = f[k];

			if (swapped)
				v = (v >> 24) | (v >> 8 & 0xff00) | (v << 8 & 0xff0000) | (v << 24);
			memcpy(rec + 4 * k, &v, 4);
		}
		for (uint32_t k = 0; k < caplen; k++)
			rec[16 + k] = (uint8_t)(i + k);
		if (write(fd, rec, 16 + caplen) != (ssize_t)(16 + caplen))
			abort();
	}
	close(fd);
	return path[swapped];
}

static int
same_file(const char *a, const char *b)
{
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	int ca = 0, cb = 0, same = fa && fb;

	while (same && ca != EOF) {
		ca = getc(fa);
		cb = getc(fb);
		same = ca == cb;
	}
	if (fa)
		fclose(fa);
	if (fb)
		fclose(fb);
	return same;
}

/* Records written by reference (pk_writer_write_lent), flushed by the
 * reader's release hook across many buffer refills, come out as the
 * native-order input, byte for byte: whole stored records reused (native
 * input), or headers rebuilt in front of referenced data (swapped input). */
static void
writer_lent(void)
{
	const char *native = big_input(0), *swapped = big_input(1);
	char out[] = "/tmp/pk_unit_oXXXXXX", err[PK_ERRBUF];
	int fd = mkstemp(out);

	CHECK(fd >= 0);
	for (int sw = 0; sw < 2; sw++) {
		struct pk_reader *r = pk_reader_open(sw ? swapped : native, err);
		struct pk_writer *w = pk_writer_open(fd, 1, 65535, 0, err);
		struct pk_pkthdr h;
		const uint8_t *d;
		int rc, n = 0;

		CHECK(r != NULL && w != NULL);
		if (!r || !w)
			break;
		CHECK(ftruncate(fd, 0) == 0 && lseek(fd, 0, SEEK_SET) == 0);
		pk_reader_on_release(r, pk_writer_release, w);
		while ((rc = pk_reader_next(r, &h, &d)) == 1) {
			CHECK(h.stored != NULL && h.stored + 16 == d);
			CHECK_EQ_INT(pk_writer_write_lent(w, &h, d), 0);
			n++;
		}
		CHECK_EQ_INT(rc, 0);
		CHECK_EQ_INT(n, 4000);
		pk_reader_close(r);          /* the hook flushes */
		CHECK(same_file(out, native));
		CHECK_EQ_INT(pk_writer_close(w), 0);
	}
	close(fd);
	unlink(out);
	unlink(native);
	unlink(swapped);
}

UNIT_MAIN(U(writer_lent), U(pcapng_strings), U(memory_and_sizes), U(pcap_magics), U(pcap_cut_short), U(pcap_lengths), U(open_errors),
          U(pcapng_times), U(pcapng_damage), U(writer_roundtrip), U(writer_error),
          U(merge_order))
