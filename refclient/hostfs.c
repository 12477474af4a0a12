/* hostfs.c - host filesystem helpers (see hostfs.h). */
#include "hostfs.h"

#include <errno.h>
#include <stdbool.h>
#include <ftw.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "strf.h"

int rc_mkdirs(const char *dir, struct rc_err *err)
{
    char *path = strdup(dir);
    int rc = 0;
    for (char *p = path + 1; rc == 0; p++) {
        bool end = *p == '\0';
        if (*p != '/' && !end)
            continue;
        *p = '\0';
        struct stat st;
        if (mkdir(path, 0777) < 0 && (errno != EEXIST || stat(path, &st) < 0 || !S_ISDIR(st.st_mode))) {
            rc_err_set(err, "storage", "cannot create directory %s: %s", path,
                       errno == EEXIST ? "not a directory" : strerror(errno));
            rc = -1;
        }
        if (end)
            break;
        *p = '/';
    }
    free(path);
    return rc;
}

char *rc_dirname(const char *path)
{
    char *copy = strdup(path);
    char *dir = strdup(dirname(copy));
    free(copy);
    return dir;
}

/* "<dir>/.<base>.rc-XXXXXX" for mkstemp and mkdtemp. */
static char *temp_template(const char *target)
{
    char *copy = strdup(target);
    char *dir = rc_dirname(target);
    char *tmpl = rc_strf("%s/.%s.rc-XXXXXX", dir, basename(copy));
    free(copy);
    free(dir);
    return tmpl;
}

int rc_temp_file_beside(const char *target, char **tmp, struct rc_err *err)
{
    *tmp = temp_template(target);
    int fd = mkstemp(*tmp);
    mode_t mask = umask(0);
    umask(mask);
    if (fd >= 0)
        fchmod(fd, 0666 & ~mask);      /* as a file made with open(): not mkstemp's 0600 */
    if (fd < 0) {
        rc_err_set(err, "storage", "cannot create a file beside %s: %s", target, strerror(errno));
        free(*tmp);
        *tmp = NULL;
    }
    return fd;
}

char *rc_temp_dir_beside(const char *target, struct rc_err *err)
{
    char *tmpl = temp_template(target);
    mode_t mask = umask(0);
    umask(mask);
    if (!mkdtemp(tmpl) || chmod(tmpl, 0777 & ~mask) < 0) {
        rc_err_set(err, "storage", "cannot create a directory beside %s: %s", target, strerror(errno));
        free(tmpl);
        return NULL;
    }
    return tmpl;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)ftw;
    if (flag == FTW_DP)
        rmdir(path);
    else
        unlink(path);
    return 0;
}

void rc_remove_tree(const char *path)
{
    nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}
