/* exec_state.c - execution table, backlog ring and state changes. */
#include "exec_state.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "journal.h"

static fs_exec *exec_list;

void fs_uuid4(char out[37]) {
    uint8_t b[16] = {0};
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        if (read(fd, b, sizeof b) != (ssize_t)sizeof b) memset(b, 0x5a, sizeof b);
        close(fd);
    }
    b[6] = (uint8_t)((b[6] & 0x0f) | 0x40);
    b[8] = (uint8_t)((b[8] & 0x3f) | 0x80);
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11],
             b[12], b[13], b[14], b[15]);
}

static void journal_state(const fs_exec *e) {
    json_t *ev = fs_journal_event("execution", 0);
    json_object_set_new(ev, "execution_id", json_string(e->id));
    json_object_set_new(ev, "state", json_string(e->completed ? "completed" : "running"));
    json_object_set_new(ev, "exit_code",
                        e->completed && e->has_exit_code ? json_integer(e->exit_code) : json_null());
    fs_journal_emit(ev);
}

fs_exec *fs_exec_create(const char *id) {
    fs_exec *e = calloc(1, sizeof *e);
    if (id) snprintf(e->id, sizeof e->id, "%s", id);
    else fs_uuid4(e->id);
    e->next = exec_list;
    exec_list = e;
    journal_state(e);
    return e;
}

fs_exec *fs_exec_find(const char *id) {
    for (fs_exec *e = exec_list; e; e = e->next)
        if (!strcmp(e->id, id)) return e;
    return NULL;
}

void fs_exec_finish(fs_exec *e, int has_exit_code, int exit_code) {
    if (e->completed) return;
    e->completed = 1;
    e->has_exit_code = has_exit_code;
    e->exit_code = exit_code;
    journal_state(e);
}

/* Drops chunk i. The chunks before it (older output of the other stream)
 * move up one slot instead of everything after it moving down: a stream
 * over its bound loses its oldest chunk, usually the first, in O(1). */
static void drop_chunk(fs_exec *e, size_t i) {
    free(e->backlog[i].data);
    memmove(e->backlog + 1, e->backlog, i * sizeof *e->backlog);
    e->backlog++;
    e->backlog_count--;
}

/* Oldest chunks of a channel go first when it is over its bound. */
static void trim_channel(fs_exec *e, int channel) {
    size_t i = 0;
    while (e->backlog_bytes[channel] > FS_BACKLOG_MAX && i < e->backlog_count) {
        fs_chunk *c = &e->backlog[i];
        if (c->channel != channel) {
            i++;
            continue;
        }
        e->backlog_bytes[channel] -= c->len;
        drop_chunk(e, i); /* the next candidate is now at i */
    }
}

/* A free slot after the last chunk; the array is at most half full after a
 * move to its start, so moves cost O(1) per chunk amortized. */
static void make_room(fs_exec *e) {
    size_t head = e->backlog_mem ? (size_t)(e->backlog - e->backlog_mem) : 0;
    if (head + e->backlog_count < e->backlog_cap) return;
    if (e->backlog_count * 2 >= e->backlog_cap) {
        e->backlog_cap = e->backlog_cap ? e->backlog_cap * 2 : 16;
        e->backlog_mem = realloc(e->backlog_mem, e->backlog_cap * sizeof *e->backlog_mem);
    }
    memmove(e->backlog_mem, e->backlog_mem + head, e->backlog_count * sizeof *e->backlog_mem);
    e->backlog = e->backlog_mem;
}

void fs_exec_record(fs_exec *e, int channel, const uint8_t *p, size_t n) {
    if (channel != 1 && channel != 2) return;
    if (n > FS_BACKLOG_MAX) {
        p += n - FS_BACKLOG_MAX;
        n = FS_BACKLOG_MAX;
    }
    make_room(e);
    fs_chunk *c = &e->backlog[e->backlog_count++];
    c->channel = channel;
    c->len = n;
    c->data = malloc(n ? n : 1);
    if (n) memcpy(c->data, p, n);
    e->backlog_bytes[channel] += n;
    trim_channel(e, channel);
}

void fs_exec_free_all(void) {
    while (exec_list) {
        fs_exec *e = exec_list;
        exec_list = e->next;
        for (size_t i = 0; i < e->backlog_count; i++) free(e->backlog[i].data);
        free(e->backlog_mem);
        free(e);
    }
}
