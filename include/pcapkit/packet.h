/* packet.h — one captured packet as readers lend it and writers take it. */
#ifndef PCAPKIT_PACKET_H
#define PCAPKIT_PACKET_H

#include <stdint.h>

/* Link-layer header types (LINKTYPE_* values as stored in files). */
enum {
	PK_LINK_NULL      = 0,
	PK_LINK_EN10MB    = 1,
	PK_LINK_RAW_OLD12 = 12,   /* DLT_RAW on most BSDs */
	PK_LINK_RAW_OLD14 = 14,   /* DLT_RAW on OpenBSD   */
	PK_LINK_RAW       = 101,
	PK_LINK_LOOP      = 108,
	PK_LINK_LINUX_SLL = 113,
	PK_LINK_IPV4      = 228,
	PK_LINK_IPV6      = 229,
	PK_LINK_LINUX_SLL2 = 276,
};

/* Largest caplen a reader accepts; anything bigger is corruption. */
#define PK_MAX_CAPLEN (256u * 1024u)

/*
 * A record header.  Time is seconds + nanoseconds end to end, never rounded
 * through microseconds.  nsec is the file's sub-second field scaled to
 * nanoseconds and is NOT normalised: a pcap record whose microsecond field
 * says 1000000 gives nsec 1000000000, as tcpdump prints it.
 */
struct pk_pkthdr {
	int64_t  sec;
	uint32_t nsec;
	uint32_t caplen;    /* bytes present in data */
	uint32_t len;       /* bytes on the wire */
	uint32_t ifindex;   /* pcapng interface id; 0 for classic pcap */
	int      linktype;  /* LINKTYPE_* of this packet's interface */
	/* Classic µs pcap only: the microsecond field as recorded when it is too
	 * large to scale into nsec (above 4294967; nsec then saturates).  0
	 * otherwise.  A µs writer writes it back so damaged times pass through. */
	uint32_t usec_raw;
	/* Set by the reader: the record as stored (a classic pcap 16-byte header,
	 * then the data: data == stored + 16), or NULL (pcapng).  Lent like data.
	 * pk_writer_write_lent reuses these bytes when they are what it would
	 * write anyway.  Headers made by hand leave it NULL. */
	const uint8_t *stored;
};

#endif
