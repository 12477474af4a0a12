#include "runner.h"

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "action.h"
#include "child.h"
#include "clock.h"
#include "event_line.h"
#include "jbig.h"
#include "launch.h"
#include "memwatch.h"
#include "observe.h"
#include "record.h"
#include "sandbox.h"
#include "suites.h"
#include "tree.h"

#define SERVER_READY_MS 5000    /* real ms for the fake server to print its URL */
#define AFTER_RESULT_MS 1000    /* real ms an adapter may take to exit after its result */
#define INVALID_KEPT 8          /* invalid adapter lines quoted in the record */

volatile sig_atomic_t bc_runner_interrupted;

static void on_signal(int sig) {
    (void)sig;
    bc_runner_interrupted = 1;
}

void bc_runner_trap_signals(void) {
    struct sigaction sa = { .sa_handler = on_signal }; /* no SA_RESTART: poll wakes */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

/* Everything one scenario run holds. */
typedef struct run {
    const bc_runcfg *cfg;
    const bc_scenario *sc;
    char *dir;                  /* temp dir */
    char path[6][512];          /* journal, events, adapter stderr, server log,
                                   what the harness observed, the adapter's TMPDIR */
    bc_sandbox sb;              /* the host sandbox (sandbox.h) */
    json_t *before;             /* its listing before the adapter started */
    const char *before_why;     /* why that listing is not whole, NULL if it is */
    bc_memwatch mem;            /* the adapter group's memory */
    double mem_killed_at;       /* client s when it passed the limit and was killed, or NAN */
    long long mem_at_kill;      /* bytes it held then */
    bool confine_asked;         /* root: the adapter was to run confined */
    int64_t origin;             /* CLOCK_MONOTONIC ns of the time axis origin */
    bc_child server, adapter;
    char url[128];
    FILE *events;               /* stamped adapter lines and fed stdin ops */
    char *line;                 /* partial adapter stdout line */
    size_t line_len;
    size_t line_cap;            /* bytes allocated for line */
    bool skipping;              /* dropping the rest of an over-long line */
    size_t fed;                 /* stdin plan entries fed so far */
    bool ended;                 /* result, error or unsupported event seen, or the
                                   last value event a REST action owes */
    size_t values_due;          /* value events that end the action (action.h) */
    char *unsupported;          /* the reason of an unsupported event, NULL without one */
    size_t lines;               /* stdout lines, events or not */
    bool hung;                  /* deadline passed without an exit */
    int64_t ended_at;           /* ns when it was seen */
    int64_t started_at;         /* ns of the adapter's started event, 0 before */
    json_t *windows;            /* the timing checks' expected windows (evidence) */
    size_t invalid;             /* stdout lines that were not events */
    json_t *invalid_first;      /* the first INVALID_KEPT of them */
} run;

enum { P_JOURNAL, P_EVENTS, P_ASTDERR, P_SLOG, P_OBSERVED, P_TMP };

static double now_t(const run *r) {
    return bc_client_seconds(bc_now_ns(), r->origin, r->cfg->scale);
}

/* The stdin plan and the deadline count from the adapter's started event:
 * an adapter's own start-up (a Node SDK loads 110 MB of native code) is real
 * time, stretched K times on the client's axis, and is no part of the case. */
/* Real time an adapter may take to start (load its SDK) before the
 * scenario's deadline starts counting without it: start-up is no part of the
 * case, and an adapter that reports UNSUPPORTED must get to say so. */
#define START_GRACE_NS (10 * 1000000000LL)

static int64_t after_start_ns(const run *r, double t) {
    return (r->started_at ? r->started_at : r->origin) + bc_real_ns_for(t, r->cfg->scale);
}

/* ---- the fake server ---------------------------------------------------- */

static int read_url(run *r) {
    int64_t until = bc_now_ns() + SERVER_READY_MS * 1000000LL;
    size_t n = 0;
    while (bc_now_ns() < until && !bc_runner_interrupted) {
        struct pollfd p = { r->server.out, POLLIN, 0 };
        if (poll(&p, 1, 50) <= 0) continue;
        ssize_t got = read(r->server.out, r->url + n, sizeof r->url - 1 - n);
        if (got <= 0) return -1;
        n += (size_t)got;
        r->url[n] = 0;
        char *nl = strchr(r->url, '\n');
        if (nl) {
            *nl = 0;
            return 0;
        }
    }
    return -1;
}

static int start_server(run *r) {
    char scale[32], origin[32];
    snprintf(scale, sizeof scale, "%g", r->cfg->scale);
    snprintf(origin, sizeof origin, "%lld", (long long)r->origin);
    char *argv[] = { (char *)r->cfg->fakeserver, "--port", "0", "--scenario", r->sc->path,
                     "--journal", r->path[P_JOURNAL], "--time-scale", scale, "--origin-ns",
                     origin, "--sandbox", r->sb.root, NULL };
    if (bc_child_start(&r->server, argv, NULL, false, true, r->path[P_SLOG], NULL) < 0)
        return -1;
    return read_url(r);
}

/* ---- the adapter --------------------------------------------------------- */

/* As root, the adapter writes nowhere but its sandbox, its TMPDIR and the
 * profile's "writable" paths (confine.h). */
static int start_child(run *r, char **env) {
    const bc_profile *p = r->cfg->profile;
    const char **paths = calloc(p->writable_count + 3, sizeof *paths);
    paths[0] = r->sb.root;
    paths[1] = r->path[P_TMP];
    for (size_t i = 0; i < p->writable_count; i++) paths[2 + i] = p->writable[i];
    bc_confine cf = { 0 };
    r->confine_asked = geteuid() == 0;
    if (r->confine_asked) bc_confine_init(&cf, paths);
    free(paths);
    int rc = bc_child_start(&r->adapter, r->cfg->profile->argv, env, true, true,
                            r->path[P_ASTDERR], r->confine_asked ? &cf : NULL);
    bc_confine_free(&cf);
    return rc;
}

static int start_adapter(run *r) {
    const bc_server *s = &r->sc->server;
    json_t *action = bc_action_json(r->sc, &r->sb);
    char *action_text = json_dumps(action, JSON_COMPACT);
    json_decref(action);
    char *env[9] = { 0 };
    int bad = asprintf(&env[0], "BOXLITE_REST_URL=%s", r->url) < 0;
    bad |= asprintf(&env[1], "BOXLITE_API_KEY=%s", s->token) < 0;
    bad |= asprintf(&env[2], "BOXCONFORM_ACTION=%s", action_text) < 0;
    /* glibc's putenv of a bare name unsets it: an inherited prefix must not leak in */
    bad |= (s->prefix && *s->prefix
                ? asprintf(&env[3], "BOXLITE_REST_PATH_PREFIX=%s", s->prefix)
                : asprintf(&env[3], "BOXLITE_REST_PATH_PREFIX")) < 0;
    if (r->cfg->profile->faketime) {
        bad |= asprintf(&env[4], "LD_PRELOAD=%s", r->cfg->faketime_lib) < 0;
        bad |= asprintf(&env[5], "FAKETIME=+0 x%g", r->cfg->scale) < 0;
        /* a sanitized adapter refuses to start with libfaketime ahead of ASan */
        const char *asan = getenv("ASAN_OPTIONS");
        bad |= asprintf(&env[6], "ASAN_OPTIONS=%s%sverify_asan_link_order=0",
                        asan ? asan : "", asan && *asan ? ":" : "") < 0;
    }
    /* its temp files go where the run's do, and go with them */
    bad |= asprintf(&env[7], "TMPDIR=%s", r->path[P_TMP]) < 0;
    free(action_text);
    int rc = bad ? -1 : start_child(r, env);
    for (size_t i = 0; i < 9; i++) free(env[i]);
    if (rc == 0) bc_mem_init(&r->mem, r->adapter.pid, r->cfg->profile->memory_limit);
    return rc;
}

/* Why the adapter did not start: the exec's own errno, explained. */
static json_t *not_started(const run *r) {
    char why[1024], msg[1100];
    if (r->confine_asked && bc_confine_fatal(r->adapter.confined))
        snprintf(why, sizeof why, "it could not be confined: %s: %s",
                 bc_confine_step_name(r->adapter.confined), strerror(r->adapter.confine_errno));
    else if (r->adapter.exec_failed)
        bc_launch_explain(r->cfg->profile->argv, errno, why, sizeof why);
    else snprintf(why, sizeof why, "%s", strerror(errno));
    snprintf(msg, sizeof msg, "cannot start the adapter: %s", why);
    return bc_run_uniform(r->sc, "ERROR", msg);
}

/* ---- stamping and feeding ------------------------------------------------ */

static void stamp_line(run *r, const char *line, double t) {
    bool ends;
    json_t *v = bc_event_line(line, t, &ends);
    if (r->values_due && bc_ev_is(v, "event", "value") && --r->values_due == 0) ends = true;
    if (ends) {
        if (!r->ended) r->ended_at = bc_now_ns();
        r->ended = true;
    }
    const char *ev = json_string_value(json_object_get(v, "event"));
    r->lines++;
    if (!r->started_at && ev && !strcmp(ev, "started")) r->started_at = bc_now_ns();
    if (!r->unsupported && ev && !strcmp(ev, "unsupported")) {
        const char *reason = json_string_value(json_object_get(v, "reason"));
        r->unsupported = strdup(reason && *reason ? reason : "no reason given");
    }
    if (json_is_true(json_object_get(v, "invalid")) && r->invalid++ < INVALID_KEPT)
        json_array_append(r->invalid_first, json_object_get(v, "message"));
    char *text = bc_jbig_dumps(v, JSON_COMPACT);
    fprintf(r->events, "%s\n", text);
    fflush(r->events);
    free(text);
    json_decref(v);
}

/* Read what the adapter wrote; stamp every complete line. -1 at EOF. */
#define LINE_MAX_BYTES (16u << 20)

static int drain_adapter(run *r) {
    char buf[8192];
    ssize_t n = read(r->adapter.out, buf, sizeof buf);
    if (n < 0) return errno == EINTR || errno == EAGAIN ? 0 : -1;
    if (n == 0) return -1;
    double t = now_t(r);
    const char *from = buf;
    if (r->skipping) {          /* the rest of an over-long line */
        const char *nl = memchr(buf, '\n', (size_t)n);
        if (!nl) return 0;
        r->skipping = false;
        n -= nl + 1 - buf;
        from = nl + 1;
    }
    /* Grow by doubling and look for newlines only in the new bytes: a long
     * line read 8 KiB at a time must cost O(n), not O(n^2). */
    if (r->line_len + (size_t)n + 1 > r->line_cap) {
        while (r->line_len + (size_t)n + 1 > r->line_cap) r->line_cap = r->line_cap ? 2 * r->line_cap : 16384;
        r->line = realloc(r->line, r->line_cap);
    }
    char *start = r->line, *search = r->line + r->line_len, *nl;
    memcpy(search, from, (size_t)n);
    r->line_len += (size_t)n;
    r->line[r->line_len] = 0;
    while ((nl = memchr(search, '\n', r->line_len - (size_t)(search - r->line)))) {
        *nl = 0;
        if (nl > start) stamp_line(r, start, t);
        start = search = nl + 1;
    }
    r->line_len -= (size_t)(start - r->line);
    memmove(r->line, start, r->line_len);
    if (r->line_len > LINE_MAX_BYTES) {  /* an adapter must not grow us without bound */
        stamp_line(r, "(a line of more than 16 MiB without a newline: dropped)", t);
        r->line_len = 0;
        r->skipping = true;
    }
    return 0;
}

/* The entry to the adapter, and a line of the events file saying when. */
static void feed_one(run *r, const bc_stdin_entry *e) {
    /* stamped before the write: once the line is out, the adapter may act on
     * it and the server stamp its request before we would read the clock */
    double fed_at = now_t(r);
    char *line = bc_feed_line(e);
    if (line && r->adapter.in >= 0 && write(r->adapter.in, line, strlen(line)) < 0)
        bc_child_close_in(&r->adapter);
    free(line);
    json_t *record = bc_feed_record(e);
    json_object_set_new(record, "t", json_real(fed_at));
    char *text = json_dumps(record, JSON_COMPACT);
    fprintf(r->events, "%s\n", text);
    fflush(r->events);
    free(text);
    json_decref(record);
}

/* Feed every entry that is due; close stdin after the last. Returns the
 * real time of the next entry, or INT64_MAX. */
static int64_t feed_due(run *r) {
    const bc_client *c = &r->sc->client;
    if (!r->started_at && c->stdin_count) return INT64_MAX; /* no execution to write to yet */
    while (r->fed < c->stdin_count && bc_now_ns() >= after_start_ns(r, c->stdin_plan[r->fed].at))
        feed_one(r, &c->stdin_plan[r->fed++]);
    if (r->fed < c->stdin_count) return after_start_ns(r, c->stdin_plan[r->fed].at);
    bc_child_close_in(&r->adapter);
    return INT64_MAX;
}

/* ---- the loop --------------------------------------------------------------- */

static int timeout_ms(int64_t now, int64_t next, int64_t deadline) {
    int64_t until = next < deadline ? next : deadline;
    int64_t ms = (until - now) / 1000000 + 1;
    return ms < 0 ? 0 : ms > 50 ? 50 : (int)ms;
}

/* Past the memory limit the whole group goes at once; the run goes on to
 * the adapter's exit and the checks (SEC-LIMITS reads the figure). */
static void watch_memory(run *r, int64_t now) {
    if (!isnan(r->mem_killed_at) || r->adapter.exited || !bc_mem_sample(&r->mem, now)) return;
    r->mem_killed_at = now_t(r);
    r->mem_at_kill = r->mem.last;
    kill(-r->adapter.pid, SIGKILL);
}

static void watch_adapter(run *r) {
    bool open_out = true;
    while (!bc_runner_interrupted) {
        int64_t deadline = after_start_ns(r, r->sc->client.deadline);
        if (!r->started_at) deadline += START_GRACE_NS;
        int64_t next = feed_due(r), now = bc_now_ns();
        watch_memory(r, now);
        if (bc_mem_next(&r->mem) < next) next = bc_mem_next(&r->mem);
        if (bc_child_poll(&r->adapter) && !open_out) return;
        if (r->ended && now - r->ended_at > AFTER_RESULT_MS * 1000000LL) return;
        if (now >= deadline) {
            r->hung = !r->adapter.exited;
            return;
        }
        struct pollfd p = { open_out ? r->adapter.out : -1, POLLIN, 0 };
        if (poll(&p, 1, timeout_ms(now, next, deadline)) > 0 && drain_adapter(r) < 0)
            open_out = false;
    }
}

/* ---- verdicts ------------------------------------------------------------- */

static char *tail_of(const char *path, size_t max) {
    FILE *f = fopen(path, "r");
    char *out = calloc(1, max + 1);
    if (!f) return out;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, size > (long)max ? size - (long)max : 0, SEEK_SET);
    size_t n = fread(out, 1, max, f);
    out[n] = 0;
    fclose(f);
    return out;
}

/* JSON strings are UTF-8: text that is not (or was cut mid-character)
 * keeps its ASCII, '?' for the rest. */
static void utf8_or_ascii(char *text) {
    json_t *valid = json_string(text);
    for (char *p = text; !valid && *p; p++)
        if ((unsigned char)*p >= 0x80) *p = '?';
    json_decref(valid);
}

/* The last line of the adapter's stderr, for a message (empty if none). */
static void stderr_last_line(const run *r, char *out, size_t len) {
    char *tail = tail_of(r->path[P_ASTDERR], 1024);
    size_t n = strlen(tail);
    while (n && (tail[n - 1] == '\n' || tail[n - 1] == '\r')) tail[--n] = 0;
    char *nl = strrchr(tail, '\n');
    snprintf(out, len, "%s", nl ? nl + 1 : tail);
    utf8_or_ascii(out);
    free(tail);
}

static json_t *result_json(const bc_scenario *sc, const char *id, const char *verdict,
                           const char *message, const bc_check_result *cr) {
    json_t *res = json_pack("{s:s,s:s,s:s,s:s}", "scenario", sc->info.id, "contract", id,
                            "verdict", verdict, "message", message);
    json_object_set_new(res, "measured", cr && cr->has_measured ? json_real(cr->measured)
                                                               : json_null());
    if (cr && cr->has_window) json_object_set_new(res, "expected", json_real(cr->expected));
    if (cr && cr->doubtful) json_object_set_new(res, "doubtful", json_true());
    return res;
}

json_t *bc_run_uniform(const bc_scenario *sc, const char *verdict, const char *message) {
    json_t *results = json_array();
    for (size_t i = 0; i < sc->info.contract_count; i++)
        json_array_append_new(results, result_json(sc, sc->info.contracts[i]->id, verdict,
                                                   message, NULL));
    return json_pack("{s:s,s:f,s:n,s:s,s:o}", "id", sc->info.id, "wall_s", 0.0,
                     "adapter_exit", "end", verdict, "results", results);
}

static json_t *judge(run *r, bc_evidence *ev) {
    json_t *results = json_array();
    for (size_t i = 0; i < r->sc->info.contract_count; i++) {
        const char *id = r->sc->info.contracts[i]->id;
        bc_check_result cr;
        bc_suite_judge(id, ev, bc_scenario_verify(r->sc, id), &cr);
        json_array_append_new(results, result_json(r->sc, id, bc_verdict_name(cr.verdict),
                                                   cr.message, &cr));
        if (cr.has_window)
            json_array_append_new(r->windows,
                                  bc_record_window(id, cr.from, cr.to, cr.window_label));
    }
    return results;
}

/* An adapter that said "unsupported": it must exit 127 (docs/adapter.md). */
static const char *unsupported_end(const run *r, int code, char *why, size_t whylen) {
    if (code == 127) {
        snprintf(why, whylen, "the adapter cannot do this: %s", r->unsupported);
        return "UNSUPPORTED";
    }
    if (code < 0)
        snprintf(why, whylen, "the adapter said \"unsupported\" (%s) but did not exit 127: "
                 "killed by signal %d", r->unsupported, WTERMSIG(r->adapter.status));
    else
        snprintf(why, whylen, "the adapter said \"unsupported\" (%s) but exited %d, not 127",
                 r->unsupported, code);
    return "CRASHED";
}

/* Exit 126/127 is also how a program fails to start: a shell's "not found",
 * env's missing program, the dynamic loader's missing library. An adapter
 * that printed nothing and whose command cannot start is the set-up's fault. */
static bool start_failure(const run *r, int code, char *why, size_t whylen) {
    char because[1024];
    if ((code != 126 && code != 127) || r->lines ||
        bc_launch_check(r->cfg->profile->argv, because, sizeof because) == 0)
        return false;
    snprintf(why, whylen, "cannot start the adapter: %s", because);
    return true;
}

/* How the adapter ended decides whether its evidence is judged at all. */
static const char *adapter_end(const run *r, char *why, size_t whylen) {
    const bc_child *a = &r->adapter;
    int code = a->exited && WIFEXITED(a->status) ? WEXITSTATUS(a->status) : -1;
    if (r->hung) {
        snprintf(why, whylen, "no result by the deadline (%g s): process group killed",
                 r->sc->client.deadline);
        return "HUNG";
    }
    if (r->unsupported) return unsupported_end(r, code, why, whylen);
    if (r->ended || !isnan(r->mem_killed_at)) return NULL; /* killed: SEC-LIMITS judges it */
    if (start_failure(r, code, why, whylen)) return "ERROR";
    if (a->exited && WIFSIGNALED(a->status)) {
        snprintf(why, whylen, "the adapter died of signal %d without a result",
                 WTERMSIG(a->status));
    } else if (code == 126 || code == 127) {
        char last[256];
        stderr_last_line(r, last, sizeof last);
        snprintf(why, whylen, "the adapter exited %d without a result or an \"unsupported\" "
                 "event%s%s", code, *last ? "; its stderr: " : "", last);
    } else {
        snprintf(why, whylen, "the adapter exited (%d) without a result", code);
    }
    return "CRASHED";
}

/* UNSUPPORTED results say whether the profile declares the scenario
 * unsupported: an undeclared one fails the run (session.c). */
static void mark_declared(json_t *rec, const run *r) {
    bool declared = bc_profile_declares_unsupported(r->cfg->profile, r->sc);
    size_t i;
    json_t *res;
    json_array_foreach(json_object_get(rec, "results"), i, res)
        json_object_set_new(res, "declared", json_boolean(declared));
}

static json_t *verdicts(run *r) {
    char why[1536], err[512];
    json_t *rec;
    const char *end = adapter_end(r, why, sizeof why);
    if (end) {
        rec = bc_run_uniform(r->sc, end, why);
        if (!strcmp(end, "UNSUPPORTED")) mark_declared(rec, r);
        return rec;
    }
    bc_evidence ev;
    bc_ev_init(&ev);
    ev.k = r->cfg->profile->k;
    if (bc_ev_load(&ev, r->path[P_JOURNAL], r->path[P_EVENTS], err, sizeof err) < 0 ||
        bc_ev_load_observed(&ev, r->path[P_OBSERVED], err, sizeof err) < 0)
        rec = bc_run_uniform(r->sc, "ERROR", err);
    else
        rec = json_pack("{s:s,s:s,s:o}", "id", r->sc->info.id, "end", "done", "results",
                        judge(r, &ev));
    bc_ev_free(&ev);
    return rec;
}

/* ---- one scenario ------------------------------------------------------------ */

static void add_exit_info(json_t *rec, const run *r, int64_t started) {
    const bc_child *a = &r->adapter;
    json_object_set_new(rec, "wall_s", json_real((double)(bc_now_ns() - started) / 1e9));
    json_object_set_new(rec, "adapter_exit", a->exited && WIFEXITED(a->status)
                                                 ? json_integer(WEXITSTATUS(a->status))
                                                 : json_null());
    json_object_set_new(rec, "adapter_signal", a->exited && WIFSIGNALED(a->status)
                                                   ? json_integer(WTERMSIG(a->status))
                                                   : json_null());
    char *err = tail_of(r->path[P_ASTDERR], 4000);
    utf8_or_ascii(err);
    json_object_set_new(rec, "stderr", json_string(err));
    free(err);
    if (r->invalid)
        json_object_set_new(rec, "invalid_lines", json_pack("{s:I,s:O}", "count",
                                                            (json_int_t)r->invalid, "first",
                                                            r->invalid_first));
    if (r->cfg->keep) json_object_set_new(rec, "dir", json_string(r->dir));
}

/* The reports draw the timeline from what the run left in its temp dir:
 * copy it into the record before the dir goes. */
static void add_report_info(json_t *rec, run *r, const json_t *observed) {
    json_object_set_new(rec, "title", json_string(r->sc->info.title ? r->sc->info.title : ""));
    if (r->cfg->lean) json_decref(r->windows);
    else bc_record_add_evidence(rec, r->path[P_JOURNAL], r->path[P_EVENTS], r->windows);
    r->windows = NULL;
    bc_record_add_observed(rec, observed, r->cfg->lean);
}

/* The run dir's files, the adapter's TMPDIR, the sandbox and its first
 * listing; NULL, or why they could not be made (in err). */
static const char *prepare(run *r, char *err, size_t errlen) {
    static const char *const names[] = { "journal.jsonl", "events.jsonl", "adapter.stderr",
                                         "server.log", "observed.json", "tmp" };
    for (int i = 0; i < 6; i++) snprintf(r->path[i], sizeof r->path[i], "%s/%s", r->dir, names[i]);
    if (mkdir(r->path[P_TMP], 0700) < 0) {
        snprintf(err, errlen, "cannot create the adapter's TMPDIR: %s", strerror(errno));
        return err;
    }
    if (bc_sandbox_make(&r->sb, r->dir, &r->sc->client, err, errlen) < 0) return err;
    r->before = bc_tree_scan(r->sb.root, &r->before_why);
    r->events = fopen(r->path[P_EVENTS], "w");
    return r->events ? NULL : "cannot create the events file";
}

/* What the harness saw around the adapter (observe.h), into observed.json
 * for the checks; the object for the record. */
static json_t *observe(run *r) {
    json_t *sandbox = r->before ? bc_observe_sandbox(&r->sb, r->before, r->before_why)
                                : json_null();
    r->before = NULL;
    json_t *o = json_pack("{s:o,s:o,s:o,s:o}", "action", bc_action_json(r->sc, &r->sb),
                          "sandbox", sandbox, "memory",
                          bc_observe_memory(&r->mem, r->mem_killed_at, r->mem_at_kill),
                          "confinement", bc_observe_confinement(r->confine_asked, &r->adapter));
    json_dump_file(o, r->path[P_OBSERVED], JSON_COMPACT);
    return o;
}

static void stop_all(run *r) {
    if (r->adapter.pid) {
        bc_child_stop(&r->adapter, SIGTERM, 300);
        bc_faketime_cleanup(r->adapter.pid);
    }
    bc_child_stop(&r->server, SIGTERM, 2000);
    if (r->events) fclose(r->events);
    r->events = NULL;
}

json_t *bc_run_scenario(const bc_runcfg *cfg, const bc_scenario *sc) {
    run r = { .cfg = cfg, .sc = sc, .invalid_first = json_array(), .windows = json_array(),
              .mem_killed_at = NAN, .values_due = bc_action_values_due(&sc->client) };
    int64_t started = bc_now_ns();
    r.dir = bc_tmpdir_make("boxconform");
    if (!r.dir) {
        json_decref(r.windows);
        json_decref(r.invalid_first);
        return bc_run_uniform(sc, "ERROR", "cannot create a temp dir");
    }
    char err[512];
    const char *unprepared = prepare(&r, err, sizeof err);
    r.origin = bc_now_ns();
    json_t *rec = NULL;
    if (unprepared) {
        rec = bc_run_uniform(sc, "ERROR", unprepared);
    } else if (start_server(&r) < 0) {
        char *log = tail_of(r.path[P_SLOG], 300), msg[400];
        snprintf(msg, sizeof msg, "the fake server did not start: %s", log);
        free(log);
        rec = bc_run_uniform(sc, "ERROR", msg);
    } else if (start_adapter(&r) < 0) {
        rec = not_started(&r);
    } else {
        watch_adapter(&r);
    }
    stop_all(&r);
    json_t *observed = observe(&r);
    if (!rec && bc_runner_interrupted) rec = bc_run_uniform(sc, "ERROR", "interrupted");
    if (!rec) rec = verdicts(&r);
    add_exit_info(rec, &r, started);
    add_report_info(rec, &r, observed);
    if (!cfg->keep) bc_tmpdir_remove(r.dir);
    json_decref(observed);
    bc_sandbox_free(&r.sb);
    bc_mem_free(&r.mem);
    free(r.dir);
    free(r.line);
    free(r.unsupported);
    json_decref(r.invalid_first);
    return rec;
}
