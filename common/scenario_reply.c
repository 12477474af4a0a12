/* scenario_reply.c - one REST REPLY: its status, its body (one body key at
 * most), the modifiers any answer takes (content_length, drip, headers) and
 * the faults instead of an answer (hang, rst). Part of the scenario loader:
 * see scenario_parts.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jfield.h"
#include "scenario_parts.h"

/* One of these per reply at most; each makes the whole body. */
static const char *const body_keys[] = { "body", "body_raw", "body_form", "state", "tar",
                                         "bytes", "endless", "json_depth", "redirect",
                                         "header_endless", NULL };

/* ---- which keys a reply of an endpoint takes -------------------------------- */

static int takes_tar(bc_endpoint ep) { return ep == BC_EP_FILES_GET || ep == BC_EP_EXPORT; }

/* The keys of a reply to ep, in the order the docs list them. */
static void reply_keys(bc_endpoint ep, bool reject, const char **keys) {
    static const char *const head[] = { "status", "body", "body_raw", "body_form", "message", NULL };
    static const char *const probe[] = { "state", "exit_code", "error_message", NULL };
    static const char *const rest[] = { "bytes", "endless", "json_depth", "redirect",
                                        "header_endless", "content_length", "drip", "headers",
                                        "delay", "hang", "rst", "repeat", NULL };
    size_t n = 0;
    for (const char *const *k = head; *k; k++) keys[n++] = *k;
    if (reject) {
        keys[n++] = "delay";
        keys[n] = NULL;
        return;
    }
    if (ep == BC_EP_PROBE)
        for (const char *const *k = probe; *k; k++) keys[n++] = *k;
    if (takes_tar(ep)) keys[n++] = "tar";
    for (const char *const *k = rest; *k; k++) keys[n++] = *k;
    keys[n] = NULL;
}

/* ---- bodies ------------------------------------------------------------------ */

static int read_body_form(bc_jctx *c, const json_t *v, bc_body_form *out) {
    static const char *const names[] = { "runner", "envelope", "flat", "empty" };
    for (size_t i = 0; json_is_string(v) && i < 4; i++)
        if (strcmp(json_string_value(v), names[i]) == 0) {
            *out = (bc_body_form)i;
            return 1;
        }
    return bc_jctx_expected(c, "\"runner\", \"envelope\", \"flat\" or \"empty\"", v);
}

static int read_json_body(bc_jctx *c, const json_t *v, bc_bytes *out) {
    (void)c;
    char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    *out = (bc_bytes){ .data = (unsigned char *)text, .len = text ? strlen(text) : 0 };
    return 1;
}

static int load_reply_form(bc_jctx *c, const json_t *obj, bc_reply *r) {
    bool has_message = json_object_get(obj, "message") != NULL;
    if (BC_JMEMBER(c, obj, "body_form", read_body_form, &r->form) < 0) return -1;
    if (r->body_kind != BC_BODY_FORM && has_message)
        return bc_jctx_fail_key(c, "message", "expected \"message\" only with "
                                "\"body_form\", got it without");
    if (r->body_kind == BC_BODY_FORM && r->form == BC_FORM_EMPTY && has_message)
        return bc_jctx_fail_key(c, "message", "expected no \"message\" with body_form "
                                "\"empty\", got one");
    if (r->body_kind == BC_BODY_FORM && r->form != BC_FORM_EMPTY && !has_message) {
        bc_jctx_key(c, "body_form");
        return bc_jctx_fail(c, BC_JPOS_VALUE, "expected a \"message\" with this "
                            "body_form, got none");
    }
    return bc_jget_string(c, obj, "message", &r->message);
}

static int read_probe_exit(bc_jctx *c, const json_t *v, bc_reply *r) {
    r->has_exit_code = true;
    if (json_is_null(v)) {
        r->exit_code_null = true;
        return 1;
    }
    return bc_jval_int(c, v, BC_JANY_INT, &r->exit_code);
}

static int load_reply_state(bc_jctx *c, const json_t *obj, bc_reply *r) {
    if (bc_jget_string(c, obj, "state", &r->state) < 0) return -1;
    const char *orphan = json_object_get(obj, "exit_code") ? "exit_code"
                         : json_object_get(obj, "error_message") ? "error_message" : NULL;
    if (!r->state && orphan)
        return bc_jctx_fail_key(c, orphan, "expected \"%s\" only with \"state\", got it "
                                "without", orphan);
    if (BC_JMEMBER(c, obj, "exit_code", read_probe_exit, r) < 0) return -1;
    return bc_jget_string(c, obj, "error_message", &r->error_message);
}

static int read_bytes_count(bc_jctx *c, const json_t *v, unsigned long long *out) {
    return bc_jval_count(c, v, 0, BC_FLOOD_MAX_BYTES, "a byte count", out);
}

static int read_depth(bc_jctx *c, const json_t *v, unsigned long long *out) {
    return bc_jval_count(c, v, 1, BC_JSON_DEPTH_MAX, "a nesting depth", out);
}

static int read_redirect_status(bc_jctx *c, const json_t *v, int *out) {
    static const int allowed[] = { 301, 302, 303, 307, 308 };
    for (size_t i = 0; json_is_integer(v) && i < 5; i++)
        if (json_integer_value(v) == allowed[i]) {
            *out = allowed[i];
            return 1;
        }
    return bc_jctx_expected(c, "a redirect status (301, 302, 303, 307 or 308)", v);
}

static int read_redirect_to(bc_jctx *c, const json_t *v, bool *other) {
    const char *s = json_string_value(v);
    if (!s || (strcmp(s, "other") && strcmp(s, "same")))
        return bc_jctx_expected(c, "\"other\" or \"same\"", v);
    *other = strcmp(s, "other") == 0;
    return 1;
}

static int read_redirect(bc_jctx *c, const json_t *obj, bc_redirect *rd) {
    rd->status = 307;
    rd->other = true;
    if (bc_jctx_need_object(c, obj) < 0 ||
        bc_jctx_known_keys(c, obj, "a redirect", BC_JKEYS("status", "to", "path")) < 0 ||
        BC_JMEMBER(c, obj, "status", read_redirect_status, &rd->status) < 0 ||
        BC_JMEMBER(c, obj, "to", read_redirect_to, &rd->other) < 0 ||
        bc_jget_string(c, obj, "path", &rd->path) < 0)
        return -1;
    if (rd->path && rd->path[0] != '/') {
        bc_jctx_key(c, "path");
        return bc_jctx_expected(c, "a path starting with /", json_object_get(obj, "path"));
    }
    return 1;
}

static int read_tar_body(bc_jctx *c, const json_t *v, bc_tar_spec *out) {
    return bc_scenario_read_tar(c, v, out);
}

static bc_body_kind body_kind_of(const char *key) {
    static const struct { const char *key; bc_body_kind kind; } kinds[] = {
        { "body", BC_BODY_JSON },       { "body_raw", BC_BODY_RAW },
        { "body_form", BC_BODY_FORM },  { "state", BC_BODY_PROBE_STATE },
        { "tar", BC_BODY_TAR },         { "bytes", BC_BODY_BYTES },
        { "endless", BC_BODY_ENDLESS }, { "json_depth", BC_BODY_JSON_DEPTH },
        { "redirect", BC_BODY_REDIRECT }, { "header_endless", BC_BODY_HEADER_ENDLESS },
    };
    for (size_t i = 0; key && i < sizeof kinds / sizeof kinds[0]; i++)
        if (!strcmp(key, kinds[i].key)) return kinds[i].kind;
    return BC_BODY_NONE;
}

static int load_reply_body(bc_jctx *c, const json_t *obj, bc_reply *r) {
    if (bc_jctx_at_most_one(c, obj, body_keys) < 0) return -1;
    r->body_kind = body_kind_of(bc_jfirst_of(obj, body_keys));
    if (BC_JMEMBER(c, obj, "body", read_json_body, &r->body) < 0) return -1;
    if (bc_jget_bytes(c, obj, "body_raw", NULL, &r->body) < 0) return -1;
    if (load_reply_form(c, obj, r) < 0 || load_reply_state(c, obj, r) < 0) return -1;
    if (BC_JMEMBER(c, obj, "tar", read_tar_body, &r->tar) < 0 ||
        BC_JMEMBER(c, obj, "bytes", read_bytes_count, &r->count) < 0 ||
        BC_JMEMBER(c, obj, "json_depth", read_depth, &r->count) < 0 ||
        BC_JMEMBER(c, obj, "redirect", read_redirect, &r->redirect) < 0 ||
        bc_jget_true(c, obj, "endless") < 0 || bc_jget_true(c, obj, "header_endless") < 0)
        return -1;
    return 0;
}

/* ---- modifiers ----------------------------------------------------------------- */

/* RFC 9110 tchar: what a header name is made of. */
static int is_token(const char *s) {
    if (!*s) return 0;
    for (; *s; s++)
        if (!strchr("!#$%&'*+-.^_`|~", *s) && !(*s >= '0' && *s <= '9') &&
            !(*s >= 'a' && *s <= 'z') && !(*s >= 'A' && *s <= 'Z'))
            return 0;
    return 1;
}

static int read_header(bc_jctx *c, const char *name, const json_t *v, bc_header *h) {
    if (!is_token(name))
        return bc_jctx_fail(c, BC_JPOS_KEY, "expected a header name (letters, digits and "
                            "!#$%%&'*+-.^_`|~), got \"%s\"", name);
    if (!strcasecmp(name, "Content-Length") || !strcasecmp(name, "Transfer-Encoding"))
        return bc_jctx_fail(c, BC_JPOS_KEY, "expected a header the server does not frame "
                            "the body with (use \"content_length\"), got \"%s\"", name);
    h->name = strdup(name);
    if (bc_jval_string(c, v, &h->value) < 0) return -1;
    if (strpbrk(h->value, "\r\n"))
        return bc_jctx_expected(c, "a header value without CR or LF", v);
    return 1;
}

static int read_headers(bc_jctx *c, const json_t *obj, bc_reply *r) {
    const char *key;
    json_t *v;
    if (bc_jctx_need_object(c, obj) < 0) return -1;
    r->headers = calloc(json_object_size(obj) + 1, sizeof *r->headers);
    json_object_foreach((json_t *)obj, key, v) {
        bc_jctx_key(c, key);
        if (read_header(c, key, v, &r->headers[r->header_count++]) < 0) return -1;
        bc_jctx_up(c);
    }
    return 1;
}

static int read_drip(bc_jctx *c, const json_t *v, double *out) {
    if (!json_is_number(v) || json_number_value(v) <= 0)
        return bc_jctx_expected(c, "seconds (a number > 0)", v);
    return bc_jval_seconds(c, v, false, out, NULL);
}

static int load_modifiers(bc_jctx *c, const json_t *obj, bc_reply *r) {
    bool content_length = true;
    if (bc_jget_bool(c, obj, "content_length", &content_length) < 0 ||
        BC_JMEMBER(c, obj, "drip", read_drip, &r->drip) < 0 ||
        BC_JMEMBER(c, obj, "headers", read_headers, r) < 0)
        return -1;
    r->chunked = !content_length || r->body_kind == BC_BODY_ENDLESS;
    return 0;
}

/* ---- exclusions ----------------------------------------------------------------- */

/* hang means "no answer at all", rst "no HTTP answer": nothing else fits. */
static int fault_exclusions(bc_jctx *c, const json_t *obj) {
    static const char *const answer[] = { "status", "body", "body_raw", "body_form", "message",
                                          "state", "exit_code", "error_message", "tar",
                                          "bytes", "endless", "json_depth", "redirect",
                                          "header_endless", "content_length", "drip",
                                          "headers", NULL };
    bool rst = json_is_true(json_object_get(obj, "rst"));  /* "rst": false is no fault */
    const char *fault = json_object_get(obj, "hang") ? "hang" : rst ? "rst" : NULL;
    const char *other = fault ? bc_jfirst_of(obj, answer) : NULL;
    if (!other && fault && strcmp(fault, "hang") == 0 && rst)
        other = "rst";
    if (!other && fault && strcmp(fault, "hang") == 0 && json_object_get(obj, "delay"))
        other = "delay";
    if (other)
        return bc_jctx_fail_key(c, other, "expected no \"%s\" with \"%s\", got one", other,
                                fault);
    return 0;
}

/* A body that brings its own status or framing takes no other. */
static int body_exclusions(bc_jctx *c, const json_t *obj) {
    if (json_object_get(obj, "redirect") && json_object_get(obj, "status"))
        return bc_jctx_fail_key(c, "status", "expected no \"status\" with \"redirect\" "
                                "(it has its own), got one");
    const char *framed = json_object_get(obj, "endless")          ? "endless"
                         : json_object_get(obj, "header_endless") ? "header_endless"
                                                                  : NULL;
    if (framed && json_object_get(obj, "content_length"))
        return bc_jctx_fail_key(c, "content_length", "expected no \"content_length\" with "
                                "\"%s\" (%s), got one", framed,
                                strcmp(framed, "endless") ? "no body follows the head"
                                                          : "always chunked");
    return 0;
}

/* ---- the reply ------------------------------------------------------------------- */

int bc_scenario_read_reply(bc_jctx *c, const json_t *obj, bc_endpoint ep, bool reject,
                           bc_reply *r) {
    const char *keys[40];
    reply_keys(ep, reject, keys);
    char what[48];
    snprintf(what, sizeof what, reject ? "a reject" : "a reply to %s", bc_endpoint_name(ep));
    if (bc_jctx_need_object(c, obj) < 0 || bc_jctx_known_keys(c, obj, what, keys) < 0)
        return -1;
    if (fault_exclusions(c, obj) < 0 || body_exclusions(c, obj) < 0) return -1;
    if (reject && bc_jget_required(c, obj, "status") < 0) return -1;
    if (bc_jget_int(c, obj, "status", reject ? 102 : 100, 599, &r->status) < 0) return -1;
    if (load_reply_body(c, obj, r) < 0 || load_modifiers(c, obj, r) < 0) return -1;
    if (bc_jget_seconds(c, obj, "delay", false, &r->delay, NULL) < 0) return -1;
    int hang = bc_jget_seconds(c, obj, "hang", true, &r->hang_seconds, &r->hang_forever);
    if (hang < 0) return -1;
    r->hang = hang == 1;
    if (bc_jget_bool(c, obj, "rst", &r->rst) < 0) return -1;
    return bc_jget_bool(c, obj, "repeat", &r->repeat) < 0 ? -1 : 0;
}

int bc_scenario_read_replies(bc_jctx *c, const json_t *arr, bc_endpoint ep,
                             bc_reply_list *out) {
    if (bc_jctx_need_array(c, arr) < 0) return -1;
    out->count = json_array_size(arr);
    out->items = calloc(out->count + 1, sizeof *out->items);
    for (size_t i = 0; i < out->count; i++) {
        bc_jctx_index(c, i);
        if (bc_scenario_read_reply(c, json_array_get(arr, i), ep, false, &out->items[i]) < 0)
            return -1;
        bc_jctx_up(c);
    }
    return 0;
}

void bc_scenario_free_reply(bc_reply *r) {
    if (!r) return;
    free(r->body.data);
    free(r->message);
    free(r->state);
    free(r->error_message);
    bc_scenario_free_tar(&r->tar);
    free(r->redirect.path);
    for (size_t i = 0; i < r->header_count; i++) {
        free(r->headers[i].name);
        free(r->headers[i].value);
    }
    free(r->headers);
}
