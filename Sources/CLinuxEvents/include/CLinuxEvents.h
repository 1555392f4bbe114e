#ifndef C_LINUX_EVENTS_H
#define C_LINUX_EVENTS_H

// What Glibc's Swift module leaves out and tc-tftpd's transfer loops need: epoll, eventfd, and
// sendmmsg (a GNU extension, so it is called through a function defined with _GNU_SOURCE).
#include <stddef.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>

/// Sends each of `packets` as one datagram to `to`, with as few system calls as sendmmsg
/// allows. Returns how many were sent (fewer when the socket's buffer is full), or -1 with errno
/// set when not even the first could be.
int tc_send_datagrams(int fd, const struct sockaddr *to, socklen_t to_length,
                      struct iovec *packets, unsigned int count);

#endif
