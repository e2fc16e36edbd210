# 10-pcat.sh — pcat throughput against cat, tcpdump and mergecap; peak RSS.
# Sourced by tests/bench/run (helpers and $BIG, $BIG_A, $BIG_B come from there).
# Through a pipe every tool is bound by the pipe itself, so each comparison
# is also made writing to /dev/null, where the tool's own cost shows, and
# in CPU seconds, which a busy shared machine disturbs less than wall time.

bench_section "pcat: concatenate $(basename "$BIG") to a pipe"
bench_time "cat big.pcap | cat > /dev/null" "cat '$BIG' | cat > /dev/null"
t_cat=$BENCH_T
bench_time "pcat big.pcap | cat > /dev/null" "pcat '$BIG' | cat > /dev/null"
t_pcat=$BENCH_T
bench_compare "pcat / cat (through the pipe)" "$t_pcat" "$t_cat" "(target <= 1.3)"
if have tcpdump; then
	bench_time "tcpdump -r big.pcap -w - | cat > /dev/null" \
	    "tcpdump -r '$BIG' -w - 2>/dev/null | cat > /dev/null"
	bench_compare "tcpdump / pcat (through the pipe)" "$BENCH_T" "$t_pcat"
fi

bench_section "pcat: concatenate $(basename "$BIG") to /dev/null"
bench_time "pcat big.pcap > /dev/null" "pcat '$BIG' > /dev/null"
t_pcat=$BENCH_T
c_pcat=$BENCH_CPU
if have tcpdump; then
	bench_time "tcpdump -r big.pcap -w - > /dev/null" "tcpdump -r '$BIG' -w - 2>/dev/null > /dev/null"
	bench_compare "tcpdump / pcat (speed-up, wall)" "$BENCH_T" "$t_pcat" "(target >= 3)"
	bench_compare "tcpdump / pcat (speed-up, cpu)" "$BENCH_CPU" "$c_pcat" "(target >= 3)"
fi

bench_section "pcat -m: merge two captures by time"
bench_time "pcat -m a b | cat > /dev/null" "pcat -m '$BIG_A' '$BIG_B' | cat > /dev/null"
t_merge=$BENCH_T
if have mergecap; then
	bench_time "mergecap -F pcap -w - a b | cat > /dev/null" \
	    "mergecap -F pcap -w - '$BIG_A' '$BIG_B' | cat > /dev/null"
	bench_compare "mergecap / pcat -m (through the pipe)" "$BENCH_T" "$t_merge"
fi
bench_time "pcat -m a b > /dev/null" "pcat -m '$BIG_A' '$BIG_B' > /dev/null"
t_merge=$BENCH_T
c_merge=$BENCH_CPU
if have mergecap; then
	bench_time "mergecap -F pcap -w - a b > /dev/null" \
	    "mergecap -F pcap -w - '$BIG_A' '$BIG_B' > /dev/null"
	bench_compare "mergecap / pcat -m (speed-up, wall)" "$BENCH_T" "$t_merge"
	bench_compare "mergecap / pcat -m (speed-up, cpu)" "$BENCH_CPU" "$c_merge"
fi

bench_section "pcat: memory"
bench_rss "pcat big.pcap > /dev/null" "pcat $BIG"
bench_rss "pcat -m a b > /dev/null" "pcat -m $BIG_A $BIG_B"
echo "  (target: peak RSS < 16 MiB whatever the file size)"
