/* snapshots.c - the Snapshots family: capability-gated calls (snapshots,
 * clone, export) and what they leave behind. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "scenario.h"
#include "suites.h"

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
