/* mini_server.h - a tiny scripted BoxLite server for refclient's own
 * integration tests (loopback, one lws loop in a thread). The suite's real
 * fake server is fakeserver/; this one only serves what these tests need. */
#ifndef MS_SERVER_H
#define MS_SERVER_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MS_MAX_ATTEMPTS 8
#define MS_MAX_STEPS 8
#define MS_MAX_CONTROLS 8

enum ms_op {
    MS_END = 0,     /* script over: stay open and idle */
    MS_OUT,         /* binary 0x01 + data */
    MS_ERR,         /* binary 0x02 + data */
    MS_RAW,         /* binary frame of exactly data (len bytes) */
    MS_TEXT,        /* text frame of data */
    MS_EXIT,        /* exit frame with code, then close 1000 */
    MS_CLOSE,       /* close frame 1000 without exit */
    MS_PING,        /* ping with data as payload */
    MS_WAIT,        /* let secs pass */
    MS_UNTIL_EOF,   /* echo stdin as stdout until stdin_eof arrives */
    MS_FINISH,      /* the execution becomes completed with code (probe says so) */
    MS_RST          /* TCP reset: SO_LINGER 0, then close */
};

struct ms_step {
    enum ms_op op;
    const char *data;
    size_t len;      /* MS_RAW only */
    int code;
    double secs;
};

struct ms_script {
    int reject[MS_MAX_ATTEMPTS];                    /* upgrade status per attempt, 0 = accept */
    struct ms_step steps[MS_MAX_ATTEMPTS][MS_MAX_STEPS];
    int probe_status;                               /* 0: 200 with the execution's state */
    int control_status;                             /* kill/signal/resize; 0: 204 */
};

struct ms_seen {
    int attaches;                  /* upgrade requests */
    int upgraded;                  /* accepted upgrades */
    int probes;
    int bad_auth;                  /* requests without the right bearer */
    char paths[MS_MAX_ATTEMPTS][256]; /* attach path+query per attempt */
    uint8_t stdin[4096];
    size_t stdin_len;
    int eofs[MS_MAX_ATTEMPTS];     /* stdin_eof frames per attempt */
    int pongs;                     /* pongs with the right payload */
    int client_pings;
    int64_t upgraded_ns[MS_MAX_ATTEMPTS]; /* CLOCK_MONOTONIC */
    int64_t closed_ns[MS_MAX_ATTEMPTS];
    int64_t request_ns[MS_MAX_ATTEMPTS];  /* attach request arrived */
    char controls[MS_MAX_CONTROLS][256];  /* "METHOD path body" of kill/signal/resize */
    int n_controls;
};

struct ms_server;

/* Starts on an ephemeral loopback port; the script must outlive the server. */
struct ms_server *ms_start(const struct ms_script *script, int *port);
void ms_stop(struct ms_server *s);
/* A consistent copy of what the server saw so far. */
void ms_seen(struct ms_server *s, struct ms_seen *out);

#endif
