/* The mutant table (refclient/mutant.c): names unique, contracts real,
 * every contract of docs/contract.md broken by at least one mutant. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mutant.h"

static const char *contract_ids[] = {
    "WIRE-OUT", "WIRE-BYTES", "WIRE-STDIN", "WIRE-EOF", "WIRE-EXIT", "WIRE-ERRFRAME",
    "WIRE-TOLERANT", "WIRE-RFC", "WIRE-AUTH", "TIME-FIRST", "TIME-WATCHDOG",
    "TIME-STICKY", "TIME-HANDSHAKE", "TIME-KEEPALIVE", "RECOV-FALLBACK", "RECOV-GONE",
    "RECOV-RECONNECT", "RECOV-BUDGET", "RECOV-REJECTED", "RECOV-STDIN",
    "RECOV-ONE-RESULT", "ATTACH-GONE", "ATTACH-BUSY", "ATTACH-READONLY",
    "BOX-LIFECYCLE", "BOX-INFO", "METRICS-MAP", "REST-ERRORS", "REST-ERRORS-FINE",
    "EXEC-CONTROL", "FILES-IN", "FILES-OUT", "FILES-ENCODE", "CAPS-GATE", "SNAP-CRUD",
    "CLONE-HANDLE", "EXPORT-FILE", "SEC-TAR", "SEC-EXPORT-NAME", "SEC-REDIRECT", "SEC-LIMITS",
};
#define N_IDS (sizeof(contract_ids) / sizeof(contract_ids[0]))

static int id_index(const char *id, size_t len)
{
    for (size_t i = 0; i < N_IDS; i++)
        if (strlen(contract_ids[i]) == len && strncmp(contract_ids[i], id, len) == 0)
            return (int)i;
    return -1;
}

static void names_unique_and_found(void **state)
{
    (void)state;
    int n;
    const struct rc_mutant *t = rc_mutant_table(&n);
    assert_true(n >= (int)N_IDS);
    for (int i = 0; i < n; i++) {
        assert_ptr_equal(rc_mutant_by_name(t[i].name), &t[i]);
        assert_int_not_equal(t[i].id, RC_MUT_NONE);
        for (int j = i + 1; j < n; j++) {
            assert_string_not_equal(t[i].name, t[j].name);
            assert_int_not_equal(t[i].id, t[j].id);
        }
    }
    assert_null(rc_mutant_by_name("no-such-mutant"));
}

static void contracts_are_real_and_all_covered(void **state)
{
    (void)state;
    int n, covered[N_IDS] = { 0 };
    const struct rc_mutant *t = rc_mutant_table(&n);
    for (int i = 0; i < n; i++) {
        const char *p = t[i].contracts;
        assert_true(*p);
        while (*p) {
            size_t len = strcspn(p, ",");
            int k = id_index(p, len);
            if (k < 0)
                fail_msg("mutant %s lists unknown contract %.*s", t[i].name, (int)len, p);
            covered[k]++;
            p += len + (p[len] == ',');
        }
    }
    for (size_t k = 0; k < N_IDS; k++)
        if (!covered[k])
            fail_msg("no mutant breaks %s", contract_ids[k]);
}

static void list_format_is_name_space_contracts(void **state)
{
    (void)state;
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    rc_mutant_print_list(f);
    fclose(f);
    int n, lines = 0;
    rc_mutant_table(&n);
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        char name[64], ids[1024], extra[8];
        assert_int_equal(sscanf(line, "%63s %1023s %7s", name, ids, extra), 2);
        assert_non_null(rc_mutant_by_name(name));
        lines++;
    }
    assert_int_equal(lines, n);
    free(text);
}

static void selection_is_exclusive(void **state)
{
    (void)state;
    assert_true(rc_mutant_is(RC_MUT_NONE));
    rc_mutant_select(RC_MUT_TWO_RESULTS);
    assert_true(rc_mutant_is(RC_MUT_TWO_RESULTS));
    assert_false(rc_mutant_is(RC_MUT_NONE));
    assert_false(rc_mutant_is(RC_MUT_STDIN_LOST));
    rc_mutant_select(RC_MUT_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_unique_and_found),
        cmocka_unit_test(contracts_are_real_and_all_covered),
        cmocka_unit_test(list_format_is_name_space_contracts),
        cmocka_unit_test(selection_is_exclusive),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
