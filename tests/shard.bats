#!/usr/bin/env bats
# shard.bats — flow-hash sharding: pcat --shards, pfilter --shard/--shards,
# and the map/reduce recipe of the README ("More than one machine"): split
# two rotated captures into N shards, run pflows / pstats per shard in
# parallel (xargs -P), combine, and compare with the single run.
load helpers

A=$TD/shard-a.pcap
B=$TD/shard-b.pcap

setup() {
	TMP=$(mktemp -d)
}

teardown() {
	rm -rf "$TMP"
}

# The time of the last packet of the whole input, read by tcpdump (the
# oracle) when it is installed.
end_time() {
	if command -v tcpdump >/dev/null 2>&1; then
		tcpdump -tt -nn -r "$B" 2>/dev/null | tail -n 1 | cut -d' ' -f1
	else
		pcat -tt "$B" | tail -n 1 | cut -d' ' -f1
	fi
}

# tcpdump's one line per packet (hex dumps of unknown EtherTypes dropped).
tdl() {
	tcpdump -tt -nn -r "$@" 2>/dev/null | grep -v "^$(printf '\t')"
}

# split N: every input file into N shards a-K.pcap, b-K.pcap.
split() {
	pcat --shards "$1" -w "$TMP/a-%d.pcap" "$A"
	pcat --shards "$1" -w "$TMP/b-%d.pcap" "$B"
}

# map N CMD: for each shard K, in parallel, "pcat -m shard-K-of-each-file | CMD > K.out".
map() {
	n=$1
	shift
	seq 0 $((n - 1)) | xargs -P 2 -I{} sh -c \
	    "pcat -m '$TMP/a-{}.pcap' '$TMP/b-{}.pcap' | $* > '$TMP/{}.out'"
}

@test "pflows: shards concatenated and sorted equal the single run (N = 1, 2, 7)" {
	T=$(end_time)
	pcat -m "$A" "$B" | pflows --json | sort > "$TMP/whole"
	# The capture has hundreds of connections, fragments and ICMP errors.
	[ "$(wc -l < "$TMP/whole")" -gt 500 ]
	for n in 1 2 7; do
		rm -f "$TMP"/*.pcap "$TMP"/*.out
		split "$n"
		[ "$(ls "$TMP"/a-*.pcap | wc -l)" -eq "$n" ]
		map "$n" pflows --json --end-time "$T"
		cat "$TMP"/*.out | sort > "$TMP/merged"
		cmp "$TMP/merged" "$TMP/whole" || { echo "N=$n differs"; diff "$TMP/merged" "$TMP/whole" | head; false; }
	done
}

@test "pflows --zeek (VLAN-blind key): shards equal the single run too (N = 7)" {
	T=$(end_time)
	pcat -m "$A" "$B" | pflows --json --zeek | sort > "$TMP/whole"
	pcat -m "$A" "$B" | pflows --json | sort > "$TMP/vlan"
	# The request on VLAN 10 answered on VLAN 20 makes 12 more flows with the VLAN key.
	[ $(($(wc -l < "$TMP/vlan") - $(wc -l < "$TMP/whole"))) -eq 12 ]
	split 7
	map 7 pflows --json --zeek --end-time "$T"
	cat "$TMP"/*.out | sort | cmp - "$TMP/whole"
}

@test "pflows: without --end-time, shards that end early report eof instead of inactive" {
	# The last two minutes hold one host pair only; connections of other
	# shards whose timeout falls then are still open when their shard ends.
	pcat -m "$A" "$B" | pflows --json | jq -r '[.uid, .end] | @tsv' | sort > "$TMP/whole"
	split 7
	map 7 pflows --json
	cat "$TMP"/*.out | jq -r '[.uid, .end] | @tsv' | sort > "$TMP/merged"
	# Same connections (uids) ...
	cmp <(cut -f1 "$TMP/merged") <(cut -f1 "$TMP/whole")
	# ... but some end differently.
	if cmp -s "$TMP/merged" "$TMP/whole"; then return 1; fi   # (a bare `! cmd` never fails a test)
	diff "$TMP/merged" "$TMP/whole" | grep -q 'inactive'
}

# jq program: drop what describes the inputs rather than the traffic, the
# fields the merge lists as approximate, and the hierarchy's order (first
# seen, which a merge cannot know).
comparable() {
	drop=$(jq -r '(.merge.approximate // []) | map("." + .) | join(",")' "$1")
	f='del(.file, .files, .file_size, .merge) | .hierarchy |= sort_by(.path)'
	[ -z "$drop" ] || f="$f | del($drop)"
	jq -S "$f" "$2"
}

@test "pstats --merge: shard reports combine into the single run's report (N = 1, 2, 7)" {
	pcat -m "$A" "$B" | pstats --json -i 10s > "$TMP/whole.json"
	for n in 1 2 7; do
		rm -f "$TMP"/*.pcap "$TMP"/*.out
		split "$n"
		# --top above any distinct count: every shard keeps complete lists.
		map "$n" pstats --json -i 10s --top 100000
		cat "$TMP"/*.out | pstats --merge --json > "$TMP/merged.json"
		[ "$(jq .merge.reports "$TMP/merged.json")" -eq "$n" ]
		# Only the neighbour-dependent quality fields are approximate, and only with N > 1.
		if [ "$n" -eq 1 ]; then
			[ "$(jq -c .merge.approximate "$TMP/merged.json")" = "[]" ]
		else
			[ "$(jq -r '.merge.approximate | join(" ")' "$TMP/merged.json")" = \
			  "quality.time_backwards quality.time_backwards_max quality.equal_time_runs quality.equal_time_max quality.duplicates quality.issues quality.verdict" ]
		fi
		cmp <(comparable "$TMP/merged.json" "$TMP/merged.json") <(comparable "$TMP/merged.json" "$TMP/whole.json") ||
		    { echo "N=$n"; diff <(comparable "$TMP/merged.json" "$TMP/merged.json") <(comparable "$TMP/merged.json" "$TMP/whole.json") | head; false; }
	done
	# The comparison covers the counts that matter (not an empty object).
	if command -v tcpdump >/dev/null 2>&1; then
		[ "$(jq .packets "$TMP/merged.json")" -eq $(( $(tdl "$A" | wc -l) + $(tdl "$B" | wc -l) )) ]
	fi
	[ "$(jq '.series.packets | add' "$TMP/merged.json")" -eq "$(jq .packets "$TMP/whole.json")" ]
	[ "$(jq '.top.distinct_pairs' "$TMP/merged.json")" -gt 256 ]
}

@test "pstats --merge: top lists cut by --top are marked approximate" {
	split 3
	map 3 pstats --json --top 3
	cat "$TMP"/*.out | pstats --merge --json > "$TMP/m.json"
	jq -r '.merge.approximate[]' "$TMP/m.json" > "$TMP/approx"
	grep -qx 'top.addresses' "$TMP/approx"
	grep -qx 'top.distinct_pairs' "$TMP/approx"
	# Sums stay exact: capinfos (the oracle) counts the same packets.
	if command -v capinfos >/dev/null 2>&1; then
		c=$(( $(capinfos -Mc "$A" | awk '/Number of packets/ { print $NF }') + $(capinfos -Mc "$B" | awk '/Number of packets/ { print $NF }') ))
		[ "$(jq .packets "$TMP/m.json")" -eq "$c" ]
	fi
}

@test "pstats --merge: report files, text output, and errors" {
	pstats --json "$A" > "$TMP/a.json"
	pstats --json "$B" > "$TMP/b.json"
	run pstats --merge "$TMP/a.json" "$TMP/b.json"
	[ "$status" -eq 0 ]
	[[ "$output" == *"File:                merged"* ]]
	# Two reports of two files: files 2, packets the sum.
	pstats --merge --json "$TMP/a.json" "$TMP/b.json" > "$TMP/m.json"
	[ "$(jq .files "$TMP/m.json")" -eq 2 ]
	[ "$(jq .packets "$TMP/m.json")" -eq $(( $(jq .packets "$TMP/a.json") + $(jq .packets "$TMP/b.json") )) ]
	[ "$(jq .first_ns "$TMP/m.json")" -eq "$(jq .first_ns "$TMP/a.json")" ]
	[ "$(jq .last_ns "$TMP/m.json")" -eq "$(jq .last_ns "$TMP/b.json")" ]
	# --expect works on the merged numbers.
	run pstats --merge -q -e "packets == $(jq .packets "$TMP/m.json")" "$TMP/a.json" "$TMP/b.json"
	[ "$status" -eq 0 ]
	echo '{"version":1' > "$TMP/bad.json"
	run pstats --merge "$TMP/bad.json"
	[ "$status" -eq 2 ]
	[[ "$output" == *"pstats: $TMP/bad.json: line 1: not JSON: "* ]]
	echo '{"version":1}' > "$TMP/bad.json"
	run pstats --merge "$TMP/bad.json"
	[ "$status" -eq 2 ]
	[[ "$output" == *"line 1: not a pstats --json report"* ]]
	pstats --json -i 1s "$A" > "$TMP/i1.json"
	pstats --json -i 2s "$A" > "$TMP/i2.json"
	run pstats --merge "$TMP/i1.json" "$TMP/i2.json"
	[ "$status" -eq 2 ]
	[[ "$output" == *"series: the reports have different intervals"* ]]
	run pstats --merge "$TMP/a.json" "$TMP/i1.json"
	[ "$status" -eq 2 ]
	[[ "$output" == *"some reports have a time series (-i) and some do not"* ]]
	run pstats --merge "$TMP/missing.json"
	[ "$status" -eq 2 ]
	[[ "$output" == *"missing.json: No such file or directory"* ]]
}

@test "every packet is in exactly one shard, as the documented hash places it" {
	need tcpdump
	need python3
	for seed in 0 12345; do
		rm -f "$TMP"/s-*.pcap
		pcat --shards 7 --shard-seed "$seed" -w "$TMP/s-%d.pcap" "$A"
		python3 "$PK_TOP/tests/shard_spec.py" "$A" 7 "$seed" > "$TMP/want"
		tdl "$A" > "$TMP/lines"
		[ "$(wc -l < "$TMP/want")" -eq "$(wc -l < "$TMP/lines")" ]
		for k in 0 1 2 3 4 5 6; do
			paste -d'|' "$TMP/want" "$TMP/lines" | awk -v k=$k '{ i = index($0, "|"); if (substr($0, 1, i - 1) == k) print substr($0, i + 1) }' | sort > "$TMP/w$k"
			tdl "$TMP/s-$k.pcap" | sort > "$TMP/g$k"
			cmp "$TMP/w$k" "$TMP/g$k"
		done
	done
	# The seed moves packets.
	pcat --shards 7 -w "$TMP/z-%d.pcap" "$A"
	! cmp -s "$TMP/z-3.pcap" "$TMP/s-3.pcap"
}

@test "fragments: every fragment of a datagram lands in one shard, with its first fragment" {
	need tcpdump
	split 7
	total=0
	for k in 0 1 2 3 4 5 6; do
		# tcpdump -v prints "id N, offset O, flags [..]" for each fragment.
		tcpdump -v -nn -r "$TMP/a-$k.pcap" 'ip[6:2] & 0x3fff != 0' 2>/dev/null |
		    sed -n 's/.*id \([0-9]*\), offset \([0-9]*\).*/\1 \2/p' > "$TMP/f$k"
		total=$((total + $(wc -l < "$TMP/f$k")))
		sed "s/\$/ $k/" "$TMP/f$k" >> "$TMP/all"
	done
	# 24 datagrams of 3 fragments, all in shard-a (generated before 300 s,
	# gen_shard.c), counted by tcpdump on the unsplit file too.
	[ "$total" -eq "$(tcpdump -nn -r "$A" 'ip[6:2] & 0x3fff != 0' 2>/dev/null | wc -l)" ]
	[ "$total" -gt 30 ]
	# Each id appears in exactly one shard, and that shard holds its offset-0 fragment.
	[ "$(awk '{ print $1, $3 }' "$TMP/all" | sort -u | awk '{ print $1 }' | uniq -d | wc -l)" -eq 0 ]
	[ "$(awk '$2 == 0 { print $1 }' "$TMP/all" | sort -u | wc -l)" -eq "$(awk '{ print $1 }' "$TMP/all" | sort -u | wc -l)" ]
}

@test "ICMP errors: an unreachable sent by the server shares the shard of the flow it quotes" {
	need tcpdump
	split 7
	n=0
	for k in 0 1 2 3 4 5 6; do
		# "IP S > C: ICMP S udp port 33434 unreachable, length N"
		while read -r s c; do
			tcpdump -nn -r "$TMP/a-$k.pcap" "udp and src host $c and dst host $s and dst port 33434" 2>/dev/null | grep -q . ||
			    tcpdump -nn -r "$TMP/b-$k.pcap" "udp and src host $c and dst host $s and dst port 33434" 2>/dev/null | grep -q .
			n=$((n + 1))
		done < <(cat "$TMP/a-$k.pcap" | tcpdump -nn -r - 'icmp[0] = 3' 2>/dev/null | awk '{ print $3, $5 }' | sed 's/:$//' ;
		         tcpdump -nn -r "$TMP/b-$k.pcap" 'icmp[0] = 3' 2>/dev/null | awk '{ print $3, $5 }' | sed 's/:$//')
	done
	# gen_shard.c sends 20 port unreachables (every 3rd of 30 errors is a router's time exceeded).
	[ "$n" -eq 20 ]
}

@test "no IP layer: ARP goes with its hosts' IPv4 shard, other EtherTypes to shard 0" {
	need tcpdump
	split 7
	for k in 0 1 2 3 4 5 6; do
		c=$(tdl "$TMP/a-$k.pcap" 'ether proto 0x88b5' | wc -l)
		c=$((c + $(tdl "$TMP/b-$k.pcap" 'ether proto 0x88b5' | wc -l)))
		if [ "$k" -eq 0 ]; then [ "$c" -eq 4 ]; else [ "$c" -eq 0 ]; fi
	done
	# A request and its reply (same two IPv4 addresses) are in one shard.
	for k in 0 1 2 3 4 5 6; do
		tcpdump -nn -r "$TMP/a-$k.pcap" arp 2>/dev/null
		tcpdump -nn -r "$TMP/b-$k.pcap" arp 2>/dev/null
	done > "$TMP/arp"
	[ "$(grep -c 'Request' "$TMP/arp")" -eq 16 ]
	[ "$(grep -c 'Reply' "$TMP/arp")" -eq 16 ]
}

@test "pfilter --shard K/N keeps what pcat --shards writes to file K" {
	need tcpdump
	pcat --shards 5 -w "$TMP/s-%d.pcap" "$A"
	for k in 0 1 2 3 4; do
		pfilter --shard "$k/5" '' "$A" > "$TMP/f.pcap" || [ "$k" -ne 0 ]
		cmp <(tdl "$TMP/f.pcap") <(tdl "$TMP/s-$k.pcap")
	done
}

@test "pfilter --shards N filters and splits in one pass; --shard applies before -v and --fail" {
	need tcpdump
	pfilter --shards 3 -w "$TMP/t-%d.pcap" tcp "$A"
	for k in 0 1 2; do
		cmp <(tcpdump -tt -nn -r "$TMP/t-$k.pcap" 2>/dev/null) \
		    <(pfilter --shard "$k/3" tcp "$A" | tcpdump -tt -nn -r - 2>/dev/null)
	done
	# The three files hold every TCP packet once (tcpdump counts).
	n=0
	for k in 0 1 2; do n=$((n + $(tcpdump -nn -r "$TMP/t-$k.pcap" 2>/dev/null | wc -l))); done
	[ "$n" -eq "$(tcpdump -nn -r "$A" tcp 2>/dev/null | wc -l)" ]
	# Inside one shard, kept + failed = the shard.
	pfilter --shard 1/3 --fail "$TMP/fail.pcap" -w "$TMP/kept.pcap" tcp "$A"
	k=$(tcpdump -nn -r "$TMP/kept.pcap" 2>/dev/null | wc -l)
	f=$(tcpdump -nn -r "$TMP/fail.pcap" 2>/dev/null | wc -l)
	pcat --shards 3 -w "$TMP/s-%d.pcap" "$A"
	[ $((k + f)) -eq "$(tcpdump -nn -r "$TMP/s-1.pcap" 2>/dev/null | wc -l)" ]
	[ "$(pfilter --shard 1/3 -v -c tcp "$A")" -eq "$f" ]
}

@test "shard options: bad values are usage errors with a message" {
	run pcat --shards 3 "$A"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--shards writes pcap files: give -w PATTERN"* ]]
	run pcat --shards 3 -w "$TMP/out.pcap" "$A"
	[ "$status" -eq 2 ]
	[[ "$output" == *"bad output pattern '$TMP/out.pcap': it needs exactly one %d"* ]]
	run pcat --shards 3 -w "$TMP/%d-%d.pcap" "$A"
	[ "$status" -eq 2 ]
	run pcat --shards 0 -w "$TMP/%d.pcap" "$A"
	[ "$status" -eq 2 ]
	[[ "$output" == *"invalid number of shards '0' (1 to 1024)"* ]]
	run pcat --shards 2 -w "$TMP/nodir/%d.pcap" "$A"
	[ "$status" -eq 2 ]
	[[ "$output" == *"$TMP/nodir/0.pcap: No such file or directory"* ]]
	run pfilter --shard 7/7 '' "$A"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--shard: '7/7': shard K must be below N"* ]]
	run pfilter --shard 1-3 '' "$A"
	[ "$status" -eq 2 ]
	[[ "$output" == *"'1-3' is not K/N"* ]]
	run pfilter --shards 2 -c tcp "$A"
	[ "$status" -eq 2 ]
	run pflows --end-time yesterday "$A"
	[ "$status" -eq 2 ]
}

@test "pcat --shards writes every shard, empty ones as a bare pcap header" {
	pcat --shards 4 -w "$TMP/e-%02d.pcap" "$TD/stats-empty.pcap"
	for k in 00 01 02 03; do
		[ "$(wc -c < "$TMP/e-$k.pcap")" -eq 24 ]
	done
}

@test "testdata: gen_shard reproduces the committed captures" {
	[ -x "$PK_BUILD/gen_shard" ] || skip "gen_shard not built"
	"$PK_BUILD/gen_shard" "$TMP"
	cmp "$TMP/shard-a.pcap" "$A"
	cmp "$TMP/shard-b.pcap" "$B"
}
