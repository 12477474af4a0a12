/* security.c - the Security family: what a hostile server must never get
 * out of the client or do to its host. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"

/* ---- SEC-REDIRECT ------------------------------------------------------------- */

/* The bearer token the client holds, as its main-origin requests carried it
 * ("Authorization: Bearer TOKEN" the server accepted); NULL if none did. */
static const char *client_token(const bc_evidence *ev) {
    for (size_t n = 1; n <= bc_ev_call_count(ev, NULL); n++) {
        const json_t *req = bc_ev_call(ev, NULL, n);
        const char *auth = bc_ev_str(req, "auth");
        if (bc_ev_is(req, "origin", "main") && json_is_true(json_object_get(req, "auth_ok")) &&
            auth && !strncmp(auth, "Bearer ", 7) && auth[7])
            return auth + 7;
    }
    return NULL;
}

/* Where in req the token went (a header's name, "path", "query"), NULL if
 * nowhere. */
static const char *token_in(const json_t *req, const char *token) {
    if (json_is_true(json_object_get(req, "auth_ok"))) return "Authorization";
    if (!token) return NULL;
    size_t i;
    json_t *pair;
    json_array_foreach(json_object_get(req, "headers"), i, pair) {
        const char *value = json_string_value(json_array_get(pair, 1));
        if (value && strstr(value, token)) return json_string_value(json_array_get(pair, 0));
    }
    const char *path = bc_ev_str(req, "path_raw"), *query = bc_ev_str(req, "query_raw");
    if (path && strstr(path, token)) return "path";
    if (query && strstr(query, token)) return "query";
    return NULL;
}

/* SEC-REDIRECT */
void check_sec_redirect(const bc_evidence *ev, const json_t *params, bc_check_result *out) {
    (void)params;
    size_t redirects = bc_ev_redirect_count(ev, "other"), reached = 0;
    const char *token = client_token(ev);
    if (redirects == 0) {
        bc_check_set(out, BC_FAIL, "no redirect to the other origin was answered: the case "
                     "exercises nothing");
        return;
    }
    for (size_t n = 1; n <= bc_ev_call_count(ev, NULL); n++) {
        const json_t *req = bc_ev_call(ev, NULL, n);
        if (!bc_ev_is(req, "origin", "other")) continue;
        reached++;
        const char *where = token_in(req, token);
        if (where) {
            bc_check_measured(out, BC_FAIL, (double)reached, "%s %s on the other origin carried "
                              "the bearer token (%s)", bc_ev_str(req, "method"),
                              bc_ev_str(req, "path_raw"), where);
            return;
        }
    }
    bc_check_measured(out, BC_PASS, (double)reached, "%zu redirect%s to the other origin, "
                      "%zu request%s there, none with the token%s", redirects,
                      redirects == 1 ? "" : "s", reached, reached == 1 ? "" : "s",
                      reached ? "" : " (the client refused to follow)");
}
