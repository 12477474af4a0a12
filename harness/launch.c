#include "launch.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HASHBANG_MAX 256        /* what Linux reads of a #! line (BINPRM_BUF_SIZE) */
#define DEPTH_MAX 4             /* nested #! interpreters Linux follows */
#define DEFAULT_PATH "/bin:/usr/bin"    /* glibc's execvp when PATH is unset */
#define ENV_WORDS_MAX 64

static int check_command(char *const argv[], const char *path, int depth, char *why,
                         size_t len);

static const char *base_name(const char *p) {
    const char *slash = strrchr(p, '/');
    return slash ? slash + 1 : p;
}

/* An executable regular file? 0, or -1 with why. */
static int check_executable(const char *file, char *why, size_t len) {
    struct stat st;
    if (stat(file, &st) < 0)
        return snprintf(why, len, "%s: %s", file, errno == ENOENT ? "no such file"
                                                                    : strerror(errno)), -1;
    if (S_ISDIR(st.st_mode)) return snprintf(why, len, "%s: is a directory", file), -1;
    if (!S_ISREG(st.st_mode) || access(file, X_OK) < 0)
        return snprintf(why, len, "%s: not executable (mode %04o)", file,
                        (unsigned)st.st_mode & 07777), -1;
    return 0;
}

/* name (no '/') in path as execvp looks: the first executable regular file;
 * else the first one that is not executable (execvp says EACCES). 0 found,
 * 1 found but not executable, -1 none. The file in out. */
static int search_path(const char *name, const char *path, char *out, size_t outlen) {
    int found = -1;
    for (const char *dir = path;; dir++) {
        const char *end = strchrnul(dir, ':');
        int n = (int)(end - dir);
        char file[PATH_MAX];
        snprintf(file, sizeof file, "%.*s%s%s", n, dir, n ? "/" : "", name); /* "": cwd */
        struct stat st;
        if (stat(file, &st) == 0 && S_ISREG(st.st_mode)) {
            bool runs = access(file, X_OK) == 0;
            if (runs || found < 0) snprintf(out, outlen, "%s", file);
            if (runs) return 0;
            found = 1;
        }
        if (!*end) return found;
        dir = end;
    }
}

/* ---- env ---------------------------------------------------------------- */

/* env's words in a small queue, so that -S can put the words of its string
 * where it stood. */
typedef struct env_words {
    char *w[ENV_WORDS_MAX + 1];
    size_t n, at;
    char *split[8];             /* the -S strings, split in place */
    size_t nsplit;
} env_words;

static void env_split(env_words *q, const char *s) {
    if (q->nsplit == 8) return;
    char *copy = q->split[q->nsplit++] = strdup(s), *save, *words[ENV_WORDS_MAX];
    size_t k = 0;
    for (char *t = strtok_r(copy, " \t", &save); t && k < ENV_WORDS_MAX;
         t = strtok_r(NULL, " \t", &save))
        words[k++] = t;
    if (q->n + k > ENV_WORDS_MAX) k = ENV_WORDS_MAX - q->n;
    memmove(q->w + q->at + k, q->w + q->at, (q->n - q->at) * sizeof *q->w);
    memcpy(q->w + q->at, words, k * sizeof *words);
    q->n += k;
}

static const char *env_next(env_words *q) {
    return q->at < q->n ? q->w[q->at++] : NULL;
}

/* One option word of env (GNU coreutils 9): -u NAME, -C DIR and -S STRING
 * take an argument (in the word or the next one); the others are flags. */
static void env_option(env_words *q, const char *opt) {
    if (opt[1] == '-') {
        const char *eq = strchr(opt, '=');
        bool has_arg = !strncmp(opt, "--unset", 7) || !strncmp(opt, "--chdir", 7) ||
                       !strncmp(opt, "--split-string", 14);
        const char *arg = eq ? eq + 1 : has_arg ? env_next(q) : NULL;
        if (arg && !strncmp(opt, "--split-string", 14)) env_split(q, arg);
        return;
    }
    for (const char *c = opt + 1; *c; c++) {
        if (!strchr("uCS", *c)) continue;
        const char *arg = c[1] ? c + 1 : env_next(q);
        if (arg && *c == 'S') env_split(q, arg);
        return;
    }
}

/* What env args would run: options, NAME=VALUE (PATH= changes the lookup),
 * then the program. */
static int check_env(const char *env, char *const args[], const char *path, int depth,
                     char *why, size_t len) {
    env_words q = { .n = 0 };
    for (char *const *a = args; *a && q.n < ENV_WORDS_MAX; a++) q.w[q.n++] = *a;
    const char *w, *env_path = path;
    bool options = true;
    while ((w = env_next(&q)) && options && w[0] == '-') {
        if (!strcmp(w, "--")) options = false;
        else env_option(&q, w);
    }
    while (w && strchr(w, '=') && w[0] != '=') {
        if (!strncmp(w, "PATH=", 5)) env_path = w + 5;
        w = env_next(&q);
    }
    int rc = 0;
    if (w) {
        char inner[1024];
        q.at--; /* the program and its arguments */
        q.w[q.n] = NULL;
        rc = check_command(q.w + q.at, env_path, depth + 1, inner, sizeof inner);
        if (rc < 0) snprintf(why, len, "%s: %s", env, inner);
    }
    for (size_t i = 0; i < q.nsplit; i++) free(q.split[i]);
    return rc;
}

/* ---- #! and the chain --------------------------------------------------- */

/* The #! line of file split into interpreter and optional argument (in
 * line); false when file does not start with #!. */
static bool read_hashbang(const char *file, char line[HASHBANG_MAX + 1], char **interp,
                          char **arg) {
    FILE *f = fopen(file, "r");
    size_t n = f ? fread(line, 1, HASHBANG_MAX, f) : 0;
    if (f) fclose(f);
    line[n] = 0;
    if (n < 2 || line[0] != '#' || line[1] != '!') return false;
    line[strcspn(line, "\n")] = 0;
    char *p = line + 2 + strspn(line + 2, " \t");
    *interp = p;
    p += strcspn(p, " \t");
    if (*p) *p++ = 0;
    p += strspn(p, " \t");
    for (char *end = p + strlen(p); end > p && strchr(" \t\r", end[-1]);) *--end = 0;
    *arg = *p ? p : NULL;
    return **interp != 0;
}

/* file, executable, runs with args: its #! interpreter, env's program. */
static int check_file(const char *file, char *const args[], const char *path, int depth,
                      char *why, size_t len) {
    char line[HASHBANG_MAX + 1], inner[1024], *interp, *arg;
    if (!read_hashbang(file, line, &interp, &arg)) {
        if (strcmp(base_name(file), "env") != 0) return 0;
        return check_env(file, args, path, depth, why, len);
    }
    if (depth >= DEPTH_MAX)
        return snprintf(why, len, "%s: more than %d nested #! interpreters", file,
                        DEPTH_MAX), -1;
    char *iargs[ENV_WORDS_MAX + 2];
    size_t n = 0;
    if (arg) iargs[n++] = arg;
    iargs[n++] = (char *)file;
    for (char *const *a = args; *a && n < ENV_WORDS_MAX; a++) iargs[n++] = *a;
    iargs[n] = NULL;
    /* The kernel takes the interpreter as a path, never from PATH. */
    int rc = check_executable(interp, inner, sizeof inner);
    if (rc == 0) rc = check_file(interp, iargs, path, depth + 1, inner, sizeof inner);
    if (rc < 0)
        snprintf(why, len, "%s (#!%s%s%s): %s", file, interp, arg ? " " : "", arg ? arg : "",
                 inner);
    return rc;
}

static int check_command(char *const argv[], const char *path, int depth, char *why,
                         size_t len) {
    char file[PATH_MAX];
    if (strchr(argv[0], '/')) {
        snprintf(file, sizeof file, "%s", argv[0]);
        if (check_executable(file, why, len) < 0) return -1;
    } else {
        int found = search_path(argv[0], path, file, sizeof file);
        if (found < 0) return snprintf(why, len, "%s: not found in PATH (%s)", argv[0], path), -1;
        if (found > 0 && check_executable(file, why, len) < 0) return -1;
    }
    return check_file(file, argv + 1, path, depth, why, len);
}

int bc_launch_check(char *const argv[], char *why, size_t whylen) {
    const char *path = getenv("PATH");
    if (!argv || !argv[0] || !*argv[0]) return snprintf(why, whylen, "an empty command"), -1;
    return check_command(argv, path ? path : DEFAULT_PATH, 0, why, whylen);
}

void bc_launch_explain(char *const argv[], int err, char *why, size_t whylen) {
    if (bc_launch_check(argv, why, whylen) < 0) return;
    if (err == ENOENT) /* the file is there: its ELF program interpreter is not */
        snprintf(why, whylen, "%s: exists, but execve found no program interpreter for it "
                 "(ENOENT)", argv[0]);
    else
        snprintf(why, whylen, "%s: %s", argv[0], strerror(err));
}
