/* main.c - refclient: the reference BoxLite exec-attach client as a
 * boxconform adapter (docs/adapter.md). Thin: flags, environment, the REST
 * calls that start an execution, then the pump. */
#include <curl/curl.h>
#include <jansson.h>
#include <getopt.h>
#include <libwebsockets.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapter.h"
#include "mutant.h"
#include "pump.h"
#include "rest.h"

#define RC_REST_TIMEOUT 30.0   /* GET box / POST exec: no contract, be generous */

static void usage(FILE *out)
{
    fprintf(out,
            "usage: refclient [--mutant NAME] [--list-mutants] [--first-frame S]\n"
            "  [--watchdog S] [--probe-timeout S] [--backoff-initial S] [--backoff-max S]\n"
            "  [--budget S] [--handshake-timeout S] [--ping-interval S] [--verbose]\n"
            "Environment: BOXLITE_REST_URL, BOXLITE_API_KEY, BOXLITE_REST_PATH_PREFIX,\n"
            "BOXCONFORM_ACTION. Stdin: the stdin plan; stdout: events (JSON lines).\n");
}

static int parse_seconds(const char *arg, double *out)
{
    char *end;
    double v = strtod(arg, &end);
    if (*arg == '\0' || *end != '\0' || v < 0)
        return -1;
    *out = v;
    return 0;
}

static double *timing_slot(struct rc_timing *t, int opt)
{
    switch (opt) {
    case 'f': return &t->first_frame;
    case 'w': return &t->watchdog;
    case 'p': return &t->probe_timeout;
    case 'b': return &t->backoff_initial;
    case 'B': return &t->backoff_max;
    case 'g': return &t->budget;
    case 'h': return &t->handshake;
    case 'i': return &t->ping_interval;
    default: return NULL;
    }
}

/* Returns 0 to run, 1 to exit 0 (listing), 2 on a usage error. */
static int parse_flags(int argc, char **argv, struct rc_timing *t, int *verbose)
{
    static const struct option opts[] = {
        { "first-frame", required_argument, 0, 'f' },
        { "watchdog", required_argument, 0, 'w' },
        { "probe-timeout", required_argument, 0, 'p' },
        { "backoff-initial", required_argument, 0, 'b' },
        { "backoff-max", required_argument, 0, 'B' },
        { "budget", required_argument, 0, 'g' },
        { "handshake-timeout", required_argument, 0, 'h' },
        { "ping-interval", required_argument, 0, 'i' },
        { "mutant", required_argument, 0, 'm' },
        { "list-mutants", no_argument, 0, 'l' },
        { "verbose", no_argument, 0, 'v' },
        { 0, 0, 0, 0 }
    };
    int opt;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        const struct rc_mutant *m;
        double *slot = timing_slot(t, opt);
        if (slot && parse_seconds(optarg, slot) == 0)
            continue;
        if (opt == 'l') {
            rc_mutant_print_list(stdout);
            return 1;
        } else if (opt == 'v') {
            *verbose = 1;
        } else if (opt == 'm' && (m = rc_mutant_by_name(optarg))) {
            rc_mutant_select(m->id);
        } else {
            fprintf(stderr, "refclient: bad option or value%s%s\n",
                    optarg ? ": " : "", optarg ? optarg : "");
            usage(stderr);
            return 2;
        }
    }
    return 0;
}

static void report_http_error(const struct rc_reply *rep, const char *what)
{
    char *msg;
    if (rep->status == 0) {
        fprintf(stderr, "refclient: %s: %s\n", what, rep->error);
        rc_emit_error("network", rep->error);
        return;
    }
    msg = rc_error_message(rep->status, rep->body, rep->len);
    rc_emit_error(rc_error_kind(rep->status), msg);
    free(msg);
}

/* The box lookup; the no-bearer-box mutant forgets the token and shrugs. */
static int get_box(const struct rc_rest *rest, const char *path, struct rc_reply *rep)
{
    struct rc_rest tokenless = *rest;
    bool mutant = rc_mutant_is(RC_MUT_NO_BEARER_BOX);
    if (mutant)
        tokenless.auth_header = "X-Boxconform-Mutant: no-bearer-box";
    rc_rest_call(&tokenless, "GET", path, NULL, RC_REST_TIMEOUT, rep);
    return rep->status == 200 || mutant ? 0 : -1;
}

/* GET /boxes/{id}, then POST /boxes/{id}/exec; returns the execution id. */
static char *start_execution(const struct rc_rest *rest, const struct rc_action *a)
{
    struct rc_reply rep;
    char *box = rc_path_escape(a->box_id), *path = NULL, *eid = NULL;
    if (asprintf(&path, "/boxes/%s", box) < 0)
        path = NULL;
    if (get_box(rest, path, &rep) < 0) {
        report_http_error(&rep, "GET box");
        goto out;
    }
    rc_reply_clear(&rep);
    free(path);
    if (asprintf(&path, "/boxes/%s/exec", box) < 0)
        path = NULL;
    rc_rest_call(rest, "POST", path, a->exec_body, RC_REST_TIMEOUT, &rep);
    json_t *root = rep.status / 100 == 2 ? json_loadb(rep.body, rep.len, 0, NULL) : NULL;
    const char *id = json_string_value(json_object_get(root, "execution_id"));
    if (id)
        eid = strdup(id);
    else if (rep.status / 100 == 2)
        rc_emit_error("internal", "exec reply has no execution_id");
    else
        report_http_error(&rep, "POST exec");
    json_decref(root);
out:
    rc_reply_clear(&rep);
    free(path);
    free(box);
    return eid;
}

static int run(const struct rc_timing *timing, const struct rc_action *a)
{
    struct rc_rest rest;
    const char *url = getenv("BOXLITE_REST_URL");
    if (!url) {
        rc_emit_error("invalid_argument", "BOXLITE_REST_URL is not set");
        return 0;
    }
    rc_rest_init(&rest, url, getenv("BOXLITE_REST_PATH_PREFIX"), getenv("BOXLITE_API_KEY"));
    char *eid = a->attach ? strdup(a->execution_id) : start_execution(&rest, a);
    if (eid) {
        if (!a->attach)
            rc_emit_started(eid);
        struct rc_pump_cfg cfg = {
            .timing = *timing, .rest = &rest, .api_key = getenv("BOXLITE_API_KEY"),
            .box_id = a->box_id, .execution_id = eid, .attach = a->attach,
            .readonly = a->readonly,
        };
        rc_pump_run(&cfg);
    }
    free(eid);
    rc_rest_free(&rest);
    return 0;
}

int main(int argc, char **argv)
{
    struct rc_timing timing;
    struct rc_action action;
    const char *why;
    int verbose = 0;
    rc_timing_production(&timing);
    int flags = parse_flags(argc, argv, &timing, &verbose);
    if (flags)
        return flags == 1 ? 0 : 2;
    signal(SIGPIPE, SIG_IGN);
    lws_set_log_level(verbose ? LLL_ERR | LLL_WARN | LLL_NOTICE | LLL_INFO : LLL_ERR, NULL);
    if (rc_action_parse(getenv("BOXCONFORM_ACTION"), &action, &why) < 0) {
        rc_emit_error("invalid_argument", why);
        rc_action_free(&action);
        return 0;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    int rc = run(&timing, &action);
    curl_global_cleanup();
    rc_action_free(&action);
    return rc;
}
