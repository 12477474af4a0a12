/* errors.c - the Errors family: what a failed REST call tells the caller.
 *
 * Both checks judge one answer, the first of the endpoint verify names (a
 * scenario scripts it to fail on every call, so a client that retries meets
 * the same answer again), against the adapter's error event: that there is
 * one and no value, its kind, its message. What the answer should give is
 * read from the answer as the journal holds it (rest_error.h), never from
 * the scenario. */
#include <stdio.h>
#include <string.h>

#include "rest_error.h"
#include "suites.h"

/* An answer and what the adapter reported of it. */
typedef struct judged_call {
    const json_t *request, *response;
    bc_rest_error answer;
    const json_t *error;        /* the adapter's error event, NULL if none */
    const json_t *value;        /* a value event since the request, NULL if none */
    char what[160];             /* "POST /v1/boxes/box-1/start answered 409 (runner body)" */
} judged_call;

/* A 2xx answer is judged only when its body cannot be what the call asked
 * for: not JSON (empty, truncated, a page), or no tar for a copy-out. */
static bool readable_success(const json_t *request, const json_t *response,
                             const bc_rest_error *a) {
    if (a->status < 200 || a->status > 299) return false;
    if (bc_ev_is(request, "endpoint", "files_get"))
        return json_object_get(response, "tar") && !json_object_get(response, "tar_error");
    return a->form != BC_ANSWER_EMPTY && a->form != BC_ANSWER_HTML && a->form != BC_ANSWER_TEXT;
}

static const json_t *first_event_from(const bc_evidence *ev, const char *event, double t) {
    size_t i;
    json_t *e;
    json_array_foreach(ev->events, i, e)
        if (bc_ev_is(e, "event", event) && !(bc_ev_t(e) < t)) return e;
    return NULL;
}

/* The call verify.endpoint names, or a verdict in out (0 / -1). */
static int find_call(const bc_evidence *ev, const json_t *params, judged_call *c,
                     bc_check_result *out) {
    const char *endpoint = bc_ev_str(params, "endpoint");
    memset(c, 0, sizeof *c);
    if (!endpoint) {
        bc_check_set(out, BC_ERROR, "verify names no \"endpoint\" whose answer to judge");
        return -1;
    }
    c->request = bc_ev_call(ev, endpoint, 1);
    c->response = c->request ? bc_ev_answer(ev, c->request) : NULL;
    if (!c->request) {
        bc_check_set(out, BC_FAIL, "the client never called %s; expected the call, answered "
                     "with an error", endpoint);
        return -1;
    }
    if (!c->response || !json_is_integer(json_object_get(c->response, "status"))) {
        bc_check_set(out, BC_ERROR, "%s was never answered with a status: nothing to judge",
                     endpoint);
        return -1;
    }
    bc_rest_error_read(c->response, &c->answer);
    snprintf(c->what, sizeof c->what, "%s %s answered %ld (%s body)",
             bc_ev_str(c->request, "method"), bc_ev_str(c->request, "path"), c->answer.status,
             bc_rest_error_form_name(c->answer.form));
    if (readable_success(c->request, c->response, &c->answer)) {
        bc_check_set(out, BC_ERROR, "%s, a readable success: nothing for an error check to "
                     "judge", c->what);
        bc_rest_error_free(&c->answer);
        return -1;
    }
    /* From the request on: a quick client may report before the server's
     * stamp of its answer. */
    c->error = bc_ev_find_event(ev, "error");
    c->value = first_event_from(ev, "value", bc_ev_t(c->request));
    return 0;
}

/* An error event and no value: the common ground of both checks. */
static bool reported_as_error(const judged_call *c, bc_check_result *out) {
    if (c->value) {
        bc_check_set(out, BC_FAIL, "%s; the client returned a value, expected an error", c->what);
        return false;
    }
    if (!c->error) {
        bc_check_set(out, BC_FAIL, "%s; the client reported no error, expected one", c->what);
        return false;
    }
    const char *message = bc_ev_str(c->error, "message");
    if (!message || !*message) {
        bc_check_set(out, BC_FAIL, "%s; the error has no message, expected a clear one", c->what);
        return false;
    }
    return true;
}

static bool kind_is(const judged_call *c, const char *want, bc_check_result *out) {
    const char *got = bc_ev_str(c->error, "kind");
    if (!want || (got && !strcmp(got, want))) return true;
    bc_check_set(out, BC_FAIL, "%s; error kind %s, expected %s", c->what, got ? got : "(none)",
                 want);
    return false;
}

static bool message_has_text(const judged_call *c, bc_check_result *out) {
    const char *message = bc_ev_str(c->error, "message");
    if (bc_rest_error_message_has_text(&c->answer, message)) return true;
    bc_check_set(out, BC_FAIL, "%s; the message \"%.80s\" lacks the server's text \"%.60s\"",
                 c->what, message, c->answer.text);
    return false;
}

/* REST-ERRORS */
void check_rest_errors(const bc_evidence *ev, const json_t *params, bc_check_result *out) {
    judged_call c;
    if (find_call(ev, params, &c, out) < 0) return;
    const char *kind = bc_rest_error_kind_agreed(&c.answer);
    if (reported_as_error(&c, out) && kind_is(&c, kind, out) && message_has_text(&c, out))
        bc_check_set(out, BC_PASS, "%s; error %s with the server's text%s", c.what,
                     bc_ev_str(c.error, "kind"), kind ? "" : " (any kind: the lines differ)");
    bc_rest_error_free(&c.answer);
}

/* A JSON error body's words were taken out of it, not the body passed on. */
static bool message_taken_out(const judged_call *c, bc_check_result *out) {
    const char *message = bc_ev_str(c->error, "message");
    bool json_form = c->answer.form == BC_ANSWER_ENVELOPE || c->answer.form == BC_ANSWER_FLAT ||
                     c->answer.form == BC_ANSWER_RUNNER;
    if (!json_form || !c->answer.text || !strstr(message, c->answer.body)) return true;
    bc_check_set(out, BC_FAIL, "%s; the message holds the raw body \"%.80s\", expected the "
                 "text taken out of it", c->what, c->answer.body);
    return false;
}

/* REST-ERRORS-FINE */
void check_rest_errors_fine(const bc_evidence *ev, const json_t *params, bc_check_result *out) {
    judged_call c;
    if (find_call(ev, params, &c, out) < 0) return;
    const char *kind = bc_rest_error_kind_fine(&c.answer);
    if (c.answer.status >= 200 && c.answer.status <= 299) kind = "internal";
    if (reported_as_error(&c, out) && kind_is(&c, kind, out) && message_has_text(&c, out) &&
        message_taken_out(&c, out))
        bc_check_set(out, BC_PASS, "%s; error %s, the server's text taken out", c.what,
                     bc_ev_str(c.error, "kind"));
    bc_rest_error_free(&c.answer);
}
