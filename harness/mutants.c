/* mutants.c - the mutation matrix: every mutant of the reference client
 * must FAIL each contract it lists and no other. This is what proves each
 * check can fail on a real client, not only on fixtures. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "clock.h"
#include "session.h"
#include "suites.h"

typedef struct mutant {
    char name[64];
    char contracts[512];        /* "ID,ID" as listed by the refclient */
} mutant;

static size_t list_mutants(const char *refclient, mutant **out) {
    char cmd[PATH_MAX + 64];
    snprintf(cmd, sizeof cmd, "'%s' --list-mutants", refclient);
    FILE *p = popen(cmd, "r");
    size_t n = 0;
    char line[640];
    *out = NULL;
    while (p && fgets(line, sizeof line, p)) {
        mutant m = { 0 };
        if (sscanf(line, "%63s %511s", m.name, m.contracts) < 1) continue;
        *out = realloc(*out, (n + 1) * sizeof **out);
        (*out)[n++] = m;
    }
    if (p) pclose(p);
    return n;
}

/* The contract a failing result is charged to. A scenario that HUNG or
 * CRASHED reports that verdict on every contract it lists, but what the
 * client broke is the promise that every execution ends with one result:
 * charging the others too would make any hang look like a dozen bugs. */
static const char *charged_contract(const json_t *r) {
    const char *v = json_string_value(json_object_get(r, "verdict"));
    if (!strcmp(v, "HUNG") || !strcmp(v, "CRASHED")) return "RECOV-ONE-RESULT";
    return json_string_value(json_object_get(r, "contract"));
}

static bool failed_in(const json_t *records, const char *scenario, const char *contract) {
    size_t i, j;
    json_t *rec, *r;
    json_array_foreach(records, i, rec) json_array_foreach(json_object_get(rec, "results"), j, r)
        if (bc_verdict_is_failure(json_string_value(json_object_get(r, "verdict"))) &&
            !strcmp(json_string_value(json_object_get(r, "scenario")), scenario) &&
            !strcmp(charged_contract(r), contract))
            return true;
    return false;
}

/* The first result charging contract in records that the unmutated run did
 * not also fail; NULL when there is none. */
static const json_t *newly_failed(const json_t *records, const json_t *clean, const char *contract) {
    size_t i, j;
    json_t *rec, *r;
    json_array_foreach(records, i, rec) json_array_foreach(json_object_get(rec, "results"), j, r) {
        if (!bc_verdict_is_failure(json_string_value(json_object_get(r, "verdict"))) ||
            strcmp(charged_contract(r), contract) != 0)
            continue;
        if (!failed_in(clean, json_string_value(json_object_get(r, "scenario")), contract)) return r;
    }
    return NULL;
}

static bool lists(const mutant *m, const char *contract) {
    char copy[512];
    snprintf(copy, sizeof copy, "%s", m->contracts);
    for (char *save, *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
        if (!strcmp(t, contract)) return true;
    return false;
}

static void add_id(json_t *list, char *text, size_t len, const char *id) {
    json_array_append_new(list, json_string(id));
    strncat(text, id, len - strlen(text) - 2);
    strcat(text, " ");
}

/* One matrix row, printed; its JSON (ok, what it missed, what else failed)
 * in *row. True when the mutant failed exactly what it lists. */
static bool judge_mutant(const mutant *m, const bc_catalog *cat, const json_t *records,
                         const json_t *clean, json_t **row) {
    bool ok = true;
    char missed[600] = "", extra[600] = "";
    json_t *missed_ids = json_array(), *extra_ids = json_array();
    const json_t *why[64];
    size_t nwhy = 0;
    for (size_t i = 0; i < bc_contract_count(); i++) {
        const char *id = bc_contract_at(i)->id;
        bool exercised = false;
        for (size_t s = 0; s < cat->count; s++)
            for (size_t c = 0; c < cat->items[s]->info.contract_count; c++)
                exercised |= !strcmp(cat->items[s]->info.contracts[c]->id, id);
        const json_t *evidence = exercised ? newly_failed(records, clean, id) : NULL;
        bool want = lists(m, id), got = evidence != NULL;
        if (!want && got && nwhy < 64) why[nwhy++] = evidence;
        if (want && !got) add_id(missed_ids, missed, sizeof missed, id);
        if (!want && got) add_id(extra_ids, extra, sizeof extra, id);
        ok &= want == got;
    }
    printf("%-8s %-28s lists %-30s", ok ? "OK" : "MISMATCH", m->name, m->contracts);
    if (*missed) printf("  not failed: %s", missed);
    if (*extra) printf("  also failed: %s", extra);
    printf("\n");
    for (size_t k = 0; k < nwhy; k++)      /* so a mismatch can be read, not rerun */
        printf("         %s %s %s: %s\n",
               json_string_value(json_object_get(why[k], "scenario")),
               json_string_value(json_object_get(why[k], "contract")),
               json_string_value(json_object_get(why[k], "verdict")),
               json_string_value(json_object_get(why[k], "message")));
    fflush(stdout);
    *row = json_pack("{s:s,s:s,s:b,s:o,s:o}", "name", m->name, "lists", m->contracts, "ok", ok,
                     "not_failed", missed_ids, "also_failed", extra_ids);
    return ok;
}

/* scenario -> contract -> verdict: what --json keeps of a pass (the
 * evidence is in a `run` of the one mutant). */
static json_t *verdict_map(const json_t *records) {
    json_t *map = json_object();
    size_t i, j;
    json_t *rec, *r;
    json_array_foreach(records, i, rec) json_array_foreach(json_object_get(rec, "results"), j, r) {
        const char *sc = json_string_value(json_object_get(r, "scenario"));
        if (!json_object_get(map, sc)) json_object_set_new(map, sc, json_object());
        json_object_set(json_object_get(map, sc), json_string_value(json_object_get(r, "contract")),
                        json_object_get(r, "verdict"));
    }
    return map;
}

/* The scenarios of a pass that ran again alone (pool.h), for the stability
 * of the matrix's verdicts to be read off its --json. */
static json_t *ran_again(const json_t *records) {
    json_t *ids = json_array();
    size_t i;
    json_t *rec;
    json_array_foreach(records, i, rec)
        if (json_object_get(rec, "run_again"))
            json_array_append(ids, json_object_get(rec, "id"));
    return ids;
}

/* --shard I/N: every N-th mutant from the I-th, in --list-mutants order,
 * so N machines share the matrix (each also runs the clean client, the
 * reference its mutants are judged against). The count kept. */
static size_t keep_shard(mutant *ms, size_t n, int shard, int shards) {
    size_t kept = 0;
    for (size_t i = (size_t)shard - 1; i < n; i += (size_t)shards) ms[kept++] = ms[i];
    return kept;
}

/* Every pass of the matrix (the clean client, then each mutant) is one
 * profile; all their scenarios go to one pool, so the machine is kept as
 * busy as it allows for the whole matrix and no pass waits on the slowest
 * scenario of the one before. */
typedef struct matrix {
    size_t passes;
    size_t *job_pass;           /* the pass each job belongs to */
    size_t jobs;                /* scenario runs in all */
    const mutant *mutants;      /* pass p > 0 runs mutants[p - 1] */
    bc_profile *profiles;       /* [0]: the clean client */
    bc_runcfg *cfgs;
    json_t **records;           /* per pass */
    bc_pool_stats stats;
} matrix;

static void on_done(void *ctx, size_t index, json_t *rec) {
    matrix *mx = ctx;
    json_array_append_new(mx->records[mx->job_pass[index]], rec);
}

/* Under load, a verdict the pass does not expect is run again alone: the
 * clean client's failures, a mutant's on a contract it does not list, and a
 * mutant's doubtful PASS on one it lists (the check set aside a late answer
 * the mutant may have acted on: suites.h). A listed failure is what the
 * mutant is for; load cannot make it wrong. */
static bool unexpected_verdict(void *ctx, size_t index, const json_t *rec) {
    const matrix *mx = ctx;
    size_t pass = mx->job_pass[index], i;
    json_t *r;
    json_array_foreach(json_object_get(rec, "results"), i, r) {
        bool listed = pass && lists(&mx->mutants[pass - 1], charged_contract(r));
        bool failed = bc_verdict_is_failure(json_string_value(json_object_get(r, "verdict")));
        if (failed ? !listed : listed && json_is_true(json_object_get(r, "doubtful")))
            return true;
    }
    return false;
}

/* True when the scenario judges a contract the mutant lists: a mutant runs
 * on those scenarios only (unless --every-scenario). There it must fail
 * each contract it lists and, on every other contract those scenarios
 * judge, nothing the clean client did not. The clean client runs on
 * everything. */
static bool judges_listed(const mutant *m, const bc_scenario *sc) {
    for (size_t c = 0; c < sc->info.contract_count; c++)
        if (lists(m, sc->info.contracts[c]->id)) return true;
    return false;
}

static int run_matrix(const bc_cli *cli, const bc_profile *base, const bc_catalog *cat,
                      const mutant *ms, matrix *mx) {
    mx->mutants = ms;
    mx->profiles = calloc(mx->passes, sizeof *mx->profiles);
    mx->cfgs = calloc(mx->passes, sizeof *mx->cfgs);
    mx->records = calloc(mx->passes, sizeof *mx->records);
    bc_job *jobs = calloc(mx->passes * cat->count + 1, sizeof *jobs);
    mx->job_pass = calloc(mx->passes * cat->count + 1, sizeof *mx->job_pass);
    size_t n = 0;
    for (size_t p = 0; p < mx->passes; p++) {
        bool targeted = p && !cli->every_scenario;
        const char *extra[] = { "--mutant", p ? ms[p - 1].name : NULL, NULL };
        bc_profile_with_args(base, p ? extra : extra + 2, &mx->profiles[p]);
        mx->cfgs[p] = (bc_runcfg){ cli->fakeserver, BC_FAKETIME_LIB, &mx->profiles[p],
                                   base->faketime ? cli->scale : 1, false, true };
        mx->records[p] = json_array();
        for (size_t s = 0; s < cat->count; s++) {
            if (targeted && !judges_listed(&ms[p - 1], cat->items[s])) continue;
            mx->job_pass[n] = p;
            jobs[n++] = (bc_job){ &mx->cfgs[p], cat->items[s], cat->cost[s] };
        }
    }
    mx->jobs = n;
    int rc = bc_pool_run(jobs, n, cli->jobs, on_done, unexpected_verdict, mx, &mx->stats);
    free(jobs);
    return rc;
}

static void free_matrix(matrix *mx) {
    for (size_t p = 0; p < mx->passes; p++) {
        bc_profile_free(&mx->profiles[p]);
        json_decref(mx->records[p]);
    }
    free(mx->profiles);
    free(mx->cfgs);
    free(mx->records);
    free(mx->job_pass);
}

int bc_mutants_main(const bc_cli *cli, const bc_profile *base, const bc_catalog *cat) {
    char refclient[PATH_MAX + 16];
    snprintf(refclient, sizeof refclient, "%s/refclient", cli->where.libexec);
    mutant *ms;
    size_t n = list_mutants(refclient, &ms);
    if (n == 0) {
        fprintf(stderr, "boxconform: %s --list-mutants listed no mutant\n", refclient);
        return 2;
    }
    if (cli->shards) n = keep_shard(ms, n, cli->shard, cli->shards);
    matrix mx = { .passes = n + 1 };
    int64_t started = bc_now_ns();
    int status = run_matrix(cli, base, cat, ms, &mx) < 0 ? 2 : 0;
    json_t *rows = json_array();
    for (size_t i = 0; i < n && status != 2; i++) {
        json_t *row;
        if (!judge_mutant(&ms[i], cat, mx.records[i + 1], mx.records[0], &row)) status = 1;
        json_object_set_new(row, "verdicts", verdict_map(mx.records[i + 1]));
        json_object_set_new(row, "ran_again", ran_again(mx.records[i + 1]));
        json_array_append_new(rows, row);
    }
    double wall_s = (double)(bc_now_ns() - started) / 1e9;
    printf("%zu mutants: %s\n%zu scenario runs (%zu scenarios, %zu passes, %s) in %.1f s, "
           "%zu at most at once (%.1f on average)\n", n,
           status == 0 ? "every one failed exactly its contracts" : "mismatches above",
           mx.jobs, cat->count, mx.passes,
           cli->every_scenario ? "every mutant on every scenario"
                               : "each mutant on the scenarios judging its contracts",
           wall_s, mx.stats.peak, mx.stats.mean);
    if (cli->json && status != 2) {
        json_t *doc = json_pack("{s:s,s:f,s:o,s:o}", "schema", "boxconform-mutants/1",
                                "time_scale", mx.cfgs[0].scale, "clean",
                                verdict_map(mx.records[0]), "mutants", rows);
        json_object_set_new(doc, "clean_ran_again", ran_again(mx.records[0]));
        if (json_dump_file(doc, cli->json, JSON_INDENT(1) | JSON_SORT_KEYS) < 0) {
            fprintf(stderr, "boxconform: %s: cannot write\n", cli->json);
            status = 2;
        }
        json_decref(doc);
    } else {
        json_decref(rows);
    }
    free_matrix(&mx);
    free(ms);
    return status;
}
