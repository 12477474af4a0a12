/* lg_direct.c - reads flood streams without libwebsockets' frame parser.
 *
 * libwebsockets 4.1 (Debian 12) hands client payload through its parser one
 * byte at a time: about 100 MB/s per core, measured at 94 % of the load
 * generator's CPU, the same ceiling for every server. For throughput only,
 * lws still makes the connection, the upgrade and the stdin frame, then the
 * socket is read here and decoded by the fake server's own frame observer
 * (fakeserver/wsframe.c, the one its tests use as a client). */
#include "lg.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "scenario.h"
#include "wsframe.h"

#define LG_READ (256 * 1024)

typedef struct direct_conn {
    lg_session *s;
    fs_wsdec dec;
    int closed;             /* close frame seen, or the stream ended */
} direct_conn;

static void on_frame(void *user, const fs_wsframe *f) {
    direct_conn *c = user;
    lg_session *s = c->s;
    switch (f->opcode) {
    case FS_WS_BINARY:
        if (f->len < 1 || f->kept < f->len || (f->data[0] != 1 && f->data[0] != 2)) {
            s->bad_pattern = 1;
            break;
        }
        if (s->frames == 0) s->t_first = lg_now();
        if (!bc_flood_matches(f->data + 1, f->len - 1, s->out_bytes)) s->bad_pattern = 1;
        s->out_bytes += f->len - 1;
        s->frames++;
        s->t_last = lg_now();
        break;
    case FS_WS_TEXT:
        lg_text_frame(s, (const char *)f->data, f->kept);
        break;
    case FS_WS_CLOSE:
        c->closed = 1;
        break;
    default:
        break; /* pings: the run is shorter than the ping interval */
    }
}

/* One readable socket: everything it has now. */
static void drain(direct_conn *c, uint8_t *buf) {
    for (;;) {
        ssize_t n = recv(c->s->fd, buf, LG_READ, MSG_DONTWAIT);
        if (n > 0) {
            fs_wsdec_feed(&c->dec, buf, (size_t)n, on_frame, c);
            if (c->closed) return;
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return;
        c->closed = 1; /* EOF or error before the close frame */
        return;
    }
}

void lg_direct_read(lg_session *s, int n, double timeout) {
    direct_conn *c = calloc((size_t)n, sizeof *c);
    struct pollfd *p = calloc((size_t)n, sizeof *p);
    uint8_t *buf = malloc(LG_READ);
    for (int i = 0; i < n; i++) {
        c[i].s = &s[i];
        c[i].closed = s[i].fd < 0;
        /* frames up to 16 MiB + channel are kept whole for the pattern check */
        fs_wsdec_init(&c[i].dec, (16u << 20) + 1);
    }
    double end = lg_now() + timeout;
    for (int open = n; open > 0 && lg_now() < end;) {
        for (int i = 0; i < n; i++) p[i] = (struct pollfd){c[i].closed ? -1 : s[i].fd, POLLIN, 0};
        if (poll(p, (nfds_t)n, 100) < 0 && errno != EINTR) break;
        open = 0;
        for (int i = 0; i < n; i++) {
            if (!c[i].closed && p[i].revents) drain(&c[i], buf);
            open += !c[i].closed;
        }
    }
    for (int i = 0; i < n; i++) fs_wsdec_free(&c[i].dec);
    free(buf);
    free(p);
    free(c);
}
