#include "cost.h"

#include <math.h>
#include <string.h>

/* A conforming client's walk through a scenario, in client seconds. */
typedef struct walk {
    const bc_scenario *s;
    const bc_constants *k;
    double t;                   /* now */
    double last;                /* when the connection last saw a frame (or opened) */
    bool seen;                  /* any frame on any connection: the watchdog applies */
    bool finished;              /* the execution completed: a probe says so */
    double backoff, spent;      /* next reconnect wait, the waits so far */
    int probes;                 /* status probes made */
} walk;

/* What a step (or a connection) leads to. */
typedef enum { GO_ON, DROPPED, ENDED } outcome;

static double timeout_of(const walk *w) {
    return w->seen ? w->k->watchdog : w->k->first_frame;
}

static bool pings_keep_alive(const walk *w) {
    double every = w->s->server.ping_interval;
    return every > 0 && every < timeout_of(w);
}

/* Nothing sent for s seconds (forever when s < 0): DROPPED when the client's
 * timer fires first. */
static outcome quiet(walk *w, double s) {
    if (s < 0 || w->t + s > w->last + timeout_of(w)) {
        w->t = w->last + timeout_of(w);
        return DROPPED;
    }
    w->t += s;
    return GO_ON;
}

/* When the stdin plan has closed stdin (eof) or written `bytes` bytes; -1
 * never. Counted from the client's start, like the walk. */
static double stdin_due(const bc_client *c, bool eof, size_t bytes) {
    size_t sent = 0;
    for (size_t i = 0; i < c->stdin_count; i++) {
        sent += c->stdin_plan[i].bytes.len;
        if (eof ? c->stdin_plan[i].op == BC_FEED_CLOSE : sent >= bytes) return c->stdin_plan[i].at;
    }
    return -1;
}

/* Time passes with the server's pings going on (they are frames); a server
 * that exits on stdin_eof ends it when the plan closes stdin. */
static outcome idle(walk *w, double s) {
    double eof = stdin_due(&w->s->client, true, 0);
    if (w->s->server.has_exit_on_stdin_eof && eof >= 0 && (s < 0 || eof <= w->t + s)) {
        w->t = fmax(w->t, eof);
        return ENDED;
    }
    if (!pings_keep_alive(w)) return quiet(w, s);
    w->t += s < 0 ? w->s->client.deadline : s;
    w->last = w->t;
    return GO_ON;
}

static outcome wait_for(walk *w, const bc_step *st) {
    double due = stdin_due(&w->s->client, st->action == BC_STEP_WAIT_FOR_EOF, st->byte_count);
    double s = due < 0 ? -1 : fmax(due - w->t, 0);
    if (!st->forever && (s < 0 || s > st->seconds)) s = st->seconds;
    return idle(w, s);
}

static outcome frame(walk *w, const bc_frame *f) {
    w->seen = true;
    w->last = w->t;
    return f->kind == BC_FRAME_EXIT ? ENDED : GO_ON;
}

static outcome step(walk *w, const bc_step *st) {
    switch (st->action) {
    case BC_STEP_FRAME: return frame(w, &st->frame);
    case BC_STEP_DRIP:
        w->t += st->interval * (double)(st->frame.bytes.len + 2); /* + the frame's header */
        return frame(w, &st->frame);
    case BC_STEP_FLOOD: w->seen = true, w->last = w->t; return GO_ON;
    case BC_STEP_WAIT: return idle(w, st->seconds);
    case BC_STEP_WAIT_FOR_EOF:
    case BC_STEP_WAIT_FOR_STDIN: return wait_for(w, st);
    case BC_STEP_SILENCE: return quiet(w, st->forever ? -1 : st->seconds);
    case BC_STEP_HALF_OPEN: quiet(w, st->forever ? -1 : st->seconds); return DROPPED;
    case BC_STEP_CUT: return st->then == BC_THEN_HOLD ? quiet(w, -1) : DROPPED;
    case BC_STEP_FINISH: w->finished = true; return GO_ON;
    case BC_STEP_CLOSE:
    case BC_STEP_FIN:
    case BC_STEP_RST: return DROPPED;
    }
    return GO_ON;
}

/* A connection that was upgraded: its script, then what follows its end. */
static outcome connection(walk *w, const bc_script *script) {
    w->last = w->t;
    w->backoff = w->k->backoff_initial;     /* an upgrade resets the backoff */
    for (size_t i = 0; i < script->count; i++) {
        outcome o = step(w, &script->steps[i]);
        if (o != GO_ON) return o;
    }
    outcome o = idle(w, -1);
    return o == GO_ON ? ENDED : o;  /* kept alive: until the deadline */
}

/* The status probe after a drop: true when it ends the execution. */
static bool probe_ends(walk *w) {
    const bc_reply *r = bc_scenario_reply(w->s, BC_EP_PROBE, ++w->probes);
    if (!r) return w->finished;
    if (r->hang || r->delay >= w->k->probe_timeout) {
        w->t += w->k->probe_timeout;
        return false;
    }
    w->t += r->delay;
    const char *st = r->state ? r->state : "";
    return r->status == 404 || !strcmp(st, "completed") || !strcmp(st, "killed") ||
           !strcmp(st, "timed_out");
}

/* The REST calls' own waits (the walk has the probes): an answer that hangs
 * or drips its body keeps the client until its REST timeout, a delayed one
 * for its delay. */
static double rest_waits(const bc_scenario *s, const bc_constants *k) {
    double t = 0;
    for (int ep = 0; ep < BC_EP_COUNT; ep++) {
        if (ep == BC_EP_PROBE || ep == BC_EP_ATTACH) continue;
        const bc_reply_list *l = &s->server.replies[ep];
        for (size_t i = 0; i < l->count; i++) {
            const bc_reply *r = &l->items[i];
            t += r->hang || r->drip > 0 ? k->rest_timeout : fmin(r->delay, k->rest_timeout);
        }
    }
    return t;
}

double bc_cost_nominal(const bc_scenario *s, const bc_constants *k) {
    walk w = { .s = s, .k = k, .backoff = k->backoff_initial, .t = rest_waits(s, k) };
    double deadline = s->client.deadline;
    for (int a = 1; a <= 1000 && w.t < deadline; a++) {
        const bc_attempt *att = bc_scenario_attempt(s, a);
        if (att && att->reject) {   /* a failed reconnect: no disconnect, no probe */
            if (a == 1 && s->client.action == BC_ACTION_ATTACH) break; /* fails at attach */
        } else if (att && att->hang) {
            w.t += att->hang_forever ? k->handshake : fmin(att->hang_seconds, k->handshake);
        } else if (connection(&w, bc_scenario_script(s, att)) == ENDED || probe_ends(&w)) {
            break;
        }
        if (w.spent + w.backoff > k->budget) {
            probe_ends(&w);                 /* the last probe */
            break;
        }
        w.t += w.backoff;
        w.spent += w.backoff;
        w.backoff = fmin(2 * w.backoff, k->backoff_max);
    }
    return fmax(1, fmin(w.t, deadline));
}
