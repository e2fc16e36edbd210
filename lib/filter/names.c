/* names.c — service, protocol and ether-type names, without touching the network.
 *
 * Service and IP protocol names come from /etc/services and /etc/protocols
 * when those files exist (as getservbyname/getprotobyname would read them),
 * else from the built-in tables below, which hold the common entries.
 * Ether-type and LLC names are libpcap's own built-in tables.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fint.h"

struct nv { const char *name; int v; };

static const struct nv eproto[] = {
	{"aarp", 0x80f3}, {"arp", 0x0806}, {"atalk", 0x809b}, {"decnet", 0x6003},
	{"ip", 0x0800}, {"ip6", 0x86dd}, {"lat", 0x6004}, {"loopback", 0x9000},
	{"mopdl", 0x6001}, {"moprc", 0x6002}, {"rarp", 0x8035}, {"sca", 0x6007},
};
static const struct nv llc[] = {
	{"iso", 0xfe}, {"stp", 0x42}, {"ipx", 0xe0}, {"netbeui", 0xf0},
};
static const struct nv builtin_protos[] = {
	{"ip", 0}, {"IP", 0}, {"hopopt", 0}, {"HOPOPT", 0}, {"icmp", 1}, {"ICMP", 1},
	{"igmp", 2}, {"IGMP", 2}, {"ggp", 3}, {"ipencap", 4}, {"st", 5}, {"tcp", 6},
	{"TCP", 6}, {"egp", 8}, {"igp", 9}, {"pup", 12}, {"udp", 17}, {"UDP", 17},
	{"hmp", 20}, {"xns-idp", 22}, {"rdp", 27}, {"iso-tp4", 29}, {"dccp", 33},
	{"xtp", 36}, {"ddp", 37}, {"idpr-cmtp", 38}, {"ipv6", 41}, {"IPv6", 41},
	{"ipv6-route", 43}, {"ipv6-frag", 44}, {"idrp", 45}, {"rsvp", 46}, {"gre", 47},
	{"GRE", 47}, {"esp", 50}, {"ah", 51}, {"skip", 57}, {"ipv6-icmp", 58},
	{"ipv6-nonxt", 59}, {"ipv6-opts", 60}, {"rspf", 73}, {"vmtp", 81}, {"eigrp", 88},
	{"ospf", 89}, {"ax.25", 93}, {"ipip", 94}, {"etherip", 97}, {"encap", 98},
	{"pim", 103}, {"ipcomp", 108}, {"vrrp", 112}, {"l2tp", 115}, {"isis", 124},
	{"sctp", 132}, {"SCTP", 132}, {"fc", 133}, {"mobility-header", 135},
	{"udplite", 136}, {"mpls-in-ip", 137}, {"manet", 138}, {"hip", 139},
	{"shim6", 140}, {"wesp", 141}, {"rohc", 142}, {"ethernet", 143},
};
/* name, port, proto (6 tcp, 17 udp, -1 both) */
static const struct { const char *name; int port, proto; } builtin_services[] = {
	{"tcpmux", 1, 6}, {"echo", 7, -1}, {"discard", 9, -1}, {"daytime", 13, -1},
	{"ftp-data", 20, 6}, {"ftp", 21, 6}, {"ssh", 22, 6}, {"telnet", 23, 6},
	{"smtp", 25, 6}, {"time", 37, -1}, {"whois", 43, 6}, {"tacacs", 49, -1},
	{"domain", 53, -1}, {"bootps", 67, 17}, {"bootpc", 68, 17}, {"tftp", 69, 17},
	{"gopher", 70, 6}, {"finger", 79, 6}, {"http", 80, 6}, {"www", 80, 6},
	{"kerberos", 88, -1}, {"pop3", 110, 6}, {"sunrpc", 111, -1}, {"auth", 113, 6},
	{"nntp", 119, 6}, {"ntp", 123, 17}, {"epmap", 135, -1}, {"netbios-ns", 137, 17},
	{"netbios-dgm", 138, 17}, {"netbios-ssn", 139, 6}, {"imap2", 143, 6},
	{"imap", 143, 6}, {"snmp", 161, -1}, {"snmp-trap", 162, -1}, {"bgp", 179, 6},
	{"irc", 194, 6}, {"ldap", 389, -1}, {"https", 443, -1}, {"microsoft-ds", 445, 6},
	{"isakmp", 500, 17}, {"syslog", 514, 17}, {"printer", 515, 6}, {"submission", 587, 6},
	{"ldaps", 636, -1}, {"rsync", 873, 6}, {"imaps", 993, 6}, {"pop3s", 995, 6},
	{"socks", 1080, 6}, {"openvpn", 1194, -1}, {"radius", 1812, -1},
	{"nfs", 2049, -1}, {"mysql", 3306, 6}, {"sip", 5060, -1}, {"postgresql", 5432, 6},
};

static int nv_find(const struct nv *t, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].name, name) == 0)
			return t[i].v;
	return -1;
}

int name_eproto(const char *name) { return nv_find(eproto, sizeof eproto / sizeof eproto[0], name); }
int name_llc(const char *name) { return nv_find(llc, sizeof llc / sizeof llc[0], name); }

/* Does LINE (whitespace-separated fields, '#' comment) name NAME in field 0 or
 * in the aliases from field ALIAS_FROM on?  Copies field 1 into f1. */
static int line_names(char *line, const char *name, int alias_from, char *f1, size_t f1sz)
{
	char *hash = strchr(line, '#');
	if (hash)
		*hash = '\0';
	char *save = NULL, *tok;
	int i = 0, hit = 0;
	for (tok = strtok_r(line, " \t\r\n", &save); tok; tok = strtok_r(NULL, " \t\r\n", &save), i++) {
		if (i == 1) {
			snprintf(f1, f1sz, "%s", tok);
			continue;
		}
		if ((i == 0 || i >= alias_from) && strcmp(tok, name) == 0)
			hit = 1;
	}
	return hit && i >= 2;
}

int name_proto(const char *name)
{
	FILE *f = fopen("/etc/protocols", "r");
	if (!f)
		return nv_find(builtin_protos, sizeof builtin_protos / sizeof builtin_protos[0], name);
	char line[512], f1[64];
	int v = -1;
	while (fgets(line, sizeof line, f))
		if (line_names(line, name, 2, f1, sizeof f1)) {
			v = atoi(f1);
			break;
		}
	fclose(f);
	return v;
}

/* Port of NAME for "tcp" or "udp" (-1 when absent). */
static int serv_lookup(FILE *f, const char *name, const char *proto)
{
	char line[512], f1[64];
	rewind(f);
	while (fgets(line, sizeof line, f))
		if (line_names(line, name, 2, f1, sizeof f1)) {
			char *slash = strchr(f1, '/');
			if (slash && strcmp(slash + 1, proto) == 0)
				return atoi(f1);
		}
	return -1;
}

int name_port(const char *name, int *port, int *proto)
{
	int tcp = -1, udp = -1;
	FILE *f = fopen("/etc/services", "r");
	if (f) {
		tcp = serv_lookup(f, name, "tcp");
		udp = serv_lookup(f, name, "udp");
		fclose(f);
	} else {
		for (size_t i = 0; i < sizeof builtin_services / sizeof builtin_services[0]; i++)
			if (strcmp(builtin_services[i].name, name) == 0) {
				if (builtin_services[i].proto != 17)
					tcp = builtin_services[i].port;
				if (builtin_services[i].proto != 6)
					udp = builtin_services[i].port;
			}
	}
	if (tcp >= 0) {
		*port = tcp;
		*proto = (udp >= 0 && udp == tcp) ? -1 : 6;
		return 1;
	}
	if (udp >= 0) {
		*port = udp;
		*proto = 17;
		return 1;
	}
	return 0;
}
