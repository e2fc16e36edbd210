#!/usr/bin/env bats
# ladder.bats — pflows --ladder, Unicode and ASCII.  The arrows are checked
# against tcpdump (an independent reader): one arrow per packet, the same
# flags, direction and time since the first packet (tcpdump -ttttt).
load helpers

# tcpdump's view: "seconds flags dir" per packet; dir is > when the sender
# is ORIG (address.port as tcpdump prints it).
oracle() {
	tcpdump -nn -ttttt -r "$1" 2>/dev/null | awk -v o="$2" '{
		split($1, t, ":"); s = t[1] * 3600 + t[2] * 60 + t[3]
		f = $0; sub(/.*Flags \[/, "", f); sub(/\].*/, "", f)
		printf "%.6f [%s] %s\n", s, f, ($3 == o ? ">" : "<")
	}'
}

# the ladder's view of the same: time, [flags], > or < from the arrow head.
arrows() {
	awk -v r="$2" -v l="$3" 'index($0, r) || index($0, l) {
		f = $0; sub(/^[^[]*\[/, "", f); sub(/\].*/, "", f)
		printf "%.6f [%s] %s\n", $1, f, (index($0, r) ? ">" : "<")
	}' "$1"
}

@test "Unicode ladder: one arrow per packet, flags, direction and times as tcpdump" {
	need tcpdump
	LC_ALL=C.UTF-8 pflows --ladder "$TD/seed-http.pcap" > "$BATS_TEST_TMPDIR/l"
	grep -q '│' "$BATS_TEST_TMPDIR/l"
	arrows "$BATS_TEST_TMPDIR/l" '▶' '◀' > "$BATS_TEST_TMPDIR/a"
	oracle "$TD/seed-http.pcap" 64.39.0.68.12275 > "$BATS_TEST_TMPDIR/o"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/o")" -eq 15 ]
	diff "$BATS_TEST_TMPDIR/o" "$BATS_TEST_TMPDIR/a"
}

@test "ASCII ladder with --ascii, and without a UTF-8 locale" {
	need tcpdump
	LC_ALL=C.UTF-8 pflows --ladder --ascii "$TD/seed-http.pcap" > "$BATS_TEST_TMPDIR/l1"
	LC_ALL=C pflows --ladder "$TD/seed-http.pcap" > "$BATS_TEST_TMPDIR/l2"
	cmp "$BATS_TEST_TMPDIR/l1" "$BATS_TEST_TMPDIR/l2"
	# pure ASCII (a bare `! cmd` would not fail the test: count instead)
	[ "$(LC_ALL=C grep -c '[^ -~]' "$BATS_TEST_TMPDIR/l1")" -eq 0 ]
	arrows "$BATS_TEST_TMPDIR/l1" '->|' '|<-' > "$BATS_TEST_TMPDIR/a"
	oracle "$TD/seed-http.pcap" 64.39.0.68.12275 > "$BATS_TEST_TMPDIR/o"
	diff "$BATS_TEST_TMPDIR/o" "$BATS_TEST_TMPDIR/a"
}

@test "ASCII ladder: the note's signs are spelled in ASCII too (4x, not 4×)" {
	LC_ALL=C.UTF-8 pflows --ladder --ascii "$TD/seed-synack.pcap" > "$BATS_TEST_TMPDIR/l"
	[ "$(LC_ALL=C grep -c '[^ -~]' "$BATS_TEST_TMPDIR/l")" -eq 0 ]
	grep -q 'note: handshake incomplete: SYN sent 4x, SYN-ACK sent 7x,' "$BATS_TEST_TMPDIR/l"
	# The Unicode ladder keeps the note as the table prints it.
	LC_ALL=C.UTF-8 pflows --ladder "$TD/seed-synack.pcap" | grep -q 'SYN sent 4×, SYN-ACK sent 7×,'
}

@test "relative sequence numbers match tcpdump's" {
	need tcpdump
	# tcpdump prints relative numbers after the SYN: "seq 1:17" -> our "1:17".
	LC_ALL=C pflows --ladder "$TD/seed-http.pcap" | grep -o '\] [0-9]*:[0-9]*' | cut -c3- > "$BATS_TEST_TMPDIR/a"
	tcpdump -nn -r "$TD/seed-http.pcap" 2>/dev/null | grep -o 'seq [0-9]*:[0-9]*' | cut -c5- > "$BATS_TEST_TMPDIR/o"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/o")" -eq 6 ]
	diff "$BATS_TEST_TMPDIR/o" "$BATS_TEST_TMPDIR/a"
}

@test "a silence over 1 s is marked with its length" {
	need tcpdump
	# tcpdump -ttt: the server's FIN comes 5.000063 s after the previous packet.
	[ "$(tcpdump -nn -ttt -r "$TD/seed-idle.pcap" 2>/dev/null | sed -n 4p | cut -c1-15)" = " 00:00:05.00006" ]
	run env LC_ALL=C.UTF-8 pflows --ladder "$TD/seed-idle.pcap"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | grep -c 'without packets')" -eq 1 ]
	echo "$output" | grep -q '┆ *5\.000 s without packets *┆'
	# the silence line sits between the 3rd and the 4th arrow
	[ "$(echo "$output" | grep -E '▶|◀|without' | sed -n 4p | grep -c without)" -eq 1 ]
	LC_ALL=C pflows --ladder "$TD/seed-idle.pcap" | grep -q ': *5\.000 s without packets *:'
}

@test "retransmitted SYNs and SYN-ACKs are marked RETX" {
	# trace 3: SYNs 2-4 repeat the first SYN's seq, SYN-ACKs 2-7 the first's: 9.
	run env LC_ALL=C pflows --ladder "$TD/seed-synack.pcap"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | grep -c ' RETX$')" -eq 9 ]
	[ "$(echo "$output" | grep -c '\[S\] .* RETX$')" -eq 3 ]
	[ "$(echo "$output" | grep -c '\[S\.\] .* RETX$')" -eq 6 ]
	echo "$output" | grep -q '^       note: handshake incomplete: SYN sent 4x'   # ASCII ladder (C locale)
}

@test "out-of-order and retransmission in a long flow; the middle elided" {
	# diag-long.pcap: 67 packets, the 24th and 25th swapped (seq 2001 before 1901).
	run env LC_ALL=C pflows --ladder --full "$TD/diag-long.pcap"
	[ "$(echo "$output" | grep -cE '\->\||\|<-')" -eq 67 ]
	[ "$(echo "$output" | grep -c ' OOO$')" -eq 1 ]
	[ "$(echo "$output" | grep -c ' RETX$')" -eq 1 ]
	echo "$output" | grep -q '2001:2101 .* OOO$'
	echo "$output" | grep -q '1901:2001 .* RETX$'
	# default: 20 first + 20 last arrows, 27 packets (all data, both marks) elided
	run env LC_ALL=C pflows --ladder "$TD/diag-long.pcap"
	[ "$(echo "$output" | grep -cE '\->\||\|<-')" -eq 40 ]
	echo "$output" | grep -q ': *\.\.\. 27 packets (27 with data, 1 RETX, 1 OOO) \.\.\. *:'
	run env LC_ALL=C.UTF-8 pflows --ladder "$TD/diag-long.pcap"
	echo "$output" | grep -q '┆ *… 27 packets (27 with data, 1 RETX, 1 OOO) … *┆'
}

@test "the note is at the bottom, the record's header on top" {
	run env LC_ALL=C pflows --ladder "$TD/seed-idle.pcap"
	note=$(pflows --json "$TD/seed-idle.pcap" | jq -r .note)
	uid=$(pflows --json "$TD/seed-idle.pcap" | jq -r .uid)
	[ "${lines[0]}" = "tcp 64.39.0.68:31226 -> 98.129.169.14:80  SF  ShAfFa  $uid" ]
	[ "${lines[-1]}" = "       note: $note" ]
}

@test "no colour when stdout is not a terminal or NO_COLOR is set" {
	run env LC_ALL=C.UTF-8 pflows --ladder "$TD/seed-synack.pcap"
	[ "$status" -eq 0 ] && [ -n "$output" ]
	if echo "$output" | grep -q $'\033'; then return 1; fi   # (a bare `! cmd` never fails a test)
	need script
	# on a terminal: colour, unless NO_COLOR
	out=$(LC_ALL=C.UTF-8 script -qec "$PK_BIN/pflows --ladder $TD/seed-synack.pcap" /dev/null)
	echo "$out" | grep -q $'\033\\[31m'
	out=$(NO_COLOR=1 LC_ALL=C.UTF-8 script -qec "$PK_BIN/pflows --ladder $TD/seed-synack.pcap" /dev/null)
	! echo "$out" | grep -q $'\033'
}

@test "a filter upstream picks the flows drawn" {
	run sh -c "pfilter 'port 42551' '$TD/seed-synack.pcap' | LC_ALL=C pflows --ladder"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | grep -c '^tcp ')" -eq 1 ]
	echo "$output" | grep -q 'note: unsolicited SYN-ACK (no SYN seen) answered by RST'
}

@test "--ladder refuses machine formats" {
	run pflows --ladder --json "$TD/seed-idle.pcap"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--ladder draws text"* ]]
}
