/* event_line.h - one adapter stdout line (docs/adapter.md) as an event.
 *
 * A line that is not a JSON object with a string "event" is kept as a log
 * event {"event":"log","message":LINE,"invalid":true}, never dropped. */
#ifndef BC_EVENT_LINE_H
#define BC_EVENT_LINE_H

#include <stdbool.h>

#include <jansson.h>

/* The event of line (NUL-terminated), stamped "t": t. *ends is set when it
 * is a result, error or unsupported event: the adapter is done. Never NULL. */
json_t *bc_event_line(const char *line, double t, bool *ends);

#endif
