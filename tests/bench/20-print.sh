# 20-print.sh — text output: pcat -t against tcpdump -nn -r on the big capture.
# Sourced by tests/bench/run ($BIG and the helpers come from there).  Both
# write to /dev/null so the cost measured is reading plus formatting.

bench_section "pcat -t: text lines for $(basename "$BIG")"
bench_time "pcat -t big.pcap > /dev/null" "TZ=UTC pcat -t '$BIG' > /dev/null"
t_pcat=$BENCH_T
if have tcpdump; then
	bench_time "tcpdump -nn -r big.pcap > /dev/null" \
	    "TZ=UTC tcpdump -nn -r '$BIG' 2>/dev/null > /dev/null"
	bench_compare "tcpdump / pcat -t (speed-up)" "$BENCH_T" "$t_pcat" "(target >= 4)"
	bench_time "pcat -t -e -tttt big.pcap > /dev/null" "TZ=UTC pcat -t -e -tttt '$BIG' > /dev/null"
	t_pcat=$BENCH_T
	bench_time "tcpdump -nn -e -tttt -r big.pcap > /dev/null" \
	    "TZ=UTC tcpdump -nn -e -tttt -r '$BIG' 2>/dev/null > /dev/null"
	bench_compare "tcpdump / pcat -t -e -tttt (speed-up)" "$BENCH_T" "$t_pcat"
fi
bench_section "pcat -t: memory"
bench_rss "pcat -t big.pcap > /dev/null" "pcat -t $BIG"
echo "  (target: peak RSS < 16 MiB plus the TCP sequence table)"
