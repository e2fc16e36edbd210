# 50-pstats.sh — pstats against capinfos (summary fields, no hashes) and
# tshark -z io,phs (protocol hierarchy); peak RSS.  Sourced by
# tests/bench/run (helpers and $BIG come from there).  Wall and CPU seconds
# are both printed: the CPU ratio is the steadier one on a shared machine.
# tshark is run on a 200 MiB capture (it dissects everything; slow).

bench_section "pstats: $(basename "$BIG")"
bench_time "pstats big.pcap > /dev/null" "pstats '$BIG' > /dev/null"
t_ps=$BENCH_T c_ps=$BENCH_CPU
bench_time "pstats --json -i 1s big.pcap > /dev/null" "pstats --json -i 1s '$BIG' > /dev/null"
if have capinfos; then
	bench_time "capinfos -c -d -u -a -e -y -i -z -x -s -t -E -l big.pcap" \
	    "capinfos -c -d -u -a -e -y -i -z -x -s -t -E -l '$BIG' > /dev/null"
	bench_compare "pstats / capinfos (wall)" "$t_ps" "$BENCH_T" "(target <= 1.2)"
	bench_compare "pstats / capinfos (cpu)" "$c_ps" "$BENCH_CPU" "(target <= 1.2)"
fi
bench_rss "pstats big.pcap" "$PK_BIN/pstats $BIG"

MID=$BENCH_DIR/flows-200.pcap
[ -f "$MID" ] && [ ! "$PK_BUILD/tools/gen_big" -nt "$MID" ] || "$PK_BUILD/tools/gen_big" "$MID" 200 1 || return
cat "$MID" > /dev/null
if have tshark; then
	bench_section "pstats: $(basename "$MID") (200 MiB) against tshark"
	bench_time "pstats flows-200.pcap > /dev/null" "pstats '$MID' > /dev/null"
	t_ps=$BENCH_T c_ps=$BENCH_CPU
	bench_time "tshark -r flows-200.pcap -q -z io,phs" "tshark -r '$MID' -q -z io,phs > /dev/null 2>&1"
	bench_compare "tshark io,phs / pstats (speed-up, wall)" "$BENCH_T" "$t_ps" "(target >= 50)"
	bench_compare "tshark io,phs / pstats (speed-up, cpu)" "$BENCH_CPU" "$c_ps" "(target >= 50)"
fi
