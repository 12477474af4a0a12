/* main.c - fakeserver command line.
 *
 *   fakeserver [--port N] [--scenario FILE] [--journal FILE] [--time-scale K]
 *              [--origin-ns NS] [--max-clients N] [--sandbox DIR] [--check]
 *
 * Prints "http://127.0.0.1:PORT" as its first stdout line once it accepts
 * connections (the other origin's URL is in the journal's listen event). A
 * bad scenario is refused before anything starts (exit 2). */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "box_state.h"
#include "clock.h"
#include "exec_state.h"
#include "journal.h"
#include "loop.h"
#include "scenario.h"
#include "server.h"
#include "tap.h"

#define FS_DEFAULT_CLIENTS 1024     /* the harness: one client; hostile tests: hundreds */

typedef struct fs_options {
    int port;                   /* 0: any free port */
    const char *scenario;       /* NULL: the well-behaved default */
    const char *journal;        /* NULL: no journal */
    double scale;               /* client seconds per real second */
    int64_t origin_ns;          /* time axis origin (CLOCK_MONOTONIC ns) */
    int check;                  /* validate the scenario and exit */
    int max_clients;            /* connections at once (sizes the fd limit) */
    char *sandbox;              /* --sandbox: what ${SANDBOX} in tar specs stands for */
} fs_options;

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig) {
    (void)sig;
    stop_requested = 1;
    if (fs_loop_context()) lws_cancel_service(fs_loop_context());
}

static void usage(FILE *f) {
    fprintf(f, "usage: fakeserver [--port N] [--scenario FILE] [--journal FILE] "
               "[--time-scale K] [--origin-ns NS] [--max-clients N] [--sandbox DIR] "
               "[--check]\n");
}

/* Parses a number that must fill its whole argument. */
static int parse_number(const char *opt, const char *arg, double *out) {
    char *end;
    errno = 0;
    *out = strtod(arg, &end);
    if (errno || end == arg || *end) {
        fprintf(stderr, "fakeserver: %s: expected a number, got \"%s\"\n", opt, arg);
        return -1;
    }
    return 0;
}

static int parse_options(int argc, char **argv, fs_options *o) {
    static const struct option longs[] = {
        {"port", required_argument, NULL, 'p'},       {"scenario", required_argument, NULL, 's'},
        {"journal", required_argument, NULL, 'j'},    {"time-scale", required_argument, NULL, 'k'},
        {"origin-ns", required_argument, NULL, 'o'},  {"check", no_argument, NULL, 'c'},
        {"max-clients", required_argument, NULL, 'm'}, {"sandbox", required_argument, NULL, 'x'},
        {"help", no_argument, NULL, 'h'},             {NULL, 0, NULL, 0},
    };
    double v;
    int c;
    memset(o, 0, sizeof *o);
    o->scale = 1.0;
    o->origin_ns = -1;
    o->max_clients = FS_DEFAULT_CLIENTS;
    while ((c = getopt_long(argc, argv, "", longs, NULL)) != -1) {
        switch (c) {
        case 'p':
            if (parse_number("--port", optarg, &v) || v < 0 || v > 65535 || v != (int)v) return -1;
            o->port = (int)v;
            break;
        case 's': o->scenario = optarg; break;
        case 'j': o->journal = optarg; break;
        case 'k':
            if (parse_number("--time-scale", optarg, &v)) return -1;
            if (!(v > 0)) {
                fprintf(stderr, "fakeserver: --time-scale: expected a number > 0\n");
                return -1;
            }
            o->scale = v;
            break;
        case 'o': {
            char *end;
            errno = 0;
            long long ns = strtoll(optarg, &end, 10);
            if (errno || end == optarg || *end || ns < 0) {
                fprintf(stderr, "fakeserver: --origin-ns: expected a CLOCK_MONOTONIC reading in ns\n");
                return -1;
            }
            o->origin_ns = ns;
            break;
        }
        case 'c': o->check = 1; break;
        case 'm':
            if (parse_number("--max-clients", optarg, &v) || v < 1 || v > 1000000 || v != (int)v) return -1;
            o->max_clients = (int)v;
            break;
        case 'x':
            /* absolute, so a tar entry under it names the same place wherever
             * the client runs; no trailing '/' (${SANDBOX}/ brings its own) */
            if (optarg[0] != '/') {
                fprintf(stderr, "fakeserver: --sandbox: expected an absolute directory, got \"%s\"\n",
                        optarg);
                return -1;
            }
            free(o->sandbox);
            o->sandbox = strdup(optarg);
            for (size_t n = strlen(o->sandbox); n > 1 && o->sandbox[n - 1] == '/';) o->sandbox[--n] = '\0';
            break;
        case 'h': usage(stdout); exit(0);
        default: usage(stderr); return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "fakeserver: unexpected argument \"%s\"\n", argv[optind]);
        return -1;
    }
    return 0;
}

/* Three descriptors per client, plus a few of our own. The limit is set to
 * just that (the hard limit if lower), not to the hard limit: libwebsockets
 * 4.1 sizes its descriptor table by it and scans all of it on every close,
 * so a bigger table costs every connection (a hard limit of 2^20 is common;
 * 16384 instead of 3136 cost a third of the setups per second). */
static void set_fd_limit(int max_clients) {
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return;
    rlim_t want = (rlim_t)max_clients * 3 + 64;
    if (want > rl.rlim_max) want = rl.rlim_max;
    if (rl.rlim_cur == want) return;
    rl.rlim_cur = want;
    setrlimit(RLIMIT_NOFILE, &rl);
}

static bc_scenario *load_scenario(const char *path) {
    char err[1024];
    bc_scenario *sc = NULL;
    if (!path) return bc_scenario_default();
    if (bc_scenario_load(path, &sc, err, sizeof err) < 0) {
        fprintf(stderr, "%s\n", err);
        return NULL;
    }
    return sc;
}

static void journal_listen(const char *url, const fs_options *o) {
    char other[64];
    snprintf(other, sizeof other, "http://127.0.0.1:%d", fs_ports[FS_ORIGIN_OTHER]);
    json_t *e = fs_journal_event("listen", 0);
    json_object_set_new(e, "url", json_string(url));
    json_object_set_new(e, "other_url", json_string(other));
    json_object_set_new(e, "sandbox", o->sandbox ? json_string(o->sandbox) : json_null());
    json_object_set_new(e, "scale", json_real(o->scale));
    json_object_set_new(e, "scenario", o->scenario ? json_string(o->scenario) : json_null());
    fs_journal_emit(e);
}

static void install_signals(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

/* A tar spec naming ${SANDBOX} needs to know where that is. */
static int sandbox_known(const bc_scenario *sc, const fs_options *o) {
    if (!bc_scenario_uses_sandbox(sc) || o->sandbox) return 0;
    fprintf(stderr, "fakeserver: %s: its tars name ${SANDBOX}: expected --sandbox DIR\n",
            o->scenario);
    return -1;
}

int main(int argc, char **argv) {
    fs_options o;
    int64_t start_ns = bc_now_ns();
    if (parse_options(argc, argv, &o) < 0) return 2;
    bc_scenario *sc = load_scenario(o.scenario);
    if (!sc) return 2;
    if (o.check || sandbox_known(sc, &o) < 0) {
        bc_scenario_free(sc);
        free(o.sandbox);
        return o.check ? 0 : 2;
    }
    fs_sandbox = o.sandbox;
    set_fd_limit(o.max_clients);
    install_signals();
    if (fs_journal_open(o.journal, o.origin_ns >= 0 ? o.origin_ns : start_ns, o.scale) < 0) {
        fprintf(stderr, "fakeserver: %s: cannot open the journal: %s\n", o.journal, strerror(errno));
        bc_scenario_free(sc);
        free(o.sandbox);
        return 2;
    }
    if (sc->server.execution_id && sc->client.action == BC_ACTION_ATTACH)
        fs_exec_create(sc->server.execution_id);
    int port = 0;
    if (fs_server_start(sc, o.scale, o.port, &port) < 0) {
        fprintf(stderr, "fakeserver: cannot listen on 127.0.0.1:%d: %s\n", o.port, strerror(errno));
        fs_server_stop();
        bc_scenario_free(sc);
        free(o.sandbox);
        return 1;
    }
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
    printf("%s\n", url);
    fflush(stdout);
    journal_listen(url, &o);
    fs_server_run(&stop_requested);
    fs_journal_emit(fs_journal_event("shutdown", 0));
    fs_server_stop();
    fs_exec_free_all();
    fs_box_free_all();
    fs_journal_close();
    bc_scenario_free(sc);
    free(o.sandbox);
    return 0;
}
