/* confine.h - the second wall around a client under test, when run as root.
 *
 * The first wall is the scenarios' (common/scenario_client.c, scenario_tar.c):
 * whatever a client does with the host paths and the answers it is given
 * lands inside its sandbox. A client can also simply write anywhere it
 * likes, and CI runs as root. So as root the adapter starts in a private
 * mount namespace (set up in the child between vfork and exec) where every
 * mount is read-only except:
 *
 *   - the paths the run gives it: its sandbox and its TMPDIR;
 *   - what runtimes need: a fresh tmpfs on /dev/shm (libfaketime keeps its
 *     clock there, Python's multiprocessing its locks; the adapter's own, so
 *     nothing of it outlives the run) and the directory a sanitizer's
 *     log_path names (ASAN_OPTIONS, UBSAN_OPTIONS, LSAN_OPTIONS), where a
 *     sanitized adapter writes its report.
 *
 * Device files stay usable (a read-only mount refuses only changes to the
 * filesystem, not writes to /dev/null or a tty). Not root, or a kernel or
 * container that refuses the namespace: the adapter runs as it is and the
 * record says so (an unprivileged user can only touch their own files). */
#ifndef BC_CONFINE_H
#define BC_CONFINE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct bc_confine {
    char **writable;            /* paths kept writable, NULL-terminated */
} bc_confine;

/* Where a confinement attempt stopped (the child reports it to the parent). */
typedef enum bc_confine_step {
    BC_CONFINE_DONE = 0,        /* confined */
    BC_CONFINE_UNSHARE,         /* unshare(CLONE_NEWNS) refused: nothing changed */
    BC_CONFINE_PRIVATE,         /* making the mounts private failed: nothing changed */
    BC_CONFINE_READONLY,        /* the read-only remount failed: nothing changed */
    BC_CONFINE_WRITABLE,        /* keeping a path writable failed: the namespace is
                                   half made, the child must not run */
    BC_CONFINE_SHM              /* the private /dev/shm failed: likewise */
} bc_confine_step;

/* The run's paths plus what runtimes need (above); free with bc_confine_free. */
void bc_confine_init(bc_confine *cf, const char *const *run_paths);
void bc_confine_free(bc_confine *cf);
/* In the child, before exec: the step it stopped at (BC_CONFINE_DONE when
 * confined) and *err its errno. No allocation, no lock: it runs in a vfork
 * child, in its parent's memory (child.c). */
bc_confine_step bc_confine_enter(const bc_confine *cf, int *err);
/* Whether a step leaves the child unable to run. */
bool bc_confine_fatal(bc_confine_step step);
/* "unshare(CLONE_NEWNS)", ...: what a step did, for messages. */
const char *bc_confine_step_name(bc_confine_step step);

#endif
