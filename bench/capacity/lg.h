/* lg.h - the capacity load generator's parts.
 *
 * One lws context, one thread: every connection is a libwebsockets client,
 * the REST POST as much as the attach WebSocket, so thousands of them run
 * side by side in one event loop. A session walks
 *   POST /v1/boxes/box-1/exec -> 201 -> GET .../attach (101) -> frames -> closed
 * and tells its mode when it is attached and when it has ended. */
#ifndef LG_H
#define LG_H

#include <stddef.h>
#include <stdint.h>

#include <libwebsockets.h>

#define LG_TOKEN "boxconform-key"
#define LG_BOX "box-1"

typedef enum lg_phase {
    LG_POSTING,                 /* the exec request is on its way */
    LG_ATTACHING,               /* the upgrade is on its way */
    LG_OPEN,                    /* attached: frames flow */
    LG_ENDED                    /* closed, cleanly or not */
} lg_phase;

typedef struct lg_session lg_session;

/* What the mode hears from its sessions. */
typedef struct lg_hooks {
    void (*attached)(lg_session *s);
    void (*ended)(lg_session *s);
} lg_hooks;

struct lg_session {
    int index;                  /* the mode's number for it */
    lg_phase phase;
    struct lws *wsi;            /* the attach, once open */
    struct lws *post_wsi;       /* the exec POST's connection (ignored once answered) */
    int http_status;            /* of the exec POST */
    char body[512];             /* its response body */
    size_t body_len;
    char exec_id[64];
    /* what arrived on the attach */
    uint64_t out_bytes;         /* output bytes (channel bytes not counted) */
    uint64_t frames;            /* binary frames */
    int was_open;               /* the upgrade was answered 101 */
    int exit_seen, exit_code;
    char text[256];             /* text message being assembled */
    size_t text_len;
    int bad_pattern;            /* output differed from the flood pattern */
    const char *error;          /* why it failed, NULL if it did not */
    double t_first, t_last;     /* first and last binary data, seconds */
    /* direct reading (throughput): lws does the upgrade and sends one stdin
     * byte, then stops reading; the mode reads the socket itself */
    int direct;                 /* set by the mode before lg_start */
    int fd;                     /* the attach socket, once handed over */
};

/* The server under test: http://HOST:PORT. 0 or -1 (bad URL, no context). */
int lg_client_init(const char *base_url);
void lg_set_hooks(const lg_hooks *hooks); /* the mode that listens from now on */
void lg_client_free(void);
struct lws_context *lg_context(void);
void lg_start(lg_session *s);        /* fresh session: POST, then attach */
void lg_close(lg_session *s);        /* close its connection (normal closure) */
double lg_now(void);                 /* CLOCK_MONOTONIC seconds */
/* A whole text frame of s: an exit frame sets exit_seen, exit_code, t_last. */
void lg_text_frame(lg_session *s, const char *text, size_t len);

/* lg_direct.c: reads the attach streams of sessions s[0..n) (handed over
 * by lws) to their close frames, within timeout seconds. */
void lg_direct_read(lg_session *s, int n, double timeout);

#endif
