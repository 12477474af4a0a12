/* session.c - sessions by connection number. */
#include "session.h"

#include <stdlib.h>

#include "conntab.h"

static fs_conntab sessions;

fs_session *fs_session_find(int conn) { return fs_conntab_get(&sessions, conn); }

fs_session *fs_session_open(struct lws *wsi, int conn) {
    fs_session *s = fs_session_find(conn);
    if (!s) {
        s = calloc(1, sizeof *s);
        s->conn = conn;
        s->wsi = wsi;
        fs_conntab_put(&sessions, conn, s);
    }
    return s;
}

void fs_session_forget(int conn) {
    fs_session *s = fs_session_find(conn);
    fs_conntab_put(&sessions, conn, NULL);
    free(s);
}

void fs_session_each(void (*fn)(fs_session *s)) {
    for (size_t i = 0; i < sessions.cap; i++)
        if (sessions.slots[i]) fn(sessions.slots[i]);
}

void fs_session_free_table(void) { fs_conntab_free(&sessions); }
