/* snapshots.c - the Snapshots family: the capability gate of /v1/config,
 * the snapshot calls, the clone's handle, and the export's file. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "scenario.h"
#include "suites.h"

/* ---- CAPS-GATE -------------------------------------------------------------- */

/* The gated calls (action name = journal endpoint) and the capability each
 * needs from /v1/config. */
static const struct {
    const char *call;
    const char *capability;
} gated[] = {
    { "snapshot_create", "snapshots_enabled" },  { "snapshot_list", "snapshots_enabled" },
    { "snapshot_get", "snapshots_enabled" },     { "snapshot_remove", "snapshots_enabled" },
    { "snapshot_restore", "snapshots_enabled" }, { "clone", "clone_enabled" },
    { "export", "export_enabled" },
};

static const char *capability_of(const char *call) {
    for (size_t i = 0; i < sizeof gated / sizeof gated[0]; i++)
        if (!strcmp(gated[i].call, call)) return gated[i].capability;
    return NULL;
}

/* What the client knew about one capability when it made a call: the last
 * config answer it had, and what that said. */
typedef enum gate {
    GATE_ON, GATE_OFF, GATE_UNADVERTISED, GATE_FAILED, GATE_NEVER_ASKED
} gate;

typedef struct gate_view {
    gate g;
    size_t answer;              /* which config call's answer (1-based), 0: none */
    long status;                /* its HTTP status, 0: none */
    const char *fault;          /* why there is none: "rst", "hang", "no answer" */
} gate_view;

/* A config answer's word on capability key. */
static gate gate_of(const json_t *answer, const char *key) {
    long status = bc_ev_int(answer, "status", 0);
    if (status < 200 || status > 299) return GATE_FAILED;
    json_t *body = bc_ev_body_json(answer);
    json_t *caps = json_object_get(body, "capabilities");
    json_t *flag = json_object_get(caps, key);
    gate g = !json_is_object(body)           ? GATE_FAILED
             : !caps || json_is_null(caps)   ? GATE_UNADVERTISED
             : !json_is_object(caps)         ? GATE_FAILED
             : !flag || json_is_null(flag)   ? GATE_UNADVERTISED
             : json_is_true(flag)            ? GATE_ON
             : json_is_false(flag)           ? GATE_OFF
                                             : GATE_FAILED;
    json_decref(body);
    return g;
}

/* The gate as of time t (the call's value or error; NAN: the end): the
 * last config call made by then, as it was answered (a call never
 * answered failed). */
static gate_view gate_at(const bc_evidence *ev, const char *key, double t) {
    gate_view v = { GATE_NEVER_ASKED, 0, 0, NULL };
    for (size_t n = 1; n <= bc_ev_call_count(ev, "config"); n++) {
        const json_t *req = bc_ev_call(ev, "config", n), *a = bc_ev_answer(ev, req);
        if (!isnan(t) && bc_ev_t(a ? a : req) > t) break;
        v = (gate_view){ a ? gate_of(a, key) : GATE_FAILED, n, bc_ev_int(a, "status", 0),
                         a ? bc_ev_str_or(a, "fault", "no status") : "no answer" };
    }
    return v;
}

/* "config answer 2 said clone_enabled false" */
static void describe(const gate_view *v, const char *key, char *buf, size_t len) {
    static const char *const says[] = { "true", "false", "absent", "", "" };
    if (v->g == GATE_NEVER_ASKED)
        snprintf(buf, len, "no config answer");
    else if (v->g == GATE_FAILED && v->status)
        snprintf(buf, len, "config call %zu failed (%ld)", v->answer, v->status);
    else if (v->g == GATE_FAILED)
        snprintf(buf, len, "config call %zu failed (%s)", v->answer, v->fault);
    else
        snprintf(buf, len, "config answer %zu said %s %s", v->answer, key, says[v->g]);
}

/* The error kind a refusal must carry; NULL: any but "unsupported" (a
 * failed config call whose status the REST contracts leave open). */
static const char *refusal_kind(const gate_view *v) {
    if (v->g == GATE_OFF || v->g == GATE_UNADVERTISED) return "unsupported";
    if (v->status == 401 || v->status == 403) return "auth";
    if (v->status == 404) return "not_found";
    return NULL;
}

/* One gated call against what the client knew; false with why. */
static bool judge_gate(const char *call, const gate_view *v, const char *knew, const json_t *ret,
                       size_t sent, char *why, size_t len) {
    const char *want = refusal_kind(v), *kind = bc_ev_str(ret, "kind");
    bool refused = bc_ev_is(ret, "event", "error");
    if (v->g == GATE_NEVER_ASKED)
        snprintf(why, len, "%s %s without asking /v1/config first", call,
                 sent ? "was sent" : "was refused");
    else if (v->g == GATE_ON && sent == 0)
        snprintf(why, len, "%s was never sent, though %s", call, knew);
    else if (v->g == GATE_ON)
        return true;
    else if (sent > 0)
        snprintf(why, len, "%s was sent (%zu request%s), though %s", call, sent,
                 sent == 1 ? "" : "s", knew);
    else if (!refused)
        snprintf(why, len, "%s reported %s after %s; expected an error", call,
                 ret ? "a value" : "nothing", knew);
    else if (want ? !kind || strcmp(kind, want) : kind && !strcmp(kind, "unsupported"))
        snprintf(why, len, "%s refused with kind %s after %s; expected %s%s", call,
                 kind ? kind : "(none)", knew, want ? "" : "the config call's own error, not ",
                 want ? want : "unsupported");
    else
        return true;
    return false;
}

/* CAPS-GATE: every gated call of the action's chain (the action, its
 * then, ...; each gated endpoint at most once) against what the client knew. */
void check_caps_gate(const bc_evidence *ev, const json_t *params, bc_check_result *out) {
    (void)params;
    char note[320] = "", knew[96], why[320];
    size_t judged = 0, n = 0;
    for (const json_t *a = ev->action; a; a = json_object_get(a, "then")) {
        const char *call = bc_ev_str_or(a, "action", "?"), *key = capability_of(call);
        const json_t *ret = bc_ev_return(ev, ++n);
        if (n > 1 && !ret && bc_ev_is(bc_ev_return(ev, n - 1), "event", "error")) break;
        if (!key) continue;                 /* not gated; it still returns once */
        size_t sent = bc_ev_call_count(ev, call);
        gate_view v = gate_at(ev, key, ret ? bc_ev_t(ret) : NAN);
        describe(&v, key, knew, sizeof knew);
        if (!judge_gate(call, &v, knew, ret, sent, why, sizeof why)) {
            bc_check_measured(out, BC_FAIL, (double)sent, "%s", why);
            return;
        }
        const char *kind = bc_ev_str(ret, "kind");
        size_t used = strlen(note);
        snprintf(note + used, sizeof note - used, "%s%s: %s, %s%s", judged++ ? "; " : "", call,
                 knew, v.g == GATE_ON ? "sent" : "refused with ",
                 v.g == GATE_ON ? "" : kind ? kind : "no kind");
    }
    if (judged == 0) {
        bc_check_set(out, BC_FAIL, "the action (%s) makes no gated call (snapshot_*, clone, "
                     "export): nothing to judge", ev->action ? bc_ev_str_or(ev->action, "action", "?")
                     : "not in the evidence");
        return;
    }
    bc_check_measured(out, BC_PASS, (double)judged, "%s", note);
}

/* ---- SNAP-CRUD ---------------------------------------------------------------- */

/* The snapshot calls: method, whether the path names the snapshot. */
static const struct {
    const char *call;
    const char *method;
    bool named;                 /* .../snapshots/{name}[...] */
} snapshot_calls[] = {
    { "snapshot_create", "POST", false }, { "snapshot_list", "GET", false },
    { "snapshot_get", "GET", true },      { "snapshot_remove", "DELETE", true },
    { "snapshot_restore", "POST", true },
};

static const char *const snapshot_fields[] = {
    "id", "box_id", "name", "created_at", "container_disk_bytes", "size_bytes"
};

/* Does value hold the SnapshotResponse sent, field for field? A size above
 * 2^53 held rounded to a double is the same, its field kept in *rounded
 * (the first; the strict part). */
static bool same_snapshot(const json_t *value, const json_t *sent, const char **field,
                          const char **rounded) {
    *field = snapshot_fields[0];
    if (!json_is_object(value)) return false;
    for (size_t i = 0; i < sizeof snapshot_fields / sizeof snapshot_fields[0]; i++) {
        *field = snapshot_fields[i];
        const json_t *held = json_object_get(value, *field), *want = json_object_get(sent, *field);
        if (bc_ev_rounded_u64(want, held)) {
            if (!*rounded) *rounded = *field;
        } else if (!bc_ev_same_value(held, want)) {
            return false;
        }
    }
    return true;
}

/* The request names the caller's snapshot: in its path (one segment,
 * percent-decoded) or, for a create, in its JSON body. */
static bool names_snapshot(const json_t *req, bool named, const char *name, char *why,
                           size_t len) {
    if (!name) return true;
    json_t *body = named ? NULL : bc_ev_body_json(req);
    char *seg = named ? bc_ev_path_segment(req, "snapshots") : NULL;
    const char *got = named ? seg : json_string_value(json_object_get(body, "name"));
    bool same = got && !strcmp(got, name);
    if (!same)
        snprintf(why, len, "%s %s names the snapshot \"%s\" (%s); expected \"%s\"",
                 bc_ev_str(req, "method"), bc_ev_str(req, "path_raw"), got ? got : "(none)",
                 named ? "its path segment, percent-decoded" : "the body's \"name\"", name);
    free(seg);
    json_decref(body);
    return same;
}

/* What the caller got matches the answer: a 2xx's content, none for a 404
 * get, an error otherwise. *rounded: the first size only held rounded. */
static bool returned_answer(const char *call, const json_t *answer, const json_t *ret,
                            const char **rounded, char *why, size_t len) {
    long status = bc_ev_int(answer, "status", 0);
    const json_t *value = json_object_get(ret, "value");
    bool is_value = bc_ev_is(ret, "event", "value"), ok = true;
    const char *field = "";
    json_t *body = bc_ev_body_json(answer);
    if (!strcmp(call, "snapshot_get") && status == 404) {
        ok = is_value && json_is_null(value);
        snprintf(why, len, "a 404 get returned %s; expected the value null (none), not an "
                 "error", is_value ? "a value other than null" : ret ? "an error" : "nothing");
    } else if (status < 200 || status > 299) {
        ok = bc_ev_is(ret, "event", "error");
        snprintf(why, len, "a %ld answer returned %s; expected an error", status,
                 ret ? "a value" : "nothing");
    } else if (!is_value) {
        ok = false;
        snprintf(why, len, "a %ld answer returned %s; expected a value", status,
                 ret ? "an error" : "nothing");
    } else if (!strcmp(call, "snapshot_create") || !strcmp(call, "snapshot_get")) {
        ok = same_snapshot(value, body, &field, rounded);
        snprintf(why, len, "the value's \"%s\" differs from the SnapshotResponse sent", field);
    } else if (!strcmp(call, "snapshot_list")) {
        const json_t *list = json_object_get(body, "snapshots");
        size_t sent = json_array_size(list);
        ok = json_is_array(value) && json_array_size(value) == sent;
        snprintf(why, len, "the value %s %zu snapshots, the answer %zu", json_is_array(value) ?
                 "holds" : "is no list of", json_array_size(value), sent);
        for (size_t i = 0; ok && i < sent; i++)
            if (!(ok = same_snapshot(json_array_get(value, i), json_array_get(list, i), &field,
                                     rounded)))
                snprintf(why, len, "snapshot %zu of the value: \"%s\" differs from the answer's",
                         i + 1, field);
    } else {
        ok = json_is_object(value);
        snprintf(why, len, "the value is not an object ({})");
    }
    json_decref(body);
    return ok;
}

/* The first snapshot call of the action's chain and its row, NULL if none. */
static const json_t *snapshot_action(const bc_evidence *ev, size_t *row) {
    for (const json_t *a = ev->action; a; a = json_object_get(a, "then"))
        for (*row = 0; *row < sizeof snapshot_calls / sizeof snapshot_calls[0]; ++*row)
            if (bc_ev_is(a, "action", snapshot_calls[*row].call)) return a;
    return NULL;
}

/* SNAP-CRUD: the action's snapshot call (with the caller's name) against
 * its request and what it returned. */
void check_snap_crud(const bc_evidence *ev, const json_t *params, bc_check_result *out) {
    (void)params;
    size_t k;
    const json_t *action = snapshot_action(ev, &k);
    char why[256];
    if (!action) {
        bc_check_set(out, BC_FAIL, "the action makes no snapshot call: nothing to judge");
        return;
    }
    const char *call = snapshot_calls[k].call, *name = bc_ev_str(action, "name");
    const json_t *req = bc_ev_call(ev, call, 1), *answer = bc_ev_answer(ev, req);
    if (!req) {
        bc_check_set(out, BC_FAIL, "no %s request reached the server (%zu requests on no "
                     "known route)", call, bc_ev_call_count(ev, "unknown"));
        return;
    }
    const char *method = bc_ev_str_or(req, "method", "?");
    char *box = bc_ev_path_segment(req, "boxes");
    const char *want_box = action == ev->action ? bc_ev_str(action, "box_id") : NULL;
    bool other_box = want_box && (!box || strcmp(box, want_box));
    snprintf(why, sizeof why, "%s %s names box \"%s\"; the handle's is \"%s\"", method,
             bc_ev_str_or(req, "path_raw", "?"), box ? box : "(none)", want_box ? want_box : "");
    free(box);
    if (other_box) {
        bc_check_set(out, BC_FAIL, "%s", why);
        return;
    }
    if (strcmp(method, snapshot_calls[k].method)) {
        bc_check_set(out, BC_FAIL, "%s sent as %s; expected %s", call, method,
                     snapshot_calls[k].method);
        return;
    }
    if (!names_snapshot(req, snapshot_calls[k].named, name, why, sizeof why)) {
        bc_check_set(out, BC_FAIL, "%s", why);
        return;
    }
    if (!answer) {
        bc_check_set(out, BC_FAIL, "%s was never answered (the journal holds no answer)", call);
        return;
    }
    const json_t *ret = bc_ev_return(ev, bc_ev_return_after(ev, bc_ev_t(answer)));
    const char *rounded = NULL;
    if (!returned_answer(call, answer, ret, &rounded, why, sizeof why)) {
        bc_check_set(out, BC_FAIL, "%s: %s", call, why);
        return;
    }
    if (rounded) {
        bc_check_set(out, BC_NON_STRICT, "%s: \"%s\" above 2^53 came back rounded to a double; "
                     "u64 exact is strict", call, rounded);
        return;
    }
    long status = bc_ev_int(answer, "status", 0);
    const json_t *value = json_object_get(ret, "value");
    bc_check_measured(out, BC_PASS, (double)status, "%s %s answered %ld; the caller got %s",
                      bc_ev_str(req, "method"), bc_ev_str(req, "path_raw"), status,
                      !bc_ev_is(ret, "event", "value") ? "an error"
                      : json_is_null(value)            ? "none (null)"
                      : json_is_array(value)           ? "the list, snapshot for snapshot"
                      : json_object_size(value)        ? "the SnapshotResponse, field for field"
                                                       : "{}");
}

/* ---- CLONE-HANDLE --------------------------------------------------------------- */

/* Every request after the clone's answer names the clone's box; returns how
 * many did, or -1 with why. */
static long requests_on_clone(const bc_evidence *ev, const json_t *clone_req, double from,
                              const char *id, char *why, size_t len) {
    long n = 0;
    for (size_t k = 1; k <= bc_ev_call_count(ev, NULL); k++) {
        const json_t *req = bc_ev_call(ev, NULL, k);
        if (req == clone_req || bc_ev_t(req) < from) continue;
        char *box = bc_ev_path_segment(req, "boxes");
        bool other = box && strcmp(box, id);
        if (other)
            snprintf(why, len, "%s %s after the clone names box \"%s\"; expected the clone "
                     "\"%s\"", bc_ev_str(req, "method"), bc_ev_str(req, "path_raw"), box, id);
        n += box != NULL;
        free(box);
        if (other) return -1;
    }
    return n;
}

/* CLONE-HANDLE */
void check_clone_handle(const bc_evidence *ev, const json_t *params, bc_check_result *out) {
    (void)params;
    const json_t *req = NULL, *answer = NULL;
    for (size_t n = bc_ev_call_count(ev, "clone"); n > 0 && !answer; n--) {
        req = bc_ev_call(ev, "clone", n);
        const json_t *a = bc_ev_answer(ev, req);
        long status = bc_ev_int(a, "status", 0);
        if (status >= 200 && status <= 299) answer = a;
    }
    json_t *body = bc_ev_body_json(answer);
    const char *id = json_string_value(json_object_get(body, "box_id"));
    char why[256];
    size_t first = answer ? bc_ev_return_after(ev, bc_ev_t(answer)) : 0;
    const json_t *clone = bc_ev_return(ev, first), *then = bc_ev_return(ev, first + 1);
    const char *got = json_string_value(json_object_get(json_object_get(clone, "value"), "box_id"));
    const char *then_id = json_string_value(json_object_get(json_object_get(then, "value"),
                                                            "box_id"));
    long on_clone = id ? requests_on_clone(ev, req, bc_ev_t(answer), id, why, sizeof why) : 0;
    if (!id)
        bc_check_set(out, BC_FAIL, "no clone answered 2xx with a box_id");
    else if (!bc_ev_is(clone, "event", "value") || !got || strcmp(got, id))
        bc_check_set(out, BC_FAIL, "the clone's value names box \"%s\"; the server's answer "
                     "made \"%s\"", got ? got : "(none)", id);
    else if (on_clone < 0)
        bc_check_set(out, BC_FAIL, "%s", why);
    else if (then_id && strcmp(then_id, id))
        bc_check_set(out, BC_FAIL, "the call on the clone's handle returned box \"%s\"; "
                     "expected the clone \"%s\"", then_id, id);
    else if (on_clone == 0 && !then_id)
        bc_check_set(out, BC_FAIL, "nothing was done on the clone's handle: no request after "
                     "the clone and no box in a later value");
    else
        bc_check_measured(out, BC_PASS, (double)on_clone, "the clone's handle is \"%s\": %ld "
                          "request%s on its path%s", id, on_clone, on_clone == 1 ? "" : "s",
                          then_id ? ", its value names it" : "");
    json_decref(body);
}

/* ---- EXPORT-FILE ------------------------------------------------------------ */

/* sha256 (lowercase hex, into hex[65]) of the archive the export answer
 * carried: its journaled body, else body_len bytes of the fake server's
 * pattern (docs/scenario.md, "bytes": an answer made as it is sent). */
static void archive_sha256(const json_t *ans, char hex[65]) {
    size_t len;
    unsigned char *body = bc_ev_body(ans, &len), digest[EVP_MAX_MD_SIZE];
    unsigned int dlen = 0;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    EVP_DigestInit_ex(md, EVP_sha256(), NULL);
    if (body) {
        EVP_DigestUpdate(md, body, len);
    } else {
        char block[64 * 1024];
        static const char pattern[] = BC_FLOOD_PATTERN;
        for (size_t i = 0; i < sizeof block; i++) block[i] = pattern[i % BC_FLOOD_PERIOD];
        long long left = bc_ev_int(ans, "body_len", 0);
        for (; left > 0; left -= (long long)sizeof block)
            EVP_DigestUpdate(md, block, left < (long long)sizeof block ? (size_t)left : sizeof block);
    }
    EVP_DigestFinal_ex(md, digest, &dlen);
    EVP_MD_CTX_free(md);
    for (unsigned int i = 0; i < dlen && i < 32; i++) sprintf(hex + 2 * i, "%02x", digest[i]);
    free(body);
}

/* The box's name as the client last heard it before t (a 2xx BoxResponse
 * of any call), NULL when it had none. New string. */
static char *name_heard(const bc_evidence *ev, double t) {
    char *name = NULL;
    for (size_t i = 1; i <= bc_ev_call_count(ev, NULL); i++) {
        const json_t *req = bc_ev_call(ev, NULL, i), *ans = bc_ev_answer(ev, req);
        long status = bc_ev_int(ans, "status", 0);
        if (bc_ev_t(req) >= t || status < 200 || status > 299 || !bc_ev_str(req, "endpoint"))
            continue;
        const char *ep = bc_ev_str(req, "endpoint");
        if (strcmp(ep, "box") && strcmp(ep, "start") && strcmp(ep, "stop")) continue;
        json_t *body = bc_ev_body_json(ans);
        if (json_is_object(body)) {
            const char *n = json_string_value(json_object_get(body, "name"));
            free(name);
            name = n ? strdup(n) : NULL;
        }
        json_decref(body);
    }
    return name;
}

/* EXPORT-FILE: the archive's bytes at dest, or at dest/{name or "box"}.boxlite
 * when dest was a directory, and nothing else written. */
void check_export_file(const bc_evidence *ev, const json_t *params, bc_check_result *out) {
    (void)params;
    const char *why, *dest = bc_ev_sandbox_dest(ev);
    if (!bc_ev_sandbox_seen(ev, &why) || why || !dest) {
        bc_check_set(out, BC_ERROR, "no whole listing of the destination: %s",
                     why ? why : "the harness recorded none");
        return;
    }
    size_t n = bc_ev_call_count(ev, "export");
    const json_t *req = bc_ev_call(ev, "export", n), *ans = bc_ev_answer(ev, req);
    const json_t *err = bc_ev_find_event(ev, "error");
    const json_t *complete = json_object_get(ans, "complete");
    if (!ans || bc_ev_int(ans, "status", 0) / 100 != 2 || (complete && !json_is_true(complete))) {
        bc_check_set(out, BC_ERROR, "no whole 2xx export answer to judge");
        return;
    }
    if (err) {
        bc_check_set(out, BC_FAIL, "the export failed: %s: %.160s", bc_ev_str_or(err, "kind", "?"),
                     bc_ev_str_or(err, "message", ""));
        return;
    }
    char target[1024], hex[65] = "", others[240];
    char *name = name_heard(ev, bc_ev_t(req));
    if (bc_ev_is(bc_ev_sandbox_before(ev, dest), "type", "dir"))
        snprintf(target, sizeof target, "%s/%s.boxlite", dest, name ? name : "box");
    else
        snprintf(target, sizeof target, "%s", dest);
    free(name);
    archive_sha256(ans, hex);
    const json_t *got = bc_ev_sandbox_after(ev, target);
    size_t made = bc_ev_sandbox_count(ev, BC_SB_DEST, BC_SB_CREATED) +
                  bc_ev_sandbox_count(ev, BC_SB_DEST, BC_SB_CHANGED);
    if (!bc_ev_is(got, "type", "file")) {
        bc_ev_sandbox_describe(ev, BC_SB_DEST, others, sizeof others);
        bc_check_set(out, BC_FAIL, "no file at %s; the destination got: %s", target,
                     *others ? others : "nothing");
    } else if (!bc_ev_is(got, "sha256", hex)) {
        bc_check_measured(out, BC_FAIL, (double)bc_ev_int(got, "size", -1), "%s holds %ld "
                          "bytes that are not the %ld the server sent", target,
                          bc_ev_int(got, "size", -1), bc_ev_int(ans, "body_len", -1));
    } else if (made != 1 || bc_ev_sandbox_unasked(ev)) {
        if (!bc_ev_sandbox_describe(ev, BC_SB_OUTSIDE, others, sizeof others) &&
            !bc_ev_sandbox_describe(ev, BC_SB_HOST, others, sizeof others))
            bc_ev_sandbox_describe(ev, BC_SB_DEST, others, sizeof others);
        bc_check_set(out, BC_FAIL, "the archive is at %s, but the export wrote more: %s",
                     target, others);
    } else {
        bc_check_measured(out, BC_PASS, (double)bc_ev_int(got, "size", 0), "the %ld archive "
                          "bytes landed at %s intact", bc_ev_int(got, "size", 0), target);
    }
}
