#!/usr/bin/env bats
# pflows_frag.bats — fragmented IP datagrams count as Zeek counts them.
#
# Zeek reassembles fragments before a connection sees them (src/Frag.cc,
# FragReassembler::BlockInserted; src/packet_analysis/protocol/ip/IP.cc):
# nothing reaches the connection until the datagram is complete, then ONE
# packet whose IP length is the header plus all the fragments' data
# (ip_len = hdr + frag_size; IPv6 payload length without the fragment
# header), at the time of the completing fragment.  A datagram that never
# completes is never seen; a fragment not captured whole is not reassembled
# (the first one is analysed alone, later ones dropped).  Captures:
# testdata/gen_frag.c; every number below is worked out from its layout.
load helpers

# "orig_p proto orig_pkts orig_ip_bytes orig_bytes resp_pkts resp_ip_bytes resp_bytes" per record.
counts() {
	pflows --json "$@" "$TD/flows-frag.pcap" | jq -r '[."id.orig_p", .proto, .orig_pkts,
		.orig_ip_bytes, (.orig_bytes // "-"), .resp_pkts, .resp_ip_bytes, (.resp_bytes // "-")] | join(" ")'
}

@test "fragments: one packet per datagram with the whole datagram's IP length" {
	need jq
	run counts
	[ "$status" -eq 0 ]
	# 40001: UDP length 3000 in 3 fragments -> 1 packet of 20 + 3000 = 3020
	#        IP bytes, 3000 - 8 = 2992 bytes; the answer: 20 + 8 + 100 = 128.
	# 40002: the same out of order with a duplicate fragment: 1 packet,
	#        3020 (duration 0, so bytes unset as Zeek leaves them).
	# 40003: middle fragment missing: never complete, no record at all.
	# icmp (echo 8 keys as port 8): 4000 ICMP bytes each way in 2 fragments:
	#        1 packet of 4020 each way, 4020 - 20 - 8 = 3992 bytes.
	# 40005: IPv6, 1232 + 500 data bytes after the fragment header: payload
	#        length 1732, IP bytes 1732 + 40 = 1772.
	# 40006: TCP SYN, ACK, a 2000-byte segment in 2 fragments (1 packet of
	#        20 + 20 + 2000 = 2040), FIN, ACK: 5 packets, 4 x 40 + 2040 =
	#        2200; the responder's SYN-ACK, ACK, FIN: 3 x 40 = 120.
	# 40007: first fragment (IP length 1500) cut by the snap length: counted
	#        alone, its last fragment dropped: 1 packet, 1500.
	[ "$output" = "40001 udp 1 3020 2992 1 128 100
40002 udp 1 3020 - 0 0 -
8 icmp 1 4020 3992 1 4020 3992
40005 udp 1 1772 - 0 0 -
40006 tcp 5 2200 2000 3 120 0
40007 udp 1 1500 - 0 0 -" ]
}

@test "fragments: the datagram starts its flow when its last fragment arrives" {
	need jq
	# 40001 completes with its third fragment at +0.000200 s; 40002 (last
	# fragment first) with its first fragment at 12:00:01.300000.
	run sh -c "pflows --conn-log '$TD/flows-frag.pcap' | grep -v '^#' | cut -f1,4 | grep -E '4000[12]\$'"
	[ "$output" = "1714564800.000200	40001
1714564801.300000	40002" ]
}

@test "fragments: --zeek counts the same; TCP history sees the whole segment" {
	need jq
	[ "$(counts --zeek)" = "$(counts)" ]
	# SYN, SYN-ACK, ACK, data (D), ACK (a), FINs (F f): the reassembled
	# segment is the originator's only data, so no gap or retransmission.
	run sh -c "pflows --json '$TD/flows-frag.pcap' | jq -r 'select(.proto == \"tcp\") | \"\(.history) \(.conn_state) \(.missed_bytes) \(.orig_retx_pkts)\"'"
	[ "$output" = "ShADaFf SF 0 0" ]
}

@test "fragments: the ladder draws the reassembled segment once" {
	run env LC_ALL=C pflows --ladder "$TD/flows-frag.pcap"
	[ "$status" -eq 0 ]
	echo "$output" | grep -q '0.003100 |-- \[P.\] 1:2001 ack 1 win 65535 len 2000 -*>|'
	echo "$output" | grep -q 'UDP len 2992 -'
}

@test "testdata: gen_frag reproduces flows-frag.pcap" {
	[ -x "$PK_BUILD/gen_frag" ] || skip "generator not built"
	"$PK_BUILD/gen_frag" "$BATS_TEST_TMPDIR"
	cmp "$BATS_TEST_TMPDIR/flows-frag.pcap" "$TD/flows-frag.pcap"
}
