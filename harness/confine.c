#include "confine.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

/* The directory a sanitizer writes its report into: log_path=DIR/prefix. */
static char *log_dir(const char *options) {
    const char *p = options ? strstr(options, "log_path=") : NULL;
    if (!p || (p != options && p[-1] != ':' && p[-1] != ' ')) return NULL;
    p += strlen("log_path=");
    size_t n = strcspn(p, ": ");
    const char *slash = memrchr(p, '/', n);
    if (*p != '/' || !slash) return NULL; /* relative or a bare name: the cwd, not ours */
    return strndup(p, slash > p ? (size_t)(slash - p) : 1);
}

void bc_confine_init(bc_confine *cf, const char *const *run_paths) {
    static const char *const sanitizers[] = { "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS" };
    size_t n = 0, max = 4;
    for (const char *const *p = run_paths; *p; p++) max++;
    cf->writable = calloc(max, sizeof *cf->writable);
    for (const char *const *p = run_paths; *p; p++) cf->writable[n++] = strdup(*p);
    for (size_t i = 0; i < sizeof sanitizers / sizeof sanitizers[0]; i++) {
        char *dir = log_dir(getenv(sanitizers[i]));
        if (dir) cf->writable[n++] = dir;
    }
}

void bc_confine_free(bc_confine *cf) {
    for (char **p = cf->writable; p && *p; p++) free(*p);
    free(cf->writable);
    cf->writable = NULL;
}

static int set_readonly(const char *path, bool on) {
    struct mount_attr attr = { .attr_set = on ? MOUNT_ATTR_RDONLY : 0,
                               .attr_clr = on ? 0 : MOUNT_ATTR_RDONLY };
    return mount_setattr(AT_FDCWD, path, AT_RECURSIVE, &attr, sizeof attr);
}

/* Each writable path becomes a mount of its own (a bind onto itself), so
 * the recursive read-only remount can be lifted from it alone. */
bc_confine_step bc_confine_enter(const bc_confine *cf, int *err) {
    bc_confine_step step = BC_CONFINE_UNSHARE;
    *err = 0;
    if (unshare(CLONE_NEWNS) < 0) goto failed;
    step = BC_CONFINE_PRIVATE;
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) goto failed;
    step = BC_CONFINE_READONLY;
    if (set_readonly("/", true) < 0) goto failed;
    /* a path that cannot stay writable (a profile's that does not exist) is
     * a mistake to report, never a reason to run the client unconfined */
    step = BC_CONFINE_WRITABLE;
    for (char **p = cf->writable; *p; p++)
        if (mount(*p, *p, NULL, MS_BIND | MS_REC, NULL) < 0 || set_readonly(*p, false) < 0)
            goto failed;
    step = BC_CONFINE_SHM;
    if (mount("boxconform-shm", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777") < 0)
        goto failed;
    return BC_CONFINE_DONE;
failed:
    *err = errno;
    return step;
}

bool bc_confine_fatal(bc_confine_step step) {
    return step == BC_CONFINE_WRITABLE || step == BC_CONFINE_SHM;
}

const char *bc_confine_step_name(bc_confine_step step) {
    static const char *const names[] = {
        "confined", "unshare(CLONE_NEWNS)", "making the mounts private",
        "remounting read-only", "keeping the run's paths writable",
        "mounting a private /dev/shm",
    };
    return (unsigned)step < sizeof names / sizeof names[0] ? names[step] : "?";
}
