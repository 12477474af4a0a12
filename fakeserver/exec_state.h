/* exec_state.h - executions the fake server knows, their output backlog and
 * per-execution call counters (attach attempts, status probes). */
#ifndef FS_EXEC_STATE_H
#define FS_EXEC_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "scenario.h"

#define FS_BACKLOG_MAX (256 * 1024) /* replayed bytes per stream, newest kept */

typedef struct fs_chunk {
    int channel;                /* 1 stdout, 2 stderr */
    uint8_t *data;              /* bytes as sent in one frame */
    size_t len;
} fs_chunk;

typedef struct fs_exec {
    char id[64];                /* execution id */
    int completed;              /* an exit frame went out or a finish step ran */
    int has_exit_code;          /* completed with a code (exit: null has none) */
    int exit_code;
    int calls[BC_EP_COUNT];     /* calls so far of the endpoints counted per execution
                                   (probe; attach: its attempts) */
    int attached_conn;          /* connection of the open attach, 0 none */
    fs_chunk *backlog;          /* output sent so far, oldest first (into backlog_mem) */
    size_t backlog_count;
    fs_chunk *backlog_mem;      /* the allocation: dropped chunks free its front */
    size_t backlog_cap;         /* chunks backlog_mem has room for */
    size_t backlog_bytes[3];    /* per channel, bounded by FS_BACKLOG_MAX */
    struct fs_exec *next;
} fs_exec;

fs_exec *fs_exec_create(const char *id);    /* NULL id: a fresh UUID; journals it */
fs_exec *fs_exec_find(const char *id);      /* NULL if unknown */
void fs_exec_finish(fs_exec *e, int has_exit_code, int exit_code); /* journals it */
void fs_exec_record(fs_exec *e, int channel, const uint8_t *p, size_t n);
void fs_exec_free_all(void);
void fs_uuid4(char out[37]);

#endif
