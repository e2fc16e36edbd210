# pflows_zeek.bash — compare pflows --zeek --json with Zeek's conn.log baselines.
# Compared: 5-tuple, proto, duration, bytes, conn_state, missed_bytes, history,
# pkts, ip_bytes (as ../shared/corpus/zeek/MANIFEST.md says); ignored: ts, uid,
# service, local_*, tunnel_parents.
ZCMP_FIELDS="id.orig_h id.orig_p id.resp_h id.resp_p proto duration orig_bytes resp_bytes conn_state missed_bytes history orig_pkts orig_ip_bytes resp_pkts resp_ip_bytes"

# Our records as TSV with a header line naming the columns.
zcmp_ours() {
	echo "$ZCMP_FIELDS" | tr ' ' '\t'
	pflows --zeek --json "$@" | jq -r '[."id.orig_h", ."id.orig_p", ."id.resp_h", ."id.resp_p",
	  .proto, (.duration // "-"), (.orig_bytes // "-"), (.resp_bytes // "-"), .conn_state,
	  .missed_bytes, (.history // "-"), .orig_pkts, .orig_ip_bytes, .resp_pkts,
	  .resp_ip_bytes] | map(tostring) | @tsv'
}

# A Zeek baseline (conn.log or zeek-cut output with a header) as TSV with a header.
zcmp_theirs() {
	awk -F'\t' '
	/^###/ { next }
	/^#fields/ { sub(/^#fields\t/, ""); print; next }
	/^#/ { next }
	!hdr && /id\.orig_h/ { print; hdr = 1; next }
	{ print }' "$1"
}

# Project both onto the compared columns the baseline has, sort, and diff.
# Prints "agree/total" on the last line; status 0 when all rows agree.
# The files go in this test's own directory: $BATS_TMPDIR is the shared /tmp,
# where two runs at once (two worktrees) overwrote each other's.
zcmp() {
	local trace=$1 expected=$2 d=${BATS_TEST_TMPDIR:-$BATS_TMPDIR}; shift 2
	zcmp_ours "$trace" "$@" >"$d/ours.tsv" || return 2
	zcmp_theirs "$expected" >"$d/theirs.tsv"
	awk -F'\t' -v want="$ZCMP_FIELDS" '
	function proj(   i, s, v) {
		s = ""
		for (i = 1; i <= nc; i++) {
			v = $(col[FILENAME, cn[i]])
			if (cn[i] == "duration" && v != "-") v = sprintf("%.6f", v)
			s = s (i > 1 ? "\t" : "") v
		}
		return s
	}
	BEGIN { n = split(want, w, " "); for (i = 1; i <= n; i++) wanted[w[i]] = i }
	FNR == 1 {
		for (i = 1; i <= NF; i++) col[FILENAME, $i] = i
		if (FILENAME == ARGV[1]) {
			nc = 0
			for (i = 1; i <= n; i++) if ((FILENAME, w[i]) in col) cn[++nc] = w[i]
		}
		next
	}
	FILENAME == ARGV[1] { ex_[proj()]++; total++; next }
	{ got[proj()]++ }
	END {
		for (k in ex_) { m = ex_[k] < got[k] ? ex_[k] : got[k]; agree += m
			if (ex_[k] > m) print "missing: " k }
		for (k in got) if (got[k] > ex_[k]) print "extra:   " k
		print agree "/" total
		exit agree == total ? 0 : 1
	}' "$d/theirs.tsv" "$d/ours.tsv"
}
