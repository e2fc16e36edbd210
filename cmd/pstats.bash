# pstats.bash — bash completion for pstats(1).
_pstats()
{
	local cur prev
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	case $prev in
	--by)
		COMPREPLY=($(compgen -W "packets bytes" -- "$cur"))
		return ;;
	-i|--interval)
		COMPREPLY=($(compgen -W "100ms 1s 10s 1m 1h" -- "$cur"))
		return ;;
	-e|--expect)
		COMPREPLY=($(compgen -W "packets bytes_captured bytes_wire duration tcp.syn tcp.rst
			quality.issues quality.time_backwards quality.duplicates quality.drops
			quality.damaged_tail quality.acked_unseen protocols.tcp.packets
			protocols.udp.packets" -- "$cur"))
		return ;;
	--top)
		return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "-i --interval --top --by --total --json --csv --tsv
			--ascii -e --expect -q --quiet --lenient --merge -h --help -V --version" -- "$cur"))
		return
	fi
	COMPREPLY=($(compgen -f -X '!*.@(pcap|pcapng|cap|pcap.*)' -- "$cur") $(compgen -d -- "$cur"))
}
complete -o filenames -F _pstats pstats
