#!/usr/bin/env bats
# pflows.bats — pflows on the synthetic captures of testdata/gen_flows.c,
# options, formats and errors.  Expected values are derived by hand from
# Zeek's rules as written down in ../shared/reference/flows.md (section
# numbers in the comments), not copied from pflows' own output.
load helpers

# Print "history conn_state" per record, in start order.
hs() { pflows --json "$@" | jq -r '"\(.history // "-") \(.conn_state)"'; }

@test "every conn_state value (1.4 table, first matching row)" {
	run hs "$TD/flows-states.pcap"
	[ "$status" -eq 0 ]
	# S0: SYN only (row 10).  S1: SYN + SYN-ACK makes both ESTABLISHED, no
	# final ACK needed (row 11).  SF: both CLOSED (7).  REJ: resp RST while
	# orig SYN_SENT (1).  S2/S3: one side CLOSED, the other ESTABLISHED (8, 9).
	# RSTO/RSTR: a RST after the handshake (6, 3).  RSTOS0: orig RST, resp
	# INACTIVE, history ^S[^HAFGIQ]*R (4).  RSTRH: resp RST, orig PARTIAL (2).
	# SH: orig SYN then FIN, resp INACTIVE (8).  SHR: resp FIN, orig PARTIAL
	# (9).  OTH: a lone midstream ACK (12).
	[ "$output" = "S S0
Sh S1
ShAFf SF
Sr REJ
ShAF S2
ShAf S3
ShAR RSTO
ShAr RSTR
SR RSTOS0
Dr RSTRH
SF SH
Af SHR
A OTH" ]
}

@test "history letters: W/w, T, G with missed_bytes, Q, I, ^h, logarithmic ttt (1.5)" {
	run hs "$TD/flows-letters.pcap"
	[ "$status" -eq 0 ]
	# Conn 1: zero-window ACK from resp (w) after its a; data resent (T); a
	# 10-byte hole acked by resp (G); FIN both ways -> SF.  Conn 2: SYN+FIN is
	# multi-flag (Q) and FIN+RST is I; orig RESET with resp INACTIVE and a
	# history not starting with S -> OTH.  Conn 3: a SYN-ACK first, then an
	# ACK: roles flip, history becomes ^h then A (1.3 rule 1); the sender of
	# the SYN-ACK is SYN_ACK_SENT, the other PARTIAL -> OTH.  Conn 4: 100
	# retransmissions from resp: t at 1, 10, 100.  Conn 5: the first SYN has a
	# bad checksum; not validated, both SYNs count and the same ISN adds no
	# second S.
	[ "$output" = "ShADawdTGFf SF
QI OTH
^hA OTH
ShAdttt S1
S S0" ]
	run pflows --json "$TD/flows-letters.pcap"
	[ "$(echo "$output" | head -1 | jq -c '[.missed_bytes, .orig_retx_pkts, .resp_zero_win, .orig_bytes]')" = "[10,1,1,30]" ]
}

@test "--validate-checksums: a bad packet is only C, and the good SYN starts anew (1.7, 1.9)" {
	run hs --validate-checksums "$TD/flows-letters.pcap"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | tail -2)" = "C OTH
S S0" ]
	run pflows --json "$TD/flows-letters.pcap"
	[ "$(echo "$output" | tail -1 | jq -c '[.orig_pkts, .orig_bad_csum, .bad_csum]')" = "[2,1,1]" ]
}

# doubled EXPR FILE N: the packets of FILE matching EXPR, repeated 2^N
# times (pcat of the file with itself N times); prints the new file's path.
doubled() {
	f=$BATS_TEST_TMPDIR/doubled.pcap
	pfilter "$1" "$2" > "$f" || return 1
	for _ in $(seq "$3"); do
		pcat "$f" "$f" > "$f.n" && mv "$f.n" "$f" || return 1
	done
	echo "$f"
}

@test "bad-checksum counts do not wrap: 2^17 bad packets each way are 2^17 (a 16-bit counter read 0)" {
	need jq
	# The two data segments of diag-bad-csum (one each way, both with a
	# wrong TCP checksum per tcpdump -vv), doubled 17 times with pcat.
	run pflows --json "$(doubled 'tcp[tcpflags] & tcp-push != 0' "$TD/diag-bad-csum.pcap" 17)"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -c '[.orig_pkts, .resp_pkts, .orig_bad_csum, .resp_bad_csum, .bad_csum]')" = "[131072,131072,131072,131072,262144]" ]
}

@test "SYN counts do not wrap: 2^17 SYNs and SYN-ACKs are 2^17 (16-bit halves spill to the extras record)" {
	need jq
	# The SYN and the SYN-ACK of diag-bad-csum (tcpdump: one each way),
	# doubled 17 times with pcat: 2^17 of each, so the 16-bit low halves
	# wrapped twice.
	run pflows --json "$(doubled 'tcp[tcpflags] & tcp-syn != 0' "$TD/diag-bad-csum.pcap" 17)"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -c '[.orig_syn, .resp_syn, .syn_pkts, .synack_pkts, .syn_retx]')" = "[131072,131072,131072,131072,131071]" ]
}

@test "reuse, SYN with a new ISN, sequence wrap, UDP timeout, ICMP pairing (1.6-1.8)" {
	run pflows --json "$TD/flows-lifetime.pcap"
	[ "$status" -eq 0 ]
	rows=$(echo "$output" | jq -r '[.proto, ."id.orig_p", ."id.resp_p", (.history // "-"), .conn_state, (.orig_bytes // "-"), (.resp_bytes // "-"), .end] | map(tostring) | join(" ")')
	# Two REJ rows: any SYN after a RST is a new connection, same ISN or not.
	# A SYN with a new ISN on an open connection: the first row (S1, ended by
	# reuse) and a new S0.  2^32-16 + 3000 bytes: size 3000 across the wrap.
	# UDP 61 s apart: the 60 s timeout splits it; the second row has the reply.
	# ICMP echo 8 with its reply 0: one flow, resp_p = counterpart 0, 56 bytes
	# each way after the 8-byte header.  Ends: the second REJ goes 5 s after
	# its RST (close delay) once later packets move time on; the lone SYN is
	# still in the handshake, so the 60 s timeout applies (1.7).
	[ "$rows" = "tcp 3001 7001 Sr REJ 0 0 reuse
tcp 3001 7001 Sr REJ 0 0 closed
tcp 3002 7001 ShA S1 0 0 reuse
tcp 3002 7001 S S0 - - inactive
tcp 3003 7001 ShADa S1 3000 0 eof
udp 4001 8001 D S0 - - inactive
udp 4001 8001 Dd SF 20 30 eof
icmp 8 0 - OTH 56 56 eof" ]
	run hs --udp-timeout 120 "$TD/flows-lifetime.pcap"
	[ "$(echo "$output" | grep -c '^D')" -eq 1 ]
}

@test "extra fields: options, window scale, RTT, TTL, duplicate ACKs, closer, idle" {
	run pflows --json "$TD/flows-extras.pcap"
	[ "$status" -eq 0 ]
	# SYN at 0 offers MSS 1460, wscale 7, SACK, timestamps, TTL 60; SYN-ACK at
	# 10 ms offers MSS 1400, wscale 2, SACK; the ACK at 30 ms: RTTs 10 and 20 ms.
	# Windows after the handshake are scaled: 8192 << 7 and 8192 << 2.  Resp
	# sends three identical ACKs: two duplicates.  Resp FINs first at 2.07 s
	# after a 2 s silence; both FINs -> not open at the end.
	got=$(echo "$output" | jq -c '[.orig_mss, .orig_wscale, .orig_sack, .orig_ts, .resp_mss, .resp_wscale, .resp_sack, .resp_ts, .rtt_syn, .rtt_ack, .orig_ttl_min, .orig_ttl_max, .orig_win_max, .resp_win_min, .resp_dup_acks, .closed_by, .max_idle, .open]')
	[ "$got" = '[1460,7,1,1,1400,2,1,0,0.01,0.02,60,64,1048576,32768,2,"resp_fin",2,false]' ]
}

@test "--conn-log writes Zeek's header block and columns" {
	run pflows --conn-log "$TD/flows-states.pcap"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = '#separator \x09' ]
	[ "${lines[4]}" = "#path	conn" ]
	echo "${lines[6]}" | grep -q '^#fields	ts	uid	id.orig_h	id.orig_p	id.resp_h	id.resp_p	proto	service	duration'
	[ "$(echo "$output" | grep -vc '^#')" -eq 13 ]
	# A single-packet flow leaves duration and bytes unset (1.1).
	[ "$(echo "$output" | grep -v '^#' | head -1 | cut -f9-12)" = "-	-	-	S0" ]
	echo "${lines[-1]}" | grep -q '^#close	2024-05-01-12-00-12$'
}

@test "--csv has a header row and one row per flow" {
	run pflows --csv "$TD/flows-states.pcap"
	[ "$status" -eq 0 ]
	echo "${lines[0]}" | grep -q '^ts,uid,id.orig_h,id.orig_p,id.resp_h,id.resp_p,proto,duration,'
	[ "${#lines[@]}" -eq 14 ]
}

@test "default table: a header row, then one aligned line per flow" {
	run pflows "$TD/flows-states.pcap"
	[ "$status" -eq 0 ]
	# 13 flows (as many as --csv rows) + the title row.
	[ "${#lines[@]}" -eq "$(pflows --csv "$TD/flows-states.pcap" | wc -l)" ]
	[ "${#lines[@]}" -eq 14 ]
	# Titles as cmd/pflows.1 (TABLE) lists them; each column as wide as its
	# widest cell, two spaces between, the note last and unpadded.
	[ "${lines[0]}" = "start                       duration  proto  orig               resp           state   history  pkts o/r  bytes o/r  note" ]
	[ "${lines[1]}" = "2024-05-01 12:00:00.000000  0.000000  tcp    10.0.0.1:1001  ->  10.0.0.2:5001  S0      S        1/0       0/0        no answer to the SYN" ]
	# The header is there when stdout is a file or a pipe too (as here).
	[ "$(pflows "$TD/flows-states.pcap" | head -1)" = "${lines[0]}" ]
}

@test "--stream and --explain tables start with the same titles, unaligned" {
	run pflows --stream "$TD/seed-idle.pcap"
	[ "${lines[0]}" = "start  duration  proto  orig -> resp  state  history  pkts o/r  bytes o/r  note" ]
	[ "${#lines[@]}" -eq 2 ]
	run pflows --explain "$TD/seed-idle.pcap"
	[ "${lines[0]}" = "start  duration  proto  orig -> resp  state  history  pkts o/r  bytes o/r  note" ]
	# no header with --ladder, --json, --conn-log (their own), --csv (its own)
	[ "$(pflows --json "$TD/seed-idle.pcap" | head -c1)" = "{" ]
	run env LC_ALL=C pflows --ladder "$TD/seed-idle.pcap"
	[ "${lines[0]#tcp }" != "${lines[0]}" ]
}

@test "--sort, --top, --stream" {
	run pflows --json --sort pkts --top 1 "$TD/flows-letters.pcap"
	[ "$(echo "$output" | jq -r .history)" = "ShAdttt" ]
	run pflows --json --stream "$TD/flows-states.pcap"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 13 ]
	run pflows --stream --sort bytes "$TD/flows-states.pcap"
	[ "$status" -eq 2 ]
}

@test "standard input and '-' work like a file" {
	a=$(pflows --json "$TD/flows-states.pcap")
	b=$(pflows --json < "$TD/flows-states.pcap")
	c=$(cat "$TD/flows-states.pcap" | pflows --json -)
	[ "$a" = "$b" ] && [ "$a" = "$c" ]
}

@test "errors: unknown option, bad numbers, missing file (exit 2)" {
	run pflows --bogus
	[ "$status" -eq 2 ]
	run pflows --sort size "$TD/flows-states.pcap"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "pflows: --sort: unknown key 'size' (start, duration, bytes, pkts)" ]
	run pflows --udp-timeout abc "$TD/flows-states.pcap"
	[ "$status" -eq 2 ]
	run pflows --server-ports '80-x' "$TD/flows-states.pcap"
	[ "$status" -eq 2 ]
	run pflows "$TD/no-such-file.pcap"
	[ "$status" -eq 2 ]
	echo "$output" | grep -q "^pflows: $TD/no-such-file.pcap: "
}

@test "a damaged capture gives the flows before the fault, the error, exit 2" {
	[ -f "$TD/bad-cut.pcap" ] || skip "no bad-cut.pcap"
	good=$(pcat "$TD/bad-cut.pcap" 2>/dev/null | pflows --json 2>/dev/null | wc -l)
	run pflows --json "$TD/bad-cut.pcap"
	[ "$status" -eq 2 ]
	echo "$output" | grep -q "^pflows: $TD/bad-cut.pcap: "
	[ "$(echo "$output" | grep -c '^{')" -eq "$good" ]
}

@test "--help and --version" {
	run pflows --help
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "Usage: pflows [OPTION]... [FILE]..." ]
	run pflows --version
	[ "$status" -eq 0 ]
	echo "$output" | grep -q '^pflows (pcapkit) '
}

@test "pipeline: pcat | pfilter | pflows keeps one connection" {
	[ -x "$PK_BIN/pfilter" ] || skip "no pfilter"
	run sh -c "pcat '$TD/flows-states.pcap' | pfilter 'port 5003' | pflows --json"
	[ "$status" -eq 0 ]
	# The SF connection of flows-states.pcap (client 1003 -> server 5003).
	[ "$(echo "$output" | jq -r '"\(."id.orig_p") \(.history) \(.conn_state)"')" = "1003 ShAFf SF" ]
}

@test "inactivity: 5 min TCP timeout; --zeek keeps ssh 1 h (1.7, conn/inactivity.zeek)" {
	# Both connections are silent for 400 s after the handshake.  The TCP
	# timeout (300 s) splits each into ShA S1 and a midstream D (OTH).  With
	# --zeek an established connection to port 22 gets Zeek's 1 h timeout,
	# so the ssh one stays whole; port 80 still splits.
	run hs "$TD/flows-idle.pcap"
	[ "$output" = "ShA S1
ShA S1
D OTH
D OTH" ]
	run hs --zeek "$TD/flows-idle.pcap"
	[ "$output" = "ShAD S1
ShA S1
D OTH" ]
	run hs --tcp-timeout 500 "$TD/flows-idle.pcap"
	[ "$output" = "ShAD S1
ShAD S1" ]
}

@test "--stream memory stays bounded by the live flows (300k distinct 5-tuples)" {
	[ -x /usr/bin/time ] || skip "no /usr/bin/time"
	[ -x "$PK_BUILD/gen_flows" ] || skip "no gen_flows"
	# 300000 one-packet UDP flows 100 us apart: with a 1 s timeout at most
	# ~10000 are alive at once, so peak RSS must stay far below what holding
	# all of them would take (300000 x ~300 B = 90 MB).
	run sh -c "'$PK_BUILD/gen_flows' --many 300000 /dev/stdout | /usr/bin/time -f '%M' pflows --stream --udp-timeout 1 2>&1 >/dev/null | tail -1"
	[ "$status" -eq 0 ]
	echo "peak RSS ${output} KiB"
	[ "$output" -lt 40000 ]
	run sh -c "'$PK_BUILD/gen_flows' --many 300000 /dev/stdout | pflows --stream --udp-timeout 1 --top 3 | wc -l"
	[ "$output" -eq 4 ]   # the title row + 3 records
}

@test "half-open TCP flows cost no more memory than UDP flows (200k live SYN-only flows)" {
	[ -x /usr/bin/time ] || skip "no /usr/bin/time"
	[ -x "$PK_BUILD/gen_flows" ] || skip "no gen_flows"
	# A flow that has seen only its first SYN is held in the same record as
	# a UDP flow (flow.c, tcp_compress), so 200000 of them, all alive
	# (1000 s timeouts), must peak within 10% of 200000 one-packet UDP flows;
	# in full TCP form they took about twice as much.
	run sh -c "'$PK_BUILD/gen_flows' --many 200000 /dev/stdout | /usr/bin/time -f '%M' pflows --stream --udp-timeout 1000 --tcp-timeout 1000 2>&1 >/dev/null | tail -1"
	[ "$status" -eq 0 ]
	udp=$output
	run sh -c "'$PK_BUILD/gen_flows' --many 200000 /dev/stdout tcp | /usr/bin/time -f '%M' pflows --stream --udp-timeout 1000 --tcp-timeout 1000 2>&1 >/dev/null | tail -1"
	[ "$status" -eq 0 ]
	echo "peak RSS: UDP ${udp} KiB, TCP SYN-only ${output} KiB"
	[ "$output" -le $((udp * 11 / 10)) ]
	# And each of them is still reported as Zeek would: S0, history S.
	run sh -c "'$PK_BUILD/gen_flows' --many 1000 /dev/stdout tcp | pflows --json --udp-timeout 1000 | grep -c '\"conn_state\":\"S0\",\"missed_bytes\":0,\"history\":\"S\"'"
	[ "$output" -eq 1000 ]
}

@test "--max-flows: a full table writes out the flow nearest its timeout (end evicted)" {
	run pflows --json --max-flows 2 "$TD/flows-states.pcap"
	[ "$status" -eq 0 ]
	# 13 connections, at most 2 alive: 13 records still, the early ones evicted.
	[ "${#lines[@]}" -eq 13 ]
	[ "$(echo "$output" | jq -r .end | grep -c evicted)" -ge 1 ]
}
