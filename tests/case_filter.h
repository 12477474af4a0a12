/* case_filter.h - which cases a cmocka test runs, from one argument, by
 * cmocka's own filters: GLOB runs those cases only, -GLOB all but those.
 * ctest passes one where slow cases run as a test of their own beside the
 * others, or a build leaves a case out (the CMakeLists.txt that passes it
 * says why). Include after <cmocka.h>. */
#ifndef BC_CASE_FILTER_H
#define BC_CASE_FILTER_H

static inline void bc_case_filter(const char *arg) {
    if (!arg) return;
    if (arg[0] == '-') cmocka_set_skip_filter(arg + 1);
    else cmocka_set_test_filter(arg);
}

#endif
