/* pipe.c — pipes between the tools widened to 1 MiB (Linux F_SETPIPE_SZ).
 *
 * Why: a 64 KiB pipe wakes its reader on another CPU for every 64 KiB.  On
 * the 2-CPU VM the project is measured on, each such wakeup is an
 * inter-processor interrupt the hypervisor must deliver, and
 * `pcat big.pcap | pfilter 'tcp port 80' | pflows` (1 GiB) took 1.0-1.3 s
 * of wall time, at times 8-12 s with most of it in the kernel, against
 * 0.40 s with 1 MiB pipes (stable over runs).  Either end of a pipe may
 * resize it, so the reader widens the pipe it reads and the writer the one
 * it writes: whichever of our tools sits on a pipe makes it wide.  Only
 * grown, never shrunk (a user's larger pipe stays); a refusal (the user's
 * pipe-user-pages limit) changes nothing but the speed.
 */
#define _GNU_SOURCE        /* F_GETPIPE_SZ, F_SETPIPE_SZ */
#include <fcntl.h>
#include <sys/stat.h>

#include "pipe.h"

void
pk__pipe_widen(int fd)
{
#if defined(F_GETPIPE_SZ) && defined(F_SETPIPE_SZ)
	struct stat st;
	int cur;

	if (fstat(fd, &st) != 0 || !S_ISFIFO(st.st_mode))
		return;
	cur = fcntl(fd, F_GETPIPE_SZ);
	if (cur >= 0 && cur < PK_PIPE_SIZE)
		(void)fcntl(fd, F_SETPIPE_SZ, PK_PIPE_SIZE);
#else
	(void)fd;
#endif
}
