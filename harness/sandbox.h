/* sandbox.h - the host sandbox of one scenario run (docs/adapter.md).
 *
 * Everything a client under test is asked to touch on the host lives in
 * RUN/sandbox/ (the fake server's ${SANDBOX}):
 *
 *   host/       the scenario's client.sandbox files; every host path of the
 *               action (copy-in source, copy-out or export destination) is
 *               made absolute under it; the destination's parents exist
 *   outside/    a sentinel tree (files, a directory, a symlink) that nothing
 *               the client is asked to do touches, for a hostile answer to
 *               aim at
 *
 * The tree is hashed before the adapter starts and after it ended (tree.h):
 * what changed inside the destination is the client's work, anything else
 * is a write it was never asked for. */
#ifndef BC_SANDBOX_H
#define BC_SANDBOX_H

#include <stddef.h>

#include "scenario.h"

typedef struct bc_sandbox {
    char *root;                 /* RUN/sandbox: the fake server's --sandbox */
    char *host;                 /* root/host */
    char *dest;                 /* the copy-out or export destination, relative to
                                   root ("host/a/b/c/d/out"); NULL when the action
                                   writes nothing on the host */
} bc_sandbox;

/* Make run_dir/sandbox for sc's client section. 0, or -1 with err (nothing
 * half-made is left to clean but run_dir itself). */
int bc_sandbox_make(bc_sandbox *sb, const char *run_dir, const bc_client *c, char *err,
                    size_t errlen);
/* The absolute host path of rel (relative to the host area), new string. */
char *bc_sandbox_path(const bc_sandbox *sb, const char *rel);
void bc_sandbox_free(bc_sandbox *sb);

/* Entry i of the sentinel tree, relative to root ("outside/secret.txt"), or
 * NULL past the last. */
const char *bc_sandbox_sentinel(size_t i);

#endif
