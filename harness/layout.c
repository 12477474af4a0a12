#include "layout.h"

#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Set by CMake: the install tree relative to its bin folder, and the source
 * tree a build tree was configured from (a build tree never moves away from
 * its sources; an installed copy never looks at them). */
#ifndef BC_LIBEXEC_FROM_BIN
#define BC_LIBEXEC_FROM_BIN "../libexec/boxconform"
#endif
#ifndef BC_DATA_FROM_BIN
#define BC_DATA_FROM_BIN "../share/boxconform"
#endif

static bool is_dir(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* An installed copy has its programs and its scenarios where the install
 * rules put them, relative to bin/. A build tree has neither there. */
static bool installed_at(const char *bin) {
    char programs[PATH_MAX], scenarios[PATH_MAX];
    if (snprintf(programs, sizeof programs, "%s/%s/fakeserver", bin, BC_LIBEXEC_FROM_BIN) >=
            (int)sizeof programs ||
        snprintf(scenarios, sizeof scenarios, "%s/%s/scenarios", bin, BC_DATA_FROM_BIN) >=
            (int)sizeof scenarios)
        return false;
    return access(programs, X_OK) == 0 && is_dir(scenarios);
}

/* dir/rel as a real path (reports show it: no "/bin/../"); out holds PATH_MAX. */
static void join(char *out, const char *dir, const char *rel) {
    char joined[PATH_MAX];
    if (snprintf(joined, sizeof joined, "%s/%s", dir, rel) >= (int)sizeof joined ||
        !realpath(joined, out))
        memcpy(out, joined, sizeof joined);
}

void bc_layout_find(bc_layout *l, const char *root_override) {
    char exe[PATH_MAX] = "";
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = 0;
    char *bin = dirname(exe);
    memset(l, 0, sizeof *l);
    l->installed = installed_at(bin);
    if (l->installed) {
        join(l->libexec, bin, BC_LIBEXEC_FROM_BIN);
        join(l->root, bin, BC_DATA_FROM_BIN);
    } else {
        snprintf(l->build, sizeof l->build, "%s", dirname(bin));
        join(l->libexec, l->build, "libexec");
        snprintf(l->root, sizeof l->root, "%s", BC_SOURCE_DIR);
    }
    if (root_override) snprintf(l->root, sizeof l->root, "%s", root_override);
}
