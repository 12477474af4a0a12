/* journal.h - the fake server's event log (docs/journal.md).
 *
 * One JSON object per line, built with jansson, flushed per line so a crash
 * loses nothing already written. Times are client seconds on the run's axis,
 * of when the event happened on the client's wire (see fs_journal_emit_at).
 * Without a journal file every call is still valid and writes nothing. */
#ifndef FS_JOURNAL_H
#define FS_JOURNAL_H

#include <stdint.h>
#include <jansson.h>

int fs_journal_open(const char *path, int64_t origin_ns, double scale); /* 0 ok, -1 errno */
void fs_journal_close(void);
int fs_journal_enabled(void);                    /* a journal file is open */
double fs_journal_now(void);                     /* client seconds since origin */
json_t *fs_journal_event(const char *ev, int conn); /* new event; conn <= 0: none */
void fs_journal_emit(json_t *event);             /* stamps t now, writes, steals the ref */
/* The same for something that happened at mono_ns (CLOCK_MONOTONIC), which
 * may be earlier than lines already written: bytes the kernel stamped on
 * arrival, bytes stamped as they were handed to the client's socket. */
void fs_journal_emit_at(json_t *event, int64_t mono_ns);
/* emit_at without the flush: for events by the hundred thousand (flood
 * frames), flushed by the next fs_journal_emit or fs_journal_flush. */
void fs_journal_emit_deferred(json_t *event, int64_t mono_ns);
void fs_journal_flush(void);
/* Sets key to mono_ns as client seconds, rounded as t is (for t_max). */
void fs_journal_set_time(json_t *event, const char *key, int64_t mono_ns);
json_t *fs_journal_b64(const uint8_t *p, size_t len); /* base64 string value */
/* Sets e's "body" (p as text when UTF-8 without NUL) or "body_b64"; nothing
 * when n is 0. */
void fs_journal_body(json_t *e, const char *p, size_t n);

#endif
