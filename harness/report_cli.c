/* report_cli.c - the reports on the command line: what `run` writes besides
 * its progress (--junit, --tap, --markdown, --html, --bundles), and the
 * commands that work on saved results files: report, merge, diff. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bundle.h"
#include "cli.h"
#include "diff.h"
#include "merge.h"
#include "report.h"
#include "results.h"

/* A figure that moved less than this between two runs is noise, not news.
 * At x50 the harness measures a 45 s wait within +0.12 s (docs/timing.md) and a
 * loaded machine adds a few tenths; the checks' late window has a fixed 1 s
 * part. So 1 s: under it run-to-run jitter, over it a client whose timing
 * moved as far as a check would start to notice. Counts (reconnects, bytes)
 * must move by 2 or more to be listed. */
#define DEFAULT_TOLERANCE 1.0

const char *const bc_cli_formats[4] = { "junit", "tap", "markdown", "html" };

/* ---- after a run ------------------------------------------------------- */

static bool failed(const json_t *results, const char *id) {
    size_t i;
    json_t *r;
    json_array_foreach(results, i, r) {
        const char *v = bc_report_str(r, "verdict", "");
        if (!strcmp(bc_report_str(r, "scenario", ""), id) &&
            (bc_results_is_failure(v) || !strcmp(v, "ERROR")))
            return true;
    }
    return false;
}

/* path made absolute when it names something that exists, so replay.sh
 * works from any directory (new string). */
static char *absolute(const char *path) {
    char *abs = realpath(path, NULL);
    return abs ? abs : strdup(path);
}

/* The exact command that replays scenario id against this run's client. */
static char *replay_command(const bc_cli *cli, const char *id, double scale) {
    char exe[PATH_MAX] = "";
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = 0;
    char *scenarios = absolute(cli->scenario_dir);
    char *client = cli->client_cmd ? strdup(cli->client_cmd)
                   : cli->client && access(cli->client, R_OK) == 0 ? absolute(cli->client)
                   : strdup(cli->client ? cli->client : "refclient");
    char *cmd = bc_bundle_command(exe, cli->client_cmd ? "--client-cmd" : "--client", client,
                                  scenarios, id, scale);
    free(scenarios);
    free(client);
    return cmd;
}

static const bc_scenario *scenario_of(const bc_catalog *cat, const char *id) {
    for (size_t i = 0; i < cat->count; i++)
        if (!strcmp(cat->items[i]->info.id, id)) return cat->items[i];
    return NULL;
}

static int write_bundle(const bc_cli *cli, const json_t *doc, const bc_scenario *sc) {
    char dir[PATH_MAX + 256], err[1024];
    snprintf(dir, sizeof dir, "%s/%s", cli->bundles, sc->info.id);
    json_t *rec = bc_bundle_record(doc, sc->info.id, NULL);
    char *cmd = replay_command(cli, sc->info.id, json_number_value(json_object_get(doc,
                                                                                   "time_scale")));
    int rc = rec && cmd ? bc_bundle_write(dir, rec, sc->path, cmd, err, sizeof err) : -1;
    if (rc < 0) fprintf(stderr, "boxconform: bundle %s: %s\n", dir, rec && cmd ? err : "no record");
    else printf("bundle: %s\n", dir);
    free(cmd);
    json_decref(rec);
    return rc;
}

static int write_bundles(const bc_cli *cli, const json_t *doc, const bc_catalog *cat) {
    int rc = 0;
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(doc, "scenarios"), i, s) {
        const char *id = bc_report_str(s, "id", "");
        const bc_scenario *sc = scenario_of(cat, id);
        if (sc && failed(json_object_get(doc, "results"), id) && write_bundle(cli, doc, sc) < 0)
            rc = -1;
    }
    return rc;
}

int bc_cli_write_reports(const bc_cli *cli, const json_t *doc, const bc_catalog *cat) {
    int rc = 0;
    char err[1024];
    for (int i = 0; i < 4; i++) {
        if (!cli->report[i]) continue;
        if (bc_report_write(bc_cli_formats[i], doc, cli->report[i], err, sizeof err) < 0) {
            fprintf(stderr, "boxconform: %s\n", err);
            rc = -1;
        }
    }
    if (cli->bundles && write_bundles(cli, doc, cat) < 0) rc = -1;
    return rc;
}

/* ---- report, merge, diff ------------------------------------------------ */

static int usage_error(const char *what) {
    fprintf(stderr, "boxconform: %s\n"
            "usage: boxconform report junit|tap|markdown|html RESULTS.json [--out FILE]\n"
            "       boxconform merge A.json B.json ... [--out FILE]\n"
            "       boxconform diff OLD.json NEW.json [--tolerance S]\n", what);
    return 2;
}

/* Options shared by the three: --out FILE, --tolerance S; the operands
 * are left in argv[optind..argc). -1 on a bad option. */
static int parse_opts(int argc, char **argv, const char **out, double *tolerance) {
    static const struct option opts[] = { { "out", required_argument, 0, 'o' },
                                          { "tolerance", required_argument, 0, 't' },
                                          { 0, 0, 0, 0 } };
    int opt;
    char *end;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        if (opt == 'o') {
            *out = optarg;
        } else if (opt == 't' && tolerance) {
            *tolerance = strtod(optarg, &end);
            if (*end || *tolerance < 0) return -1;
        } else {
            return -1;
        }
    }
    return 0;
}

static int report_main(const char *format, const char *path, const char *out) {
    json_t *doc;
    char err[1024];
    if (bc_results_load(path, &doc, err, sizeof err) < 0) {
        fprintf(stderr, "boxconform: %s\n", err);
        return 2;
    }
    int rc = bc_report_write(format, doc, out ? out : "-", err, sizeof err);
    if (rc < 0) fprintf(stderr, "boxconform: %s\n", err);
    json_decref(doc);
    return rc < 0 ? 2 : 0;
}

static int merge_main(char *const paths[], size_t n, const char *out) {
    char err[1024];
    if (bc_merge_files((const char *const *)paths, n, out ? out : "-", err, sizeof err) == 0)
        return 0;
    fprintf(stderr, "boxconform: %s\n", err);
    return 2;
}

static int diff_main(const char *old_path, const char *new_path, double tolerance) {
    char err[1024];
    int rc = bc_diff_files(old_path, new_path, tolerance, stdout, err, sizeof err);
    if (rc == 2) fprintf(stderr, "boxconform: %s\n", err);
    return rc;
}

bool bc_cli_is_report_command(const char *command) {
    return !strcmp(command, "report") || !strcmp(command, "merge") || !strcmp(command, "diff");
}

int bc_cli_report_main(int argc, char **argv) {
    const char *cmd = argv[0], *out = NULL;
    double tolerance = DEFAULT_TOLERANCE;
    if (parse_opts(argc, argv, &out, !strcmp(cmd, "diff") ? &tolerance : NULL) < 0)
        return usage_error("bad option");
    char **operands = argv + optind;
    size_t n = (size_t)(argc - optind);
    if (!strcmp(cmd, "report"))
        return n == 2 ? report_main(operands[0], operands[1], out)
                      : usage_error("report: expected FORMAT RESULTS.json");
    if (!strcmp(cmd, "merge"))
        return n >= 1 ? merge_main(operands, n, out)
                      : usage_error("merge: expected one or more results files");
    if (out) return usage_error("diff: --out is not an option of diff");
    return n == 2 ? diff_main(operands[0], operands[1], tolerance)
                  : usage_error("diff: expected OLD.json NEW.json");
}
