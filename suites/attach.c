/* attach.c - the Attach family: attaching to an execution that exists. */
#include <string.h>

#include "suites.h"

/* The attach must fail at once with an error event of this kind. */
static void judge_attach_failure(const bc_evidence *ev, const char *kind,
                                 bc_check_result *out) {
    const json_t *err = bc_ev_find_event(ev, "error");
    size_t attempts = bc_ev_attempt_count(ev);
    const char *got = bc_ev_str(err, "kind");
    if (!err) {
        bc_check_set(out, BC_FAIL, "no error event; expected kind %s", kind);
    } else if (!got || strcmp(got, kind) != 0) {
        bc_check_set(out, BC_FAIL, "error kind %s; expected %s", got ? got : "(none)", kind);
    } else if (attempts != 1) {
        bc_check_measured(out, BC_FAIL, (double)attempts, "%zu upgrade attempts; expected one, "
                          "without retrying", attempts);
    } else {
        bc_check_measured(out, BC_PASS, 1, "attach failed with %s after one attempt", kind);
    }
}

/* ATTACH-GONE */
void check_attach_gone(const bc_evidence *ev, const json_t *params, bc_check_result *out) {
    (void)params;
    judge_attach_failure(ev, "session_reaped", out);
}

/* ATTACH-BUSY */
void check_attach_busy(const bc_evidence *ev, const json_t *params, bc_check_result *out) {
    (void)params;
    judge_attach_failure(ev, "already_attached", out);
}

/* ATTACH-READONLY */
void check_attach_readonly(const bc_evidence *ev, const json_t *params, bc_check_result *out) {
    (void)params;
    size_t n = bc_ev_attempt_count(ev);
    const char *first = bc_ev_str(bc_ev_request(ev, 1), "query");
    if (n == 0) {
        bc_check_set(out, BC_FAIL, "no attach request");
        return;
    }
    if (!bc_ev_query_readonly(first)) {
        bc_check_set(out, BC_FAIL, "first attach query \"%s\" does not say stdin=false",
                     first ? first : "");
        return;
    }
    for (size_t k = 2; k <= n; k++) {
        const char *q = bc_ev_str(bc_ev_request(ev, k), "query");
        if (!q || strcmp(q, first) != 0) {
            bc_check_measured(out, BC_FAIL, (double)k, "attempt %zu query \"%s\"; the first "
                              "was \"%s\"", k, q ? q : "", first);
            return;
        }
    }
    bc_check_measured(out, BC_PASS, (double)n, "%zu attach requests, all with \"%s\"", n, first);
}
