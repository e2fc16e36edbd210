#!/usr/bin/env bats
# diagnose.bats — pflows notes: one synthetic capture per rule (testdata/gen_diag.c).
# Each test checks the note AND the counted facts it is built from, in --json;
# the expected facts are derived by hand from the packets gen_diag.c writes
# (the comment above each test says how), not copied from our output.
load helpers

# j FILE JQ-EXPR: the expression over the single TCP/UDP record of FILE.
j() { pflows --json "$TD/$1" | jq -r "$2"; }

@test "no_answer: 4 SYNs at 0, 1, 3, 7 s, nothing back" {
	# 4 SYNs, span 7 - 0 = 7.0 s, 0 responder packets.
	[ "$(j diag-no-answer.pcap '"\(.syn_pkts) \(.synack_pkts) \(.syn_span) \(.resp_pkts)"')" = "4 0 7 0" ]
	[ "$(j diag-no-answer.pcap .note)" = "no answer to 4 SYNs over 7.0 s" ]
}

@test "refused: SYN answered by RST-ACK" {
	[ "$(j diag-refused.pcap '"\(.syn_pkts) \(.synack_pkts) \(.resp_rst) \(.conn_state)"')" = "1 0 1 REJ" ]
	[ "$(j diag-refused.pcap .note)" = "connection refused (RST to SYN)" ]
}

@test "hs_incomplete: SYN 2x, SYN-ACK 3x, a SYN after the first SYN-ACK, no ACK" {
	# SYNs at 0 and 1 s, SYN-ACKs at 0.01, 1.01, 2.01 s: the SYN at 1 s follows a SYN-ACK.
	[ "$(j diag-hs-incomplete.pcap '"\(.syn_pkts) \(.synack_pkts) \(.syn_retx) \(.synack_retx) \(.history)"')" = "2 3 1 2 Sh" ]
	[ "$(j diag-hs-incomplete.pcap .rtt_ack)" = "null" ]
	[ "$(j diag-hs-incomplete.pcap .note)" = "handshake incomplete: SYN sent 2×, SYN-ACK sent 3×, final ACK never seen; SYN retried after SYN-ACK" ]
}

@test "unsolicited: SYN-ACK without SYN, RST back" {
	[ "$(j diag-unsolicited.pcap '"\(.syn_pkts) \(.synack_pkts) \(.orig_rst)"')" = "0 1 1" ]
	[ "$(j diag-unsolicited.pcap .note)" = "unsolicited SYN-ACK (no SYN seen) answered by RST" ]
}

@test "reset: originator RST 12.3 s after the first payload" {
	# first payload at 0.1 s, RST at 12.4 s: 12.3 s.
	[ "$(j diag-reset.pcap '"\(.closed_by) \(.orig_payload) \(.resp_payload) \((.close_ts - .ts) * 1000 | round)"')" = "orig_rst 100 300 12400" ]
	[ "$(j diag-reset.pcap .note)" = "reset by originator after 12.3 s of data" ]
}

@test "one_sided: only the originator's packets, with ACKs" {
	[ "$(j diag-one-sided.pcap '"\(.orig_pkts) \(.resp_pkts) \(.history)"')" = "3 0 DA" ]
	[ "$(j diag-one-sided.pcap .note)" = "one-sided capture: responder's packets missing; capture started mid-connection" ]
}

@test "midstream: no SYN, no SYN-ACK" {
	[ "$(j diag-midstream.pcap '"\(.syn_pkts) \(.synack_pkts) \(.orig_syn) \(.resp_syn)"')" = "0 0 0 0" ]
	[ "$(j diag-midstream.pcap .note)" = "capture started mid-connection" ]
}

@test "missed: 1000 bytes ACKed but never captured" {
	# the client ACKs 6001 = 5001 + 1000 before bytes 5001..6000 appear.
	[ "$(j diag-missed.pcap .missed_bytes)" = "1000" ]
	# below 1024 B a size is written in bytes (man pflows, NOTES)
	[ "$(j diag-missed.pcap .note)" = "1000 B acknowledged but not captured" ]
}

@test "retx: one 500-byte segment of 2500 payload bytes sent twice (20 %)" {
	[ "$(j diag-retx.pcap '"\(.resp_payload) \(.resp_retx_bytes) \(.resp_retx_pkts) \(.resp_ooo_pkts)"')" = "2500 500 1 0" ]
	[ "$(j diag-retx.pcap .note)" = "retransmissions: 20 % of responder's data" ]
}

@test "retx with a gap: reordered segments say so" {
	# diag-long.pcap: segments 20 and 21 swapped; 1 of 60 x 100 B counts, ~2 %.
	[ "$(j diag-long.pcap '"\(.resp_retx_pkts) \(.resp_ooo_pkts)"')" = "1 1" ]
	[ "$(j diag-long.pcap .note)" = "retransmitted or reordered: 2 % of responder's data" ]
}

@test "zero_win: window 0 from 1.0 s to 3.4 s" {
	[ "$(j diag-zero-win.pcap '"\(.orig_zero_win) \(.orig_zero_win_time) \(.orig_win_min)"')" = "2 2.4 0" ]
	[ "$(j diag-zero-win.pcap .note)" = "zero window from originator for 2.4 s; still open at end of capture" ]
}

@test "idle_close: responder FIN 5.0 s after the handshake, no data" {
	# handshake ACK at 0.02 s, FIN at 5.02 s.
	[ "$(j diag-idle-close.pcap '"\(.closed_by) \(.orig_payload) \(.resp_payload) \((.close_ts - .ts) * 1000 | round)"')" = "resp_fin 0 0 5020" ]
	[ "$(j diag-idle-close.pcap .note)" = "responder closed an idle connection 5.0 s after the handshake; no data exchanged" ]
}

@test "idle_close under a second: a quick close is not called idle, and its span is in ms" {
	# testdata/gen_flows.c, flow 1003 -> 5003: handshake ACK at t+2 ms,
	# originator FIN at t+3 ms: 1 ms after the handshake (pflows.1, NOTES).
	[ "$(pflows --json "$TD/flows-states.pcap" | jq -r 'select(."id.orig_p" == 1003) | "\(.closed_by) \(.orig_payload) \(.resp_payload) \(((.close_ts - .ts) * 1000) | round)"')" = "orig_fin 0 0 3" ]
	[ "$(pflows --json "$TD/flows-states.pcap" | jq -r 'select(."id.orig_p" == 1003) | .note')" = "originator closed the connection 1 ms after the handshake; no data exchanged" ]
}

@test "close: normal, 18 B request, 4777 B response, FIN then FIN" {
	[ "$(j diag-normal.pcap '"\(.orig_bytes) \(.resp_bytes) \(.closed_by) \(.orig_fin) \(.resp_fin) \(.conn_state)"')" = "18 4777 resp_fin 1 1 SF" ]
	# 4777 B is "4.7 kB" as ls -lh writes it (see the size test below)
	[ "$(j diag-normal.pcap .note)" = "normal: 18 B request, 4.7 kB response, closed by responder FIN then originator FIN" ]
}

@test "open: no FIN or RST before the end of the capture" {
	[ "$(j diag-open.pcap '"\(.open) \(.closed_by)"')" = "true null" ]
	[ "$(j diag-open.pcap .note)" = "still open at end of capture" ]
}

@test "idle_end: the inactivity timeout ends a silent connection" {
	[ "$(pflows --json "$TD/diag-idle-end.pcap" | jq -r 'select(.proto=="tcp") | "\(.end) \(.closed_by)"')" = "inactive null" ]
	[ "$(pflows --json "$TD/diag-idle-end.pcap" | jq -r 'select(.proto=="tcp") | .note')" = "never closed: ended by the inactivity timeout" ]
}

@test "no_reply: 3 UDP datagrams, none back" {
	[ "$(j diag-no-reply.pcap '"\(.orig_pkts) \(.resp_pkts) \(.orig_bytes)"')" = "3 0 300" ]
	[ "$(j diag-no-reply.pcap .note)" = "no reply: 3 packets, 300 B from originator" ]
}

@test "exchange: a 40 B UDP query and a 120 B answer" {
	[ "$(j diag-exchange.pcap .note)" = "40 B request, 120 B response (1/1 packets)" ]
}

@test "bad_csum: two packets with a wrong TCP checksum" {
	# tshark agrees that exactly two checksums are wrong.
	need tshark
	[ "$(tshark -r "$TD/diag-bad-csum.pcap" -o tcp.check_checksum:TRUE -Y 'tcp.checksum.status == 0' 2>/dev/null | wc -l)" -eq 2 ]
	[ "$(j diag-bad-csum.pcap .bad_csum)" = "2" ]
	[ "$(j diag-bad-csum.pcap .note)" = "2 packets with a bad checksum" ]
}

@test "ended: nothing else to say (5-tuple reused)" {
	# flows-lifetime.pcap port 3002: SYN, SYN-ACK, ACK, then a SYN with a new ISN reuses the key.
	[ "$(pflows --json "$TD/flows-lifetime.pcap" | jq -r 'select(."id.orig_p"==3002 and .history=="ShA") | "\(.end) \(.note)"')" = "reuse handshake done, 0 B request, 0 B response; record ended (reuse)" ]
}

@test "notes stay under 100 characters on every capture" {
	for f in "$TD"/*.pcap "$TD"/*.pcapng; do
		pflows --json "$f" 2>/dev/null | jq -r .note
	done | while IFS= read -r n; do
		[ "${#n}" -le 100 ] || { echo "too long: $n"; false; }
	done
}

@test "--explain: a paragraph per finding with numbers and packet times" {
	run pflows --explain "$TD/seed-synack.pcap"
	[ "$status" -eq 0 ]
	# the SYNs of tutorial trace 3 are at 0, 3, 9 and 21 s (15:48:00.639984 on).
	echo "$output" | grep -q '^    hs_incomplete: handshake incomplete: SYN sent 4×, SYN-ACK sent 7×'
	echo "$output" | grep -q 'SYNs: 4 from 15:48:00.639984 (+0.000 s) to 15:48:21.639984 (+21.000 s)'
	echo "$output" | grep -q '^    unsolicited: '
}

@test "seed traces: the tutorial's three stories" {
	# issue #6's words for trace 1, exactly
	[ "$(pflows --json "$TD/seed-http.pcap" | jq -r .note)" = "normal: 18 B request, 4.7 kB response, closed by responder FIN then originator FIN" ]
	[ "$(pflows --json "$TD/seed-idle.pcap" | jq -r .note)" = "responder closed an idle connection 5.0 s after the handshake; no data exchanged" ]
	run pflows --json "$TD/seed-synack.pcap"
	[ "$(echo "${lines[0]}" | jq -r '"\(.syn_pkts) \(.synack_pkts) \(.history)"')" = "4 7 Sh" ]
	[ "$(echo "${lines[1]}" | jq -r .note)" = "unsolicited SYN-ACK (no SYN seen) answered by RST" ]
}

@test "testdata: gen_diag and gen_seed reproduce the committed captures" {
	[ -x "$PK_BUILD/gen_diag" ] && [ -x "$PK_BUILD/gen_seed" ] || skip "generators not built"
	"$PK_BUILD/gen_diag" "$BATS_TEST_TMPDIR"
	"$PK_BUILD/gen_seed" "$BATS_TEST_TMPDIR"
	n=0
	for f in "$BATS_TEST_TMPDIR"/*.pcap; do
		cmp "$f" "$TD/$(basename "$f")"
		n=$((n + 1))
	done
	[ "$n" -eq 22 ]
}

# "4.7K" from GNU ls -lh for a file of N bytes, written "4.7 kB" as pflows does.
lsh() {
	truncate -s "$1" "$BATS_TEST_TMPDIR/sz"
	ls -lh "$BATS_TEST_TMPDIR/sz" | awk '{ print $5 }' |
		sed -E 's/^([0-9.]+)$/\1 B/; s/([0-9.]+)([KMGTPE])$/\1 \2B/; s/ KB$/ kB/'
}

@test "note sizes: units of 1024 B, rounded up, as ls -h writes them" {
	need truncate
	# every request/response size of the notes of the synthetic captures
	for f in "$TD"/diag-*.pcap "$TD"/seed-*.pcap "$TD"/flows-frag.pcap; do
		pflows --json "$f" | jq -r 'select(.note | test("B request, ")) |
			"\(.orig_bytes) \(.resp_bytes) \(.note)"'
	done > "$BATS_TEST_TMPDIR/notes"
	[ -s "$BATS_TEST_TMPDIR/notes" ]
	n=0
	while read -r ob rb note; do
		want="$(lsh "$ob") request, $(lsh "$rb") response"
		case "$note" in *"$want"*) ;; *) echo "$ob $rb: want '$want' in '$note'"; false ;; esac
		n=$((n + 1))
	done < "$BATS_TEST_TMPDIR/notes"
	echo "$n notes checked"
	[ "$n" -ge 3 ]
}
