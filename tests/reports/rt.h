/* rt.h - what the report tests share: a fixture document, a report as a string. */
#ifndef RT_H
#define RT_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "report.h"
#include "results.h"

static inline json_t *rt_fixture(const char *name) {
    char path[1024], err[512];
    json_t *doc = NULL;
    snprintf(path, sizeof path, "%s/%s", BC_FIXTURES, name);
    if (bc_results_load(path, &doc, err, sizeof err) < 0) fail_msg("%s", err);
    return doc;
}

/* The report of doc made by fn, as a new string (in memory: no temp file). */
/* noinline: gcc 12 at -O2 otherwise takes open_memstream's buffer for a dangling local. */
__attribute__((noinline, unused)) static char *rt_render(int (*fn)(FILE *, const json_t *), const json_t *doc) {
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_int_equal(fn(f, doc), 0);
    fclose(f);
    return text;
}

static inline size_t rt_count(const char *hay, const char *needle) {
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle)) n++;
    return n;
}

#endif
