/* cli_flowopt.c — the options that set a flow table's semantics (Zeek's
 * defaults, server ports, checksums, VLAN key, timers), shared by the
 * commands that build one. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void
cli_flowopts_init(struct cli_flowopts *s)
{
	memset(s, 0, sizeof *s);
	s->vlan = -1;
	s->tcpt = s->udpt = s->icmpt = s->closed = -1;
}

static int64_t
parse_secs(const char *opt, const char *s)
{
	char *end;
	double v = strtod(s, &end);

	if (!*s || *end || !(v >= 0) || v > 1e9)
		cli_usage("%s: not a number of seconds: '%s'", opt, s);
	return (int64_t)(v * 1e9 + 0.5);
}

int
cli_flow_option(struct cli_flowopts *s, int c, const char *arg)
{
	switch (c) {
	case CLI_O_ZEEK: s->zeek = 1; break;
	case CLI_O_PORTS: s->ports = arg; break;
	case CLI_O_VALIDATE: s->validate = 1; break;
	case CLI_O_NOCSUM: s->nocsum = 1; break;
	case CLI_O_VLAN: s->vlan = 1; break;
	case CLI_O_NOVLAN: s->vlan = 0; break;
	case CLI_O_ATTEMPT: s->attempt = 1; break;
	case CLI_O_TCPT: s->tcpt = parse_secs("--tcp-timeout", arg); break;
	case CLI_O_UDPT: s->udpt = parse_secs("--udp-timeout", arg); break;
	case CLI_O_ICMPT: s->icmpt = parse_secs("--icmp-timeout", arg); break;
	case CLI_O_CLOSE: s->closed = parse_secs("--close-delay", arg); break;
	case CLI_O_MAXF:
		if (cli_parse_u64(arg, 1, 1u << 30, &s->maxf) < 0)
			cli_usage("--max-flows: not a number in range: '%s'", arg);
		break;
	case CLI_O_ENDTIME:
		if (cli_parse_time(arg, &s->end_s, &s->end_ns) < 0)
			cli_usage("--end-time: invalid time '%s' (RFC 3339 or epoch seconds)", arg);
		s->have_end = 1;
		break;
	default:
		return 0;
	}
	return 1;
}

struct pk_flowtab *
cli_flowtab_new(const struct cli_flowopts *s, int stream, pk_flow_cb cb, void *arg)
{
	struct pk_flowopts o;
	struct pk_flowtab *t;

	pk_flowopts_default(&o);
	o.attempt_timer = s->attempt;
	if (s->zeek) {
		pk_flowopts_zeek(&o);
		o.attempt_timer = 1;
	}
	if (s->vlan >= 0)
		o.vlan_key = s->vlan;
	o.validate_checksums = s->validate;
	o.count_checksums = !s->nocsum;
	if (s->tcpt >= 0) o.tcp_inactivity_ns = s->tcpt;
	if (s->udpt >= 0) o.udp_inactivity_ns = s->udpt;
	if (s->icmpt >= 0) o.icmp_inactivity_ns = o.other_inactivity_ns = s->icmpt;
	if (s->closed >= 0) o.tcp_close_ns = s->closed;
	o.max_flows = (size_t)s->maxf;
	if (stream && !o.max_flows)
		o.max_flows = 1u << 20;
	if (!(t = pk_flowtab_new(&o, cb, arg)))
		return NULL;
	if (s->ports) {
		pk_flowtab_clear_server_ports(t);
		if (pk_flowtab_server_ports(t, s->ports) < 0)
			cli_usage("--server-ports: cannot parse '%s'", s->ports);
	}
	return t;
}

