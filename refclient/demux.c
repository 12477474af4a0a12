/* demux.c - frame meaning (see demux.h). */
#include "demux.h"
#include "mutant.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define RC_ERROR_WITHOUT_MESSAGE "server reported error without message"

enum rc_channel rc_demux_channel_of(uint8_t byte)
{
    if (byte == RC_CH_STDOUT || byte == RC_CH_STDERR)
        return (enum rc_channel)byte;
    return RC_CH_UNKNOWN;
}

struct rc_chunk rc_demux_binary(const uint8_t *frame, size_t len)
{
    struct rc_chunk c = { RC_CH_EMPTY, frame, 0 };
    if (len == 0)
        return c;
    c.channel = rc_demux_channel_of(frame[0]);
    c.data = frame + 1;
    c.len = len - 1;
    return c;
}

static void parse_exit(json_t *root, struct rc_control *out)
{
    json_t *code = json_object_get(root, "exit_code");
    out->kind = RC_CTL_EXIT;
    /* A float, a string or null is not an exit code: -1 like a missing one. */
    out->exit_code = json_is_integer(code) ? (int)json_integer_value(code) : -1;
    if (json_is_string(code) && rc_mutant_is(RC_MUT_EXIT_CODE_LENIENT))
        out->exit_code = atoi(json_string_value(code));
}

static void parse_error(json_t *root, struct rc_control *out)
{
    json_t *msg = json_object_get(root, "message");
    out->kind = RC_CTL_ERROR;
    out->message = strdup(json_is_string(msg) ? json_string_value(msg)
                                              : RC_ERROR_WITHOUT_MESSAGE);
}

void rc_control_parse(const char *text, size_t len, struct rc_control *out)
{
    memset(out, 0, sizeof(*out));
    out->kind = RC_CTL_UNKNOWN;
    out->exit_code = -1;
    json_t *root = json_loadb(text, len, JSON_DECODE_ANY, NULL);
    out->json_null = json_is_null(root);
    const char *type = json_string_value(json_object_get(root, "type"));
    if (type && strcmp(type, "exit") == 0)
        parse_exit(root, out);
    else if (type && strcmp(type, "error") == 0)
        parse_error(root, out);
    json_decref(root);
}

void rc_control_clear(struct rc_control *c)
{
    free(c->message);
    c->message = NULL;
}

/* Length of the valid UTF-8 sequence at p (RFC 3629), 0 if invalid. */
static size_t utf8_valid_len(const uint8_t *p, size_t left)
{
    uint8_t b = p[0];
    size_t n;
    uint32_t lo = 0x80, hi = 0xBF;
    if (b < 0x80) return 1;
    if (b >= 0xC2 && b <= 0xDF) n = 2;
    else if (b >= 0xE0 && b <= 0xEF) n = 3;
    else if (b >= 0xF0 && b <= 0xF4) n = 4;
    else return 0;
    if (n > left) return 0;
    if (b == 0xE0) lo = 0xA0;
    if (b == 0xED) hi = 0x9F;
    if (b == 0xF0) lo = 0x90;
    if (b == 0xF4) hi = 0x8F;
    if (p[1] < lo || p[1] > hi) return 0;
    for (size_t i = 2; i < n; i++)
        if (p[i] < 0x80 || p[i] > 0xBF) return 0;
    return n;
}

uint8_t *rc_utf8_lossy(const uint8_t *in, size_t len, size_t *out_len)
{
    static const uint8_t replacement[] = { 0xEF, 0xBF, 0xBD };
    uint8_t *out = malloc(len * 3 + 1);
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        size_t n = utf8_valid_len(in + i, len - i);
        if (n == 0) {
            memcpy(out + o, replacement, sizeof(replacement));
            o += sizeof(replacement);
            i++;
            continue;
        }
        memcpy(out + o, in + i, n);
        o += n;
        i += n;
    }
    *out_len = o;
    return out;
}
