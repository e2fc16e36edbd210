/* fverdict.c — test tool: per-packet filter verdicts for many expressions in one pass.
 *
 *   fverdict CAPTURE EXPRFILE   one line per expression: "0101..." (one digit
 *                               per packet, 1 = kept), "NONE" when libpcap
 *                               would say "expression rejects all packets",
 *                               "ERR message" for other compile errors
 *   fverdict -k CAPTURE KEPT    the same digit string for the packets of
 *                               CAPTURE present in KEPT (tcpdump -w output),
 *                               matched in order by time, lengths and bytes
 * Blank lines and lines starting with '#' in EXPRFILE are skipped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pcapkit/filter.h"
#include "pcapkit/reader.h"

struct pkt { struct pk_pkthdr h; uint8_t *d; };

static struct pkt *load(const char *path, size_t *n, const struct pk_capinfo **ci_out,
                        struct pk_reader **rp)
{
	char err[PK_ERRBUF];
	struct pk_reader *r = pk_reader_open(path, err);
	if (!r) {
		fprintf(stderr, "fverdict: %s: %s\n", path, err);
		exit(2);
	}
	size_t cap = 64;
	struct pkt *v = malloc(cap * sizeof *v);
	struct pk_pkthdr h;
	const uint8_t *d;
	*n = 0;
	while (pk_reader_next(r, &h, &d) == 1) {
		if (*n == cap)
			v = realloc(v, (cap *= 2) * sizeof *v);
		v[*n].h = h;
		v[*n].d = malloc(h.caplen ? h.caplen : 1);
		memcpy(v[*n].d, d, h.caplen);
		(*n)++;
	}
	*ci_out = pk_reader_info(r);
	*rp = r;
	return v;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "-k")) {
		size_t n, m, j = 0;
		const struct pk_capinfo *ci, *ci2;
		struct pk_reader *r1, *r2;
		struct pkt *a = load(argv[2], &n, &ci, &r1), *b = load(argv[3], &m, &ci2, &r2);
		for (size_t i = 0; i < n; i++) {
			int k = 0;
			if (j < m) {
				/* libpcap clamps caplen to the file's snapshot length */
				uint32_t ca = a[i].h.caplen;
				if (ci->snaplen && ca > ci->snaplen)
					ca = ci->snaplen;
				k = /* times are left out: tcpdump -w rewrites odd ones */
				    a[i].h.len == b[j].h.len && ca == b[j].h.caplen && !memcmp(a[i].d, b[j].d, ca);
			}
			putchar(k ? '1' : '0');
			j += (size_t)k;
		}
		putchar('\n');
		for (size_t i = 0; i < n; i++)
			free(a[i].d);
		for (size_t i = 0; i < m; i++)
			free(b[i].d);
		free(a);
		free(b);
		pk_reader_close(r1);
		pk_reader_close(r2);
		return j == m ? 0 : 1;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: fverdict CAPTURE EXPRFILE | fverdict -k CAPTURE KEPT\n");
		return 2;
	}
	size_t n;
	const struct pk_capinfo *ci;
	struct pk_reader *r;
	struct pkt *v = load(argv[1], &n, &ci, &r);
	FILE *f = fopen(argv[2], "r");
	if (!f) {
		perror(argv[2]);
		return 2;
	}
	char line[4096];
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		struct pk_filter_err err;
		struct pk_filter *flt = pk_filter_compile_ex(line, ci->linktype, 262144,
		                                             ci->big_endian ? PK_FILTER_NULL_BE : 0, &err);
		if (!flt) {
			if (!strcmp(err.msg, "expression rejects all packets"))
				puts("NONE");
			else
				printf("ERR %s\n", err.msg);
			continue;
		}
		for (size_t i = 0; i < n; i++) {
			uint32_t cap = v[i].h.caplen;
			if (ci->snaplen && cap > ci->snaplen)
				cap = ci->snaplen;
			putchar(pk_filter_run(flt, v[i].d, cap, v[i].h.len) ? '1' : '0');
		}
		putchar('\n');
		pk_filter_free(flt);
	}
	fclose(f);
	for (size_t i = 0; i < n; i++)
		free(v[i].d);
	free(v);
	pk_reader_close(r);
	return 0;
}
