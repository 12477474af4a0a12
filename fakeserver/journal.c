/* journal.c - JSON-lines event log, one flushed line per event. */
#include "journal.h"

#include <libwebsockets.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"

static FILE *journal_file;
static int64_t journal_origin_ns;
static double journal_scale = 1.0;

int fs_journal_open(const char *path, int64_t origin_ns, double scale) {
    journal_origin_ns = origin_ns;
    journal_scale = scale;
    if (!path) return 0;
    journal_file = fopen(path, "w");
    return journal_file ? 0 : -1;
}

void fs_journal_close(void) {
    if (journal_file) fclose(journal_file);
    journal_file = NULL;
}

int fs_journal_enabled(void) { return journal_file != NULL; }

double fs_journal_now(void) {
    return bc_client_seconds(bc_now_ns(), journal_origin_ns, journal_scale);
}

json_t *fs_journal_event(const char *ev, int conn) {
    json_t *o = json_object();
    /* "t" first so lines read in time order at a glance; filled at emit. */
    json_object_set_new(o, "t", json_real(0));
    json_object_set_new(o, "ev", json_string(ev));
    if (conn > 0) json_object_set_new(o, "conn", json_integer(conn));
    return o;
}

static int journal_unflushed;   /* deferred lines not flushed yet */

/* Microsecond rounding plus 15 significant digits prints 6 decimals
 * without binary noise (12.345678, not 12.345677999999999). */
void fs_journal_set_time(json_t *event, const char *key, int64_t mono_ns) {
    double t = bc_client_seconds(mono_ns, journal_origin_ns, journal_scale);
    json_object_set_new(event, key, json_real(round(t * 1e6) / 1e6));
}

/* Stamps t and writes the line (stdio-buffered); steals the reference. */
static void write_event(json_t *event, int64_t mono_ns) {
    fs_journal_set_time(event, "t", mono_ns);
    if (journal_file) {
        char *line = json_dumps(event, JSON_COMPACT | JSON_REAL_PRECISION(15));
        if (line) {
            fputs(line, journal_file);
            fputc('\n', journal_file);
            free(line);
        }
    }
    json_decref(event);
}

void fs_journal_emit_deferred(json_t *event, int64_t mono_ns) {
    write_event(event, mono_ns);
    journal_unflushed = 1;
}

void fs_journal_emit_at(json_t *event, int64_t mono_ns) {
    fs_journal_emit_deferred(event, mono_ns);
    fs_journal_flush();
}

void fs_journal_emit(json_t *event) { fs_journal_emit_at(event, bc_now_ns()); }

void fs_journal_flush(void) {
    if (journal_file && journal_unflushed) fflush(journal_file);
    journal_unflushed = 0;
}

json_t *fs_journal_b64(const uint8_t *p, size_t len) {
    size_t cap = 4 * ((len + 2) / 3) + 8; /* lws wants slack */
    char *s = malloc(cap);
    if (!s) return json_null();
    if (lws_b64_encode_string((const char *)p, (int)len, s, (int)cap) < 0) s[0] = '\0';
    json_t *v = json_string(s);
    free(s);
    return v ? v : json_string("");
}

void fs_journal_body(json_t *e, const char *p, size_t n) {
    if (n == 0) return;
    /* text only when it is UTF-8 without NUL: a journal reader that refuses
     * \u0000 (jansson's default) must still read every line */
    json_t *b = memchr(p, 0, n) ? NULL : json_stringn(p, n);
    json_object_set_new(e, b ? "body" : "body_b64", b ? b : fs_journal_b64((const uint8_t *)p, n));
}
