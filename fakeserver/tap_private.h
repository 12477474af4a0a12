/* tap_private.h - a tapped connection's record and the calls the tap's three
 * files share; nothing outside tap*.c includes it.
 *
 *   tap.c          accept, registry, raw callbacks, the byte pump both ways
 *                  (flow control, FIN/RST/close of the client stream)
 *   tap_fault.c    the byte-level faults on server->client: hold, half-open,
 *                  FIN, RST, timed FIN, mute, drip, cut
 *   tap_observe.c  what crossed the wire, journaled: tcp_open, tcp_close,
 *                  frame_in / frame_out, protocol errors, events held until
 *                  the bytes they describe left
 *   tap_clock.c    when the client's bytes and hang-up arrived: kernel
 *                  receive stamps, a thread that watches for FIN/RST
 *
 * Stream offsets (s2c_out and the marks) count bytes put on the client's
 * wire since the connection opened. */
#ifndef FS_TAP_PRIVATE_H
#define FS_TAP_PRIVATE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "bytequeue.h"
#include "tap.h"
#include "wsframe.h"

/* A journal event held until the client's stream reached an offset. */
typedef struct tap_note {
    uint64_t at;                /* stream offset, TAP_AFTER_101: the 101's end */
    json_t *event;
} tap_note;
#define TAP_AFTER_101 UINT64_MAX

/* A run of binary frames of one kind, noted but not yet seen on the wire. */
typedef struct tap_run {
    fs_tap_kind kind;
    size_t count;
} tap_run;

#define TAP_HEAD_MAX (16 * 1024) /* a request head caught longer than this is dropped */
#define TAP_HEADS 4             /* heads caught and not taken yet */

struct fs_tap {
    /* the connection and its pump (tap.c) */
    int conn;                   /* connection number, 1-based */
    fs_origin origin;           /* which listener accepted it */
    int client_fd, pair_fd;     /* client socket; our end of the pair */
    struct lws *client_wsi, *pair_wsi; /* their raw wsis, NULL once closed */
    fs_bytequeue c2s, s2c;      /* bytes waiting for lws / for the client */
    uint64_t s2c_out;           /* stream offset: bytes put on the client wire */
    int client_rx_on, pair_rx_on; /* current lws rx flow state */
    int fin_pending;            /* FIN (or RST) once s2c_out reaches fin_at */
    int fin_is_rst;             /* ... RST it is */
    uint64_t fin_at;
    int fin_sent, rst_sent;     /* what we did to the client stream */
    int client_eof;             /* the client's FIN arrived */
    int closing;                /* client wsi asked to close */
    lws_sorted_usec_list_t linger_sul; /* give up waiting for the client's FIN */
    struct lws *in_writeable;   /* the wsi whose writeable callback runs, or NULL */
    int rearm_client, rearm_pair; /* writeable wanted once that callback returned */
    lws_sorted_usec_list_t rearm_sul;
    /* when (CLOCK_MONOTONIC ns, tap_clock.c) */
    int64_t rx_ns;              /* the newest client byte read reached the socket */
    int64_t out_ns;             /* the last send to the client began */
    int watched;                /* the hang-up watcher has the client socket */
    /* faults on server->client (tap_fault.c) */
    int hold;                   /* forward nothing more to the client */
    int mute;                   /* drop what lws writes for now (its auto-pongs) */
    int client_paused;          /* half-open: the client is not read */
    uint64_t drip_from, drip_to;/* stream range that leaves one byte at a time */
    lws_usec_t drip_us;         /* pause between dripped bytes */
    int drip_waiting;           /* a dripped byte left, the pause runs */
    lws_sorted_usec_list_t drip_sul;
    int cut_pending;            /* a cut frame is being flushed */
    uint64_t cut_at;            /* ... its last byte's stream end */
    fs_tap_then cut_then;       /* ... what follows it */
    lws_sorted_usec_list_t hold_sul; /* end of a timed hold / half-open, a timed FIN */
    /* what is observed and journaled (tap_observe.c) */
    int ws;                     /* upgrade accepted: frames are decoded */
    int attempt;                /* attach attempt of this connection */
    int hdr_match;              /* progress through "\r\n\r\n" after the 101 */
    int head_fixed;             /* the 101 went through fs_http_fix_upgrade */
    int out_frames;             /* s2c decoding started */
    fs_wsdec in_dec, out_dec;   /* frame observers, client->server, server->client */
    tap_run *runs;              /* kinds of the binary frames still to observe */
    size_t run_head, run_len, run_cap;
    int http_checked;           /* first client byte looked at */
    int requests;               /* complete requests lws handed us */
    int head_wanted;            /* the client's next bytes start a request head */
    char *head;                 /* ... caught so far (NUL-terminated) */
    size_t head_len;
    char *heads[TAP_HEADS];     /* whole heads caught, oldest first */
    size_t head_count;
    uint64_t c2s_total;         /* bytes the client sent */
    const char *ended_by, *ended_how;  /* who ended the TCP stream first, how */
    const char *close_frame_by; /* who sent the first close frame */
    tap_note *notes;            /* events waiting for their bytes to leave, in order */
    size_t note_len, note_cap;
};

/* tap.c */
struct lws_context *tap_context(void);
void tap_pump_to_client(fs_tap *t);     /* what may leave now goes out; marks acted on */
void tap_drain_pair(fs_tap *t);         /* takes in everything lws has written so far */
void tap_update_flow(fs_tap *t);        /* reads each side only while its output has room */
void tap_want_client_writable(fs_tap *t);
void tap_send_fin(fs_tap *t);           /* FIN to the client, drop the server side */
void tap_send_rst(fs_tap *t);           /* RST to the client, drop the server side */
void tap_done(fs_tap *t);               /* a drip or cut is over: the done callback */

/* tap_fault.c */
size_t tap_fault_limit(const fs_tap *t, size_t limit); /* of queued bytes, how many may leave */
int tap_fault_cut_reached(fs_tap *t);   /* at a cut's end: finishes it, 1 */
void tap_fault_sent(fs_tap *t);         /* bytes left: paces a drip */
int tap_fault_dripping(const fs_tap *t); /* the bytes just put on the wire were dripped */
void tap_fault_stop(fs_tap *t);         /* the client is gone: timers off */
void tap_fault_free(fs_tap *t);

/* tap_observe.c */
void tap_observe_init(fs_tap *t);
void tap_observe_in(fs_tap *t, const uint8_t *p, size_t n);    /* client bytes, read at rx_ns */
void tap_observe_out(fs_tap *t, const uint8_t *p, size_t n); /* bytes put on its wire at out_ns */
void tap_journal_open(fs_tap *t);       /* tcp_open */
/* First FIN/RST either way: tcp_close, stamped when it reached the client's
 * socket (ours: before it is sent; theirs: tap_clock_journal_hangup). */
void tap_note_end(fs_tap *t, const char *by, const char *how);
void tap_note_at(fs_tap *t, uint64_t at, json_t *event); /* journal once s2c_out >= at */
void tap_notes_sent(fs_tap *t);         /* those now on the wire, stamped out_ns */
void tap_notes_flush(fs_tap *t);        /* the rest, now: their bytes will not leave */
void tap_observe_server_closed(fs_tap *t); /* lws hung up: was a request ever complete? */
void tap_observe_free(fs_tap *t);

/* tap_clock.c */
/* With a journal: kernel receive stamps on every socket the listener
 * accepts, and the hang-up watcher. */
void tap_clock_start(int listen_fd);
void tap_clock_stop(void);
void tap_clock_watch(fs_tap *t, int64_t accepted_ns); /* the watcher takes the client socket */
void tap_clock_forget(fs_tap *t);       /* before the client socket closes */
ssize_t tap_clock_recv(fs_tap *t, void *buf, size_t cap); /* recv; sets rx_ns */
/* Journals event (stolen), the client's tcp_close, stamped when its FIN/RST
 * reached us: "t" the earliest it can have, "t_max" the latest (when the
 * watcher collected several at once under load). Once the watcher has the
 * stamp: perhaps later, after lines written meanwhile. */
void tap_clock_journal_hangup(fs_tap *t, json_t *event);
void tap_clock_collect(void);           /* the loop, woken by the watcher: what is ready */

#endif
