#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* What the child writes up its report pipe: how its confinement went (when
 * it was asked for one), then execvp's errno when the exec failed. A
 * successful exec closes the pipe, so the parent can tell "cannot start"
 * from an exit. */
typedef struct report {
    int step, err;              /* confinement: bc_confine_step, errno */
    int exec_errno;
} report;

static void confine_child(const bc_confine *confine, int fd) {
    report r = { 0 };
    r.step = (int)bc_confine_enter(confine, &r.err);
    if (bc_confine_fatal((bc_confine_step)r.step)) {
        fprintf(stderr, "cannot confine the adapter: %s: %s\n",
                bc_confine_step_name((bc_confine_step)r.step), strerror(r.err));
        r.exec_errno = EPERM;
    }
    if (write(fd, &r, 2 * sizeof(int)) < 0) _exit(126);
    if (r.exec_errno) {
        if (write(fd, &r.exec_errno, sizeof(int)) < 0) _exit(126);
        _exit(126);
    }
}

/* In the child: become a group leader, wire the fds, confine, exec. */
static void exec_child(char *const argv[], char *const env_add[], int in, int out,
                       const char *stderr_path, const bc_confine *confine, int report) {
    setpgid(0, 0);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    int err = open(stderr_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int devnull = open("/dev/null", O_RDWR);
    dup2(in >= 0 ? in : devnull, 0);
    dup2(out >= 0 ? out : devnull, 1);
    dup2(err >= 0 ? err : devnull, 2);
    for (char *const *e = env_add; e && *e; e++) putenv(*e);
    if (confine) confine_child(confine, report);
    execvp(argv[0], argv);
    int exec_errno = errno;
    fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(exec_errno));
    if (write(report, &exec_errno, sizeof exec_errno) < 0) _exit(127);
    _exit(127);
}

/* The report pipe read to its end: how the confinement went (when asked),
 * and the exec's errno (0 when the exec happened). */
static int exec_result(int fd, bc_child *c, bool confined) {
    report r = { 0 };
    size_t got = 0;
    ssize_t n;
    int *into = confined ? &r.step : &r.exec_errno;
    size_t want = confined ? sizeof r : sizeof(int);
    while (got < want && ((n = read(fd, (char *)into + got, want - got)) > 0 ||
                          (n < 0 && errno == EINTR)))
        if (n > 0) got += (size_t)n;
    close(fd);
    c->confined = confined ? (bc_confine_step)r.step : BC_CONFINE_UNSHARE;
    c->confine_errno = r.err;
    return r.exec_errno;
}

static void close_pair(int fd[2]) {
    for (int i = 0; i < 2; i++)
        if (fd[i] >= 0) close(fd[i]);
}

int bc_child_start(bc_child *c, char *const argv[], char *const env_add[], bool pipe_in,
                   bool pipe_out, const char *stderr_path, const bc_confine *confine) {
    int in[2] = { -1, -1 }, out[2] = { -1, -1 }, report[2] = { -1, -1 };
    memset(c, 0, sizeof *c);
    c->in = c->out = -1;
    pid_t pid = -1;
    if ((pipe_in && pipe2(in, O_CLOEXEC) < 0) || (pipe_out && pipe2(out, O_CLOEXEC) < 0) ||
        pipe2(report, O_CLOEXEC) < 0 || (pid = fork()) < 0) {
        int saved = errno;
        close_pair(in), close_pair(out), close_pair(report);
        errno = saved;
        return -1;
    }
    if (pid == 0) exec_child(argv, env_add, in[0], out[1], stderr_path, confine, report[1]);
    setpgid(pid, pid); /* both sides, so no kill(-pid) can race the child's own */
    close(report[1]);
    if (pipe_in) close(in[0]);
    if (pipe_out) close(out[1]);
    c->pid = pid;
    c->in = in[1];
    c->out = out[0];
    int exec_errno = exec_result(report[0], c, confine != NULL);
    if (exec_errno) {
        bc_child_stop(c, SIGKILL, 0);   /* reaps it and closes the pipes */
        c->pid = 0;                     /* it never ran: no exit status to report */
        c->exited = false;
        c->exec_failed = true;
        errno = exec_errno;
        return -1;
    }
    return 0;
}

bool bc_child_poll(bc_child *c) {
    if (c->pid && !c->exited && waitpid(c->pid, &c->status, WNOHANG) == c->pid)
        c->exited = true;
    return c->exited;
}

void bc_child_close_in(bc_child *c) {
    if (c->in >= 0) close(c->in);
    c->in = -1;
}

void bc_child_stop(bc_child *c, int sig, int grace_ms) {
    if (!c->pid) return;
    kill(-c->pid, sig);
    for (int waited = 0; !bc_child_poll(c) && waited < grace_ms; waited += 5)
        nanosleep(&(struct timespec){ 0, 5000000 }, NULL);
    kill(-c->pid, SIGKILL); /* the leader may be gone while its group is not */
    if (!c->exited && waitpid(c->pid, &c->status, 0) == c->pid) c->exited = true;
    bc_child_close_in(c);
    if (c->out >= 0) close(c->out);
    c->out = -1;
}

char *bc_tmpdir_make(const char *prefix) {
    const char *base = getenv("TMPDIR");
    char *dir;
    if (asprintf(&dir, "%s/%s-XXXXXX", base && *base ? base : "/tmp", prefix) < 0) return NULL;
    if (mkdtemp(dir)) return dir;
    free(dir);
    return NULL;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

static int unreadable_dirs;

/* A scenario's sandbox may hold read-only directories, and a client may
 * make more: each gets its owner's rwx back so what it holds can go. */
static int open_up(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)ftw;
    if (flag == FTW_DNR) unreadable_dirs++;
    if ((flag == FTW_D || flag == FTW_DNR) && (sb->st_mode & S_IRWXU) != S_IRWXU)
        chmod(path, (sb->st_mode & 07777) | S_IRWXU);
    return 0;
}

void bc_tmpdir_remove(const char *dir) {
    if (!dir) return;
    /* an unreadable directory is opened up before its children are seen:
     * walk again until none is left (each walk goes one level deeper) */
    for (int walks = 0; walks < 64; walks++) {
        unreadable_dirs = 0;
        nftw(dir, open_up, 16, FTW_PHYS);
        if (!unreadable_dirs) break;
    }
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

void bc_faketime_cleanup(pid_t pid) {
    char path[96];
    snprintf(path, sizeof path, "/dev/shm/faketime_shm_%d", (int)pid);
    unlink(path);
    snprintf(path, sizeof path, "/dev/shm/sem.faketime_sem_%d", (int)pid);
    unlink(path);
}
