/* child.h - child processes in their own process groups, and temp dirs.
 *
 * Everything the harness starts is a group leader, so a whole tree (a shell,
 * a node process and its helpers) is stopped with one kill(-pgid). */
#ifndef BC_CHILD_H
#define BC_CHILD_H

#include <stdbool.h>
#include <sys/types.h>

#include "confine.h"

typedef struct bc_child {
    pid_t pid;                  /* also the process group id; 0 when none */
    int in;                     /* write end of its stdin, -1 if not piped */
    int out;                    /* read end of its stdout, -1 if not piped */
    bool exited;                /* reaped */
    int status;                 /* waitpid status once exited */
    bool exec_failed;           /* bc_child_start failed at the exec itself */
    bc_confine_step confined;   /* with a confinement: where it stopped (DONE: confined) */
    int confine_errno;          /* ... and why, when it did not get there */
} bc_child;

/* Start argv with env additions (NAME=VALUE, NULL-terminated), stdin/stdout
 * piped as asked, stderr to stderr_path, inside confine when not NULL
 * (confine.h: confined says how far it got; a confinement that failed
 * before changing anything leaves the child running unconfined, one that
 * failed half way keeps it from running: -1, errno EPERM). 0 once argv[0]
 * is executing, or -1 with errno: execvp's own when the exec failed
 * (exec_failed set). */
int bc_child_start(bc_child *c, char *const argv[], char *const env_add[], bool pipe_in,
                   bool pipe_out, const char *stderr_path, const bc_confine *confine);
bool bc_child_poll(bc_child *c);                /* reap if it exited; true once exited */
/* Stop the whole group: sig, up to grace_ms for the leader, then SIGKILL. */
void bc_child_stop(bc_child *c, int sig, int grace_ms);
void bc_child_close_in(bc_child *c);

/* mkdtemp under $TMPDIR (or /tmp); NULL on failure. */
char *bc_tmpdir_make(const char *prefix);
void bc_tmpdir_remove(const char *dir);         /* recursively */
/* Remove what libfaketime leaves in /dev/shm for pid when killed. */
void bc_faketime_cleanup(pid_t pid);

#endif
