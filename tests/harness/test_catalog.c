/* The scenarios of a run (catalog.c): found in folders of the scenario
 * directory too, in file-name order, each file name once; what each costs
 * (cost.c), which the pool and the shards order them by. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "catalog.h"
#include "cost.h"

static void copy_file(const char *from, const char *to) {
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    char buf[4096];
    size_t n;
    assert_non_null(in);
    assert_non_null(out);
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    fclose(out);
}

/* tmp/hello-exit.json, tmp/deeper/a/attach-gone.json (and, with twice,
 * tmp/deeper/hello-exit.json). */
static char *make_tree(bool twice) {
    char *dir = strdup("/tmp/bc_test_catalog_XXXXXX"), path[512];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/deeper", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/deeper/a", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/hello-exit.json", dir);
    copy_file(TEST_SCENARIOS "/hello-exit.json", path);
    snprintf(path, sizeof path, "%s/deeper/a/attach-gone.json", dir);
    copy_file(TEST_SCENARIOS "/attach-gone.json", path);
    if (twice) {
        snprintf(path, sizeof path, "%s/deeper/hello-exit.json", dir);
        copy_file(TEST_SCENARIOS "/hello-exit.json", path);
    }
    return dir;
}

static void remove_tree(char *dir) {
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(dir);
}

static void folders_are_searched_in_name_order(void **state) {
    (void)state;
    char *dir = make_tree(false), err[512];
    bc_catalog cat;
    assert_int_equal(bc_catalog_load(&cat, dir, NULL, err, sizeof err), 0);
    assert_int_equal(cat.count, 2);
    assert_string_equal(cat.items[0]->info.id, "attach-gone");
    assert_string_equal(cat.items[1]->info.id, "hello-exit");
    bc_catalog_free(&cat);
    remove_tree(dir);
}

static void a_file_name_twice_is_refused(void **state) {
    (void)state;
    char *dir = make_tree(true), err[512];
    bc_catalog cat;
    assert_int_equal(bc_catalog_load(&cat, dir, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "hello-exit.json: expected each scenario file name once"));
    remove_tree(dir);
}

static double cost_of(const char *text) {
    bc_scenario *sc;
    char err[512];
    if (bc_scenario_load_text("cost.json", text, strlen(text), &sc, err, sizeof err) < 0)
        fail_msg("%s", err);
    bc_constants k = bc_ev_production_constants();
    double cost = bc_cost_nominal(sc, &k);
    bc_scenario_free(sc);
    return cost;
}

/* A REST answer that drips or hangs keeps the client to its 300 s REST
 * timeout: such a scenario is among the longest, and starts first. */
static void a_dripped_rest_answer_costs_the_rest_timeout(void **state) {
    (void)state;
    static const char head[] = "{\"info\": {\"id\": \"cost\", \"title\": \"t\", "
                               "\"contracts\": [\"SEC-LIMITS\"]}, ";
    static const char tail[] = ", \"verify\": {\"SEC-LIMITS\": {}}}";
    char text[512];
    snprintf(text, sizeof text, "%s\"server\": {\"metrics\": [{\"drip\": 1}]}, "
             "\"client\": {\"action\": \"metrics\", \"deadline\": 400}%s", head, tail);
    assert_true(cost_of(text) == 300.0);
    snprintf(text, sizeof text, "%s\"server\": {\"metrics\": [{\"delay\": 20}]}, "
             "\"client\": {\"action\": \"metrics\"}%s", head, tail);
    assert_true(cost_of(text) == 20.0);
    snprintf(text, sizeof text, "%s\"client\": {\"action\": \"metrics\"}%s", head, tail);
    assert_true(cost_of(text) == 1.0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(folders_are_searched_in_name_order),
        cmocka_unit_test(a_file_name_twice_is_refused),
        cmocka_unit_test(a_dripped_rest_answer_costs_the_rest_timeout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
