/* lg_modes.c - sessions held, flood throughput, setups per second.
 *
 * Sessions start from a zero-delay timer, never from inside a session's own
 * callback: an ended session's connection may still be inside lws. */
#include "lg_modes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lg.h"

#define LG_SETTLE 1.0       /* s between the last attach and the RSS reading */
#define LG_DRAIN 10.0       /* s allowed for open sessions to end at the close */

typedef struct lg_run {
    lg_session *s;          /* sessions (setups: one slot per concurrent cycle) */
    int n;
    int started, inflight;  /* sessions started; started but not attached/ended */
    int attached, ended, failed, dropped;
    int done;               /* the loop may stop */
    double deadline;        /* setups: no new cycle after this */
    uint64_t completed;     /* setups: cycles finished before the deadline */
    int ramp;               /* sessions: most setups in flight */
    lws_sorted_usec_list_t refill_sul, phase_sul;
} lg_run;

static lg_run run;

long lg_rss_kb(pid_t pid) {
    char path[64], line[256];
    long kb = -1;
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld kB", &kb) == 1) break;
    fclose(f);
    return kb;
}

static void schedule(lws_sorted_usec_list_t *sul, sul_cb_t cb, double seconds) {
    lws_sul_schedule(lg_context(), 0, sul, cb, (lws_usec_t)(seconds * LWS_US_PER_SEC));
}

/* The loop may stop. lws runs due timers before it polls, so a timer that
 * ends the run must also wake the poll that follows it. */
static void finish(void) {
    run.done = 1;
    lws_cancel_service(lg_context());
}

static void serve_until_done(void) {
    while (!run.done)
        if (lws_service(lg_context(), 0) < 0) break;
}

static void run_reset(int n) {
    memset(&run, 0, sizeof run);
    run.n = n;
    run.s = calloc((size_t)n, sizeof *run.s);
    for (int i = 0; i < n; i++) run.s[i].index = i;
}

/* ---- sessions: hold n attaches at once ---------------------------------------- */

static pid_t sessions_pid;
static double hold_seconds, t_begin, t_all;
static long rss_before, rss_held;

static void sessions_refill(lws_sorted_usec_list_t *sul) {
    (void)sul;
    while (run.started < run.n && run.inflight < run.ramp) {
        run.inflight++;
        lg_start(&run.s[run.started++]);
    }
}

static int closing;     /* sessions: the hold is over, all are being closed */

static void sessions_closed_all(lws_sorted_usec_list_t *sul) {
    (void)sul;
    finish(); /* stragglers past LG_DRAIN are not waited for */
}

static void sessions_hold_over(lws_sorted_usec_list_t *sul) {
    (void)sul;
    int open = 0;
    for (int i = 0; i < run.n; i++)
        if (run.s[i].phase == LG_OPEN) open++;
    run.dropped = run.attached - open;
    closing = 1;
    if (run.ended == run.started) finish();
    for (int i = 0; i < run.n; i++) lg_close(&run.s[i]);
    schedule(&run.phase_sul, sessions_closed_all, LG_DRAIN);
}

static void sessions_settled(lws_sorted_usec_list_t *sul) {
    (void)sul;
    if (sessions_pid > 0) rss_held = lg_rss_kb(sessions_pid);
    schedule(&run.phase_sul, sessions_hold_over, hold_seconds);
}

static void sessions_check_all_up(void) {
    if (run.attached + run.failed < run.n || t_all > 0) return;
    t_all = lg_now();
    schedule(&run.phase_sul, sessions_settled, LG_SETTLE);
}

static void sessions_attached(lg_session *s) {
    (void)s;
    run.inflight--;
    run.attached++;
    schedule(&run.refill_sul, sessions_refill, 0);
    sessions_check_all_up();
}

static void sessions_ended(lg_session *s) {
    run.ended++;
    if (!s->was_open) {
        run.inflight--;
        run.failed++;
        if (run.failed <= 3) fprintf(stderr, "loadgen: session %d: %s\n", s->index, s->error);
        schedule(&run.refill_sul, sessions_refill, 0);
        sessions_check_all_up();
    }
    if (closing && run.ended == run.started) finish();
}

int lg_mode_sessions(int n, int ramp, double hold, pid_t server_pid) {
    static const lg_hooks hooks = {sessions_attached, sessions_ended};
    lg_set_hooks(&hooks);
    run_reset(n);
    run.ramp = ramp;
    closing = 0;
    t_all = 0;
    rss_held = -1;
    sessions_pid = server_pid;
    hold_seconds = hold;
    rss_before = server_pid > 0 ? lg_rss_kb(server_pid) : -1;
    t_begin = lg_now();
    schedule(&run.refill_sul, sessions_refill, 0);
    serve_until_done();
    int held = run.attached - run.dropped;
    printf("mode=sessions n=%d held=%d failed=%d dropped=%d setup_s=%.3f rss_before_kb=%ld "
           "rss_held_kb=%ld per_session_b=%.0f\n",
           n, held, run.failed, run.dropped, t_all - t_begin, rss_before, rss_held,
           held > 0 && rss_held > 0 ? (double)(rss_held - rss_before) * 1024.0 / held : -1.0);
    free(run.s);
    return held == n ? 0 : 1;
}

/* ---- throughput: floods received ------------------------------------------------ */

static uint64_t want_bytes, want_frames;
static int bad_sessions;

#define LG_FLOOD_TIMEOUT 300.0  /* s: a flood not done by then is an error */

static int flood_attached;      /* sessions handed over so far */
static int flood_read;          /* the direct reading is over */

static void throughput_read(lws_sorted_usec_list_t *sul) {
    (void)sul;
    lg_direct_read(run.s, run.n, LG_FLOOD_TIMEOUT);
    flood_read = 1;
    if (run.ended == run.n) finish();
    for (int i = 0; i < run.n; i++) lg_close(&run.s[i]);
}

/* Reading starts once every attach is up (or has failed). */
static void throughput_check_all_up(void) {
    if (flood_attached + run.ended == run.n)
        schedule(&run.phase_sul, throughput_read, 0);
}

static void throughput_attached(lg_session *s) {
    (void)s;
    flood_attached++;
    throughput_check_all_up();
}

static void throughput_ended(lg_session *s) {
    int ok = !s->error && s->exit_seen && s->exit_code == 0 && !s->bad_pattern &&
             s->out_bytes == want_bytes && s->frames == want_frames;
    if (!ok) {
        bad_sessions++;
        fprintf(stderr, "loadgen: flood %d: %s, %llu of %llu bytes, %llu frames, exit %s, pattern %s\n",
                s->index, s->error ? s->error : "closed", (unsigned long long)s->out_bytes,
                (unsigned long long)want_bytes, (unsigned long long)s->frames,
                s->exit_seen ? "seen" : "missing", s->bad_pattern ? "WRONG" : "ok");
    }
    ++run.ended;
    if (!flood_read && !s->was_open) throughput_check_all_up();
    if (flood_read && run.ended == run.n) finish();
}

static void throughput_start(lws_sorted_usec_list_t *sul) {
    (void)sul;
    for (int i = 0; i < run.n; i++) {
        run.s[i].direct = 1;
        lg_start(&run.s[i]);
    }
}

int lg_mode_throughput(uint64_t bytes, uint64_t frame, int conns) {
    static const lg_hooks hooks = {throughput_attached, throughput_ended};
    lg_set_hooks(&hooks);
    run_reset(conns);
    want_bytes = bytes;
    want_frames = frame ? (bytes + frame - 1) / frame : 0;
    bad_sessions = 0;
    flood_attached = flood_read = 0;
    schedule(&run.refill_sul, throughput_start, 0);
    serve_until_done();
    /* From the first output byte anywhere to the last exit frame. */
    double t0 = 0, t1 = 0;
    uint64_t total = 0, frames = 0;
    for (int i = 0; i < conns; i++) {
        const lg_session *s = &run.s[i];
        if (s->t_first > 0 && (t0 == 0 || s->t_first < t0)) t0 = s->t_first;
        if (s->t_last > t1) t1 = s->t_last;
        total += s->out_bytes;
        frames += s->frames;
    }
    double secs = t1 > t0 ? t1 - t0 : 0;
    printf("mode=throughput conns=%d bytes=%llu frame=%llu frames=%llu seconds=%.4f mbps=%.1f "
           "fps=%.0f errors=%d\n",
           conns, (unsigned long long)total, (unsigned long long)frame,
           (unsigned long long)frames, secs, secs > 0 ? (double)total / secs / 1e6 : 0,
           secs > 0 ? (double)frames / secs : 0, bad_sessions);
    free(run.s);
    return bad_sessions ? 1 : 0;
}

/* ---- setups: full cycles per second ---------------------------------------------- */

static void setups_restart(lws_sorted_usec_list_t *sul);
static int setups_errors;

static void setups_attached(lg_session *s) { (void)s; }

static void setups_ended(lg_session *s) {
    int ok = !s->error && s->exit_seen && s->exit_code == 0;
    double now = lg_now();
    if (!ok && ++setups_errors <= 3)
        fprintf(stderr, "loadgen: cycle on slot %d: %s\n", s->index, s->error ? s->error : "no exit 0");
    if (ok && now <= run.deadline) run.completed++;
    run.inflight--;
    if (now < run.deadline) schedule(&run.refill_sul, setups_restart, 0);
    else if (run.inflight == 0) finish();
}

/* Every idle slot starts its next cycle. */
static void setups_restart(lws_sorted_usec_list_t *sul) {
    (void)sul;
    if (lg_now() >= run.deadline) return;
    for (int i = 0; i < run.n; i++)
        if (run.s[i].phase == LG_ENDED) {
            run.inflight++;
            lg_start(&run.s[i]);
        }
}

static void setups_time_up(lws_sorted_usec_list_t *sul) {
    (void)sul;
    if (run.inflight == 0) finish();
    else schedule(&run.phase_sul, setups_time_up, 0.05);
}

int lg_mode_setups(double seconds, int concurrency) {
    static const lg_hooks hooks = {setups_attached, setups_ended};
    lg_set_hooks(&hooks);
    run_reset(concurrency);
    for (int i = 0; i < concurrency; i++) run.s[i].phase = LG_ENDED;
    setups_errors = 0;
    double t0 = lg_now();
    run.deadline = t0 + seconds;
    schedule(&run.refill_sul, setups_restart, 0);
    schedule(&run.phase_sul, setups_time_up, seconds);
    serve_until_done();
    printf("mode=setups seconds=%.1f concurrency=%d cycles=%llu per_s=%.0f errors=%d\n", seconds,
           concurrency, (unsigned long long)run.completed, (double)run.completed / seconds,
           setups_errors);
    free(run.s);
    return setups_errors ? 1 : 0;
}
