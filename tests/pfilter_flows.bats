#!/usr/bin/env bats
# pfilter_flows.bats — pfilter --flows: from pflows records back to packets.
# Expected packets come from tcpdump reading the same capture.
load helpers

@test "the packets of every refused connection (the issue's pipeline)" {
	need tcpdump
	need jq
	# diag-reuse.pcap: port 2019 is the only REJ connection (SYN, RST-ACK).
	run sh -c "pflows --json '$TD/diag-reuse.pcap' | jq -c 'select(.conn_state==\"REJ\")' | pfilter --flows - -r '$TD/diag-reuse.pcap' | pcat -t"
	[ "$status" -eq 0 ]
	[ "$output" = "$(tcpdump -nn -r "$TD/diag-reuse.pcap" 'tcp port 2019' 2>/dev/null)" ]
	[ "${#lines[@]}" -eq 2 ]
}

@test "a reused 5-tuple selects only the listed instance" {
	need tcpdump
	# port 2018 carries two connections: packets 1-3 + 4-6 before the new
	# SYN at 10 s, and the 6 packets from it on (tcpdump lists all 12 in order).
	tcpdump -nn -r "$TD/diag-reuse.pcap" 'tcp port 2018' 2>/dev/null > "$BATS_TEST_TMPDIR/all"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/all")" -eq 12 ]
	pflows --json "$TD/diag-reuse.pcap" | jq -c 'select(."id.orig_p"==2018)' > "$BATS_TEST_TMPDIR/two"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/two")" -eq 2 ]
	head -1 "$BATS_TEST_TMPDIR/two" > "$BATS_TEST_TMPDIR/first"
	tail -1 "$BATS_TEST_TMPDIR/two" > "$BATS_TEST_TMPDIR/second"
	run pfilter -t --flows "$BATS_TEST_TMPDIR/first" "$TD/diag-reuse.pcap"
	[ "$status" -eq 0 ]
	[ "$output" = "$(head -6 "$BATS_TEST_TMPDIR/all")" ]
	run pfilter -t --flows "$BATS_TEST_TMPDIR/second" "$TD/diag-reuse.pcap"
	[ "$output" = "$(tail -6 "$BATS_TEST_TMPDIR/all")" ]
}

@test "every listed flow: all packets back, in the input order" {
	need tcpdump
	pflows --json "$TD/seed-synack.pcap" > "$BATS_TEST_TMPDIR/all.json"
	run pfilter -t --flows "$BATS_TEST_TMPDIR/all.json" "$TD/seed-synack.pcap"
	[ "$output" = "$(tcpdump -nn -r "$TD/seed-synack.pcap" 2>/dev/null)" ]
	[ "${#lines[@]}" -eq 13 ]
}

@test "an expression narrows the selection further" {
	need tcpdump
	pflows --json "$TD/seed-synack.pcap" | jq -c 'select(."id.orig_p"==40858)' > "$BATS_TEST_TMPDIR/f.json"
	run pfilter -t --flows "$BATS_TEST_TMPDIR/f.json" 'tcp[tcpflags] == tcp-syn' "$TD/seed-synack.pcap"
	[ "$output" = "$(tcpdump -nn -r "$TD/seed-synack.pcap" 'tcp[tcpflags] == tcp-syn' 2>/dev/null)" ]
	[ "${#lines[@]}" -eq 4 ]
}

@test "no listed flow in the capture: exit 1 and a warning" {
	pflows --json "$TD/seed-idle.pcap" > "$BATS_TEST_TMPDIR/idle.json"
	run pfilter -c --flows "$BATS_TEST_TMPDIR/idle.json" "$TD/seed-http.pcap"
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "pfilter: $BATS_TEST_TMPDIR/idle.json: 1 of 1 listed flows matched no packet" ]
	[ "${lines[1]}" = "0" ]
}

@test "errors: not JSON, a missing field, stdin twice, a missing file" {
	printf '{"uid":"C1","ts":1}\n' > "$BATS_TEST_TMPDIR/nots"
	run pfilter -c --flows "$BATS_TEST_TMPDIR/nots" "$TD/seed-http.pcap"
	[ "$status" -eq 2 ]
	[ "$output" = "pfilter: $BATS_TEST_TMPDIR/nots: line 1: no \"id.orig_h\" field (pflows --json lines expected)" ]
	printf '\n{"uid": 5 x\n' > "$BATS_TEST_TMPDIR/bad"
	run pfilter -c --flows "$BATS_TEST_TMPDIR/bad" "$TD/seed-http.pcap"
	[ "$status" -eq 2 ]
	[ "$output" = "pfilter: $BATS_TEST_TMPDIR/bad: line 2: not a JSON object (column 11)" ]
	run sh -c "echo '{}' | pfilter --flows - < '$TD/seed-http.pcap'"
	[ "$status" -eq 2 ]
	[[ "$output" == *"standard input cannot hold both"* ]]
	run pfilter --flows "$BATS_TEST_TMPDIR/nonexistent" "$TD/seed-http.pcap"
	[ "$status" -eq 2 ]
	[ "$output" = "pfilter: $BATS_TEST_TMPDIR/nonexistent: No such file or directory" ]
}
