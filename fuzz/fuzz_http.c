/* fuzz_http.c - the fake server's handling of client bytes, in process.
 *
 * The real server (tap, lws HTTP/WebSocket, routes, attach scripts) runs in
 * this process on 127.0.0.1 at a high time scale, with a scenario where
 * execution e-1 exists and its attach script does a bit of everything
 * (output, stdin echo, pings, waiting for stdin_eof, exit), and the box
 * resources answer streamed, dripped, redirected, tar and endless bodies.
 * Each input is one client connection: its bytes are written, the write
 * side is shut, and the server is serviced until it ends the connection or
 * 200 ms pass. Every 32 inputs GET /v1/config must still answer 200. Server
 * state (executions, sessions) carries over between inputs, as it does for a
 * real server with many clients. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "exec_state.h"
#include "journal.h"
#include "loop.h"
#include "scenario.h"
#include "server.h"
#include "tarball.h"

#define SCALE 1000.0            /* scripted client seconds pass 1000x faster */
#define CONN_MS 200             /* most real ms one input may take */
/* Most real ms the liveness check waits for /v1/config: a wedged server
 * never answers, a busy machine (or a niced fuzz run) answers late. */
#define ALIVE_MS 3000

static const char scenario_text[] =
    "{\"info\": {\"id\": \"fuzz\", \"title\": \"fuzz\", \"contracts\": [\"RECOV-ONE-RESULT\"]},"
    " \"server\": {\"execution_id\": \"e-1\", \"echo_stdin\": true, \"ping_interval\": 20,"
    "  \"steps\": [{\"out\": \"hi\"}, {\"err\": \"e\"}, {\"wait_for\": \"stdin_eof\", \"max\": 30},"
    "             {\"exit\": 0}],"
    "  \"snapshots\": [\"a/b\"],"
    "  \"metrics\": [{\"bytes\": 100000, \"content_length\": false, \"drip\": 0.001},"
    "               {\"json_depth\": 5000, \"headers\": {\"X-A\": \"1\"}},"
    "               {\"redirect\": {\"status\": 308}, \"repeat\": true}],"
    "  \"files_get\": [{\"tar\": [{\"path\": \"../x\", \"size\": 3000},"
    "                             {\"path\": \"l\", \"type\": \"symlink\", \"target\": \"..\"}]},"
    "                 {\"endless\": true}, {\"header_endless\": true, \"repeat\": true}]},"
    " \"client\": {\"action\": \"attach\"},"
    " \"verify\": {\"RECOV-ONE-RESULT\": {}}}";

static int port;
static unsigned long runs;

static int64_t ms_now(void) { return bc_now_ns() / 1000000; }

static int connect_server(void) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) < 0) abort();
    fcntl(fd, F_SETFL, O_NONBLOCK);
    return fd;
}

/* Writes what it can of p, services the server, collects its reply into
 * out (truncated), until the server closes or ms pass. */
static size_t exchange(const uint8_t *p, size_t n, char *out, size_t cap, int ms) {
    int fd = connect_server();
    size_t sent = 0, got = 0;
    int shut = 0;
    int64_t until = ms_now() + ms;
    while (ms_now() < until) {
        if (sent < n) {
            ssize_t w = send(fd, p + sent, n - sent, MSG_NOSIGNAL);
            if (w > 0) sent += (size_t)w;
            else if (w < 0 && errno != EAGAIN) sent = n;
        }
        if (sent == n && !shut) {
            shutdown(fd, SHUT_WR);
            shut = 1;
        }
        lws_service(fs_loop_context(), -1);
        struct pollfd pf = { fd, POLLIN, 0 };
        if (poll(&pf, 1, 1) <= 0) continue;
        char buf[4096];
        ssize_t r = recv(fd, buf, sizeof buf, 0);
        if (r == 0 || (r < 0 && errno != EAGAIN)) break;
        if (r > 0 && got < cap) {
            size_t take = (size_t)r < cap - got ? (size_t)r : cap - got;
            memcpy(out + got, buf, take);
            got += take;
        }
    }
    close(fd);
    for (int i = 0; i < 5; i++) lws_service(fs_loop_context(), -1);
    return got;
}

static void still_serves(void) {
    static const char req[] = "GET /v1/config HTTP/1.1\r\nHost: x\r\n"
                              "Authorization: Bearer boxconform-key\r\nConnection: close\r\n\r\n";
    char reply[512];
    size_t n = exchange((const uint8_t *)req, sizeof req - 1, reply, sizeof reply - 1, ALIVE_MS);
    reply[n] = 0;
    if (strncmp(reply, "HTTP/1.1 200", 12) != 0) {
        fprintf(stderr, "fuzz_http: /v1/config no longer answers: \"%.80s\"\n", reply);
        abort();
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    signal(SIGPIPE, SIG_IGN);
    char err[512];
    bc_scenario *sc = NULL;
    if (bc_scenario_load_text("fuzz.json", scenario_text, sizeof scenario_text - 1, &sc, err,
                              sizeof err) < 0) {
        fprintf(stderr, "fuzz_http: %s\n", err);
        abort();
    }
    if (fs_journal_open(NULL, bc_now_ns(), SCALE) < 0) abort();
    fs_tar_use(&fs_tar_module);     /* linked in: no module beside this target */
    fs_exec_create(sc->server.execution_id);
    if (fs_server_start(sc, SCALE, 0, &port) < 0) abort();
    still_serves();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char reply[64];
    exchange(data, size, reply, sizeof reply, CONN_MS);
    if (++runs % 32 == 0) still_serves();
    return 0;
}
