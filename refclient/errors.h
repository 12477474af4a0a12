/* errors.h - what a failed call tells its caller: one of the adapter's
 * error kinds (docs/adapter.md) and a message.
 *
 * REST failures are mapped the way BoxLite's newest client maps them: an
 * envelope's snake_case `code` decides the kind; without a known code the
 * HTTP status does. The message is the server's text out of whichever body
 * form came (runner, envelope, flat, nothing at all, or not JSON). */
#ifndef RC_ERRORS_H
#define RC_ERRORS_H

#include <stddef.h>

struct rc_err {
    const char *kind;      /* static string; NULL while nothing failed */
    char *message;         /* valid UTF-8, malloc'd */
};

/* Sets *e (replacing what it held); the message is made valid UTF-8. */
void rc_err_set(struct rc_err *e, const char *kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The error of a non-2xx answer: kind by code then status; message
 * "HTTP N: text", or "HTTP N" when the body holds no text. */
void rc_err_http(struct rc_err *e, long status, const char *body, size_t len);
void rc_err_clear(struct rc_err *e);

/* Kind of an envelope code; NULL for a code BoxLite does not know (pure). */
const char *rc_kind_of_code(const char *code);
/* Kind of a bare HTTP status, no code to go by (pure). */
const char *rc_kind_of_status(long status);

/* At most max bytes of s as valid UTF-8 (bad bytes become U+FFFD, NULs
 * become spaces), "..." appended when cut; malloc'd (pure). */
char *rc_text_preview(const char *s, size_t len, size_t max);

#endif
