#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The child runs between vfork and exec in its parent's memory (no copy of
 * the worker's page tables, none of the copy-on-write faults that follow a
 * fork: 1.6 ms less per start, perf in BENCHMARKS.md 7b). So it changes no
 * memory of the parent: everything it needs is made before (the
 * environment, the open files), it calls nothing that allocates or locks
 * (no stdio: messages go out with write), and every signal stays blocked
 * until the exec, so no handler of the parent's runs in it. */
typedef struct launch {
    char *const *argv;
    char **envp;                /* environ with the additions, made by the parent */
    int in, out, err;           /* its fds 0, 1, 2 */
    const bc_confine *confine;
    int report;                 /* the report pipe's write end */
    sigset_t parent_mask;       /* restored just before the exec */
} launch;

/* What the child writes up its report pipe: how its confinement went (when
 * it was asked for one), then execvp's errno when the exec failed. A
 * successful exec closes the pipe, so the parent can tell "cannot start"
 * from an exit. */
typedef struct report {
    int step, err;              /* confinement: bc_confine_step, errno */
    int exec_errno;
} report;

/* Pieces of one message to stderr, with write only (see launch). */
static void say(const char *const parts[]) {
    for (const char *const *p = parts; *p; p++)
        if (write(2, *p, strlen(*p)) < 0) return;
}

static const char *errno_text(int e) {
    const char *text = strerrordesc_np(e);     /* a constant: no buffer, no lock */
    return text ? text : "unknown error";
}

static void confine_child(const launch *l) {
    report r = { 0 };
    r.step = (int)bc_confine_enter(l->confine, &r.err);
    if (bc_confine_fatal((bc_confine_step)r.step)) {
        say((const char *[]){ "cannot confine the adapter: ",
                              bc_confine_step_name((bc_confine_step)r.step), ": ",
                              errno_text(r.err), "\n", NULL });
        r.exec_errno = EPERM;
    }
    if (write(l->report, &r, 2 * sizeof(int)) < 0) _exit(126);
    if (r.exec_errno) {
        if (write(l->report, &r.exec_errno, sizeof(int)) < 0) _exit(126);
        _exit(126);
    }
}

/* fd as the child's fd `to`; opened O_CLOEXEC, so one already in place
 * (a parent started without stdin got /dev/null as 0) keeps its flag
 * unless cleared: dup2 onto itself would leave it to close at the exec. */
static void wire(int fd, int to) {
    if (fd == to) fcntl(to, F_SETFD, 0);
    else dup2(fd, to);
}

/* In the child: become a group leader, every signal back to its default (a
 * handler of the parent's must not run here; what the harness ignores, such
 * as SIGPIPE, a client must not inherit), wire the fds, confine, exec. */
static void exec_child(const launch *l) {
    setpgid(0, 0);
    struct sigaction dfl = { .sa_handler = SIG_DFL };
    for (int sig = 1; sig < NSIG; sig++) {
        struct sigaction now;
        if (sigaction(sig, NULL, &now) == 0 && now.sa_handler != SIG_DFL)
            sigaction(sig, &dfl, NULL);
    }
    wire(l->in, 0);
    wire(l->out, 1);
    wire(l->err, 2);
    if (l->confine) confine_child(l);
    sigprocmask(SIG_SETMASK, &l->parent_mask, NULL);
    execvpe(l->argv[0], l->argv, l->envp);
    int exec_errno = errno;
    say((const char *[]){ "cannot run ", l->argv[0], ": ", errno_text(exec_errno), "\n", NULL });
    if (write(l->report, &exec_errno, sizeof exec_errno) < 0) _exit(127);
    _exit(127);
}

/* environ with env_add applied as putenv would: NAME=VALUE sets, a bare
 * NAME unsets. The strings stay the caller's and environ's. */
static char **environment_with(char *const env_add[]) {
    size_t n = 0, k = 0;
    while (environ[n]) n++;
    for (char *const *e = env_add; e && *e; e++) k++;
    char **envp = malloc((n + k + 1) * sizeof *envp);
    if (!envp) return NULL;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        bool replaced = false;
        for (char *const *e = env_add; e && *e && !replaced; e++) {
            size_t name = strcspn(*e, "=");
            replaced = !strncmp(environ[i], *e, name) && environ[i][name] == '=';
        }
        if (!replaced) envp[m++] = environ[i];
    }
    for (char *const *e = env_add; e && *e; e++)
        if (strchr(*e, '=')) envp[m++] = *e;
    envp[m] = NULL;
    return envp;
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

/* The child's stderr (stderr_path) and, only when a stream is not piped or
 * the file did not open, the /dev/null it uses instead, opened by the
 * parent; -1 for a file that did not open or was not needed. */
static void open_child_files(launch *l, const char *stderr_path, int *devnull) {
    l->err = open(stderr_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    bool needed = l->err < 0 || l->in < 0 || l->out < 0;
    *devnull = needed ? open("/dev/null", O_RDWR | O_CLOEXEC) : -1;
    if (l->err < 0) l->err = *devnull;
    if (l->in < 0) l->in = *devnull;
    if (l->out < 0) l->out = *devnull;
}

int bc_child_start(bc_child *c, char *const argv[], char *const env_add[], bool pipe_in,
                   bool pipe_out, const char *stderr_path, const bc_confine *confine) {
    int in[2] = { -1, -1 }, out[2] = { -1, -1 }, report[2] = { -1, -1 };
    memset(c, 0, sizeof *c);
    c->in = c->out = -1;
    if ((pipe_in && pipe2(in, O_CLOEXEC) < 0) || (pipe_out && pipe2(out, O_CLOEXEC) < 0) ||
        pipe2(report, O_CLOEXEC) < 0) {
        int saved = errno;
        close_pair(in), close_pair(out), close_pair(report);
        errno = saved;
        return -1;
    }
    launch l = { .argv = argv, .envp = environment_with(env_add), .in = in[0], .out = out[1],
                 .err = -1, .confine = confine, .report = report[1] };
    int devnull;
    open_child_files(&l, stderr_path, &devnull);
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &l.parent_mask);
    pid_t pid = l.envp ? vfork() : -1;
    if (pid == 0) exec_child(&l);
    int saved = errno;
    sigprocmask(SIG_SETMASK, &l.parent_mask, NULL);
    free(l.envp);
    if (l.err != devnull) close(l.err);
    if (devnull >= 0) close(devnull);
    if (pid < 0) {
        close_pair(in), close_pair(out), close_pair(report);
        errno = saved;
        return -1;
    }
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
