/* client_run.c - see client_run.h. */
#include "client_run.h"

#include <jansson.h>
#include <libwebsockets.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"

#define CR_FAKETIME_LIB "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"


static pid_t spawn(const char *const *argv, int port, const char *action,
                   const char *faketime, int *to_child, int *from_child)
{
    int in[2], out[2];
    if (pipe(in) || pipe(out))
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        char url[64];
        snprintf(url, sizeof(url), "http://127.0.0.1:%d", port);
        dup2(in[0], 0);
        dup2(out[1], 1);
        close(in[1]);
        close(out[0]);
        setenv("BOXLITE_REST_URL", url, 1);
        setenv("BOXLITE_API_KEY", "test-key", 1);
        setenv("BOXCONFORM_ACTION", action, 1);
        if (faketime) {
            setenv("LD_PRELOAD", CR_FAKETIME_LIB, 1);
            setenv("FAKETIME", faketime, 1);
            setenv("FAKETIME_NO_CACHE", "1", 1);
            /* A sanitized build wants its runtime first; the preload is fine. */
            setenv("ASAN_OPTIONS", "verify_asan_link_order=0", 0);
        }
        execv(argv[0], (char *const *)argv);
        _exit(126);
    }
    close(in[0]);
    close(out[1]);
    *to_child = in[1];
    *from_child = out[0];
    return pid;
}

static void take_lines(struct cr_run *r, char *buf, size_t *len)
{
    char *nl;
    while ((nl = memchr(buf, '\n', *len))) {
        size_t n = (size_t)(nl - buf);
        if (r->n < CR_MAX_EVENTS) {
            r->events[r->n] = strndup(buf, n);
            r->at_ns[r->n++] = bc_now_ns();
        }
        memmove(buf, nl + 1, *len - n - 1);
        *len -= n + 1;
    }
}

static void feed_plan(int fd, const struct cr_plan_line *plan, int plan_len, int *next,
                      double elapsed)
{
    while (*next < plan_len && plan[*next].at <= elapsed) {
        if (write(fd, plan[*next].line, strlen(plan[*next].line)) < 0 || write(fd, "\n", 1) < 0)
            break;
        (*next)++;
    }
}

int cr_run(const char *const *argv, int port, const char *action,
           const struct cr_plan_line *plan, int plan_len, double deadline_s,
           const char *faketime, struct cr_run *out)
{
    int to_child, from_child, next = 0, status = 0;
    char buf[65536];
    size_t len = 0;
    memset(out, 0, sizeof(*out));
    out->start_ns = bc_now_ns();
    signal(SIGPIPE, SIG_IGN);
    pid_t pid = spawn(argv, port, action, faketime, &to_child, &from_child);
    if (pid < 0)
        return -1;
    for (;;) {
        double elapsed = (double)(bc_now_ns() - out->start_ns) / 1e9;
        feed_plan(to_child, plan, plan_len, &next, elapsed);
        if (next == plan_len && to_child >= 0) {
            close(to_child);
            to_child = -1;
        }
        if (elapsed > deadline_s)
            break;
        struct pollfd pfd = { from_child, POLLIN, 0 };
        if (poll(&pfd, 1, 10) <= 0)
            continue;
        ssize_t n = read(from_child, buf + len, sizeof(buf) - len - 1);
        if (n <= 0)
            break;
        len += (size_t)n;
        take_lines(out, buf, &len);
    }
    if (to_child >= 0)
        close(to_child);
    close(from_child);
    /* Output closed means the child is exiting: give it a moment. */
    pid_t reaped = 0;
    for (int i = 0; i < 200 && (reaped = waitpid(pid, &status, WNOHANG)) == 0; i++)
        usleep(10000);
    if (reaped == 0) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        out->exit_status = -1;
        return 0;
    }
    out->exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return 0;
}

void cr_free(struct cr_run *r)
{
    for (int i = 0; i < r->n; i++)
        free(r->events[i]);
    r->n = 0;
}

/* Values may hold integers past jansson's 2^63-1: read them as reals here. */
static int is_event(const char *line, const char *event)
{
    json_t *root = json_loads(line, JSON_DECODE_INT_AS_REAL, NULL);
    const char *e = json_string_value(json_object_get(root, "event"));
    int match = e && strcmp(e, event) == 0;
    json_decref(root);
    return match;
}

int cr_count(const struct cr_run *r, const char *event)
{
    int c = 0;
    for (int i = 0; i < r->n; i++)
        c += is_event(r->events[i], event);
    return c;
}

const char *cr_find(const struct cr_run *r, const char *event, int nth)
{
    for (int i = 0; i < r->n; i++)
        if (is_event(r->events[i], event) && nth-- == 0)
            return r->events[i];
    return NULL;
}

uint8_t *cr_output(const struct cr_run *r, const char *stream, size_t *len)
{
    uint8_t *all = malloc(65536);
    *len = 0;
    for (int i = 0; i < r->n; i++) {
        if (!is_event(r->events[i], stream))
            continue;
        json_t *root = json_loads(r->events[i], 0, NULL);
        const char *b64 = json_string_value(json_object_get(root, "data_b64"));
        int n = b64 ? lws_b64_decode_string(b64, (char *)all + *len, (int)(65536 - *len)) : 0;
        *len += n > 0 ? (size_t)n : 0;
        json_decref(root);
    }
    return all;
}

int cr_result(const struct cr_run *r, int *exit_code, char **message)
{
    const char *line = cr_find(r, "result", 0);
    if (!line)
        return -1;
    json_t *root = json_loads(line, 0, NULL);
    *exit_code = (int)json_integer_value(json_object_get(root, "exit_code"));
    const char *m = json_string_value(json_object_get(root, "error_message"));
    *message = m ? strdup(m) : NULL;
    json_decref(root);
    return 0;
}
