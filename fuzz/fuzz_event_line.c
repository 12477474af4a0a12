/* fuzz_event_line.c - the harness's reading of adapter stdout.
 *
 * The input is what an adapter wrote; it is cut into lines as the runner
 * does (at '\n', a NUL ends the line's text, empty lines skipped), and each
 * line goes through bc_event_line. Every line must give an event object
 * with a string "event" and a number "t" that serializes, whatever the
 * bytes: the harness writes it to events.jsonl and judges from it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "event_line.h"

static void one_line(const char *line) {
    bool ends = false;
    json_t *v = bc_event_line(line, 1.5, &ends);
    if (!json_is_object(v)) abort();
    const char *event = json_string_value(json_object_get(v, "event"));
    if (!event || !json_is_number(json_object_get(v, "t"))) abort();
    if (ends != (strcmp(event, "result") == 0 || strcmp(event, "error") == 0)) abort();
    char *text = json_dumps(v, JSON_COMPACT);
    if (!text) abort();
    json_t *back = json_loads(text, 0, NULL);  /* events.jsonl is read back */
    if (!json_is_object(back)) abort();
    json_decref(back);
    free(text);
    json_decref(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *buf = malloc(size + 1);
    memcpy(buf, data, size);
    buf[size] = 0;
    char *start = buf, *nl;
    while ((nl = memchr(start, '\n', size - (size_t)(start - buf)))) {
        *nl = 0;
        if (nl > start) one_line(start);
        start = nl + 1;
    }
    free(buf);
    return 0;
}
