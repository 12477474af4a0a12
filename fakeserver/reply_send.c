/* reply_send.c - writing an answer.
 *
 * A small answer from memory leaves in one go: head, then the body with
 * LWS_WRITE_HTTP_FINAL. Anything else (a body made as it is sent, chunked,
 * dripped, endless, or a head that never ends) leaves one piece per
 * HTTP_WRITEABLE callback, at most SEND_PIECE body bytes each (one byte when
 * dripped), the next piece asked for only once lws took this one. lws calls
 * back only when its socket takes more, and the tap stops reading lws while
 * the client is slow, so the server holds a piece or two of an answer
 * whatever its size: a 2 GiB body or an endless one costs it nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_head.h"
#include "loop.h"
#include "reply.h"

#define SEND_PIECE (64 * 1024)      /* body bytes per writeable callback */
#define CHUNK_ROOM 24               /* a chunk's size line before its data */

/* The line an endless head repeats (the pattern's first 62 characters, no
 * newline): every line as long as the first. */
#define PAD_LINE "X-Boxconform-Pad-%012llu: %.62s\r\n"
#define PAD_LINE_LEN (sizeof "X-Boxconform-Pad-000000000000: " - 1 + 62 + 2)

static int streamed(const fs_reply *rp) {
    return rp->source != FS_SRC_MEMORY || rp->chunked || rp->drip > 0 || rp->header_endless;
}

/* ---- the head -------------------------------------------------------------- */

/* The status line and fields; finished with the blank line unless the head
 * is to go on for ever. */
static int write_head(fs_session *s) {
    fs_reply *rp = &s->reply;
    uint8_t head[LWS_PRE + 4096];
    uint8_t *start = head + LWS_PRE, *p = start, *end = head + sizeof head - 1;
    fs_http_head_spec h = {rp->status, rp->ctype, rp->header_endless ? FS_HTTP_NO_LENGTH : rp->total,
                           rp->chunked, rp->extra};
    if (fs_http_head(s->wsi, &h, &p, end)) return -1;
    if (s->request.unframed &&
        lws_add_http_header_by_token(s->wsi, WSI_TOKEN_CONNECTION, (const unsigned char *)"close", 5, &p, end))
        return -1;
    json_decref(rp->head_fields);
    rp->head_fields = fs_http_head_fields(start, (size_t)(p - start));
    if (rp->header_endless) return lws_write(s->wsi, start, (size_t)(p - start), LWS_WRITE_HTTP) < 0;
    return lws_finalize_write_http_header(s->wsi, start, &p, end) ? -1 : 0;
}

/* ---- pieces ------------------------------------------------------------------ */

/* The flood pattern from any phase: periodic[phase ..] is the pattern from
 * byte phase on, for SEND_PIECE bytes. */
static const uint8_t *pattern_from(unsigned long long offset) {
    static uint8_t periodic[SEND_PIECE + BC_FLOOD_PERIOD];
    if (!periodic[0])
        for (size_t i = 0; i < sizeof periodic; i++)
            periodic[i] = (uint8_t)BC_FLOOD_PATTERN[i % BC_FLOOD_PERIOD];
    return periodic + offset % BC_FLOOD_PERIOD;
}

/* Bytes offset.. of an endless head's field lines. */
static void pad_lines(unsigned long long offset, uint8_t *dst, size_t n) {
    char line[PAD_LINE_LEN + 64]; /* room for a count past 12 digits: never reached */
    while (n > 0) {
        unsigned long long k = offset / PAD_LINE_LEN;
        size_t col = (size_t)(offset % PAD_LINE_LEN), take = PAD_LINE_LEN - col;
        snprintf(line, sizeof line, PAD_LINE, k + 1, BC_FLOOD_PATTERN);
        if (take > n) take = n;
        memcpy(dst, line + col, take);
        dst += take;
        offset += take;
        n -= take;
    }
}

/* Up to max bytes of what comes next (body bytes, or the endless head's)
 * into dst; how many. */
static size_t fill(const fs_reply *rp, uint8_t *dst, size_t max) {
    unsigned long long left = rp->source == FS_SRC_ENDLESS || rp->header_endless
                                  ? max : rp->total - rp->sent;
    size_t n = left < max ? (size_t)left : max;
    if (rp->header_endless) pad_lines(rp->sent, dst, n);
    else if (rp->source == FS_SRC_MEMORY) memcpy(dst, rp->body + rp->sent, n);
    else if (rp->source == FS_SRC_NESTED)
        for (size_t i = 0; i < n; i++) dst[i] = rp->sent + i < rp->total / 2 ? '[' : ']';
    else memcpy(dst, pattern_from(rp->sent), n);
    return n;
}

static int finished(const fs_reply *rp) {
    return !rp->header_endless && rp->source != FS_SRC_ENDLESS && rp->sent == rp->total;
}

/* The next piece: framed as a chunk when chunked, with the last chunk
 * behind the body's end. 0 written, -1 error. */
static int write_piece(fs_session *s) {
    static uint8_t buf[LWS_PRE + CHUNK_ROOM + SEND_PIECE + sizeof "\r\n" FS_HTTP_LAST_CHUNK];
    fs_reply *rp = &s->reply;
    uint8_t *data = buf + LWS_PRE + CHUNK_ROOM, *start = data;
    size_t n = fill(rp, data, rp->drip > 0 ? 1 : SEND_PIECE), len = n;
    rp->sent += n;
    if (rp->chunked && !rp->header_endless) {
        char size[CHUNK_ROOM];
        size_t hl = n ? fs_http_chunk_head(size, n) : 0;
        start = data - hl;
        memcpy(start, size, hl);
        if (n) memcpy(data + n, "\r\n", 2);
        len = hl + n + (n ? 2 : 0);
        if (finished(rp)) {
            memcpy(start + len, FS_HTTP_LAST_CHUNK, sizeof FS_HTTP_LAST_CHUNK - 1);
            len += sizeof FS_HTTP_LAST_CHUNK - 1;
        }
    }
    return len && lws_write(s->wsi, start, len, LWS_WRITE_HTTP) < 0 ? -1 : 0;
}

/* ---- pacing -------------------------------------------------------------------- */

static void piece_due(lws_sorted_usec_list_t *sul) {
    fs_session *s = lws_container_of(sul, fs_session, reply.sul);
    s->reply.ready = 1;
    lws_callback_on_writable(s->wsi);
}

/* Asks for the next piece: once lws wants more, or a drip interval on. */
static int more_to_come(fs_session *s) {
    fs_reply *rp = &s->reply;
    if (rp->drip > 0) {
        fs_loop_after(&rp->sul, rp->drip, piece_due);
    } else {
        rp->ready = 1;
        lws_callback_on_writable(s->wsi);
    }
    return 1;
}

/* ---- the answer ------------------------------------------------------------------ */

static int send_at_once(fs_session *s, int with_body) {
    const fs_reply *rp = &s->reply;
    if (write_head(s)) return -1;
    if (!with_body || rp->len == 0) return 0;
    uint8_t *buf = malloc(LWS_PRE + rp->len);
    memcpy(buf + LWS_PRE, rp->body, rp->len);
    int w = lws_write(s->wsi, buf + LWS_PRE, rp->len, LWS_WRITE_HTTP_FINAL);
    free(buf);
    return w < 0 ? -1 : 0;
}

int fs_reply_send(fs_session *s, int with_body) {
    fs_reply *rp = &s->reply;
    if (!streamed(rp)) return send_at_once(s, with_body);
    if (!rp->streaming) {
        if (write_head(s)) return -1;
        rp->streaming = 1;
        if (!with_body && !rp->header_endless) return 0;
        lws_set_timeout(s->wsi, NO_PENDING_TIMEOUT, 0); /* the client decides how long */
        if (!fs_http_has_body(rp->status) && !rp->header_endless) return 0;
        return finished(rp) && !rp->chunked ? 0 : more_to_come(s);
    }
    if (write_piece(s)) return -1;
    return finished(rp) ? 0 : more_to_come(s);
}
