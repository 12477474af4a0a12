/* mutants.c - the mutation matrix: every mutant of the reference client
 * must FAIL each contract it lists and no other. This is what proves each
 * check can fail on a real client, not only on fixtures. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "session.h"

typedef struct mutant {
    char name[64];
    char contracts[512];        /* "ID,ID" as listed by the refclient */
} mutant;

static size_t list_mutants(const char *refclient, mutant **out) {
    char cmd[1200];
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

static bool failing(const char *v) {
    return !strcmp(v, "FAIL") || !strcmp(v, "NON-STRICT") || !strcmp(v, "INFORMATIONAL") ||
           !strcmp(v, "CRASHED") || !strcmp(v, "HUNG");
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
        if (failing(json_string_value(json_object_get(r, "verdict"))) &&
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
        if (!failing(json_string_value(json_object_get(r, "verdict"))) ||
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

/* One matrix row; true when the mutant failed exactly what it lists. */
static bool judge_mutant(const mutant *m, const bc_catalog *cat, const json_t *records,
                         const json_t *clean) {
    bool ok = true;
    char missed[600] = "", extra[600] = "";
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
        if (!want && got) why[nwhy++] = evidence;
        if (want && !got) strncat(missed, id, sizeof missed - strlen(missed) - 2), strcat(missed, " ");
        if (!want && got) strncat(extra, id, sizeof extra - strlen(extra) - 2), strcat(extra, " ");
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
    return ok;
}

int bc_mutants_main(const bc_cli *cli, const bc_profile *base, const bc_catalog *cat) {
    char refclient[1100];
    snprintf(refclient, sizeof refclient, "%s/refclient/refclient", cli->build);
    mutant *ms;
    size_t n = list_mutants(refclient, &ms);
    if (n == 0) {
        fprintf(stderr, "boxconform: %s --list-mutants listed no mutant\n", refclient);
        return 2;
    }
    bc_runcfg cfg = { cli->fakeserver, BC_FAKETIME_LIB, base,
                      base->faketime ? cli->scale : 1, false };
    json_t *clean;
    if (bc_session_run(&cfg, cat, cli->jobs, NULL, &clean) < 0) return 2;
    int status = 0;
    for (size_t i = 0; i < n && status != 2; i++) {
        const char *extra[] = { "--mutant", ms[i].name, NULL };
        bc_profile p;
        bc_profile_with_args(base, extra, &p);
        cfg.profile = &p;
        json_t *records;
        if (bc_session_run(&cfg, cat, cli->jobs, NULL, &records) < 0) status = 2;
        else if (!judge_mutant(&ms[i], cat, records, clean)) status = 1;
        json_decref(records);
        bc_profile_free(&p);
    }
    json_decref(clean);
    free(ms);
    printf("%zu mutants: %s\n", n, status == 0 ? "every one failed exactly its contracts"
                                                : "mismatches above");
    return status;
}
