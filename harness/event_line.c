#include "event_line.h"

#include <string.h>

json_t *bc_event_line(const char *line, double t, bool *ends) {
    json_t *v = json_loads(line, 0, NULL);
    if (!json_is_object(v) || !json_is_string(json_object_get(v, "event"))) {
        json_decref(v);
        v = json_pack("{s:s,s:s,s:b}", "event", "log", "message", line, "invalid", 1);
    }
    const char *event = json_string_value(json_object_get(v, "event"));
    *ends = strcmp(event, "result") == 0 || strcmp(event, "error") == 0;
    json_object_set_new(v, "t", json_real(t));
    return v;
}
