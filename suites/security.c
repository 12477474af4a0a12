/* security.c - the Security family: what a hostile server must never get
 * out of the client (its token: SEC-REDIRECT) or do to its host (SEC-TAR,
 * SEC-EXPORT-NAME, SEC-LIMITS: judged from what the harness saw there, the
 * sandbox before and after the adapter and its memory, whatever the client
 * says). */
#include <math.h>
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

/* ---- SEC-TAR, SEC-EXPORT-NAME, SEC-LIMITS ------------------------------------ */

/* Whether the sandbox was listed whole before and after; else out is ERROR. */
static bool sandbox_judgeable(const bc_evidence *ev, bc_check_result *out) {
    const char *why;
    bool seen = bc_ev_sandbox_seen(ev, &why);
    if (seen && !why && bc_ev_sandbox_dest(ev)) return true;
    bc_check_set(out, BC_ERROR, "the sandbox cannot be judged: %s",
                 why ? why : seen ? "the action has no destination" : "not observed");
    return false;
}

/* Nothing created, changed or removed outside the destination; else out
 * is FAIL naming what was. */
static bool nothing_outside(const bc_evidence *ev, bc_check_result *out) {
    char what[280];
    size_t n = bc_ev_sandbox_describe(ev, BC_SB_OUTSIDE, what, sizeof what);
    if (!n) n = bc_ev_sandbox_describe(ev, BC_SB_HOST, what, sizeof what);
    if (!n) return true;
    bc_check_measured(out, BC_FAIL, (double)bc_ev_sandbox_unasked(ev), "outside the "
                      "destination %s: %s", bc_ev_sandbox_dest(ev), what);
    return false;
}

/* ---- SEC-TAR ------------------------------------------------------------------ */

static bool special_type(const char *type) {
    return type && (!strcmp(type, "fifo") || !strcmp(type, "chardev") ||
                    !strcmp(type, "blockdev") || !strcmp(type, "socket"));
}

/* SEC-TAR: nothing outside the destination; inside it no device, fifo or
 * socket and no set-id bit. Symlinks left inside are reported. */
void check_sec_tar(const bc_evidence *ev, const json_t *params, bc_check_result *out) {
    (void)params;
    if (!sandbox_judgeable(ev, out) || !nothing_outside(ev, out)) return;
    char links[200] = "";
    size_t nlinks = 0, used = 0, made = 0;
    for (int kind = BC_SB_CREATED; kind <= BC_SB_CHANGED; kind++)
        for (size_t i = 1; i <= bc_ev_sandbox_count(ev, BC_SB_DEST, kind); i++, made++) {
            const json_t *c = bc_ev_sandbox_change(ev, BC_SB_DEST, kind, i);
            const json_t *e = json_object_get(c, "after");
            const char *type = bc_ev_str(e, "type"), *path = bc_ev_str(c, "path");
            long mode = bc_ev_int(e, "mode", 0);
            if (special_type(type)) {
                bc_check_set(out, BC_FAIL, "created a %s at %s", type, path);
                return;
            }
            if (mode & 06000) {
                bc_check_measured(out, BC_FAIL, (double)mode, "%s has mode %04lo: %s "
                                  "survived", path, mode, (mode & 06000) == 06000 ? "setuid "
                                  "and setgid" : mode & 04000 ? "setuid" : "setgid");
                return;
            }
            if (type && !strcmp(type, "symlink") && used < sizeof links)
                used += (size_t)snprintf(links + used, sizeof links - used, "%s%s -> %s",
                                         nlinks++ ? ", " : "", path, bc_ev_str(e, "target"));
        }
    bc_check_measured(out, BC_PASS, (double)made, "nothing changed outside %s; entries "
                      "made inside: %zu, none a device, fifo or set-id file%s%s",
                      bc_ev_sandbox_dest(ev), made, nlinks ? "; symlinks left (reported, "
                      "not failed): " : "", links);
}

/* ---- SEC-EXPORT-NAME ------------------------------------------------------------ */

/* SEC-EXPORT-NAME: whatever the box is named, nothing lands outside dest. */
void check_sec_export_name(const bc_evidence *ev, const json_t *params, bc_check_result *out) {
    (void)params;
    if (!sandbox_judgeable(ev, out) || !nothing_outside(ev, out)) return;
    size_t made = bc_ev_sandbox_count(ev, BC_SB_DEST, BC_SB_CREATED);
    const json_t *err = bc_ev_find_event(ev, "error");
    const json_t *first = bc_ev_sandbox_change(ev, BC_SB_DEST, BC_SB_CREATED, 1);
    if (err)
        bc_check_measured(out, BC_PASS, (double)made, "nothing outside %s; the export was "
                          "refused: %.160s", bc_ev_sandbox_dest(ev),
                          bc_ev_str_or(err, "message", ""));
    else
        bc_check_measured(out, BC_PASS, (double)made, "nothing outside %s; the archive is %s",
                          bc_ev_sandbox_dest(ev),
                          first ? bc_ev_str(first, "path") : "nowhere (no new file)");
}

/* ---- SEC-LIMITS ------------------------------------------------------------------ */

/* The latest request the server saw at or before t: the call that ended
 * the action. NULL if none. */
static const json_t *request_before(const bc_evidence *ev, double t) {
    const json_t *last = NULL;
    for (size_t i = 1; i <= bc_ev_call_count(ev, NULL); i++) {
        const json_t *req = bc_ev_call(ev, NULL, i);
        if (bc_ev_t(req) <= t) last = req;
    }
    return last;
}

/* A client that reads a hostile answer through a fixed buffer, or stops at
 * a limit, holds the same few MiB however much comes; one that keeps what
 * it reads holds about all of it. Past BUFFERED_FROM bytes read, holding
 * half of them is keeping them. */
#define BUFFERED_FROM (64LL << 20)

/* Whether the client kept the answer it read whole; out set when it did. */
static bool kept_answer(const bc_evidence *ev, const json_t *req, bc_check_result *out) {
    long long sent = bc_ev_int(bc_ev_answer(ev, req), "body_len", 0);
    long long peak = bc_ev_memory_peak(ev);
    if (sent < BUFFERED_FROM || peak < sent / 2) return false;
    bc_check_measured(out, BC_FAIL, (double)peak, "the client held %lld MiB after reading "
                      "%lld MiB of the answer to %s: it keeps what it reads (bounded memory "
                      "holds the same few MiB however much comes)", peak >> 20, sent >> 20,
                      bc_ev_str(req, "path"));
    return true;
}

/* SEC-LIMITS: a clear error within the call's timeout, in bounded memory:
 * the memory limit never reached, the answer never kept whole. */
void check_sec_limits(const bc_evidence *ev, const json_t *params, bc_check_result *out) {
    double killed_at;
    long long held, limit, peak = bc_ev_memory_peak(ev);
    if (bc_ev_memory_killed(ev, &killed_at, &held, &limit)) {
        bc_check_measured(out, BC_FAIL, (double)held, "the client held %lld MiB at %.1f s, past "
                          "its %lld MiB limit: the harness killed it", held >> 20, killed_at,
                          limit >> 20);
        return;
    }
    const json_t *err = bc_ev_find_event(ev, "error"), *value = bc_ev_value_event(ev, 1);
    if (!err) {
        bc_check_set(out, BC_FAIL, "%s; expected a clear error", value ? "the call succeeded "
                     "on a hostile answer" : "the client reported nothing");
        return;
    }
    const json_t *req = request_before(ev, bc_ev_t(err));
    double took = bc_ev_t(err) - bc_ev_t(req), timeout = ev->k.rest_timeout;
    bc_window w = bc_ev_window(params, timeout);
    if (!req || isnan(took)) {
        bc_check_set(out, BC_FAIL, "an error, but no request of the call it ends");
    } else if (took > timeout + w.late) {
        bc_check_measured(out, BC_FAIL, took, "the error came %.1f s after the request of %s; "
                          "expected within the call's %.0f s timeout (+%.1f s)", took,
                          bc_ev_str(req, "path"), timeout, w.late);
        bc_check_window(out, timeout, bc_ev_t(req), bc_ev_t(req) + timeout + w.late,
                        "the call's timeout");
    } else if (!kept_answer(ev, req, out)) {
        bc_check_measured(out, BC_PASS, took, "a clear error %.1f s after the request of %s "
                          "(%s: %.120s), %lld MiB at most", took, bc_ev_str(req, "path"),
                          bc_ev_str_or(err, "kind", "?"), bc_ev_str_or(err, "message", ""),
                          peak < 0 ? -1 : peak >> 20);
    }
}
