/* tcpconn.h — TCP endpoint states and Zeek's conn_state rule. */
#ifndef PCAPKIT_TCPCONN_H
#define PCAPKIT_TCPCONN_H

#include "pcapkit/flow.h"

/* Zeek's TCP endpoint states (TCP_Endpoint.h), same numbering. */
enum pk_tcpstate {
	PK_TCP_INACTIVE = 0, PK_TCP_SYN_SENT, PK_TCP_SYN_ACK_SENT, PK_TCP_PARTIAL,
	PK_TCP_ESTABLISHED, PK_TCP_CLOSED, PK_TCP_RESET,
};

/*
 * Zeek's conn_state() for TCP (scripts/base/protocols/conn/main.zeek):
 * from the two endpoint states, the byte sizes and the history string.
 */
enum pk_connstate pk_tcp_connstate(int orig_state, int resp_state,
                                   uint64_t orig_size, uint64_t resp_size,
                                   const char *history);

/* Does HISTORY match ^\^?S[^HAFGIQ]*R.*$ (the RSTOS0 test)? */
int pk_history_rstos0(const char *history);

#endif
