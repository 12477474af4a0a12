/* loop.c - the scenario, the time scale and the lws context, for every module. */
#include "loop.h"

#include "clock.h"

const bc_scenario *fs_scenario;
double fs_scale = 1.0;
int fs_ports[2];
const char *fs_sandbox;

static struct lws_context *loop_ctx;

void fs_loop_init(const bc_scenario *sc, double scale) {
    fs_scenario = sc;
    fs_scale = scale;
}

void fs_loop_set_context(struct lws_context *ctx) { loop_ctx = ctx; }

struct lws_context *fs_loop_context(void) { return loop_ctx; }

lws_usec_t fs_loop_us(double client_seconds) {
    return (lws_usec_t)(bc_real_ns_for(client_seconds, fs_scale) / 1000);
}

void fs_loop_after(lws_sorted_usec_list_t *sul, double client_seconds, sul_cb_t cb) {
    lws_sul_schedule(loop_ctx, 0, sul, cb, fs_loop_us(client_seconds));
}
