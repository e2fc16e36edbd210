#!/usr/bin/env bats
# damage.bats — the damage policy, the same in all four tools: every good
# packet before the fault is processed, the message names file, record (or
# block) number and byte offset, exit 2; --lenient makes a cut-short last
# record a warning with exit 0 but leaves other damage an error.
#
# Where the numbers come from (not from our own output):
#  - record/block numbers: testdata/README.md says how many good packets
#    (blocks) precede the fault;
#  - offsets: the fault is at the end of each file, so the offset is the
#    file size minus what follows it (a 16-byte pcap record header plus the
#    bytes present, as announced in the README);
#  - packet counts: tcpdump reads the same good prefix before its own error.
load helpers

setup() {
	TMP=$(mktemp -d)
}

teardown() {
	rm -rf "$TMP"
}

size() { stat -c %s "$1"; }

# good packets tcpdump reads before the damage
td_count() { tcpdump -nr "$1" 2>/dev/null | wc -l; }

# The four tools, each consuming the whole input; $1 is the input.
run_tool() {
	local tool=$1 f=$2
	shift 2
	case $tool in
	pcat)    pcat "$@" "$f" ;;
	pfilter) pfilter "$@" 'ip or not ip' "$f" ;;
	pflows)  pflows --json "$@" "$f" ;;
	pstats)  pstats --json "$@" "$f" ;;
	esac
}

# Packets a tool's stdout shows it processed.
processed() {
	local tool=$1 out=$2
	case $tool in
	pcat|pfilter) tcpdump -nr "$out" 2>/dev/null | wc -l ;;
	pflows) jq_sum_pkts "$out" ;;
	pstats) sed -n 's/.*"packets":\([0-9]*\),"bytes_captured".*/\1/p' "$out" ;;
	esac
}

# pflows: sum of orig_pkts + resp_pkts over the JSON records.
jq_sum_pkts() {
	sed -n 's/.*"orig_pkts":\([0-9]*\).*"resp_pkts":\([0-9]*\).*/\1 \2/p' "$1" |
		awk '{ s += $1 + $2 } END { print s + 0 }'
}

# Every tool on FILE: status 2, the exact message, all good packets kept.
# $2 = expected message after "tool: FILE: "; pstats adds its own suffix.
check_damaged() {
	local f=$1 msg=$2 want tool
	want=$(td_count "$f")
	for tool in pcat pfilter pflows pstats; do
		run_tool "$tool" "$f" >"$TMP/out" 2>"$TMP/err" && status=0 || status=$?
		echo "$tool: status $status, stderr: $(cat "$TMP/err")"
		[ "$status" -eq 2 ]
		case $tool in
		pstats) [ "$(cat "$TMP/err")" = "pstats: $f: $msg (report above is partial)" ] ;;
		*)      [ "$(cat "$TMP/err")" = "$tool: $f: $msg" ] ;;
		esac
		got=$(processed "$tool" "$TMP/out")
		echo "$tool processed $got of $want good packets"
		[ "$got" -eq "$want" ]
	done
}

@test "bad-cut.pcap: 3 good packets kept, record 4 cut short, exit 2 in every tool" {
	need tcpdump
	f=$TD/bad-cut.pcap
	[ "$(td_count "$f")" -eq 3 ]
	check_damaged "$f" "record 4 at offset $(( $(size "$f") - 16 - 611 )) is cut short: 1514 bytes announced, 611 present"
}

@test "stats-cut.pcap: 3 good packets kept, record 4 cut short, exit 2 in every tool" {
	need tcpdump
	f=$TD/stats-cut.pcap
	[ "$(td_count "$f")" -eq 3 ]
	check_damaged "$f" "record 4 at offset $(( $(size "$f") - 16 - 50 )) is cut short: 200 bytes announced, 50 present"
}

@test "bad-caplen.pcap: 2 good packets kept, record 3 impossible, exit 2 in every tool" {
	need tcpdump
	f=$TD/bad-caplen.pcap
	[ "$(td_count "$f")" -eq 2 ]
	check_damaged "$f" "record 3 at offset $(( $(size "$f") - 16 )) has an impossible length: caplen 300000 exceeds 262144"
}

@test "bad-blocklen.pcapng: 2 good packets kept, block 5 impossible, exit 2 in every tool" {
	need tcpdump
	f=$TD/bad-blocklen.pcapng
	[ "$(td_count "$f")" -eq 2 ]
	# SHB, IDB, 2 EPBs, then the bad block: the last 12 bytes of the file.
	check_damaged "$f" "block 5 (EPB) at offset $(( $(size "$f") - 12 )) has an impossible length 7"
}

@test "unusable headers: every tool names the file and exits 2 with no output" {
	for tool in pcat pfilter pflows pstats; do
		for pair in "bad-empty.pcap:empty input: no capture file header" \
		            "bad-shorthdr.pcap:pcap file header is cut short: 24 bytes needed, 10 present" \
		            "bad-magic.pcap:not a pcap or pcapng file: unknown magic 0x12345678 at offset 0"; do
			f=$TD/${pair%%:*}
			run_tool "$tool" "$f" >"$TMP/out" 2>"$TMP/err" && status=0 || status=$?
			echo "$tool $f: $status $(cat "$TMP/err")"
			[ "$status" -eq 2 ]
			[ "$(cat "$TMP/err")" = "$tool: $f: ${pair#*:}" ]
		done
	done
}

@test "the damaged input's good prefix gives the same output as the clean prefix" {
	# The fault starts at the reported offset; the bytes before it are a
	# complete capture, which every tool must process identically.
	f=$TD/bad-cut.pcap
	head -c $(( $(size "$f") - 16 - 611 )) "$f" >"$TMP/prefix.pcap"
	for tool in pcat pfilter pflows; do
		run_tool "$tool" "$f" >"$TMP/a" 2>/dev/null || true
		run_tool "$tool" "$TMP/prefix.pcap" >"$TMP/b"
		cmp "$TMP/a" "$TMP/b"
	done
	run pstats --json "$TMP/prefix.pcap"
	[ "$status" -eq 0 ]
}

@test "--lenient: a cut-short last record is a warning with exit 0 in every tool" {
	need tcpdump
	f=$TD/bad-cut.pcap
	msg="record 4 at offset 286 is cut short: 1514 bytes announced, 611 present (ignored: --lenient)"
	for tool in pcat pfilter pflows pstats; do
		case $tool in
		pfilter) pfilter --lenient 'ip or not ip' "$f" >"$TMP/out" 2>"$TMP/err" && status=0 || status=$? ;;
		*)       run_tool "$tool" "$f" --lenient >"$TMP/out" 2>"$TMP/err" && status=0 || status=$? ;;
		esac
		echo "$tool: $status $(cat "$TMP/err")"
		[ "$status" -eq 0 ]
		[ "$(cat "$TMP/err")" = "$tool: $f: $msg" ]
		[ "$(processed "$tool" "$TMP/out")" -eq 3 ]
	done
}

@test "--lenient does not excuse a record that makes no sense" {
	f=$TD/bad-caplen.pcap
	for tool in pcat pflows pstats; do
		run_tool "$tool" "$f" --lenient >/dev/null 2>"$TMP/err" && status=0 || status=$?
		[ "$status" -eq 2 ]
		grep -q "record 3 at offset 204 has an impossible length" "$TMP/err"
		if grep -q lenient "$TMP/err"; then return 1; fi   # (a bare `! cmd` never fails a test)
	done
	run sh -c 'pfilter --lenient "ip or not ip" "$1" >/dev/null' sh "$f"
	[ "$status" -eq 2 ]
}

@test "a damaged input does not stop the next one" {
	need tcpdump
	# bad-cut (3 good) then core-eth-us (16, README: "the mix").
	for tool in pcat pfilter; do
		case $tool in
		pcat)    pcat "$TD/bad-cut.pcap" "$TD/core-eth-us.pcap" >"$TMP/o.pcap" 2>"$TMP/err" && status=0 || status=$? ;;
		pfilter) pfilter 'ip or not ip' "$TD/bad-cut.pcap" "$TD/core-eth-us.pcap" >"$TMP/o.pcap" 2>"$TMP/err" && status=0 || status=$? ;;
		esac
		[ "$status" -eq 2 ]
		[ "$(tcpdump -nr "$TMP/o.pcap" 2>/dev/null | wc -l)" -eq 19 ]
	done
	pstats --json "$TD/bad-cut.pcap" "$TD/core-eth-us.pcap" >"$TMP/o" 2>/dev/null && status=0 || status=$?
	[ "$status" -eq 2 ]
	[ "$(grep -c '"packets":16,"bytes_captured"' "$TMP/o")" -eq 1 ]
	pflows --json "$TD/bad-cut.pcap" "$TD/core-eth-us.pcap" >"$TMP/o" 2>/dev/null && status=0 || status=$?
	[ "$status" -eq 2 ]
	[ "$(jq_sum_pkts "$TMP/o")" -gt 16 ]
}

@test "a capture cut short on a pipe: the same message, exit 2, good packets written" {
	need tcpdump
	# Cut the mix 100 bytes into its last record: tcpdump names the same fault.
	f=$TD/core-eth-us.pcap
	head -c $(( $(size "$f") - 20 )) "$f" >"$TMP/cut.pcap"
	want=$(td_count "$TMP/cut.pcap")
	[ "$want" -eq 15 ]
	run sh -c 'cat "$1" | pcat > "$2"' sh "$TMP/cut.pcap" "$TMP/o.pcap"
	[ "$status" -eq 2 ]
	[[ "$output" == "pcat: -: record 16 at offset "*" is cut short: "*" bytes announced, "*" present" ]]
	[ "$(td_count "$TMP/o.pcap")" -eq 15 ]
	run sh -c 'cat "$1" | pstats --lenient -q' sh "$TMP/cut.pcap"
	[ "$status" -eq 0 ]
	[[ "$output" == *"(ignored: --lenient)" ]]
}
