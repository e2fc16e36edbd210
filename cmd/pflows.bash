# pflows.bash — bash completion for pflows(1).
_pflows()
{
	local cur prev
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	case $prev in
	-s|--sort)
		COMPREPLY=($(compgen -W "start duration bytes pkts" -- "$cur"))
		return ;;
	-n|--top|--server-ports|--tcp-timeout|--udp-timeout|--icmp-timeout|--close-delay|--max-flows|--seed|--end-time)
		return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "-j --json --conn-log --csv --stream -s --sort -n --top -e --explain -l --ladder --ascii --full
			--zeek --server-ports --validate-checksums --no-checksums --vlan --no-vlan
			--attempt-timer --tcp-timeout --udp-timeout --icmp-timeout --close-delay
			--max-flows --seed --end-time --lenient -h --help -V --version" -- "$cur"))
		return
	fi
	COMPREPLY=($(compgen -f -X '!*.@(pcap|pcapng|cap|pcap.*)' -- "$cur") $(compgen -d -- "$cur"))
}
complete -o filenames -F _pflows pflows
