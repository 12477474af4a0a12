#include "report.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

const char *const bc_report_verdicts[BC_REPORT_NVERDICTS] = {
    "PASS", "FAIL", "NON-STRICT", "INFORMATIONAL", "UNSUPPORTED", "CRASHED", "HUNG", "ERROR"
};

/* ---- the CLI's one call ---------------------------------------------------- */

typedef int (*writer)(FILE *, const json_t *);

static writer writer_for(const char *format) {
    static const struct { const char *name; writer fn; } table[] = {
        { "junit", bc_report_junit }, { "tap", bc_report_tap },
        { "markdown", bc_report_markdown }, { "html", bc_report_html } };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (format && strcmp(table[i].name, format) == 0) return table[i].fn;
    return NULL;
}

int bc_report_write(const char *format, const json_t *doc, const char *path, char *err,
                    size_t errlen) {
    writer fn = writer_for(format);
    if (!fn) {
        snprintf(err, errlen, "unknown report format \"%s\" (junit, tap, markdown, html)",
                 format ? format : "");
        return -1;
    }
    bool to_stdout = strcmp(path, "-") == 0;
    FILE *f = to_stdout ? stdout : fopen(path, "w");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    int rc = fn(f, doc);
    if (fflush(f) != 0 || ferror(f)) rc = -1;
    if (!to_stdout && fclose(f) != 0) rc = -1;
    if (rc < 0) snprintf(err, errlen, "%s: cannot write the %s report", path, format);
    return rc;
}

/* ---- reading ----------------------------------------------------------------- */

int bc_report_verdict_index(const char *verdict) {
    for (int i = 0; verdict && i < BC_REPORT_NVERDICTS; i++)
        if (strcmp(bc_report_verdicts[i], verdict) == 0) return i;
    return -1;
}

int bc_report_severity(const char *verdict) {
    static const char *const order[] = { "PASS", "INFORMATIONAL", "NON-STRICT", "UNSUPPORTED",
                                         "FAIL", "CRASHED", "HUNG", "ERROR" };
    for (int i = 0; verdict && i < 8; i++)
        if (strcmp(order[i], verdict) == 0) return i;
    return 7; /* an unknown verdict is something gone wrong, never a pass */
}

const char *bc_report_str(const json_t *obj, const char *key, const char *dflt) {
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : dflt;
}

const char *bc_report_client(const json_t *doc, const json_t *rec) {
    const char *own = bc_report_str(rec, "client", NULL);
    if (own) return own;
    return bc_report_str(json_object_get(doc, "client"), "name", "client");
}

bool bc_report_multi_client(const json_t *doc) {
    json_t *names = bc_report_clients(doc);
    bool multi = json_array_size(names) > 1;
    json_decref(names);
    return multi;
}

void bc_report_count(const json_t *doc, const char *client, bc_report_counts *c) {
    memset(c, 0, sizeof *c);
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(doc, "results"), i, r) {
        if (client && strcmp(bc_report_client(doc, r), client) != 0) continue;
        int v = bc_report_verdict_index(bc_report_str(r, "verdict", NULL));
        if (v < 0) c->other++;
        else c->n[v]++;
        c->total++;
    }
}

const json_t *bc_report_scenario(const json_t *doc, const char *id, const char *client) {
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(doc, "scenarios"), i, s) {
        if (strcmp(bc_report_str(s, "id", ""), id) != 0) continue;
        if (!client || strcmp(bc_report_client(doc, s), client) == 0) return s;
    }
    return NULL;
}

bool bc_report_expected(const json_t *res, double *out) {
    const json_t *e = json_object_get(res, "expected");
    if (json_is_number(e)) {
        *out = json_number_value(e);
        return true;
    }
    /* the checks' messages say "...; expected 45 s -1.15/+3.25 s" */
    const char *msg = bc_report_str(res, "message", ""), *at = strstr(msg, "expected ");
    if (!at) return false;
    char *end;
    *out = strtod(at + 9, &end);
    return end != at + 9;
}

/* The client names in the order they first appear. */
json_t *bc_report_clients(const json_t *doc) {
    json_t *names = json_array(), *seen = json_object();
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(doc, "results"), i, r) {
        const char *c = bc_report_client(doc, r);
        if (json_object_get(seen, c)) continue;
        json_object_set_new(seen, c, json_true());
        json_array_append_new(names, json_string(c));
    }
    if (json_array_size(names) == 0)
        json_array_append_new(names, json_string(bc_report_client(doc, doc)));
    json_decref(seen);
    return names;
}

/* ---- writing text safely -------------------------------------------------- */

/* Decode one UTF-8 sequence at s; its length, or 0 if it is not valid. */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp) {
    size_t n = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3
             : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0) return 0;
    uint32_t c = n == 1 ? s[0] : s[0] & (0x7F >> n);
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        c = c << 6 | (s[i] & 0x3F);
    }
    static const uint32_t least[5] = { 0, 0, 0x80, 0x800, 0x10000 };
    if (c < least[n] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
    *cp = c;
    return n;
}

static bool xml_allowed(uint32_t c) {
    return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
           (c >= 0xE000 && c <= 0xFFFD) || c >= 0x10000;
}

static const char *entity(uint32_t c) {
    switch (c) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return "&quot;";
    case '\'': return "&#39;";
    default: return NULL;
    }
}

void bc_report_xml(FILE *f, const char *s) {
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p) {
        uint32_t c = 0;
        size_t n = utf8_decode(p, &c);
        if (n == 0 || !xml_allowed(c)) {
            fputs("\xEF\xBF\xBD", f);
            p += n ? n : 1;
            continue;
        }
        const char *e = entity(c);
        if (e) fputs(e, f);
        else fwrite(p, 1, n, f);
        p += n;
    }
}

void bc_report_figure(FILE *f, double v) {
    fprintf(f, "%.4g", v);
}
