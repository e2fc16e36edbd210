#!/usr/bin/env bats
# iotail.bats — the tail of I/O in every tool: a write error (> /dev/full)
# is reported and exits 2; a reader that goes away (| head) ends the tool
# quietly by SIGPIPE, as it ends cat; a pcap writer never leaves half a
# record behind when it stops cleanly, so the next tool in a pipe reads a
# sound stream.
load helpers

setup() {
	TMP=$(mktemp -d)
	GEN=$PK_BUILD/tools/hugegen
	F=$TD/core-eth-us.pcap
}

teardown() {
	rm -rf "$TMP"
}

need_full() { [ -w /dev/full ] || skip "no /dev/full"; }
need_gen() { [ -x "$GEN" ] || skip "hugegen not built"; }

# Each command line of every tool that writes to standard output.
commands() {
	cat <<'EOF'
pcat "$F"
pcat -t "$F"
pcat -t -vvv -XX "$F"
pfilter tcp "$F"
pfilter -t tcp "$F"
pfilter -c tcp "$F"
pfilter -d tcp "$F"
pflows "$F"
pflows --json "$F"
pflows --conn-log "$F"
pflows --csv "$F"
pflows --stream --json "$F"
pstats "$F"
pstats --json "$F"
pstats --csv "$F"
pcat --help
pfilter --help
pflows --help
pstats --help
pcat --version
pstats --version
EOF
}

@test "> /dev/full: every tool and output mode says so and exits 2" {
	need_full
	local c bad=0
	while IFS= read -r c; do
		F=$F sh -c "$c > /dev/full" 2>"$TMP/err" </dev/null && status=0 || status=$?
		if [ "$status" -ne 2 ] || ! grep -q "No space left on device" "$TMP/err"; then
			echo "$c: status $status, stderr: $(cat "$TMP/err")"
			bad=1
		fi
		# one message, naming the program
		[ "$(wc -l <"$TMP/err")" -le 2 ] || { echo "$c: $(cat "$TMP/err")"; bad=1; }
		prog=${c%% *}
		grep -q "^$prog: " "$TMP/err" || { echo "$c: no '$prog:' prefix"; bad=1; }
	done < <(commands)
	[ "$bad" -eq 0 ]
}

@test "> /dev/full with a large stream: pcat and pfilter stop at once with exit 2" {
	need_full
	need_gen
	for c in "pcat" "pfilter udp" "pcat -t"; do
		run bash -c "timeout 30 \"\$1\" 2000 | $c > /dev/full" sh "$GEN"
		echo "$c: $status $output"
		[ "$status" -eq 2 ]
		[[ "$output" == *"No space left on device"* ]]
	done
}

@test "| head -c 100 and | head -1: every tool ends quietly (SIGPIPE or done)" {
	need_gen
	local c bad=0
	# A 130 MB stream so the writers are still busy when head leaves.
	for c in "pcat" "pcat -t" "pfilter udp" "pfilter -t udp" "pcat -m - " "pflows --stream --json" "pstats"; do
		for h in "head -c 100" "head -1"; do
			bash -c "\"\$1\" 2000 | $c 2>\"\$2\" | $h >/dev/null; exit \${PIPESTATUS[1]}" sh "$GEN" "$TMP/err" &&
				status=0 || status=$?
			# 141 = 128 + SIGPIPE; tools that wrote everything first exit 0.
			if { [ "$status" -ne 141 ] && [ "$status" -ne 0 ]; } || [ -s "$TMP/err" ]; then
				echo "$c | $h: status $status, stderr: $(cat "$TMP/err")"
				bad=1
			fi
		done
	done
	[ "$bad" -eq 0 ]
}

@test "| head: pcat and pfilter die by SIGPIPE, not by a write error" {
	need_gen
	for c in "pcat" "pfilter udp" "pcat -t"; do
		bash -c "\"\$1\" 2000 | $c 2>\"\$2\" | head -c 100 >/dev/null; exit \${PIPESTATUS[1]}" sh "$GEN" "$TMP/err" &&
			status=0 || status=$?
		echo "$c: $status $(cat "$TMP/err")"
		[ "$status" -eq 141 ]
		[ ! -s "$TMP/err" ]
	done
}

@test "pcat -c N writes exactly N whole records" {
	need_gen
	need tcpdump
	"$GEN" 1000 | pcat -c 7 >"$TMP/o.pcap"
	# 24-byte header + 7 * (16 + 65535)
	[ "$(stat -c %s "$TMP/o.pcap")" -eq $(( 24 + 7 * 65551 )) ]
	run tcpdump -nr "$TMP/o.pcap"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | grep -c ' UDP, length 65493$')" -eq 7 ]
}

@test "an input cut mid-record: downstream sees only whole records" {
	need_gen
	need tcpdump
	# 10 records and 30000 bytes of the 11th
	"$GEN" 100 | head -c $(( 24 + 10 * 65551 + 30000 )) >"$TMP/cut.pcap"
	run bash -c 'pcat < "$1" | pfilter udp > "$2"; exit ${PIPESTATUS[0]}' sh "$TMP/cut.pcap" "$TMP/o.pcap"
	[ "$status" -eq 2 ]
	[ "$output" = "pcat: -: record 11 at offset $(( 24 + 10 * 65551 )) is cut short: 65535 bytes announced, $(( 30000 - 16 )) present" ]
	[ "$(stat -c %s "$TMP/o.pcap")" -eq $(( 24 + 10 * 65551 )) ]
	run tcpdump -nr "$TMP/o.pcap"
	[ "$status" -eq 0 ]
}

@test "a reader killed mid-stream: the writer's output is whole records up to a flush" {
	need_gen
	need tcpdump
	# pcat stops cleanly when its input ends, whatever the writer upstream did.
	( "$GEN" 100000 & p=$!; sleep 0.3; kill $p; wait $p ) 2>/dev/null | pcat --lenient >"$TMP/o.pcap" 2>"$TMP/err" || true
	n=$(stat -c %s "$TMP/o.pcap")
	[ $(( (n - 24) % 65551 )) -eq 0 ]
	run tcpdump -nr "$TMP/o.pcap"
	[ "$status" -eq 0 ]
}
