/* lws_thread.h - a libwebsockets server on an ephemeral loopback port,
 * served by its own thread: the body of the tests' small servers. */
#ifndef LT_LWS_THREAD_H
#define LT_LWS_THREAD_H

#include <libwebsockets.h>
#include <pthread.h>

struct lt_server {
    struct lws_context *ctx;
    pthread_t thread;
    volatile int stop;
};

/* Starts serving protocols (user: the context's user pointer); 0 and
 * *port on success. */
int lt_start(struct lt_server *s, const struct lws_protocols *protocols, void *user, int *port);
void lt_stop(struct lt_server *s);

#endif
