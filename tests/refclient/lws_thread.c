/* lws_thread.c - see lws_thread.h. */
#include "lws_thread.h"

#include <string.h>

static void *serve(void *arg)
{
    struct lt_server *s = arg;
    while (!s->stop)
        lws_service(s->ctx, 0);
    return NULL;
}

int lt_start(struct lt_server *s, const struct lws_protocols *protocols, void *user, int *port)
{
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof(info));
    info.port = 0;
    info.iface = "127.0.0.1";
    info.protocols = protocols;
    info.user = user;
    info.fd_limit_per_thread = 64;
    info.options = LWS_SERVER_OPTION_DISABLE_IPV6;
    lws_set_log_level(LLL_ERR, NULL);
    s->stop = 0;
    s->ctx = lws_create_context(&info);
    if (!s->ctx)
        return -1;
    *port = lws_get_vhost_listen_port(lws_get_vhost_by_name(s->ctx, "default"));
    pthread_create(&s->thread, NULL, serve, s);
    return 0;
}

void lt_stop(struct lt_server *s)
{
    s->stop = 1;
    lws_cancel_service(s->ctx);
    pthread_join(s->thread, NULL);
    lws_context_destroy(s->ctx);
}
