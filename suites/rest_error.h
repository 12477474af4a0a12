/* rest_error.h - what an error answer said, and the kind BoxLite's clients
 * make of it.
 *
 * REST-ERRORS, REST-ERRORS-FINE and EXEC-CONTROL judge an adapter's error
 * event against the answer that caused it. This module reads that answer
 * (an http_response of the journal) once: its status, the form of its body,
 * the code it carries, the words a person should see; and says which kind
 * the BoxLite lines give it (docs/adapter.md, "Error kinds"). */
#ifndef BC_REST_ERROR_H
#define BC_REST_ERROR_H

#include <stdbool.h>

#include <jansson.h>

typedef enum bc_answer_form {
    BC_ANSWER_EMPTY,            /* no body: a proxy's bare answer */
    BC_ANSWER_ENVELOPE,         /* {"error":{"message","type","code"}}: boxlite serve */
    BC_ANSWER_FLAT,             /* {"message","code"?}: the hosted gateway */
    BC_ANSWER_RUNNER,           /* {"error":"text"}: the Go runner */
    BC_ANSWER_JSON,             /* JSON of no known form */
    BC_ANSWER_HTML,             /* a page from a proxy */
    BC_ANSWER_TEXT              /* any other text: plain text, truncated JSON */
} bc_answer_form;

typedef struct bc_rest_error {
    long status;                /* -1 when nothing was answered */
    bc_answer_form form;
    char *body;                 /* the body as text ("" when empty) */
    char *text;                 /* the server's own words in it; NULL when it names none */
    char *code;                 /* the envelope's or flat body's code; NULL if none */
} bc_rest_error;

/* Read an http_response journal event. */
void bc_rest_error_read(const json_t *response, bc_rest_error *out);
void bc_rest_error_free(bc_rest_error *e);
const char *bc_rest_error_form_name(bc_answer_form f);   /* "envelope", "html", ... */

/* The kind every BoxLite line gives the answer (REST-ERRORS): an envelope's
 * known code decides, else 404 not_found, 401/403 auth; NULL where the
 * lines differ. */
const char *bc_rest_error_kind_agreed(const bc_rest_error *e);
/* The kind the newest line (0.10.3) gives an answer whose body carries no
 * known code, by status (REST-ERRORS-FINE); NULL when a code decides. */
const char *bc_rest_error_kind_fine(const bc_rest_error *e);
/* The adapter's kind for a BoxLite error code; NULL for an unknown code. */
const char *bc_rest_error_kind_of_code(const char *code);

/* Whether message holds the server's words (after trimming both ends of
 * them); true when the answer names none. */
bool bc_rest_error_message_has_text(const bc_rest_error *e, const char *message);

#endif
