# 40-pflows.sh — pflows against tshark -z conv,tcp, argus+ra and tcptrace;
# the pcat | pfilter | pflows pipeline against cat | cat | cat; peak RSS per
# live flow.  Sourced by tests/bench/run (helpers and $BIG come from there).
# tshark is run on a 200 MiB capture (it is slow); the rest on $BIG too.

MID=$BENCH_DIR/flows-200.pcap
[ -f "$MID" ] && [ ! "$PK_BUILD/tools/gen_big" -nt "$MID" ] || "$PK_BUILD/tools/gen_big" "$MID" 200 1 || return
cat "$MID" > /dev/null

bench_section "pflows: $(basename "$MID") (200 MiB)"
bench_time "pflows --no-checksums flows-200.pcap > /dev/null" "pflows --no-checksums '$MID' > /dev/null"
bench_time "pflows flows-200.pcap > /dev/null" "pflows '$MID' > /dev/null"
t_pf=$BENCH_T
t_ts= t_tt=
if have tshark; then
	bench_time "tshark -r flows-200.pcap -q -z conv,tcp" "tshark -r '$MID' -q -z conv,tcp > /dev/null 2>&1"
	t_ts=$BENCH_T
	bench_compare "tshark / pflows (speed-up)" "$BENCH_T" "$t_pf" "(target >= 100)"
fi
if have argus && have ra; then
	bench_time "argus -r flows-200.pcap -w - | ra -r - -n" "argus -r '$MID' -w - 2>/dev/null | ra -r - -n > /dev/null 2>&1"
	bench_compare "argus+ra / pflows (speed-up)" "$BENCH_T" "$t_pf" "(target >= 10)"
fi
if have tcptrace; then
	bench_time "tcptrace -n flows-200.pcap" "tcptrace -n '$MID' > /dev/null 2>&1"
	t_tt=$BENCH_T
	bench_compare "tcptrace / pflows (speed-up)" "$BENCH_T" "$t_pf" "(target >= 10)"
fi

# The floor under those ratios: only reading the capture, nothing done with
# it.  `cat` is one read() loop (the kernel's copy from the page cache); two
# dd processes each read one half at once, the copy spread over two cores
# as pflows' read-ahead does.  No program that looks at every byte (pflows
# checksums every segment) can beat the second line; its ratio to a
# reference is the most any tool could reach here.
bench_time "floor: cat flows-200.pcap > /dev/null" "cat '$MID' > /dev/null"
t_f1=$BENCH_T
half=$(( ($(wc -c < "$MID") + 524287) / 524288 ))
bench_time "floor: two dd halves at once (256 KiB reads)" \
    "dd if='$MID' of=/dev/null bs=256k count=$half status=none & dd if='$MID' of=/dev/null bs=256k skip=$half status=none; wait"
t_f2=$BENCH_T
for ref in tshark:"$t_ts" tcptrace:"$t_tt"; do
	[ -n "${ref#*:}" ] || continue
	bench_compare "${ref%%:*} / cat floor (one core)" "${ref#*:}" "$t_f1"
	bench_compare "${ref%%:*} / two-reader floor (two cores)" "${ref#*:}" "$t_f2"
done

bench_section "pflows: $(basename "$BIG")"
bench_time "pflows big.pcap > /dev/null" "pflows '$BIG' > /dev/null"
if [ -x "$PK_BIN/pfilter" ]; then
	bench_time "cat big.pcap | cat | cat > /dev/null" "cat '$BIG' | cat | cat > /dev/null"
	t_cat=$BENCH_T
	bench_time "pcat big | pfilter 'tcp port 80' | pflows" \
	    "pcat '$BIG' | pfilter 'tcp port 80' | pflows > /dev/null"
	bench_compare "pipeline / cat pipeline" "$BENCH_T" "$t_cat" "(target <= 2)"
fi

bench_section "pflows: memory with a million live flows"
# Always through make: a gen_flows older than its source would write the
# wrong capture (the tcp3 mode is newer than the first build).
make -s build/gen_flows >/dev/null || return
MANY=$BENCH_DIR/many-1m.pcap
[ -f "$MANY" ] || "$PK_BUILD/gen_flows" --many 1000000 "$MANY" || return
bench_rss "pflows --udp-timeout 1000 (1M live flows)" "$PK_BIN/pflows --udp-timeout 1000 --stream $MANY"
echo "$BENCH_RSS" | awk '{ printf "  %-52s %8.0f B\n", "peak RSS per live flow", $1 * 1024 / 1000000 }'
bench_rss "pflows --stream (1M flows, 60 s timeout)" "$PK_BIN/pflows --stream $MANY"
# Ten million distinct 5-tuples (100 us apart, so 1000 s of traffic) through a
# pipe: with --stream and the 60 s UDP timeout at most ~600k are alive at
# once, and memory must stay bounded by those, not grow with the input.
BENCH_RSS=$("$PK_BUILD/gen_flows" --many 10000000 /dev/stdout |
    /usr/bin/time -f '%M' "$PK_BIN/pflows" --stream 2>&1 >/dev/null | tail -n 1)
printf '  %-52s %8.1f MiB peak RSS\n' "pflows --stream (10M flows through a pipe)" "$(echo "$BENCH_RSS" | awk '{ print $1 / 1024 }')"
MANYT=$BENCH_DIR/many-1m-tcp.pcap
[ -f "$MANYT" ] || "$PK_BUILD/gen_flows" --many 1000000 "$MANYT" tcp || return
bench_rss "pflows --udp-timeout 1000 (1M live TCP flows)" "$PK_BIN/pflows --udp-timeout 1000 --stream $MANYT"
echo "$BENCH_RSS" | awk '{ printf "  %-52s %8.0f B\n", "peak RSS per live TCP flow (SYN only)", $1 * 1024 / 1000000 }'
# The same with whole handshakes (SYN, SYN-ACK, ACK): flows past their first
# SYN are held in full (struct tflow), so this is the figure for live
# established connections.
MANY3=$BENCH_DIR/many-1m-tcp3.pcap
[ -f "$MANY3" ] && [ ! "$PK_BUILD/gen_flows" -nt "$MANY3" ] || "$PK_BUILD/gen_flows" --many 1000000 "$MANY3" tcp3 || return
bench_rss "pflows (1M live TCP flows, handshake done)" "$PK_BIN/pflows --udp-timeout 1000 --stream $MANY3"
echo "$BENCH_RSS" | awk '{ printf "  %-52s %8.0f B\n", "peak RSS per live TCP flow (established)", $1 * 1024 / 1000000 }'

# Instruction counts do not depend on the machine's load, unlike the times
# above: callgrind on a 20 MiB capture (tshark under callgrind takes minutes,
# so it is left to the timed comparison).
bench_section "pflows: instructions on a 20 MiB capture (callgrind)"
if have valgrind; then
	SMALL=$BENCH_DIR/flows-20.pcap
	[ -f "$SMALL" ] && [ ! "$PK_BUILD/tools/gen_big" -nt "$SMALL" ] || "$PK_BUILD/tools/gen_big" "$SMALL" 20 1 || return
	bench_ir() {
		# shellcheck disable=SC2086
		BENCH_IR=$(valgrind --tool=callgrind --trace-children=yes --callgrind-out-file=/dev/null $2 2>&1 >/dev/null |
		    awk '/I *refs:/ { gsub(",", "", $NF); s += $NF } END { print s + 0 }')
		printf '  %-52s %14s instructions\n' "$1" "$BENCH_IR"
	}
	bench_ir "pflows flows-20.pcap" "$PK_BIN/pflows $SMALL"
	ir_pf=$BENCH_IR
	bench_ir "pflows --no-checksums flows-20.pcap" "$PK_BIN/pflows --no-checksums $SMALL"
	if have tcptrace; then
		bench_ir "tcptrace -n flows-20.pcap" "tcptrace -n $SMALL"
		bench_compare "tcptrace / pflows (instructions)" "$BENCH_IR" "$ir_pf" "(target >= 10)"
	fi
fi
