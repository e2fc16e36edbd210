/* diagnose.h — plain-words findings about a finished flow record.
 *
 * pk_diagnose() reads only the counted facts of a struct pk_flowrec (packet,
 * byte, flag and retransmission counters, handshake and close times,
 * zero-window time) and turns them into findings, most important first.
 * Each finding has a short text (for the note column) and a detail line with
 * the numbers and packet times behind it (for pflows --explain).  The rules
 * are listed in lib/diagnose.c and in pflows(1), section NOTES.
 */
#ifndef PCAPKIT_DIAGNOSE_H
#define PCAPKIT_DIAGNOSE_H

#include <stddef.h>
#include "pcapkit/flow.h"

#define PK_DIAG_MAX 12

/* Finding kinds, in rule order (the names are stable: tests and --explain). */
enum pk_finding_kind {
	PK_FD_NO_ANSWER,        /* SYNs, nothing back */
	PK_FD_REFUSED,          /* RST to SYN */
	PK_FD_HS_INCOMPLETE,    /* SYN and SYN-ACK, no final ACK */
	PK_FD_UNSOLICITED,      /* SYN-ACK without a SYN */
	PK_FD_RESET,            /* RST after the handshake or mid-stream */
	PK_FD_ONE_SIDED,        /* one side's packets missing from the capture */
	PK_FD_MIDSTREAM,        /* no handshake seen: capture started mid-connection */
	PK_FD_MISSED,           /* bytes acknowledged but never captured */
	PK_FD_RETX,             /* retransmitted data */
	PK_FD_ZERO_WIN,         /* zero window advertised */
	PK_FD_IDLE_CLOSE,       /* closed after a handshake with no data */
	PK_FD_CLOSE,            /* FIN story with the byte counts */
	PK_FD_OPEN,             /* still open at end of capture */
	PK_FD_IDLE_END,         /* ended by the inactivity timeout */
	PK_FD_NO_REPLY,         /* UDP/ICMP/other: nothing came back */
	PK_FD_EXCHANGE,         /* UDP/ICMP/other: both sides spoke */
	PK_FD_BAD_CSUM,         /* packets with bad checksums */
	PK_FD_ENDED,            /* nothing else to say: sizes and the end reason */
};

struct pk_finding {
	enum pk_finding_kind kind;
	int problem;            /* 1 = something went wrong, 0 = a description */
	char text[112];         /* short, for the note */
	char detail[320];       /* numbers and packet times, for --explain */
};

struct pk_diag {
	int n;
	int brief;              /* made by pk_diagnose_brief: details left empty */
	struct pk_finding f[PK_DIAG_MAX];
};

/* Findings for R, most important first.  Never fails. */
void pk_diagnose(const struct pk_flowrec *r, struct pk_diag *d);

/* The same findings with empty detail lines: what the note needs, at a
 * fraction of the cost (no packet times are formatted). */
void pk_diagnose_brief(const struct pk_flowrec *r, struct pk_diag *d);

/*
 * The note: finding texts joined by "; ", as many whole findings as fit in
 * MAXLEN characters (at least the first, cut with "…" if it alone is too
 * long).  Writes at most CAP bytes with a NUL; returns the length.
 */
size_t pk_diag_note(const struct pk_diag *d, size_t maxlen, char *out, size_t cap);

/* Short stable name of a finding kind ("no_answer", "refused", ...). */
const char *pk_finding_name(enum pk_finding_kind k);

#define PK_NOTE_MAX 100

#endif
