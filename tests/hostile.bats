#!/usr/bin/env bats
# hostile.bats — packets whose lengths lie (testdata/gen_hostile.c) through
# every tool and every output mode: each run ends in bounded time with
# status 0 and no message (the capture itself is well formed), one text
# line per packet, and pfilter's decisions equal tcpdump's.  Under `make
# sanitize` the same runs prove that no tool reads past caplen.
load helpers

H=hostile-packets.pcap

setup() {
	TMP=$(mktemp -d)
	F=$TD/$H
}

teardown() {
	rm -rf "$TMP"
}

# Run "$@" with a time bound; stdout to $TMP/out, stderr to $TMP/err.
bounded() {
	timeout 60 "$@" >"$TMP/out" 2>"$TMP/err" && status=0 || status=$?
	if [ "$status" -ne 0 ] || [ -s "$TMP/err" ]; then
		echo "$*: status $status"
		head -c 2000 "$TMP/err"
	fi
}

@test "hostile: tcpdump reads the capture whole (the file itself is sound)" {
	need tcpdump
	run sh -c 'tcpdump -nr "$1" 2>&1 >/dev/null' sh "$F"
	[ "$status" -eq 0 ]
	# gen_hostile.c writes 48 records: 12 IPv4, 11 TCP/UDP, 6 IPv6,
	# 6 nesting, 4 ICMP-in-ICMP, 3 DNS, 5 tiny, 1 two-byte ICMP.
	[ "$(tcpdump -nr "$F" 2>/dev/null | wc -l)" -eq 48 ]
}

@test "hostile: pcat prints one line per packet with every text flag" {
	for flags in "-t" "-t -e" "-t -v" "-t -vv" "-t -vvv -e" "-t -x" "-t -xx" "-t -X" "-t -XX -S" \
	             "-tt" "-ttt" "-tttt -q" "-ttttt --nano" "-t -q -e -S"; do
		# shellcheck disable=SC2086
		bounded pcat $flags "$F"
		[ "$status" -eq 0 ]
		[ ! -s "$TMP/err" ]
		case $flags in
		*x*|*X*|*v*) [ "$(grep -c '^[0-9[]' "$TMP/out")" -ge 48 ] ;;   # hex/-v add lines
		*) [ "$(wc -l <"$TMP/out")" -eq 48 ] ;;
		esac
	done
}

@test "hostile: a two-byte ICMP message with -v prints as tcpdump's (checksum field past the snap end)" {
	need tcpdump
	# The last record (gen_hostile.c short_icmp, from a fuzz_decode finding):
	# with -v the ICMP checksum is checked and its field lies past the end.
	bounded pcat -t -v "$F"
	[ "$status" -eq 0 ]
	want=$(tcpdump -n -v -r "$F" 2>/dev/null | tail -n 2)
	got=$(tail -n 2 "$TMP/out")
	echo "want: $want"; echo "got:  $got"
	[ "$got" = "$want" ]
	[[ "$got" == *"ICMP type-#64, length 2 [|icmp]" ]]
}

@test "hostile: pcat passes every record through untouched" {
	bounded pcat "$F"
	[ "$status" -eq 0 ]
	# Same records after the 24-byte header (the header is rewritten).
	cmp <(tail -c +25 "$F") <(tail -c +25 "$TMP/out")
}

@test "hostile: pfilter decides as tcpdump for 24 expressions" {
	need tcpdump
	local e a b bad=0
	while IFS= read -r e; do
		[ -n "$e" ] || continue
		timeout 60 pfilter -c "$e" "$F" >"$TMP/c" 2>"$TMP/err" || true
		a=$(cat "$TMP/c")
		b=$(tcpdump -nr "$F" "$e" 2>/dev/null | wc -l)
		if [ "$a" != "$b" ] || [ -s "$TMP/err" ]; then
			echo "'$e': pfilter $a, tcpdump $b; $(cat "$TMP/err")"
			bad=1
		fi
	done <<'EOF'
ip
ip6
tcp
udp
icmp
icmp6
vlan
vlan and udp
vlan 1 and vlan 2 and vlan 3
mpls
mpls and mpls and mpls and ip
ip proto 4
ip6 protochain 17
ip6 protochain 58
icmp[icmptype] = icmp-unreach
tcp[tcpflags] & tcp-syn != 0
tcp[12] >> 4 < 5
ip[0] & 0xf < 5
ip[2:2] > len
udp port 53
port 53 or port 80
len < 20
greater 1000
ip[6:2] & 0x1fff != 0
EOF
	[ "$bad" -eq 0 ]
}

@test "hostile: pfilter -w keeps the records as read" {
	need tcpdump
	bounded pfilter -w "$TMP/o.pcap" 'ip or not ip' "$F"
	[ "$status" -eq 0 ]
	cmp <(tail -c +25 "$F") <(tail -c +25 "$TMP/o.pcap")
}

@test "hostile: pflows in every format" {
	for fmt in "" --json --conn-log --csv --stream "--json --stream" "--zeek --json" \
	           "--validate-checksums" "--no-vlan" "--max-flows 2 --json"; do
		# shellcheck disable=SC2086
		bounded pflows $fmt "$F"
		[ "$status" -eq 0 ]
		[ ! -s "$TMP/err" ]
		[ -s "$TMP/out" ]
	done
	# JSON: one object per line
	bounded pflows --json "$F"
	! grep -v '^{.*}$' "$TMP/out"
}

@test "hostile: pstats counts every packet in every format" {
	need tcpdump
	for fmt in "" --json --csv --tsv "-i 100ms" "--ascii -i 1s" "--top 0" "--by bytes --json"; do
		# shellcheck disable=SC2086
		bounded pstats $fmt "$F"
		[ "$status" -eq 0 ]
		[ ! -s "$TMP/err" ]
	done
	bounded pstats --json "$F"
	grep -q '"packets":48,' "$TMP/out"
	run pstats -q -e 'packets == 48' "$F"
	[ "$status" -eq 0 ]
}

@test "hostile: the pipeline pcat | pfilter | pflows" {
	run sh -c 'pcat "$1" | pfilter "ip or ip6" | pflows --json >/dev/null' sh "$F"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "testdata: gen_hostile reproduces the committed capture" {
	[ -x "$PK_BUILD/gen_hostile" ] || skip "gen_hostile not built"
	"$PK_BUILD/gen_hostile" "$TMP"
	cmp "$TMP/$H" "$F"
}
