/* layout.h - where boxconform's programs and data are, found from its own
 * executable so a build tree and an installed copy both work from any
 * directory (docs/install.md).
 *
 *   build tree      BUILD/harness/boxconform
 *                   programs  BUILD/libexec/{fakeserver,refclient} (links)
 *                   data      the source tree (scenarios/, clients/, adapters/)
 *   installed       PREFIX/bin/boxconform
 *                   programs  PREFIX/libexec/boxconform/
 *                   data      PREFIX/share/boxconform/
 *
 * A profile names them ${LIBEXEC} and ${ROOT}; ${BUILD} exists in a build
 * tree only. */
#ifndef BC_LAYOUT_H
#define BC_LAYOUT_H

#include <limits.h>
#include <stdbool.h>

typedef struct bc_layout {
    bool installed;             /* an installed copy (else a build tree) */
    char build[PATH_MAX];           /* the build tree; "" when installed */
    char root[PATH_MAX];          /* data: scenarios/, clients/, adapters/ */
    char libexec[PATH_MAX];         /* the programs boxconform runs */
} bc_layout;

/* Find the layout of the running executable; root_override (--root, may be
 * NULL) replaces the data root. */
void bc_layout_find(bc_layout *l, const char *root_override);

#endif
