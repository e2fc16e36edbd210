# pcat.bash — bash completion for pcat (pcapkit).
_pcat()
{
	local cur prev
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	case $prev in
	-w|--write)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	-c|--count|-s|--snaplen|--from|--to|--shards|--shard-seed)
		return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W '-w --write -m --merge -c --count --from --to
			-s --snaplen --lenient --progress --no-progress -q --quiet
			--shards --shard-seed
			-t --text -tt -ttt -tttt -ttttt -e -v -x -xx -X -XX -S --nano -n
			-h --help --version' -- "$cur"))
		return
	fi
	COMPREPLY=($(compgen -f -X '!*.@(pcap|pcapng|cap|PCAP|PCAPNG|dmp)' -- "$cur") \
		$(compgen -d -- "$cur"))
}
complete -o filenames -F _pcat pcat
