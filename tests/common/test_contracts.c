#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "contracts.h"

static void test_every_id_of_contract_md_is_there(void **state) {
    static const char *const ids[] = {
        "WIRE-OUT", "WIRE-BYTES", "WIRE-STDIN", "WIRE-EOF", "WIRE-EXIT",
        "WIRE-ERRFRAME", "WIRE-TOLERANT", "WIRE-RFC", "WIRE-AUTH", "TIME-FIRST",
        "TIME-WATCHDOG", "TIME-STICKY", "TIME-HANDSHAKE", "TIME-KEEPALIVE",
        "RECOV-FALLBACK", "RECOV-GONE", "RECOV-RECONNECT", "RECOV-BUDGET",
        "RECOV-REJECTED", "RECOV-STDIN", "RECOV-ONE-RESULT", "ATTACH-GONE",
        "ATTACH-BUSY", "ATTACH-READONLY",
        "BOX-LIFECYCLE", "BOX-INFO", "METRICS-MAP", "EXEC-CONTROL",
        "REST-ERRORS", "REST-ERRORS-FINE",
        "CAPS-GATE", "SNAP-CRUD", "CLONE-HANDLE", "SEC-REDIRECT",
        "FILES-IN", "FILES-OUT", "FILES-ENCODE", "EXPORT-FILE", "SEC-TAR",
        "SEC-EXPORT-NAME", "SEC-LIMITS",
    };
    (void)state;
    assert_int_equal(bc_contract_count(), sizeof ids / sizeof ids[0]);
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        const bc_contract *c = bc_contract_find(ids[i]);
        assert_non_null(c);
        assert_string_equal(c->id, ids[i]);
        assert_ptr_equal(bc_contract_at(i), c);
    }
    assert_null(bc_contract_at(bc_contract_count()));
}

static void test_family_and_tier(void **state) {
    (void)state;
    assert_int_equal(bc_contract_find("WIRE-BYTES")->tier, BC_TIER_STRICT);
    assert_int_equal(bc_contract_find("TIME-KEEPALIVE")->tier, BC_TIER_INFORMATIONAL);
    assert_int_equal(bc_contract_find("WIRE-OUT")->tier, BC_TIER_NORMAL);
    assert_int_equal(bc_contract_find("RECOV-STDIN")->family, BC_FAMILY_RECOVERY);
    assert_int_equal(bc_contract_find("ATTACH-BUSY")->family, BC_FAMILY_ATTACH);
    assert_int_equal(bc_contract_find("TIME-FIRST")->family, BC_FAMILY_TIMING);
    assert_int_equal(bc_contract_find("FILES-ENCODE")->family, BC_FAMILY_FILES);
    assert_int_equal(bc_contract_find("EXPORT-FILE")->family, BC_FAMILY_SNAPSHOTS);
    assert_int_equal(bc_contract_find("SEC-TAR")->family, BC_FAMILY_SECURITY);
    assert_string_equal(bc_family_name(BC_FAMILY_TIMING), "timing");
    assert_int_equal(bc_contract_find("CAPS-GATE")->family, BC_FAMILY_SNAPSHOTS);
    assert_int_equal(bc_contract_find("SEC-REDIRECT")->family, BC_FAMILY_SECURITY);
    assert_string_equal(bc_family_name(BC_FAMILY_SNAPSHOTS), "snapshots");
    assert_string_equal(bc_family_name(BC_FAMILY_SECURITY), "security");
    assert_string_equal(bc_tier_name(BC_TIER_STRICT), "strict");
    /* METRICS-MAP's strict part is its check's own NON-STRICT, not a tier */
    assert_int_equal(bc_contract_find("METRICS-MAP")->tier, BC_TIER_NORMAL);
    assert_int_equal(bc_contract_find("REST-ERRORS-FINE")->tier, BC_TIER_INFORMATIONAL);
    assert_int_equal(bc_contract_find("EXEC-CONTROL")->family, BC_FAMILY_LIFECYCLE);
    assert_int_equal(bc_contract_find("REST-ERRORS")->family, BC_FAMILY_ERRORS);
    assert_string_equal(bc_family_name(BC_FAMILY_ERRORS), "errors");
}

static void test_unknown_ids(void **state) {
    (void)state;
    assert_null(bc_contract_find("WIRE-NOPE"));
    assert_null(bc_contract_find("wire-out"));
    assert_null(bc_contract_find(""));
}

static void test_params(void **state) {
    (void)state;
    const bc_contract *out = bc_contract_find("WIRE-OUT");
    const bc_contract *eof = bc_contract_find("WIRE-EOF");
    assert_true(bc_contract_takes(out, "stdout_b64"));
    assert_true(bc_contract_takes(out, "tol"));
    assert_false(bc_contract_takes(out, "stdin"));
    assert_true(bc_contract_takes(eof, "attempt"));
    assert_false(bc_contract_takes(eof, "stdout"));
    assert_true(bc_contract_takes(bc_contract_find("TIME-WATCHDOG"), "alive"));
    assert_true(bc_contract_takes(bc_contract_find("RECOV-RECONNECT"), "reconnects"));
    assert_true(bc_contract_takes(bc_contract_find("REST-ERRORS"), "endpoint"));
    assert_false(bc_contract_takes(bc_contract_find("METRICS-MAP"), "endpoint"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_id_of_contract_md_is_there),
        cmocka_unit_test(test_family_and_tier),
        cmocka_unit_test(test_unknown_ids),
        cmocka_unit_test(test_params),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
