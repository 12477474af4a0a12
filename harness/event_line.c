#include "event_line.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jbig.h"

/* A non-JSON line kept as text: JSON strings are UTF-8, so bytes >= 0x80 of
 * a line that is not valid UTF-8 become '?'. */
static json_t *invalid_line(const char *line) {
    json_t *v = json_pack("{s:s,s:s,s:b}", "event", "log", "message", line, "invalid", 1);
    if (v) return v;
    char *ascii = strdup(line);
    for (char *p = ascii; *p; p++)
        if ((unsigned char)*p >= 0x80) *p = '?';
    v = json_pack("{s:s,s:s,s:b}", "event", "log", "message", ascii, "invalid", 1);
    free(ascii);
    return v;
}

/* A real a double holds as an integer exactly (below 2^53), else NULL. */
static json_t *whole(const json_t *item) {
    double d = json_real_value(item);
    return json_is_real(item) && d == floor(d) && fabs(d) < 9007199254740992.0
               ? json_integer((json_int_t)d) : NULL;
}

/* After JSON_DECODE_INT_AS_REAL: the integers a double holds exactly become
 * integers again, so only the ones past 2^64-1 stay reals. */
static void integers_back(json_t *v) {
    size_t i;
    const char *key;
    json_t *item, *n;
    void *tmp;
    json_object_foreach_safe(v, tmp, key, item)
        if ((n = whole(item))) json_object_set_new(v, key, n); else integers_back(item);
    json_array_foreach(v, i, item)
        if ((n = whole(item))) json_array_set_new(v, i, n); else integers_back(item);
}

json_t *bc_event_line(const char *line, double t, bool *ends) {
    json_t *v = bc_jbig_loads(line, 0, NULL);
    /* valid JSON with an integer past 2^64-1 (a double printed whole, as
     * JavaScript prints 2^64): read it as a real, so the value is judged (a
     * rounded u64) instead of the line being dropped; \u0000 is valid too */
    if (!v && (v = json_loads(line, JSON_DECODE_INT_AS_REAL | JSON_ALLOW_NUL, NULL)))
        integers_back(v);
    if (!json_is_object(v) || !json_is_string(json_object_get(v, "event"))) {
        json_decref(v);
        v = invalid_line(line);
    }
    const char *event = json_string_value(json_object_get(v, "event"));
    *ends = strcmp(event, "result") == 0 || strcmp(event, "error") == 0 ||
            strcmp(event, "unsupported") == 0;
    json_object_set_new(v, "t", json_real(t));
    return v;
}
