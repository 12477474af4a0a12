/* cli.h - the command line of boxconform and where things are (layout.h:
 * found from the executable's own path, a build tree or an installed copy;
 * --root replaces the data root). */
#ifndef BC_CLI_H
#define BC_CLI_H

#include <stdbool.h>

#include <jansson.h>

#include "catalog.h"
#include "layout.h"
#include "profile.h"

typedef struct bc_cli {
    const char *command;        /* run, list, mutants (report, merge, diff: report_cli.c) */
    const char *client;         /* --client NAME|PATH (default refclient) */
    const char *client_cmd;     /* --client-cmd 'CMD ARGS' */
    const char *filter;         /* --filter GLOB */
    int jobs;                   /* -j N: at most N at once (0: by load, pool.h) */
    double scale;               /* --time-scale K */
    const char *json;           /* --json FILE */
    const char *baseline;       /* --baseline FILE */
    const char *scenarios;      /* --scenarios DIR (default ROOT/scenarios) */
    bool keep;                  /* --keep */
    const char *report[4];      /* --junit, --tap, --markdown, --html FILE (bc_cli_formats order) */
    const char *bundles;        /* --bundles DIR */
    int repeat;                 /* --repeat N (default 1) */
    int shard, shards;          /* --shard I/N (0/0: the whole selection) */
    const char *durations;      /* --durations RESULTS.json: costs measured before */
    bool every_scenario;        /* mutants --every-scenario: each mutant on every scenario */
    const char *root;           /* --root DIR */
    bc_layout where;            /* the programs and the data */
    char fakeserver[PATH_MAX + 16]; /* LIBEXEC/fakeserver */
    char scenario_dir[PATH_MAX + 16]; /* resolved scenarios dir */
} bc_cli;

/* The report formats run writes, in the order of bc_cli.report. */
extern const char *const bc_cli_formats[4];

/* The reports and repro bundles a run was asked for (report_cli.c); 0, or
 * -1 after naming on stderr what could not be written. */
int bc_cli_write_reports(const bc_cli *cli, const json_t *doc, const bc_catalog *cat);
/* Whether command is one of report, merge, diff. */
bool bc_cli_is_report_command(const char *command);
/* boxconform report | merge | diff, argv[0] being the command: the exit status. */
int bc_cli_report_main(int argc, char **argv);

/* The mutation matrix (mutants.c); returns the exit status. */
int bc_mutants_main(const bc_cli *cli, const bc_profile *base, const bc_catalog *cat);

#endif
