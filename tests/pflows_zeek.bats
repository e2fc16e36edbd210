#!/usr/bin/env bats
# pflows_zeek.bats — pflows --zeek --json against Zeek's own conn.log
# baselines for the traces in ../shared/corpus/zeek (see its MANIFEST.md).
# Per trace, the options mirror how Zeek ran: checksums validated unless
# the test used -C, and the likely server ports of the scripts it loaded
# (bare mode "-b" registers only the loaded analyzers' ports; full mode
# uses pflows' built-in list).  Compared fields: 5-tuple, proto, duration,
# orig/resp bytes, conn_state, missed_bytes, history, pkts, ip_bytes.
load helpers
load pflows_zeek

Z=$CORPUS/zeek
E=$CORPUS/zeek/expected
HTTP_PORTS=80,81,631,1080,3128,8000,8080,8888/tcp

setup() { need_corpus; need jq; }

@test "zeek: tcp/missing-syn (^h flip, SF)" {
	run zcmp "$Z/tcp/missing-syn.pcap" "$E/tcp/missing-syn.conn.log" --server-ports $HTTP_PORTS
	echo "$output"; [ "$status" -eq 0 ]
}
@test "zeek: tcp/miss_end_data (missed_bytes, g)" {
	run zcmp "$Z/tcp/miss_end_data.pcap" "$E/tcp/miss_end_data.conn.log" --validate-checksums --server-ports $HTTP_PORTS
	echo "$output"; [ "$status" -eq 0 ]
}
@test "zeek: tcp/retransmit-fast009 (G/g, t, RSTO)" {
	run zcmp "$Z/tcp/retransmit-fast009.pcap" "$E/tcp/retransmit-fast009.conn.log"
	echo "$output"; [ "$status" -eq 0 ]
}
@test "zeek: tcp/retransmit-timeout (pcapng, 5 min inactivity split)" {
	run zcmp "$Z/tcp/retransmit-timeout.pcapng" "$E/tcp/retransmit-timeout.conn-all.log" --server-ports ''
	echo "$output"; [ "$status" -eq 0 ]
}
@test "zeek: tcp/one-sided-2745 (^haf, counts follow the flip)" {
	run zcmp "$Z/tcp/one-sided-2745.pcap" "$E/tcp/one-sided-2745.conn.log.cut" --server-ports ''
	echo "$output"; [ "$status" -eq 0 ]
}
@test "zeek: tcp/ctu-64702-888 (^hAfdtFr)" {
	run zcmp "$Z/tcp/ctu-64702-888.pcap" "$E/tcp/ctu-64702-888.conn.log.cut" --server-ports ''
	echo "$output"; [ "$status" -eq 0 ]
}
@test "zeek: tcp/handshake-reorder (SYN/SYN-ACK reversal Hs^ADadFf, Community ID)" {
	run pflows --zeek --server-ports '' --json "$Z/tcp/handshake-reorder.pcap"
	[ "$status" -eq 0 ]
	# Zeek's printed history (connection_flipped.out) and community-id-logging-flipped cut.
	grep -q 'Hs^ADadFf, ' "$E/tcp/handshake-reorder.connection_flipped.out"
	[ "$(echo "$output" | jq -r .history)" = "Hs^ADadFf" ]
	want=$(grep -v '^#' "$E/tcp/handshake-reorder.community-id.conn.log.cut" | cut -f1-4,7)
	got=$(echo "$output" | jq -r '[."id.orig_h", ."id.orig_p", ."id.resp_h", ."id.resp_p", .community_id] | map(tostring) | @tsv')
	[ "$got" = "$want" ]
}
@test "zeek: RST behaviour (R OTH, SR/SaR RSTOS0, SaFR OTH)" {
	for f in single-rst syn-then-rst syn-then-ack-then-rst syn-then-stuff-then-rst; do
		want=$(grep -v '^#' "$E/tcp/$f.history-conn_state.txt")
		got=$(pflows --zeek --server-ports '' --json "$Z/tcp/$f.pcap" | jq -r '"\(.history), \(.conn_state)"')
		echo "$f: $got (Zeek: $want)"
		[ "$got" = "$want" ]
	done
}
@test "zeek: chksums/localhost-bad-chksum validated (C OTH + HcADF SH)" {
	run zcmp "$Z/chksums/localhost-bad-chksum.pcap" "$E/chksums/localhost-bad-chksum.conn-checksums-validated.log" --validate-checksums --server-ports ''
	echo "$output"; [ "$status" -eq 0 ]
}
@test "zeek: chksums/localhost-bad-chksum ignored (ShADadFf SF)" {
	run zcmp "$Z/chksums/localhost-bad-chksum.pcap" "$E/chksums/localhost-bad-chksum.conn-checksums-ignored.log" --server-ports ''
	echo "$output"; [ "$status" -eq 0 ]
}
@test "zeek: pop3 (SYN after RST with the same ISN: three REJ rows)" {
	run zcmp "$Z/pop3/pop3.pcap" "$E/pop3/pop3.conn.log" --validate-checksums --server-ports 110/tcp
	echo "$output"; [ "$status" -eq 0 ]
}
@test "zeek: modbus (ShR RSTO then Dr RSTRH on one 5-tuple)" {
	run zcmp "$Z/modbus/modbus-and-non-modbus-p502.pcap" "$E/modbus/modbus-and-non-modbus-p502.conn.log" --validate-checksums
	echo "$output"; [ "$status" -eq 0 ]
}
@test "zeek: ssh client-side half duplex (attempt timer splits SAD / DAF)" {
	run zcmp "$Z/ssh/ssh.client-side-half-duplex.pcap" "$E/ssh/ssh.client-side-half-duplex.conn.log" --validate-checksums
	echo "$output"; [ "$status" -eq 0 ]
}
@test "zeek: ssh server-side half duplex (^hadf SHR)" {
	run zcmp "$Z/ssh/ssh.server-side-half-duplex.pcap" "$E/ssh/ssh.server-side-half-duplex.conn.log" --validate-checksums
	echo "$output"; [ "$status" -eq 0 ]
}
@test "zeek: ftp/bigtransfer (sizes past 4 GiB, missed_bytes)" {
	run zcmp "$Z/ftp/bigtransfer.pcap" "$E/ftp/bigtransfer.conn.log" --validate-checksums
	echo "$output"; [ "$status" -eq 0 ]
}
@test "zeek: ftp/ftp-auth-tls (RSTR)" {
	run zcmp "$Z/ftp/ftp-auth-tls.pcap" "$E/ftp/ftp-auth-tls.conn.log" --validate-checksums
	echo "$output"; [ "$status" -eq 0 ]
}
@test "zeek: ftp/ipv6 (IPv6 ip_bytes)" {
	run zcmp "$Z/ftp/ipv6.pcap" "$E/ftp/ipv6.conn.log" --validate-checksums --server-ports 21,2811/tcp
	echo "$output"; [ "$status" -eq 0 ]
}
@test "zeek: vlan-collisions, Zeek's VLAN-blind key (one row)" {
	run zcmp "$Z/vlan-collisions.pcap" "$E/vlan-collisions.default-key.conn.log.cut" --validate-checksums
	echo "$output"; [ "$status" -eq 0 ]
}
@test "zeek: vlan-collisions, VLAN key (three rows)" {
	run zcmp "$Z/vlan-collisions.pcap" "$E/vlan-collisions.vlan-key.conn.log.cut" --validate-checksums --vlan
	echo "$output"; [ "$status" -eq 0 ]
}
@test "zeek: wikipedia (UDP, IPv6, S1 at end of capture, ^h)" {
	run zcmp "$Z/wikipedia.pcap" "$E/wikipedia.conn.log"
	echo "$output"; [ "$status" -eq 0 ]
}
@test "zeek: dhcp (^d SHR by port flip, no flip to broadcast)" {
	run zcmp "$Z/dhcp/dhcp.pcap" "$E/dhcp/dhcp.conn.log" --validate-checksums --server-ports 67/udp
	echo "$output"; [ "$status" -eq 0 ]
}

# IP inside PPPoE sessions (over QinQ) and MPLS label stacks (lib/decode.c
# decode_shim): the same comparison, and pflows must see every connection
# Zeek saw (a decoder that stops at the shim would give none).
zcmp_encap() {
	local trace=$1 expected=$2; shift 2
	local want got
	want=$(zcmp_theirs "$expected" | tail -n +2 | wc -l)
	got=$(pflows --zeek --json "$@" "$trace" | wc -l)
	echo "pflows $got connections, Zeek $want"
	[ "$want" -gt 0 ] && [ "$got" -ge "$want" ]
	run zcmp "$trace" "$expected" "$@"
	echo "$output"; [ "$status" -eq 0 ]
}
@test "zeek: pppoe-over-qinq (logarithmic T: ShADdtaTTtFf)" {
	zcmp_encap "$Z/pppoe-over-qinq.pcap" "$E/pppoe-over-qinq.conn.log" --validate-checksums
}
@test "zeek: pppoe (ICMPv6 type/counterpart keys)" {
	zcmp_encap "$Z/pppoe.pcap" "$E/pppoe.conn.log" --validate-checksums
}
@test "zeek: mixed-vlan-mpls (VLAN, MPLS, one-sided SADF SH)" {
	zcmp_encap "$Z/mixed-vlan-mpls.pcap" "$E/mixed-vlan-mpls.conn.log" --server-ports $HTTP_PORTS
}
