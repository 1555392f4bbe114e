#define _GNU_SOURCE
#include "CLinuxEvents.h"

#include <errno.h>
#include <string.h>

int tc_send_datagrams(int fd, const struct sockaddr *to, socklen_t to_length,
                      struct iovec *packets, unsigned int count) {
    enum { batch = 64 };
    struct mmsghdr messages[batch];
    unsigned int sent = 0;
    while (sent < count) {
        unsigned int chunk = count - sent < batch ? count - sent : batch;
        memset(messages, 0, sizeof(struct mmsghdr) * chunk);
        for (unsigned int i = 0; i < chunk; i++) {
            messages[i].msg_hdr.msg_name = (void *)to;
            messages[i].msg_hdr.msg_namelen = to_length;
            messages[i].msg_hdr.msg_iov = &packets[sent + i];
            messages[i].msg_hdr.msg_iovlen = 1;
        }
        int result;
        do {
            result = sendmmsg(fd, messages, chunk, 0);
        } while (result < 0 && errno == EINTR);
        if (result < 0) return sent > 0 ? (int)sent : -1;
        sent += (unsigned int)result;
        if ((unsigned int)result < chunk) break;
    }
    return (int)sent;
}
