#!/usr/bin/env bats
# reader_prefetch.bats — the prefetching reader (lib/reader.c): a regular file
# of 32 MiB or more is read ahead by a thread into a ring of 256 KiB chunks.
# Everything a tool prints must be the same bytes with PK_PREFETCH=0 (plain
# read()) and without; damage is reported with the same message and status;
# a tool that stops early stops at once.  The captures are made here:
#   big.pcap     gen_big 40 MiB of mixed Ethernet traffic (pcap, µs)
#   big.pcapng   gen_bigng 40 MiB: EPBs crossing chunk edges, EPBs of the
#                largest caplen (262144), EPBs of 300 KiB, 1 MiB and 5 MiB
#                (bigger than a chunk), 700 KiB unknown blocks, SPBs, an ISB
load helpers

setup_file() {
	local d=$BATS_FILE_TMPDIR
	[ -x "$PK_BUILD/tools/gen_big" ] && [ -x "$PK_BUILD/tools/gen_bigng" ] || return 0
	"$PK_BUILD/tools/gen_big" "$d/big.pcap" 40 1
	"$PK_BUILD/tools/gen_bigng" "$d/big.pcapng" 40 >"$d/bigng.count"
}

setup() {
	[ -s "$BATS_FILE_TMPDIR/big.pcapng" ] || skip "gen_big / gen_bigng not built"
	BIG=$BATS_FILE_TMPDIR/big.pcap
	NG=$BATS_FILE_TMPDIR/big.pcapng
	T=$BATS_TEST_TMPDIR
}

# Run "$@" twice, with PK_PREFETCH=0 and without; each run's stdout, stderr
# and status go to $T/{0,1}.{out,err,st}.  Succeeds when all three agree.
both_ways() {
	local e
	for e in 0 1; do
		PK_PREFETCH=$e "$@" >"$T/$e.out" 2>"$T/$e.err" && echo 0 >"$T/$e.st" ||
			echo $? >"$T/$e.st"
	done
	cmp "$T/0.out" "$T/1.out" && cmp "$T/0.err" "$T/1.err" && cmp "$T/0.st" "$T/1.st"
}

# Number of pread64 calls made by "$@" and its threads.  The dynamic loader
# makes a few (ELF headers), so the read() path counts up to about 10.
preads() {
	strace -f -qq -e trace=pread64 -o "$T/strace" "$@" >/dev/null 2>&1 || true
	grep -c 'pread64(' "$T/strace" || true
}

# Packets in a capture according to capinfos (an independent reader).
capinfos_count() {
	capinfos -M -c "$1" 2>/dev/null | awk '/Number of packets/ { print $NF }'
}

@test "prefetch: taken for a big file (by path or as stdin), not with PK_PREFETCH=0, one allowed CPU, a pipe or a smaller file" {
	need strace
	# 40 MiB in 256 KiB chunks: about 160 preads; none on the read() path.
	[ "$(preads pcat "$BIG")" -ge 150 ]
	[ "$(preads sh -c 'pcat < "$1"' sh "$BIG")" -ge 150 ]
	[ "$(PK_PREFETCH=0 preads pcat "$BIG")" -le 10 ]
	# one allowed CPU (taskset): no second core to read ahead on
	if command -v taskset >/dev/null; then
		[ "$(preads taskset -c 0 pcat "$BIG")" -le 10 ]
	fi
	[ "$(preads sh -c 'cat "$1" | pcat' sh "$BIG")" -le 10 ]
	[ "$(preads pcat "$TD/core-eth-us.pcap")" -le 10 ]
	# below the 32 MiB threshold: read()
	head -c 30000000 "$BIG" >"$T/30m.pcap"
	[ "$(preads pcat "$T/30m.pcap")" -le 10 ]
}

@test "prefetch: pcat passes a big pcap's records through untouched, by path, stdin and pipe" {
	# The pipe contract: a pass-through tool copies records byte for byte,
	# so after the 24-byte file header the output is the input.
	tail -c +25 "$BIG" >"$T/records"
	both_ways pcat "$BIG"
	tail -c +25 "$T/1.out" | cmp - "$T/records"
	pcat <"$BIG" | tail -c +25 | cmp - "$T/records"
	cat "$BIG" | pcat | tail -c +25 | cmp - "$T/records"
	# two inputs in a row: each reader's threads end before the next starts
	both_ways pcat "$BIG" "$BIG"
	[ "$(wc -c <"$T/1.out")" -eq $(( 24 + 2 * $(wc -c <"$T/records") )) ]
}

@test "prefetch: pstats --json, pflows --json and pfilter agree both ways on the big pcap" {
	both_ways pstats --json "$BIG"
	both_ways pflows --json "$BIG"
	[ "$(wc -l <"$T/1.out")" -gt 500 ]
	both_ways pfilter 'tcp port 443 and tcp[tcpflags] & tcp-syn != 0' "$BIG"
	[ "$(cat "$T/1.st")" -eq 0 ]
	both_ways pcat -m "$BIG" "$BIG"
}

@test "prefetch: a pcapng with blocks across chunk edges and blocks larger than a chunk" {
	local n
	n=$(sed -n 's/^packets //p' "$BATS_FILE_TMPDIR/bigng.count")
	[ "$n" -gt 20000 ]
	both_ways pcat "$NG"
	[ -z "$(cat "$T/1.err")" ]
	[ "$(cat "$T/1.st")" -eq 0 ]
	both_ways pstats --json "$NG"
	grep -q "\"packets\":$n," "$T/1.out"
	both_ways pflows --json "$NG"
	both_ways pcat -t "$NG"
	if command -v capinfos >/dev/null 2>&1; then
		[ "$(capinfos_count "$NG")" -eq "$n" ]
	fi
}

@test "prefetch: a big pcap cut short gives the same message and status both ways" {
	local cut
	# The threads start reading at 65536 (what opening read) in 262144-byte
	# chunks, so 65536 + 140 * 262144 = 36765696 ends the file on a chunk
	# boundary (the last pread returns 0 bytes); also one byte after it and
	# two places mid-chunk.  All leave more than 32 MiB to read ahead.
	for cut in 36765696 36765697 37748743 35000000; do
		head -c "$cut" "$BIG" >"$T/cut.pcap"
		both_ways pcat "$T/cut.pcap"
		[ "$(cat "$T/1.st")" -eq 2 ]
		grep -q "cut short" "$T/1.err"
		if command -v capinfos >/dev/null 2>&1; then
			# the record named is the first one capinfos cannot read
			local good
			good=$(capinfos_count "$T/cut.pcap")
			grep -q "record $((good + 1)) at offset" "$T/1.err"
		fi
		both_ways pstats --json "$T/cut.pcap"
		both_ways pflows --json "$T/cut.pcap"
	done
}

@test "prefetch: damage past the first chunks (an impossible record length) reads the same both ways" {
	local off
	# Find where a record starts near 12 MiB: cut the file there and read
	# the offset from the cut-short message; then put 0xff over that
	# record's header (caplen 0xffffffff: impossible).
	head -c $((12 * 1048576 + 1000)) "$BIG" >"$T/cut.pcap"
	off=$(pcat "$T/cut.pcap" 2>&1 >/dev/null | sed -n 's/.* at offset \([0-9]*\) is cut short.*/\1/p')
	[ "$off" -gt 8388608 ]
	cp "$BIG" "$T/bad.pcap"
	printf '\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377' |
		dd of="$T/bad.pcap" bs=1 seek="$off" conv=notrunc 2>/dev/null
	both_ways pcat "$T/bad.pcap"
	[ "$(cat "$T/1.st")" -eq 2 ]
	grep -q "at offset $off has an impossible length" "$T/1.err"
	both_ways pstats --json "$T/bad.pcap"
}

@test "prefetch: a pcapng cut short, and one with garbage in it, read the same both ways" {
	local cut off
	# cuts inside a 300 KiB and a 1 MiB EPB (assembled outside the ring), a
	# 262176-byte EPB (the largest that fits a slot's headroom) and a 700 KiB
	# skipped block, all past 32 MiB so that the threads run
	for cut in 36000000 40000000 37000000 41000000; do
		head -c "$cut" "$NG" >"$T/cut.pcapng"
		both_ways pcat "$T/cut.pcapng"
		[ "$(cat "$T/1.st")" -eq 2 ]
		grep -q "cut short" "$T/1.err"
		both_ways pstats --json "$T/cut.pcapng"
		# the block the cut fell in gets an impossible length instead
		off=$(sed -n 's/.* at offset \([0-9]*\) is cut short.*/\1/p' "$T/1.err")
		cp "$NG" "$T/bad.pcapng"
		printf '\001\002\003\004' |
			dd of="$T/bad.pcapng" bs=1 seek=$((off + 4)) conv=notrunc 2>/dev/null
		both_ways pcat "$T/bad.pcapng"
		[ "$(cat "$T/1.st")" -eq 2 ]
		both_ways pflows --json "$T/bad.pcapng"
	done
}

@test "prefetch: pcat -c N stops early, threads and all" {
	need strace
	run pcat -c 10 -t "$BIG"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 10 ]
	# 10 records lie in the first 64 KiB read while opening: no thread starts
	[ "$(preads pcat -c 10 "$BIG")" -le 10 ]
	# 12000 records are about 10 MiB (40 chunks): the reads ran ahead at
	# most the ring (16 chunks), then the thread was stopped, far short of
	# the file's 160 chunks
	[ "$(preads pcat -c 12000 "$BIG")" -le 64 ]
	both_ways pcat -c 12000 "$BIG"
	[ "$(cat "$T/1.st")" -eq 0 ]
	[ "$(pcat -c 12000 -t "$BIG" | wc -l)" -eq 12000 ]
}
