#!/usr/bin/env bats
# filter_oracle.bats — per-packet verdicts of the filter compiler against tcpdump.
#
# tests/filter_exprs.txt holds the expressions (one per line).  For each
# capture, build/tools/fverdict prints our verdicts for every expression in
# one pass; tcpdump -r CAPTURE -w - -- EXPR gives tcpdump's kept packets,
# which fverdict -k turns into the same 0/1 string.  "expression rejects all
# packets" counts as matching nothing; any other compile error must be an
# error on both sides.  By default the richest captures get every
# expression (or every 2nd) and the others a fixed sample (every 4th to
# 32nd) to keep `make test` short; FILTER_ORACLE_FULL=1 runs everything.
load helpers

FV=$PK_BUILD/tools/fverdict
EXPRS=$PK_TOP/tests/filter_exprs.txt

# oracle CAPTURE STEP: compare every STEP-th expression; print mismatches.
oracle() {
	local cap=$1 step=$2 tmp i=0 n=0 bad=0 ours theirs e
	[ -n "${FILTER_ORACLE_FULL:-}" ] && step=1
	tmp=$(mktemp -d)
	grep -v '^#' "$EXPRS" | grep -v '^$' > "$tmp/all"
	awk -v s="$step" '(NR - 1) % s == 0' "$tmp/all" > "$tmp/exprs"
	"$FV" "$cap" "$tmp/exprs" > "$tmp/ours" || { rm -rf "$tmp"; return 2; }
	local -a verdicts
	mapfile -t verdicts < "$tmp/ours"
	while IFS= read -r e; do
		ours=${verdicts[$i]}
		i=$((i + 1))
		if tcpdump -r "$cap" -w "$tmp/kept" -- "$e" 2>"$tmp/err"; then
			theirs=$("$FV" -k "$cap" "$tmp/kept")
		elif grep -q 'rejects all packets' "$tmp/err"; then
			theirs=NONE
		else
			theirs=ERR
		fi
		[[ $ours == ERR* ]] && ours=ERR
		[ "$ours" = NONE ] && [[ $theirs =~ ^0*$ ]] && ours=$theirs
		[ "$theirs" = NONE ] && [[ $ours =~ ^0*$ ]] && theirs=$ours
		if [ "$ours" != "$theirs" ]; then
			bad=$((bad + 1))
			echo "MISMATCH $cap: $e"
			echo "  pfilter: $ours"
			echo "  tcpdump: $theirs $(grep -v '^reading' "$tmp/err" | head -c 200)"
		fi
		[[ $theirs =~ ^[01]+$ ]] && n=$((n + ${#theirs}))
	done < "$tmp/exprs"
	echo "# $(basename "$cap"): $i expressions, $n verdicts, $bad mismatches" >&3
	rm -rf "$tmp"
	[ "$bad" -eq 0 ]
}

setup() { need tcpdump; [ -x "$FV" ] || skip "fverdict not built"; }

@test "expression table has at least 300 expressions" {
	[ "$(grep -v '^#' "$EXPRS" | grep -vc '^$')" -ge 300 ]
}

@test "oracle: Ethernet mix (LLC, SNAP, VLAN/QinQ, MPLS, PPPoE, fragments, IPv6 ext headers)" {
	oracle "$TD/filter/filter-eth.pcap" 1
}

@test "oracle: truncated Ethernet packets (optimizer-visible load removal)" {
	oracle "$TD/filter/filter-trunc.pcap" 2
}

@test "oracle: truncated raw IP packets" {
	oracle "$TD/filter/filter-trunc-raw.pcap" 4
}

@test "oracle: Linux cooked v1 and v2" {
	oracle "$TD/filter/filter-sll.pcap" 8
	oracle "$TD/filter/filter-sll2.pcap" 8
}

@test "oracle: raw IP, BSD loopback (both byte orders), OpenBSD loopback" {
	oracle "$TD/filter/filter-raw.pcap" 8
	oracle "$TD/filter/filter-null.pcap" 8
	oracle "$TD/filter/filter-null-be.pcap" 8
	oracle "$TD/filter/filter-loop.pcap" 8
}

@test "oracle: the foundation's captures (pcap both orders, pcapng, caplen above snaplen)" {
	for f in core-eth-us.pcap core-be-ns.pcap core-overcap.pcap core-vlan.pcap core-2if.pcapng core-be.pcapng; do
		oracle "$TD/$f" 16
	done
}

@test "oracle: the shared corpus" {
	need_corpus
	local f rc=0
	for f in "$CORPUS"/tcpdump/*.pcap "$CORPUS"/tcpdump/*.pcapng "$CORPUS"/zeek/*.pcap; do
		[ -f "$f" ] || continue
		oracle "$f" 32 || rc=1
	done
	[ "$rc" -eq 0 ]
}
