/* fs_testlib.h - play a client against a real fakeserver process.
 *
 * Tests must see raw bytes to observe faults, so the client side is plain
 * sockets: an HTTP request writer, a WebSocket handshake and masked frames,
 * and the server's own frame observer to read frames back. Every read has a
 * deadline; every server is killed and reaped, its files removed. */
#ifndef FS_TESTLIB_H
#define FS_TESTLIB_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <jansson.h>

#include "wsframe.h"

typedef struct fst_server {
    pid_t pid;                  /* the fakeserver process */
    int port;                   /* from its first stdout line */
    char dir[64];               /* temp dir holding scenario and journal */
    char journal[128];          /* journal path */
    double scale;               /* --time-scale */
    double origin;              /* --origin-ns, as fst_now() seconds: the journal's 0 */
} fst_server;

typedef struct fst_frame {
    int opcode, fin, masked;
    uint8_t data[70000];        /* payload (first 64 KiB + a bit) */
    size_t len;                 /* payload length */
} fst_frame;

/* Starts fakeserver with scenario text (id must be "t"), NULL for the
 * default; 0 on success. */
int fst_start(fst_server *s, const char *scenario_json, double scale);
/* The same with more command-line arguments (NULL-ended), e.g. --sandbox. */
int fst_start_args(fst_server *s, const char *scenario_json, double scale,
                   const char *const *args);
/* The same on a scenario file as it is (its info.id is its name). */
int fst_start_file(fst_server *s, const char *path, double scale, const char *const *args);
/* cmocka fixtures: a fresh fst_server in *state; the teardown stops it and
 * fails the test when it did not exit cleanly (crash, sanitizer report). */
int fst_setup(void **state);
int fst_teardown(void **state);
/* Wraps a "server" object into a minimal valid scenario; with attach, the
 * client action is attach so server.execution_id exists from the start. */
int fst_start_server(fst_server *s, const char *server_json, int attach, double scale);
/* SIGTERM, reap (SIGKILL after 3 s), clean up. 0 if the server exited 0
 * (a sanitizer report or a crash makes it nonzero), else -1. */
int fst_stop(fst_server *s);
int fst_connect(const fst_server *s);   /* loopback TCP socket, -1 on error */
int fst_send(int fd, const void *p, size_t n);

/* Reads into buf until it holds a whole HTTP response (head + Content-Length
 * body) or timeout_ms passes. Returns the status (0 none); *body points into buf. */
int fst_http(const fst_server *s, const char *method, const char *path, const char *body,
             char *buf, size_t cap, const char **resp_body, int timeout_ms);
int fst_read_response(int fd, char *buf, size_t cap, const char **resp_body, int timeout_ms);

/* Sends an upgrade for path; returns the response status (101 ...), 0 if none
 * came within timeout_ms. *fd_out stays open for the caller. */
int fst_ws_open(const fst_server *s, const char *path, int *fd_out, char *head, size_t cap,
                int timeout_ms);
int fst_ws_send(int fd, int opcode, const void *p, size_t n); /* masked */
/* Next whole frame within timeout_ms: 1 got one, 0 timeout, -1 EOF, -2 error (errno). */
int fst_ws_read(int fd, fst_frame *f, int timeout_ms);

/* The other origin's port (the journal's listen event), 0 if unknown. */
int fst_other_port(const fst_server *s);
/* A field of the server's /proc/PID/status in KiB ("VmRSS", "VmHWM"), -1. */
long fst_proc_kib(const fst_server *s, const char *field);

/* Bytes received within timeout_ms (0 on timeout, -1 EOF, -2 error). */
ssize_t fst_recv(int fd, void *buf, size_t cap, int timeout_ms);
double fst_now(void);                   /* CLOCK_MONOTONIC seconds */
double fst_client_t(const fst_server *s, double now); /* fst_now() on the journal's axis */

/* The journal as an array of events; fst_find: the n-th (1-based) event with
 * ev and (if key) key == string value, or NULL. */
json_t *fst_journal(const fst_server *s);
json_t *fst_find(json_t *journal, const char *ev, const char *key, const char *value, int n);
int fst_count(json_t *journal, const char *ev, const char *key, const char *value);
/* Waits up to timeout_ms for such an event to be journaled; the journal or NULL. */
json_t *fst_wait_event(const fst_server *s, const char *ev, const char *key, const char *value,
                       int timeout_ms);

#define FST_AUTH "Authorization: Bearer boxconform-key\r\n"

#endif
