/* evidence_calls.c - the REST calls as the server saw them and what each
 * returned to the caller (evidence.h, "calls" and "values"). */
#include "evidence.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jbig.h"
#include "pct.h"

/* ---- requests ------------------------------------------------------------- */

static bool is_request_of(const json_t *e, const char *endpoint) {
    return bc_ev_is(e, "ev", "http_request") && (!endpoint || bc_ev_is(e, "endpoint", endpoint));
}

size_t bc_ev_call_count(const bc_evidence *ev, const char *endpoint) {
    size_t i, n = 0;
    json_t *e;
    json_array_foreach(ev->journal, i, e) if (is_request_of(e, endpoint)) n++;
    return n;
}

const json_t *bc_ev_call(const bc_evidence *ev, const char *endpoint, size_t n) {
    size_t i, seen = 0;
    json_t *e;
    json_array_foreach(ev->journal, i, e)
        if (is_request_of(e, endpoint) && ++seen == n) return e;
    return NULL;
}

const json_t *bc_ev_answer(const bc_evidence *ev, const json_t *request) {
    long conn = bc_ev_int(request, "conn", -2), req = bc_ev_int(request, "req", -2);
    size_t i;
    json_t *e;
    json_array_foreach(ev->journal, i, e)
        if (bc_ev_is(e, "ev", "http_response") && bc_ev_int(e, "conn", -3) == conn &&
            bc_ev_int(e, "req", -3) == req)
            return e;
    return NULL;
}

/* The value of the first [name, value] pair of list whose name matches. */
static const char *pair_value(const json_t *list, const char *name, bool any_case) {
    size_t i;
    json_t *pair;
    json_array_foreach(list, i, pair) {
        const char *key = json_string_value(json_array_get(pair, 0));
        if (key && (any_case ? !strcasecmp(key, name) : !strcmp(key, name)))
            return json_string_value(json_array_get(pair, 1));
    }
    return NULL;
}

const char *bc_ev_header(const json_t *msg, const char *name) {
    return pair_value(json_object_get(msg, "headers"), name, true);
}

size_t bc_ev_header_count(const json_t *msg, const char *name) {
    size_t i, n = 0;
    json_t *pair;
    json_array_foreach(json_object_get(msg, "headers"), i, pair) {
        const char *key = json_string_value(json_array_get(pair, 0));
        if (key && !strcasecmp(key, name)) n++;
    }
    return n;
}

const char *bc_ev_query_param(const json_t *request, const char *name) {
    return pair_value(json_object_get(request, "query_params"), name, false);
}

unsigned char *bc_ev_body(const json_t *msg, size_t *len) {
    const char *text = bc_ev_str(msg, "body");
    *len = 0;
    if (text) {
        *len = strlen(text);
        return (unsigned char *)strdup(text);
    }
    const char *b64 = bc_ev_str(msg, "body_b64");
    return b64 ? bc_ev_b64(b64, len) : NULL;
}

json_t *bc_ev_body_json(const json_t *msg) {
    size_t len;
    unsigned char *body = bc_ev_body(msg, &len);
    json_t *v = body ? bc_jbig_loadb((const char *)body, len, JSON_DECODE_ANY, NULL) : NULL;
    free(body);
    return v;
}

const json_t *bc_ev_tar_entry(const json_t *msg, const char *path) {
    size_t i;
    json_t *entry;
    json_array_foreach(json_object_get(msg, "tar"), i, entry)
        if (bc_ev_is(entry, "path", path)) return entry;
    return NULL;
}

/* ---- paths and origins ------------------------------------------------------- */

/* One path segment decoded on its own, as the server routes it (%2F stays
 * inside it); NULL when it decodes to a NUL. */
static char *segment_decoded(const char *seg, size_t len) {
    char *out = malloc(len + 1);
    if (bc_pct_decode(seg, len, 0, out) == strlen(out)) return out;
    free(out);
    return NULL;
}

/* The next segment of a raw path at *p (its length; *p moves past it),
 * false at the end of the path (its query included). */
static bool next_segment(const char **p, const char **seg, size_t *len) {
    if (**p == '/') ++*p;
    if (**p == '\0' || **p == '?') return false;
    *seg = *p;
    *len = strcspn(*p, "/?");
    *p += *len;
    return true;
}

static bool segment_is(const char *seg, size_t len, const char *literal) {
    return strlen(literal) == len && !strncmp(seg, literal, len);
}

char *bc_ev_path_segment(const json_t *request, const char *after) {
    const char *p = bc_ev_str(request, "path_raw"), *seg;
    size_t len;
    bool in_box = false;        /* the box's id is behind us: look for `after` */
    while (p && next_segment(&p, &seg, &len)) {
        if (!segment_is(seg, len, in_box ? after : "boxes")) continue;
        if (!next_segment(&p, &seg, &len)) return NULL;
        if (in_box || !strcmp(after, "boxes")) return segment_decoded(seg, len);
        in_box = true;
    }
    return NULL;
}

const char *bc_ev_origin_url(const bc_evidence *ev, const char *origin) {
    size_t i;
    json_t *e;
    json_array_foreach(ev->journal, i, e)
        if (bc_ev_is(e, "ev", "listen"))
            return bc_ev_str(e, strcmp(origin, "other") ? "url" : "other_url");
    return NULL;
}

size_t bc_ev_redirect_count(const bc_evidence *ev, const char *origin) {
    const char *url = bc_ev_origin_url(ev, origin);
    size_t i, n = 0, len = url ? strlen(url) : 0;
    json_t *e;
    json_array_foreach(ev->journal, i, e) {
        long status = bc_ev_int(e, "status", 0);
        const char *to = bc_ev_header(e, "Location");
        if (bc_ev_is(e, "ev", "http_response") && status >= 300 && status <= 399 && url && to &&
            !strncmp(to, url, len) && (to[len] == '/' || to[len] == '\0'))
            n++;
    }
    return n;
}

/* ---- values ---------------------------------------------------------------- */

size_t bc_ev_value_count(const bc_evidence *ev) {
    return bc_ev_count(ev->events, "event", "value");
}

const json_t *bc_ev_value_event(const bc_evidence *ev, size_t n) {
    return bc_ev_nth(ev->events, "event", "value", n);
}

const json_t *bc_ev_value(const bc_evidence *ev, size_t n) {
    return json_object_get(bc_ev_value_event(ev, n), "value");
}

bool bc_ev_u64(const json_t *v, uint64_t *out) {
    return bc_jbig_u64(v, out);
}

/* Two numbers the same exactly: a real equals an integer only when it
 * holds that very integer (2^53 + 1 read as a double is not 2^53 + 1). */
static bool same_number(const json_t *a, const json_t *b) {
    uint64_t ua, ub;
    if (bc_jbig_u64(a, &ua) && bc_jbig_u64(b, &ub)) return ua == ub;
    if (json_is_integer(a) && json_is_integer(b))
        return json_integer_value(a) == json_integer_value(b);
    if (json_is_real(a) && json_is_real(b)) return json_real_value(a) == json_real_value(b);
    if (!json_is_real(a) && !json_is_real(b)) return false; /* a negative and a big one */
    const json_t *real = json_is_real(a) ? a : b, *other = real == a ? b : a;
    double r = json_real_value(real);
    if (r != floor(r) || fabs(r) >= 18446744073709551616.0) return false;
    if (bc_jbig_u64(other, &ub)) return r >= 0 && (uint64_t)r == ub;
    return json_is_integer(other) && fabs(r) < 9223372036854775808.0 &&
           (json_int_t)r == json_integer_value(other);
}

static bool is_number(const json_t *v) {
    return json_is_number(v) || bc_jbig_is_big(v);
}

bool bc_ev_rounded_u64(const json_t *sent, const json_t *held) {
    uint64_t want, got;
    if (!bc_jbig_u64(sent, &want) || want <= (1ull << 53)) return false;
    /* a rounded u64 printed whole (9223372036854776000) is an integer too;
     * a double that happens to hold the very value (2^63) is still one */
    bool whole = bc_jbig_u64(held, &got);
    if (whole && got == want) return false;
    double h = whole ? (double)got : json_is_real(held) ? json_real_value(held) : NAN;
    return (double)want == h;
}

bool bc_ev_same_value(const json_t *a, const json_t *b) {
    if (is_number(a) && is_number(b)) return same_number(a, b);
    if (json_is_object(a) && json_is_object(b)) {
        const char *key;
        json_t *v;
        if (json_object_size(a) != json_object_size(b)) return false;
        json_object_foreach((json_t *)a, key, v)
            if (!bc_ev_same_value(v, json_object_get(b, key))) return false;
        return true;
    }
    if (json_is_array(a) && json_is_array(b)) {
        if (json_array_size(a) != json_array_size(b)) return false;
        for (size_t i = 0; i < json_array_size(a); i++)
            if (!bc_ev_same_value(json_array_get(a, i), json_array_get(b, i))) return false;
        return true;
    }
    return a && b && json_equal((json_t *)a, (json_t *)b);
}

/* ---- what each call returned -------------------------------------------------- */

static bool is_return(const json_t *e) {
    return bc_ev_is(e, "event", "value") || bc_ev_is(e, "event", "error");
}

const json_t *bc_ev_return(const bc_evidence *ev, size_t n) {
    size_t i, seen = 0;
    json_t *e;
    json_array_foreach(ev->events, i, e)
        if (is_return(e) && ++seen == n) return e;
    return NULL;
}

size_t bc_ev_return_after(const bc_evidence *ev, double t) {
    size_t i, seen = 0;
    json_t *e;
    json_array_foreach(ev->events, i, e)
        if (is_return(e) && (++seen, bc_ev_t(e) >= t)) return seen;
    return 0;
}

/* ---- control ops fed ---------------------------------------------------------- */

const json_t *bc_ev_fed(const bc_evidence *ev, const char *op, size_t n) {
    return bc_ev_nth(ev->fed, "fed", op, n);
}
