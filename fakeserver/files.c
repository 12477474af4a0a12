/* files.c - PUT and GET /boxes/{box}/files. Errors take the envelope form
 * the runner's files routes write. The Content-Type of an upload is not
 * checked: neither BoxLite server does (FILES-IN judges it from the journal). */
#include "files.h"

#include <stdio.h>

#include "loop.h"
#include "reply.h"
#include "request.h"

/* The ?path= parameter, or NULL with the runner's 400 set. */
static const char *path_or_400(fs_session *s) {
    const char *path = fs_request_query(s, "path");
    if (path && *path) return path;
    fs_reply_form(s, 400, BC_FORM_ENVELOPE, "path query parameter required");
    return NULL;
}

void fs_files_put(fs_session *s) {
    const char *error;
    if (!path_or_400(s)) return;
    fs_request_tar(s, &error);
    if (!error) {
        fs_reply_empty(s, 204);
        return;
    }
    char msg[512];
    snprintf(msg, sizeof msg, "failed to extract upload tar: %s", error);
    fs_reply_form(s, 400, BC_FORM_ENVELOPE, msg);
}

void fs_files_get(fs_session *s) {
    if (path_or_400(s)) fs_reply_tar(s, 200, &fs_scenario->server.files);
}
