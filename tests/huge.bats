#!/usr/bin/env bats
# huge.bats — a stream above 4 GiB, generated on the fly and piped (nothing
# stored): counters are 64-bit and exact, and pcat and pfilter keep their
# memory flat.
#
# The stream (tests/tools/hugegen.c): N = 70000 records of 65535 bytes,
# UDP 10.0.0.1:1000 -> 10.0.0.2:2000 except every 1000th packet, which goes
# back; 65493 bytes of UDP payload each (65535 - 14 Ethernet - 20 IPv4 - 8
# UDP), 65521 IP bytes; 1 ms apart.  Hand derivation of the counts:
#   stream bytes   24 + 70000 * (16 + 65535) = 4588570024  (> 2^32 = 4294967296)
#   captured bytes 70000 * 65535             = 4587450000
#   replies        70000 / 1000              = 70; requests 69930
#   orig_bytes     69930 * 65493             = 4579925490  (> 2^32)
#   orig_ip_bytes  69930 * 65521             = 4581883530
#   resp_bytes     70 * 65493                = 4584510
#   duration       69999 ms
load helpers

N=70000

setup() {
	TMP=$(mktemp -d)
	GEN=$PK_BUILD/tools/hugegen
	[ -x "$GEN" ] || skip "hugegen not built"
}

teardown() {
	rm -rf "$TMP"
}

# Max RSS in KiB of "$@" (GNU time); empty when /usr/bin/time is missing.
has_time() { [ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1; }

@test "huge: the generator writes the stream size derived above" {
	run sh -c '"$1" "$2" | wc -c' sh "$GEN" "$N"
	[ "$status" -eq 0 ]
	[ "$output" -eq 4588570024 ]
}

@test "huge: pcat | pfilter | pflows over 4.3 GB: exact 64-bit counts, flat memory" {
	local T=""
	if has_time; then T="/usr/bin/time -f %M -o"; fi
	if [ -n "$T" ]; then
		"$GEN" "$N" | $T "$TMP/pcat.rss" pcat | $T "$TMP/pfilter.rss" pfilter udp |
			pflows --json >"$TMP/flows" 2>"$TMP/err"
	else
		"$GEN" "$N" | pcat | pfilter udp | pflows --json >"$TMP/flows" 2>"$TMP/err"
	fi
	[ ! -s "$TMP/err" ]
	[ "$(wc -l <"$TMP/flows")" -eq 1 ]
	grep -q '"orig_bytes":4579925490,"resp_bytes":4584510,' "$TMP/flows"
	grep -q '"orig_pkts":69930,"orig_ip_bytes":4581883530,"resp_pkts":70,' "$TMP/flows"
	grep -q '"duration":69.999000,' "$TMP/flows"
	if [ -n "$T" ]; then
		# The same tools on a 100-packet stream: the 4.3 GB run may use at
		# most 8 MiB more (no growth with the stream).
		"$GEN" 100 | $T "$TMP/pcat.small" pcat | $T "$TMP/pfilter.small" pfilter udp >/dev/null
		for t in pcat pfilter; do
			echo "$t max RSS: $(cat "$TMP/$t.rss") KiB (100 packets: $(cat "$TMP/$t.small") KiB)"
			[ "$(cat "$TMP/$t.rss")" -le $(( $(cat "$TMP/$t.small") + 8192 )) ]
		done
	fi
}

@test "huge: pfilter -c counts 70000 of 70000 and 70 replies" {
	run sh -c '"$1" "$2" | pfilter -c udp' sh "$GEN" "$N"
	[ "$status" -eq 0 ]
	[ "$output" -eq 70000 ]
	run sh -c '"$1" "$2" | pfilter -c "src host 10.0.0.2"' sh "$GEN" "$N"
	[ "$status" -eq 0 ]
	[ "$output" -eq 70 ]
}

@test "huge: pstats counts 4587450000 captured bytes exactly" {
	run sh -c '"$1" "$2" | pstats --json' sh "$GEN" "$N"
	[ "$status" -eq 0 ]
	[[ "$output" == *'"packets":70000,"bytes_captured":4587450000,"bytes_wire":4587450000,'* ]]
	run sh -c '"$1" "$2" | pstats -q -e "bytes_captured == 4587450000 and packets == 70000"' sh "$GEN" "$N"
	[ "$status" -eq 0 ]
}
