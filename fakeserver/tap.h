/* tap.h - the byte pump between a client's TCP socket and libwebsockets.
 *
 * Every accepted connection is split in two: the client's socket, and a
 * socketpair whose other end libwebsockets serves as HTTP/WebSocket. The tap
 * copies bytes both ways and is the one place that sees the real wire: it
 * journals tcp_open/tcp_close (who ended the stream, how) and, after an
 * upgrade, every frame in both directions. Byte-level faults are modes of
 * its server->client direction. Taps are found by connection number, so a
 * stale number is harmless (NULL). Journal times are when bytes crossed
 * the client's socket (kernel receive stamps; a send's start), so a busy
 * server that notices late does not move them.
 *
 * Files: tap.c (accept, registry, the pump), tap_fault.c (the faults below),
 * tap_observe.c (what is journaled), tap_clock.c (when client bytes and
 * hang-ups arrived); tap_private.h is theirs alone. */
#ifndef FS_TAP_H
#define FS_TAP_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <libwebsockets.h>

typedef struct fs_tap fs_tap;

typedef enum fs_tap_then {
    FS_TAP_THEN_FIN,            /* FIN after the bytes, close once the client does */
    FS_TAP_THEN_RST,            /* RST after the bytes */
    FS_TAP_THEN_HOLD            /* keep the socket open, forward nothing more */
} fs_tap_then;

/* What a binary frame handed to libwebsockets is, for its frame_out event. */
typedef enum fs_tap_kind {
    FS_TAP_PLAIN,               /* a scripted or echoed frame: journaled with its data */
    FS_TAP_REPLAY,              /* a backlog frame: "replay": true */
    FS_TAP_FLOOD                /* a flood step's frame: "flood": true, no data */
} fs_tap_kind;

/* Called when a drip or cut has put its last byte on the wire: the one call
 * from the tap up into the attach script (server.c registers attach.c's). */
typedef void fs_tap_done_cb(int conn);

/* The server listens on two loopback ports serving the same API: the main
 * origin, and the other one a scripted redirect may send the client to. */
typedef enum fs_origin { FS_ORIGIN_MAIN, FS_ORIGIN_OTHER, FS_ORIGINS } fs_origin;

extern const struct lws_protocols fs_tap_protocol; /* the raw protocol to register */

/* Binds 127.0.0.1:port (0: any) for origin, adopts the listener into vh. -1 on error. */
int fs_tap_listen(struct lws_context *ctx, struct lws_vhost *vh, fs_origin origin, int port,
                  int *bound_port);
const char *fs_origin_name(fs_origin o);        /* "main", "other" */
fs_origin fs_tap_origin(const fs_tap *t);       /* the port the client connected to */
void fs_tap_set_done_cb(fs_tap_done_cb *cb);
fs_tap *fs_tap_find(int conn);          /* NULL once the connection is gone */
int fs_tap_conn_of(struct lws *http_wsi); /* connection number of an HTTP wsi */
void fs_tap_shutdown_all(void);         /* closes every client (journaled as our FIN) */

/* The upgrade of this connection was accepted: frames follow the 101. */
void fs_tap_upgraded(fs_tap *t, int attempt);
/* A binary frame of this kind was handed to lws (or to the tap: drip): the
 * observer meets binary frames on the wire in the order they were noted. */
void fs_tap_note_binary(fs_tap *t, fs_tap_kind kind);
/* What lws has written so far leaves for the client now (as far as flow and
 * faults let it), not on the loop's next turn. t NULL: nothing. */
void fs_tap_forward(fs_tap *t);
/* lws parsed a whole request: when its last byte reached the server's
 * socket (the kernel's stamp, CLOCK_MONOTONIC ns). */
int64_t fs_tap_request_seen(fs_tap *t);
/* Journals event (stolen) once what lws has written on this connection so
 * far has left for the client, the 101 included once the upgrade was
 * accepted; stamped when its last byte was handed to the client's socket.
 * At once when nothing waits or nothing more can leave; t NULL: now. */
void fs_tap_journal_sent(fs_tap *t, json_t *event);
/* The head of the next request exactly as the client sent it (request line
 * and header lines up to the blank line), malloc'd, or NULL when none was
 * caught. lws keeps neither the request target as sent nor the names and
 * order of the header fields, so the tap catches each head on the wire: the
 * first bytes of a connection, and the first bytes after each answer
 * (fs_tap_answer_done). A client that pipelines its requests gets NULL for
 * all but the first. */
char *fs_tap_take_head(fs_tap *t);
void fs_tap_answer_done(fs_tap *t);             /* the next client bytes start a new head */
void fs_tap_drop_server(fs_tap *t);             /* end lws's side, leave the client's */

/* Faults on server->client. Each first takes in everything libwebsockets has
 * written so far, so the fault lands after it in stream order. Times are
 * real (lws_usec_t): callers convert client seconds. */
void fs_tap_hold(fs_tap *t, lws_usec_t fin_after_us);      /* forward nothing; FIN later (<0 never) */
void fs_tap_half_open(fs_tap *t, lws_usec_t fin_after_us); /* hold and stop reading the client */
void fs_tap_fin(fs_tap *t);                     /* flush, FIN, drop the server side */
void fs_tap_fin_after(fs_tap *t, lws_usec_t us); /* the same, us from now; traffic flows meanwhile */
void fs_tap_rst(fs_tap *t);                     /* flush, then reset */
/* While on, what lws writes is dropped: lws answers client pings by itself,
 * and a silent server must not. */
void fs_tap_mute(fs_tap *t, int on);
void fs_tap_drip(fs_tap *t, const uint8_t *raw, size_t n, lws_usec_t interval_us);
/* Puts raw[0..keep) on the wire then does `then`; note is the frame_out event
 * journaled once the last byte left (stolen; fs_tap_frame_event makes one). */
void fs_tap_cut(fs_tap *t, const uint8_t *raw, size_t keep, fs_tap_then then, json_t *note);
/* The frame_out event the observer journals for a whole server frame (opcode,
 * payload), for a fault that puts the frame on the wire only in part. */
json_t *fs_tap_frame_event(const fs_tap *t, int op, const uint8_t *payload, size_t len);

#endif
