/* profile.h - a client profile (docs/adapter.md): how to start the adapter,
 * whether libfaketime can accelerate it, the constants it is built with, and
 * the scenarios it is known not to support.
 *
 * Profiles come from clients/NAME.json or a path (--client), or are made up
 * for an ad hoc command (--client-cmd: production constants, faketime,
 * nothing unsupported). */
#ifndef BC_PROFILE_H
#define BC_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "evidence.h"
#include "scenario.h"

typedef struct bc_profile {
    char *name;                 /* for reports */
    char **argv;                /* NULL-terminated, ${BUILD}/${ROOT}/${LIBEXEC} expanded */
    size_t argc;
    bool faketime;              /* run under libfaketime at the run's scale */
    bc_constants k;             /* what the client is built with */
    bool shell;                 /* argv is /bin/sh -c CMD: CMD needs a shell */
    char **unsupported;         /* --filter globs of what it cannot do (NULL-terminated) */
    size_t unsupported_count;
    char **writable;            /* absolute paths a confined adapter may also write
                                   ("writable"; NULL-terminated), confine.h */
    size_t writable_count;
    long long memory_limit;     /* bytes its process group may hold ("memory_limit_mib",
                                   default 1 GiB); 0: no limit */
} bc_profile;

/* What ${BUILD}, ${ROOT} and ${LIBEXEC} in a command expand to (layout.h);
 * NULL: the variable has no meaning here (an installed copy has no build
 * tree), and a profile that uses it is an error naming it. */
typedef struct bc_profile_dirs {
    const char *build, *root, *libexec;
} bc_profile_dirs;

/* Load NAME (clients_dir/NAME.json) or a path (contains '/' or ends .json).
 * 0, or -1 with err "file:line:column: expected ...". */
int bc_profile_load(const char *name_or_path, const char *clients_dir,
                    const bc_profile_dirs *dirs, bc_profile *out, char *err, size_t errlen);
/* A profile for --client-cmd CMD (production constants, faketime): CMD's
 * words as a shell would split and expand them (wordexp(3) without command
 * substitution), started directly; under `/bin/sh -c CMD` only when CMD
 * needs a shell (| & ; < > ( ) { } newline, $(...) or `...`, a leading
 * NAME=VALUE). 0, or -1 with err when no shell could parse CMD. */
int bc_profile_from_cmd(const char *cmd, bc_profile *out, char *err, size_t errlen);
/* A copy of p whose command gets extra appended (e.g. "--mutant NAME"). */
void bc_profile_with_args(const bc_profile *p, const char *const *extra, bc_profile *out);
/* Whether the profile's "unsupported" list names sc (as --filter would:
 * its id, a keyword or a contract ID). */
bool bc_profile_declares_unsupported(const bc_profile *p, const bc_scenario *sc);
json_t *bc_profile_json(const bc_profile *p);   /* for the results file */
void bc_profile_free(bc_profile *p);

#endif
