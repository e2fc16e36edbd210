/* pipe.h — pipes between the tools widened (lib/pipe.c; not public). */
#ifndef PK_PIPE_H
#define PK_PIPE_H

/* The buffer asked for a pipe the library reads or writes pcap through:
 * Linux's limit for unprivileged processes (/proc/sys/fs/pipe-max-size). */
#define PK_PIPE_SIZE (1 << 20)

/* When FD is a pipe or FIFO whose buffer is smaller than PK_PIPE_SIZE,
 * grow it; anything else, or a refusal, leaves it as it is. */
void pk__pipe_widen(int fd);

#endif
