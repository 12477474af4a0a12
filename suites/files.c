/* files.c - the Files family: copy-in and copy-out as tar over ?path=.
 *
 * FILES-IN compares the upload's tar (the journal's entry list) with the
 * source as the harness listed it before the adapter ran; FILES-OUT the
 * served tar with what the destination holds after it ended; FILES-ENCODE
 * the path or name the server decoded with the one the action asked for. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pct.h"
#include "suites.h"

/* ---- names --------------------------------------------------------------- */

/* A tar or listing name as a plain relative path: "./a//b/" -> "a/b", "./"
 * -> "" (the root). NULL when it is absolute or has a ".." component: no
 * conformant copy puts such an entry anywhere (SEC-TAR judges those). */
static char *plain_name(const char *p) {
    if (!p || *p == '/') return NULL;
    char *out = calloc(1, strlen(p) + 1);
    size_t n = 0;
    while (*p) {
        size_t len = strcspn(p, "/");
        if (len == 2 && !strncmp(p, "..", 2)) {
            free(out);
            return NULL;
        }
        if (len && !(len == 1 && *p == '.')) {
            if (n) out[n++] = '/';
            memcpy(out + n, p, len);
            n += len;
        }
        p += len + (p[len] == '/');
    }
    return out;
}

static const char *base_name(const char *p) {
    const char *slash = strrchr(p, '/');
    return slash ? slash + 1 : p;
}

static bool owner_exec(const json_t *entry) {
    return (bc_ev_int(entry, "mode", 0) & 0100) != 0;
}

static bool is_type(const json_t *entry, const char *type) {
    return bc_ev_is(entry, "type", type);
}

/* ---- the request --------------------------------------------------------- */

/* The one call of endpoint the action made; NULL with out set when there
 * was none or more than one. */
static const json_t *one_call(const bc_evidence *ev, const char *endpoint, const char *what,
                              bc_check_result *out) {
    size_t n = bc_ev_call_count(ev, endpoint);
    if (n == 1) return bc_ev_call(ev, endpoint, 1);
    if (n == 0) bc_check_set(out, BC_FAIL, "no %s request; expected one", what);
    else bc_check_measured(out, BC_FAIL, (double)n, "%zu %s requests; expected one", n, what);
    return NULL;
}

/* Exactly one ?path= parameter, decoding to want. */
static bool query_path_is(const json_t *req, const char *want, bc_check_result *out) {
    size_t i, n = 0;
    json_t *pair;
    json_array_foreach(json_object_get(req, "query_params"), i, pair)
        if (!strcmp(bc_ev_text(json_array_get(pair, 0), ""), "path")) n++;
    const char *got = bc_ev_query_param(req, "path");
    if (n == 1 && got && !strcmp(got, want)) return true;
    const char *raw = bc_ev_str(req, "query_raw");
    if (n != 1)
        bc_check_measured(out, BC_FAIL, (double)n, "the query \"%.80s\" holds %zu path "
                          "parameters; expected one decoding to \"%.80s\"", raw ? raw : "", n,
                          want);
    else
        bc_check_set(out, BC_FAIL, "the server decoded ?path= as \"%.80s\"; the action asked "
                     "for \"%.80s\"", got ? got : "(not text)", want);
    return false;
}

/* The action the adapter was given, if it is kind; else out is set. */
static const json_t *action_of(const bc_evidence *ev, const char *kind, bc_check_result *out) {
    if (bc_ev_is(ev->action, "action", kind)) return ev->action;
    bc_check_set(out, BC_ERROR, "the scenario's action is %s, not %s: this check judges a %s",
                 ev->action ? bc_ev_str_or(ev->action, "action", "?") : "unknown", kind, kind);
    return NULL;
}

/* An error event when the server said yes is a failure of its own. */
static bool reported_no_error(const bc_evidence *ev, const char *what, bc_check_result *out) {
    const json_t *err = bc_ev_find_event(ev, "error");
    if (!err) return true;
    bc_check_set(out, BC_FAIL, "the server took the %s, yet the call failed: %s: %.120s", what,
                 bc_ev_str_or(err, "kind", "?"), bc_ev_str_or(err, "message", ""));
    return false;
}

/* ---- FILES-IN ------------------------------------------------------------- */

/* Where a link in dir leads, as a sandbox-relative path (the scenario
 * loader allows no ".." in a link's target, only ${SANDBOX}/ or a path
 * below the link's folder); NULL when that is not in the sandbox. */
static char *resolve_link(const bc_evidence *ev, const char *dir, const char *target) {
    if (target && *target == '/') return plain_name(bc_ev_sandbox_rel(ev, target));
    char *joined, *plain = NULL;
    if (target && asprintf(&joined, "%s/%s", dir, target) >= 0) {
        plain = plain_name(joined);
        free(joined);
    }
    return plain;
}

/* A source symlink's listing entry, with what it leads to ("leads_to":
 * the listing's entry there, inside the source or not). New reference. */
static json_t *link_entry(const bc_evidence *ev, const char *path, json_t *link) {
    json_t *copy = json_deep_copy(link);
    const char *slash = strrchr(path, '/');
    char *dir = strndup(path, slash ? (size_t)(slash - path) : 0);
    char *to = resolve_link(ev, dir, bc_ev_str(link, "target"));
    const json_t *target = to ? bc_ev_sandbox_before(ev, to) : NULL;
    if (target) json_object_set(copy, "leads_to", (json_t *)target);
    free(to);
    free(dir);
    return copy;
}

/* The source as listed before the run: tar name -> listing entry (a
 * directory's entries under their names below it, a file under its base
 * name). New object. */
static json_t *source_entries(const bc_evidence *ev, const char *src, bool *is_dir) {
    json_t *want = json_object(), *before = json_object_get(ev->sandbox, "before");
    const json_t *top = bc_ev_sandbox_before(ev, src);
    size_t n = strlen(src);
    const char *path;
    json_t *entry;
    *is_dir = is_type(top, "dir");
    if (top && !*is_dir) json_object_set(want, base_name(src), (json_t *)top);
    if (*is_dir)
        json_object_foreach(before, path, entry) {
            if (strncmp(path, src, n) != 0 || path[n] != '/') continue;
            json_object_set_new(want, path + n + 1, is_type(entry, "symlink")
                                                        ? link_entry(ev, path, entry)
                                                        : json_incref(entry));
        }
    return want;
}

/* Why a tar entry is not the source entry it names; NULL when it is. */
static const char *entry_mismatch(const json_t *src, const json_t *got) {
    if (is_type(src, "symlink")) {
        const json_t *to = json_object_get(src, "leads_to");
        if (is_type(got, "symlink") && bc_ev_is(got, "target", bc_ev_str(src, "target")))
            return NULL;
        if (is_type(got, "file") && is_type(to, "file") &&
            bc_ev_is(got, "sha256", bc_ev_str(to, "sha256")))
            return NULL;    /* followed, as BoxLite's tar builder does, out of the source too */
        return "is neither the same symlink nor the file it leads to";
    }
    if (!bc_ev_is(got, "type", bc_ev_str(src, "type"))) return "has another type";
    if (!is_type(src, "file")) return NULL;
    if (!bc_ev_is(got, "sha256", bc_ev_str(src, "sha256"))) return "has other bytes";
    if ((bc_ev_int(got, "mode", 0) & 0111) != (bc_ev_int(src, "mode", 0) & 0111))
        return "has other executable bits";
    return NULL;
}

/* Every tar entry is a source entry, and every source entry is in the tar. */
static void compare_tar(const json_t *tar, json_t *want, bool tree, bc_check_result *out) {
    json_t *seen = json_object();
    size_t i;
    json_t *got;
    const char *why = NULL;
    char *name = NULL;
    json_array_foreach(tar, i, got) {
        const char *raw = bc_ev_str_or(got, "path", "(not text)");
        free(name);
        name = plain_name(bc_ev_str(got, "path"));
        if (name && !*name && tree && is_type(got, "dir")) continue;   /* the source itself */
        const json_t *src = name ? json_object_get(want, name) : NULL;
        why = !src ? "is not in the source" : json_object_get(seen, name) ? "comes twice"
                                                : entry_mismatch(src, got);
        if (why && src) {
            bc_check_set(out, BC_FAIL, "tar entry \"%.100s\" (%s, mode %04lo) %s; the "
                         "source's is a %s, mode %04lo", raw, bc_ev_str_or(got, "type", "?"),
                         bc_ev_int(got, "mode", 0), why, bc_ev_str_or(src, "type", "?"),
                         bc_ev_int(src, "mode", 0));
            break;
        }
        if (why) {
            bc_check_set(out, BC_FAIL, "tar entry \"%.100s\" (%s) %s", raw,
                         bc_ev_str_or(got, "type", "?"), why);
            break;
        }
        json_object_set_new(seen, name, json_true());
    }
    const char *path;
    json_t *entry;
    if (!why)
        json_object_foreach(want, path, entry)
            if (!json_object_get(seen, path)) {
                bc_check_set(out, BC_FAIL, "the source's %s \"%.100s\" is not in the tar",
                             bc_ev_str_or(entry, "type", "entry"), path);
                why = "missing";
                break;
            }
    if (!why)
        bc_check_measured(out, BC_PASS, (double)json_object_size(want), "one tar, application/"
                          "x-tar, of exactly the source's %zu entries (bytes, types, "
                          "executable bits)", json_object_size(want));
    free(name);
    json_decref(seen);
}

static bool is_tar_type(const char *content_type) {
    static const char want[] = "application/x-tar";
    size_t n = content_type ? strcspn(content_type, "; ") : 0;
    return n == sizeof want - 1 && !strncasecmp(content_type, want, n);
}

/* FILES-IN */
void check_files_in(const bc_evidence *ev, const json_t *params, bc_check_result *out) {
    (void)params;
    const json_t *act = action_of(ev, "copy_in", out);
    const char *src = act ? bc_ev_sandbox_rel(ev, bc_ev_str(act, "src")) : NULL;
    if (act && !src) {
        bc_check_set(out, BC_ERROR, "the copy-in source is not in the observed sandbox");
        return;
    }
    const json_t *req = act ? one_call(ev, "files_put", "PUT /boxes/{id}/files", out) : NULL;
    if (!req || !query_path_is(req, bc_ev_str_or(act, "dst", ""), out)) return;
    const char *type = bc_ev_str(req, "content_type");
    if (!is_tar_type(type)) {
        bc_check_set(out, BC_FAIL, "the upload's Content-Type is %s%.80s%s; expected "
                     "application/x-tar", type ? "\"" : "", type ? type : "absent", type ? "\"" : "");
        return;
    }
    const char *tar_error = bc_ev_str(req, "tar_error");
    if (tar_error || !json_is_array(json_object_get(req, "tar"))) {
        bc_check_set(out, BC_FAIL, "the upload is not a whole tar: %.200s",
                     tar_error ? tar_error : "no entries read");
        return;
    }
    if (!reported_no_error(ev, "upload", out)) return;
    bool tree;
    json_t *want = source_entries(ev, src, &tree);
    compare_tar(json_object_get(req, "tar"), want, tree, out);
    json_decref(want);
}

/* ---- FILES-OUT ------------------------------------------------------------ */

/* The tar's regular files and directories by plain name, with the
 * directories their names imply ("a/b.txt" implies "a"). New object. */
static json_t *served_entries(const json_t *tar) {
    json_t *want = json_object();
    size_t i;
    json_t *e;
    json_array_foreach(tar, i, e) {
        char *name = plain_name(bc_ev_str(e, "path"));
        if (name && *name && (is_type(e, "file") || is_type(e, "dir"))) {
            json_object_set(want, name, e);
            for (char *slash = strrchr(name, '/'); slash; slash = strrchr(name, '/')) {
                *slash = 0;
                if (!json_object_get(want, name))
                    json_object_set_new(want, name, json_pack("{s:s}", "type", "dir"));
            }
        }
        free(name);
    }
    return want;
}

/* Why what the destination holds at rel (NULL: nothing) is not the tar's
 * entry e; NULL when it is. */
static const char *landed_mismatch(const json_t *got, const json_t *e) {
    if (!got) return "is missing";
    if (!bc_ev_is(got, "type", bc_ev_str(e, "type"))) return "has another type";
    if (!is_type(e, "file")) return NULL;
    if (!bc_ev_is(got, "sha256", bc_ev_str(e, "sha256"))) return "has other bytes";
    if (owner_exec(got) != owner_exec(e)) return "has another executable bit";
    return NULL;
}

/* The one regular file of a tar that holds nothing else, or NULL. */
static const char *lone_file(const json_t *want) {
    const char *name = NULL, *path;
    json_t *e;
    json_object_foreach((json_t *)want, path, e) {
        if (!is_type(e, "file") || name) return NULL;
        name = path;
    }
    return name;
}

/* Every entry of the tar under dest (prefix: where the tree lands) and
 * nothing else new or changed in the destination. */
static bool landed_exactly(const bc_evidence *ev, const char *prefix, const json_t *want,
                           bc_check_result *out) {
    const char *name, *why;
    json_t *e;
    char path[2048];
    json_object_foreach((json_t *)want, name, e) {
        snprintf(path, sizeof path, "%s/%s", prefix, name);
        if ((why = landed_mismatch(bc_ev_sandbox_after(ev, path), e))) {
            bc_check_set(out, BC_FAIL, "the tar's %s \"%.100s\" %s at %.200s",
                         bc_ev_str_or(e, "type", "entry"), name, why, path);
            return false;
        }
    }
    size_t plen = strlen(prefix);
    for (int kind = BC_SB_CREATED; kind <= BC_SB_REMOVED; kind++)
        for (size_t i = 1; i <= bc_ev_sandbox_count(ev, BC_SB_DEST, kind); i++) {
            const json_t *c = bc_ev_sandbox_change(ev, BC_SB_DEST, kind, i);
            const char *p = bc_ev_str(c, "path");
            bool ours = p && !strncmp(p, prefix, plen) && (!p[plen] || p[plen] == '/');
            const char *rel = ours ? (p[plen] ? p + plen + 1 : "") : NULL;
            if (kind == BC_SB_CHANGED && is_type(json_object_get(c, "after"), "dir") &&
                is_type(json_object_get(c, "before"), "dir"))
                continue;       /* a directory that stayed one: what it holds is judged */
            if (kind != BC_SB_REMOVED && rel && (!*rel || json_object_get(want, rel))) continue;
            bc_check_set(out, BC_FAIL, "%s %.200s, which the tar does not hold",
                         kind == BC_SB_CREATED ? "created" : kind == BC_SB_CHANGED ? "changed"
                                                                                 : "removed", p);
            return false;
        }
    return true;
}

static void judge_landing(const bc_evidence *ev, const json_t *tar, bc_check_result *out) {
    const char *dest = bc_ev_sandbox_dest(ev);
    json_t *want = served_entries(tar);
    const char *lone = lone_file(want);
    bool fresh = !bc_ev_sandbox_before(ev, dest);
    const json_t *at_dest = bc_ev_sandbox_after(ev, dest);
    if (lone && fresh && is_type(at_dest, "file")) {
        /* the 0.10 line: the one file becomes dest itself */
        const char *why = landed_mismatch(at_dest, json_object_get(want, lone));
        if (why) bc_check_set(out, BC_FAIL, "the tar's one file \"%.100s\" %s at %.200s", lone,
                              why, dest);
        else bc_check_measured(out, BC_PASS, 1, "the tar's one file \"%.100s\" became %.200s",
                               lone, dest);
    } else if (landed_exactly(ev, dest, want, out)) {
        bc_check_measured(out, BC_PASS, (double)json_object_size(want), "the tar's %zu files "
                          "and directories landed under %.200s, bytes and executable bits "
                          "intact, nothing else", json_object_size(want), dest);
    }
    json_decref(want);
}

/* A refused copy-out: an error naming the status, nothing on disk. */
static void judge_refusal(const bc_evidence *ev, long status, bc_check_result *out) {
    const json_t *err = bc_ev_find_event(ev, "error");
    const char *msg = bc_ev_str(err, "message");
    char code[16], written[300];
    snprintf(code, sizeof code, "%ld", status);
    if (!err)
        bc_check_set(out, BC_FAIL, "the server answered %ld, yet the copy-out reported no "
                     "error", status);
    else if (!msg || !strstr(msg, code))
        bc_check_set(out, BC_FAIL, "the %ld answer's error does not name the status: "
                     "\"%.160s\"", status, msg ? msg : "");
    else if (bc_ev_sandbox_describe(ev, BC_SB_DEST, written, sizeof written) ||
             bc_ev_sandbox_describe(ev, BC_SB_HOST, written, sizeof written) ||
             bc_ev_sandbox_describe(ev, BC_SB_OUTSIDE, written, sizeof written))
        bc_check_set(out, BC_FAIL, "after the %ld answer the copy-out still wrote: %s", status,
                     written);
    else
        bc_check_measured(out, BC_PASS, (double)status, "the %ld answer gave the error \"%.160s\""
                          " and nothing was written", status, msg);
}

/* FILES-OUT */
void check_files_out(const bc_evidence *ev, const json_t *params, bc_check_result *out) {
    (void)params;
    const char *why, *src;
    char elsewhere[300];
    const json_t *act = action_of(ev, "copy_out", out);
    if (!act) return;
    if (!bc_ev_sandbox_seen(ev, &why) || why || !bc_ev_sandbox_dest(ev)) {
        bc_check_set(out, BC_ERROR, "no whole listing of the destination: %s",
                     why ? why : "the harness recorded none");
        return;
    }
    const json_t *req = one_call(ev, "files_get", "GET /boxes/{id}/files", out);
    src = bc_ev_str(act, "src");
    if (!req || !query_path_is(req, src ? src : "", out)) return;
    const json_t *ans = bc_ev_answer(ev, req);
    long status = bc_ev_int(ans, "status", -1);
    if (status < 200 || status > 299) {
        judge_refusal(ev, status, out);
    } else if (bc_ev_sandbox_describe(ev, BC_SB_HOST, elsewhere, sizeof elsewhere) ||
               bc_ev_sandbox_describe(ev, BC_SB_OUTSIDE, elsewhere, sizeof elsewhere)) {
        bc_check_set(out, BC_FAIL, "the copy-out wrote outside its destination: %s", elsewhere);
    } else if (reported_no_error(ev, "tar", out)) {
        judge_landing(ev, json_object_get(ans, "tar"), out);
    }
}

/* ---- FILES-ENCODE ---------------------------------------------------------- */

static bool in_set(unsigned char c, const char *set) {
    return c && strchr(set, c);
}

static bool unreserved(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           in_set(c, "-._~");
}

/* The first byte of raw that RFC 3986 does not allow there as it is
 * (query: pchar, '/' and '?'; segment: pchar), or -1. A '%' must start
 * an escape. */
static long first_raw(const char *raw, size_t len, bool query) {
    static const char pchar[] = "!$&'()*+,;=:@";
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)raw[i];
        if (c == '%') {
            bool esc = i + 2 < len && isxdigit((unsigned char)raw[i + 1]) &&
                       isxdigit((unsigned char)raw[i + 2]);
            if (!esc) return (long)i;
            i += 2;
        } else if (!unreserved(c) && !in_set(c, pchar) && !(query && in_set(c, "/?"))) {
            return (long)i;
        }
    }
    return -1;
}

/* ?path= of a copy: the decoded value is the one asked, the raw query
 * escapes what must be escaped. */
static bool query_encoded(const json_t *req, const char *want, bc_check_result *out) {
    const char *raw = bc_ev_str(req, "query_raw");
    if (!query_path_is(req, want, out)) return false;
    long at = raw ? first_raw(raw, strlen(raw), true) : -1;
    if (at < 0) return true;
    bc_check_measured(out, BC_FAIL, (double)at, "the query \"%.100s\" has a raw 0x%02x at "
                      "byte %ld: it must be percent-encoded", raw, (unsigned char)raw[at], at);
    return false;
}

/* The {name} segment after /snapshots/ in a request's path as sent. */
static bool segment_encoded(const json_t *req, const char *want, bc_check_result *out) {
    const char *raw = bc_ev_str(req, "path_raw");
    const char *at = raw ? strstr(raw, "/snapshots/") : NULL;
    if (!at) {
        bc_check_set(out, BC_ERROR, "the path of a snapshot call was not caught as sent");
        return false;
    }
    at += strlen("/snapshots/");
    size_t len = strcspn(at, "/");
    char *got = malloc(len + 1);
    size_t got_len = bc_pct_decode(at, len, 0, got);   /* path rules: '+' is itself */
    bool same = got_len == strlen(want) && !memcmp(got, want, got_len);
    long bad = first_raw(at, len, false);
    if (!same)
        bc_check_set(out, BC_FAIL, "the snapshot segment \"%.*s\" of %.120s decodes to "
                     "\"%.100s\"; the action named \"%.100s\"", (int)(len > 100 ? 100 : len),
                     at, raw, got, want);
    else if (bad >= 0)
        bc_check_set(out, BC_FAIL, "the snapshot segment \"%.*s\" has a raw 0x%02x: it must "
                     "be percent-encoded", (int)(len > 100 ? 100 : len), at,
                     (unsigned char)at[bad]);
    free(got);
    return same && bad < 0;
}

/* The created snapshot's name in the JSON body. */
static bool body_names(const json_t *req, const char *want, bc_check_result *out) {
    json_t *body = bc_ev_body_json(req);
    const char *got = json_string_value(json_object_get(body, "name"));
    bool same = got && !strcmp(got, want);
    if (!same)
        bc_check_set(out, BC_FAIL, "the create body names \"%.100s\"; the action named "
                     "\"%.100s\"", got ? got : "(no name)", want);
    json_decref(body);
    return same;
}

typedef bool (*encoded_fn)(const json_t *req, const char *want, bc_check_result *out);

static const struct {
    const char *action, *key;   /* the action, and its key holding the text */
    const char *endpoint;       /* its calls; NULL: every call whose path names a snapshot */
    encoded_fn judge;
} encodings[] = {
    { "copy_in", "dst", "files_put", query_encoded },
    { "copy_out", "src", "files_get", query_encoded },
    { "snapshot_create", "name", "snapshot_create", body_names },
    { "snapshot_get", "name", NULL, segment_encoded },
    { "snapshot_remove", "name", NULL, segment_encoded },
    { "snapshot_restore", "name", NULL, segment_encoded },
};

static bool carries_snapshot_name(const json_t *req) {
    const char *raw = bc_ev_str(req, "path_raw"), *path = bc_ev_str(req, "path");
    return strstr(raw ? raw : path ? path : "", "/snapshots/") != NULL;
}

/* FILES-ENCODE */
void check_files_encode(const bc_evidence *ev, const json_t *params, bc_check_result *out) {
    (void)params;
    const char *kind = bc_ev_str(ev->action, "action");
    size_t e = 0, n = 0;
    while (e < sizeof encodings / sizeof encodings[0] &&
           (!kind || strcmp(kind, encodings[e].action)))
        e++;
    if (e == sizeof encodings / sizeof encodings[0]) {
        bc_check_set(out, BC_ERROR, "action %s sends no path or snapshot name",
                     kind ? kind : "(unknown)");
        return;
    }
    const char *want = bc_ev_str(ev->action, encodings[e].key);
    for (size_t i = 1; i <= bc_ev_call_count(ev, encodings[e].endpoint); i++) {
        const json_t *req = bc_ev_call(ev, encodings[e].endpoint, i);
        if (!encodings[e].endpoint && !carries_snapshot_name(req)) continue;
        if (!encodings[e].judge(req, want ? want : "", out)) return;
        n++;
    }
    if (n == 0)
        bc_check_set(out, BC_FAIL, "no %s request reached the server", kind);
    else
        bc_check_measured(out, BC_PASS, (double)n, "the server decoded \"%.120s\" exactly, "
                          "from %zu request%s", want, n, n == 1 ? "" : "s");
}
