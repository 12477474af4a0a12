/* demux.h - what a server frame means: pure functions, no I/O.
 *
 * A binary frame is [channel][payload]; a text frame is a JSON control
 * message. Nothing here decodes output: bytes stay bytes (WIRE-BYTES). */
#ifndef RC_DEMUX_H
#define RC_DEMUX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum rc_channel {
    RC_CH_EMPTY = 0,       /* empty binary frame: ignored */
    RC_CH_STDOUT = 1,
    RC_CH_STDERR = 2,
    RC_CH_UNKNOWN = 255    /* any other channel byte: ignored */
};

struct rc_chunk {
    enum rc_channel channel;
    const uint8_t *data;   /* payload inside the frame, not a copy */
    size_t len;
};

enum rc_control_kind {
    RC_CTL_EXIT,           /* terminal: the result */
    RC_CTL_ERROR,          /* informational: remembered as the cause */
    RC_CTL_UNKNOWN         /* any other text, JSON or not: ignored */
};

struct rc_control {
    enum rc_control_kind kind;
    int exit_code;         /* EXIT: exit_code, -1 when absent or not an integer */
    char *message;         /* ERROR: malloc'd message; NULL otherwise */
    bool json_null;        /* the text was JSON null (json-null-fatal mutant) */
};

/* Splits the first fragment of a binary message. */
struct rc_chunk rc_demux_binary(const uint8_t *frame, size_t len);
enum rc_channel rc_demux_channel_of(uint8_t byte);

/* Parses a whole text message; free with rc_control_clear(). */
void rc_control_parse(const char *text, size_t len, struct rc_control *out);
void rc_control_clear(struct rc_control *c);

/* The lossy decoding BoxLite's client does per frame, kept only for the
 * utf8-lossy mutant: invalid sequences become U+FFFD. Returns a malloc'd
 * buffer, its length in *out_len. */
uint8_t *rc_utf8_lossy(const uint8_t *in, size_t len, size_t *out_len);

#endif
