# 30-pfilter.sh — pfilter against tcpdump -r big.pcap -w with the same expressions.
# Sourced by tests/bench/run.  Both write pcap to /dev/null; a second run
# through `| md5sum` checks that the kept records are the same bytes (the
# 24-byte global headers may differ only in the snap length, so they are
# left out of the hash).  Target: pfilter >= 3x faster than tcpdump.

PF_LONG='(tcp[tcpflags] & (tcp-syn|tcp-fin) != 0 and portrange 1-1023) or (udp and (port 53 or port 123 or port 67)) or (vlan and ip) or icmp or (ip[8] < 5 and not net 10.0.0.0/8) or (ip6 and ip6[6] = 58) or greater 1400 or ether broadcast'

pf_bench() {  # label expression
	bench_section "pfilter: $1"
	bench_time "pfilter EXPR big.pcap > /dev/null" "pfilter '$2' '$BIG' > /dev/null"
	t_pf=$BENCH_T
	c_pf=$BENCH_CPU
	if have tcpdump; then
		bench_time "tcpdump -r big.pcap -w - EXPR > /dev/null" \
		    "tcpdump -r '$BIG' -w - '$2' 2>/dev/null > /dev/null"
		bench_compare "tcpdump / pfilter (speed-up, wall)" "$BENCH_T" "$t_pf" "(target >= 3)"
		bench_compare "tcpdump / pfilter (speed-up, cpu)" "$BENCH_CPU" "$c_pf" "(target >= 3)"
		h1=$(pfilter "$2" "$BIG" | tail -c +25 | md5sum | cut -c1-32)
		h2=$(tcpdump -r "$BIG" -w - "$2" 2>/dev/null | tail -c +25 | md5sum | cut -c1-32)
		if [ "$h1" = "$h2" ]; then
			printf '  %-52s %s\n' "same kept records (md5 after the header)" "$h1"
		else
			printf '  %-52s %s vs %s\n' "OUTPUT DIFFERS (md5 pfilter vs tcpdump)" "$h1" "$h2"
		fi
	fi
}

pf_bench "'tcp port 80'" 'tcp port 80'
pf_bench "a 10+ term expression (accessors, vlan, nets, ports)" "$PF_LONG"
