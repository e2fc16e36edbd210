#!/usr/bin/env bats
# pstats.bats — pstats against oracles (capinfos, tcpdump) and against the
# hand-derived contents of the synthetic captures (testdata/gen_stats.c).
load helpers

setup() {
	TMP=$(mktemp -d)
}

teardown() {
	rm -rf "$TMP"
}

# Every capture pstats can be compared on: testdata and the corpus.
captures() {
	ls "$TD"/*.pcap "$TD"/*.pcapng
	if [ -d "$CORPUS" ]; then
		find "$CORPUS" -name '*.pcap' -o -name '*.pcapng' | sort
	fi
}

# capinfos's short encapsulation name for a LINKTYPE name as pstats prints it.
encap() {
	case $1 in
	EN10MB) echo ether ;;
	LINUX_SLL) echo linux-sll ;;
	LINUX_SLL2) echo linux-sll2 ;;
	NULL) echo null ;;
	LOOP) echo loop ;;
	RAW) echo rawip ;;
	IPV4) echo rawip4 ;;
	IPV6) echo rawip6 ;;
	ERF) echo erf ;;
	*) echo "$1" ;;
	esac
}

# "1545562209.891237" -> "1545562209891237000" (integer nanoseconds).
to_ns() {
	local s=${1%%.*} f=${1#*.}
	[ "$f" = "$1" ] && f=
	f=$(printf '%-9s' "$f" | tr ' ' 0)
	echo "$s$f" | sed 's/^0*\([0-9]\)/\1/'
}

# Does integer nanoseconds $1 equal capinfos's decimal $2, which is cut to
# the precision of the file's first interface (to_ns pads it with zeros)?
same_time() {
	local frac=${2#*.} cut
	[ "$frac" = "$2" ] && frac=
	cut=$((9 - ${#frac}))
	[ "$cut" -eq 0 ] && { [ "$1" = "$(to_ns "$2")" ]; return; }
	[ "$(echo "$1" | sed "s/[0-9]\{$cut\}\$/$(printf '%0*d' "$cut" 0)/")" = "$(to_ns "$2")" ]
}

# A TSV column of pstats's summary row by name.
col() {
	awk -F'\t' -v name="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i }
	                         NR == 2 { print $c }' "$1"
}

@test "pstats --help and --version" {
	run pstats --help
	[ "$status" -eq 0 ]
	[[ "$output" == Usage:\ pstats* ]]
	[[ "$output" == *--expect* ]]
	run pstats --version
	[ "$status" -eq 0 ]
	[[ "$output" == "pstats (pcapkit) "* ]]
}

@test "pstats: bad usage exits 2 with a message" {
	run pstats --bogus "$TD/stats-mix.pcap"
	[ "$status" -eq 2 ]
	[[ "$output" == *"Try 'pstats --help'"* ]]
	run pstats -i 0s "$TD/stats-mix.pcap"
	[ "$status" -eq 2 ]
	[[ "$output" == "pstats: bad interval '0s'"* ]]
	run pstats --top x "$TD/stats-mix.pcap"
	[ "$status" -eq 2 ]
	run pstats --by flows "$TD/stats-mix.pcap"
	[ "$status" -eq 2 ]
}

@test "pstats: summary equals capinfos on every capture" {
	need capinfos
	n=0
	for f in $(captures); do
		capinfos -T -M -r -S -c -d -u -a -e -l -E "$f" >"$TMP/ci" 2>/dev/null || continue
		pstats --tsv "$f" >"$TMP/ps" 2>/dev/null || continue
		IFS=$'\t' read -r _ cenc csnap _ _ cpk cdata cdur cstart cend <"$TMP/ci"
		pk=$(col "$TMP/ps" packets)
		[ "$pk" = "$cpk" ] || { echo "$f: packets $pk, capinfos $cpk"; return 1; }
		[ "$(col "$TMP/ps" bytes_wire)" = "$cdata" ] || { echo "$f: bytes"; return 1; }
		# snaplen: capinfos says "(not set)" for pcapng, pstats leaves it empty
		snap=$(col "$TMP/ps" snaplen)
		[ "${snap:-(not set)}" = "$csnap" ] || { echo "$f: snaplen $snap vs $csnap"; return 1; }
		lts=$(col "$TMP/ps" linktypes)
		if [ "${lts// /}" != "$lts" ]; then enc=per-packet; else enc=$(encap "$lts"); fi
		[ "$enc" = "$cenc" ] || { echo "$f: encapsulation $enc vs $cenc"; return 1; }
		# capinfos says n/a for times when a packet has none (pcapng SPB), and
		# overflows sub-second fields >= 2^31 (timestamp_invalid_*: there the
		# reader clamps to 2^32-1 ns, a different arbitrary answer)
		if [ "$pk" -gt 0 ] && [ "$cstart" != n/a ] && [[ "$f" != */timestamp_invalid_* ]]; then
			same_time "$(col "$TMP/ps" first_ns)" "$cstart" ||
				{ echo "$f: first $(col "$TMP/ps" first_ns) vs $cstart"; return 1; }
			same_time "$(col "$TMP/ps" last_ns)" "$cend" ||
				{ echo "$f: last $(col "$TMP/ps" last_ns) vs $cend"; return 1; }
			same_time "$(to_ns "$(col "$TMP/ps" duration)")" "$cdur" ||
				{ echo "$f: duration $(col "$TMP/ps" duration) vs $cdur"; return 1; }
		fi
		n=$((n + 1))
	done
	echo "compared $n captures"
	[ "$n" -ge 20 ]
}

@test "pstats: pcapng interface data equals capinfos -I" {
	need capinfos
	need jq
	n=0
	for f in $(captures | grep 'pcapng$'); do
		capinfos -M -I "$f" >"$TMP/ci" 2>/dev/null || continue
		# capinfos numbers interfaces per section; pstats numbers them globally
		! grep -q '^Section 1:' "$TMP/ci" || continue
		pstats --json "$f" >"$TMP/js" 2>/dev/null || continue
		# capinfos: one "Interface #N info:" paragraph with "Key = value" lines
		awk '/Interface #[0-9]+ info:/ { n++ } /=/ && n { sub(/^ +/, ""); print n - 1 "|" $0 }' \
			"$TMP/ci" >"$TMP/cif"
		count=$(jq '.interfaces | length' "$TMP/js")
		[ "$count" -eq "$(grep -c 'Interface #' "$TMP/ci")" ] || { echo "$f: $count interfaces"; return 1; }
		i=0
		while [ "$i" -lt "$count" ]; do
			snap=$(jq ".interfaces[$i].snaplen" "$TMP/js")
			grep -qx "$i|Capture length = $snap" "$TMP/cif" || { echo "$f #$i: snaplen $snap"; return 1; }
			pk=$(jq ".interfaces[$i].packets" "$TMP/js")
			grep -qx "$i|Number of packets = $pk" "$TMP/cif" || { echo "$f #$i: packets $pk"; return 1; }
			lt=$(encap "$(jq -r ".interfaces[$i].linktype_name" "$TMP/js")")
			grep -q "^$i|Encapsulation = .* - $lt)\$" "$TMP/cif" || { echo "$f #$i: linktype $lt"; return 1; }
			for k in name:Name description:Description filter:"Filter string" os:"Operating system"; do
				v=$(jq -r ".interfaces[$i].${k%%:*} // empty" "$TMP/js")
				if [ -n "$v" ]; then
					grep -qxF "$i|${k#*:} = $v" "$TMP/cif" || { echo "$f #$i: ${k%%:*} '$v'"; return 1; }
				else
					! grep -q "^$i|${k#*:} = " "$TMP/cif" || { echo "$f #$i: ${k%%:*} missing"; return 1; }
				fi
			done
			i=$((i + 1))
		done
		n=$((n + 1))
	done
	echo "compared $n pcapng captures"
	[ "$n" -ge 3 ]
}

@test "pstats: protocol counts equal tcpdump's on every capture (VLAN-tagged included)" {
	need tcpdump
	need jq
	n=0
	for f in $(captures); do
		# 1000 VLAN tags before a UDP header: deeper than the 3 tags this
		# oracle looks through (hostile.bats covers that capture)
		case $f in */hostile-*) continue ;; esac
		pstats --json "$f" >"$TMP/js" 2>/dev/null || continue
		tcpdump --count -r "$f" 2>"$TMP/err" >/dev/null || continue
		eth=$(jq '[.linktypes[] | select(.name == "EN10MB")] | length' "$TMP/js")
		for p in tcp:tcp udp:udp icmp:icmp icmp6:icmp6 arp:arp ip:ipv4 ip6:ipv6; do
			want=0
			# tcpdump's "tcp" does not look inside VLAN tags; "vlan and tcp" does,
			# one tag deeper per "vlan": the sum counts each packet once.
			for pre in "" "vlan and " "vlan and vlan and " "vlan and vlan and vlan and "; do
				[ -n "$pre" ] && [ "$eth" -eq 0 ] && break
				c=$(tcpdump --count -r "$f" "$pre${p%%:*}" 2>&1 | awk '/^[0-9]+ packets?$/ { print $1 }')
				want=$((want + ${c:-0}))
			done
			got=$(jq ".protocols.${p#*:}.packets" "$TMP/js")
			[ "$got" = "$want" ] || { echo "$f: ${p#*:} $got, tcpdump $want"; return 1; }
		done
		if [ "$eth" -gt 0 ]; then
			want=$(tcpdump --count -r "$f" vlan 2>&1 | awk '/^[0-9]+ packets?$/ { print $1 }')
			[ "$(jq .protocols.vlan.packets "$TMP/js")" = "$want" ] || { echo "$f: vlan"; return 1; }
		fi
		n=$((n + 1))
	done
	echo "compared $n captures"
	[ "$n" -ge 20 ]
}

@test "pstats: TCP flag counts equal tshark's" {
	need tshark
	need jq
	n=0
	# tshark rather than tcpdump: libpcap's tcp[] does not match IPv6 TCP.
	for f in "$TD"/stats-mix.pcap "$TD"/core-eth-us.pcap "$CORPUS"/tcpdump/ssh.pcap \
	         "$CORPUS"/tcpdump/tcp_rst_data.pcap "$CORPUS"/zeek/wikipedia.pcap; do
		[ -f "$f" ] || continue
		pstats --json "$f" >"$TMP/js"
		for e in "syn:tcp.flags.syn == 1 && tcp.flags.ack == 0" \
		         "synack:tcp.flags.syn == 1 && tcp.flags.ack == 1" \
		         "fin:tcp.flags.fin == 1" "rst:tcp.flags.reset == 1"; do
			want=$(tshark -r "$f" -Y "${e#*:}" 2>/dev/null | wc -l)
			got=$(jq ".tcp.${e%%:*}" "$TMP/js")
			[ "$got" = "$want" ] || { echo "$f: ${e%%:*} $got, tshark $want"; return 1; }
		done
		n=$((n + 1))
	done
	[ "$n" -ge 2 ]
}

@test "pstats hierarchy: the IP version under MPLS and PPPoE is a layer (eth.mpls.ipv4.udp), counts as tcpdump's filters" {
	need jq
	need tcpdump
	f=$TD/filter/filter-eth.pcap
	pstats --json "$f" >"$TMP/js"
	count() { jq -r --arg p "$1" '[.hierarchy[] | select(.path == $p) | .packets] | add // 0' "$TMP/js"; }
	oracle() { tcpdump -nn -r "$f" "$1" 2>/dev/null | wc -l; }
	# libpcap's mpls/pppoes shift the offsets of what follows; ip checks
	# the bottom-of-stack label, so 'mpls and ip' is the one-label case.
	[ "$(count eth.mpls.ipv4)" -eq "$(oracle 'mpls and ip')" ]
	[ "$(count eth.mpls.ipv6)" -eq "$(oracle 'mpls and mpls and ip6')" ]
	[ "$(count eth.pppoes.ipv4)" -eq "$(oracle 'pppoes and ip')" ]
	[ "$(count eth.pppoes.ipv6)" -eq "$(oracle 'pppoes and ip6')" ]
	[ "$(count eth.vlan.mpls.ipv4.udp)" -eq "$(oracle 'vlan and mpls and udp')" ]
	[ "$(count eth.pppoes.ipv6.tcp)" -eq 1 ]
	[ "$(count eth.pppoed)" -eq "$(oracle 'pppoed')" ]
	# No transport layer straight under a shim any more.
	run jq -r '.hierarchy[].path' "$TMP/js"
	! echo "$output" | grep -Eq '(mpls|pppoes)\.(tcp|udp)' || return 1
	# --merge reads the new names back (its order is its own; counts exact).
	pstats --merge "$TMP/js" --json >"$TMP/m"
	[ "$(jq -c '.hierarchy | sort_by(.path)' "$TMP/m")" = "$(jq -c '.hierarchy | sort_by(.path)' "$TMP/js")" ]
}

@test "pstats: the mix's counts match their derivation in gen_stats.c" {
	need jq
	pstats --json "$TD/stats-mix.pcap" >"$TMP/js"
	run jq -r '[.packets, .protocols.eth.packets, .protocols.vlan.packets,
	            .protocols.arp.packets, .protocols.ipv4.packets, .protocols.ipv6.packets,
	            .protocols.tcp.packets, .protocols.udp.packets, .protocols.icmp.packets,
	            .protocols.icmp6.packets, .protocols.frag.packets, .protocols.other.packets,
	            .tcp.syn, .tcp.synack, .tcp.fin, .tcp.rst] | map(tostring) | join(" ")' "$TMP/js"
	[ "$output" = "22 22 1 1 17 3 10 6 2 1 2 1 3 1 2 1" ]
	# The decoder's hierarchy follows the hop-by-hop header to TCP.
	run jq -r '.hierarchy[] | "\(.path) \(.packets)"' "$TMP/js"
	[[ "$output" == *"eth.ipv6.hopopts.tcp 1"* ]]
	[[ "$output" == *"eth.vlan.ipv4.udp 1"* ]]
	[[ "$output" == *"eth.ipv4.frag 1"* ]]
	[[ "$output" == *"eth.ethertype 0x88b5 1"* ]]   # other EtherTypes by number
	[[ "$output" == *"eth.arp 1"* ]]
	[[ "$output" == "eth 22"* ]]
	# 10.0.0.1 is in p0-p13 except none, p19, p20: 16 packets; the busiest.
	run jq -r '.top.addresses[0] | "\(.addr) \(.packets)"' "$TMP/js"
	[ "$output" = "10.0.0.1 16" ]
	run jq -r '.top.ports[0] | "\(.proto)/\(.port) \(.packets)"' "$TMP/js"
	[ "$output" = "tcp/80 8" ]
	[ "$(jq '.quality.issues' "$TMP/js")" = 0 ]
	[ "$(jq -r '.quality.verdict' "$TMP/js")" = good ]
}

@test "pstats: packet sizes use tshark's plen buckets" {
	need jq
	# stats-oversnap: four 100-byte packets on the wire -> bucket 80-159.
	pstats --json "$TD/stats-oversnap.pcap" >"$TMP/js"
	run jq -c '[.sizes[] | select(.packets > 0) | [.min, .max, .packets]]' "$TMP/js"
	[ "$output" = "[[80,159,4]]" ]
}

@test "pstats: packet sizes equal tshark -z plen,tree" {
	need tshark
	need jq
	f=$TD/stats-mix.pcap
	pstats --json "$f" >"$TMP/js"
	tshark -r "$f" -q -z plen,tree >"$TMP/ts" 2>/dev/null
	for b in "0-19" "20-39" "40-79" "80-159" "160-319" "320-639" "640-1279" "1280-2559" "2560-5119"; do
		want=$(awk -v b="$b" '$1 == b { print $2 }' "$TMP/ts")
		got=$(jq ".sizes[] | select(.min == ${b%-*}) | .packets" "$TMP/js")
		[ "$got" = "${want:-0}" ] || { echo "$b: $got vs tshark ${want:-0}"; return 1; }
	done
}

@test "pstats -i 1s: time series buckets" {
	need jq
	pstats --json -i 1s "$TD/stats-mix.pcap" >"$TMP/js"
	# [0,1): p0-p4, [1,2): p5-p11, [2,3): p12-p21 (gen_stats.c)
	[ "$(jq -c .series.packets "$TMP/js")" = "[5,7,10]" ]
	[ "$(jq .series.start_ns "$TMP/js")" = 1714564800000000000 ]
	pstats --json -i 500ms "$TD/stats-mix.pcap" >"$TMP/js"
	# 0-0.5: 5; 0.5-1: 0; 1-1.5: 5 (p5-p9); 1.5-2: 2; 2-2.5: 5 (p12-p16); 2.5-3: 5
	[ "$(jq -c .series.packets "$TMP/js")" = "[5,0,5,2,5,5]" ]
	run pstats -i 1s --ascii "$TD/stats-mix.pcap"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Time series (1 s buckets, 3 buckets)"* ]]
	[[ "$output" == *"##"* ]]
	run pstats -i 1s "$TD/stats-mix.pcap"
	[[ "$output" == *"█"* ]]
}

@test "pstats: default report for people" {
	run pstats "$TD/stats-mix.pcap"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "File:"*"stats-mix.pcap" ]]
	[[ "$output" == *"Packets:"*" 22"* ]]
	[[ "$output" == *"First packet:"*"2024-05-01 12:00:00.000000"* ]]
	[[ "$output" == *"Duration:"*"2.900000 s"* ]]
	[[ "$output" == *"Quality: good"* ]]
	[[ "$output" == *"TCP: 3 SYN, 1 SYN-ACK, 2 FIN, 1 RST"* ]]
	[[ "$output" == *"      tcp"* ]]
}

@test "pstats --csv and --tsv: one header, one row per input" {
	run pstats --csv "$TD/stats-mix.pcap" "$TD/stats-dup.pcap"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ]
	[[ "${lines[0]}" == "file,format,linktypes,snaplen,packets,"* ]]
	[[ "${lines[1]}" == *"stats-mix.pcap,pcap,EN10MB,65535,22,"* ]]
	[[ "${lines[2]}" == *"stats-dup.pcap,pcap,EN10MB,65535,15,"* ]]
	run pstats --tsv "$TD/stats-mix.pcap"
	[[ "${lines[1]}" == *$'\tpcap\tEN10MB\t65535\t22\t'* ]]
}

@test "pstats --total: one report for all inputs" {
	need jq
	run pstats --total --json "$TD/stats-mix.pcap" "$TD/stats-dup.pcap"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	[ "$(echo "$output" | jq .packets)" = 37 ]
	[ "$(echo "$output" | jq .files)" = 2 ]
	[ "$(echo "$output" | jq -r .file)" = total ]
}

@test "pstats reads standard input" {
	need jq
	run sh -c "pstats --json < '$TD/stats-mix.pcap'"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -r .file)" = "-" ]
	[ "$(echo "$output" | jq .packets)" = 22 ]
	run sh -c "cat '$TD/stats-mix.pcap' | pstats --json -"
	[ "$(echo "$output" | jq .file_size)" = null ]
	[ "$(echo "$output" | jq .packets)" = 22 ]
}

@test "pstats --json: valid JSON for every capture, with the documented fields" {
	need jq
	for f in $(captures); do
		pstats --json "$f" >"$TMP/js" 2>/dev/null || true   # damaged inputs exit 2
		[ -s "$TMP/js" ] || continue                           # could not be opened
		[ "$(wc -l <"$TMP/js")" -eq 1 ] || { echo "$f: not one line"; return 1; }
		jq -e '.version == 1 and (.file|type) == "string" and (.packets|type) == "number"
		       and (.protocols.tcp.packets|type) == "number" and (.quality|type) == "object"
		       and (.tcp.rst|type) == "number" and has("first_ns") and has("duration")
		       and has("snaplen") and (.linktypes|type) == "array"' "$TMP/js" >/dev/null ||
			{ echo "$f: bad JSON"; cat "$TMP/js"; return 1; }
	done
}

# ---- quality findings: one synthetic capture each ----------------------------

@test "quality: time going backwards" {
	need jq
	pstats --json "$TD/stats-backwards.pcap" >"$TMP/js"
	[ "$(jq .quality.time_backwards "$TMP/js")" = 2 ]
	[ "$(jq -r .quality.time_backwards_max "$TMP/js")" = 1.5 ]
	# first/last are the earliest and latest times, as capinfos reports them
	[ "$(jq .duration "$TMP/js")" = 2.5 ]
	run pstats --expect 'quality.time_backwards == 0' "$TD/stats-backwards.pcap"
	[ "$status" -eq 1 ]
	[[ "$output" == *"pstats: $TD/stats-backwards.pcap: expectation failed: quality.time_backwards == 0 (quality.time_backwards is 2)" ]]
}

@test "quality: equal-timestamp runs" {
	need jq
	pstats --json "$TD/stats-equal.pcap" >"$TMP/js"
	[ "$(jq .quality.equal_time_runs "$TMP/js")" = 2 ]
	[ "$(jq .quality.equal_time_max "$TMP/js")" = 3 ]
	run pstats -q --expect 'quality.equal_time_runs == 0' "$TD/stats-equal.pcap"
	[ "$status" -eq 1 ]
	[ "$output" = "pstats: $TD/stats-equal.pcap: expectation failed: quality.equal_time_runs == 0 (quality.equal_time_runs is 2)" ]
}

@test "quality: duplicate packets within the window" {
	need jq
	[ "$(pstats --json "$TD/stats-dup.pcap" | jq .quality.duplicates)" = 2 ]
	run pstats -q --expect 'quality.duplicates == 0' "$TD/stats-dup.pcap"
	[ "$status" -eq 1 ]
	[[ "$output" == *"(quality.duplicates is 2)" ]]
}

@test "quality: caplen greater than snaplen" {
	need jq
	[ "$(pstats --json "$TD/stats-oversnap.pcap" | jq .quality.caplen_over_snaplen)" = 3 ]
	[ "$(pstats --json "$TD/core-overcap.pcap" | jq '.quality.caplen_over_snaplen > 0')" = true ]
	run pstats -q --expect 'quality.caplen_over_snaplen == 0' "$TD/stats-oversnap.pcap"
	[ "$status" -eq 1 ]
	[[ "$output" == *"(quality.caplen_over_snaplen is 3)"* ]]
}

@test "quality: pcapng interface-statistics drops" {
	need jq
	pstats --json "$TD/stats-drops.pcapng" >"$TMP/js"
	[ "$(jq .quality.drops "$TMP/js")" = 7 ]
	[ "$(jq .quality.drops_known "$TMP/js")" = true ]
	[ "$(jq .interfaces[0].drops "$TMP/js")" = 7 ]
	[ "$(pstats --json "$TD/stats-mix.pcap" | jq .quality.drops_known)" = false ]
	run pstats -q --expect 'quality.drops == 0' "$TD/stats-drops.pcapng"
	[ "$status" -eq 1 ]
	[[ "$output" == *"(quality.drops is 7)" ]]
}

@test "quality: damaged tail, partial report, exit 2" {
	need jq
	run sh -c "pstats --json '$TD/stats-cut.pcap' 2>'$TMP/err'"
	[ "$status" -eq 2 ]
	echo "$output" >"$TMP/js"
	[ "$(jq .partial "$TMP/js")" = true ]
	[ "$(jq .packets "$TMP/js")" = 3 ]
	# 24-byte header + 3 x (16 + 60) = 252; 16-byte header + 50 bytes = 66
	[ "$(jq .quality.damaged_tail "$TMP/js")" = true ]
	[ "$(jq .quality.damaged_tail_offset "$TMP/js")" = 252 ]
	[ "$(jq .quality.damaged_tail_bytes "$TMP/js")" = 66 ]
	grep -q "^pstats: $TD/stats-cut.pcap: record 4 at offset 252 is cut short" "$TMP/err"
	run pstats "$TD/stats-cut.pcap"
	[ "$status" -eq 2 ]
	[[ "${lines[0]}" == *"(partial: input damaged)" ]]
	run pstats -q --expect 'quality.damaged_tail == 0' "$TD/stats-cut.pcap"
	[ "$status" -eq 2 ]
	[[ "$output" == *"expectation failed: quality.damaged_tail == 0 (quality.damaged_tail is 1)"* ]]
}

@test "quality: TCP bytes ACKed but never seen" {
	need jq
	pstats --json "$TD/stats-unseen.pcap" >"$TMP/js"
	# 100-byte gap + 2000 bytes of a one-sided connection (gen_stats.c)
	[ "$(jq .quality.acked_unseen "$TMP/js")" = 2100 ]
	[ "$(jq .quality.acked_unseen_conns "$TMP/js")" = 2 ]
	[ "$(pstats --json "$TD/stats-mix.pcap" | jq .quality.acked_unseen)" = 0 ]
	run pstats -q --expect 'quality.acked_unseen == 0' "$TD/stats-unseen.pcap"
	[ "$status" -eq 1 ]
	[[ "$output" == *"(quality.acked_unseen is 2100)" ]]
}

# ---- --expect -------------------------------------------------------------

@test "--expect: all hold -> exit 0, report still printed" {
	run pstats --expect 'packets > 0' --expect 'tcp.rst == 1' \
		--expect 'quality.time_backwards == 0' --expect 'duration < 60' \
		--expect 'protocols.udp.packets >= 6 and bytes_wire < 10k' "$TD/stats-mix.pcap"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == File:* ]]
}

@test "--expect: packets > 0 fails on an empty capture" {
	run pstats -q --expect 'packets > 0' "$TD/stats-empty.pcap"
	[ "$status" -eq 1 ]
	[ "$output" = "pstats: $TD/stats-empty.pcap: expectation failed: packets > 0 (packets is 0)" ]
}

@test "--expect: tcp.rst == 0 fails, every failure is printed" {
	run pstats -q --expect 'tcp.rst == 0' --expect 'duration < 1s' --expect 'packets == 22' \
		"$TD/stats-mix.pcap"
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 2 ]
	[ "${lines[0]}" = "pstats: $TD/stats-mix.pcap: expectation failed: tcp.rst == 0 (tcp.rst is 1)" ]
	[ "${lines[1]}" = "pstats: $TD/stats-mix.pcap: expectation failed: duration < 1s (duration is 2.9)" ]
}

@test "--expect: checked per input, and on the total with --total" {
	run pstats -q --expect 'packets > 20' "$TD/stats-mix.pcap" "$TD/stats-dup.pcap"
	[ "$status" -eq 1 ]
	[ "$output" = "pstats: $TD/stats-dup.pcap: expectation failed: packets > 20 (packets is 15)" ]
	run pstats -q --total --expect 'packets > 20' "$TD/stats-mix.pcap" "$TD/stats-dup.pcap"
	[ "$status" -eq 0 ]
}

@test "--expect: a bad expression exits 2 with a caret" {
	run pstats --expect 'packets >> 0' "$TD/stats-mix.pcap"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "pstats: bad expectation: unexpected '>' (column 10)" ]
	[ "${lines[1]}" = "  packets >> 0" ]
	[ "${lines[2]}" = "           ^" ]
	run pstats --expect 'tcp.rsts == 0' "$TD/stats-mix.pcap"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "pstats: bad expectation: unknown field 'tcp.rsts' (column 1)" ]
}

# ---- errors ------------------------------------------------------------------

@test "pstats: an unreadable input is reported, the next one still runs" {
	run pstats --csv "$TMP/nosuch.pcap" "$TD/stats-mix.pcap"
	[ "$status" -eq 2 ]
	[[ "$output" == *"pstats: $TMP/nosuch.pcap: "* ]]
	[[ "$output" == *"stats-mix.pcap,pcap,EN10MB"* ]]
	run pstats "$TD/bad-magic.pcap"
	[ "$status" -eq 2 ]
	[ "$output" = "pstats: $TD/bad-magic.pcap: not a pcap or pcapng file: unknown magic 0x12345678 at offset 0" ]
}

@test "pstats: a write error exits 2" {
	[ -w /dev/full ] || skip "no /dev/full"
	run sh -c "pstats '$TD/stats-mix.pcap' > /dev/full"
	[ "$status" -eq 2 ]
	[[ "$output" == *"write error"* ]]
}

@test "testdata: gen_stats reproduces the committed captures" {
	[ -x "$PK_BUILD/gen_stats" ] || skip "gen_stats not built"
	"$PK_BUILD/gen_stats" "$TMP"
	for f in "$TMP"/stats-*; do
		cmp "$f" "$TD/$(basename "$f")"
	done
}
