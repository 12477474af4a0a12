#include "suites.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "contracts.h"

static const bc_suite_entry registry[] = {
    { "WIRE-OUT",         check_wire_out },
    { "WIRE-BYTES",       check_wire_bytes },
    { "WIRE-STDIN",       check_wire_stdin },
    { "WIRE-EOF",         check_wire_eof },
    { "WIRE-EXIT",        check_wire_exit },
    { "WIRE-ERRFRAME",    check_wire_errframe },
    { "WIRE-TOLERANT",    check_wire_tolerant },
    { "WIRE-RFC",         check_wire_rfc },
    { "WIRE-AUTH",        check_wire_auth },
    { "TIME-FIRST",       check_time_first },
    { "TIME-WATCHDOG",    check_time_watchdog },
    { "TIME-STICKY",      check_time_sticky },
    { "TIME-HANDSHAKE",   check_time_handshake },
    { "TIME-KEEPALIVE",   check_time_keepalive },
    { "RECOV-FALLBACK",   check_recov_fallback },
    { "RECOV-GONE",       check_recov_gone },
    { "RECOV-RECONNECT",  check_recov_reconnect },
    { "RECOV-BUDGET",     check_recov_budget },
    { "RECOV-REJECTED",   check_recov_rejected },
    { "RECOV-STDIN",      check_recov_stdin },
    { "RECOV-ONE-RESULT", check_recov_one_result },
    { "ATTACH-GONE",      check_attach_gone },
    { "ATTACH-BUSY",      check_attach_busy },
    { "ATTACH-READONLY",  check_attach_readonly },
    { "BOX-LIFECYCLE",    check_box_lifecycle },
    { "BOX-INFO",         check_box_info },
    { "METRICS-MAP",      check_metrics_map },
    { "EXEC-CONTROL",     check_exec_control },
    { "REST-ERRORS",      check_rest_errors },
    { "REST-ERRORS-FINE", check_rest_errors_fine },
    { "CAPS-GATE",        check_caps_gate },
    { "SNAP-CRUD",        check_snap_crud },
    { "CLONE-HANDLE",     check_clone_handle },
    { "SEC-REDIRECT",     check_sec_redirect },
    { "FILES-IN",         check_files_in },
    { "FILES-OUT",        check_files_out },
    { "FILES-ENCODE",     check_files_encode },
    { "EXPORT-FILE",      check_export_file },
    { "SEC-TAR",          check_sec_tar },
    { "SEC-EXPORT-NAME",  check_sec_export_name },
    { "SEC-LIMITS",       check_sec_limits },
};

static const char *const verdict_names[BC_VERDICT_COUNT] = {
    "PASS", "FAIL", "NON-STRICT", "INFORMATIONAL", "UNSUPPORTED", "CRASHED", "HUNG", "ERROR"
};

size_t bc_suite_count(void) {
    return sizeof registry / sizeof registry[0];
}

const bc_suite_entry *bc_suite_at(size_t i) {
    return i < bc_suite_count() ? &registry[i] : NULL;
}

bc_check_fn bc_suite_find(const char *id) {
    for (size_t i = 0; i < bc_suite_count(); i++)
        if (strcmp(registry[i].id, id) == 0) return registry[i].check;
    return NULL;
}

void bc_suite_judge(const char *id, const bc_evidence *ev, const json_t *params,
                    bc_check_result *out) {
    bc_check_fn check = bc_suite_find(id);
    const bc_contract *c = bc_contract_find(id);
    if (!check || !c) {
        bc_check_set(out, BC_ERROR, "no check for contract %s", id);
        return;
    }
    bc_check_set(out, BC_ERROR, "check %s gave no verdict", id);
    out->doubtful = false;
    check(ev, params, out);
    if (out->verdict != BC_FAIL) return;
    if (c->tier == BC_TIER_STRICT) out->verdict = BC_NON_STRICT;
    if (c->tier == BC_TIER_INFORMATIONAL) out->verdict = BC_INFORMATIONAL;
}

const char *bc_verdict_name(bc_verdict v) {
    return v < BC_VERDICT_COUNT ? verdict_names[v] : "?";
}

int bc_verdict_parse(const char *name) {
    for (int v = 0; v < BC_VERDICT_COUNT; v++)
        if (strcmp(verdict_names[v], name) == 0) return v;
    return -1;
}

bool bc_verdict_is_failure(const char *name) {
    int v = name ? bc_verdict_parse(name) : -1;
    return v == BC_FAIL || v == BC_NON_STRICT || v == BC_INFORMATIONAL || v == BC_CRASHED ||
           v == BC_HUNG;
}

void bc_check_set(bc_check_result *out, bc_verdict v, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    out->verdict = v;
    out->has_measured = false;
    out->measured = 0;
    out->has_window = false;
    vsnprintf(out->message, sizeof out->message, fmt, ap);
    va_end(ap);
}

void bc_check_measured(bc_check_result *out, bc_verdict v, double measured,
                       const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    out->verdict = v;
    out->has_measured = true;
    out->measured = measured;
    out->has_window = false;
    vsnprintf(out->message, sizeof out->message, fmt, ap);
    va_end(ap);
}

void bc_check_window(bc_check_result *out, double expected, double from, double to,
                     const char *label) {
    out->has_window = true;
    out->expected = expected;
    out->from = from;
    out->to = to;
    out->window_label = label;
}
