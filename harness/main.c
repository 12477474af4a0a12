/* main.c - boxconform: run | list | mutants (report | merge | diff: report_cli.c). */
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cli.h"
#include "clock.h"
#include "launch.h"
#include "results.h"
#include "session.h"
#include "stability.h"

#define DEFAULT_SCALE 50

static void usage(FILE *f) {
    fprintf(f,
        "usage: boxconform [run] [--client PROFILE | --client-cmd 'CMD ARGS'] [--filter GLOB]\n"
        "                  [-j N] [--time-scale K] [--json FILE] [--baseline FILE]\n"
        "                  [--scenarios DIR] [--root DIR] [--keep]\n"
        "                  [--junit FILE] [--tap FILE] [--markdown FILE] [--html FILE]\n"
        "                  [--bundles DIR] [--repeat N] [--shard I/N] [--durations RESULTS.json]\n"
        "       boxconform list [--filter GLOB] [--scenarios DIR] [--shard I/N] [--durations F]\n"
        "       boxconform mutants [--client PROFILE] [--filter GLOB] [-j N] [--time-scale K]\n"
        "                  [--json FILE] [--shard I/N]   (I of N shares of the mutants)\n"
        "                  [--every-scenario]   (each mutant on every scenario)\n"
        "       boxconform report junit|tap|markdown|html RESULTS.json [--out FILE]\n"
        "       boxconform merge A.json B.json ... [--out FILE]\n"
        "       boxconform diff OLD.json NEW.json [--tolerance S]   (default 1 s)\n"
        "       boxconform --version\n"
        "No arguments: the whole suite against clients/refclient.json.\n"
        "-j N runs at most N scenarios at once; without it, as many as the CPU and memory\n"
        "take (measured from /proc while the run goes).\n"
        "--shard I/N runs shard I of N: the scenarios dealt, longest first, to balance the\n"
        "shards' nominal durations (or those a previous run measured: --durations); the N\n"
        "shards together are the selection, each scenario in one. `merge` joins their --json.\n"
        "--junit/--tap/--markdown/--html write that report of the run (\"-\": stdout);\n"
        "--bundles DIR writes DIR/SCENARIO/ with the evidence and replay.sh for each scenario\n"
        "with a FAIL, CRASHED, HUNG or ERROR.\n"
        "--repeat N runs the selection N times and reports, per result, whether its verdict\n"
        "was the same every time (a FLAKY one fails the run) and the spread of what was\n"
        "measured; the reports and --json are of the worst run, --json with a \"repeat\" key.\n"
        "--time-scale K (default %d): the client runs K times fast under libfaketime and the\n"
        "fake server times everything it does K times shorter. Timing error grows with K\n"
        "(docs/timing.md: a 45 s wait measured +14..+73 ms, max 115 ms at x50, i.e. well inside\n"
        "the 2 %% + 0.25 s tolerance of the checks); x50 keeps the 270 s budget under 6 s real.\n"
        "Exit: 0 nothing FAIL/CRASHED/HUNG, no UNSUPPORTED the profile does not declare; with\n"
        "--baseline, no verdict but PASS that the baseline did not have. 1 otherwise. 2 for\n"
        "usage/harness errors, ERROR, an adapter that cannot start, a run that judged nothing.\n"
        "diff: 1 when a result moved away from PASS (or new judged nothing), else 0; 2 for a\n"
        "bad file (also report, merge).\n",
        DEFAULT_SCALE);
}

static void locate(bc_cli *cli) {
    bc_layout_find(&cli->where, cli->root);
    snprintf(cli->fakeserver, sizeof cli->fakeserver, "%s/fakeserver", cli->where.libexec);
    if (cli->scenarios)
        snprintf(cli->scenario_dir, sizeof cli->scenario_dir, "%s", cli->scenarios);
    else
        snprintf(cli->scenario_dir, sizeof cli->scenario_dir, "%s/scenarios", cli->where.root);
}

/* "I/N", 1 <= I <= N. */
static int parse_shard(const char *arg, bc_cli *cli) {
    char tail;
    if (sscanf(arg, "%d/%d%c", &cli->shard, &cli->shards, &tail) == 2 && cli->shards >= 1 &&
        cli->shard >= 1 && cli->shard <= cli->shards)
        return 0;
    fprintf(stderr, "--shard: expected I/N with 1 <= I <= N, got \"%s\"\n", arg);
    return -1;
}

static int parse(int argc, char **argv, bc_cli *cli) {
    static const struct option opts[] = {
        { "client", required_argument, 0, 'c' }, { "client-cmd", required_argument, 0, 'C' },
        { "filter", required_argument, 0, 'f' }, { "jobs", required_argument, 0, 'j' },
        { "time-scale", required_argument, 0, 'k' }, { "json", required_argument, 0, 'J' },
        { "baseline", required_argument, 0, 'b' }, { "scenarios", required_argument, 0, 's' },
        { "root", required_argument, 0, 'r' }, { "keep", no_argument, 0, 'K' },
        { "junit", required_argument, 0, '0' }, { "tap", required_argument, 0, '1' },
        { "markdown", required_argument, 0, '2' }, { "html", required_argument, 0, '3' },
        { "bundles", required_argument, 0, 'B' }, { "repeat", required_argument, 0, 'R' },
        { "shard", required_argument, 0, 'S' }, { "durations", required_argument, 0, 'D' },
        { "every-scenario", no_argument, 0, 'E' },
        { "version", no_argument, 0, 'V' }, { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 } };
    cli->command = "run";
    cli->scale = DEFAULT_SCALE;
    cli->repeat = 1;
    if (argc > 1 && argv[1][0] != '-') cli->command = argv[1], argc--, argv++;
    int opt;
    char *end;
    while ((opt = getopt_long(argc, argv, "j:h", opts, NULL)) != -1) {
        switch (opt) {
        case 'c': cli->client = optarg; break;
        case 'C': cli->client_cmd = optarg; break;
        case 'f': cli->filter = optarg; break;
        case 'j': cli->jobs = (int)strtol(optarg, &end, 10);
                  if (*end || cli->jobs < 1) return fprintf(stderr, "-j: expected a count >= 1\n"), -1;
                  break;
        case 'k': cli->scale = strtod(optarg, &end);
                  if (*end || cli->scale < 1) return fprintf(stderr, "--time-scale: expected a number >= 1\n"), -1;
                  break;
        case 'J': cli->json = optarg; break;
        case 'b': cli->baseline = optarg; break;
        case 's': cli->scenarios = optarg; break;
        case 'r': cli->root = optarg; break;
        case 'K': cli->keep = true; break;
        case '0': case '1': case '2': case '3': cli->report[opt - '0'] = optarg; break;
        case 'B': cli->bundles = optarg; break;
        case 'R': cli->repeat = (int)strtol(optarg, &end, 10);
                  if (*end || cli->repeat < 1) return fprintf(stderr, "--repeat: expected a count >= 1\n"), -1;
                  break;
        case 'S': if (parse_shard(optarg, cli) < 0) return -1;
                  break;
        case 'D': cli->durations = optarg; break;
        case 'E': cli->every_scenario = true; break;
        case 'V': printf("boxconform %s\n", BC_VERSION); exit(0);
        case 'h': usage(stdout); exit(0);
        default: return -1;
        }
    }
    if (optind < argc) return fprintf(stderr, "unexpected argument \"%s\"\n", argv[optind]), -1;
    if (cli->client && cli->client_cmd)
        return fprintf(stderr, "--client and --client-cmd exclude each other\n"), -1;
    bool known = !strcmp(cli->command, "run") || !strcmp(cli->command, "list") ||
                 !strcmp(cli->command, "mutants");
    return known ? 0 : (fprintf(stderr, "unknown command \"%s\"\n", cli->command), -1);
}

/* SCENARIO CONTRACT-ID,... COST per line, COST in client seconds (cost.h). */
static int list(const bc_catalog *cat) {
    for (size_t i = 0; i < cat->count; i++) {
        const bc_info *info = &cat->items[i]->info;
        printf("%s ", info->id);
        for (size_t j = 0; j < info->contract_count; j++)
            printf("%s%s", j ? "," : "", info->contracts[j]->id);
        printf(" %.1f\n", cat->cost[i]);
    }
    return 0;
}

/* The client's profile, and its command checked to start (launch.h):
 * a typo there is one clear error, not a suite of verdicts. */
static int load_profile(const bc_cli *cli, bc_profile *p) {
    char err[1024], clients[PATH_MAX + 16];
    snprintf(clients, sizeof clients, "%s/clients", cli->where.root);
    bc_profile_dirs dirs = { cli->where.installed ? NULL : cli->where.build, cli->where.root,
                             cli->where.libexec };
    int rc = cli->client_cmd ? bc_profile_from_cmd(cli->client_cmd, p, err, sizeof err)
                             : bc_profile_load(cli->client ? cli->client : "refclient", clients,
                                               &dirs, p, err, sizeof err);
    if (rc == 0 && bc_launch_check(p->argv, err, sizeof err) == 0) return 0;
    fprintf(stderr, "boxconform: %s%s\n", rc == 0 ? "the adapter cannot start: " : "", err);
    if (rc == 0) bc_profile_free(p);
    return -1;
}

/* One pass over the selection: its records in *records, its exit status. */
static int run_once(const bc_cli *cli, const bc_runcfg *cfg, const bc_catalog *cat,
                    const json_t *baseline, int pass, json_t **records, double *wall_s) {
    bool repeating = cli->repeat > 1;
    int64_t started = bc_now_ns();
    int rc = bc_session_run(cfg, cat, cli->jobs, baseline, repeating ? NULL : stdout, records);
    *wall_s = (double)(bc_now_ns() - started) / 1e9;
    if (repeating) {
        printf("run %d of %d: ", pass, cli->repeat);
        bc_session_oneline(stdout, *records, *wall_s);
    } else {
        bc_session_summary(stdout, *records, *wall_s);
    }
    return rc < 0 ? -1 : bc_session_exit_status(stdout, *records, baseline);
}

/* Run the selection cli->repeat times. The reports are of the worst run
 * (its first occurrence): a verdict that flipped once must be readable with
 * its evidence, not averaged away. */
static int run(const bc_cli *cli, const bc_profile *p, const bc_catalog *cat) {
    json_t *baseline = NULL, *shown = NULL, *tally = bc_stability_new();
    char err[1024];
    if (cli->baseline && bc_results_load(cli->baseline, &baseline, err, sizeof err) < 0) {
        fprintf(stderr, "boxconform: %s\n", err);
        json_decref(tally);
        return 2;
    }
    bc_runcfg cfg = { cli->fakeserver, BC_FAKETIME_LIB, p, p->faketime ? cli->scale : 1,
                      cli->keep, false };
    int status = -1;
    double shown_wall_s = 0;
    bool interrupted = false;
    for (int pass = 1; pass <= cli->repeat && !interrupted; pass++) {
        json_t *records;
        double wall_s;
        int st = run_once(cli, &cfg, cat, baseline, pass, &records, &wall_s);
        interrupted = st < 0;
        st = interrupted ? 2 : st;
        bc_stability_add(tally, records, wall_s);
        if (st > status) json_decref(shown), shown = records, status = st, shown_wall_s = wall_s;
        else json_decref(records);
    }
    json_t *doc = bc_results_doc(cfg.scale, bc_profile_json(p), shown);
    json_t *repeat = bc_stability_json(tally);
    if (cli->repeat > 1) {
        bc_stability_print(stdout, repeat);
        if (status == 0 && json_integer_value(json_object_get(repeat, "flaky")) > 0) status = 1;
        printf("\nthe worst run (reported):");
        bc_session_summary(stdout, shown, shown_wall_s);
    }
    json_object_set_new(doc, "repeat", repeat);
    json_object_set_new(doc, "gate", bc_session_gate(shown, baseline));
    if (cli->json && bc_results_write(cli->json, doc, err, sizeof err) < 0) {
        fprintf(stderr, "boxconform: %s\n", err);
        status = 2;
    }
    if (bc_cli_write_reports(cli, doc, cat) < 0) status = 2;
    if (interrupted) fprintf(stderr, "boxconform: interrupted\n");
    json_decref(doc);
    json_decref(shown);
    json_decref(tally);
    json_decref(baseline);
    return status;
}

/* The catalog the command works on: loaded, filtered, costed, sharded. */
static int select_scenarios(const bc_cli *cli, bc_catalog *cat) {
    char err[1024];
    json_t *measured = NULL;
    if (cli->durations && bc_results_load(cli->durations, &measured, err, sizeof err) < 0) {
        fprintf(stderr, "boxconform: --durations: %s\n", err);
        return -1;
    }
    if (bc_catalog_load(cat, cli->scenario_dir, cli->filter, err, sizeof err) < 0) {
        fprintf(stderr, "boxconform: %s\n", err);
        json_decref(measured);
        return -1;
    }
    if (measured) bc_catalog_use_durations(cat, measured);
    /* the matrix shards its mutants instead (mutants.c): every pass needs
     * every scenario */
    if (cli->shards && strcmp(cli->command, "mutants") != 0)
        bc_catalog_shard(cat, cli->shard, cli->shards);
    json_decref(measured);
    return 0;
}

int main(int argc, char **argv) {
    if (argc > 1 && bc_cli_is_report_command(argv[1]))
        return bc_cli_report_main(argc - 1, argv + 1);
    bc_cli cli = { 0 };
    if (parse(argc, argv, &cli) < 0) {
        usage(stderr);
        return 2;
    }
    locate(&cli);
    /* Timings are judged from when things happen, and at x50 a 20 ms
     * scheduling delay is a whole client second. Ahead of other work on the
     * machine (best effort: only root may raise it), inherited by the fake
     * servers and the adapters. */
    setpriority(PRIO_PROCESS, 0, -10);
    bc_runner_trap_signals();
    bc_catalog cat;
    if (select_scenarios(&cli, &cat) < 0) return 2;
    if (!strcmp(cli.command, "list")) {
        int rc = list(&cat);
        bc_catalog_free(&cat);
        return rc;
    }
    bc_profile p;
    if (load_profile(&cli, &p) < 0) {
        bc_catalog_free(&cat);
        return 2;
    }
    int status = !strcmp(cli.command, "run") ? run(&cli, &p, &cat)
                                              : bc_mutants_main(&cli, &p, &cat);
    bc_profile_free(&p);
    bc_catalog_free(&cat);
    return status;
}
