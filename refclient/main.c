/* main.c - refclient: BoxLite's REST client as a boxconform adapter
 * (docs/adapter.md). Thin: flags, environment, then the action table. */
#include <curl/curl.h>
#include <getopt.h>
#include <libwebsockets.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "adapter.h"
#include "mutant.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: refclient [--mutant NAME] [--list-mutants] [--first-frame S]\n"
            "  [--watchdog S] [--probe-timeout S] [--backoff-initial S] [--backoff-max S]\n"
            "  [--budget S] [--handshake-timeout S] [--ping-interval S] [--rest-timeout S]\n"
            "  [--max-download BYTES] [--verbose]\n"
            "Environment: BOXLITE_REST_URL, BOXLITE_API_KEY, BOXLITE_REST_PATH_PREFIX,\n"
            "BOXCONFORM_ACTION. Stdin: the stdin plan; stdout: events (JSON lines).\n");
}

static int parse_number(const char *arg, double *out)
{
    char *end;
    double v = strtod(arg, &end);
    if (*arg == '\0' || *end != '\0' || v < 0)
        return -1;
    *out = v;
    return 0;
}

static double *number_slot(struct rc_ctx *c, double *max_download, int opt)
{
    struct rc_timing *t = &c->timing;
    switch (opt) {
    case 'f': return &t->first_frame;
    case 'w': return &t->watchdog;
    case 'p': return &t->probe_timeout;
    case 'b': return &t->backoff_initial;
    case 'B': return &t->backoff_max;
    case 'g': return &t->budget;
    case 'h': return &t->handshake;
    case 'i': return &t->ping_interval;
    case 'r': return &c->rest.timeout;
    case 'd': return max_download;
    default: return NULL;
    }
}

/* Returns 0 to run, 1 to exit 0 (listing), 2 on a usage error. */
static int parse_flags(int argc, char **argv, struct rc_ctx *c, int *verbose)
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
        { "rest-timeout", required_argument, 0, 'r' },
        { "max-download", required_argument, 0, 'd' },
        { "mutant", required_argument, 0, 'm' },
        { "list-mutants", no_argument, 0, 'l' },
        { "verbose", no_argument, 0, 'v' },
        { 0, 0, 0, 0 }
    };
    double max_download = (double)c->rest.max_download;
    int opt;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        const struct rc_mutant *m;
        double *slot = number_slot(c, &max_download, opt);
        if (slot && parse_number(optarg, slot) == 0)
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
    c->rest.max_download = (uint64_t)max_download;
    return 0;
}

int main(int argc, char **argv)
{
    struct rc_ctx ctx;
    struct rc_action action;
    const char *why, *url = getenv("BOXLITE_REST_URL");
    int verbose = 0, status = 0;
    memset(&ctx, 0, sizeof(ctx));
    memset(&action, 0, sizeof(action));
    rc_timing_production(&ctx.timing);
    ctx.api_key = getenv("BOXLITE_API_KEY");
    rc_rest_init(&ctx.rest, url ? url : "", getenv("BOXLITE_REST_PATH_PREFIX"), ctx.api_key);
    int flags = parse_flags(argc, argv, &ctx, &verbose);
    if (flags) {
        rc_rest_free(&ctx.rest);
        return flags == 1 ? 0 : 2;
    }
    signal(SIGPIPE, SIG_IGN);
    lws_set_log_level(verbose ? LLL_ERR | LLL_WARN | LLL_NOTICE | LLL_INFO : LLL_ERR, NULL);
    if (!url)
        rc_emit_error("invalid_argument", "BOXLITE_REST_URL is not set");
    else if (rc_action_parse(getenv("BOXCONFORM_ACTION"), &action, &why) < 0)
        rc_emit_error("invalid_argument", why);
    else {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        status = rc_actions_run(&ctx, &action);
        curl_global_cleanup();
    }
    rc_action_free(&action);
    rc_rest_free(&ctx.rest);
    return status;
}
