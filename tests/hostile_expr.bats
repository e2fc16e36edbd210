#!/usr/bin/env bats
# hostile_expr.bats — filter and --expect expressions built to hurt: deep
# nesting, very many terms, a megabyte of text, numbers out of range.  Each
# ends with a clear error (exit 2, a message naming the limit) or a result,
# within a time bound (timeout 20 s) and a memory bound (256 MiB max RSS
# when GNU time is installed), never a crash.  The limits are documented in
# pfilter(1) (LIMITS) and README.md (Robustness).  Where tcpdump is the
# oracle for a message or a count, it is asked, not quoted.
load helpers

setup() {
	TMP=$(mktemp -d)
	F=$TD/core-eth-us.pcap
}

teardown() {
	rm -rf "$TMP"
}

rep() { # rep STRING N: STRING N times
	awk -v s="$1" -v n="$2" 'BEGIN { while (n-- > 0) printf "%s", s }'
}

# bounded CMD...: run with a 20 s timeout (and max RSS when available);
# sets status, out (stdout) and err (stderr).
bounded() {
	if [ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1; then
		timeout 20 /usr/bin/time -f %M -o "$TMP/rss" "$@" >"$TMP/out" 2>"$TMP/err" && status=0 || status=$?
		rss=$(tail -1 "$TMP/rss")
		case $rss in *[!0-9]*|"") rss=0 ;; esac
		echo "$1: status $status, max RSS $rss KiB"
		[ "$rss" -le 262144 ]
	else
		timeout 20 "$@" >"$TMP/out" 2>"$TMP/err" && status=0 || status=$?
	fi
	out=$(cat "$TMP/out")
	err=$(cat "$TMP/err")
	echo "stderr: ${err:0:300}"
	[ "$status" -ne 124 ]          # not killed by the time bound
	[ "$status" -lt 128 ]          # not killed by a signal (stack overflow, abort)
}

@test "pfilter: 100,000 nested parentheses: a clear error" {
	{ rep '(' 100000; printf 'tcp'; rep ')' 100000; } >"$TMP/e"
	bounded pfilter -c -F "$TMP/e" "$F"
	[ "$status" -eq 2 ]
	[[ "$err" == "pfilter: expression nested too deeply (more than 1000 levels)"* ]]
}

@test "pfilter: 100,000 nested 'not' and unary minus: a clear error" {
	{ rep 'not ' 100000; printf 'tcp'; } >"$TMP/e"
	bounded pfilter -c -F "$TMP/e" "$F"
	[ "$status" -eq 2 ]
	[[ "$err" == *"nested too deeply"* ]]
	{ printf 'len > '; rep '-' 100000; printf '1'; } >"$TMP/e"
	bounded pfilter -c -F "$TMP/e" "$F"
	[ "$status" -eq 2 ]
	[[ "$err" == *"nested too deeply"* ]]
}

@test "pfilter: 1000 nested parentheses work, as in tcpdump" {
	need tcpdump
	{ rep '(' 999; printf 'tcp'; rep ')' 999; } >"$TMP/e"
	bounded pfilter -c -F "$TMP/e" "$F"
	[ "$status" -eq 0 ]
	[ "$out" -eq "$(tcpdump -nr "$F" tcp 2>/dev/null | wc -l)" ]
}

@test "pfilter: 100,000 'or' terms: a clear error" {
	awk 'BEGIN { for (i = 0; i < 100000; i++) printf "%sport %d", i ? " or " : "", i % 65536 }' >"$TMP/e"
	bounded pfilter -c -F "$TMP/e" "$F"
	[ "$status" -eq 2 ]
	[[ "$err" == "pfilter: expression too complex (more than 20000 blocks)"* ]]
}

@test "pfilter -O: 150 'or' terms (9000 instructions, long jumps) give tcpdump -O -d's program" {
	need tcpdump
	awk 'BEGIN { for (i = 0; i < 150; i++) printf "%sport %d", i ? " or " : "", 79 + i }' >"$TMP/e"
	bounded pfilter -O -d -F "$TMP/e" "$F"
	[ "$status" -eq 0 ]
	tcpdump -O -d -F "$TMP/e" 2>/dev/null >"$TMP/td"
	[ "$(wc -l <"$TMP/td")" -gt 5000 ]
	diff "$TMP/out" "$TMP/td"
	bounded pfilter -O -c -F "$TMP/e" "$F"
	[ "$out" -eq "$(tcpdump -nr "$F" -F "$TMP/e" 2>/dev/null | wc -l)" ]
}

@test "pfilter: 500 'or' terms: a clear error from the optimizer's limit, fast" {
	awk 'BEGIN { for (i = 0; i < 500; i++) printf "%sport %d", i ? " or " : "", 79 + i }' >"$TMP/e"
	bounded pfilter -c -F "$TMP/e" "$F"
	[ "$status" -eq 2 ]
	[[ "$err" == "pfilter: expression too complex: "*" blocks (limit 8000)"* ]]
}

@test "pfilter: a 1 MB expression: an error, or a result for 1 MB of blanks" {
	{ rep 'tcp and ' 131072; printf 'tcp'; } >"$TMP/e"
	[ "$(stat -c %s "$TMP/e")" -ge 1048576 ]
	bounded pfilter -c -F "$TMP/e" "$F"
	[ "$status" -eq 2 ]
	[[ "$err" == *"too complex"* ]]
	{ rep ' ' 1048576; printf 'udp'; rep ' ' 1000; } >"$TMP/e"
	bounded pfilter -c -F "$TMP/e" "$F"
	[ "$status" -eq 0 ]
	{ printf 'host '; rep 'a' 1048576; } >"$TMP/e"
	bounded pfilter -c -F "$TMP/e" "$F"
	[ "$status" -eq 2 ]
}

@test "pfilter: a 100,000-term arithmetic chain: a clear error, not quadratic time" {
	{ printf 'len > 1'; rep ' + 1' 100000; } >"$TMP/e"
	bounded pfilter -c -F "$TMP/e" "$F"
	[ "$status" -eq 2 ]
	[[ "$err" == "pfilter: arithmetic expression too long (more than 1000 operators)"* ]]
	{ printf 'len > 1'; rep ' * 1' 900; } >"$TMP/e"
	bounded pfilter -c -F "$TMP/e" "$F"
	[ "$status" -eq 0 ]
	[ "$out" -eq 16 ]    # every packet of the mix is longer than 1 byte
}

@test "pfilter: numbers out of range: the same verdict as tcpdump" {
	need tcpdump
	local e bad=0
	while IFS= read -r e; do
		pfilter -c "$e" "$F" >"$TMP/out" 2>"$TMP/err" && status=0 || status=$?
		[ "$status" -lt 128 ] || bad=1
		if tcpdump -nr "$F" "$e" >"$TMP/td" 2>"$TMP/tderr"; then
			# tcpdump accepts: the same count
			[ "$status" -le 1 ] && [ "$(cat "$TMP/out")" -eq "$(wc -l <"$TMP/td")" ] ||
				{ echo "$e: ours $status $(cat "$TMP/out" "$TMP/err"), tcpdump $(wc -l <"$TMP/td")"; bad=1; }
		else
			# tcpdump refuses: so do we, with its message
			msg=$(grep -v '^reading' "$TMP/tderr" | head -1 | sed 's/^tcpdump: //')
			[ "$status" -eq 2 ] && [ "$(head -1 "$TMP/err")" = "pfilter: $msg" ] ||
				{ echo "$e: ours $status '$(head -1 "$TMP/err")', tcpdump '$msg'"; bad=1; }
		fi
	done <<'EOF'
port 65536
port 99999999999999999999
portrange 0-65536
len > 4294967295
len > 4294967296
len > 0xffffffff
len > 0x100000000
len > 037777777777
len > 08
ip[4294967295] = 0
tcp[4294967295:4] = 0
ip[0:3] = 1
net 10.0.0.0/33
net 10.0.0.0/32
net 10.0.0.1/8
vlan 4096
vlan 4095
ip proto 256
ip proto 255
len > 1 / 0
len > 1 % 0
len > 1 << 32
len > 1 << 31
ether[0xffffffff] = 0
EOF
	[ "$bad" -eq 0 ]
}

@test "pstats --expect: 60,000 nested parentheses: a clear error" {
	local e
	e="$(rep '(' 60000)packets > 0$(rep ')' 60000)"
	bounded pstats -q -e "$e" "$F"
	[ "$status" -eq 2 ]
	[[ "$err" == "pstats: bad expectation: expression nested too deeply"* ]]
}

@test "pstats --expect: 8,000 'or' terms and 100,000 unary minus: clear errors" {
	local e
	e="packets > 0$(rep ' or packets > 0' 8000)"
	bounded pstats -q -e "$e" "$F"
	[ "$status" -eq 2 ]
	[[ "$err" == "pstats: bad expectation: "* ]]
	e="packets > $(rep '-' 100000)1"
	bounded pstats -q -e "$e" "$F"
	[ "$status" -eq 2 ]
	[[ "$err" == "pstats: bad expectation: "* ]]
}

@test "pstats --expect: numbers out of range fail or hold, never crash" {
	# The mix has 16 packets (testdata/README.md).
	for e in 'packets == 99999999999999999999999999' 'packets < 1e999' 'packets > 1e-999' \
	         'packets / 0 > 1' 'packets > 5Tms' 'packets == 16.0000000000000000000001' \
	         'packets > -99999999999999999999999999999999999999'; do
		bounded pstats -q -e "$e" "$F"
		[ "$status" -le 2 ]
		[ -n "$err" ] || [ "$status" -eq 0 ]
	done
	bounded pstats -q -e 'packets == 99999999999999999999999999' "$F"
	[ "$status" -eq 1 ]
	bounded pstats -q -e 'packets > -99999999999999999999999999999999999999' "$F"
	[ "$status" -eq 0 ]
}
