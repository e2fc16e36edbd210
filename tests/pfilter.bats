#!/usr/bin/env bats
# pfilter.bats — pfilter as a whole command: options, output, exit status, errors.
load helpers

F=$PK_TOP/testdata/filter/filter-eth.pcap
C=$PK_TOP/testdata/core-eth-us.pcap

setup() { TMP=$(mktemp -d); }
teardown() { rm -rf "$TMP"; }

# Records after the 24-byte global header.
records() { tail -c +25 "$1"; }

@test "--help and --version exit 0 on stdout" {
	run pfilter --help
	[ "$status" -eq 0 ]
	[[ ${lines[0]} == "Usage: pfilter [options] EXPRESSION [file ...]" ]]
	run pfilter --version
	[ "$status" -eq 0 ]
	[[ $output == "pfilter (pcapkit) "* ]]
}

@test "kept records are tcpdump's, byte for byte" {
	need tcpdump
	for e in 'tcp port 80' 'udp or icmp' 'vlan and ip6' 'ip6 protochain 17'; do
		pfilter "$e" "$F" > "$TMP/a.pcap" || true
		tcpdump -r "$F" -w "$TMP/b.pcap" -- "$e" 2>/dev/null
		cmp <(records "$TMP/a.pcap") <(records "$TMP/b.pcap") || { echo "differs: $e"; false; }
	done
}

@test "-c counts as tcpdump does; -v counts the rest" {
	need tcpdump
	total=$(tcpdump -r "$F" 2>/dev/null | grep -c '^[0-9]')
	want=$(tcpdump -r "$F" -- 'ip and not tcp' 2>/dev/null | grep -c '^[0-9]')
	run pfilter -c 'ip and not tcp' "$F"
	[ "$status" -eq 0 ]
	[ "$output" = "$want" ]
	run pfilter -v -c 'ip and not tcp' "$F"
	[ "$output" = "$((total - want))" ]
	run pfilter --invert --count 'ip and not tcp' "$F"
	[ "$output" = "$((total - want))" ]
}

@test "exit status: 0 some kept, 1 none kept (still a valid empty stream)" {
	run pfilter -q tcp "$C"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run pfilter -q 'port 9999' "$C"
	[ "$status" -eq 1 ]
	pfilter 'port 9999' "$C" > "$TMP/o.pcap" && false || [ $? -eq 1 ]
	[ "$(wc -c < "$TMP/o.pcap")" -eq 24 ]
	run pfilter -c 'port 9999' "$C"
	[ "$status" -eq 1 ]
	[ "$output" = 0 ]
}

@test "-w FILE and --fail FILE split the input in one pass" {
	pfilter -w "$TMP/yes.pcap" --fail "$TMP/no.pcap" udp "$C"
	a=$(pcat -t "$TMP/yes.pcap" | wc -l)
	b=$(pcat -t "$TMP/no.pcap" | wc -l)
	n=$(pcat -t "$C" | wc -l)
	[ "$a" -gt 0 ] && [ "$b" -gt 0 ]
	[ $((a + b)) -eq "$n" ]
	[ "$(pfilter -c udp "$TMP/no.pcap" || true)" = 0 ]
}

@test "-d, -dd, -ddd print tcpdump's program for the input's link type" {
	need tcpdump
	for lt in core-eth-us core-sll core-raw core-null core-loop; do
		for d in -d -dd -ddd; do
			a=$(pfilter $d 'tcp port 80 or icmp6' "$TD/$lt.pcap")
			b=$(tcpdump $d -r "$TD/$lt.pcap" 'tcp port 80 or icmp6' 2>/dev/null)
			[ "$a" = "$b" ] || { echo "$lt $d"; false; }
		done
	done
	[ "$(pfilter -O -d 'tcp[13] = 2 or tcp' "$C")" = "$(tcpdump -O -d -r "$C" 'tcp[13] = 2 or tcp' 2>/dev/null)" ]
}

@test "the expression may be several words, from -r or standard input" {
	want=$(pfilter -c 'tcp and port 80' "$C")
	[ "$(pfilter -c -r "$C" tcp and port 80)" = "$want" ]
	[ "$(pfilter -c tcp and port 80 < "$C")" = "$want" ]
	[ "$(pcat "$C" | pfilter -c 'tcp and port 80' -)" = "$want" ]
}

@test "-F reads the expression from a file, '#' comments ignored" {
	printf 'tcp   # the protocol\nand port 80\n' > "$TMP/e"
	[ "$(pfilter -c -F "$TMP/e" "$C")" = "$(pfilter -c 'tcp and port 80' "$C")" ]
	run pfilter -F "$TMP/missing" "$C"
	[ "$status" -eq 2 ]
}

@test "an expression starting with '-' after --" {
	run pfilter -c -- '-1 = 0xffffffff' "$C"
	[ "$status" -eq 0 ]
	[ "$output" = 16 ]
}

@test "syntax error: message, expression, caret, exit 2, nothing written" {
	run pfilter 'tcp udp' "$C"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "pfilter: can't parse filter expression: syntax error" ]
	[ "${lines[1]}" = "  tcp udp" ]
	[ "${lines[2]}" = "      ^~~" ]
}

@test "every class of compile error exits 2 with libpcap's meaning" {
	while IFS='|' read -r e msg; do
		run pfilter "$e" "$C"
		[ "$status" -eq 2 ] || { echo "status $status for: $e"; false; }
		[[ ${lines[0]} == "pfilter: $msg" ]] || { echo "$e -> ${lines[0]}"; false; }
	done <<'T'
tcp or 80|syntax error in filter expression
port 080|number 080 contains non-octal digit
port 99999999999|number 99999999999 overflows 32 bits
host 256.1.1.1|invalid IPv4 address '256.1.1.1'
1:2:3:4:5|bogus ethernet address 1:2:3:4:
host ::ffff:999.1.1.1|bogus IPv6 address ::ffff:999.1.1.1
host foo|unknown host 'foo'
net foo|unknown network 'foo'
ether host foo|unknown ether host 'foo'
net 10.0.0.1/8|non-network bits set in "10.0.0.1/8"
net 10.0.0.1 mask 255.0.0.0|non-network bits set in "10.0.0.1 mask 255.0.0.0"
net 10.0.0.0/33|mask length must be <= 32
host 10.0.0.0/8|Mask syntax for networks only
tcp src 80|'tcp' modifier applied to host
ip6 host 1.2.3.4|'ip6' modifier applied to ip host
ip host ::1|'ip' modifier applied to ip6 host
ether net 10.0.0.0/8|link-layer modifier applied to net
ether host 10|illegal link layer address
host 01:02:03:04:05:06|ethernet address used in non-ether expression
port 1.2.3.4|'port' modifier applied to ip host
ip port 80|illegal qualifier of 'port'
port 70000|illegal port number 70000 > 65535
port foo|unknown port 'foo'
port 80-90|unknown port '80-90'
udp port http|port 'http' is tcp
tcp port ntp|port 'ntp' is udp
portrange foo|unknown port in range 'foo'
ip proto foo|unknown ip proto 'foo'
ether proto foo|unknown ether proto 'foo'
tcp proto 6|'tcp proto' is bogus
arp proto 1|arp does not encapsulate another protocol
ip[0:3] = 1|data size must be 1, 2, or 4
ip[0] / 0 = 1|division by zero
ip[0] % 0 = 1|modulus by zero
ip[0] << 32 = 1|shift by more than 31 bits
ip[0] / (1 - 1) = 0|division by zero
vlan 5000|VLAN tag 5000 greater than maximum 4095
mpls 2000000|MPLS label 2000000 greater than maximum 1048575
inbound|inbound/outbound not supported on Ethernet when reading savefiles
gateway foo|'gateway' not supported in this configuration
gateway 1.2.3.4|'gateway' requires a name
tcp broadcast|only link-layer/IP broadcast filters supported
tcp multicast|link-layer multicast filters supported only on ethernet/FDDI/token ring/ARCNET/802.11/ATM LANE/Fibre Channel
radio[0] = 1|radio information not present in capture
len-14 > 1|can't parse filter expression: syntax error
llc foo|unknown LLC type name "foo"
T
}

@test "link-type errors name the link type" {
	run pfilter vlan "$TD/core-sll.pcap"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "pfilter: no VLAN support for Linux cooked v1" ]
	run pfilter 'ether host 1:2:3:4:5:6' "$TD/core-raw.pcap"
	[ "$status" -eq 2 ]
	[[ ${lines[0]} == "pfilter: ethernet addresses supported only on"* ]]
	run pfilter llc "$TD/core-sll.pcap"
	[ "${lines[0]}" = "pfilter: 'llc' not supported for Linux cooked v1" ]
	run pfilter -c outbound "$TD/core-sll2.pcap"
	[ "$status" -eq 1 ]
}

@test "an expression that rejects all packets warns and keeps nothing (exit 1)" {
	run pfilter -c 'ip and ip6' "$C"
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "pfilter: warning: expression rejects all packets" ]
	[ "${lines[1]}" = 0 ]
	run pfilter -c arp "$TD/core-raw.pcap"
	[ "$status" -eq 1 ]
	run pfilter -v -c 'ip and ip6' "$C"
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = 16 ]
}

@test "an empty expression keeps everything" {
	run pfilter -c '' "$C"
	[ "$status" -eq 0 ]
	[ "$output" = 16 ]
}

@test "damaged input: the packets before the fault are written, then exit 2" {
	pfilter ip "$TD/bad-cut.pcap" > "$TMP/o.pcap" 2> "$TMP/err" && false || [ $? -eq 2 ]
	[ "$(pcat -t "$TMP/o.pcap" | wc -l)" -eq 3 ]
	grep -q 'bad-cut.pcap' "$TMP/err"
	run pfilter -c ip "$TD/bad-cut.pcap"
	[ "$status" -eq 2 ]
	[ "${lines[${#lines[@]}-1]}" = 3 ]
}

@test "unreadable input and bad usage exit 2" {
	run pfilter tcp "$TMP/nonexistent.pcap"
	[ "$status" -eq 2 ]
	run pfilter
	[ "$status" -eq 2 ]
	run pfilter --bogus tcp "$C"
	[ "$status" -eq 2 ]
}

@test "-t writes tcpdump's text for the kept packets" {
	need tcpdump
	a=$(pfilter -t 'udp' "$C")
	b=$(tcpdump -nn -r "$C" udp 2>/dev/null)
	[ "$a" = "$b" ]
}

@test "100,000 nested parentheses or terms: a clear error, fast" {
	python3 -c "print('(' * 100000 + 'tcp' + ')' * 100000)" > "$TMP/deep" || skip "no python3"
	run timeout 10 pfilter -F "$TMP/deep" "$C"
	[ "$status" -eq 2 ]
	[[ ${lines[0]} == *"nested too deeply"* ]]
	python3 -c "print(' or '.join('port %d' % i for i in range(100000)))" > "$TMP/wide"
	run timeout 20 pfilter -F "$TMP/wide" "$C"
	[ "$status" -eq 2 ]
	[[ ${lines[0]} == *"too complex"* ]]
}

@test "NULL link type: the family is compared in the file's byte order" {
	need tcpdump
	for f in filter-null.pcap filter-null-be.pcap; do
		[ "$(pfilter -c ip6 "$TD/filter/$f")" = "$(tcpdump -r "$TD/filter/$f" ip6 2>/dev/null | grep -c '^[0-9]')" ]
	done
}

@test "pipeline: pcat | pfilter | pfilter equals one combined filter" {
	a=$(pcat "$F" | pfilter 'ip' | pfilter -c 'udp')
	b=$(pfilter -c 'ip and udp' "$F")
	[ "$a" = "$b" ]
}
