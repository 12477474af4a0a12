/* module.c - modules beside the executable (see module.h). */
#include "module.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXIT_BROKEN 70          /* EX_SOFTWARE: the installation is broken */

static void broken(const char *what, const char *why) {
    fprintf(stderr, "cannot load %s: %s\n", what, why);
    exit(EXIT_BROKEN);
}

const void *bc_module_symbol(const char *file, const char *symbol) {
    char path[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n < 0) broken(file, "/proc/self/exe cannot be read");
    path[n] = 0;
    char *slash = strrchr(path, '/');
    if (!slash || (size_t)(slash + 1 - path) + strlen(file) >= sizeof path)
        broken(file, "the executable's directory is unknown or too long");
    strcpy(slash + 1, file);
    /* RTLD_NOW: a symbol the module needs from the executable and cannot
     * find fails here, at the first use, not in the middle of a copy. */
    void *module = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!module) broken(path, dlerror());
    void *sym = dlsym(module, symbol);
    if (!sym) broken(path, dlerror());
    return sym;
}
