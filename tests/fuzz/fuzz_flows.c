/* fuzz_flows.c — libFuzzer harness: captures through the decoder into the
 * flow table, every finished record formatted as JSON, CSV and conn.log.
 *
 * The input is read as a classic pcap file (a µs little-endian header is
 * put in front when it does not start with one).  Byte 0 of the body also
 * picks the options (checksum validation, VLAN key, attempt timer, tiny
 * timeouts and a tiny table) so timers, reuse and eviction all run.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcapkit/decode.h"
#include "pcapkit/flow.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *sink;

static void
put(void *ctx, const char *name, const char *v, int num)
{
	(void)ctx;
	(void)num;
	if (!name || (v && !*name))
		abort();
}

static void
on_flow(const struct pk_flowrec *r, void *arg)
{
	(void)arg;
	if (!memchr(r->history, 0, sizeof r->history))
		abort();
	pk_flow_fields(r, 7, "n", put, NULL);
	pk_flow_write_json(sink, r, 0, NULL);
	pk_flow_write_csv(sink, r, 0, NULL);
	pk_flow_write_connlog(sink, r);
}

static uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pk_flowopts o;
	struct pk_flowtab *t;
	struct pk_layers L;
	size_t off = 0;
	uint8_t mode = 0;
	int linktype = 1;

	if (!sink)
		sink = fopen("/dev/null", "w");
	if (size >= 24 && le32(data) == 0xa1b2c3d4u) {
		linktype = (int)le32(data + 20);
		off = 24;
	}
	if (off < size)
		mode = data[off];
	pk_flowopts_default(&o);
	o.validate_checksums = mode & 1;
	o.vlan_key = (mode >> 1) & 1;
	o.attempt_timer = (mode >> 2) & 1;
	if (mode & 8) {
		o.tcp_inactivity_ns = o.udp_inactivity_ns = o.icmp_inactivity_ns = 2000;
		o.tcp_close_ns = o.tcp_attempt_ns = 1000;
		o.max_flows = 3;
	}
	t = pk_flowtab_new(&o, on_flow, NULL);
	if (!t)
		return 0;
	if (mode & 16)
		pk_flowtab_clear_server_ports(t);
	while (off + 16 <= size) {
		uint32_t sec = le32(data + off), usec = le32(data + off + 4);
		uint32_t caplen = le32(data + off + 8), len = le32(data + off + 12);

		off += 16;
		if (caplen > size - off)
			caplen = (uint32_t)(size - off);
		pk_decode(&L, linktype, data + off, caplen, len < caplen ? caplen : len);
		pk_flowtab_add(t, &L, (int64_t)(sec & 0xffff), usec % 2000000000u);
		off += caplen;
	}
	pk_flowtab_flush(t);
	pk_flowtab_free(t);
	return 0;
}
