/* launch: whether a command can start, walked as execvp, the kernel's #!
 * and env would, on real files in a private directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "launch.h"

static char dir[64];

static int setup(void **state) {
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/bc-test-launch-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* DIR/name holding text with mode; its path in out. */
static const char *file(const char *name, const char *text, mode_t mode) {
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    chmod(path, mode);
    return path;
}

/* Whether cmd (words split on spaces) starts; why otherwise. */
static bool check(const char *cmd, char *why, size_t len) {
    char copy[512], *argv[16], *save;
    size_t n = 0;
    snprintf(copy, sizeof copy, "%s", cmd);
    for (char *w = strtok_r(copy, " ", &save); w && n < 15; w = strtok_r(NULL, " ", &save))
        argv[n++] = w;
    argv[n] = NULL;
    return bc_launch_check(argv, why, len) == 0;
}

/* cmd cannot start, and why holds want. */
static void refused(const char *cmd, const char *want) {
    char why[1024];
    if (check(cmd, why, sizeof why)) fail_msg("%s: starts", cmd);
    if (!strstr(why, want)) fail_msg("%s: \"%s\", expected \"%s\"", cmd, why, want);
}

static void starts(const char *cmd) {
    char why[1024];
    if (!check(cmd, why, sizeof why)) fail_msg("%s: %s", cmd, why);
}

static void programs(void **state) {
    (void)state;
    starts("sh -c true");
    starts("/bin/sh");
    refused("/nonexistent/client", "/nonexistent/client: no such file");
    refused("boxconform-no-such-program x", "boxconform-no-such-program: not found in PATH (");
    refused("/tmp", "/tmp: is a directory");
    char cmd[300];
    snprintf(cmd, sizeof cmd, "%s --flag", file("plain.sh", "#!/bin/sh\n", 0644));
    refused(cmd, "plain.sh: not executable (mode 0644)");
}

/* execvp takes the first executable file in PATH, and says EACCES only
 * when every match is not executable. */
static void path_search(void **state) {
    (void)state;
    char a[300], b[300], path[700];
    snprintf(a, sizeof a, "%s/a", dir);
    snprintf(b, sizeof b, "%s/b", dir);
    mkdir(a, 0755);
    mkdir(b, 0755);
    file("a/tool", "#!/bin/sh\n", 0644);
    const char *old = getenv("PATH");
    char *saved = strdup(old ? old : "");
    snprintf(path, sizeof path, "%s:%s", a, b);
    setenv("PATH", path, 1);
    refused("tool", "a/tool: not executable");
    file("b/tool", "#!/bin/sh\n", 0755);
    starts("tool");
    setenv("PATH", saved, 1);
    free(saved);
}

static void hashbang(void **state) {
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "%s", file("ok.sh", "#!/bin/sh -e\nexit 0\n", 0755));
    starts(cmd);
    snprintf(cmd, sizeof cmd, "%s", file("gone.sh", "#!/nonexistent/interp arg\n", 0755));
    refused(cmd, "gone.sh (#!/nonexistent/interp arg): /nonexistent/interp: no such file");
    /* an interpreter that is itself a script, whose own #! is missing */
    const char *inner = file("inner.sh", "#!/nonexistent/deeper\n", 0755);
    char text[300];
    snprintf(text, sizeof text, "#!%s\n", inner);
    snprintf(cmd, sizeof cmd, "%s", file("outer.sh", text, 0755));
    refused(cmd, "/nonexistent/deeper: no such file");
    /* a loop of #! interpreters: Linux gives up after 4 */
    snprintf(text, sizeof text, "#!%s/loop.sh\n", dir);
    snprintf(cmd, sizeof cmd, "%s", file("loop.sh", text, 0755));
    refused(cmd, "nested #! interpreters");
}

/* /usr/bin/env starts, then runs its program from PATH: the program is what
 * must exist, after env's options, -S splitting and NAME=VALUE. */
static void env_program(void **state) {
    (void)state;
    char cmd[300];
    starts("env sh -c true");
    starts("env -i -u HOME A=1 sh");
    refused("env -u HOME A=1 boxconform-no-such-node x", "env: boxconform-no-such-node: not found");
    refused("/usr/bin/env -- boxconform-no-such-node", "boxconform-no-such-node: not found");
    refused("env PATH=/nonexistent sh", "sh: not found in PATH (/nonexistent)");
    snprintf(cmd, sizeof cmd, "%s", file("node.mjs", "#!/usr/bin/env node-missing-here\n", 0755));
    refused(cmd, "node.mjs (#!/usr/bin/env node-missing-here): /usr/bin/env: node-missing-here: "
                 "not found in PATH");
    snprintf(cmd, sizeof cmd, "%s",
             file("split.mjs", "#!/usr/bin/env -S A=1 node-missing-here --flag\n", 0755));
    refused(cmd, "/usr/bin/env: node-missing-here: not found in PATH");
    snprintf(cmd, sizeof cmd, "%s", file("split-ok.sh", "#!/usr/bin/env -S sh -e\n", 0755));
    starts(cmd);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(programs), cmocka_unit_test(path_search), cmocka_unit_test(hashbang),
        cmocka_unit_test(env_program),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
