# pfilter.bash — bash completion for pfilter (pcapkit).
_pfilter()
{
	local cur prev
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	case $prev in
	-w|--write|--fail|-r|--read|-F|--file|--flows)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	--shard|--shards|--shard-seed)
		return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W '-v --invert -c --count -q --quiet -w --write --fail
			-r --read -F --file -d --dump -dd -ddd -O --no-optimize --lenient
			--shard --shards --shard-seed --flows
			-t --text -e -x -xx -X -XX -S -n --nano --verbose -h --help --version' -- "$cur"))
		return
	fi
	if [[ $COMP_CWORD -gt 1 ]]; then
		COMPREPLY=($(compgen -f -X '!*.@(pcap|pcapng|cap|PCAP|PCAPNG|dmp)' -- "$cur") \
			$(compgen -d -- "$cur"))
		return
	fi
	COMPREPLY=($(compgen -W 'host net port portrange src dst ether ip ip6 arp
		tcp udp icmp icmp6 vlan mpls proto and or not less greater' -- "$cur"))
}
complete -o filenames -F _pfilter pfilter
