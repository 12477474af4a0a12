/* scenario.c - the loaded model: lookups, defaults, freeing.
 * Parsing and validation live in scenario_load.c. */
#include "scenario.h"

#include <stdlib.h>
#include <string.h>

#include "scenario_parts.h"

static const bc_reply *pick_reply(const bc_reply_list *l, int call) {
    if (call < 1) return NULL;
    if ((size_t)call <= l->count) return &l->items[call - 1];
    for (size_t i = l->count; i > 0; i--)
        if (l->items[i - 1].repeat) return &l->items[i - 1];
    return NULL;
}

const bc_attempt *bc_scenario_attempt(const bc_scenario *s, int attempt) {
    const bc_server *srv = &s->server;
    if (attempt < 1) return NULL;
    if ((size_t)attempt <= srv->attach_count) return &srv->attach[attempt - 1];
    for (size_t i = srv->attach_count; i > 0; i--)
        if (srv->attach[i - 1].repeat) return &srv->attach[i - 1];
    return NULL;
}

const bc_script *bc_scenario_script(const bc_scenario *s, const bc_attempt *a) {
    return a && a->has_steps ? &a->script : &s->server.steps;
}

bool bc_scenario_replays(const bc_scenario *s, const bc_attempt *a) {
    return a && a->replay >= 0 ? a->replay == 1 : s->server.replay;
}

const bc_reply *bc_scenario_reply(const bc_scenario *s, bc_endpoint ep, int call) {
    if (ep == BC_EP_ATTACH) {
        const bc_attempt *a = bc_scenario_attempt(s, call);
        return a ? a->reject : NULL;
    }
    if ((unsigned)ep >= BC_EP_COUNT) return NULL;
    return pick_reply(&s->server.replies[ep], call);
}

json_t *bc_scenario_verify(const bc_scenario *s, const char *id) {
    return json_object_get(s->verify, id);
}

const char *bc_endpoint_name(bc_endpoint ep) {
    static const char *const names[BC_EP_COUNT] = {
        "config", "box", "exec", "probe", "kill", "signal", "resize", "attach",
        "start", "stop", "metrics", "files_put", "files_get", "snapshot_create",
        "snapshot_list", "snapshot_get", "snapshot_remove", "snapshot_restore", "clone",
        "export",
    };
    return (unsigned)ep < BC_EP_COUNT ? names[ep] : "unknown";
}

const char *bc_step_action_name(bc_step_action a) {
    static const char *const names[] = {
        [BC_STEP_FRAME] = "frame",         [BC_STEP_WAIT] = "wait",
        [BC_STEP_SILENCE] = "silence",     [BC_STEP_WAIT_FOR_EOF] = "wait_for",
        [BC_STEP_WAIT_FOR_STDIN] = "wait_for", [BC_STEP_CLOSE] = "close",
        [BC_STEP_FIN] = "fin",             [BC_STEP_RST] = "rst",
        [BC_STEP_HALF_OPEN] = "half_open", [BC_STEP_CUT] = "cut",
        [BC_STEP_DRIP] = "drip",           [BC_STEP_FINISH] = "finish",
        [BC_STEP_FLOOD] = "flood",
    };
    return (unsigned)a < sizeof names / sizeof names[0] ? names[a] : "unknown";
}

bool bc_scenario_uses_sandbox(const bc_scenario *s) {
    const bc_server *srv = &s->server;
    if (srv->files.uses_sandbox) return true;
    for (int ep = 0; ep < BC_EP_COUNT; ep++)
        for (size_t i = 0; i < srv->replies[ep].count; i++)
            if (srv->replies[ep].items[i].tar.uses_sandbox) return true;
    return false;
}

/* ---- freeing (every field may be half-built: the loader frees on error) -- */

static void free_list(bc_reply_list *l) {
    for (size_t i = 0; i < l->count; i++) bc_scenario_free_reply(&l->items[i]);
    free(l->items);
}

static void free_script(bc_script *sc) {
    for (size_t i = 0; i < sc->count; i++) {
        free(sc->steps[i].frame.bytes.data);
        free(sc->steps[i].close_reason);
    }
    free(sc->steps);
}

static void free_server(bc_server *srv) {
    free(srv->token);
    free(srv->prefix);
    free(srv->box_id);
    free(srv->box_status);
    free(srv->execution_id);
    free_script(&srv->steps);
    for (size_t i = 0; i < srv->attach_count; i++) {
        bc_scenario_free_reply(srv->attach[i].reject);
        free(srv->attach[i].reject);
        free_script(&srv->attach[i].script);
    }
    free(srv->attach);
    for (int ep = 0; ep < BC_EP_COUNT; ep++) free_list(&srv->replies[ep]);
    json_decref(srv->box_info);
    json_decref(srv->metrics_info);
    json_decref(srv->snapshots);
    bc_scenario_free_tar(&srv->files);
}

void bc_scenario_free_strings(char **v, size_t n) {
    for (size_t i = 0; i < n; i++) free(v[i]);
    free(v);
}

void bc_scenario_free(bc_scenario *s) {
    if (!s) return;
    free(s->path);
    free(s->info.id);
    free(s->info.title);
    free(s->info.contracts);
    bc_scenario_free_strings(s->info.keywords, s->info.keyword_count);
    free_server(&s->server);
    bc_scenario_free_client(&s->client);
    json_decref(s->verify);
    free(s);
}

int bc_flood_matches(const uint8_t *p, size_t n, unsigned long long off) {
    /* 64 periods plus one: any phase, then whole chunks, compared by memcmp */
    enum { CHUNK = 64 * BC_FLOOD_PERIOD };
    static uint8_t periods[CHUNK + BC_FLOOD_PERIOD];
    if (!periods[0])
        for (size_t i = 0; i < sizeof periods; i++)
            periods[i] = (uint8_t)BC_FLOOD_PATTERN[i % BC_FLOOD_PERIOD];
    while (n > 0) {
        size_t k = n < CHUNK ? n : CHUNK;
        if (memcmp(p, periods + off % BC_FLOOD_PERIOD, k) != 0) return 0;
        p += k;
        off += k;
        n -= k;
    }
    return 1;
}
