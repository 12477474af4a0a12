/* fs_testlib.c - a raw-socket client and process handling for fakeserver tests. */
#include "fs_testlib.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef FAKESERVER_BIN
#error "FAKESERVER_BIN must name the fakeserver binary"
#endif

double fst_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

double fst_client_t(const fst_server *s, double now) { return (now - s->origin) * s->scale; }

static int read_line(int fd, char *buf, size_t cap, int timeout_ms) {
    size_t n = 0;
    double end = fst_now() + timeout_ms / 1000.0;
    while (n + 1 < cap) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int left = (int)((end - fst_now()) * 1000);
        if (left <= 0 || poll(&p, 1, left) <= 0) return -1;
        if (read(fd, buf + n, 1) != 1) return -1;
        if (buf[n] == '\n') break;
        n++;
    }
    buf[n] = '\0';
    return 0;
}

int fst_start(fst_server *s, const char *scenario_json, double scale) {
    return fst_start_args(s, scenario_json, scale, NULL);
}

/* Starts the server on scenario file scen (NULL: none) with more args. */
static int spawn(fst_server *s, const char *scen, double scale, const char *const *args) {
    int out[2];
    if (pipe2(out, O_CLOEXEC) < 0) return -1;
    char k[32], origin[32];
    snprintf(k, sizeof k, "%g", scale);
    s->origin = fst_now();
    snprintf(origin, sizeof origin, "%.0f", s->origin * 1e9);
    const char *argv[32] = {"fakeserver", "--port", "0", "--journal", s->journal,
                            "--time-scale", k, "--origin-ns", origin};
    size_t argc = 9;
    if (scen) {
        argv[argc++] = "--scenario";
        argv[argc++] = scen;
    }
    for (size_t i = 0; args && args[i] && argc < 31; i++) argv[argc++] = args[i];
    s->pid = fork();
    if (s->pid == 0) {
        dup2(out[1], 1);
        execv(FAKESERVER_BIN, (char *const *)argv);
        _exit(127);
    }
    close(out[1]);
    char line[128];
    int r = read_line(out[0], line, sizeof line, 5000);
    close(out[0]);
    if (r < 0 || sscanf(line, "http://127.0.0.1:%d", &s->port) != 1) {
        fst_stop(s);
        return -1;
    }
    return 0;
}

/* A fresh temp dir for the journal (and a scenario copy). */
static int make_dir(fst_server *s, double scale) {
    memset(s, 0, sizeof *s);
    s->scale = scale;
    snprintf(s->dir, sizeof s->dir, "/tmp/fstest.XXXXXX");
    if (!mkdtemp(s->dir)) return -1;
    snprintf(s->journal, sizeof s->journal, "%s/journal.jsonl", s->dir);
    return 0;
}

int fst_start_args(fst_server *s, const char *scenario_json, double scale,
                   const char *const *args) {
    if (make_dir(s, scale) < 0) return -1;
    char scen[128];
    snprintf(scen, sizeof scen, "%s/t.json", s->dir);
    if (scenario_json) {
        FILE *f = fopen(scen, "w");
        if (!f) return -1;
        fputs(scenario_json, f);
        fclose(f);
    }
    return spawn(s, scenario_json ? scen : NULL, scale, args);
}

int fst_start_file(fst_server *s, const char *path, double scale, const char *const *args) {
    if (make_dir(s, scale) < 0) return -1;
    return spawn(s, path, scale, args);
}

int fst_start_server(fst_server *s, const char *server_json, int attach, double scale) {
    char *text;
    if (asprintf(&text,
                 "{\"info\":{\"id\":\"t\",\"title\":\"fakeserver test\",\"contracts\":[\"WIRE-OUT\"]},"
                 "\"server\":%s,\"client\":{\"action\":\"%s\"},\"verify\":{\"WIRE-OUT\":{}}}",
                 server_json, attach ? "attach" : "exec") < 0)
        return -1;
    int r = fst_start(s, text, scale);
    free(text);
    return r;
}

int fst_stop(fst_server *s) {
    int clean = 0;
    if (s->pid > 0) {
        kill(s->pid, SIGTERM);
        int status = -1;
        double end = fst_now() + 3;
        while (waitpid(s->pid, &status, WNOHANG) == 0) {
            if (fst_now() > end) {
                kill(s->pid, SIGKILL);
                waitpid(s->pid, &status, 0);
                break;
            }
            usleep(5000);
        }
        clean = WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
        s->pid = 0;
    }
    if (s->dir[0]) {
        char p[160];
        snprintf(p, sizeof p, "%s/t.json", s->dir);
        unlink(p);
        unlink(s->journal);
        rmdir(s->dir);
        s->dir[0] = '\0';
    }
    return clean;
}

int fst_other_port(const fst_server *s) {
    json_t *j = fst_wait_event(s, "listen", NULL, NULL, 2000); /* written just after the URL */
    if (!j) return 0;
    json_t *e = fst_find(j, "listen", NULL, NULL, 1);
    const char *url = json_string_value(json_object_get(e, "other_url"));
    int port = 0;
    if (!url || sscanf(url, "http://127.0.0.1:%d", &port) != 1) port = 0;
    json_decref(j);
    return port;
}

long fst_proc_kib(const fst_server *s, const char *field) {
    char path[64], line[256];
    long kib = -1;
    snprintf(path, sizeof path, "/proc/%d/status", (int)s->pid);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    size_t n = strlen(field);
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, field, n) && line[n] == ':') kib = atol(line + n + 1);
    fclose(f);
    return kib;
}

int fst_connect(const fst_server *s) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s->port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (fd < 0) return -1;
    if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

int fst_send(int fd, const void *p, size_t n) {
    const uint8_t *b = p;
    while (n > 0) {
        ssize_t w = send(fd, b, n, MSG_NOSIGNAL);
        if (w <= 0) return -1;
        b += w;
        n -= (size_t)w;
    }
    return 0;
}

ssize_t fst_recv(int fd, void *buf, size_t cap, int timeout_ms) {
    struct pollfd p = {.fd = fd, .events = POLLIN};
    int r = poll(&p, 1, timeout_ms);
    if (r == 0) return 0;
    if (r < 0) return -2;
    ssize_t n = recv(fd, buf, cap, 0);
    if (n == 0) return -1;
    return n < 0 ? -2 : n;
}

static int header_end(const char *buf, size_t n) {
    for (size_t i = 3; i < n; i++)
        if (!memcmp(buf + i - 3, "\r\n\r\n", 4)) return (int)i + 1;
    return -1;
}

int fst_read_response(int fd, char *buf, size_t cap, const char **resp_body, int timeout_ms) {
    size_t n = 0;
    double end = fst_now() + timeout_ms / 1000.0;
    int status = 0;
    *resp_body = NULL;
    for (;;) {
        buf[n] = '\0';
        int he = header_end(buf, n);
        if (he > 0) {
            /* a real server answers HTTP/1.1, refused upgrades included */
            sscanf(buf, "HTTP/1.1 %d", &status);
            const char *cl = strcasestr(buf, "content-length:");
            size_t want = cl && cl < buf + he ? (size_t)atol(cl + 15) : 0;
            if (n >= (size_t)he + want) {
                *resp_body = buf + he;
                return status;
            }
        }
        int left = (int)((end - fst_now()) * 1000);
        if (left <= 0 || n + 1 >= cap) return 0;
        ssize_t r = fst_recv(fd, buf + n, cap - n - 1, left);
        if (r <= 0) return 0;
        n += (size_t)r;
    }
}

int fst_http(const fst_server *s, const char *method, const char *path, const char *body,
             char *buf, size_t cap, const char **resp_body, int timeout_ms) {
    int fd = fst_connect(s);
    if (fd < 0) return 0;
    char req[4096];
    int n = snprintf(req, sizeof req, "%s %s HTTP/1.1\r\nHost: x\r\n" FST_AUTH
                     "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                     method, path, body ? strlen(body) : 0, body ? body : "");
    int status = 0;
    if (fst_send(fd, req, (size_t)n) == 0)
        status = fst_read_response(fd, buf, cap, resp_body, timeout_ms);
    close(fd);
    return status;
}

int fst_ws_open(const fst_server *s, const char *path, int *fd_out, char *head, size_t cap,
                int timeout_ms) {
    int fd = fst_connect(s);
    *fd_out = fd;
    if (fd < 0) return 0;
    char req[2048];
    int n = snprintf(req, sizeof req,
                     "GET %s HTTP/1.1\r\nHost: x\r\n" FST_AUTH "Upgrade: websocket\r\n"
                     "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                     "Sec-WebSocket-Version: 13\r\n\r\n", path);
    if (fst_send(fd, req, (size_t)n) < 0) return 0;
    /* Read the head byte by byte so no frame byte is swallowed with it. */
    size_t got = 0;
    double end = fst_now() + timeout_ms / 1000.0;
    while (got + 1 < cap) {
        int left = (int)((end - fst_now()) * 1000);
        if (left <= 0) return 0;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, left) <= 0) return 0;
        if (recv(fd, head + got, 1, 0) != 1) return 0;
        got++;
        head[got] = '\0';
        if (header_end(head, got) > 0) break;
    }
    int status = 0;
    sscanf(head, "HTTP/1.1 %d", &status);
    return status;
}

int fst_ws_send(int fd, int opcode, const void *p, size_t n) {
    static const uint8_t mask[4] = {0x12, 0x34, 0x56, 0x78};
    size_t need = fs_wsframe_encode(NULL, 0, 1, opcode, p, n, mask);
    uint8_t *buf = malloc(need);
    fs_wsframe_encode(buf, need, 1, opcode, p, n, mask);
    int r = fst_send(fd, buf, need);
    free(buf);
    return r;
}

typedef struct read_ctx {
    fst_frame *f;
    int done;
} read_ctx;

static void got_frame(void *user, const fs_wsframe *w) {
    read_ctx *c = user;
    c->f->opcode = w->opcode;
    c->f->fin = w->fin;
    c->f->masked = w->masked;
    c->f->len = (size_t)w->len;
    memcpy(c->f->data, w->data, w->kept < sizeof c->f->data ? w->kept : sizeof c->f->data);
    c->done = 1;
}

/* Reads one byte at a time so nothing after the frame is consumed. */
int fst_ws_read(int fd, fst_frame *f, int timeout_ms) {
    fs_wsdec d;
    read_ctx c = {f, 0};
    fs_wsdec_init(&d, sizeof f->data);
    double end = fst_now() + timeout_ms / 1000.0;
    int r = 0;
    while (!c.done) {
        int left = (int)((end - fst_now()) * 1000);
        uint8_t b;
        if (left <= 0) break;
        ssize_t n = fst_recv(fd, &b, 1, left);
        if (n <= 0) {
            r = n == 0 ? 0 : (int)n;
            break;
        }
        fs_wsdec_feed(&d, &b, 1, got_frame, &c);
    }
    fs_wsdec_free(&d);
    return c.done ? 1 : r;
}

json_t *fst_journal(const fst_server *s) {
    json_t *all = json_array();
    FILE *f = fopen(s->journal, "r");
    if (!f) return all;
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        json_t *e = json_loads(line, 0, NULL);
        if (e) json_array_append_new(all, e);
    }
    free(line);
    fclose(f);
    return all;
}

static int matches(json_t *e, const char *ev, const char *key, const char *value) {
    if (strcmp(json_string_value(json_object_get(e, "ev")) ?: "", ev)) return 0;
    if (!key) return 1;
    json_t *v = json_object_get(e, key);
    char text[256];
    if (json_is_string(v)) snprintf(text, sizeof text, "%s", json_string_value(v));
    else if (json_is_integer(v)) snprintf(text, sizeof text, "%lld", (long long)json_integer_value(v));
    else if (json_is_boolean(v)) snprintf(text, sizeof text, "%s", json_is_true(v) ? "true" : "false");
    else return 0;
    return !strcmp(text, value);
}

json_t *fst_find(json_t *journal, const char *ev, const char *key, const char *value, int n) {
    size_t i;
    json_t *e;
    json_array_foreach(journal, i, e) if (matches(e, ev, key, value) && --n == 0) return e;
    return NULL;
}

int fst_count(json_t *journal, const char *ev, const char *key, const char *value) {
    size_t i;
    json_t *e;
    int n = 0;
    json_array_foreach(journal, i, e) n += matches(e, ev, key, value);
    return n;
}

json_t *fst_wait_event(const fst_server *s, const char *ev, const char *key, const char *value,
                       int timeout_ms) {
    double end = fst_now() + timeout_ms / 1000.0;
    for (;;) {
        json_t *j = fst_journal(s);
        if (fst_find(j, ev, key, value, 1)) return j;
        json_decref(j);
        if (fst_now() > end) return NULL;
        usleep(10000);
    }
}

int fst_setup(void **state) {
    static fst_server server;
    memset(&server, 0, sizeof server);
    *state = &server;
    return 0;
}

int fst_teardown(void **state) {
    return fst_stop(*state);
}
