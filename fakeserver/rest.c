/* rest.c - a request's life: refusals, call counting, scripted faults, sending. */
#include "rest.h"

#include <stdio.h>
#include <string.h>

#include "api.h"
#include "clock.h"
#include "boxes.h"
#include "exec_state.h"
#include "loop.h"
#include "reply.h"
#include "request.h"
#include "tap.h"

static int rest_calls[BC_EP_COUNT]; /* server-wide call counters */
static int next_request = 1;

void fs_rest_reset(fs_session *s) {
    /* a streamed answer the client left before its end */
    if (s->reply.streaming) fs_reply_journal_cut(s);
    fs_request_reset(&s->request);
    fs_reply_reset(&s->reply);
}

int fs_rest_begin(fs_session *s) {
    fs_rest_reset(s);
    s->request.num = next_request++;
    int body = fs_request_read_head(s);
    fs_api_route(s);
    return body;
}

/* ---- before the endpoint ------------------------------------------------- */

/* gin's own answer to a path no route matches. */
static const char gin_no_route[] = "404 page not found";

/* A refusal before the endpoint sets the error reply and returns 1. */
static int refuse(fs_session *s, int upgrading) {
    fs_request *rq = &s->request;
    const fs_route *r = rq->route;
    const char *box = fs_request_param(s, "box"), *exec = fs_request_param(s, "exec");
    char msg[64];
    if (!r) fs_reply_bytes(s, 404, "text/plain", gin_no_route, sizeof gin_no_route - 1);
    else if (!rq->auth_ok && fs_scenario->server.auth_enforce) fs_reply_error(s, 401, "missing or invalid bearer token");
    else if (box && !fs_boxes_exists(box)) fs_reply_error(s, 404, "box not found");
    else if (rq->body_too_big && (r->flags & FS_ROUTE_UPLOAD))
        fs_reply_form(s, 413, BC_FORM_ENVELOPE, "request body too large"); /* boxlite serve's */
    else if (rq->body_too_big) fs_reply_error(s, 413, "request body too large");
    else if (exec && !(rq->exec = fs_exec_find(exec))) fs_reply_error(s, 404, "execution not found");
    else if ((r->flags & FS_ROUTE_UPGRADE) && !upgrading) {
        snprintf(msg, sizeof msg, "%s needs a WebSocket upgrade", bc_endpoint_name(r->ep));
        fs_reply_error(s, 400, msg);
    } else return 0;
    return 1;
}

static void count_call(fs_session *s) {
    fs_request *rq = &s->request;
    const fs_route *r = rq->route;
    rq->call = (r->flags & FS_ROUTE_PER_EXEC) ? ++rq->exec->calls[r->ep] : ++rest_calls[r->ep];
}

/* The whole request reached us: the tap counts it and says when it came,
 * the journal shows it. */
static void request_seen(fs_session *s) {
    fs_tap *t = fs_tap_find(s->conn);
    s->request.arrived_ns = t ? fs_tap_request_seen(t) : bc_now_ns();
    fs_request_journal(s);
}

/* ---- the call ------------------------------------------------------------ */

static void reply_due(lws_sorted_usec_list_t *sul) {
    fs_session *s = lws_container_of(sul, fs_session, reply.sul);
    s->reply.ready = 1;
    lws_callback_on_writable(s->wsi);
}

static void send_when_due(fs_session *s, double delay) {
    if (delay <= 0) {
        s->reply.ready = 1;
        lws_callback_on_writable(s->wsi);
        return;
    }
    s->reply.fault = "delay";
    /* lws's own content timeout must outlast the delay. */
    lws_set_timeout(s->wsi, PENDING_TIMEOUT_HTTP_CONTENT, (int)(delay / fs_scale) + 30);
    fs_loop_after(&s->reply.sul, delay, reply_due);
}

static void apply_fault(fs_session *s, const bc_reply *r) {
    fs_tap *t = fs_tap_find(s->conn);
    if (r->rst) {
        fs_reply_journal(s, "rst");
        if (t) fs_tap_rst(t);
        return;
    }
    fs_reply_journal(s, "hang");
    if (t) fs_tap_hold(t, r->hang_forever ? -1 : fs_loop_us(r->hang_seconds));
    /* lws must not give up on a reply we never send. */
    lws_set_timeout(s->wsi, NO_PENDING_TIMEOUT, 0);
}

/* A scripted reply with a status or body replaces the endpoint's own answer;
 * one with only a delay or modifiers (drip, content_length, headers) keeps
 * it, modified. */
static void answer(fs_session *s, const bc_reply *r) {
    const fs_route *route = s->request.route;
    if (r && (r->status || r->body_kind != BC_BODY_NONE)) {
        fs_reply_scripted(s, r, route->scripted_status);
        if (route->on_scripted) route->on_scripted(s);
    } else {
        route->answer(s);
    }
    fs_reply_modify(s, r);
}

void fs_rest_decide(fs_session *s) {
    if (s->request.decided++) return;
    if (refuse(s, 0)) {
        request_seen(s);
        send_when_due(s, 0);
        return;
    }
    count_call(s);
    request_seen(s);
    const bc_reply *r = bc_scenario_reply(fs_scenario, s->request.route->ep, s->request.call);
    if (r && (r->rst || r->hang)) {
        apply_fault(s, r);
        return;
    }
    answer(s, r);
    send_when_due(s, r ? r->delay : 0);
}

int fs_rest_write(fs_session *s) {
    if (!s->reply.ready) return 0;
    s->reply.ready = 0;
    int more = fs_reply_send(s, strcmp(s->request.method, "HEAD"));
    if (more > 0) return 0; /* the next piece is due by itself */
    if (more < 0 && s->reply.streaming) fs_reply_journal_cut(s); /* the client left */
    else fs_reply_journal(s, s->reply.fault);
    s->reply.streaming = 0; /* journaled */
    if (more < 0) return -1;
    fs_tap *t = fs_tap_find(s->conn);
    if (t) fs_tap_answer_done(t);
    if (s->request.unframed) return -1; /* its Connection: close (reply_send.c) */
    return lws_http_transaction_completed(s->wsi) ? -1 : 0;
}

int fs_rest_upgrade(fs_session *s) {
    fs_rest_begin(s);
    const fs_route *r = s->request.route;
    if (r && !(r->flags & FS_ROUTE_UPGRADE)) s->request.route = NULL; /* nothing else upgrades */
    int refused = refuse(s, 1);
    if (!refused) count_call(s);
    request_seen(s);
    if (refused) return fs_reply_refuse_upgrade(s);
    return s->request.route->upgrade(s);
}
