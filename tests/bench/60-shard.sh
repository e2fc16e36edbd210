# 60-shard.sh — the two-stage sharded run (README "More than one machine")
# with 2 workers against the single pipeline on $BIG: split by host pair
# (pcat --shards 2), then pflows / pstats per shard in parallel (xargs -P 2),
# then the reduce (sort / pstats --merge).  Checks that the results are
# equal, prints the times and the speed-ups.  Sourced by tests/bench/run.

SH=$BENCH_DIR/shard
rm -rf "$SH"
mkdir -p "$SH"
bench_section "sharding: $(basename "$BIG") in 2 shards, 2 workers"
T=$(pcat -tt "$BIG" | tail -n 1 | cut -d' ' -f1)

bench_time "single: pflows --json big.pcap | sort" "pflows --json '$BIG' | sort > '$SH/whole.json'"
t_single=$BENCH_T
bench_time "split: pcat --shards 2 -w shard-%d.pcap big.pcap" "pcat --shards 2 -w '$SH/s-%d.pcap' '$BIG'"
t_split=$BENCH_T
bench_time "map: 2 x (pflows --json --end-time T) in parallel" \
    "seq 0 1 | xargs -P 2 -I{} sh -c \"pflows --json --end-time $T '$SH/s-{}.pcap' > '$SH/{}.json'\""
t_map=$BENCH_T
bench_time "reduce: cat | sort" "cat '$SH/0.json' '$SH/1.json' | sort > '$SH/merged.json'"
t_red=$BENCH_T
if cmp -s "$SH/whole.json" "$SH/merged.json"; then
	echo "  pflows: sharded result identical to the single run ($(wc -l < "$SH/whole.json") records)"
else
	echo "  pflows: SHARDED RESULT DIFFERS from the single run"
fi
for k in 0 1; do
	printf '  %-52s %8s packets\n' "shard $k" "$(pstats --csv "$SH/s-$k.pcap" | awk -F, 'NR == 2 { print $5 }')"
done
t_two=$(echo "$t_split $t_map $t_red" | awk '{ printf "%.3f", $1 + $2 + $3 }')
t_mapred=$(echo "$t_map $t_red" | awk '{ printf "%.3f", $1 + $2 }')
bench_compare "pflows: single / (split + map + reduce)" "$t_single" "$t_two"
bench_compare "pflows: single / (map + reduce), already split" "$t_single" "$t_mapred" "(2 workers: ideal 2)"

bench_time "single: pstats --json big.pcap" "pstats --json '$BIG' > '$SH/whole.stats'"
t_single=$BENCH_T
bench_time "map: 2 x (pstats --json --top 100000) in parallel" \
    "seq 0 1 | xargs -P 2 -I{} sh -c \"pstats --json --top 100000 '$SH/s-{}.pcap' > '$SH/{}.stats'\""
t_map=$BENCH_T
bench_time "reduce: pstats --merge" "pstats --merge --json '$SH/0.stats' '$SH/1.stats' > '$SH/merged.stats'"
t_red=$BENCH_T
t_mapred=$(echo "$t_map $t_red" | awk '{ printf "%.3f", $1 + $2 }')
bench_compare "pstats: single / (map + reduce), already split" "$t_single" "$t_mapred" "(2 workers: ideal 2)"
rm -rf "$SH"
